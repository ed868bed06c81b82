"""Small building blocks shared by the input widgets and the windows that host them.

Roles (`role` dynamic property) let a window's style sheet size and colour text without
the widgets knowing which window they are in: `title`, `subtitle`, `question`, `help`,
`muted`, `code`; buttons: `primary`, `secondary`, `link`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from ui.widgets.accessible import HeadingLabel

if TYPE_CHECKING:  # the questionnaire model (and its expression language) waits for the
    # kiosk's first paint: the welcome page is built from this module
    from screening_app.engine.definition import Item

DESTRUCTIVE_GAP = 32  # px between a destructive button and its safe neighbour (at least 24)
INDENT = 32  # px per level: a section's items, a question's follow-ups (in a step or a row)


def nest(widget: QWidget, item: Item, lookup: Callable[[str], Item]) -> None:
    """Indent an item's widget beneath what it stands under (a section, the question it
    follows), INDENT px a level; `lookup` finds a step's item, or a row's field, by id."""
    depth, parent = 0, item.parent
    while parent is not None:
        depth, parent = depth + 1, lookup(parent).parent
    if depth:
        margins = widget.contentsMargins()
        widget.setContentsMargins(margins.left() + INDENT * depth, margins.top(), margins.right(),
                                  margins.bottom())


def make_label(text: str = "", role: str | None = None, *, rich: bool = False,
               heading: bool = False, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label; plain text unless `rich` (then the caller escapes); `heading`:
    announced as a heading to assistive technology (a step's title, a section's)."""
    label = HeadingLabel(parent) if heading else QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if role:
        label.setProperty("role", role)
    return label


def make_button(text: str, role: str = "secondary", *, parent: QWidget | None = None,
                accessible_name: str | None = None) -> QPushButton:
    """A push button that Enter activates when it has focus (like Space), outside dialogs too."""
    button = QPushButton(text, parent)
    button.setProperty("role", role)
    button.setAutoDefault(True)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    if accessible_name:
        button.setAccessibleName(accessible_name)
    return button


def escape(text: str) -> str:
    import html  # here: its table of entities is not needed before the kiosk's first paint

    return html.escape(text, quote=False)


def set_role(widget: QWidget, role: str | None) -> None:
    """Change a widget's style role and re-apply the style sheet to it."""
    set_style_property(widget, "role", role)


def set_style_property(widget: QWidget, name: str, value, *, also: tuple[QWidget, ...] = ()) -> None:
    """Set a property that style sheet rules select on, and re-apply the style sheet to
    `widget` and to the children in `also` whose rules name it (`#box[kind="x"] QLabel`)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    for each in (widget, *also):
        each.style().unpolish(each)
        each.style().polish(each)


class ProblemIcon(QWidget):
    """A drawn icon, so an error or warning never relies on colour alone.

    `error`: a circle with a cross; `warning`: a triangle with "!"; `ok`: a check mark;
    `info`: a circle with "i". Painted in the widget's text colour, at the font's size.
    """

    def __init__(self, kind: str = "error", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("")

    def set_kind(self, kind: str) -> None:
        if kind != self._kind:
            self._kind = kind
            self.update()

    def sizeHint(self) -> QSize:
        side = int(self.fontMetrics().height() * 1.3)
        return QSize(side, side)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_icon(painter, QRectF(self.rect()).adjusted(2, 2, -2, -2), self._kind,
                   self.palette().color(self.foregroundRole()))


def paint_icon(painter: QPainter, box: QRectF, kind: str, colour) -> None:
    side = min(box.width(), box.height())
    box = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
    width = max(2.0, side / 9)
    painter.save()
    painter.setPen(QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                        Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inner = box.adjusted(width, width, -width, -width)
    c = inner.center()
    r = inner.width() / 2
    if kind == "warning":
        path = QPainterPath(QPointF(c.x(), inner.top()))
        path.lineTo(inner.right(), inner.bottom())
        path.lineTo(inner.left(), inner.bottom())
        path.closeSubpath()
        painter.drawPath(path)
        painter.drawLine(QPointF(c.x(), inner.top() + r * 0.75), QPointF(c.x(), inner.bottom() - r * 0.55))
        painter.drawPoint(QPointF(c.x(), inner.bottom() - r * 0.25))
    elif kind == "ok":
        painter.drawEllipse(inner)
        path = QPainterPath(QPointF(c.x() - r * 0.45, c.y()))
        path.lineTo(c.x() - r * 0.1, c.y() + r * 0.35)
        path.lineTo(c.x() + r * 0.5, c.y() - r * 0.35)
        painter.drawPath(path)
    elif kind == "info":
        painter.drawEllipse(inner)
        painter.drawLine(QPointF(c.x(), c.y() - r * 0.05), QPointF(c.x(), c.y() + r * 0.5))
        painter.drawPoint(QPointF(c.x(), c.y() - r * 0.45))
    else:  # error
        painter.drawEllipse(inner)
        d = r * 0.38
        painter.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
        painter.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))
    painter.restore()


def text_colour(widget: QWidget):
    return widget.palette().color(QPalette.ColorRole.WindowText)
