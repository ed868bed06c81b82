"""Records the store hands out. Plain frozen dataclasses, never database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# As read: `checked` is a submitted questionnaire with a current check (see signoffs.py);
# `reviewed` means clinically reviewed.
STATUSES = ("draft", "submitted", "checked", "reviewed", "withdrawn")
# What a clinician decided in a clinical review.
DECISIONS = ("invite", "not_eligible", "more_information")
SEVERITIES = ("exclusion", "review", "info")
NO_FLAGS = "none"  # the list's `severity` filter for submitted ones without any flag
ROLES = ("coordinator", "clinician", "admin")


@dataclass(frozen=True)
class CandidateRecord:
    id: int
    first_name: str | None
    last_name: str | None
    date_of_birth: str | None
    sex_at_birth: str | None
    phone: str | None
    email: str | None
    created_at: str
    updated_at: str

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class PersonSubmission:
    """One of a person's submissions and what it says about them (field -> text or None)."""

    id: int
    status: str
    started_at: str
    said: dict[str, str | None]


@dataclass(frozen=True)
class SignOff:
    """A check (`kind` "checked") or a clinical review (`kind` "clinical_review"), with the
    signer's full name and role as they were when signing."""

    kind: str
    signed_at: str
    username: str
    full_name: str
    role: str  # "" when a review from before the two sign-offs named no known user
    note: str
    decision: str | None = None  # of a clinical review; None for a check (and old reviews)
    out_of_date_at: str | None = None  # when corrected answers made it out of date

    @property
    def current(self) -> bool:
        return self.out_of_date_at is None


@dataclass(frozen=True)
class SubmissionRecord:
    id: int
    code: str  # short resume code, printed on summaries, e.g. "K7M2-QX9D"
    candidate_id: int
    questionnaire_pk: int  # row of `questionnaires` holding the pinned definition text
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    status: str
    lang: str
    current_step: str | None
    reference_date: str | None  # the local date the answers are judged against (submit day)
    started_at: str
    updated_at: str
    submitted_at: str | None
    reviewed_at: str | None
    reviewed_by: str | None
    review_meaning: str | None
    withdrawn_at: str | None
    signoffs: tuple[SignOff, ...] = ()  # every check and clinical review, oldest first
    text_size: str = "normal"  # the look the person chose at the kiosk ("larger", "largest")
    high_contrast: bool = False

    def signoff(self, kind: str) -> SignOff | None:
        """The latest sign-off of `kind` ("checked", "clinical_review"), current or not."""
        return next((s for s in reversed(self.signoffs) if s.kind == kind), None)


@dataclass(frozen=True)
class StoredEvidence:
    path: str
    value: Any


@dataclass(frozen=True)
class StoredFlag:
    rule: str
    severity: str
    criterion: str
    evidence: tuple[StoredEvidence, ...]
    computed_at: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    submission_id: int | None
    item: str | None
    old_value: Any  # decoded JSON; None when there was none
    new_value: Any
    reason: str | None


@dataclass(frozen=True)
class SubmissionSnapshot:
    """A submission with its answers, confirmations and flags, read in one transaction."""

    record: SubmissionRecord
    answers: dict[str, Any]
    confirmed: frozenset[str]
    flags: tuple[StoredFlag, ...]


@dataclass(frozen=True)
class SubmissionRow:
    """One line of the desk's list of submissions."""

    id: int
    code: str
    candidate_id: int
    candidate: str  # "First Last"; empty while the names are not answered yet
    date_of_birth: str | None
    status: str
    lang: str
    flags: dict[str, int] = field(default_factory=dict)  # severity -> count, all severities
    started_at: str = ""
    updated_at: str = ""
    submitted_at: str | None = None
    current_step: str | None = None  # where a draft resumes

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "candidate_id": self.candidate_id,
            "candidate": self.candidate,
            "date_of_birth": self.date_of_birth,
            "status": self.status,
            "lang": self.lang,
            "flags": dict(self.flags),
            "started_at": self.started_at,
            "updated_at": self.updated_at,
            "submitted_at": self.submitted_at,
        }


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    disabled: bool
    failed_attempts: int
    locked_until: str | None
    created_at: str
    last_sign_in_at: str | None
    must_change_secret: bool = False  # signed in with a secret shorter than the rule now
