"""Flag counts drawn as small labelled chips: "2 exclusion" in red, "1 review" in amber.

Colour is never the only signal: each chip says its severity in words, and the model's
text for the cell (read by screen readers, copied with Ctrl+C) is the same words.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from screening_app.i18n import Translator
from ui.desk import formatting as fmt
from ui.desk.list_model import FLAGS_ROLE

Index = QModelIndex | QPersistentModelIndex


def chip_parts(submitted: bool, flags: dict[str, int], t: Translator) -> list[tuple[str, str]]:
    if not submitted:
        return []
    return fmt.flag_parts(flags, t)


class FlagChipsDelegate(QStyledItemDelegate):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(FLAGS_ROLE)
        parts = chip_parts(*value, self.t) if value else []
        if not parts:
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
        widths = [metrics.horizontalAdvance(text) + 2 * pad for _, text in parts]
        room = option.rect.right() - x

        def needed(count: int) -> int:  # `count` chips, and "+N" for the others
            more = len(parts) - count
            return (sum(widths[:count]) + pad * count
                    + (metrics.horizontalAdvance(f"+{more}") if more else -pad))

        shown = len(parts)
        while shown and needed(shown) > room:
            shown -= 1
        for (severity, text), width in zip(parts[:shown], widths[:shown], strict=True):
            chip = QRectF(x, y, width, height)
            painter.setPen(fmt.SEVERITY_COLOURS[severity])
            painter.setBrush(fmt.SEVERITY_BACKGROUNDS[severity])
            painter.drawRoundedRect(chip, height / 2, height / 2)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
            x += width + pad
        if shown < len(parts):  # the tooltip lists them all
            painter.setPen(option.palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
            painter.drawText(QRect(x, y, max(0, option.rect.right() - x), height),
                             Qt.AlignmentFlag.AlignVCenter, f"+{len(parts) - shown}")
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
