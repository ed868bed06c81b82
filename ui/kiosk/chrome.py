"""Pieces every kiosk page shares: the top bar with the text-size and contrast toggles, a
status box (icon + text), the page's scroll area (dragged with a finger), and a centred,
readable column for page content."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from screening_app.i18n import Translator
from ui.kiosk.touch import mark_drag_scrolling
from ui.widgets.common import ProblemIcon, make_label, set_style_property
from ui.widgets.options import OptionCheck

COLUMN_WIDTH = 1120  # the widest text column at the normal size; the theme sets each size's
READABLE = "readable-column"  # the property that marks a column whose width follows the theme


class TopBar(QFrame):
    """Study name on the left; "Larger text", "Largest text" and "High contrast" on the
    right, on every page. The two sizes are one choice: ticking one unticks the other, and
    unticking the one that is on goes back to the normal size."""

    text_size_chosen = Signal(str)  # "normal", "larger" or "largest"
    contrast_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topbar")
        self.name = BarName(self)
        self.larger = OptionCheck("", self)
        self.larger.setObjectName("toggle-larger")
        self.largest = OptionCheck("", self)
        self.largest.setObjectName("toggle-largest")
        self.contrast = OptionCheck("", self)
        self.contrast.setObjectName("toggle-contrast")
        for toggle in self.toggles():
            policy = toggle.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Maximum)
            toggle.setSizePolicy(policy)
        self.larger.toggled.connect(lambda on: self.text_size_chosen.emit("larger" if on else "normal"))
        self.largest.toggled.connect(lambda on: self.text_size_chosen.emit("largest" if on else "normal"))
        self.contrast.toggled.connect(self.contrast_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 6, 24, 6)
        layout.setSpacing(16)
        layout.addWidget(self.name, 1)
        for toggle in self.toggles():
            layout.addWidget(toggle)

    def toggles(self) -> list[OptionCheck]:
        return [self.larger, self.largest, self.contrast]

    def retranslate(self, t: Translator, name: str) -> None:
        self.name.set_name(name)
        self.larger.setText(t("kiosk.a11y.larger"))
        self.largest.setText(t("kiosk.a11y.largest"))
        self.contrast.setText(t("kiosk.a11y.contrast"))
        for toggle in self.toggles():
            toggle.setAccessibleName(toggle.text())
            toggle.updateGeometry()

    def set_states(self, text: str, contrast: bool) -> None:
        states = ((self.larger, text == "larger"), (self.largest, text == "largest"),
                  (self.contrast, contrast))
        for toggle, state in states:
            toggle.blockSignals(True)
            toggle.setChecked(state)
            toggle.blockSignals(False)


class BarName(QLabel):
    """The clinic's name in the top bar: at most two lines, cut short with "…" when the
    toggles leave less room. Wrapped freely, a long name at 1024 px and Largest text got a
    few letters a line and made the bar 264 px tall, pushing the welcome page's Start off
    the screen. The whole name is its accessible name (the welcome page shows it too)."""

    LINES = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "muted")
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.full = ""

    def set_name(self, name: str) -> None:
        self.full = name
        self.setAccessibleName(name)
        self._cut()

    def heightForWidth(self, width: int) -> int:
        return min(super().heightForWidth(width), self._most())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), self._most()))

    def _most(self) -> int:
        return self.LINES * self.fontMetrics().lineSpacing() + 2

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._cut()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._cut()

    def _cut(self) -> None:
        """The name, or as much of it as two lines of this width hold, then "…"."""
        metrics = self.fontMetrics()
        width = max(1, self.width())
        room = self.LINES * metrics.lineSpacing()
        text, cut = self.full, self.LINES * width

        def fits(words: str) -> bool:
            box = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, words)
            return box.height() <= room and box.width() <= width

        while text and not fits(text):  # a few rounds: each takes a word's width off
            cut -= metrics.averageCharWidth() * 6
            text = metrics.elidedText(self.full, Qt.TextElideMode.ElideRight, max(0, cut))
            if len(text) <= 2:  # no room for even a word: nothing rather than "…"
                text = ""
        if text != self.text():
            self.setText(text)


class StatusBox(QFrame):
    """A message with an icon, e.g. "2 answers need your attention"; hidden when empty.

    `kind` "error" (red, a cross) or "warning" (amber, a triangle: only answers to check).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status")
        self.setProperty("severity", "error")
        self.icon = ProblemIcon("error", self)
        self.text = make_label("", parent=self)
        self.text.setObjectName("status-text")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(12)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self.setVisible(False)

    def show_message(self, text: str | None, kind: str = "error") -> None:
        self.icon.set_kind(kind)
        set_style_property(self, "severity", kind, also=(self.text, self.icon))
        self.text.setText(text or "")
        self.setAccessibleName(text or "")
        self.setVisible(bool(text))

    def message(self) -> str:
        return self.text.text() if self.isVisibleTo(self.parentWidget()) else ""


