"""Reading every submission's answers without holding them all in memory (bulk exports).

Added for the CSV export (issue 7) as a separate module beside the Store's mixins, not
part of them: plain functions that take an open Store. One read transaction covers the
whole walk, so the export is one consistent snapshot even while the kiosk keeps saving
(WAL lets writers go on). Submissions come in id order, `batch_size` at a time, each with
its answers decoded; memory stays at one batch whatever the number of submissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .normalise import from_json
from .records import STATUSES
from .service import Store


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
) -> Iterator[SubmissionAnswers]:
    """Every submission (optionally of some statuses / one questionnaire) with its answers."""
    statuses = [status] if isinstance(status, str) else list(status or [])
    for value in statuses:
        if value not in STATUSES:
            raise ValueError(f"unknown status {value!r}")
    where = ["s.id > ?"]
    filters: list[Any] = []
    if statuses:
        where.append(f"s.status IN ({', '.join('?' * len(statuses))})")
        filters += statuses
    if questionnaire_id is not None:
        where.append("q.questionnaire_id = ?")
        filters.append(questionnaire_id)
    sql = ("SELECT s.id, s.status, s.lang, s.questionnaire_pk, q.questionnaire_id, q.version,"
           " s.reference_date, s.started_at, s.updated_at, s.submitted_at"
           " FROM submissions s JOIN questionnaires q ON q.id = s.questionnaire_pk"
           f" WHERE {' AND '.join(where)} ORDER BY s.id LIMIT ?")
    with store._read() as db:
        conn = db.conn
        after = 0
        while True:
            rows = conn.execute(sql, [after, *filters, batch_size]).fetchall()
            if not rows:
                return
            ids = [row[0] for row in rows]
            answers: dict[int, dict[str, Any]] = {sid: {} for sid in ids}
            marks = ", ".join("?" * len(ids))
            for sid, path, text in conn.execute(
                    "SELECT submission_id, path, value_json FROM answers"
                    f" WHERE submission_id IN ({marks}) ORDER BY submission_id", ids):
                answers[sid][path] = from_json(text)
            for (sid, state, lang, pk, qid, version, reference, started, updated,
                 submitted) in rows:
                yield SubmissionAnswers(sid, state, lang, pk, qid, version, reference, started,
                                        updated, submitted, answers.pop(sid))
            after = ids[-1]


def pinned_questionnaire(store: Store, questionnaire_pk: int) -> Any:
    """The definition stored under `questionnaire_pk` (parsed once per content, cached)."""
    with store._read() as db:
        return store._questionnaire(db, questionnaire_pk)


def judging_day(store: Store, reference_date: str | None) -> dt.date:
    """The day a submission's answers are judged against: its reference date, else today."""
    return dt.date.fromisoformat(reference_date) if reference_date else store._today()
