"""Large, word-wrapping radio buttons and check boxes: the whole row is the touch target.

Standard QRadioButton/QCheckBox neither wrap long text nor grow their hit area, and a
Spanish answer such as "Necesito dos bastones, dos muletas o un andador ..." would be cut
off at large text sizes. These subclasses keep the accessible role and keyboard handling
of their base classes and paint themselves: a bordered row, an indicator whose *shape*
changes when chosen (a dot, a check mark) and a visible focus ring, so neither the
choice nor the focus depends on colour alone.

Colours come from the palette, or from a style sheet through `qproperty-ink` (text),
`qproperty-paper` (background), `qproperty-accent` (chosen) and `qproperty-focusColour`.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QCheckBox, QRadioButton, QSizePolicy

_PAD = 12
MIN_HEIGHT = 48  # touch target (>= 44 px)


class _OptionLook:
    """Painting and sizing shared by OptionRadio and OptionCheck (a mixin)."""

    _round = True
    _accent: QColor | None = None
    _focus: QColor | None = None
    _ink: QColor | None = None
    _paper: QColor | None = None

    def _setup(self) -> None:
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    # -- colours settable from a style sheet -------------------------------------------

    def _get_accent(self) -> QColor:
        return self._accent or self.palette().color(QPalette.ColorRole.Highlight)

    def _set_accent(self, colour: QColor) -> None:
        self._accent = QColor(colour)
        self.update()

    def _get_focus(self) -> QColor:
        return self._focus or self.palette().color(QPalette.ColorRole.Highlight)

    def _set_focus(self, colour: QColor) -> None:
        self._focus = QColor(colour)
        self.update()

    def _get_ink(self) -> QColor:
        return self._ink or self.palette().color(QPalette.ColorRole.Text)

    def _set_ink(self, colour: QColor) -> None:
        self._ink = QColor(colour)
        self.update()

    def _get_paper(self) -> QColor:
        return self._paper or self.palette().color(QPalette.ColorRole.Base)

    def _set_paper(self, colour: QColor) -> None:
        self._paper = QColor(colour)
        self.update()

    # -- geometry ----------------------------------------------------------------------

    def _indicator(self) -> int:
        return max(22, int(self.fontMetrics().height() * 1.15))

    def _min_height(self) -> int:
        return max(MIN_HEIGHT, self._indicator() + 2 * _PAD)

    def _text_rect(self, width: int, height: int) -> QRect:
        left = _PAD * 2 + self._indicator()
        return QRect(left, _PAD, max(10, width - left - _PAD), max(10, height - 2 * _PAD))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rect = self._text_rect(width, 10_000)
        bound = self.fontMetrics().boundingRect(rect, int(Qt.TextFlag.TextWordWrap), self.text())
        return max(self._min_height(), bound.height() + 2 * _PAD + 4)

    def sizeHint(self) -> QSize:
        width = min(700, self.fontMetrics().horizontalAdvance(self.text())
                    + self._indicator() + 4 * _PAD)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self._indicator() + 4 * _PAD + self.fontMetrics().horizontalAdvance("M" * 8)
        return QSize(width, self._min_height())

    def hitButton(self, pos) -> bool:
        return self.rect().contains(pos)

    # -- painting ----------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self._get_ink()
        base = self._get_paper()
        if not self.isEnabled():
            text = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        accent = self._get_accent() if self.isEnabled() else text
        checked = self.isChecked()
        frame = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        if checked:
            tint = QColor(accent)
            tint.setAlpha(40)
            painter.setBrush(base)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(frame, 8, 8)
            painter.setBrush(tint)
        else:
            painter.setBrush(base)
        painter.setPen(QPen(accent if checked else text, 3 if checked else 1.5))
        painter.drawRoundedRect(frame, 8, 8)
        if self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self._get_focus(), 4, Qt.PenStyle.SolidLine))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 8, 8)
            painter.setPen(QPen(text, 1.5, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(7, 7, -7, -7), 6, 6)
        size = self._indicator()
        box = QRectF(_PAD + 2, (self.height() - size) / 2, size, size)
        self._paint_indicator(painter, box, checked, text, base, accent)
        painter.setPen(text)
        painter.setFont(self.font())
        flags = (int(Qt.TextFlag.TextWordWrap)
                 | int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft))
        painter.drawText(self._text_rect(self.width(), self.height()), flags, self.text())

    def _paint_indicator(self, painter: QPainter, box: QRectF, checked: bool,
                         text: QColor, base: QColor, accent: QColor) -> None:
        painter.setPen(QPen(accent if checked else text, 2.5))
        painter.setBrush(base)
        if self._round:
            painter.drawEllipse(box)
            if checked:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(accent)
                painter.drawEllipse(box.adjusted(box.width() * 0.24, box.height() * 0.24,
                                                 -box.width() * 0.24, -box.height() * 0.24))
            return
        painter.drawRoundedRect(box, 4, 4)
        if checked:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(box, 4, 4)
            w = box.width()
            path = QPainterPath(QPointF(box.left() + w * 0.22, box.top() + w * 0.52))
            path.lineTo(box.left() + w * 0.42, box.top() + w * 0.72)
            path.lineTo(box.left() + w * 0.80, box.top() + w * 0.30)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(base, max(2.5, w / 8), Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.drawPath(path)


class OptionRadio(_OptionLook, QRadioButton):
    """One answer of a single-choice question."""

    _round = True

    def __init__(self, text: str, parent=None) -> None:
        QRadioButton.__init__(self, text, parent)
        self._setup()

    accent = Property(QColor, _OptionLook._get_accent, _OptionLook._set_accent)
    focusColour = Property(QColor, _OptionLook._get_focus, _OptionLook._set_focus)
    ink = Property(QColor, _OptionLook._get_ink, _OptionLook._set_ink)
    paper = Property(QColor, _OptionLook._get_paper, _OptionLook._set_paper)


class OptionCheck(_OptionLook, QCheckBox):
    """One answer of a multiple-choice question, a consent statement, or a toggle."""

    _round = False

    def __init__(self, text: str, parent=None) -> None:
        QCheckBox.__init__(self, text, parent)
        self._setup()

    accent = Property(QColor, _OptionLook._get_accent, _OptionLook._set_accent)
    focusColour = Property(QColor, _OptionLook._get_focus, _OptionLook._set_focus)
    ink = Property(QColor, _OptionLook._get_ink, _OptionLook._set_ink)
    paper = Property(QColor, _OptionLook._get_paper, _OptionLook._set_paper)
