"""The registry of export formats: what each format can write, filled by its own module.

`export.commands` (the `export` command) reads it; a format module (pdf, fhir, csv)
registers itself at import with `register_format`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar


@dataclass(frozen=True)
class Format:
    name: str
    # One submission: (store, submission_id, out_path) -> the path written.
    single: Callable[..., Path] | None = None
    # Many at once (`--all`): (store, out_path, status, deidentify, definition=, questionnaire_id=,
    # progress=) -> the paths written. `progress(done, total)` is called as records are
    # written (the desk's progress bar); it may raise ExportCancelled, which leaves no file.
    bulk: Callable[..., list[Path]] | None = None


class ExportCancelled(Exception):
    """Raised by a progress callback to stop a bulk export: no file is left written."""


Record = TypeVar("Record")


def counted(records: Iterable[Record], total: int,
            progress: Callable[[int, int], None] | None) -> Iterator[Record]:
    """`records`, calling `progress(done, total)` before the first and after each one.

    When progress raises (a cancel), `records` is closed at once, so a generator reading
    the store ends its read while the store is still open."""
    if progress is None:
        yield from records
        return
    remaining = iter(records)
    try:
        progress(0, total)
        for done, record in enumerate(remaining, start=1):
            yield record
            progress(done, total)
    finally:
        close = getattr(remaining, "close", None)
        if close is not None:
            close()


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt
