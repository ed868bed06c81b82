"""New intake: the person's name and date of birth, a duplicate check, then desk or kiosk.

The three fields are the questionnaire's own items in the shared input widgets, checked
by a Session (a date of birth in the future is refused as the kiosk would refuse it). A
questionnaire without them (one `import-definition` converted, run with `--definition`)
takes the shipped questionnaire's: the person is recorded all the same, and the new
submission gets no answers its questionnaire does not ask.
When the store knows candidates with the same names and date of birth (ignoring case,
accents and a swapped first/last name), the dialog shows each with their submissions as
the work list shows them (ID, code, status, started) and the coordinator chooses: which
of them it is (a new questionnaire for that person, or *Open the existing draft* when
they have one), or a different person who happens to share them. When the chosen
person's recorded names are spelled differently from the typed ones, both are shown and
the coordinator chooses which the new questionnaire starts with; the person's record
keeps its spelling (the store audits the link with both). Nothing is created until a
button at the bottom is pressed.
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
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.definition import Questionnaire
from screening_app.engine.display import unbroken
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.engine.session import Session
from screening_app.i18n import LANGUAGE_NAMES, Translator
from screening_app.store import CandidateRecord, PossibleDuplicate, Store, StoreError
from screening_app.store.people import spelled_differently
from screening_app.store.records import SubmissionRow
from ui.desk import formatting as fmt
from ui.desk.store_text import store_message
from ui.desk.theme import fit
from ui.widgets import widget_for

FIELDS = ("first_name", "last_name", "date_of_birth")


MAX_LISTED = 5  # submissions listed per matching person


@dataclass(frozen=True)
class IntakeStarted:
    submission_id: int
    at_desk: bool  # True: fill in at the desk now; False: hand to a kiosk
    existing: bool = False  # an existing draft was opened; nothing was created


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
        # The three fields are the questionnaire's own items; one that lacks them (a
        # --definition that import-definition converted) still records the person, with
        # the shipped questionnaire's fields and checks, and its answers stay the person's.
        identity = questionnaire if all(f in questionnaire.items_by_id for f in FIELDS) \
            else load_questionnaire(shipped_questionnaire_path())
        self.identity_step = identity.step_of[FIELDS[0]]
        self.session = Session(identity, {}, lang=lang if lang in identity.languages
                               else identity.languages[0])
        intro = QLabel(t("desk.intake.intro"), self)
        intro.setWordWrap(True)
        self.widgets = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for item_id in FIELDS:
            widget = widget_for(identity.item(item_id), self.session.t, parent=self)
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
            radio.setChecked(code == lang)  # the desk's language, when the questionnaire has it
            self.lang_group.addButton(radio)
            langs.addWidget(radio)
        langs.addStretch(1)
        layout.addLayout(langs)

        self.duplicates = QFrame(self)
        self.duplicates.setObjectName("duplicates")
        self.duplicates.setProperty("kind", "warning")
        self.duplicate_layout = QVBoxLayout(self.duplicates)
        self.duplicate_text = QLabel(t("desk.intake.duplicate_intro"), self.duplicates)
        self.duplicate_text.setObjectName("duplicate-text")
        self.duplicate_text.setWordWrap(True)
        self.duplicate_layout.addWidget(self.duplicate_text)
        self.choice = QButtonGroup(self)
        self.choice.buttonToggled.connect(lambda *_: self._update_buttons())
        self.person_radios: list[QRadioButton] = []  # one per matching candidate
        self.person_rows: list[QWidget] = []
        self.other_person = QRadioButton(t("desk.intake.other_person"), self.duplicates)
        self.other_person.setObjectName("other-person")
        self.choice.addButton(self.other_person)
        self.duplicate_layout.addWidget(self.other_person)
        self.drafts: dict[int, int] = {}  # candidate id -> their newest draft
        self._add_spelling_choice()
        self.duplicates.setVisible(False)
        # Scrolls when the matches and the spelling choice need more room than the window
        # has (150 % text on a small screen), so the buttons stay in sight.
        self.duplicates_area = QScrollArea(self)
        self.duplicates_area.setWidgetResizable(True)
        self.duplicates_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.duplicates_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.duplicates_area.setWidget(self.duplicates)
        self.duplicates_area.setVisible(False)
        layout.addWidget(self.duplicates_area, 1)

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setProperty("kind", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.open_draft_button = QPushButton(t("desk.intake.open_draft", id=""), self)
        self.open_draft_button.setObjectName("open-draft")
        self.open_draft_button.clicked.connect(self.open_draft)
        self.open_draft_button.setVisible(False)
        self.desk_button = QPushButton(t("desk.intake.fill_here"), self)
        self.desk_button.setObjectName("fill-here")
        self.kiosk_button = QPushButton(t("desk.intake.to_kiosk"), self)
        self.kiosk_button.setObjectName("to-kiosk")
        cancel = QPushButton(t("desk.common.cancel"), self)
        self.desk_button.clicked.connect(lambda: self.create(at_desk=True))
        self.kiosk_button.clicked.connect(lambda: self.create(at_desk=False))
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.open_draft_button)
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
        return {p.path: p for p in self.session.problems(self.identity_step)
                if p.path in FIELDS and p.severity == "error"}

    def _update_buttons(self) -> None:
        problems = self._problems()
        for path, widget in self.widgets.items():
            shown = self.session.answers.get(path) is not None
            widget.set_problem(problems.get(path) if shown else None)
        chosen = self.chosen_candidate()
        spelling = self._show_spelling(chosen)
        ready = not problems and (not self.matches or self.choice.checkedButton() is not None)
        ready = ready and (not spelling or self.spelling_group.checkedButton() is not None)
        self.desk_button.setEnabled(ready)
        self.kiosk_button.setEnabled(ready)
        draft = self.drafts.get(chosen.id) if chosen is not None else None
        self.open_draft_button.setVisible(draft is not None)
        if draft is not None:
            self.open_draft_button.setText(self.t("desk.intake.open_draft", id=draft))
        # The person's draft is carried on, never a second one started unasked.
        self.desk_button.setText(self.t("desk.intake.draft_here" if draft is not None
                                        else "desk.intake.fill_here"))
        self.kiosk_button.setText(self.t("desk.intake.draft_to_kiosk" if draft is not None
                                         else "desk.intake.to_kiosk"))
        (self.open_draft_button if draft is not None else self.desk_button).setDefault(True)

    # -- the same person, spelled differently ---------------------------------------------

    def _add_spelling_choice(self) -> None:
        """Both spellings, when the chosen person's recorded names differ from the typed
        ones: the coordinator chooses which the new questionnaire starts with (the record
        itself never changes here)."""
        self.spelling = QFrame(self.duplicates)
        self.spelling.setObjectName("spelling")
        column = QVBoxLayout(self.spelling)
        column.setContentsMargins(0, 0, 0, 0)
        self.spelling_text = QLabel("", self.spelling)
        self.spelling_text.setObjectName("spelling-text")
        self.spelling_text.setWordWrap(True)
        self.spelling_group = QButtonGroup(self)
        self.spelling_group.buttonToggled.connect(lambda *_: self._update_buttons())
        self.spelling_recorded = QRadioButton(self.spelling)
        self.spelling_recorded.setObjectName("spelling-recorded")
        self.spelling_typed = QRadioButton(self.spelling)
        self.spelling_typed.setObjectName("spelling-typed")
        column.addWidget(self.spelling_text)
        for radio in (self.spelling_recorded, self.spelling_typed):
            self.spelling_group.addButton(radio)
            column.addWidget(radio)
        self.spelling.setVisible(False)
        self._spelling_shown: tuple | None = None
        self.duplicate_layout.addWidget(self.spelling)
        self.duplicate_layout.addStretch(1)  # spare room below the choices, not between them

    def _show_spelling(self, chosen: CandidateRecord | None) -> bool:
        """Show the spelling choice when it is needed; whether it is."""
        typed = self.values()
        needed = chosen is not None and spelled_differently(
            {"first_name": chosen.first_name, "last_name": chosen.last_name}, typed)
        shown = (chosen.id, typed.get("first_name"), typed.get("last_name")) if needed else None
        if shown != self._spelling_shown:  # another person or other names: choose again
            self._spelling_shown = shown
            self.spelling_group.setExclusive(False)
            self.spelling_recorded.setChecked(False)
            self.spelling_typed.setChecked(False)
            self.spelling_group.setExclusive(True)
            if needed:
                typed_name = " ".join(typed.get(f, "") for f in ("first_name", "last_name")).strip()
                t = self.t
                self.spelling_text.setText(t("desk.intake.spelling"))
                self.spelling.setToolTip(t("desk.intake.spelling_note"))
                for radio in (self.spelling_recorded, self.spelling_typed):
                    radio.setAccessibleDescription(t("desk.intake.spelling_note"))
                self.spelling_recorded.setText(t("desk.intake.spelling_recorded",
                                                 name=chosen.display_name))
                self.spelling_typed.setText(t("desk.intake.spelling_typed", name=typed_name))
        if needed and not self.spelling.isVisible():
            self.spelling.setVisible(True)
            self._grow_for_duplicates()
            QTimer.singleShot(0, lambda: self.duplicates_area.ensureWidgetVisible(self.spelling))
        self.spelling.setVisible(needed)
        return needed

    def _grow_for_duplicates(self) -> None:
        """Taller, so the matches (and the spelling choice) show without scrolling, as far
        as the window has room; beyond that the area scrolls."""
        self.layout().activate()
        width = self.duplicates_area.viewport().width() or self.width()
        needs = self.duplicates.heightForWidth(width)
        if needs <= 0:
            needs = self.duplicates.sizeHint().height()
        extra = needs - self.duplicates_area.viewport().height()
        room = (self.parentWidget().window().height() - 60 if self.parentWidget() is not None
                else self.height() + extra)
        if extra > 0:
            self.resize(self.width(), max(self.height(), min(self.height() + extra, room)))

    @property
    def same_person(self) -> QRadioButton | None:
        """The first matching person's choice (the only one, usually)."""
        return self.person_radios[0] if self.person_radios else None

    def chosen_candidate(self) -> CandidateRecord | None:
        checked = self.choice.checkedButton()
        if checked is None or checked is self.other_person:
            return None
        return self.matches[self.person_radios.index(checked)]

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
        if [m.id for m in matches] == [m.id for m in self.matches]:
            self._update_buttons()
            return
        try:
            listed = {m.id: self.store.list_submissions(candidate_id=m.id, limit=MAX_LISTED)
                      for m in matches}
        except StoreError as error:
            self._say(store_message(error, self.t))
            return
        self.choice.setExclusive(False)
        self.other_person.setChecked(False)
        self.choice.setExclusive(True)
        for radio, row in zip(self.person_radios, self.person_rows, strict=True):
            self.choice.removeButton(radio)
            radio.deleteLater()
            row.deleteLater()
        self.person_radios, self.person_rows, self.drafts = [], [], {}
        self.matches = matches
        for number, match in enumerate(matches):
            self._add_person(number, match, listed[match.id])
        self.duplicates.setVisible(bool(matches))
        self.duplicates_area.setVisible(bool(matches))
        if matches:
            self._grow_for_duplicates()
        self._update_buttons()

    def _add_person(self, number: int, match: CandidateRecord, rows: list[SubmissionRow]) -> None:
        """A choice "It is this person" with their submissions as the work list names them."""
        t = self.t
        key = "desk.intake.same_person" if len(self.matches) == 1 else "desk.intake.this_person"
        radio = QRadioButton(t(key), self.duplicates)
        radio.setObjectName(f"same-person-{number}")
        self.choice.addButton(radio)
        person = t("desk.intake.person", name=match.display_name,
                   born=fmt.birth(match.date_of_birth, t),
                   phone=unbroken(match.phone) if match.phone else "—")
        lines = [person] + [t("desk.intake.submission_line", id=row.id, code=row.code,
                                status=fmt.status_label(row.status, t),
                                started=fmt.when(row.started_at, t)) for row in rows]
        if not rows:
            lines.append(t("desk.intake.no_submissions"))
        # A radio button's text never wraps: the person and their submissions are a label
        # below it (which wraps), and its accessible description.
        listing = QLabel("\n".join(lines), self.duplicates)
        listing.setObjectName(f"submissions-{number}")
        listing.setWordWrap(True)
        listing.setIndent(radio.fontMetrics().horizontalAdvance("M") * 2)
        listing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        radio.setAccessibleName(f"{t(key)} {person}")
        radio.setAccessibleDescription(" ".join(lines[1:]))
        drafts = [row.id for row in rows if row.status == "draft"]
        if drafts:
            self.drafts[match.id] = drafts[0]  # newest first
        at = self.duplicate_layout.indexOf(self.other_person)
        self.duplicate_layout.insertWidget(at, radio)
        self.duplicate_layout.insertWidget(at + 1, listing)
        self.person_radios.append(radio)
        self.person_rows.append(listing)

    def open_draft(self) -> None:
        """The chosen person's draft, as it is: nothing new is created."""
        chosen = self.chosen_candidate()
        draft = self.drafts.get(chosen.id) if chosen is not None else None
        if draft is not None:
            self.result_value = IntakeStarted(draft, at_desk=False, existing=True)
            self.accept()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- creating ------------------------------------------------------------------------

    def create(self, at_desk: bool) -> None:
        self.check_duplicates()
        if not self.desk_button.isEnabled():
            return
        chosen = self.chosen_candidate()
        draft = self.drafts.get(chosen.id) if chosen is not None else None
        if draft is not None:  # their draft, at the desk or at a kiosk: nothing new
            self.result_value = IntakeStarted(draft, at_desk)
            self.accept()
            return
        values = self.values()
        lang = self.lang_group.checkedButton().property("lang")
        try:
            chosen = self.chosen_candidate()
            if chosen is not None:  # the record is not changed; both spellings are audited
                submission_id = self.store.start_for_person(
                    self.q, lang, self.actor, chosen.id, values,
                    use_typed=self.spelling.isVisible() and self.spelling_typed.isChecked())
            else:
                candidate_id = self.store.create_candidate(
                    actor=self.actor, allow_duplicate=bool(self.matches), **values)
                submission_id = self.store.start_submission(self.q, lang, self.actor,
                                                            candidate_id=candidate_id)
                answers = {k: v for k, v in values.items() if k in self.q.items_by_id}
                if answers:
                    self.store.save_answers(submission_id, answers, self.actor)
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
