"""`export --all --format csv`: every submission of one questionnaire as CSV files.

Thin: streams the store's submissions of the chosen questionnaire (the shipped one unless
`--definition FILE` or `--questionnaire ID` says otherwise; any of its versions, each
judged with the definition it is pinned to) into `interop.csv_export.CsvExport`, and says
how many were exported and how many of other questionnaires were left out. Memory stays
at one batch of submissions whatever their number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import DefinitionError, load_questionnaire, shipped_questionnaire_path
from screening_app.export.formats import Format, counted, register_format
from screening_app.i18n import tr
from screening_app.interop.csv_export import CsvExport, ExportRecord
from screening_app.store.records import STATUSES
from screening_app.store.streaming import count_by_questionnaire, iter_applicable, latest_questionnaire


def export_records(store: Any, q: Questionnaire, status: str | None = None) -> Iterator[ExportRecord]:
    return iter_applicable(store, status=status, questionnaire_id=q.id)


def chosen_questionnaire(store: Any, definition: str | Path | None = None,
                         questionnaire_id: str | None = None) -> Questionnaire:
    """The definition whose items are the columns: a file, the newest stored version of an
    id (the shipped file for the shipped id), or the shipped questionnaire."""
    from screening_app.commands import UsageError

    if definition is not None:
        try:
            q = load_questionnaire(definition)
        except DefinitionError as error:
            raise UsageError(str(error)) from None
        if questionnaire_id is not None and questionnaire_id != q.id:
            raise UsageError(tr("en", "interop.csv.id_mismatch", file=definition, id=q.id,
                                questionnaire=questionnaire_id))
        return q
    shipped = load_questionnaire(shipped_questionnaire_path())
    if questionnaire_id is None or questionnaire_id == shipped.id:
        return shipped
    stored = latest_questionnaire(store, questionnaire_id)
    if stored is None:
        known = ", ".join(count_by_questionnaire(store)) or "-"
        raise UsageError(tr("en", "interop.csv.unknown_questionnaire", id=questionnaire_id, known=known))
    return stored


def chosen_submissions(store: Any, status: str | None, definition: str | Path | None = None,
                       questionnaire_id: str | None = None, questionnaire: Questionnaire | None = None,
                       progress: Callable[[int, int], None] | None = None
                       ) -> tuple[Questionnaire, Iterator[ExportRecord], str]:
    """For a study export (CSV, REDCap): the questionnaire whose items are the columns, its
    submissions (streamed; `progress(done, total)` as they are read, see formats.counted)
    and the line that says how many, and how many were left out."""
    from screening_app.commands import UsageError

    if status is not None and status not in STATUSES:
        raise UsageError(f"--status must be one of: {', '.join(STATUSES)}")
    q = questionnaire or chosen_questionnaire(store, definition, questionnaire_id)
    counts = count_by_questionnaire(store, status=status)
    others = {qid: n for qid, n in counts.items() if qid != q.id}
    if not counts.get(q.id) and others:
        # Nothing of this questionnaire, but submissions of others: an empty file would
        # look like an empty clinic. Say what there is instead.
        raise UsageError(tr("en", "interop.csv.none_of_this", id=q.id, others=_listed(others)))
    # The hint to choose one only when none was chosen (by id, file or the desk's choice).
    chosen = questionnaire is not None or definition is not None or questionnaire_id is not None
    left_out = "interop.csv.left_out_chosen" if chosen else "interop.csv.left_out"
    summary = tr("en", "interop.csv.summary", count=counts.get(q.id, 0), id=q.id) + (
        tr("en", left_out, count=sum(others.values()), others=_listed(others)) if others else "")
    return q, counted(export_records(store, q, status), counts.get(q.id, 0), progress), summary


def export_csv(store: Any, out: Path, status: str | None, deidentify: bool,
               questionnaire: Questionnaire | None = None, *, definition: str | Path | None = None,
               questionnaire_id: str | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Path]:
    q, records, summary = chosen_submissions(store, status, definition, questionnaire_id, questionnaire,
                                             progress)
    exporter = CsvExport(q, deidentify)
    paths = exporter.write(Path(out), records)
    print(summary)
    if deidentify:
        print(tr("en", "interop.deidentify.blanked", count=exporter.deidentifier.blanked))
    return paths


def _listed(counts: dict[str, int]) -> str:
    return ", ".join(f"{qid} ({n})" for qid, n in counts.items())


register_format(Format("csv", bulk=export_csv))
