"""Errors the store raises on purpose.

`StoreError` is the one type the UI and the command line catch: it stands for a problem
of the environment (file locked, read-only folder, disk full, damaged file, a database
from a newer version of the app) or a refusal that a person can act on (a missing reason,
an incomplete questionnaire, a sign-in refused). Its `message` is plain words for the
person at the screen and never holds patient data: no names, no answers, no values.

Anything else that escapes the store (``ValueError``, ``TypeError``, an unexpected
``sqlite3`` error) is a bug in the calling code and is left to crash loudly in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class StoreError(Exception):
    """A problem people can act on; `message` is plain and free of patient data."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseBusy(StoreError):
    """Another program held the database for longer than the busy timeout (several tries)."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened or written: missing folder, read-only, disk full, I/O."""


class DatabaseDamaged(StoreError):
    """The file is not a database of this app, or it is corrupt."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer version of the app."""


class NotFound(StoreError):
    """The submission, candidate or user asked for does not exist."""


class InvalidState(StoreError):
    """The action does not fit the submission's status (e.g. editing a withdrawn one)."""


class ReasonRequired(StoreError):
    """A change to submitted data needs an actor and a reason."""


class AuthError(StoreError):
    """Sign-in refused. The message never says whether the name or the secret was wrong."""


class SubmissionIncomplete(StoreError):
    """Submitting (or an edit after submission) left required answers missing or invalid.

    `problems` holds the error Problems of the session, for the UI to show next to the
    items; the message only counts them.
    """

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems: tuple[Any, ...] = tuple(problems)
        count = len(self.problems)
        noun = "answer needs" if count == 1 else "answers need"
        super().__init__(
            f"The questionnaire is not complete: {count} {noun} attention before it can be "
            "submitted."
        )


class PossibleDuplicate(StoreError):
    """A candidate with the same names and date of birth already exists.

    `matches` holds their `CandidateRecord`s so the caller can show them and decide; the
    message itself names nobody.
    """

    def __init__(self, matches: Iterable[Any]) -> None:
        self.matches: tuple[Any, ...] = tuple(matches)
        ids = ", ".join(f"#{m.id}" for m in self.matches)
        super().__init__(
            "A candidate with the same names and date of birth is already recorded "
            f"(candidate {ids}). Check whether this is the same person."
        )
