"""The registry of export formats: what each format can write, filled by its own module.

`export.commands` (the `export` command) reads it; a format module (pdf, fhir, csv)
registers itself at import with `register_format`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Format:
    name: str
    # One submission: (store, submission_id, out_path) -> the path written.
    single: Callable[..., Path] | None = None
    # Many at once (`--all`): (store, out_path, status, deidentify, definition=, questionnaire_id=)
    # -> the paths written.
    bulk: Callable[..., list[Path]] | None = None


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt
