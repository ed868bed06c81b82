"""Changes a station holds in memory, in the order they were made, while the database
cannot take them (a clinic server that cannot be reached, a busy or full disk).

The kiosk keeps the person going when the network is not perfect: each change (a batch
of answers, the step reached, a warning confirmed, the submission itself) joins the
queue, and `write` hands them to the store in order, each in its own transaction with
its own audit rows, as soon as the store takes them again.

    pending = PendingChanges(actor="kiosk")
    pending.answers(submission_id, {"first_name": "Ana"})
    outcome = pending.write(store)      # what went through, and what stopped it
    if outcome.paused: ...              # still waiting: say so, try again later

Decisions:

- **Memory only.** Answers are health information; a station of a server keeps none on
  its disk (docs/server.md). A station killed while changes wait loses them; the screen
  says saving is paused from the first failure, so staff know.
- **In order, nothing merged.** Each change is written as it was made (the audit trail
  shows every value the person gave, as when saving never paused); a change is removed
  only once the store has committed it.
- **Waiting or refused.** A failure of the environment (`DatabaseUnavailable`,
  `DatabaseBusy`: the server away, its disk full, a lock held) keeps the change at the
  head of the queue and stops; anything else the store refuses (a draft the desk
  withdrew meanwhile) is dropped with its error, and the next change goes on.
- **Written twice is harmless.** A connection can break after the server committed but
  before it said so: the change is tried again. An answer saved again with the same
  value changes nothing (no audit row); a submission that turns out to be submitted
  already was ours.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import DatabaseBusy, DatabaseUnavailable, ErrorCode, StoreError

WAITING = (DatabaseUnavailable, DatabaseBusy)  # the environment: kept and tried again


@dataclass
class Change:
    """One change of one submission, as the station made it."""

    kind: str  # "answers", "step", "display", "confirm", "submit"
    submission_id: int
    answers: dict[str, Any] = field(default_factory=dict)  # answers; confirm: {path: value}
    step: str | None = None  # step: its id; display: the text size
    confirmed: bool | None = None  # confirm: confirmed; display: high contrast
    tried: bool = False  # a try failed in a way that may have committed it

    def apply(self, store: Any, actor: str) -> Any:
        if self.kind == "answers":
            if len(self.answers) == 1:
                (path, value), = self.answers.items()
                return store.save_answer(self.submission_id, path, value, actor)
            return store.save_answers(self.submission_id, self.answers, actor)
        if self.kind == "confirm":
            (path, value), = self.answers.items()
            return store.save_answer(self.submission_id, path, value, actor,
                                     confirmed=self.confirmed)
        if self.kind == "step":
            return store.set_current_step(self.submission_id, self.step)
        if self.kind == "display":
            return store.set_display(self.submission_id, self.step, bool(self.confirmed))
        if self.kind == "submit":
            return store.submit(self.submission_id, actor)
        raise ValueError(f"unknown change {self.kind!r}")


@dataclass
class Outcome:
    """What one `write` did."""

    written: list[tuple[Change, Any]]  # each change the store committed, with its result
    error: StoreError | None = None  # what stopped it (None: the queue is empty)
    refused: Change | None = None  # the change dropped because the store refused it

    @property
    def paused(self) -> bool:
        """Changes are waiting for the store to take them again."""
        return isinstance(self.error, WAITING)


class PendingChanges:
    def __init__(self, actor: str) -> None:
        self.actor = actor
        self._queue: deque[Change] = deque()

    def __len__(self) -> int:
        return len(self._queue)

    def __iter__(self) -> Iterator[Change]:
        return iter(self._queue)

    # -- adding ----------------------------------------------------------------------------

    def answers(self, submission_id: int, answers: Mapping[str, Any]) -> None:
        if answers:
            self._queue.append(Change("answers", submission_id, dict(answers)))

    def step(self, submission_id: int, step_id: str) -> None:
        last = self._queue[-1] if self._queue else None
        if last is not None and last.kind == "step" and last.submission_id == submission_id \
                and not last.tried:
            last.step = step_id  # only where the person is now matters
            return
        self._queue.append(Change("step", submission_id, step=step_id))

    def display(self, submission_id: int, text_size: str, high_contrast: bool) -> None:
        self._queue.append(Change("display", submission_id, step=text_size,
                                  confirmed=high_contrast))

    def confirm(self, submission_id: int, path: str, value: Any, confirmed: bool) -> None:
        self._queue.append(Change("confirm", submission_id, {path: value}, confirmed=confirmed))

    def submit(self, submission_id: int) -> None:
        self._queue.append(Change("submit", submission_id))

    def submitting(self, submission_id: int) -> bool:
        """Whether this submission's submit is waiting."""
        return any(c.kind == "submit" and c.submission_id == submission_id for c in self._queue)

    # -- writing ---------------------------------------------------------------------------

    def write(self, store: Any) -> Outcome:
        """Write from the oldest change on, until the queue is empty or a change cannot be
        written (see the module's docstring)."""
        written: list[tuple[Change, Any]] = []
        while self._queue:
            change = self._queue[0]
            try:
                result = change.apply(store, self.actor)
            except WAITING as error:
                change.tried = change.tried or isinstance(error, DatabaseUnavailable)
                return Outcome(written, error)
            except StoreError as error:
                if change.kind == "submit" and change.tried \
                        and error.code == ErrorCode.ALREADY_SUBMITTED:
                    result = None  # the try that seemed to fail had committed it
                else:
                    self._queue.popleft()
                    return Outcome(written, error, refused=change)
            self._queue.popleft()
            written.append((change, result))
        return Outcome(written)

    def clear(self) -> None:
        self._queue.clear()
