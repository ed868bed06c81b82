"""Flag counts drawn as small labelled chips: "2 exclusion" in red, "1 review" in amber.

Colour is never the only signal: each chip says its severity in words, and the model's
text for the cell (read by screen readers, copied with Ctrl+C, the tooltip) is the same
words. In a narrow column the chips get shorter words ("2 excl."), then only their count,
and the others become "+N": the most severe one is always drawn (before, a row with
"2 exclusion, 2 review, 1 info" showed only "+3", dropping the exclusion).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from screening_app.i18n import Translator
from ui.desk import formatting as fmt
from ui.desk.list_model import FLAGS_ROLE

Index = QModelIndex | QPersistentModelIndex


LEVELS = ("count", "short", "number")  # "2 exclusion", "2 excl.", "2": wide to narrow


def chip_parts(submitted: bool, flags: dict[str, int], t: Translator,
               level: str = "count") -> list[tuple[str, str]]:
    """[(severity, text)], most severe first, in the words of `level`."""
    if not submitted:
        return []
    if level == "count":
        return fmt.flag_parts(flags, t)
    return [(severity, str(flags[severity]) if level == "number"
             else t(f"desk.flags.short.{severity}", count=flags[severity]))
            for severity, _text in fmt.flag_parts(flags, t)]


def fit_chips(submitted: bool, flags: dict[str, int], t: Translator, room: int,
              advance: Callable[[str], int], pad: int) -> tuple[list[tuple[str, str, int]], int]:
    """The chips that fit in `room` pixels, as (severity, text, width), and how many are
    left for "+N". The most severe is always there: the widest words that leave room for
    it (and "+N"), down to its bare count, which is drawn even when it does not fit."""
    def needed(widths: list[int], count: int) -> int:  # `count` chips and "+N" for the rest
        more = len(widths) - count
        return sum(widths[:count]) + pad * count + (advance(f"+{more}") if more else -pad)

    for level in LEVELS:
        parts = chip_parts(submitted, flags, t, level)
        widths = [advance(text) + 2 * pad for _, text in parts]
        shown = len(parts)
        while shown > 1 and needed(widths, shown) > room:
            shown -= 1
        if not parts or needed(widths, shown) <= room or level == LEVELS[-1]:
            chips = [(sev, text, width) for (sev, text), width in zip(parts, widths, strict=True)]
            return chips[:shown], len(parts) - shown
    return [], 0


class FlagChipsDelegate(QStyledItemDelegate):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(FLAGS_ROLE)
        if not value or not chip_parts(*value, self.t):
            super().paint(painter, option, index)
            return
        # Background (selection, focus) as the style draws it, then our chips.
        self.initStyleOption(option, index)
        option.text = ""
        widget = option.widget
        style = widget.style() if widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        pad = max(4, metrics.height() // 4)
        height = metrics.height() + 2
        x = option.rect.x() + pad
        y = option.rect.y() + (option.rect.height() - height) // 2
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        chips, more = fit_chips(*value, self.t, option.rect.right() - x,
                                metrics.horizontalAdvance, pad)
        painter.setClipRect(option.rect)
        for severity, text, width in chips:
            chip = QRectF(x, y, width, height)
            painter.setPen(fmt.SEVERITY_COLOURS[severity])
            painter.setBrush(fmt.SEVERITY_BACKGROUNDS[severity])
            painter.drawRoundedRect(chip, height / 2, height / 2)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            x += width + pad
        if more:  # the tooltip lists them all
            painter.setPen(option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
            painter.drawText(QRect(x, y, max(0, option.rect.right() - x), height),
                             Qt.AlignmentFlag.AlignVCenter, f"+{more}")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        value = index.data(FLAGS_ROLE)
        base = super().sizeHint(option, index)
        parts = chip_parts(*value, self.t) if value else []
        if not parts:
            return base
        metrics = option.fontMetrics
        pad = max(4, metrics.height() // 4)
        width = sum(metrics.horizontalAdvance(text) + 3 * pad for _, text in parts) + pad
        return QSize(max(base.width(), width), base.height())
