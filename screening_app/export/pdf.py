"""The clinician summary PDF as an export format: `export SUBMISSION --format pdf --out FILE`.

The file is written as every file of the app is (`screening_app.files`): privately (0600),
complete or not at all.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from screening_app.export.formats import Format, register_format
from screening_app.export.pdf_summary import build_summary, gather
from screening_app.files import write_bytes


def default_file_name(store: Any, submission_id: int) -> str:
    """Names the submission by its number only: the resume code opens a draft at the
    kiosk, and a file name is seen by whoever sees the folder."""
    return f"screening-summary-{store.get_submission(submission_id).id}.pdf"


def export_pdf(store: Any, submission_id: int, out_path: str | os.PathLike[str],
               *, generated_at: datetime | None = None) -> Path:
    """Write the clinician summary of one submission; returns the path written.

    `out_path` may name an existing folder: the file then gets a default name inside it.
    Raises the store's NotFound for an unknown submission and OSError when the file cannot
    be written.
    """
    target = Path(out_path).expanduser()
    if target.is_dir():
        target = target / default_file_name(store, submission_id)
    data = build_summary(gather(store, submission_id, generated_at))
    write_bytes(target, data)
    return target.absolute()


register_format(Format("pdf", single=export_pdf))
