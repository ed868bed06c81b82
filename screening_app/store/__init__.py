"""Local storage: SQLite with per-answer autosave, drafts, submissions and an audit trail."""

from .errors import (
    AuthError,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnavailable,
    ErrorCode,
    InvalidState,
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
    "NotFound",
    "PossibleDuplicate",
    "ReasonRequired",
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
