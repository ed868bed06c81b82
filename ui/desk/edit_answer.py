"""Edit one answer of a submission, in the same input widget the kiosk uses.

The dialog only collects the new value and shows problems as they arise (from a scratch
Session holding the other answers, so branching and cross-checks apply); the submission
view asks for the reason and saves through the store, which audits the change and
recomputes the flags.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.answers import item_for_path
from screening_app.engine.display import format_answer, question_label
from screening_app.engine.session import Session
from ui.desk.theme import fit
from ui.widgets import widget_for


class EditAnswerDialog(QDialog):
    def __init__(self, session: Session, path: str, parent: QWidget | None = None, *,
                 whole: bool = True) -> None:
        """`whole`: the rest of the questionnaire must stay complete (after submission)."""
        super().__init__(parent)
        self.whole = whole
        self.setObjectName("edit-answer")
        q = session.questionnaire
        t = session.t
        self.session = Session(q, dict(session.answers), lang=session.lang, today=session.today,
                               confirmed=set(session.confirmed))
        self.path = path
        self.item = item_for_path(q, path)
        self.original = session.answers.get(path)
        self.confirmed = path in session.confirmed
        self.setWindowTitle(t("desk.edit.title", question=question_label(q, path, session.answers, t)))
        self.before = QLabel(t("desk.edit.before", answer=format_answer(self.item, self.original, t)),
                             self)
        self.before.setWordWrap(True)
        self.before.setObjectName("before")
        self.widget = widget_for(self.item, t, path, self)
        self.widget.set_value(self.original)
        self.widget.changed.connect(self._changed)
        self.widget.confirm_toggled.connect(self._confirm)
        self.note = QLabel("", self)
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setProperty("kind", "error")
        self.note.setVisible(False)
        # The input sits at the top of the scroll area (with room below), instead of being
        # stretched over its height: a one-line answer would leave its question, its help
        # and its field scattered down the dialog.
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.widget)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(t("desk.edit.save"))
        self.save_button.setObjectName("save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("desk.common.cancel"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.before)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        fit(self, 54, 40)
        # No taller than the content needs (a long choice list still gets the full height).
        needed = self.sizeHint().height() + holder.sizeHint().height()
        if needed < self.height():
            self.resize(self.width(), needed)
        self._value: Any = self.original
        self._check()
        self.widget.focus_input()

    def value(self) -> Any:
        return self._value

    def _changed(self, value: Any) -> None:
        self._value = value
        self.session.set_answer(self.path, value)
        self.confirmed = False
        self._check()

    def _confirm(self, checked: bool) -> None:
        self.confirmed = checked
        self.session.confirm_warning(self.path, checked)
        self._check()

    def _check(self) -> None:
        """Problems of this answer next to it; other answers the change breaks, below."""
        t = self.session.t
        problems = self.session.problems()
        own = [p for p in problems if p.path == self.path]
        own.sort(key=lambda p: p.severity != "error")
        self.widget.set_problem(own[0] if own and self._value != self.original else None)
        others = [p for p in problems if p.path != self.path and p.severity == "error"
                  and self.whole]
        blocked = any(p.severity == "error" or not p.confirmed for p in own)
        if others:
            names = ", ".join(sorted({question_label(self.session.questionnaire, p.path,
                                                 self.session.answers, t) for p in others}))
            self.note.setText(t("desk.edit.breaks_others", items=names))
        self.note.setVisible(bool(others))
        self.save_button.setEnabled(self._value != self.original and not blocked and not others)

    def _accept(self) -> None:
        self.widget.finish_edit()
        if self.save_button.isEnabled():
            self.accept()
