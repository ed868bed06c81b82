"""The kiosk's one session: a Session (what is shown, what is wrong) and the store calls.

Saving: every change is written through the store as it happens, on the UI thread.
Measured on the clinic laptop class of disk (WAL, synchronous=FULL) a `save_answer` takes
about 0.5 ms (worst of 50: 2 ms), so a worker thread would add ordering problems and buy
nothing; everything happens in the order the person acted. Typed text is saved 300 ms
after the last keystroke (not on every key) and at once when the field loses focus, on
Next/Back, on "Take a break", at the idle timeout and before submitting, so nothing typed
is lost. Choices are saved at once (after any typing still waiting).

When the store cannot take a change (a clinic server that cannot be reached, a busy or
full disk), the change waits in memory, in order, with every later one
(store/pending.py: never on disk), the person carries on, the footer says saving is
paused (`paused`), and at each new change and every RETRY_MS it tries again: a store that
answered (busy, a full disk) directly, a server that could not be reached through a thread
that asks first (`Store.reachable`: one that does not answer would freeze the UI thread);
then the waiting changes are written in order, each with its audit rows (`resumed`). A
submission made meanwhile waits too, and is sent when they are (`submitted`). Changes
the store refuses for good are dropped and said (`save_failed`); the store's message
goes to the log (it never holds patient data).

Privacy: the controller holds at most one submission, the one started here or resumed
with its own code; it has no way to list or search others. Changes still waiting when a
person's session ends stay queued (in memory) until written; nothing shows them.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from screening_app.store import ErrorCode, StoreError
from screening_app.store.pending import PendingChanges

if TYPE_CHECKING:
    from screening_app.engine.definition import Questionnaire
    from screening_app.engine.session import Session

log = logging.getLogger(__name__)

ACTOR = "kiosk"
RETRY_MS = 2000  # between asking whether a store that failed takes changes again


@dataclass(frozen=True)
class Resumed:
    step_id: str | None  # where the person was; None when the draft has no steps left
    text_size: str = "normal"  # the look the person had chosen, kept with the draft
    high_contrast: bool = False


class KioskController(QObject):
    saved = Signal(object)  # {path: value} once the store has committed it
    save_failed = Signal(str)  # a change refused for good: the StoreError's code
    paused = Signal(str)  # changes wait in memory: the code of what stopped them
    resumed = Signal()  # every waiting change is written
    submitted = Signal(int)  # a submission that had to wait was sent
    _probed = Signal(bool)  # from the thread that asks whether the store is back

    def __init__(self, store: Any, questionnaire_loader, *, save_delay_ms: int = 300,
                 retry_ms: int = RETRY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._load_questionnaire = questionnaire_loader
        self._questionnaire: Questionnaire | None = None
        self.session: Session | None = None
        self.submission_id: int | None = None
        self.code: str | None = None
        self._typing: dict[str, Any] = {}  # typed answers not yet handed on (save_delay_ms)
        self.changes = PendingChanges(ACTOR)
        self.waiting: StoreError | None = None  # why changes wait (None: they do not)
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(save_delay_ms)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._probe)
        self._probed.connect(self._after_probe)

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
        from screening_app.store import DatabaseUnavailable, NotFound

        record = self.store.find_submission(code)  # the store answers again, if it was away
        if any(change.submission_id == record.id for change in self.changes):
            self._write(back=True)  # this draft's own changes still waiting: in first
            if any(change.submission_id == record.id for change in self.changes):
                raise DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=self.store.location)
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
            self._typing.pop(path, None)  # keep the order of the last change
            self._typing[path] = value
        if immediate:
            self.flush()
        else:
            self._timer.start()

    def confirm(self, path: str, confirmed: bool) -> None:
        if self.submission_id is None or self.session is None:
            return
        self._hand_on_typing()
        self.changes.confirm(self.submission_id, path, self.session.answers.get(path), confirmed)
        self._write()

    def flush(self) -> bool:
        """Hand on what was typed and write every waiting change; False while some wait."""
        self._hand_on_typing()
        self._write()
        return not self.changes

    def _hand_on_typing(self) -> None:
        self._timer.stop()
        if self._typing and self.submission_id is not None:
            self.changes.answers(self.submission_id, self._typing)
        self._typing = {}

    def _write(self, back: bool = False) -> StoreError | None:
        """Write the waiting changes in order; while a server is known to be away, only
        once a thread found it back (`back`). Returns the refusal of a submission, if that
        is what stopped."""
        was_waiting = self.waiting is not None
        if was_waiting and self.waiting.code == ErrorCode.SERVER_UNREACHABLE and not back:
            if self.changes:
                self._probe()  # a new change: ask now rather than at the next retry
            return None
        self.waiting = None  # a store that answered (busy, full): trying costs nothing
        refused = None
        while self.changes:
            outcome = self.changes.write(self.store)
            for change, _result in outcome.written:
                if change.kind == "answers":
                    self.saved.emit(change.answers)
                elif change.kind == "submit":
                    self.submitted.emit(change.submission_id)
            if outcome.paused:
                self._pause(outcome.error)
                return None
            if outcome.refused is not None:
                log.warning("kiosk change refused: %s", outcome.error.code)
                if outcome.refused.kind == "submit":
                    refused = outcome.error
                    break
                self.save_failed.emit(outcome.error.code)
        if was_waiting:
            self.resumed.emit()
        return refused

    def _pause(self, error: StoreError) -> None:
        log.warning("kiosk saving paused: %s", error.code)
        self.waiting = error
        self.paused.emit(error.code)
        self._retry.start()

    def _probe(self) -> None:
        """Ask in a thread whether the store takes changes again (a server that does not
        answer would keep the UI thread waiting for seconds)."""
        if self._probing:
            return
        self._probing = True
        store, answer = self.store, self._probed

        def ask() -> None:
            try:
                back = store.reachable()
            except Exception:  # a bug: logged without its words; asked again later
                log.error("kiosk: asking the store failed")
                back = False
            with contextlib.suppress(RuntimeError):  # the kiosk closed meanwhile
                answer.emit(back)

        threading.Thread(target=ask, name="kiosk-store-probe", daemon=True).start()

    def _after_probe(self, back: bool) -> None:
        self._probing = False
        if self.waiting is None:
            return  # written meanwhile
        if back:
            self._write(back=True)
        else:
            self._retry.start()

    def set_display(self, text_size: str, high_contrast: bool) -> None:
        """Keep the person's text size and contrast with their draft."""
        if self.submission_id is None:
            return
        self.changes.display(self.submission_id, text_size, high_contrast)
        self._write()

    def set_step(self, step_id: str) -> None:
        if self.submission_id is None:
            return
        self.changes.step(self.submission_id, step_id)
        self._write()

    def submit(self) -> bool:
        """Hand on every answer, then submit: True when sent, False when it waits for the
        store (`submitted` says when it went). Raises StoreError (SubmissionIncomplete
        with `problems`) when the store refuses it."""
        submission_id = self.submission_id
        self._hand_on_typing()
        if not self.changes.submitting(submission_id):
            self.changes.submit(submission_id)
        refused = self._write()
        if refused is not None:
            raise refused
        return not self.changes.submitting(submission_id)

    # -- ending --------------------------------------------------------------------------

    def end(self) -> None:
        """Hand on what was typed and forget the session (the draft stays in the store;
        changes still waiting are written when the store is back)."""
        self.flush()
        self.session = None
        self.submission_id = None
        self.code = None

    def shutdown(self) -> None:
        """The kiosk closes: a last try; what still waits is lost with the process (and
        logged, as a count)."""
        self.end()
        self._retry.stop()
        if self.changes:
            self.waiting = None
            self._write()
        if self.changes:
            log.error("kiosk closed with %d changes not saved", len(self.changes))

    def idle_seconds(self) -> int:
        return self.setting("kiosk_idle_seconds")

    def contact_days(self) -> int:
        """Working days within which the study team calls back (the thank-you page says so)."""
        return self.setting("kiosk_contact_working_days")

    def thank_you_words(self, lang: str) -> str:
        """The clinic's own thank-you line in the session's language ("": the built-in one)."""
        return self.setting(f"kiosk_thank_you_{lang}")

    def setting(self, key: str) -> Any:
        """The clinic's setting (checked by the store's registry); its default when the
        store cannot be read just now."""
        try:
            return self.store.get_setting(key)
        except StoreError:
            from screening_app.store.settings import SETTINGS  # the Store's own import

            return SETTINGS[key].default
