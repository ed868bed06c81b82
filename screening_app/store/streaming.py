"""Reading every submission's answers without holding them all in memory (bulk exports).

Added for the CSV export (issue 7) as a separate module beside the Store's mixins, not
part of them: plain functions that take an open Store. One read transaction covers the
whole walk, so the export is one consistent snapshot even while the kiosk keeps saving
(WAL lets writers go on). Submissions come in id order, `batch_size` at a time, each with
its answers decoded; memory stays at one batch whatever the number of submissions.

Speed: one query per batch, which also gathers each submission's answers into one JSON
object in SQLite, so Python decodes one text per submission rather than one per answer;
`images=False` leaves the drawing out of signature answers (`png` becomes ""), for
exports that need only when it was signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .normalise import from_json
from .service import Store
from .signoffs import status_sql, status_where


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
    answers = backend.answers_object(value)
    sql = (f"SELECT s.id, {status_sql('s')}, s.lang, s.questionnaire_pk, q.questionnaire_id,"
           " q.version,"
           f" s.reference_date, s.started_at, s.updated_at, s.submitted_at, {answers}"
           " FROM submissions s JOIN questionnaires q ON q.id = s.questionnaire_pk"
           f" WHERE s.id > ?{where} ORDER BY s.id LIMIT ?")
    with store._read() as db:
        after = 0
        while True:
            rows = db.execute(sql, [after, *filters, batch_size]).fetchall()
            if not rows:
                return
            for (sid, state, lang, pk, qid, version, reference, started, updated,
                 submitted, answers_json) in rows:
                yield SubmissionAnswers(sid, state, lang, pk, qid, version, reference, started,
                                        updated, submitted, from_json(answers_json) or {})
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
