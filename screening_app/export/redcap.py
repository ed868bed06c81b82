"""`export --all --format redcap --out PREFIX`: a REDCap data dictionary and data import file.

Thin: the same questionnaire choice and the same stream of submissions as the CSV export
(`export.csv`), written by `interop.redcap.RedcapProject` as `PREFIX_dictionary.csv` and
`PREFIX_data.csv`; it says how many were exported, which variable names were shortened,
and (de-identified) how many values were left blank as not valid for their item.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from screening_app.export.csv import chosen_submissions
from screening_app.export.formats import Format, register_format
from screening_app.i18n import tr
from screening_app.interop.redcap import RedcapProject


def export_redcap(store: Any, out: Path, status: str | None, deidentify: bool, *,
                  definition: str | Path | None = None, questionnaire_id: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[Path]:
    q, records, summary = chosen_submissions(store, status, definition, questionnaire_id,
                                             progress=progress)
    project = RedcapProject(q, deidentify)
    paths, blanked = project.write(Path(out), records)
    print(summary)
    for path, name in project.shortened:
        print(tr("en", "interop.redcap.renamed", path=path, name=name))
    if deidentify:
        print(tr("en", "interop.deidentify.blanked", count=blanked))
    return paths


register_format(Format("redcap", bulk=export_redcap))
