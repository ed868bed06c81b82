"""Local storage: SQLite with per-answer autosave, drafts, submissions and an audit trail.

The names below are loaded when first used (PEP 562), not when the package is: a part
of the store that needs little (the errors, the key, where the database is) does not
bring the whole Store, its records and the engine parts it checks answers with. The
kiosk imports those parts before its welcome page is on screen and the Store only after
(ui/kiosk/window.py).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    **dict.fromkeys(("AnswerRefused", "AuthError", "DatabaseBusy", "DatabaseDamaged",
                     "DatabaseTooNew", "DatabaseUnavailable", "ErrorCode", "InvalidState",
                     "NotAllowed", "NotFound", "PossibleDuplicate", "ReasonRequired",
                     "StoreError", "SubmissionIncomplete"), "errors"),
    "default_db_path": "paths",
    **dict.fromkeys(("AuditEntry", "CandidateRecord", "SignOff", "StoredEvidence", "StoredFlag",
                     "SubmissionRecord", "SubmissionRow", "SubmissionSnapshot", "User"),
                    "records"),
    "ImportResult": "review",
    "Store": "service",
}

__all__ = [
    "AnswerRefused",
    "AuditEntry",
    "AuthError",
    "CandidateRecord",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "ErrorCode",
    "ImportResult",
    "InvalidState",
    "NotAllowed",
    "NotFound",
    "PossibleDuplicate",
    "ReasonRequired",
    "SignOff",
    "Store",
    "StoreError",
    "StoredEvidence",
    "StoredFlag",
    "SubmissionIncomplete",
    "SubmissionRecord",
    "SubmissionRow",
    "SubmissionSnapshot",
    "User",
    "default_db_path",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .errors import (
        AnswerRefused,
        AuthError,
        DatabaseBusy,
        DatabaseDamaged,
        DatabaseTooNew,
        DatabaseUnavailable,
        ErrorCode,
        InvalidState,
        NotAllowed,
        NotFound,
        PossibleDuplicate,
        ReasonRequired,
        StoreError,
        SubmissionIncomplete,
    )
    from .paths import default_db_path
    from .records import (
        AuditEntry,
        CandidateRecord,
        SignOff,
        StoredEvidence,
        StoredFlag,
        SubmissionRecord,
        SubmissionRow,
        SubmissionSnapshot,
        User,
    )
    from .review import ImportResult
    from .service import Store
