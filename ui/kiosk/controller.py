"""The kiosk's one session: a Session (what is shown, what is wrong) and the store calls.

Saving: every change is written through the store as it happens, on the UI thread.
Measured on the clinic laptop class of disk (WAL, synchronous=FULL) a `save_answer` takes
about 0.5 ms (worst of 50: 2 ms), so a worker thread would add ordering problems and buy
nothing; everything happens in the order the person acted. Typed text is saved 300 ms
after the last keystroke (not on every key) and at once when the field loses focus, on
Next/Back, on "Take a break", at the idle timeout and before submitting, so nothing typed
is lost. Choices are saved at once (after any typing still waiting).

A failed save (disk full, database locked, ...) keeps the unsaved answers waiting, says so
on screen, and is retried with the next change; the store's message goes to the log (it
never holds patient data).

Privacy: the controller holds at most one submission, the one started here or resumed
with its own code; it has no way to list or search others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from screening_app.store import ErrorCode, StoreError
from screening_app.store.settings import SETTINGS

if TYPE_CHECKING:
    from screening_app.engine.definition import Questionnaire
    from screening_app.engine.session import Session

log = logging.getLogger(__name__)

ACTOR = "kiosk"


@dataclass(frozen=True)
class Resumed:
    step_id: str | None  # where the person was; None when the draft has no steps left
    text_size: str = "normal"  # the look the person had chosen, kept with the draft
    high_contrast: bool = False


class KioskController(QObject):
    saved = Signal(object)  # {path: value} once the store has committed it
    save_failed = Signal(str)  # the StoreError's code (the window chooses its words)
    save_recovered = Signal()

    def __init__(self, store: Any, questionnaire_loader, *, save_delay_ms: int = 300,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._load_questionnaire = questionnaire_loader
        self._questionnaire: Questionnaire | None = None
        self.session: Session | None = None
        self.submission_id: int | None = None
        self.code: str | None = None
        self._pending: dict[str, Any] = {}
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(save_delay_ms)
        self._timer.timeout.connect(self.flush)

    @property
    def questionnaire(self) -> Questionnaire:
        if self._questionnaire is None:
            self._questionnaire = self._load_questionnaire()
        return self._questionnaire

    def warm_up(self) -> None:
        """Load the questionnaire and what the store's first save needs (once the welcome
        page is on screen: Start then only has to start)."""
        _ = self.questionnaire
        self.store.prepare_for_changes()

    @property
    def active(self) -> bool:
        return self.session is not None

    # -- starting and resuming -----------------------------------------------------------

    def start(self, lang: str) -> None:
        """A new draft for a new, still anonymous candidate. Raises StoreError."""
        from screening_app.engine.session import Session

        questionnaire = self.questionnaire
        submission_id = self.store.start_submission(questionnaire, lang, ACTOR)
        self.submission_id = submission_id
        self.code = self.store.get_submission(submission_id).code
        self.session = Session(questionnaire, {}, lang=lang)

    def resume(self, code: str) -> Resumed:
        """Open the draft with this resume code. Raises StoreError (NotFound) otherwise."""
        from screening_app.engine.session import Session
        from screening_app.store import ErrorCode, NotFound

        record = self.store.find_submission(code)
        if record.status != "draft":
            raise NotFound(ErrorCode.NO_CODE)  # the same words as a code never given
        questionnaire = self.store.questionnaire_for(record.id)
        answers = self.store.answers(record.id)
        confirmed = self.store.confirmed_paths(record.id)
        self.submission_id = record.id
        self.code = record.code
        self.session = Session(questionnaire, answers, lang=record.lang, confirmed=confirmed)
        step = record.current_step
        visible = [s.id for s in self.session.visible_steps()]
        if step not in visible:
            step = visible[0] if visible else None
        return Resumed(step, record.text_size, record.high_contrast)

    # -- saving --------------------------------------------------------------------------

    def record(self, answers: dict[str, Any], immediate: bool) -> None:
        """Answers the session already holds; save now, or soon for typing."""
        if self.submission_id is None:
            return
        for path, value in answers.items():
            self._pending.pop(path, None)  # keep the order of the last change
            self._pending[path] = value
        if immediate:
            self.flush()
        else:
            self._timer.start()

    def confirm(self, path: str, confirmed: bool) -> None:
        if self.submission_id is None or self.session is None:
            return
        if not self.flush():
            return
        try:
            self.store.save_answer(self.submission_id, path, self.session.answers.get(path), ACTOR,
                                   confirmed=confirmed)
        except StoreError as error:
            self._failed(error)

    def flush(self) -> bool:
        """Write every waiting answer in one transaction; False when the store refused."""
        self._timer.stop()
        if not self._pending or self.submission_id is None:
            return True
        batch = dict(self._pending)
        try:
            if len(batch) == 1:
                (path, value), = batch.items()
                self.store.save_answer(self.submission_id, path, value, ACTOR)
            else:
                self.store.save_answers(self.submission_id, batch, ACTOR)
        except StoreError as error:
            self._failed(error)
            return False
        for path, value in batch.items():
            if self._pending.get(path, object()) == value:
                del self._pending[path]
        if self._failing:
            self._failing = False
            self.save_recovered.emit()
        self.saved.emit(batch)
        return True

    def _failed(self, error: StoreError) -> None:
        log.warning("kiosk save failed: %s", error.message)
        self._failing = True
        self.save_failed.emit(error.code)

    def set_display(self, text_size: str, high_contrast: bool) -> None:
        """Keep the person's text size and contrast with their draft."""
        if self.submission_id is None:
            return
        try:
            self.store.set_display(self.submission_id, text_size, high_contrast)
        except StoreError as error:
            self._failed(error)

    def set_step(self, step_id: str) -> None:
        if self.submission_id is None:
            return
        try:
            self.store.set_current_step(self.submission_id, step_id)
        except StoreError as error:
            self._failed(error)

    def submit(self) -> None:
        """Flush, then submit. Raises StoreError (SubmissionIncomplete with `problems`)."""
        if not self.flush():
            raise StoreError(ErrorCode.ANSWERS_NOT_SAVED)
        self.store.submit(self.submission_id, ACTOR)

    # -- ending --------------------------------------------------------------------------

    def end(self) -> None:
        """Save what is waiting and forget the session (the draft stays in the store)."""
        self.flush()
        self._timer.stop()
        self._pending.clear()
        self.session = None
        self.submission_id = None
        self.code = None
        self._failing = False

    def idle_seconds(self) -> int:
        return self.setting("kiosk_idle_seconds")

    def contact_days(self) -> int:
        """Working days within which the study team calls back (the thank-you page says so)."""
        return self.setting("kiosk_contact_working_days")

    def setting(self, key: str) -> Any:
        """The clinic's setting (checked by the store's registry); its default when the
        store cannot be read just now."""
        try:
            return self.store.get_setting(key)
        except StoreError:
            return SETTINGS[key].default
