"""Pages for a pause: "Take a break" (shows the resume code) and "Are you still there?"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from screening_app.engine.spoken import spoken
from screening_app.i18n import Translator
from ui.kiosk.pages.simple import KEEP_SIZE, SimplePage
from ui.widgets.common import ProblemIcon, make_button, make_label


class BreakPage(SimplePage):
    """The answers are saved; here is the code to continue later."""

    continue_clicked = Signal()
    finish_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("break", parent)
        self.icon = ProblemIcon("ok", self.column)
        self.icon.setMinimumSize(64, 64)
        self.title = make_label("", "title", parent=self.column)
        self.code_intro = make_label("", "question", parent=self.column)
        self.code = make_label("", "code", parent=self.column)
        self.code.setObjectName("break-code")
        self.code.setWordWrap(False)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.code.setProperty(KEEP_SIZE, True)  # copied down by hand: never made smaller
        self.how = make_label("", parent=self.column)
        self.privacy = make_label("", "help", parent=self.column)
        self.finish = make_button("", parent=self.column)
        self.finish.setObjectName("break-finish")
        self.finish.clicked.connect(self.finish_clicked)
        self.resume = make_button("", "primary", parent=self.column)
        self.resume.setObjectName("break-continue")
        self.resume.clicked.connect(self.continue_clicked)
        self.body.addLayout(self.title_row(self.title, self.icon))
        self.body.addWidget(self.code_intro)
        self.body.addWidget(self.code, 0, Qt.AlignmentFlag.AlignLeft)
        for widget in (self.how, self.privacy):
            self.body.addWidget(widget)
        self.body.addWidget(self.action_bar(self.finish, self.resume))
        self.body.addStretch(1)
        self._t = Translator("en")

    def retranslate(self, t: Translator) -> None:
        self.title.setText(t("kiosk.break.title"))
        self.code_intro.setText(t("kiosk.break.code_intro"))
        self.how.setText(t("kiosk.break.how"))
        self.privacy.setText(t("kiosk.break.privacy"))
        self.finish.setText(t("kiosk.break.finish"))
        self.resume.setText(t("kiosk.break.continue"))
        self.name_read_aloud(t, t("kiosk.break.title"))
        self._t = t

    def spoken(self, t: Translator) -> str:
        """Everything but the code: said aloud, it would open this person's draft to anyone
        within earshot (docs/kiosk.md, "Read aloud on the simple pages")."""
        return spoken(self.title.text(), t("kiosk.break.spoken_code"), self.how.text(),
                      self.privacy.text())

    def show_code(self, code: str) -> None:
        self.code.setText(code)
        self.code.setAccessibleName(self._t("kiosk.break.code_spoken", code=" ".join(code)))

    def reset(self) -> None:
        self.code.setText("")
        self.code.setAccessibleName("")


class IdlePage(SimplePage):
    """Full screen: are you still there? A countdown, and one big button to stay."""

    stay_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("idle", parent, spacing=32)
        self.title = make_label("", "hero", parent=self.column)
        self.countdown = make_label("", "question", parent=self.column)
        self.countdown.setObjectName("idle-countdown")
        self.saved = make_label("", parent=self.column)
        self.stay = make_button("", "primary", parent=self.column)
        self.stay.setObjectName("idle-stay")
        self.stay.setMinimumWidth(400)
        self.stay.clicked.connect(self.stay_clicked)
        self.body.addStretch(1)
        self.body.addLayout(self.title_row(self.title))
        for widget in (self.countdown, self.saved):
            self.body.addWidget(widget)
        self.body.addWidget(self.action_bar(self.stay))
        self.body.addStretch(2)
        self._t: Translator | None = None

    def retranslate(self, t: Translator) -> None:
        self._t = t
        self.title.setText(t("kiosk.idle.title"))
        self.saved.setText(t("kiosk.idle.saved"))
        self.stay.setText(t("kiosk.idle.stay"))
        self.name_read_aloud(t, t("kiosk.idle.title"))

    def spoken(self, t: Translator) -> str:
        """The title, the seconds left as the page shows them when tapped, and what to do."""
        return spoken(self.title.text(), self.countdown.text(), self.saved.text(),
                      t("kiosk.idle.spoken_how"))

    def set_seconds(self, seconds: int) -> None:
        if self._t is not None:
            self.countdown.setText(self._t("kiosk.idle.countdown", seconds=seconds))
