"""Submissions and their answers: start, autosave, resume, read.

Decisions:

- `save_answer` is one transaction: the answer row, the audit row (old and new value),
  the submission's own copy of the listed identity fields (and the person record while
  this draft is making it, see candidates.py) and the submission's `updated_at` are
  committed together, with `synchronous=FULL`, before it returns. A killed process loses at most
  the answer whose call had not returned.
- Saving the value already stored (same canonical JSON) is a no-op: no write, no audit.
  `None` clears an answer (its row is deleted; the audit keeps the old value).
- A soft-warning confirmation belongs to the value it was given for: when the value
  changes and the caller says nothing about `confirmed`, the confirmation is dropped.
- Drafts accept any value (the session shows problems; autosave must never refuse what
  a person typed). Submitted and reviewed submissions need an actor and a reason for every
  change, the edit must leave no error-level problem, and the flags are recomputed in the
  same transaction; an edit to a checked or reviewed submission returns it to
  `submitted`, because the sign-offs covered the earlier answers (they stay on record,
  out of date; see signoffs.py). Withdrawn submissions are read-only.
- `current_step` is where a draft resumes. Moving between steps is not a data change, so
  it is not audited and does not move `updated_at`. The same holds for the text size and
  contrast the person chose (`set_display`): they come back with the draft.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .base import require_actor
from .candidates import CANDIDATE_FIELDS, CandidatesMixin
from .errors import AnswerRefused, ErrorCode, InvalidState, NotFound, ReasonRequired, StoreError
from .normalise import check_path, from_json, new_code, normalise_code, to_json
from .records import AuditEntry, SubmissionRecord, SubmissionSnapshot
from .signoffs import SignOffsMixin, status_sql

if TYPE_CHECKING:
    from .backends import Sql as Database  # a backend's statements (store/backends/)

_RECORD_SELECT = (
    "SELECT s.id, s.code, s.candidate_id, s.questionnaire_pk, q.questionnaire_id,"
    f" q.version AS questionnaire_version, q.content_hash, {status_sql('s')} AS status,"
    " s.lang, s.current_step,"
    " s.reference_date, s.started_at, s.updated_at, s.submitted_at, s.reviewed_at,"
    " s.reviewed_by, s.review_meaning, s.withdrawn_at, s.text_size, s.high_contrast"
    " FROM submissions s JOIN questionnaires q ON q.id = s.questionnaire_pk"
)
TEXT_SIZES = ("normal", "larger", "largest")  # the kiosk's text sizes

EDITABLE_AFTER_SUBMIT = ("submitted", "reviewed")


def storable_json(value: Any) -> str:
    """An answer's JSON text; AnswerRefused when the file cannot hold it: a number that is
    not finite (JSON has none) or half of a UTF-16 surrogate pair (not UTF-8)."""
    try:
        text = to_json(value)
        text.encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        raise AnswerRefused(ErrorCode.REFUSED_ANSWER) from None
    return text


@dataclass(frozen=True)
class SubmissionState:
    """What a write needs to know about the submission it changes."""

    id: int
    status: str
    candidate_id: int
    questionnaire_pk: int
    lang: str
    reference_date: str | None


class SubmissionsMixin(CandidatesMixin, SignOffsMixin):
    # -- starting -------------------------------------------------------------------

    def register_questionnaire(self, questionnaire: Any) -> int:
        """Store the definition's exact text (once per content hash); return its row id."""
        with self._write() as db:
            return self._register(db, questionnaire)

    def start_submission(
        self, questionnaire: Any, lang: str, actor: str, candidate_id: int | None = None
    ) -> int:
        """A new draft pinned to `questionnaire`, for a new empty candidate or a given one."""
        actor = require_actor(actor)
        if lang not in questionnaire.languages:
            raise ValueError(f"language {lang!r} is not one of the questionnaire's")
        first_step = questionnaire.steps[0].id if questionnaire.steps else None
        with self._write() as db:
            questionnaire_pk = self._register(db, questionnaire)
            if candidate_id is None:
                candidate_id = self._insert_candidate(db, {})
            elif next(db.query("SELECT 1 AS x FROM candidates WHERE id = ?", (candidate_id,)),
                      None) is None:
                raise NotFound(ErrorCode.NO_CANDIDATE)
            now = self._now()
            code = self._unused_code(db)
            cursor = db.execute(
                "INSERT INTO submissions (code, candidate_id, questionnaire_pk, status, lang,"
                " current_step, started_at, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?)"
                " RETURNING id",
                (code, candidate_id, questionnaire_pk, lang, first_step, now, now),
            )
            submission_id = int(cursor.fetchall()[0][0])
            self._audit(db, actor, "submission_started", submission_id=submission_id,
                        new={"questionnaire": questionnaire.id,
                             "version": questionnaire.version, "lang": lang}, at=now)
            return submission_id

    # -- autosave -------------------------------------------------------------------

    def save_answer(
        self,
        submission_id: int,
        path: str,
        value: Any,
        actor: str,
        *,
        confirmed: bool | None = None,
        reason: str | None = None,
    ) -> bool:
        """Store one answer durably; True when something changed. `None` clears it."""
        return self._save_many(submission_id, {path: value}, actor,
                               {path: confirmed} if confirmed is not None else {}, reason)

    def save_answers(
        self,
        submission_id: int,
        answers: Mapping[str, Any],
        actor: str,
        *,
        confirmed: Iterable[str] = (),
        reason: str | None = None,
    ) -> bool:
        """Store many answers in one transaction (imports, prefill, a new group row)."""
        return self._save_many(submission_id, answers, actor,
                               dict.fromkeys(confirmed, True), reason)

    def _save_many(
        self,
        submission_id: int,
        answers: Mapping[str, Any],
        actor: str,
        confirmed: Mapping[str, bool],
        reason: str | None,
    ) -> bool:
        actor = require_actor(actor)
        reason = reason.strip() if reason and reason.strip() else None
        # Encode before the transaction: a value that is not JSON is a bug, not a busy disk.
        encoded = {check_path(path): (None if value is None else storable_json(value))
                   for path, value in answers.items()}
        for path in confirmed:
            check_path(path)
        with self._write() as db:
            state = self._state(db, submission_id)
            if state.status == "withdrawn":
                raise InvalidState(ErrorCode.WITHDRAWN_NO_CHANGE)
            if state.status in EDITABLE_AFTER_SUBMIT and reason is None:
                raise ReasonRequired(ErrorCode.EDIT_REASON)
            now = self._now()
            changed = False
            identity: dict[str, Any] = {}  # identity answers that changed: path -> value
            for path in sorted(set(encoded) | set(confirmed)):
                if path in encoded:
                    new_text = encoded[path]
                else:
                    new_text = self._stored_text(db, submission_id, path)
                    if new_text is None:
                        continue  # confirming an unanswered item means nothing
                changed |= self._save_one(db, state, path, new_text, actor,
                                          confirmed.get(path), reason, now, identity)
            if identity:
                self._identity_saved(db, state.id, state.candidate_id,
                                     self._establishes(db, state), identity, now)
            if changed:
                db.execute("UPDATE submissions SET updated_at = ? WHERE id = ?",
                           (now, submission_id))
                if state.status in EDITABLE_AFTER_SUBMIT:
                    self._after_edit(db, state, actor, reason, now)
            return changed

    def _save_one(
        self,
        db: Database,
        state: SubmissionState,
        path: str,
        new_text: str | None,
        actor: str,
        confirmed: bool | None,
        reason: str | None,
        now: str,
        identity: dict[str, Any],
    ) -> bool:
        old = next(db.query(
            "SELECT value_json, confirmed FROM answers WHERE submission_id = ? AND path = ?",
            (state.id, path)), None)
        old_text = old["value_json"] if old else None
        old_confirmed = bool(old and old["confirmed"])
        value_changed = old_text != new_text
        if new_text is None:
            new_confirmed = False
        elif confirmed is None:
            new_confirmed = old_confirmed and not value_changed
        else:
            new_confirmed = confirmed
        if not value_changed and new_confirmed == old_confirmed:
            return False
        if new_text is None:
            db.execute("DELETE FROM answers WHERE submission_id = ? AND path = ?",
                       (state.id, path))
        else:
            db.execute(
                "INSERT INTO answers (submission_id, path, value_json, confirmed, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (submission_id, path) DO UPDATE SET"
                " value_json = excluded.value_json, confirmed = excluded.confirmed,"
                " updated_at = excluded.updated_at",
                (state.id, path, new_text, int(new_confirmed), now),
            )
        editing = state.status in EDITABLE_AFTER_SUBMIT
        if value_changed:
            self._audit(db, actor, "answer_edited" if editing else "answer_saved",
                        submission_id=state.id, item=path, old=from_json(old_text),
                        new=from_json(new_text), reason=reason, at=now)
            if path in CANDIDATE_FIELDS:
                identity[path] = from_json(new_text)
        if new_text is not None and new_confirmed != old_confirmed:
            self._audit(db, actor, "warning_confirmed" if new_confirmed else "warning_unconfirmed",
                        submission_id=state.id, item=path, reason=reason, at=now)
        return True

    def set_current_step(self, submission_id: int, step_id: str) -> None:
        """Remember where the draft resumes."""
        with self._write() as db:
            self._state(db, submission_id)
            db.execute("UPDATE submissions SET current_step = ? WHERE id = ?",
                       (step_id, submission_id))

    def set_display(self, submission_id: int, text_size: str, high_contrast: bool) -> None:
        """Remember the text size and contrast the person chose, with their draft."""
        if text_size not in TEXT_SIZES or not isinstance(high_contrast, bool):
            raise StoreError(ErrorCode.DISPLAY_CHOICE, choices=", ".join(TEXT_SIZES))
        with self._write() as db:
            self._state(db, submission_id)
            db.execute("UPDATE submissions SET text_size = ?, high_contrast = ? WHERE id = ?",
                       (text_size, int(high_contrast), submission_id))

    # -- reading --------------------------------------------------------------------

    def get_submission(self, submission_id: int) -> SubmissionRecord:
        with self._reading():
            row = self._one(f"{_RECORD_SELECT} WHERE s.id = ?", (submission_id,))
            if row is None:
                raise NotFound(ErrorCode.NO_SUBMISSION)
            row = {**row, "high_contrast": row["high_contrast"] == 1}
            return SubmissionRecord(**row, signoffs=tuple(self.signoffs(submission_id)))

    def find_submission(self, code: str) -> SubmissionRecord:
        """The submission with this resume code (case, spaces and dashes are forgiven)."""
        normal = normalise_code(code)
        row = self._one(f"{_RECORD_SELECT} WHERE s.code = ?", (normal,)) if normal else None
        if row is None:
            raise NotFound(ErrorCode.NO_CODE)
        return self.get_submission(row["id"])

    def resolve_submission(self, reference: int | str) -> int:
        """The id of the submission named by its id ("42") or its resume code."""
        text = str(reference).strip().lstrip("#")
        if text.isdigit() and len(text) < 19:
            return self.get_submission(int(text)).id
        return self.find_submission(text).id

    def answers(self, submission_id: int) -> dict[str, Any]:
        return dict(self.snapshot(submission_id).answers)

    def confirmed_paths(self, submission_id: int) -> set[str]:
        return set(self.snapshot(submission_id).confirmed)

    def snapshot(self, submission_id: int) -> SubmissionSnapshot:
        """Record, answers, confirmations and flags as of one moment."""
        with self._read() as db:
            record = self.get_submission(submission_id)
            answers, confirmed = self._stored_answers(db, submission_id)
            return SubmissionSnapshot(record, answers, frozenset(confirmed),
                                      tuple(self.flags(submission_id)))

    def audit_history(self, submission_id: int) -> list[AuditEntry]:
        """Every audited change of one submission, oldest first."""
        rows = self._rows("SELECT id, at, actor, action, submission_id, item, old_value,"
                          " new_value, reason FROM audit_log WHERE submission_id = ?"
                          " ORDER BY id", (submission_id,))
        return [AuditEntry(**{**row, "old_value": from_json(row["old_value"]),
                              "new_value": from_json(row["new_value"])}) for row in rows]

    # -- inside a transaction -------------------------------------------------------

    def _state(self, db: Database, submission_id: int) -> SubmissionState:
        row = next(db.query("SELECT id, status, candidate_id, questionnaire_pk, lang,"
                            " reference_date FROM submissions WHERE id = ?",
                            (submission_id,)), None)
        if row is None:
            raise NotFound(ErrorCode.NO_SUBMISSION)
        return SubmissionState(**row)

    def _establishes(self, db: Database, state: SubmissionState) -> bool:
        """Whether this submission is still making its person record: a draft, and the
        person's only submission (see candidates.py)."""
        if state.status != "draft":
            return False
        other = next(db.query("SELECT 1 AS x FROM submissions WHERE candidate_id = ?"
                              " AND id != ? LIMIT 1", (state.candidate_id, state.id)), None)
        return other is None

    def _stored_text(self, db: Database, submission_id: int, path: str) -> str | None:
        row = next(db.query("SELECT value_json FROM answers WHERE submission_id = ?"
                            " AND path = ?", (submission_id, path)), None)
        return row["value_json"] if row else None

    def _stored_answers(
        self, db: Database, submission_id: int
    ) -> tuple[dict[str, Any], set[str]]:
        answers: dict[str, Any] = {}
        confirmed: set[str] = set()
        for row in db.query("SELECT path, value_json, confirmed FROM answers"
                            " WHERE submission_id = ? ORDER BY path", (submission_id,)):
            answers[row["path"]] = from_json(row["value_json"])
            if row["confirmed"]:
                confirmed.add(row["path"])
        return answers, confirmed

    def _register(self, db: Database, questionnaire: Any) -> int:
        text = questionnaire.source_text
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if content_hash != questionnaire.content_hash:
            raise ValueError("the questionnaire's content hash does not match its text")
        row = next(db.query("SELECT id FROM questionnaires WHERE content_hash = ?",
                            (content_hash,)), None)
        if row is not None:
            return int(row["id"])
        cursor = db.execute(
            "INSERT INTO questionnaires (questionnaire_id, version, content_hash, source_text,"
            " registered_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (questionnaire.id, questionnaire.version, content_hash, text, self._now()),
        )
        return int(cursor.fetchall()[0][0])

    def _unused_code(self, db: Database) -> str:
        for _ in range(20):
            code = new_code()
            if next(db.query("SELECT 1 AS x FROM submissions WHERE code = ?", (code,)),
                    None) is None:
                return code
        raise RuntimeError("could not find an unused resume code")  # 30**8 codes: a bug
