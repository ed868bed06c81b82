"""Storage subcommands: import-responses, list, backup (registered with screening_app.commands).

`import-responses` stores each answers object as its own all-or-nothing change: a
candidate plus a submission, `submitted` when complete and valid, otherwise a `draft`
with its problems. A FHIR QuestionnaireResponse's `status` decides too: `in-progress`
stays a draft, `stopped` is stored and withdrawn, `entered-in-error` is refused. An entry
is refused (nothing of it stored, exit code 1; the entries after it are still tried) when
it is not an object, names items the questionnaire does not have, holds an answer no
questionnaire can take (a number that is not finite such as `1e400`, control,
text-direction or surrogate characters, a text longer or a group with more rows than the
item allows: `engine.validation.refusals`), or matches an existing candidate (same names and date of
birth, ignoring case and accents) - re-importing a file must not create everyone twice;
`--allow-duplicates` stores such entries anyway.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from screening_app.commands import UsageError, command, iso_date, read_json
from screening_app.engine.answers import flatten_answers, item_for_path
from screening_app.engine.loader import DefinitionError, load_questionnaire, shipped_questionnaire_path
from screening_app.engine.validation import refusals

from .errors import StoreError
from .paths import default_db_path
from .records import SEVERITIES, STATUSES
from .service import Store
from .target import DB_ENV, database_target


def add_db_argument(parser: argparse.ArgumentParser, *, name: str = "--db",
                    required: bool = False, about: str = "the database") -> None:
    parser.add_argument(name, metavar="PATH_OR_URL", default=None, required=required,
                        help=f"{about}: a file, or a clinic server's postgresql://USER@HOST/DBNAME"
                        f" (default: ${DB_ENV}, else {default_db_path()}); a server's password "
                        "comes from ~/.pgpass or PGPASSFILE, never from here")


def announce_new_database(db: str | None) -> None:
    """Commands that may make a database file say so before they do (a mistyped --db
    shows). A server's database is never made here (init-server prepares it)."""
    target = database_target(db)
    if isinstance(target, Path) and not target.exists():
        print(f"Created a new database at {target}", file=sys.stderr)


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in some service environments
        return "cli"


def _actor_name(text: str) -> str:
    """--actor: one line of at most 64 printable characters (it is shown in the audit trail)."""
    from .normalise import is_plain_line

    if not text.strip() or len(text) > 64 or not is_plain_line(text):
        raise argparse.ArgumentTypeError("--actor must be one line of 1 to 64 characters, "
                                         "without control or text-direction characters")
    return text.strip()


# ---------------------------------------------------------------- import-responses


def _import_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="JSON: one answers object (as for `evaluate`) or a FHIR R4 "
                        "QuestionnaireResponse, or a list of them")
    add_db_argument(parser)
    parser.add_argument("--today", type=iso_date, default=None,
                        help="the day the answers are judged against, YYYY-MM-DD (default: "
                        "today; for a QuestionnaireResponse, the day it was authored)")
    parser.add_argument("--definition", default=None,
                        help="definition file (default: the shipped questionnaire)")
    parser.add_argument("--lang", default=None, help="language of the answers (default: the "
                        "questionnaire's first; for a QuestionnaireResponse, its language)")
    parser.add_argument("--actor", default=None, type=_actor_name,
                        help="name recorded in the audit log")
    parser.add_argument("--allow-duplicates", action="store_true",
                        help="store entries even when a candidate with the same names and "
                        "date of birth exists")
    parser.add_argument("--skip-unknown", action="store_true",
                        help="import a QuestionnaireResponse that answers items the definition "
                        "does not have, leaving those answers out (they are listed)")


def _unknown_paths(questionnaire: Any, answers: dict[str, Any]) -> list[str]:
    return sorted(path for path in answers if item_for_path(questionnaire, path) is None)


@command("import-responses", "store answers objects as candidates and submissions",
         _import_args)
