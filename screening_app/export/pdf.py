"""The clinician summary PDF as an export format: `export SUBMISSION --format pdf --out FILE`.

The file is written atomically: a private temporary file beside the target (mode 0600 from
the start), flushed and fsynced, then renamed over the target, so a reader never sees half
a summary and a failed export leaves no stray file. The summary is health information, so
the result stays owner-only (0600) even when it replaces a file with wider permissions.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from screening_app.export.commands import Format, register_format
from screening_app.export.pdf_summary import build_summary, gather


def default_file_name(store: Any, submission_id: int) -> str:
    record = store.get_submission(submission_id)
    return f"screening-summary-{record.id}-{record.code}.pdf"


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
    write_private(target, data)
    return target.absolute()


def write_private(target: Path, data: bytes) -> None:
    """Atomically replace `target` with `data`, owner-only."""
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


register_format(Format("pdf", single=export_pdf))
