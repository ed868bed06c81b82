"""The first page: what this is, how long it takes (when the questionnaire says), that
answers are saved, the language, and Start. "Continue with a code" resumes a draft after a break."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QWidget

from screening_app.engine.spoken import spoken
from screening_app.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, tr
from ui.kiosk.chrome import StatusBox, button_row
from ui.kiosk.pages.simple import SimplePage
from ui.widgets.common import make_button, make_label
from ui.widgets.options import OptionRadio


class WelcomePage(SimplePage):
    start_clicked = Signal(str)
    resume_clicked = Signal()
    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, languages: tuple[str, ...] = tuple(LANGUAGES)) -> None:
        super().__init__("welcome", parent, spacing=20)
        self.offered = languages  # the questionnaire's languages: no other is offered
        self.lang = languages[0]
        self.clinic = make_label("", "subtitle", parent=self.column)
        self.hero = make_label("", "hero", parent=self.column)
        self.study = make_label("", "subtitle", parent=self.column)
        self.points = [make_label("", parent=self.column) for _ in range(3)]
        self.language_caption = make_label("", "question", parent=self.column)
        self.languages = QButtonGroup(self)
        language_row = QHBoxLayout()
        language_row.setSpacing(16)
        self.language_buttons: dict[str, OptionRadio] = {}
        for lang in languages:
            button = OptionRadio(LANGUAGE_NAMES[lang], self.column)
            button.setObjectName(f"lang-{lang}")
            button.setAccessibleName(LANGUAGE_NAMES[lang])
            self.languages.addButton(button)
            self.language_buttons[lang] = button
            button.toggled.connect(lambda checked, code=lang: checked and self._language(code))
            language_row.addWidget(button)
        self.language_buttons[self.lang].setChecked(True)
        single = len(languages) == 1  # nothing to choose
        self.language_caption.setVisible(not single)
        for button in self.language_buttons.values():
            button.setVisible(not single)
        self.start = make_button("", "primary", parent=self.column)
        self.start.setObjectName("start")
        self.start.setMinimumWidth(320)
        self.start.clicked.connect(lambda: self.start_clicked.emit(self.lang))
        self.resume = make_button("", parent=self.column)
        self.resume.setObjectName("resume")
        self.resume.clicked.connect(self.resume_clicked)
        # For whoever comes back after the screen was cleared (idle time, a break).
        self.stepped_away = make_label("", "help", parent=self.column)
        self.stepped_away.setObjectName("stepped-away")
        self.status = StatusBox(self.column)
        # Beside the title, where it is seen first. It shows once the machine's voice is
        # known (seconds after the page); its room is kept until then, and kept where there
        # is no voice, so nothing moves when it comes.
        self.read_aloud = make_button("", parent=self.column)
        self.read_aloud.setObjectName("read-aloud")
        keep = self.read_aloud.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.read_aloud.setSizePolicy(keep)
        self.read_aloud.setVisible(False)
        self.body.addWidget(self.clinic)
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(self.hero, 1)
        title_row.addWidget(self.read_aloud, 0, Qt.AlignmentFlag.AlignVCenter)
        self.body.addLayout(title_row)
        self.body.addWidget(self.study)
        for point in self.points:
            self.body.addWidget(point)
        self.body.addSpacing(8)
        self.body.addWidget(self.language_caption)
        self.body.addLayout(language_row)
        self.body.addSpacing(8)
        self.body.addWidget(self.status)
        self.body.addLayout(button_row(self.start))
        self.body.addLayout(button_row(self.resume))
        self.body.addWidget(self.stepped_away)
        self.body.addStretch(1)

    def _language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self.language_chosen.emit(lang)

    def retranslate(self, t: Translator, clinic: str = "", study: str = "",
                    minutes: int | None = None) -> None:
        """`minutes`: the questionnaire's `estimated_minutes`; None (not said, or the
        questionnaire not loaded yet) leaves the line out rather than guess a time."""
        self.clinic.setText(clinic)
        self.clinic.setVisible(bool(clinic))
        self.hero.setText(t("kiosk.welcome.title"))
        self.study.setText(study)
        self.study.setVisible(bool(study))
        duration, saved, private = self.points
        if minutes is not None:
            duration.setText("•  " + t.plural("kiosk.welcome.time", minutes, minutes=minutes))
        duration.setVisible(minutes is not None)
        saved.setText("•  " + t("kiosk.welcome.saved"))
        private.setText("•  " + t("kiosk.welcome.private"))
        if not self.language_caption.text():
            self.language_caption.setText(t("kiosk.welcome.language"))
        self.start.setText(t("kiosk.welcome.start"))
        self.resume.setText(t("kiosk.welcome.resume"))
        staff = t("kiosk.welcome.stepped_away_staff")
        self.stepped_away.setText(t("kiosk.welcome.stepped_away", staff=staff))
        self.read_aloud.setText(t("kiosk.read_aloud"))
        self.read_aloud.setAccessibleName(t("kiosk.read_aloud_page"))

    def spoken(self, t: Translator) -> str:
        """What "Read aloud" says on this page, in its language."""
        points = [label.text().lstrip("• ") for label in self.points if not label.isHidden()]
        return spoken(self.clinic.text(), self.hero.text(), self.study.text(), *points,
                      t("kiosk.welcome.spoken_how"), self.stepped_away.text())

    def show_every_language(self) -> None:
        """The language caption in every language, so anyone can find their own (this reads
        every catalogue, so the window calls it just after the first paint)."""
        self.language_caption.setText(" · ".join(tr(lang, "kiosk.welcome.language") for lang in self.offered))

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.language_buttons[lang].setChecked(True)

    def reset(self) -> None:
        self.status.show_message(None)
        self.scroll.verticalScrollBar().setValue(0)
