"""Pieces every kiosk page shares: the top bar with the text-size and contrast toggles, a
status box (icon + text), the page's scroll area (dragged with a finger), and a centred,
readable column for page content."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from screening_app.i18n import Translator
from ui.kiosk.touch import mark_drag_scrolling
from ui.widgets.common import ProblemIcon, make_label, set_style_property
from ui.widgets.options import OptionCheck

COLUMN_WIDTH = 1040  # a comfortable line length, even on a 1920 px screen


class TopBar(QFrame):
    """Study name on the left; "Larger text" and "High contrast" on the right, on every page."""

    larger_toggled = Signal(bool)
    contrast_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topbar")
        self.name = make_label("", "muted", parent=self)
        self.name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.larger = OptionCheck("", self)
        self.larger.setObjectName("toggle-larger")
        self.contrast = OptionCheck("", self)
        self.contrast.setObjectName("toggle-contrast")
        for toggle in (self.larger, self.contrast):
            policy = toggle.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Maximum)
            toggle.setSizePolicy(policy)
        self.larger.toggled.connect(self.larger_toggled)
        self.contrast.toggled.connect(self.contrast_toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(16)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.larger)
        layout.addWidget(self.contrast)

    def retranslate(self, t: Translator, name: str) -> None:
        self.name.setText(name)
        self.larger.setText(t("kiosk.a11y.larger"))
        self.contrast.setText(t("kiosk.a11y.contrast"))
        for toggle in (self.larger, self.contrast):
            toggle.setAccessibleName(toggle.text())
            toggle.updateGeometry()

    def set_states(self, larger: bool, contrast: bool) -> None:
        for toggle, state in ((self.larger, larger), (self.contrast, contrast)):
            toggle.blockSignals(True)
            toggle.setChecked(state)
            toggle.blockSignals(False)


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
    mark_drag_scrolling(scroll)  # the window turns it on just after its first paint
    return scroll


def column(parent: QWidget, spacing: int = 24) -> tuple[QWidget, QVBoxLayout]:
    """A centred column of at most COLUMN_WIDTH px in `parent`: returns (column, its layout)."""
    outer = QHBoxLayout(parent)
    outer.setContentsMargins(32, 32, 32, 32)
    inner = QWidget(parent)
    inner.setMaximumWidth(COLUMN_WIDTH)
    inner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    outer.addStretch(0)
    outer.addWidget(inner, 100)
    outer.addStretch(0)
    return inner, layout


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
