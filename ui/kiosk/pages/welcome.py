"""The first page: what this is, how long it takes (when the questionnaire says), that
answers are saved, the language, and Start. "Continue with a code" resumes a draft after a break.

It fits the screen as every simple page does (ui/kiosk/pages/simple.py, `fit`): a person
who has just chosen "Largest text" sees Start and "Continue with a code" without
scrolling, at 1024x768 too. Side by side, when the page is tight: the language caption
beside the languages and the two buttons. The language rows keep their size: they are
touch targets. Fitting starts after the first paint (start-up time).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QBoxLayout, QButtonGroup, QHBoxLayout, QWidget

from screening_app.engine.spoken import spoken
from screening_app.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, tr
from ui.kiosk.chrome import StatusBox
from ui.kiosk.pages.simple import SimplePage
from ui.widgets.common import make_button, make_label
from ui.widgets.options import OptionRadio

SIDE_GAP = 32  # between Start and "Continue with a code" side by side (a shaking hand)


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
        for point in self.points:
            point.setObjectName("point")
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
        # Caption above the languages, or beside them when the page is tight (`fit`).
        self.language_box = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.language_box.addWidget(self.language_caption)
        self.language_box.addLayout(language_row, 1)
        self.body.addLayout(self.language_box)
        self.body.addSpacing(8)
        self.body.addWidget(self.status)
        # Start above "Continue with a code", or beside it when the page is tight.
        self.actions = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.actions.addWidget(self.start, 0, Qt.AlignmentFlag.AlignLeft)
        self.actions.addWidget(self.resume, 0, Qt.AlignmentFlag.AlignLeft)
        actions_row = QHBoxLayout()
        actions_row.addLayout(self.actions)
        actions_row.addStretch(1)
        self.body.addLayout(actions_row)
        self.body.addWidget(self.stepped_away)
        self.body.addStretch(1)
        self._painted = False  # no fitting before the first paint (start-up time)
        self.status.installEventFilter(self)  # a message above the buttons: fit again

    # -- fitting the screen --------------------------------------------------------------

    def may_fit(self) -> bool:
        return self._painted and self.isVisible()

    def arrange(self, side_by_side: bool, spacing: int) -> None:
        beside = side_by_side and self._room_beside()
        self.language_box.setDirection(QBoxLayout.Direction.LeftToRight if beside
                                       else QBoxLayout.Direction.TopToBottom)
        self.language_box.setSpacing(16 if beside else spacing)
        self.actions.setDirection(QBoxLayout.Direction.LeftToRight if beside
                                  else QBoxLayout.Direction.TopToBottom)
        self.actions.setSpacing(SIDE_GAP if beside else spacing)

    def _room_beside(self) -> bool:
        """Whether the two buttons fit side by side in the column (the caption beside the
        languages wraps if it must)."""
        width = self._column_width()
        return self.start.sizeHint().width() + SIDE_GAP + self.resume.sizeHint().width() <= width

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True  # fit once the page is on the screen (it fits at first)
            QTimer.singleShot(0, self, self.fit)
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.status and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.fit()
        return False

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
        self.fit()

    def spoken(self, t: Translator) -> str:
        """What "Read aloud" says on this page, in its language."""
        points = [label.text().lstrip("• ") for label in self.points if not label.isHidden()]
        return spoken(self.clinic.text(), self.hero.text(), self.study.text(), *points,
                      t("kiosk.welcome.spoken_how"), self.stepped_away.text())

    def show_every_language(self) -> None:
        """The language caption in every language, so anyone can find their own (this reads
        every catalogue, so the window calls it just after the first paint)."""
        self.language_caption.setText(" · ".join(tr(lang, "kiosk.welcome.language") for lang in self.offered))
        self.fit()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.language_buttons[lang].setChecked(True)

    def reset(self) -> None:
        self.status.show_message(None)
        self.scroll.verticalScrollBar().setValue(0)