def import_responses(args: argparse.Namespace) -> int:
    try:
        questionnaire = load_questionnaire(args.definition or shipped_questionnaire_path())
    except DefinitionError as error:
        raise UsageError(str(error)) from None
    if args.lang is not None and args.lang not in questionnaire.languages:
        raise UsageError(f"--lang must be one of {', '.join(questionnaire.languages)}")
    raw = read_json(args.file)
    entries = raw if isinstance(raw, list) else [raw]
    actor = args.actor or default_actor()
    refused = 0
    announce_new_database(args.db)
    with Store.open(args.db) as store:
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                print(f"entry {number}: not stored: it is not a JSON object", file=sys.stderr)
                refused += 1
                continue
            lang, today, setting, reason, origin, said = args.lang, args.today, None, None, None, []
            # A FHIR QuestionnaireResponse (from another system) becomes an answers object,
            # in its own language and judged on the day it was answered, unless told otherwise;
            # its status says whether to submit it, keep it a draft or withdraw it.
            if entry.get("resourceType") == "QuestionnaireResponse":
                from screening_app.interop import fhir_response as fr

                try:
                    setting = fr.response_setting(questionnaire, entry)
                    read = fr.read_response(questionnaire, entry, skip_unknown=args.skip_unknown)
                except ValueError as error:
                    print(f"entry {number}: not stored: {error}", file=sys.stderr)
                    refused += 1
                    continue
                resource, entry, origin = entry, read.answers, read.origin
                said = [*read.notes] + ([f"left out, not in the definition: {', '.join(read.skipped)}"]
                                        if read.skipped else [])
                lang, today = lang or setting.lang, today or setting.day
                if setting.withdraw:
                    reason = fr.withdrawal_reason(resource, lang or questionnaire.languages[0])
            answers = {k: v for k, v in flatten_answers(questionnaire, entry).items()
                       if v is not None}
            unknown = _unknown_paths(questionnaire, answers)
            if unknown:
                print(f"entry {number}: not stored: unknown items: {', '.join(unknown)}",
                      file=sys.stderr)
                refused += 1
                continue
            cannot = refusals(questionnaire, answers)
            if cannot:
                print(f"entry {number}: not stored: "
                      + "; ".join(f"{path}: {why}" for path, why in cannot), file=sys.stderr)
                refused += 1
                continue
            try:
                result = store.import_submission(
                    questionnaire, answers, actor, lang=lang, today=today,
                    allow_duplicate=args.allow_duplicates,
                    submit=setting is None or setting.submit, withdraw_reason=reason, origin=origin)
            except StoreError as error:
                print(f"entry {number}: not stored: {error.message}", file=sys.stderr)
                refused += 1
                continue
            outcome = f" ({fr.import_outcome(setting, result.status)})" if setting else ""
            print(f"{result.submission_id} {result.code} {result.status}{outcome}")
            for line in said:
                print(f"    {line}")
            for problem in result.problems:
                print(f"    {problem.path}: {problem.message}")
    return 1 if refused else 0


# ---------------------------------------------------------------- list


def _list_args(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--status", choices=STATUSES, default=None)
    parser.add_argument("--search", default=None,
                        help="name fragment, date of birth, phone digits, id or code")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def _flag_summary(flags: dict[str, int]) -> str:
    return " ".join(f"{sev}:{flags.get(sev, 0)}" for sev in SEVERITIES)


@command("list", "submissions, newest first", _list_args)
def list_submissions(args: argparse.Namespace) -> int:
    with Store.open(args.db, existing=True, check=False) as store:
        rows = store.list_submissions(status=args.status, search=args.search,
                                      limit=max(args.limit, 0))
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No submissions.")
        return 0
    for row in rows:
        name = row.candidate or "(no name yet)"
        print(f"{row.id:>7}  {row.code}  {row.status:<9}  {_flag_summary(row.flags)}  "
              f"{row.updated_at}  {name}")
    return 0


# ---------------------------------------------------------------- backup


def _backup_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE", required=True, help="the backup file to write")
    add_db_argument(parser)


@command("backup", "write a consistent copy of the database (safe while the app runs)",
         _backup_args)
def backup(args: argparse.Namespace) -> int:
    with Store.open(args.db, existing=True, check=False) as store:
        out = store.backup(args.out)
    print(f"Backup written to {out} ({out.stat().st_size} bytes).")
    return 0


# ---------------------------------------------------------------- verify-audit


def _verify_audit_args(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)


@command("verify-audit", "check the audit trail's hash chain (exit 1 when it is broken)",
         _verify_audit_args)
def verify_audit(args: argparse.Namespace) -> int:
    with Store.open(args.db, existing=True) as store:
        check = store.verify_audit()
    if check.intact:
        print(f"intact: {check.rows} audit rows, last hash {check.head}")
        return 0
    if check.broken_id is not None:
        print(f"broken at audit row {check.broken_id}: {check.problem}. The {check.rows} rows "
              "before it are intact. Keep this file as it is and compare it with a backup.")
    for pk in check.changed_definitions:
        print(f"changed outside the app: pinned questionnaire definition {pk} (its text no "
              "longer matches the hash it was pinned under). Keep this file as it is and "
              "compare it with a backup.")
    return 1


# ---------------------------------------------------------------- encrypt-database


def _encrypt_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", required=True,
                        help="the plain database to encrypt in place")


@command("encrypt-database", "encrypt a plain database of an older version in place, checked "
         "before the plain file is replaced", _encrypt_args)
def encrypt_database_command(args: argparse.Namespace) -> int:
    from .encrypt import encrypt_database
    from .keys import key_location
    from .service import PLAIN_DATABASE_LISTENERS

    PLAIN_DATABASE_LISTENERS.clear()  # no "run encrypt-database" while running it
    result = encrypt_database(Path(args.db))
    if result.already:
        print(f"{result.path} is already encrypted; nothing was changed.")
        return 0
    print(f"Encrypted {result.path}: {result.tables} tables and {result.rows} rows checked, "
          f"audit trail intact ({result.audit_rows} rows). The key is kept in "
          f"{key_location()}.")
    print("Backups made before now are not encrypted: make a new backup, then delete them.")
    return 0
