"""Command-line actions, thin over the core modules.

Each subcommand is a function registered with `@command`; it receives the parsed
arguments and returns the exit code. Problems a person can fix (a bad file, a locked
database) are printed as plain messages on stderr, never as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from screening_app.engine.answers import flatten_answers
from screening_app.engine.loader import DefinitionError, load_questionnaire, shipped_questionnaire_path
from screening_app.engine.session import Session
from screening_app.store.errors import StoreError

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Handler


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a subcommand: `configure` adds its arguments, the decorated function runs it."""

    def register(run: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, configure, run)
        return run

    return register


class UsageError(Exception):
    """Input the person can fix; printed as it is, exit code 2."""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def read_json(path: str) -> Any:
    """A JSON file (UTF-8, with or without a byte-order mark). NaN and Infinity, which
    JSON does not have and no answer can be, are refused like any other invalid JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        return json.loads(text, parse_constant=_refuse_constant)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error.__class__.__name__}") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path} is not valid JSON (line {error.lineno}, column {error.colno})") from None
    except ValueError as error:
        raise UsageError(f"{path} holds {error}, which is not a value JSON allows") from None
    except RecursionError:
        raise UsageError(f"{path} is nested too deeply to be a questionnaire's answers") from None


# ---------------------------------------------------------------- definition commands


def _check_definition_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a questionnaire definition (YAML)")


@command("check-definition", "validate a questionnaire definition file", _check_definition_args)
def check_definition(args: argparse.Namespace) -> int:
    try:
        q = load_questionnaire(args.file)
    except DefinitionError as error:
        print(f"{error.source}: {len(error.problems)} problem(s)")
        for problem in error.problems:
            print(f"  {problem}")
        return 1
    print(f"OK {q.id} {q.version}: {len(q.steps)} steps, {q.item_count()} items, {len(q.rules)} rules")
    return 0


def _evaluate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("answers", help="JSON object keyed by item id")
    parser.add_argument("--definition", default=None, help="definition file (default: the shipped one)")
    parser.add_argument("--today", type=iso_date, default=None, help="the day to evaluate on, YYYY-MM-DD")
    parser.add_argument("--lang", choices=["en", "es"], default="en")


def evaluation_report(session: Session) -> dict[str, Any]:
    """The `evaluate` output: flags, computed values, problems by path, not-applicable paths."""
    problems = session.problems()

    def by_path(severity: str) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for p in problems:
            if p.severity == severity:
                grouped.setdefault(p.path, []).append(p.message)
        return grouped

    return {
        "flags": [{"rule": f.rule, "severity": f.severity, "criterion": f.criterion,
                   "items": [{"item": e.path, "value": e.value} for e in f.evidence]}
                  for f in session.flags()],
        "computed": session.computed(),
        "errors": by_path("error"),
        "warnings": by_path("warning"),
        "not_applicable": session.not_applicable(),
    }


@command("evaluate", "what-if: flags, computed values and problems for a set of answers", _evaluate_args)
def evaluate_answers(args: argparse.Namespace) -> int:
    try:
        q = load_questionnaire(args.definition or shipped_questionnaire_path())
    except DefinitionError as error:
        raise UsageError(str(error)) from None
    raw = read_json(args.answers)
    if not isinstance(raw, dict):
        raise UsageError(f"{args.answers} must hold one JSON object keyed by item id")
    session = Session(q, flatten_answers(q, raw), lang=args.lang, today=args.today)
    print(json.dumps(evaluation_report(session), ensure_ascii=False, indent=2, default=str))
    return 0


# ---------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="MSC-in-MS screening questionnaire")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for spec in COMMANDS.values():
        child = sub.add_parser(spec.name, help=spec.help)
        spec.configure(child)
        child.set_defaults(handler=spec.run)
    return parser


def main(argv: list[str]) -> int:
    _load_command_modules()
    args = build_parser().parse_args(argv)
    if not getattr(args, "handler", None):
        build_parser().print_help()
        return 2
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StoreError as error:  # the environment's problem (locked, read-only, full...)
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (`list | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _load_command_modules() -> None:
    """Modules that register further subcommands (storage, exports) when they exist."""
    import importlib

    for module in ("screening_app.store.commands", "screening_app.export.commands",
                   "screening_app.demo", "screening_app.interop.commands"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if not (error.name and module.startswith(error.name)):
                raise  # a module that exists but fails to import is a bug
