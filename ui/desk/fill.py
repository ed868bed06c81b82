"""Fill in a draft at the desk: the kiosk's step forms, saved through the store as you go.

The coordinator (or the candidate, on the desk's screen) answers step by step in the same
widgets and with the same Session as the kiosk, in the candidate's language. Choices are
saved at once; typed text when the field is left or after a short pause, so the audit log
holds answers, not keystrokes. The signed-in user is the actor of every change. Closing
the dialog keeps the draft where it was (the kiosk or the desk can continue it later).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.session import Session
from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, SubmissionIncomplete
from ui.desk.store_text import store_message
from ui.desk.theme import fit
from ui.widgets.form import StepForm

SAVE_DELAY_MS = 400


class DeskFillDialog(QDialog):
    saved = Signal(int)  # submission id, after answers were stored
    submitted = Signal(int)

    def __init__(self, store: Store, submission_id: int, actor: str, t: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("desk-fill")
        self.store, self.submission_id, self.actor, self.t = store, submission_id, actor, t
        record = store.get_submission(submission_id)
        q = store.questionnaire_for(submission_id)
        self.session = Session(q, store.answers(submission_id), lang=record.lang,
                               confirmed=store.confirmed_paths(submission_id))
        self.setWindowTitle(t("desk.fill.title", code=record.code))
        answers = self.session.answers
        name = " ".join(str(answers[k]) for k in ("first_name", "last_name") if answers.get(k))
        self.header = QLabel(t("desk.fill.header", name=name or t("desk.list.no_name"),
                               code=record.code, language=t(f"desk.lang.{record.lang}")), self)
        self.header.setObjectName("fill-header")
        self.header.setProperty("role", "section")
        self.forms: dict[str, StepForm] = {}
        self.current: str | None = None
        self._pending: dict[str, Any] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

        self.steps = QListWidget(self)
        self.steps.setObjectName("steps")
        self.steps.setAccessibleName(t("desk.fill.steps"))
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.setFixedWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        self.steps.itemActivated.connect(self._jump)
        self.steps.itemClicked.connect(self._jump)
        self.stack = QStackedWidget(self)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.stack)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.back = QPushButton(t("desk.fill.back"), self)
        self.back.setObjectName("back")
        self.next = QPushButton(t("desk.fill.next"), self)
        self.next.setObjectName("next")
        self.close_button = QPushButton(t("desk.fill.save_close"), self)
        self.close_button.setObjectName("save-close")
        self.back.clicked.connect(self.go_back)
        self.next.clicked.connect(self.go_next)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        body = QHBoxLayout()
        body.addWidget(self.steps)
        body.addWidget(self.scroll, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        fit(self, 80, 54)
        visible = [s.id for s in self.session.visible_steps()]
        start = record.current_step if record.current_step in visible else visible[0]
        self.show_step(start)

    # -- steps --------------------------------------------------------------------------

    def show_step(self, step_id: str) -> None:
        form = self.forms.get(step_id)
        if form is None:
            form = StepForm(self.session, step_id, self.stack)
            form.answers_changed.connect(self._answers_changed)
            form.confirmation_changed.connect(self._confirmation_changed)
            form.edit_finished.connect(self.flush)
            self.forms[step_id] = form
            self.stack.addWidget(form)
        self.current = step_id
        self.stack.setCurrentWidget(form)
        form.refresh()
        form.apply_prefill()
        self.scroll.verticalScrollBar().setValue(0)
        self._say("")
        self._update_nav()
        try:
            self.store.set_current_step(self.submission_id, step_id)
        except StoreError as error:
            self._say(store_message(error, self.t))
        first = form.first_input()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_nav(self) -> None:
        visible = self.session.visible_steps()
        self.steps.blockSignals(True)
        self.steps.clear()
        for number, step in enumerate(visible, start=1):
            entry = QListWidgetItem(f"{number}. {step.title.get(self.session.lang)}")
            entry.setData(Qt.ItemDataRole.UserRole, step.id)
            self.steps.addItem(entry)
            if step.id == self.current:
                self.steps.setCurrentItem(entry)
        self.steps.blockSignals(False)
        last = self.session.next_step(self.current) is None
        self.back.setEnabled(self.session.previous_step(self.current) is not None)
        self.next.setText(self.t("desk.fill.submit" if last else "desk.fill.next"))

    def _jump(self, entry: QListWidgetItem) -> None:
        step_id = entry.data(Qt.ItemDataRole.UserRole)
        if step_id and step_id != self.current:
            self.forms[self.current].finish_edits()
            if self.flush():
                self.show_step(step_id)

    def go_back(self) -> None:
        previous = self.session.previous_step(self.current)
        self.forms[self.current].finish_edits()
        if previous and self.flush():
            self.show_step(previous)

    def go_next(self) -> None:
        form = self.forms[self.current]
        form.finish_edits()
        if not self.flush():
            return
        if form.reveal_problems() is not None:
            self._say(self.t("desk.fill.step_problems", count=form.blocking_count()))
            return
        following = self.session.next_step(self.current)
        if following is not None:
            self.show_step(following)
        else:
            self.submit()

    def submit(self) -> None:
        try:
            self.store.submit(self.submission_id, self.actor)
        except SubmissionIncomplete as error:
            first = next((p.path for p in error.problems), None)
            step = self.session.questionnaire.step_of.get(first.split("[")[0]) if first else None
            if step and step != self.current:
                self.show_step(step)
            self.forms[self.current].reveal_problems()
            self._say(store_message(error, self.t))
            return
        except StoreError as error:
            self._say(store_message(error, self.t))
            return
        self.submitted.emit(self.submission_id)
        self.done(QDialog.DialogCode.Accepted)

    # -- saving -------------------------------------------------------------------------

    def _answers_changed(self, answers: dict[str, Any], immediate: bool) -> None:
        for path, value in answers.items():
            self._pending[path] = value
        if immediate:
            self.flush()
        else:
            self._timer.start()
        self._update_nav()

    def _confirmation_changed(self, path: str, confirmed: bool) -> None:
        if self.flush():
            self._save(lambda: self.store.save_answer(
                self.submission_id, path, self.session.answers.get(path), self.actor,
                confirmed=confirmed))

    def flush(self) -> bool:
        """Store the answers waiting to be saved; False (and a message) when that failed."""
        self._timer.stop()
        if not self._pending:
            return True
        pending, self._pending = self._pending, {}
        if self._save(lambda: self.store.save_answers(self.submission_id, pending, self.actor)):
            return True
        self._pending = {**pending, **self._pending}  # kept for the next try
        return False

    def _save(self, action) -> bool:
        try:
            action()
        except StoreError as error:
            self._say(self.t("desk.fill.not_saved", message=store_message(error, self.t)))
            return False
        self._say("")
        self.saved.emit(self.submission_id)
        return True

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def keyPressEvent(self, event) -> None:
        """Enter moves to the next field (never closes the dialog); on a button it presses it."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)

    def close_now(self) -> None:
        """Sign-out: save what can be saved, then close whatever happens (privacy first)."""
        if self.current is not None:
            self.forms[self.current].finish_edits()
        self.flush()
        super().done(QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        if self.current is not None:
            self.forms[self.current].finish_edits()
        if not self.flush():
            return  # the message says what failed; the dialog stays open with the answers
        super().done(result)
