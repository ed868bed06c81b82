"""The two sign-offs of a submitted questionnaire, each its own step, status and audit entry.

- **Checked** (a coordinator or an administrator): the answers are complete and plausible.
  The submission's status reads `checked`.
- **Clinically reviewed** (a clinician only): the flags were read and the next step was
  decided: invite to a screening visit, not eligible, or needs more information, with a
  note. The status reads `reviewed`.

Decisions:

- The store enforces who may sign what: it looks the actor up in `users` and refuses
  (`NotAllowed`) a check by a clinician or a review by anyone else. Each sign-off keeps
  the signer's full name and role as they were when signing: the PDF is an archival
  document and must not change when a user is renamed.
- A correction of the answers after a sign-off makes it out of date (`out_of_date_at`):
  it stays on record and is shown as such; the status returns to `submitted` (audited
  `check_reopened` / `review_reopened`).
- `checked` is not a value of the `submissions.status` column (its CHECK constraint has
  only draft, submitted, reviewed and withdrawn, and SQLite cannot widen a CHECK without
  rebuilding the table that answers, flags and audit rows point at): a submitted
  questionnaire with a current check *reads* `checked`, in SQL (`status_sql`) as in the
  records the store hands out. `STATUSES` lists the statuses as read.
- A clinician may review a questionnaire nobody checked yet (the PDF then says "Not
  checked"), and a coordinator may still check one a clinician has reviewed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .base import StoreBase, require_actor
from .errors import ErrorCode, InvalidState, NotAllowed, NotFound, ReasonRequired
from .records import DECISIONS, STATUSES, SignOff

if TYPE_CHECKING:
    from .backends import Sql as Database  # a backend's statements (store/backends/)

CHECK_ROLES = ("coordinator", "admin")
REVIEW_ROLES = ("clinician",)

_CURRENT_CHECK = ("EXISTS (SELECT 1 FROM signoffs g WHERE g.submission_id = {s}.id"
                  " AND g.kind = 'checked' AND g.out_of_date_at IS NULL)")


def status_sql(alias: str = "s") -> str:
    """The submission's status as read: `checked` for a submitted one with a current check."""
    check = _CURRENT_CHECK.format(s=alias)
    return f"(CASE WHEN {alias}.status = 'submitted' AND {check} THEN 'checked' ELSE {alias}.status END)"


def status_where(statuses: str | Sequence[str], alias: str = "s") -> str:
    """A condition for submissions in any of `statuses` (as read). The values are checked
    against STATUSES and written as literals, so it fits any query's parameter style."""
    wanted = [statuses] if isinstance(statuses, str) else list(statuses)
    for value in wanted:
        if value not in STATUSES:
            raise ValueError(f"unknown status {value!r}")
    check = _CURRENT_CHECK.format(s=alias)
    parts = []
    stored = [v for v in wanted if v not in ("submitted", "checked")]
    if stored:
        parts.append(f"{alias}.status IN ({', '.join(repr(v) for v in stored)})")
    if "submitted" in wanted and "checked" in wanted:
        parts.append(f"{alias}.status = 'submitted'")
    elif "submitted" in wanted:
        parts.append(f"({alias}.status = 'submitted' AND NOT {check})")
    elif "checked" in wanted:
        parts.append(f"({alias}.status = 'submitted' AND {check})")
    return "(" + " OR ".join(parts) + ")" if parts else "1 = 0"


class SignOffsMixin(StoreBase):
    def mark_checked(self, submission_id: int, actor: str, note: str) -> None:
        """A coordinator's or administrator's check: the answers are complete and plausible."""
        actor = require_actor(actor)
        if not (note and note.strip()):
            raise ReasonRequired(ErrorCode.REVIEW_MEANING)
        with self._write() as db:
            signer = self._signer(db, actor, CHECK_ROLES, ErrorCode.CHECK_NOT_ALLOWED)
            status = self._signable_status(db, submission_id)
            if self._current_signoff(db, submission_id, "checked") is not None:
                raise InvalidState(ErrorCode.ALREADY_CHECKED)
            now = self._now()
            self._sign(db, submission_id, "checked", signer, None, note.strip(), now)
            db.execute("UPDATE submissions SET updated_at = ? WHERE id = ?", (now, submission_id))
            self._audit(db, actor, "checked", submission_id=submission_id, old=status,
                        new={"note": note.strip()}, at=now)

    def record_clinical_review(self, submission_id: int, actor: str, decision: str,
                               note: str) -> None:
        """A clinician's review: the flags were read and the next step decided."""
        actor = require_actor(actor)
        if decision not in DECISIONS:
            raise ReasonRequired(ErrorCode.REVIEW_DECISION)
        if not (note and note.strip()):
            raise ReasonRequired(ErrorCode.REVIEW_NOTE)
        with self._write() as db:
            signer = self._signer(db, actor, REVIEW_ROLES, ErrorCode.REVIEW_NOT_ALLOWED)
            status = self._signable_status(db, submission_id)
            if status == "reviewed":
                raise InvalidState(ErrorCode.ALREADY_REVIEWED)
            now = self._now()
            self._sign(db, submission_id, "clinical_review", signer, decision, note.strip(), now)
            db.execute("UPDATE submissions SET status = 'reviewed', reviewed_at = ?,"
                       " reviewed_by = ?, review_meaning = ?, updated_at = ? WHERE id = ?",
                       (now, actor, note.strip(), now, submission_id))
            self._audit(db, actor, "clinically_reviewed", submission_id=submission_id,
                        old=status, new={"decision": decision, "note": note.strip()}, at=now)

    def signoffs(self, submission_id: int) -> list[SignOff]:
        """Every sign-off of the submission, oldest first (out-of-date ones included)."""
        return [SignOff(**row) for row in self._rows(
            "SELECT kind, signed_at, username, full_name, role, decision, note, out_of_date_at"
            " FROM signoffs WHERE submission_id = ? ORDER BY id", (submission_id,))]

    # -- inside a transaction -------------------------------------------------------

    def _signer(self, db: Database, actor: str, roles: tuple[str, ...],
                refusal: ErrorCode) -> dict[str, str]:
        row = next(db.query("SELECT username, display_name, role FROM users"
                            " WHERE lower(username) = lower(?) AND disabled = 0", (actor,)), None)
        if row is None or row["role"] not in roles:
            raise NotAllowed(refusal)
        return row

    def _signable_status(self, db: Database, submission_id: int) -> str:
        row = next(db.query(f"SELECT {status_sql('s')} AS status FROM submissions s"
                            " WHERE s.id = ?", (submission_id,)), None)
        if row is None:
            raise NotFound(ErrorCode.NO_SUBMISSION)
        if row["status"] not in ("submitted", "checked", "reviewed"):
            raise InvalidState(ErrorCode.ONLY_SUBMITTED)
        return row["status"]

    def _current_signoff(self, db: Database, submission_id: int, kind: str) -> dict | None:
        return next(db.query("SELECT id FROM signoffs WHERE submission_id = ? AND kind = ?"
                             " AND out_of_date_at IS NULL", (submission_id, kind)), None)

    def _sign(self, db: Database, submission_id: int, kind: str, signer: dict[str, str],
              decision: str | None, note: str, now: str) -> None:
        db.execute("INSERT INTO signoffs (submission_id, kind, signed_at, username, full_name,"
                   " role, decision, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (submission_id, kind, now, signer["username"], signer["display_name"],
                    signer["role"], decision, note))

    def _signoffs_out_of_date(self, db: Database, submission_id: int, actor: str,
                              reason: str | None, now: str) -> None:
        """Answers were corrected: every current sign-off no longer covers them."""
        if self._current_signoff(db, submission_id, "checked") is not None:
            self._audit(db, actor, "check_reopened", submission_id=submission_id,
                        old="checked", new="submitted", reason=reason, at=now)
        db.execute("UPDATE signoffs SET out_of_date_at = ? WHERE submission_id = ?"
                   " AND out_of_date_at IS NULL", (now, submission_id))
