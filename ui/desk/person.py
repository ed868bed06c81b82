"""Correct the person's details: the record that links a person's questionnaires.

The record is how the desk finds a person and links their questionnaires; what each
questionnaire says about them stays what was answered in it. This dialog is the one way
the record changes: its fields in the questionnaire's own input widgets (checked by a
Session as the kiosk checks them), every questionnaire of the person with what it says, a
tick box for each that should get the same correction as an answer edit (a withdrawn one
cannot; the one the dialog was opened from is ticked), what the correction would change
in each, and a reason. The store audits the record's old and new values and each edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.definition import Questionnaire
from screening_app.engine.display import format_answer
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from screening_app.store import Store, StoreError
from screening_app.store.candidates import CANDIDATE_FIELDS, as_text
from screening_app.store.records import PersonSubmission
from ui.desk import formatting as fmt
from ui.desk.store_text import store_message
from ui.desk.theme import fit
from ui.widgets import widget_for


class CorrectPersonDialog(QDialog):
    def __init__(self, store: Store, questionnaire: Questionnaire, candidate_id: int,
                 current_submission: int, actor: str, t: Translator,
                 parent: QWidget | None = None) -> None:
        """Raises the store's StoreError when the person cannot be read."""
        super().__init__(parent)
        self.setObjectName("correct-person")
        self.store, self.q, self.actor, self.t = store, questionnaire, actor, t
        self.candidate_id = candidate_id
        self.setWindowTitle(t("desk.person.title"))
        person = store.get_candidate(candidate_id)
        self.linked = store.person_submissions(candidate_id)
        self.fields = [f for f in CANDIDATE_FIELDS if f in questionnaire.items_by_id]
        self.recorded = {f: getattr(person, f) for f in self.fields}
        lang = t.lang if t.lang in questionnaire.languages else questionnaire.languages[0]
        self.session = Session(questionnaire, {f: v for f, v in self.recorded.items() if v},
                               lang=lang)
        self.corrected: list[int] | None = None  # after saving: the submissions edited too

        intro = QLabel(t("desk.person.intro"), self)
        intro.setWordWrap(True)
        form = QWidget(self)
        column = QVBoxLayout(form)
        self.widgets = {}
        for field in self.fields:
            widget = widget_for(questionnaire.item(field), self.session.t, parent=form)
            widget.set_value(self.recorded[field])
            widget.changed.connect(lambda value, f=field: self._changed(f, value))
            self.widgets[field] = widget
            column.addWidget(widget)
        column.addStretch(1)
        # The person's questionnaires beside the fields: what a correction touches is in
        # sight while it is typed.
        listing = QWidget(self)
        linked_column = QVBoxLayout(listing)
        heading = QLabel(t("desk.person.submissions"), listing)
        heading.setProperty("role", "section")
        heading.setWordWrap(True)
        linked_column.addWidget(heading)
        self.ticks: dict[int, QCheckBox] = {}
        self.effects: dict[int, QLabel] = {}
        for linked in self.linked:
            self._add_submission(linked_column, listing, linked, linked.id == current_submission)
        linked_column.addStretch(1)
        panes = QHBoxLayout()
        for pane in (form, listing):
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setWidget(pane)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            panes.addWidget(scroll, 1)

        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(t("desk.person.reason_hint"))
        self.reason.setAccessibleName(t("desk.person.reason"))
        self.reason.textChanged.connect(lambda *_: self._update())
        reason_label = QLabel(t("desk.person.reason"), self)
        reason_label.setBuddy(self.reason)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setProperty("kind", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(t("desk.person.save"))
        self.save_button.setObjectName("save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("desk.common.cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(panes, 1)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit(self, 80, 60)
        self._update()

    def _add_submission(self, column: QVBoxLayout, parent: QWidget, linked: PersonSubmission,
                        current: bool) -> None:
        t = self.t
        tick = QCheckBox(t("desk.person.submission", id=linked.id), parent)
        tick.setObjectName(f"correct-{linked.id}")
        withdrawn = linked.status == "withdrawn"
        tick.setEnabled(not withdrawn)
        tick.setChecked(current and not withdrawn)
        tick.toggled.connect(lambda *_: self._update())
        says = QLabel(t("desk.person.says", status=fmt.status_label(linked.status, t),
                        started=fmt.when(linked.started_at, t),
                        details=self._details(linked.said)), parent)
        says.setObjectName(f"says-{linked.id}")
        says.setWordWrap(True)
        effect = QLabel("", parent)
        effect.setObjectName(f"effect-{linked.id}")
        effect.setWordWrap(True)
        indent = tick.fontMetrics().horizontalAdvance("M") * 2
        for label in (says, effect):
            label.setIndent(indent)
        tick.setAccessibleDescription(says.text())
        column.addWidget(tick)
        column.addWidget(says)
        column.addWidget(effect)
        self.ticks[linked.id] = tick
        self.effects[linked.id] = effect

    def _details(self, said: dict[str, Any]) -> str:
        # Each value whole on its line ("+1 555 0161" never split after "+1").
        return " · ".join(self._shown(f, said.get(f)).replace(" ", "\u00a0") for f in self.fields)

    def _shown(self, field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        return format_answer(self.q.item(field), value, self.session.t)

    # -- what is being changed -----------------------------------------------------------

    def _changed(self, field: str, value: Any) -> None:
        self.session.set_answer(field, value)
        self._update()

    def changes(self) -> dict[str, Any]:
        """The record's fields as corrected, where they differ from what it holds."""
        typed = {f: self.session.answers.get(f) for f in self.fields}
        return {f: value for f, value in typed.items()
                if as_text(value) != as_text(self.recorded[f])}

    def chosen(self) -> list[int]:
        return [sid for sid, tick in self.ticks.items() if tick.isEnabled() and tick.isChecked()]

    def _problems(self) -> dict[str, Any]:
        return {p.path: p for p in self.session.problems()
                if p.path in self.widgets and p.severity == "error"}

    def _update(self) -> None:
        problems = self._problems()
        changes = self.changes()
        for field, widget in self.widgets.items():
            widget.set_problem(problems.get(field) if field in changes else None)
        for linked in self.linked:
            self.effects[linked.id].setText(self._effect(linked, changes))
        self.save_button.setEnabled(bool(changes) and not (problems.keys() & changes.keys())
                                    and bool(self.reason.text().strip()))

    def _effect(self, linked: PersonSubmission, changes: dict[str, Any]) -> str:
        t = self.t
        if linked.status == "withdrawn":
            return t("desk.person.withdrawn")
        if not self.ticks[linked.id].isChecked():
            return t("desk.person.untouched")
        edits = [t("desk.person.edit", question=self.q.item(f).label.get(self.session.lang),
                   old=self._shown(f, linked.said.get(f)), new=self._shown(f, value))
                 for f, value in changes.items() if as_text(value) != linked.said.get(f)]
        return "\n".join(edits) if edits else t("desk.person.no_edit")

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        try:
            self.corrected = self.store.correct_person(
                self.candidate_id, self.changes(), actor=self.actor,
                reason=self.reason.text(), submissions=self.chosen())
        except StoreError as error:
            self.message.setText(store_message(error, self.t))
            self.message.setVisible(True)
            return
        self.accept()
