"""The registry of command-line actions, and what every command module shares.

A module that adds subcommands decorates each with `@command`; `screening_app.cli` builds
the parser from `COMMANDS` and runs the chosen one. Command modules import this module,
not `cli`, so that `cli` can import them without a cycle.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

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
    from datetime import date  # here: the kiosk imports this module before its first paint

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
