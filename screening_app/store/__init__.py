"""Local storage: SQLite with per-answer autosave, drafts, submissions and an audit trail."""

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
