"""New intake: the person's name and date of birth, a duplicate check, then desk or kiosk.

The three fields are the questionnaire's own items in the shared input widgets, checked
by a Session (a date of birth in the future is refused as the kiosk would refuse it).
When the store knows a candidate with the same names and date of birth (ignoring case,
accents and a swapped first/last name), the dialog says so and the coordinator chooses:
a new questionnaire for that same person, or a different person who happens to share
them. Nothing is created until a button at the bottom is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.definition import Questionnaire
from screening_app.i18n import LANGUAGE_NAMES, Translator
from screening_app.session import Session
from screening_app.store import CandidateRecord, PossibleDuplicate, Store, StoreError
from ui.desk import formatting as fmt
from ui.desk.store_text import store_message
from ui.desk.theme import fit
from ui.widgets import widget_for

FIELDS = ("first_name", "last_name", "date_of_birth")


@dataclass(frozen=True)
class IntakeStarted:
    submission_id: int
    at_desk: bool  # True: fill in at the desk now; False: hand to a kiosk


class NewIntakeDialog(QDialog):
    def __init__(self, store: Store, questionnaire: Questionnaire, actor: str, t: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new-intake")
        self.store, self.q, self.actor, self.t = store, questionnaire, actor, t
        self.setWindowTitle(t("desk.intake.title"))
        self.result_value: IntakeStarted | None = None
        self.matches: list[CandidateRecord] = []
        lang = t.lang if t.lang in questionnaire.languages else questionnaire.languages[0]
        self.session = Session(questionnaire, {}, lang=lang)
        intro = QLabel(t("desk.intake.intro"), self)
        intro.setWordWrap(True)
        self.widgets = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for item_id in FIELDS:
            widget = widget_for(questionnaire.item(item_id), self.session.t, parent=self)
            widget.changed.connect(lambda value, p=item_id: self._changed(p, value))
            self.widgets[item_id] = widget
            layout.addWidget(widget)

        self.lang_group = QButtonGroup(self)
        langs = QHBoxLayout()
        lang_label = QLabel(t("desk.intake.language"), self)
        langs.addWidget(lang_label)
        for code in questionnaire.languages:
            radio = QRadioButton(LANGUAGE_NAMES.get(code, code), self)
            radio.setObjectName(f"lang-{code}")
            radio.setProperty("lang", code)
            radio.setAccessibleName(t("desk.intake.language_of", language=LANGUAGE_NAMES.get(code, code)))
            radio.setChecked(code == questionnaire.languages[0])
            self.lang_group.addButton(radio)
            langs.addWidget(radio)
        langs.addStretch(1)
        layout.addLayout(langs)

        self.duplicates = QFrame(self)
        self.duplicates.setObjectName("duplicates")
        self.duplicates.setProperty("kind", "warning")
        dup = QVBoxLayout(self.duplicates)
        self.duplicate_text = QLabel("", self.duplicates)
        self.duplicate_text.setObjectName("duplicate-text")
        self.duplicate_text.setWordWrap(True)
        self.same_person = QRadioButton(t("desk.intake.same_person"), self.duplicates)
        self.same_person.setObjectName("same-person")
        self.other_person = QRadioButton(t("desk.intake.other_person"), self.duplicates)
        self.other_person.setObjectName("other-person")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.same_person)
        self.choice.addButton(self.other_person)
        self.choice.buttonToggled.connect(lambda *_: self._update_buttons())
        dup.addWidget(self.duplicate_text)
        dup.addWidget(self.same_person)
        dup.addWidget(self.other_person)
        self.duplicates.setVisible(False)
        layout.addWidget(self.duplicates)

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setProperty("kind", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.desk_button = QPushButton(t("desk.intake.fill_here"), self)
        self.desk_button.setObjectName("fill-here")
        self.kiosk_button = QPushButton(t("desk.intake.to_kiosk"), self)
        self.kiosk_button.setObjectName("to-kiosk")
        cancel = QPushButton(t("desk.common.cancel"), self)
        self.desk_button.clicked.connect(lambda: self.create(at_desk=True))
        self.kiosk_button.clicked.connect(lambda: self.create(at_desk=False))
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.kiosk_button)
        buttons.addWidget(self.desk_button)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.check_duplicates)
        fit(self, 44, 34)
        self._update_buttons()
        self.widgets["first_name"].focus_input()

    # -- the three answers ---------------------------------------------------------------

    def _changed(self, path: str, value) -> None:
        self.session.set_answer(path, value)
        self._timer.start()
        self._update_buttons()

    def values(self) -> dict[str, str]:
        return {p: self.session.answers[p] for p in FIELDS if self.session.answers.get(p)}

    def _problems(self) -> dict[str, object]:
        return {p.path: p for p in self.session.problems("about_you")
                if p.path in FIELDS and p.severity == "error"}

    def _update_buttons(self) -> None:
        problems = self._problems()
        for path, widget in self.widgets.items():
            shown = self.session.answers.get(path) is not None
            widget.set_problem(problems.get(path) if shown else None)
        ready = not problems and (not self.matches or self.choice.checkedButton() is not None)
        self.desk_button.setEnabled(ready)
        self.kiosk_button.setEnabled(ready)

    def check_duplicates(self) -> None:
        self._timer.stop()
        values = self.values()
        if self._problems() or len(values) < 3:
            matches = []
        else:
            try:
                matches = self.store.find_possible_duplicates(
                    values["first_name"], values["last_name"], values["date_of_birth"])
            except StoreError as error:
                self._say(store_message(error, self.t))
                return
        self._show_matches(matches)

    def _show_matches(self, matches: list[CandidateRecord]) -> None:
        if [m.id for m in matches] != [m.id for m in self.matches]:
            self.choice.setExclusive(False)
            self.same_person.setChecked(False)
            self.other_person.setChecked(False)
            self.choice.setExclusive(True)
        self.matches = matches
        if matches:
            lines = [self.t("desk.intake.duplicate_intro")]
            lines += [self.t("desk.intake.duplicate_line", id=m.id, name=m.display_name,
                             born=fmt.birth(m.date_of_birth, self.t), phone=m.phone or "—",
                             since=fmt.when(m.created_at, self.t)) for m in matches]
            self.duplicate_text.setText("\n".join(lines))
            self.same_person.setText(self.t("desk.intake.same_person_id", id=matches[0].id))
        self.duplicates.setVisible(bool(matches))
        if matches:
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- creating ------------------------------------------------------------------------

    def create(self, at_desk: bool) -> None:
        self.check_duplicates()
        if not self.desk_button.isEnabled():
            return
        values = self.values()
        lang = self.lang_group.checkedButton().property("lang")
        try:
            if self.matches and self.same_person.isChecked():
                candidate_id = self.matches[0].id
            else:
                candidate_id = self.store.create_candidate(
                    actor=self.actor, allow_duplicate=bool(self.matches), **values)
            submission_id = self.store.start_submission(self.q, lang, self.actor,
                                                        candidate_id=candidate_id)
            self.store.save_answers(submission_id, values, self.actor)
        except PossibleDuplicate as duplicate:  # someone else added them a moment ago
            self._show_matches(list(duplicate.matches))
            return
        except StoreError as error:
            self._say(store_message(error, self.t))
            return
        self.result_value = IntakeStarted(submission_id, at_desk)
        self.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()
            else:
                self.check_duplicates()
                self.focusNextChild()
            return
        super().keyPressEvent(event)
