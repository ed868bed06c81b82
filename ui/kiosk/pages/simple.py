"""Base of the kiosk's simple pages: a scrollable, centred column with the page's own texts
set by `retranslate`, made to fit the screen (`fit`).

Fitting: a person who has just chosen "Largest text" sees the page's buttons without
scrolling, at 1024x768 too. When the page is taller than the screen it is made tighter a
step at a time (FITS) until it fits: less space between its parts and around it, then side
by side what a page puts side by side (`arrange`: the welcome page's buttons, the icon
beside the title), then the page's own texts smaller, never below the text size's smallest
text (30 px at Largest). Buttons, fields and the resume code keep their size (`KEEP_SIZE`):
they are what a finger taps or what a person copies down. Where even the tightest is too
tall (a clinic's long thank-you words), the page's buttons (`action_bar`) leave the
scrolling column for a bar at the bottom of the page, always on the screen, and only the
texts above it scroll. A page is fitted when it is shown, and again when its size, text
size or words change while it is shown; never before the first paint of the screen (the
welcome page's start-up) and never while hidden (pages made early cost nothing).

A page that reads itself aloud puts its title in `title_row`: the title, and at the right
of the column, level with its top, a "Read aloud" button like a question's (named "Read
aloud: <the title>"). The window says `spoken(t)` when it is tapped and shows it, before
the page is shown, only where the voice speaks the language (never while the page is on
screen: a button appearing would move what is under a finger).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator
from ui.kiosk.chrome import ScrollContent, button_row, column, page_scroll_area, readable
from ui.kiosk.read_aloud import BUTTON
from ui.kiosk.theme import NORMAL_SIZES, Sizes
from ui.widgets.common import make_button

KEEP_SIZE = "keep-size"  # a label never made smaller to fit (the resume code)


@dataclass(frozen=True)
class Fit:
    """How tight a page is set: the space between its parts, above and below it, whether
    what can sit side by side does, and the scale of its own texts."""

    spacing: int
    margin: int
    side_by_side: bool
    scale: float


# The first is each page's own spacing (kept wherever the page fits as it was).
FITS = (Fit(20, 32, False, 1.0),
        Fit(14, 24, False, 1.0), Fit(14, 20, True, 1.0), Fit(12, 16, True, 0.9),
        Fit(10, 16, True, 0.8), Fit(8, 12, True, 0.7))


def role_size(role: str | None, s: Sizes) -> int:
    """A label's text size in the theme (ui/kiosk/theme.py), by its role."""
    return {"hero": s.hero, "title": s.title, "section": s.section, "subtitle": s.question,
            "question": s.question, "row-title": s.question, "caption": s.small,
            "muted": s.small}.get(role or "", s.base)


