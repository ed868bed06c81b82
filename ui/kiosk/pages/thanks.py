"""Thank you: the answers were sent; what happens next. Never anything about eligibility or
flags. The window returns to the welcome page by itself after a short time."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from screening_app.engine.spoken import spoken
from screening_app.i18n import Translator
from ui.kiosk.pages.simple import SimplePage
from ui.widgets.common import ProblemIcon, make_button, make_label


class ThanksPage(SimplePage):
    finish_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("thanks", parent)
        self.icon = ProblemIcon("ok", self.column)
        self.icon.setMinimumSize(72, 72)
        self.title = make_label("", "hero", parent=self.column)
        self.sent = make_label("", "question", parent=self.column)
        self.next_title = make_label("", "subtitle", parent=self.column)
        self.next_text = make_label("", parent=self.column)
        self.contact = make_label("", "question", parent=self.column)
        self.contact.setObjectName("thanks-contact")
        self.leave = make_label("", "help", parent=self.column)
        self.finish = make_button("", "primary", parent=self.column)
        self.finish.setObjectName("thanks-finish")
        self.finish.clicked.connect(self.finish_clicked)
        self.body.addLayout(self.title_row(self.title, self.icon))
        for widget in (self.sent, self.next_title, self.next_text, self.contact,
                       self.leave):
            self.body.addWidget(widget)
        self.body.addWidget(self.action_bar(self.finish))
        self.body.addStretch(1)

    def retranslate(self, t: Translator, contact_days: int = 0, clinic_words: str = "") -> None:
        """`contact_days`: the clinic's `kiosk_contact_working_days` setting; `clinic_words`:
        its `kiosk_thank_you_<lang>` in this language, said instead of the built-in contact
        line when set. Only that line: the paragraph saying the questionnaire decides
        nothing stays whatever the clinic writes."""
        self.title.setText(t("kiosk.thanks.title"))
        self.sent.setText(t("kiosk.thanks.sent"))
        self.next_title.setText(t("kiosk.thanks.next_title"))
        self.next_text.setText(t("kiosk.thanks.next"))
        self.contact.setText(clinic_words or t.plural("kiosk.thanks.contact", contact_days))
        self.leave.setText(t("kiosk.thanks.leave"))
        self.finish.setText(t("kiosk.thanks.done"))
        self.name_read_aloud(t, t("kiosk.thanks.title"))

    def spoken(self, t: Translator) -> str:
        """The page as it reads, the clinic's own words included where they are set."""
        return spoken(self.title.text(), self.sent.text(), self.next_title.text(), self.next_text.text(),
                      self.contact.text(), self.leave.text())