class FooterStatus(StatusBox):
    """The footer's message, between Back and Next: it never changes the footer's height.

    Its room is kept while it is empty (nothing moves when it comes or goes), it is never
    taller than the buttons beside it (its text is made smaller until it fits), and the
    count of answers needing attention is a button: tapping it (or Enter) goes to the first
    of them, as GOV.UK's error summary and SurveyJS do.
    """

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.layout().setContentsMargins(10, 2, 10, 2)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.clickable = False

    def show_message(self, text: str | None, kind: str = "error", *, clickable: bool = False) -> None:
        super().show_message(text, kind)
        self.clickable = bool(text) and clickable
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.clickable else Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.clickable else Qt.CursorShape.ArrowCursor)
        self._fit()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)  # the buttons beside it decide the row's height

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 0)

    def hasHeightForWidth(self) -> bool:
        # Its word-wrapped text would otherwise ask the row for the height of the text at
        # full size, before _fit makes it smaller: at Largest text a two-line count raised
        # the footer by 12 px and moved Back and Next 6 px up.
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit()

    def _fit(self) -> None:
        """The style's text size, or a smaller one (not below 14 px) when it does not fit."""
        label = self.text
        label.setStyleSheet("")
        margins = self.layout().contentsMargins()
        room = QSize(max(1, label.width()), self.height() - margins.top() - margins.bottom())
        size = label.font().pixelSize()
        while size > 14 and label.heightForWidth(room.width()) > room.height():
            size -= 1
            label.setStyleSheet(f"font-size: {size}px;")

    def mouseReleaseEvent(self, event) -> None:
        if self.clickable and event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.clicked.emit()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.clickable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class ScrollContent(QWidget):
    """What a scroll area scrolls: exactly as tall as its content needs at its width.

    (A word-wrapped label's minimum height is measured at a narrow width; left alone, the
    scroll area would add that much empty space below the content.)
    """

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


def page_scroll_area(parent: QWidget) -> QScrollArea:
    """The vertical scroll area of a page: no frame, never a focus stop, dragged by a finger."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Its width always kept: a bar that came and went moved the whole page sideways.
    scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    mark_drag_scrolling(scroll)  # the window turns it on just after its first paint
    return scroll


def column(parent: QWidget, spacing: int = 24) -> tuple[QWidget, QVBoxLayout]:
    """A centred column of at most COLUMN_WIDTH px in `parent`: returns (column, its layout)."""
    outer = QHBoxLayout(parent)
    outer.setContentsMargins(32, 32, 32, 32)
    inner = QWidget(parent)
    readable(inner)
    inner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    outer.addStretch(0)
    outer.addWidget(inner, 100)
    outer.addStretch(0)
    return inner, layout


def readable(widget: QWidget, width: int = COLUMN_WIDTH) -> QWidget:
    """Mark `widget` as a text column: as wide as the screen allows, up to `width`
    (set_column_width changes it with the text size)."""
    widget.setProperty(READABLE, True)
    widget.setMaximumWidth(width)
    return widget


def set_column_width(root: QWidget, width: int) -> None:
    """Every text column in `root` (and `root` itself) at most `width` px wide."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.property(READABLE) and widget.maximumWidth() != width:
            widget.setMaximumWidth(width)


def button_row(*buttons: QWidget, stretch_first: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(16)
    if stretch_first:
        row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    if not stretch_first:
        row.addStretch(1)
    return row
