"""Base of the kiosk's simple pages: a scrollable, centred column (nothing is ever cut off
at the larger text size) with the page's own texts set by `retranslate`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from screening_app.i18n import Translator
from ui.kiosk.chrome import ScrollContent, column, page_scroll_area


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

    def retranslate(self, t: Translator) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget anything a person entered or was shown."""
