"""`export-definition` and `import-definition`: questionnaires to and from FHIR R4.

    python main.py export-definition [FILE] --format fhir --out questionnaire.json
    python main.py import-definition questionnaire.json --out definition.yaml [--source-note NOTE.txt]

`import-definition` writes the converted definition, prints what was not converted, and
checks the result as `check-definition` does (exit code 1 when it does not load yet). The
header names the source file, the source's canonical, publisher and copyright, and the
lines of `--source-note` (where the file came from and its licences, when the resource
does not say).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from screening_app.commands import UsageError, command, read_json
from screening_app.engine.loader import (
    DefinitionError,
    load_questionnaire,
    load_text,
    shipped_questionnaire_path,
)
from screening_app.files import write_text

from . import fhir_common as fc
from .fhir_import import FhirImportError
from .fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir


def _write(path: Path, text: str) -> None:
    """Through `files.write_text`: a failure leaves an earlier file of that name whole."""
    try:
        write_text(path, text)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error.__class__.__name__}") from None


def _export_definition_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=None,
                        help="a questionnaire definition (default: the shipped one)")
    parser.add_argument("--format", choices=["fhir"], required=True, help="fhir: a FHIR R4 Questionnaire")
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")


@command("export-definition", "write a questionnaire definition as a FHIR R4 Questionnaire",
         _export_definition_args)
def export_definition(args: argparse.Namespace) -> int:
    try:
        q = load_questionnaire(args.file or shipped_questionnaire_path())
    except DefinitionError as error:
        raise UsageError(str(error)) from None
    resource = questionnaire_to_fhir(q)
    _write(args.out, json.dumps(resource, ensure_ascii=False, indent=2) + "\n")
    print(args.out)
    return 0


def _import_definition_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a FHIR R4 Questionnaire (JSON)")
    parser.add_argument("--out", type=Path, required=True, help="the definition (YAML) to write")
    parser.add_argument("--source-note", type=Path, default=None, metavar="FILE",
                        help="a text file whose lines go into the header (origin, licences)")


def _source_note(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        return [line.rstrip() for line in path.read_text(encoding="utf-8").splitlines()]
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error.__class__.__name__}") from None


@command("import-definition", "convert a FHIR R4 Questionnaire into a questionnaire definition",
         _import_definition_args)
def import_definition(args: argparse.Namespace) -> int:
    resource = read_json(args.file)
    where = fc.lone_surrogate(resource)
    if where is not None:
        raise UsageError(f"{args.file}: the text at {where} holds a lone surrogate (a \\ud800-style "
                         "escape that is no character); nothing was written")
    try:
        imported = questionnaire_from_fhir(resource, source=Path(args.file).name,
                                           source_note=_source_note(args.source_note))
    except FhirImportError as error:
        raise UsageError(f"{args.file}: {error}") from None
    _write(args.out, imported.yaml_text)
    print(f"Wrote {args.out} (languages: {', '.join(imported.definition['languages'])}).")
    if imported.notes:
        print(f"Not converted exactly ({len(imported.notes)}); review before use:")
        for note in imported.notes:
            print(f"  - {note}")
    try:
        q = load_text(imported.yaml_text, str(args.out))
    except DefinitionError as error:
        print(f"The converted definition does not load yet; fix it by hand:\n{error}", file=sys.stderr)
        return 1
    print(f"OK {q.id} {q.version}: {len(q.steps)} steps, {q.item_count()} items")
    return 0
