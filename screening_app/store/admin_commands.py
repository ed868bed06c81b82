"""Running the clinic without Python: the `users` and `settings` commands.

    main.py users add USER [--role coordinator|clinician|admin] [--name "Full Name"] [--pin-stdin]
    main.py users list | disable USER | enable USER | reset-pin USER [--pin-stdin]
    main.py settings list | get KEY | set KEY VALUE

A PIN or password is never an argument (it would stay in the shell's history and be seen
in the process list): it is asked twice without echo, or read from the first line of
standard input with `--pin-stdin` (for scripts). The store checks it (its minimum length)
and every setting (the registry in store/settings.py); every change is audited with the
actor `cli:<login name>`. A refusal (a short PIN, an unknown user or setting, a value out
of range) is exit 2; a database that cannot be used, exit 1.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from screening_app.commands import UsageError, command

from .commands import add_db_argument, default_actor
from .errors import DatabaseBusy, DatabaseDamaged, DatabaseTooNew, DatabaseUnavailable, StoreError
from .records import ROLES, User
from .service import Store
from .settings import SETTINGS, setting

_ENVIRONMENT = (DatabaseBusy, DatabaseUnavailable, DatabaseDamaged, DatabaseTooNew)


def _refusals_are_usage(run):
    """The store's refusals of what was typed are the person's to fix: exit 2, its words."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except StoreError as error:
            if isinstance(error, _ENVIRONMENT):
                raise
            raise UsageError(error.message) from None

    return wrapped


def _plain(text: str) -> str:
    """A stored text as one safe terminal line (no escape sequences, no line breaks)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _read_secret(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UsageError("--pin-stdin: standard input is empty")
        return line.removesuffix("\n").removesuffix("\r")
    try:
        first = getpass.getpass("New PIN or password: ")
        again = getpass.getpass("The same again: ")
    except EOFError:
        raise UsageError("no PIN was typed (use --pin-stdin to read it from standard input)") from None
    if first != again:
        raise UsageError("the two PINs are not the same; nothing was changed")
    return first


# ---------------------------------------------------------------- users


def _users_args(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a desk user (the PIN is asked, never an argument)")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="coordinator")
    add.add_argument("--name", default="", help="the full name shown on the desk")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    actions.add_parser("list", help="every user, with role and state")
    for name, about in (("disable", "stop a user from signing in"),
                        ("enable", "let a disabled user sign in again")):
        actions.add_parser(name, help=about).add_argument("username")
    reset = actions.add_parser("reset-pin", help="set a new PIN (also lifts a lockout)")
    reset.add_argument("username")
    reset.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    for child in actions.choices.values():
        add_db_argument(child)


def _state(user: User) -> str:
    if user.disabled:
        return "disabled"
    return f"locked until {user.locked_until}" if user.locked_until else "enabled"


@command("users", "add, list, disable, enable desk users and set a new PIN", _users_args)
@_refusals_are_usage
def users(args: argparse.Namespace) -> int:
    actor = default_actor()
    # Adding the first user may create the database (as the desk's first start does).
    with Store.open(args.db, existing=args.action != "add") as store:
        if args.action == "list":
            rows = [(u.username, u.role, _state(u), u.last_sign_in_at or "never",
                     u.display_name) for u in store.list_users()]
            header = ("USER", "ROLE", "STATE", "LAST SIGN-IN", "NAME")
            widths = [max(len(_plain(str(r[i]))) for r in [header, *rows]) for i in range(4)]
            for row in [header, *rows]:
                cells = [_plain(str(v)).ljust(w) for v, w in zip(row, widths, strict=False)]
                print("  ".join([*cells, _plain(str(row[4]))]).rstrip())
            return 0
        if args.action == "add":
            secret = _read_secret(args)
            user = store.create_user(args.username, args.name, args.role, secret, actor=actor)
            print(f"added {_plain(user.username)} ({user.role})")
        elif args.action in ("disable", "enable"):
            store.set_user_disabled(args.username, args.action == "disable", actor=actor)
            print(f"{_plain(args.username)}: {args.action}d")
        else:
            store.get_user(args.username)  # an unknown name is said before the PIN is asked
            store.reset_secret(args.username, _read_secret(args), actor=actor)
            print(f"{_plain(args.username)}: new PIN set")
    return 0


# ---------------------------------------------------------------- settings


def _settings_args(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every setting: value, default, what is allowed")
    actions.add_parser("get", help="one setting's value").add_argument("key")
    change = actions.add_parser("set", help="change one setting (checked)")
    change.add_argument("key")
    change.add_argument("value")
    for child in actions.choices.values():
        add_db_argument(child)


def _allowed(key: str) -> str:
    spec = SETTINGS[key]
    if spec.is_number:
        return f"{spec.minimum}..{spec.maximum}"
    return " | ".join(spec.choices) if spec.choices else f"text, up to {spec.max_length}"


@command("settings", "list, get or set the clinic's settings", _settings_args)
@_refusals_are_usage
def settings(args: argparse.Namespace) -> int:
    if args.action != "list":
        setting(args.key)  # an unknown key is said before the database is opened
    with Store.open(args.db, existing=True) as store:
        if args.action == "list":
            for key, spec in SETTINGS.items():
                value = json.dumps(store.get_setting(key), ensure_ascii=False)
                print(f"{key} = {_plain(value)}    ({_allowed(key)}; default "
                      f"{json.dumps(spec.default)}) {spec.about}")
        elif args.action == "get":
            print(_plain(str(store.get_setting(args.key))))
        else:
            store.set_setting(args.key, setting(args.key).parse(args.value), actor=default_actor())
            print(f"{args.key} = {_plain(str(store.get_setting(args.key)))}")
    return 0
