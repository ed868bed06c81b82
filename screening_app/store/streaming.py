"""Reading every submission's answers without holding them all in memory (bulk exports).

Added for the CSV export (issue 7) as a separate module beside the Store's mixins, not
part of them: plain functions that take an open Store. One read transaction covers the
whole walk, so the export is one consistent snapshot even while the kiosk keeps saving
(WAL lets writers go on). Submissions come in id order, `batch_size` at a time, each with
its answers decoded; memory stays at one batch whatever the number of submissions.

Speed: one query per batch, which also gathers each submission's answers into one JSON
object in SQLite, so Python decodes one text per submission rather than one per answer;
`images=False` leaves the drawing out of signature answers (`png` becomes ""), for
exports that need only when it was signed. The study exports read `iter_applicable`
instead: for a submitted questionnaire, the answers that apply as the store kept them
(store/applicable.py), one text per submission, with no aggregation and no judging;
the rest (drafts, and any kept row no longer current) is gathered and judged as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .applicable import judged
from .normalise import from_json
from .service import Store
from .signoffs import status_sql, status_where

if TYPE_CHECKING:
    from screening_app.interop.csv_export import ExportRecord


@dataclass(frozen=True)
class SubmissionAnswers:
    id: int
    status: str
    lang: str
    questionnaire_pk: int
    questionnaire_id: str
    questionnaire_version: str
    reference_date: str | None
    started_at: str
    updated_at: str
    submitted_at: str | None
    answers: dict[str, Any]


_META = (f"s.id, {status_sql('s')}, s.lang, s.questionnaire_pk, q.questionnaire_id, q.version,"
         " s.reference_date, s.started_at, s.updated_at, s.submitted_at")
_FROM = "FROM submissions s JOIN questionnaires q ON q.id = s.questionnaire_pk"


def iter_submission_answers(
    store: Store,
    *,
    status: str | Sequence[str] | None = None,
    questionnaire_id: str | None = None,
    batch_size: int = 500,
    images: bool = True,
) -> Iterator[SubmissionAnswers]:
    """Every submission (optionally of some statuses / one questionnaire) with its answers."""
    where, filters = _filters(status, questionnaire_id)
    # Only an object can hold a drawing; its first character says so without parsing the
    # JSON of every answer (json_type did: twice the time of the whole query).
    backend = store._backend
    value = "a.value_json" if images else backend.without_drawing("a.value_json")
    sql = (f"SELECT {_META}, {backend.answers_object(value)} {_FROM}"
           f" WHERE s.id > ?{where} ORDER BY s.id LIMIT ?")
    for *meta, answers_json in _batches(store, sql, filters, batch_size):
        yield SubmissionAnswers(*meta, from_json(answers_json) or {})


def iter_applicable(
    store: Store,
    *,
    status: str | Sequence[str] | None = None,
    questionnaire_id: str | None = None,
    batch_size: int = 500,
) -> Iterator[ExportRecord]:
    """Every submission (as `iter_submission_answers` selects them) as the study exports
    read it (interop.csv_export.ExportRecord), with the answers that apply: kept ones where
    they are current (store/applicable.py: the newest audit row and the judging day still
    those they were judged with), else judged now, as they were kept; drawings left out.
    Every row without a judging day of its own (drafts) is judged on the same `today`."""
    where, filters = _filters(status, questionnaire_id)
    backend = store._backend
    today = store._today()
    sql = (f"SELECT {_META}, e.answers_json,"
           " CASE WHEN e.answers_json IS NULL THEN"
           f" {backend.answers_object(backend.without_drawing('a.value_json'))} END"
           f" {_FROM} LEFT JOIN applicable_answers e ON e.submission_id = s.id"
           " AND e.judged_on = s.reference_date"
           " AND e.audit_id = (SELECT max(l.id) FROM audit_log l WHERE l.submission_id = s.id)"
           f" WHERE s.id > ?{where} ORDER BY s.id LIMIT ?")
    from screening_app.engine.applicability import Applicable
    from screening_app.interop.csv_export import ExportRecord

    definitions: dict[int, Any] = {}
    days: dict[str | None, dt.date] = {None: today}
    for (sid, state, lang, pk, _, version, reference, started, updated, submitted, kept,
         answers_json) in _batches(store, sql, filters, batch_size):
        day = days.get(reference) or days.setdefault(reference, dt.date.fromisoformat(reference))
        if kept is not None:
            data = from_json(kept)
            applicable = Applicable(data["answers"], data["groups"])
        else:
            if pk not in definitions:
                definitions[pk] = pinned_questionnaire(store, pk)
            applicable = judged(store._plan(definitions[pk]), from_json(answers_json) or {}, day)
        yield ExportRecord(sid, version, state, lang, started, submitted, updated, applicable, day)


def _batches(store: Store, sql: str, filters: list[Any], batch_size: int) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql` (the submission's id first), `batch_size` at a time in id order, in
    one read transaction: `sql` takes the last id, `filters`, then the limit."""
    with store._read() as db:
        after = 0
        while True:
            rows = db.execute(sql, [after, *filters, batch_size]).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]


def count_by_questionnaire(store: Store, *, status: str | Sequence[str] | None = None) -> dict[str, int]:
    """How many submissions (optionally of some statuses) each questionnaire id has."""
    where, filters = _filters(status, None)
    sql = ("SELECT q.questionnaire_id, count(*) FROM submissions s"
           " JOIN questionnaires q ON q.id = s.questionnaire_pk"
           f" WHERE 1 = 1{where} GROUP BY q.questionnaire_id ORDER BY q.questionnaire_id")
    with store._read() as db:
        return dict(db.execute(sql, filters).fetchall())


def latest_questionnaire(store: Store, questionnaire_id: str) -> Any:
    """The most recently stored version of a questionnaire, or None when none is stored."""
    with store._read() as db:
        row = db.execute("SELECT id FROM questionnaires WHERE questionnaire_id = ?"
                              " ORDER BY id DESC LIMIT 1", (questionnaire_id,)).fetchone()
        return None if row is None else store._questionnaire(db, row[0])


def _filters(status: str | Sequence[str] | None, questionnaire_id: str | None) -> tuple[str, list[Any]]:
    where, filters = "", []
    if status:
        where += f" AND {status_where(status)}"
    if questionnaire_id is not None:
        where += " AND q.questionnaire_id = ?"
        filters.append(questionnaire_id)
    return where, filters


def pinned_questionnaire(store: Store, questionnaire_pk: int) -> Any:
    """The definition stored under `questionnaire_pk` (parsed once per content, cached)."""
    with store._read() as db:
        return store._questionnaire(db, questionnaire_pk)


def judging_day(store: Store, reference_date: str | None) -> dt.date:
    """The day a submission's answers are judged against: its reference date, else today."""
    return dt.date.fromisoformat(reference_date) if reference_date else store._today()
