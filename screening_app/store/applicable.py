"""Each submitted questionnaire's answers that apply, kept for the study exports.

Why: a CSV or REDCap export of 100,000 submissions spent most of its time gathering each
submission's answers into one JSON text in SQL, decoding it, and judging which answers
apply (branching) with the pinned definition (issue 14; docs/interop.md has the figures).
What applies is a function of three things only: the answers, the pinned definition
(append-only, checked against its hash) and the judging day (`reference_date`, fixed at
submission). So the store keeps it, as one JSON text per submission in
`applicable_answers` (engine.applicability.Applicable: the answered items that apply,
and each applying group's rows), and an export reads one row per submission.

Never stale, by construction rather than by care:

- Each row carries the id of the submission's newest audit row when it was written
  (`audit_id`) and the day it was judged on (`judged_on`). Every change of a
  submission's answers or status is audited in its own transaction, so any later change
  moves the newest audit id. The export (streaming.py) uses a row only when both still
  match and judges the submission again, as before, when not: a write path that forgot
  to refresh the row costs speed, never a wrong cell.
- The row is rewritten at the end of every write transaction that audited a change of a
  submission (`StoreBase._write` calls `_refresh_applicable`, review.py, before it
  commits), so it commits or rolls back with the change.
- Only submissions with a judging day of their own (submitted, checked, reviewed, and
  withdrawn after submission) are kept. Drafts change at every autosave (a judgement
  per keystroke would slow the kiosk) and are judged on the export's day: the export
  judges them as it always did.
- A pinned definition that no longer matches its hash is never used: such submissions
  get no row, and the export refuses them as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .audit_chain import definition_matches
from .normalise import from_json, to_json

if TYPE_CHECKING:  # the engine is imported when first needed: opening the store needs none
    from screening_app.engine.applicability import Applicability, Applicable

UPSERT = ("INSERT INTO applicable_answers (submission_id, audit_id, judged_on, answers_json)"
           " VALUES (?, ?, ?, ?) ON CONFLICT (submission_id) DO UPDATE SET"
           " audit_id = excluded.audit_id, judged_on = excluded.judged_on,"
           " answers_json = excluded.answers_json")
NEWEST_AUDIT = "SELECT max(id) FROM audit_log WHERE submission_id = ?"


def without_drawing(value: Any) -> Any:
    """A signature's answer without its drawing (`png` emptied): exports need only when it
    was signed (as SQL's json_replace did for them: only an object holds a drawing)."""
    if isinstance(value, dict) and "png" in value:
        return {**value, "png": ""}
    return value


def applicable_text(applicable: Applicable) -> str:
    return to_json({"answers": applicable.answers, "groups": applicable.groups})


def applicable_from_text(text: str) -> Applicable:
    from screening_app.engine.applicability import Applicable

    data = from_json(text)
    return Applicable(data["answers"], data["groups"])


def judged(plan: Applicability, answers: Mapping[str, Any], day: dt.date) -> Applicable:
    """What of `answers` (drawings left out) applies by `plan`'s definition on `day`."""
    return plan.judge({path: without_drawing(v) for path, v in answers.items()}, day).applicable()


def fill_applicable(conn: Any, batch: int = 500) -> None:
    """Every kept submission's row, for migration 0008 on either backend: `conn` executes
    the Store's SQL (`?` parameters): a sqlite3 connection, or a server's PostgresSql."""
    from screening_app.engine.applicability import Applicability
    from screening_app.engine.loader import DefinitionError, parse_questionnaire

    plans: dict[int, Applicability] = {}
    for pk, content_hash, source in conn.execute(
            "SELECT id, content_hash, source_text FROM questionnaires").fetchall():
        if definition_matches(content_hash, source):
            with contextlib.suppress(DefinitionError):  # unreadable: the export refuses it
                plans[pk] = Applicability(parse_questionnaire(source, f"stored definition {pk}"))
    after = 0
    while rows := conn.execute(
            "SELECT id, questionnaire_pk, reference_date FROM submissions WHERE id > ?"
            " AND status != 'draft' AND reference_date IS NOT NULL ORDER BY id LIMIT ?",
            (after, batch)).fetchall():
        first, after = rows[0][0], rows[-1][0]
        answers: dict[int, dict[str, Any]] = {}
        for sid, path, text in conn.execute(
                "SELECT submission_id, path, value_json FROM answers"
                " WHERE submission_id BETWEEN ? AND ?", (first, after)).fetchall():
            answers.setdefault(sid, {})[path] = from_json(text)
        newest = dict(conn.execute(
            "SELECT submission_id, max(id) FROM audit_log WHERE submission_id BETWEEN ? AND ?"
            " GROUP BY submission_id", (first, after)).fetchall())
        conn.executemany(UPSERT, [
            (sid, newest.get(sid), day, applicable_text(judged(
                plans[pk], answers.get(sid, {}), dt.date.fromisoformat(day))))
            for sid, pk, day in rows if pk in plans and sid in newest])
