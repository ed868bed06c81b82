"""`export --all --format csv`: every submission as CSV files (see interop/csv_export.py).

Thin: streams the store's submissions of the shipped questionnaire (any of its versions;
each judged with the definition it is pinned to) into `CsvExport`. Memory stays at one
batch of submissions whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from screening_app.definition import Questionnaire, load_questionnaire, shipped_questionnaire_path
from screening_app.export.commands import Format, register_format
from screening_app.interop.csv_export import CsvExport, ExportRecord
from screening_app.store.records import STATUSES
from screening_app.store.streaming import iter_submission_answers, judging_day, pinned_questionnaire


def export_records(store: Any, q: Questionnaire, status: str | None = None) -> Iterator[ExportRecord]:
    for sub in iter_submission_answers(store, status=status, questionnaire_id=q.id):
        yield ExportRecord(
            submission_id=sub.id, questionnaire_version=sub.questionnaire_version, status=sub.status,
            lang=sub.lang, started_at=sub.started_at, submitted_at=sub.submitted_at,
            updated_at=sub.updated_at, answers=sub.answers,
            questionnaire=pinned_questionnaire(store, sub.questionnaire_pk),
            today=judging_day(store, sub.reference_date))


def export_csv(store: Any, out: Path, status: str | None, deidentify: bool,
               questionnaire: Questionnaire | None = None) -> list[Path]:
    from screening_app.cli import UsageError

    if status is not None and status not in STATUSES:
        raise UsageError(f"--status must be one of: {', '.join(STATUSES)}")
    q = questionnaire or load_questionnaire(shipped_questionnaire_path())
    return CsvExport(q, deidentify).write(Path(out), export_records(store, q, status))


register_format(Format("csv", bulk=export_csv))
