"""Command-line actions, thin over the core modules: the entry point and the definition
commands.

Each subcommand is a function registered with `@command` (screening_app.commands); it
receives the parsed arguments and returns the exit code. The modules that register more
(storage, exports, demo, interop) are named in `COMMAND_MODULES` and imported here; they
import the registry, never this module. Problems a person can fix (a bad file, a locked
database) are printed as plain messages on stderr, never as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from screening_app.commands import COMMANDS, UsageError, command, iso_date, read_json
from screening_app.engine.answers import flatten_answers
from screening_app.engine.loader import DefinitionError, load_questionnaire, shipped_questionnaire_path
from screening_app.engine.session import Session
from screening_app.store.errors import REFUSED_AS_INPUT, StoreError
from screening_app.store.keys import add_key_file_argument
from screening_app.terminal import escaped_output
from screening_app.version import app_command

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
        return 2  # a refused input, as everywhere (issue 12: the alias bomb, exit 2)
    checks = sum(1 for rule in q.rules if rule.kind == "consistency")
    print(f"OK {q.id} {q.version}: {len(q.steps)} steps, {q.item_count()} items, "
          f"{len(q.rules) - checks} rules" + (f", {checks} consistency rules" if checks else ""))
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
    parser = argparse.ArgumentParser(prog=app_command().removeprefix("python "),
                                     description="MSC-in-MS screening questionnaire")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for spec in COMMANDS.values():
        child = sub.add_parser(spec.name, help=spec.help)
        spec.configure(child)
        add_key_file_argument(child)  # every command may need the database key
        child.set_defaults(handler=spec.run)
    return parser


def main(argv: list[str]) -> int:
    """Run one command; what it prints is escaped for the terminal (`terminal`)."""
    with escaped_output():
        return _run(argv)


def _run(argv: list[str]) -> int:
    _load_command_modules()
    args = build_parser().parse_args(argv)
    if not getattr(args, "handler", None):
        build_parser().print_help()
        return 2
    try:
        from screening_app.store.keys import use_key_file

        use_key_file(args.key_file)
        _warn_about_plain_databases()
        return args.handler(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except StoreError as error:  # the environment's problem (locked, read-only, full...)
        print(f"error: {error.message}", file=sys.stderr)
        return 2 if error.code in REFUSED_AS_INPUT else 1  # ...or the --db file given
    except BrokenPipeError:  # the reader stopped early (`list | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


COMMAND_MODULES = ("screening_app.store.commands", "screening_app.store.admin_commands",
                   "screening_app.store.server_commands",
                   "screening_app.export.commands",
                   "screening_app.demo", "screening_app.interop.commands")


def _warn_about_plain_databases() -> None:
    from screening_app.store.errors import ErrorCode
    from screening_app.store.service import PLAIN_DATABASE_LISTENERS

    def warn(path: object) -> None:
        print("warning: " + ErrorCode.NOT_ENCRYPTED.say(path=path), file=sys.stderr)

    if not any(getattr(f, "__name__", "") == "warn" for f in PLAIN_DATABASE_LISTENERS):
        PLAIN_DATABASE_LISTENERS.append(warn)


def _load_command_modules() -> None:
    """Modules that register further subcommands (storage, exports) when they exist."""
    import importlib

    for module in COMMAND_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if not (error.name and module.startswith(error.name)):
                raise  # a module that exists but fails to import is a bug
