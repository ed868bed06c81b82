"""`export`: one command over the registry of formats (screening_app.export.formats).

A format module (pdf, fhir, csv) calls `register_format` at import; this module imports
every known format module when the command runs, so `list` or `backup` never load
reportlab. Format modules import the registry, not this module: no cycle.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from screening_app.commands import UsageError, command
from screening_app.export.formats import FORMATS, Format

FORMAT_MODULES = ("screening_app.export.pdf", "screening_app.export.fhir", "screening_app.export.csv",
                  "screening_app.export.redcap")


def load_formats() -> dict[str, Format]:
    for module in FORMAT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if not (error.name and module.startswith(error.name)):
                raise  # a module that exists but fails to import is a bug
    return FORMATS


def _out_path(text: str) -> Path:
    """The --out file; an empty name is refused (Path("") would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("--out needs a file or folder name")
    return Path(text)


def _export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submission", nargs="?", help="submission id (or its code)")
    parser.add_argument("--all", action="store_true", help="every submission (bulk formats)")
    parser.add_argument("--format", required=True, help="pdf, fhir, csv or redcap")
    parser.add_argument("--out", required=True, type=_out_path, help="file to write")
    parser.add_argument("--status", default=None, help="with --all: only submissions in this status")
    parser.add_argument("--deidentify", action="store_true", help="with --all: drop direct identifiers")
    parser.add_argument("--definition", default=None, metavar="FILE",
                        help="with --all: the questionnaire to export, a file (default: the shipped one)")
    parser.add_argument("--questionnaire", default=None, metavar="ID",
                        help="with --all: the id of the questionnaire whose submissions to export")
    from screening_app.store.commands import add_db_argument

    add_db_argument(parser)


@command("export", "write a submission (or all, for csv) as pdf, fhir or csv", _export_args)
def export(args: argparse.Namespace) -> int:
    from screening_app.store import Store, StoreError
    from screening_app.store.errors import REFUSED_AS_INPUT

    fmt = load_formats().get(args.format)
    if fmt is None:
        raise UsageError(f"unknown format {args.format!r}; choose one of: {', '.join(sorted(FORMATS))}")
    if args.all == (args.submission is not None):
        raise UsageError("give either a submission id or --all")
    if not args.all:  # never quietly unapplied: a "de-identified" PDF would name the person
        for option, given in (("--deidentify", args.deidentify), ("--status", args.status),
                              ("--definition", args.definition),
                              ("--questionnaire", args.questionnaire)):
            if given:
                raise UsageError(f"{option} is for study exports (--all); a single "
                                 f"submission's {fmt.name} is its whole record")
    try:
        with Store.open(args.db, existing=True, check=False) as store:
            if args.all:
                if fmt.bulk is None:
                    raise UsageError(f"--all is not available for {fmt.name}")
                paths = fmt.bulk(store, args.out, args.status, args.deidentify,
                                 definition=args.definition, questionnaire_id=args.questionnaire)
            else:
                if fmt.single is None:
                    raise UsageError(f"{fmt.name} exports all submissions at once: use --all")
                submission_id = store.resolve_submission(args.submission)
                paths = [fmt.single(store, submission_id, args.out)]
    except StoreError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2 if error.code in REFUSED_AS_INPUT else 1
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror or error.__class__.__name__}",
              file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0