class SimplePage(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None, spacing: int = 24) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        scroll = page_scroll_area(self)
        holder = ScrollContent()
        self.column, self.body = column(holder, spacing)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll)
        self.scroll = scroll
        self.read_aloud: QPushButton | None = None
        self.fits = (replace(FITS[0], spacing=spacing), *FITS[1:])
        self.fit_level = 0
        self.docked = False  # the buttons in the bar at the bottom (`fit`)
        self.bar: QWidget | None = None
        self._dock_column: QWidget | None = None
        self._place = 0  # the bar's place in the column, while docked
        self._head: QBoxLayout | None = None
        self._sizes: Sizes = NORMAL_SIZES
        self._fitting = False
        self._pending = True  # fit when next shown

    def title_row(self, title: QLabel, icon: QWidget | None = None) -> QBoxLayout:
        """The page's title with its "Read aloud" beside it (hidden until the window shows
        it); `icon` above them, or beside the title when the page is tight."""
        self.read_aloud = make_button("", parent=self.column)
        self.read_aloud.setObjectName(BUTTON)
        self.read_aloud.setVisible(False)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(title, 1)
        row.addWidget(self.read_aloud, 0, Qt.AlignmentFlag.AlignTop)
        head = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        if icon is not None:
            head.addWidget(icon, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        head.addLayout(row, 1)
        self._head = head
        return head

    def action_bar(self, *buttons: QWidget) -> QWidget:
        """The page's buttons, in a row of their own that `fit` can move to the bottom."""
        bar = QWidget(self.column)
        bar.setObjectName("action-bar")
        row = button_row(*buttons)
        row.setContentsMargins(0, 0, 0, 0)
        bar.setLayout(row)
        self.bar = bar
        return bar

    def name_read_aloud(self, t: Translator, title: str) -> None:
        if self.read_aloud is not None:
            self.read_aloud.setText(t("kiosk.read_aloud"))
            self.read_aloud.setAccessibleName(t("kiosk.read_aloud_named", question=title))

    # -- fitting the screen --------------------------------------------------------------

    def fit(self, sizes: Sizes | None = None) -> None:
        """The roomiest of `fits` at which the whole page shows without scrolling; where
        none does, the tightest, with the buttons in the bar at the bottom. `sizes`: the
        text size's, when it changes."""
        if sizes is not None:
            self._sizes = sizes
        if self._fitting:
            return
        if not self.may_fit():
            self._pending = True
            return
        self._pending = False
        self._fitting = True
        try:
            self._dock(False)
            for level, fit in enumerate(self.fits):
                self._set_fit(fit)
                if self._needed_height() <= self.scroll.viewport().height():
                    self.fit_level = level
                    return
            self.fit_level = len(self.fits) - 1
            self._dock(True)
        finally:
            self._fitting = False

    def may_fit(self) -> bool:
        return self.isVisible()

    def arrange(self, side_by_side: bool, spacing: int) -> None:
        """Put side by side what this page can (the icon beside the title)."""
        if self._head is not None:
            self._head.setDirection(QBoxLayout.Direction.LeftToRight if side_by_side
                                    else QBoxLayout.Direction.TopToBottom)
            self._head.setSpacing(16 if side_by_side else spacing)

    def _set_fit(self, fit: Fit) -> None:
        self.body.setSpacing(fit.spacing)
        holder = self.scroll.widget().layout()
        sides = holder.contentsMargins()
        holder.setContentsMargins(sides.left(), fit.margin, sides.right(), fit.margin)
        self.arrange(fit.side_by_side, fit.spacing)
        s = self._sizes
        for label in self.column.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if label.property(KEEP_SIZE):
                continue
            px = role_size(label.property("role"), s)
            style = "" if fit.scale == 1 else f"font-size: {max(s.small, round(px * fit.scale))}px;"
            if label.styleSheet() != style:
                label.setStyleSheet(style)
        # The rows inside keep the heights they measured before (the title's, at the old
        # text size, for one): every one of them measures again.
        for layout in self.column.findChildren(QLayout):
            layout.invalidate()

    def _dock(self, docked: bool) -> None:
        """The buttons' bar at the bottom of the page (under the scrolling texts, lined up
        with the column) or back at the end of the column."""
        if self.bar is None or docked == self.docked:
            return
        self.docked = docked
        if self._dock_column is None:
            self._dock_column = self._make_dock()
        if docked:
            self._dock_column.setMaximumWidth(self.column.maximumWidth())
            self._place = self.body.indexOf(self.bar)
            self.body.removeWidget(self.bar)
            self._dock_column.layout().addWidget(self.bar)
        else:
            self._dock_column.layout().removeWidget(self.bar)
            self.body.insertWidget(self._place, self.bar)
        self._dock_column.parentWidget().setVisible(docked)
        self.bar.show()

    def _make_dock(self) -> QWidget:
        """Under the scroll area, a line above it like the steps' footer (not their
        footer's smaller buttons); returns its column, lined up with the page's."""
        dock = QFrame(self)
        dock.setObjectName("action-dock")
        row = QHBoxLayout(dock)
        row.setContentsMargins(32, 12, 32 + self.scroll.verticalScrollBar().sizeHint().width(), 12)
        inner = readable(QWidget(dock), self.column.maximumWidth())
        QVBoxLayout(inner).setContentsMargins(0, 0, 0, 0)
        row.addWidget(inner, 100)
        self.layout().addWidget(dock)
        return inner

    def _column_width(self) -> int:
        margins = self.scroll.widget().layout().contentsMargins()
        room = self.scroll.viewport().width() - margins.left() - margins.right()
        return min(self.column.maximumWidth(), room)

    def _needed_height(self) -> int:
        margins = self.scroll.widget().layout().contentsMargins()
        return self.column.heightForWidth(self._column_width()) + margins.top() + margins.bottom()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending:
            self.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def spoken(self, t: Translator) -> str:
        """What the page's "Read aloud" says (pages with a `title_row`)."""
        raise NotImplementedError

    def retranslate(self, t: Translator) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget anything a person entered or was shown."""
