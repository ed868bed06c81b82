"""Submitting, flags, review and withdrawal: the parts that need the questionnaire engine.

Decisions:

- Submitting runs a `Session` over the definition the submission is pinned to (never the
  one the app ships today) and refuses with the error-level problems; warnings do not
  block. Flags are stored with rule id, severity, criterion and evidence.
- The day the answers are judged against (`reference_date`, the clinic's local date at
  submission, or `today` when given) is stored with the submission. Flags recomputed after
  a later edit use that same day, so "relapse within 60 days" keeps meaning "60 days
  before the candidate answered" and an edit does not silently change unrelated flags.
- A change of the set of flags is audited (old and new rule ids) with the edit's reason.
- Withdrawal keeps every answer (retention follows the study protocol, not this code).
- The two sign-offs (a coordinator's check, a clinician's review) are in `signoffs`.
- What the study exports read of a submitted questionnaire (its answers that apply) is
  rewritten here before every write transaction that audited a change of it commits
  (`_refresh_applicable`; the decisions are in `applicable`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .applicable import NEWEST_AUDIT, UPSERT, applicable_text, judged
from .audit_chain import definition_matches
from .base import require_actor
from .errors import (
    DatabaseDamaged,
    ErrorCode,
    InvalidState,
    PossibleDuplicate,
    ReasonRequired,
    SubmissionIncomplete,
)
from .normalise import from_json, to_json
from .origins import OriginsMixin
from .records import SEVERITIES, StoredEvidence, StoredFlag
from .submissions import SubmissionsMixin, SubmissionState

if TYPE_CHECKING:
    from .backends import Sql as Database  # a backend's statements (store/backends/)

_SEVERITY_RANK = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES))


@dataclass(frozen=True)
class ImportResult:
    submission_id: int
    code: str
    status: str  # "submitted", "draft" or "withdrawn"
    problems: tuple[Any, ...]  # error Problems that kept a draft from being submitted


class ReviewMixin(SubmissionsMixin, OriginsMixin):
    _definitions: dict[str, Any]
    _plans: dict[str, Any]  # content hash -> engine.applicability.Applicability

    def questionnaire_for(self, submission_id: int) -> Any:
        """The exact definition the submission was filled with."""
        with self._read() as db:
            state = self._state(db, submission_id)
            return self._questionnaire(db, state.questionnaire_pk)

    def submit(
        self, submission_id: int, actor: str, today: dt.date | None = None
    ) -> list[StoredFlag]:
        """Validate against the pinned definition, store the flags, mark submitted."""
        actor = require_actor(actor)
        with self._write() as db:
            state = self._state(db, submission_id)
            if state.status != "draft":
                raise InvalidState(ErrorCode.ALREADY_SUBMITTED)
            session, reference = self._session(db, state, today)
            errors = list(session.errors())
            if errors:
                raise SubmissionIncomplete(errors)
            self._finish_submit(db, state, session, reference, actor)
        return self.flags(submission_id)

    def flags(self, submission_id: int) -> list[StoredFlag]:
        rows = self._rows(
            "SELECT rule_id, severity, criterion, evidence_json, computed_at FROM flags"
            f" WHERE submission_id = ? ORDER BY CASE severity {_SEVERITY_RANK} END, rule_id",
            (submission_id,),
        )
        return [
            StoredFlag(
                rule=row["rule_id"], severity=row["severity"], criterion=row["criterion"],
                evidence=tuple(StoredEvidence(e["path"], e["value"])
                               for e in from_json(row["evidence_json"])),
                computed_at=row["computed_at"],
            )
            for row in rows
        ]

    def withdraw(self, submission_id: int, actor: str, reason: str) -> None:
        """Withdraw the submission; its answers stay, read-only."""
        actor = require_actor(actor)
        if not (reason and reason.strip()):
            raise ReasonRequired(ErrorCode.WITHDRAW_REASON)
        with self._write() as db:
            state = self._state(db, submission_id)
            if state.status == "withdrawn":
                raise InvalidState(ErrorCode.ALREADY_WITHDRAWN)
            now = self._now()
            db.execute("UPDATE submissions SET status = 'withdrawn', withdrawn_at = ?,"
                       " updated_at = ? WHERE id = ?", (now, now, submission_id))
            self._audit(db, actor, "withdrawn", submission_id=submission_id,
                        old=state.status, new="withdrawn", reason=reason.strip(), at=now)

    def import_submission(
        self,
        questionnaire: Any,
        answers: Mapping[str, Any],
        actor: str,
        *,
        lang: str | None = None,
        today: dt.date | None = None,
        allow_duplicate: bool = False,
        submit: bool = True,
        withdraw_reason: str | None = None,
        origin: Mapping[str, Any] | None = None,
    ) -> ImportResult:
        """A candidate and a submission from flat answers, all or nothing.

        Submitted when the answers are complete and valid (and `submit`), otherwise kept as
        a draft with its problems; then withdrawn, in the same transaction, when a
        `withdraw_reason` is given. Refused with PossibleDuplicate unless `allow_duplicate`.
        `origin`: what the source said about the answers (`authored`, `subject`, ...: see
        `origins`), kept with the submission.
        """
        actor = require_actor(actor)
        with self._write() as db:
            if not allow_duplicate:
                matches = self.find_possible_duplicates(
                    _text(answers.get("first_name")), _text(answers.get("last_name")),
                    _text(answers.get("date_of_birth")))
                if matches:
                    raise PossibleDuplicate(matches)
            submission_id = self.start_submission(
                questionnaire, lang or questionnaire.languages[0], actor)
            self.save_answers(submission_id, answers, actor)
            state = self._state(db, submission_id)
            session, reference = self._session(db, state, today)
            errors = tuple(session.errors())
            status = "submitted" if submit and not errors else "draft"
            if status == "submitted":
                self._finish_submit(db, state, session, reference, actor)
            submitted = status == "submitted"
            if withdraw_reason is not None:
                self.withdraw(submission_id, actor, withdraw_reason)
                status = "withdrawn"
            if origin is not None:  # last: its `authored` is the submission's time
                self._record_origin(db, submission_id, origin, submitted, self._now())
            code = next(db.query("SELECT code FROM submissions WHERE id = ?",
                                 (submission_id,)))["code"]
            return ImportResult(submission_id, code, status, errors)

    # -- inside a transaction -------------------------------------------------------

    def _questionnaire(self, db: Database, questionnaire_pk: int) -> Any:
        row = next(db.query("SELECT content_hash FROM questionnaires WHERE id = ?",
                            (questionnaire_pk,)))
        cached = self._definitions.get(row["content_hash"])
        if cached is not None:
            return cached
        from screening_app.engine.loader import DefinitionError, parse_questionnaire

        stored = next(db.query("SELECT questionnaire_id, version, source_text"
                               " FROM questionnaires WHERE id = ?", (questionnaire_pk,)))
        if not definition_matches(row["content_hash"], stored["source_text"]):
            # Edited outside the app (or a damaged page read back as zeros): flags and the
            # clinician's PDF must never be computed from a text that was not pinned.
            raise DatabaseDamaged(ErrorCode.DEFINITION_CHANGED, id=questionnaire_pk)
        try:
            questionnaire = parse_questionnaire(
                stored["source_text"],
                f"stored definition {stored['questionnaire_id']} {stored['version']}")
        except DefinitionError as exc:
            raise DatabaseDamaged(ErrorCode.DEFINITION_UNREADABLE) from exc
        self._definitions[row["content_hash"]] = questionnaire
        return questionnaire

    def _plan(self, questionnaire: Any) -> Any:
        """The definition's applicability plan (its memo of verdicts), made once."""
        plan = self._plans.get(questionnaire.content_hash)
        if plan is None:
            from screening_app.engine.applicability import Applicability

            plan = self._plans[questionnaire.content_hash] = Applicability(questionnaire)
        return plan

    def _refresh_applicable(self, db: Database, submission_ids: set[int]) -> None:
        """What the exports keep of these submissions, rewritten (store/applicable.py)."""
        for submission_id in sorted(submission_ids):
            row = db.execute("SELECT questionnaire_pk, reference_date, status FROM submissions"
                             " WHERE id = ?", (submission_id,)).fetchone()
            if row is None or row[1] is None or row[2] == "draft":
                continue  # judged on the export's day: not kept
            try:
                questionnaire = self._questionnaire(db, row[0])
            except DatabaseDamaged:
                continue  # never judged with a changed text; the export refuses it
            answers, _ = self._stored_answers(db, submission_id)
            applicable = judged(self._plan(questionnaire), answers, dt.date.fromisoformat(row[1]))
            audit_id = db.execute(NEWEST_AUDIT, (submission_id,)).fetchone()[0]
            db.execute(UPSERT, (submission_id, audit_id, row[1], applicable_text(applicable)))

    def _session(
        self, db: Database, state: SubmissionState, today: dt.date | None = None
    ) -> tuple[Any, dt.date]:
        from screening_app.engine.session import Session

        if today is None:
            today = (dt.date.fromisoformat(state.reference_date) if state.reference_date
                     else self._today())
        answers, confirmed = self._stored_answers(db, state.id)
        questionnaire = self._questionnaire(db, state.questionnaire_pk)
        return Session(questionnaire, answers, lang=state.lang, today=today,
                       confirmed=confirmed), today

    def _finish_submit(
        self, db: Database, state: SubmissionState, session: Any, reference: dt.date,
        actor: str,
    ) -> None:
        now = self._now()
        db.execute("UPDATE submissions SET status = 'submitted', submitted_at = ?,"
                   " updated_at = ?, reference_date = ? WHERE id = ?",
                   (now, now, reference.isoformat(), state.id))
        self._audit(db, actor, "submitted", submission_id=state.id, old="draft",
                    new="submitted", at=now)
        self._store_flags(db, state.id, session.flags(), actor, None, now)

    def _after_edit(
        self, db: Database, state: SubmissionState, actor: str, reason: str | None, now: str
    ) -> None:
        """An edit after submission: still valid, flags recomputed, review reopened."""
        session, _ = self._session(db, state)
        errors = list(session.errors())
        if errors:
            raise SubmissionIncomplete(errors)
        self._store_flags(db, state.id, session.flags(), actor, reason, now)
        self._signoffs_out_of_date(db, state.id, actor, reason, now)
        if state.status == "reviewed":
            db.execute("UPDATE submissions SET status = 'submitted', reviewed_at = NULL,"
                       " reviewed_by = NULL, review_meaning = NULL WHERE id = ?", (state.id,))
            self._audit(db, actor, "review_reopened", submission_id=state.id,
                        old="reviewed", new="submitted", reason=reason, at=now)

    def _store_flags(
        self, db: Database, submission_id: int, flags: Any, actor: str,
        reason: str | None, now: str,
    ) -> None:
        old_rules = [row["rule_id"] for row in db.query(
            "SELECT rule_id FROM flags WHERE submission_id = ? ORDER BY rule_id",
            (submission_id,))]
        db.execute("DELETE FROM flags WHERE submission_id = ?", (submission_id,))
        db.executemany(
            "INSERT INTO flags (submission_id, rule_id, severity, criterion, evidence_json,"
            " computed_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(submission_id, flag.rule, flag.severity, flag.criterion,
              to_json([{"path": e.path, "value": plain(e.value)} for e in flag.evidence]), now)
             for flag in flags],
        )
        new_rules = sorted(flag.rule for flag in flags)
        if new_rules != old_rules:
            self._audit(db, actor, "flags_computed", submission_id=submission_id,
                        old=old_rules, new=new_rules, reason=reason, at=now)


def plain(value: Any) -> Any:
    """A JSON-ready copy of an evidence value (dates as ISO text, tuples as lists)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
