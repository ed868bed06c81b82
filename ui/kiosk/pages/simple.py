"""Base of the kiosk's simple pages: a scrollable, centred column (nothing is ever cut off
at the larger text size) with the page's own texts set by `retranslate`.

A page that reads itself aloud puts its title in `title_row`: the title, and at the right
of the column, level with its top, a "Read aloud" button like a question's (named "Read
aloud: <the title>"). The window says `spoken(t)` when it is tapped and shows it, before
the page is shown, only where the voice speaks the language (never while the page is on
screen: a button appearing would move what is under a finger).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from screening_app.i18n import Translator
from ui.kiosk.chrome import ScrollContent, column, page_scroll_area
from ui.kiosk.read_aloud import BUTTON
from ui.widgets.common import make_button


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
        outer.addWidget(scroll)
        self.scroll = scroll
        self.read_aloud: QPushButton | None = None

    def title_row(self, title: QLabel) -> QHBoxLayout:
        """The page's title with its "Read aloud" beside it (hidden until the window shows it)."""
        self.read_aloud = make_button("", parent=self.column)
        self.read_aloud.setObjectName(BUTTON)
        self.read_aloud.setVisible(False)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(title, 1)
        row.addWidget(self.read_aloud, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def name_read_aloud(self, t: Translator, title: str) -> None:
        if self.read_aloud is not None:
            self.read_aloud.setText(t("kiosk.read_aloud"))
            self.read_aloud.setAccessibleName(t("kiosk.read_aloud_named", question=title))

    def spoken(self, t: Translator) -> str:
        """What the page's "Read aloud" says (pages with a `title_row`)."""
        raise NotImplementedError

    def retranslate(self, t: Translator) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget anything a person entered or was shown."""
