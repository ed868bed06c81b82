"""Errors the store raises on purpose, each with a stable code from one catalogue.

`StoreError` is the one type the UI and the command line catch: it stands for a problem
of the environment (file locked, read-only folder, disk full, damaged file, a database
from a newer version of the app) or a refusal that a person can act on (a missing reason,
an incomplete questionnaire, a sign-in refused).

Every StoreError carries a `code` (an `ErrorCode`, fixed where the failure is understood:
`connection.translate_sqlite_error` knows it from SQLite's primary result code) and the
`params` its words need. The desk and the kiosk choose their words from the code
(`desk.store.<code>` in the translations); the English `message`, built from the
catalogue, is the command line's and the log's. Params are never patient data: no names,
no answers, no values, only a database file's path, a count or an id.

Anything else that escapes the store (``ValueError``, ``TypeError``, an unexpected
``sqlite3`` error) is a bug in the calling code and is left to crash loudly in tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from screening_app.version import app_command


class ErrorCode(StrEnum):
    """Why the store refused; the value is stable (texts and tests key on it).

    Each member carries its English words with `{name}` placeholders for its params.
    Adding a reason: a member here, then `desk.store.<value>` in desk.en.yaml and
    desk.es.yaml (tests/store/test_store_errors.py checks both).
    """

    english: str

    def __new__(cls, value: str, english: str) -> ErrorCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.english = english
        return member

    def say(self, **params: Any) -> str:
        """The English words with `params` (and `{command}`: how this app's commands are run)."""
        return self.english.format(**{"command": app_command(), **params})

    # -- the database file and the computer under it ------------------------------------
    BUSY = ("busy", "The database is busy: another window or program is using it. Wait a "
            "moment and try again; the last change was not saved.")
    NO_DATABASE = ("no_database", "There is no database at {path}. Check the --db path.")
    CANNOT_OPEN = ("cannot_open", "The database at {path} cannot be opened. Check that the "
                   "folder exists and that this user may write to it.")
    FOLDER_MISSING = ("folder_missing", "The database at {path} cannot be created: its folder "
                      "does not exist.")
    READ_ONLY = ("read_only", "The database at {path} cannot be written: the file or its "
                 "folder is read-only for this user. The last change was not saved.")
    DISK_FULL = ("disk_full", "The disk is full, so the last change was not saved. Free some "
                 "space and try again.")
    IO_ERROR = ("io_error", "The computer reported an error while reading or writing the "
                "database file; the last change was not saved. Check the disk, then try again.")
    OS_ERROR = ("os_error", "The database at {path} could not be opened or written ({detail}).")
    NETWORK_DRIVE = ("network_drive", "The database at {path} cannot use safe-write (WAL) "
                     "mode. Network drives are not supported; keep the database on this "
                     "computer's disk.")
    DAMAGED = ("damaged", "The database at {path} is not a database of this app, or it is "
               "damaged. Restore it from a backup, or choose another file.")
    NOT_OURS = ("not_ours", "This file is a database of another program, not of this app. "
                "Choose the app's database file; nothing was changed.")
    TOO_NEW = ("too_new", "This database was written by a newer version of the app. Install "
               "the newer version to open it; nothing was changed.")
    DEFINITION_UNREADABLE = ("definition_unreadable", "The questionnaire version this "
                             "submission was filled with cannot be read by this version of "
                             "the app.")
    DEFINITION_CHANGED = ("definition_changed", "The questionnaire definition {id} that "
                          "submissions were filled with was changed outside the app: its text "
                          "no longer matches the hash it was pinned under. Nothing was "
                          "computed from it. Restore the database from a backup (README, "
                          "\"Restoring a backup\").")
    BACKUP_OVER_DATABASE = ("backup_over_database", "A backup cannot replace the database "
                            "itself; choose another file.")
    EMPTY_FILE = ("empty_file", "The file at {path} is empty, so it is not a database of "
                  "this app. Nothing was changed. Check the --db path, or restore the "
                  "database from a backup (README, \"Restoring a backup\").")
    DAMAGED_FILE = ("damaged_file", "The database at {path} is damaged: its integrity check "
                    "failed, so nothing was written to it. Restore the newest backup: close "
                    "every window of the app, move this file aside (keep it), copy the backup "
                    "in its place and start again (README, \"Restoring a backup\").")
    SCHEMA_MISMATCH = ("schema_mismatch", "The database's schema version was changed outside "
                       "the app (the file says {version}, its record of migrations says "
                       "{recorded}). Nothing was changed. Restore it from a backup (README, "
                       "\"Restoring a backup\").")
    NO_STAFF = ("no_staff", "The database at {path} has no enabled coordinator or "
                "administrator, so nobody could close the kiosk. Start the desk on this "
                "database first and create the staff accounts; the kiosk did not start.")
    CHECKING = ("checking", "The database is still being checked; nothing was saved. Try "
                "again in a moment.")
    WRONG_KEY = ("wrong_key", "This database is encrypted; the key on this computer does "
                 "not open it. Nothing was changed. If the database or backup comes from "
                 "another computer, start with --key-file naming that computer's key file "
                 "(README, \"Restoring a backup\").")
    KEY_FILE_UNREADABLE = ("key_file_unreadable", "The key file at {path} cannot be read or "
                           "is not a key of this app (64 hexadecimal digits). Nothing was "
                           "changed.")
    KEY_FILE_MISSING = ("key_file_missing", "There is no key file at {path}. Check the "
                        "--key-file path (or SCREENING_KEY_FILE); nothing was changed.")
    NOT_ENCRYPTED = ("not_encrypted", "This database is not encrypted. An administrator should "
                     "run: {command} encrypt-database --db {path}")
    IN_USE = ("in_use", "The database at {path} is open in another window or program. Close "
              "every window of the app (desk and kiosk) and try again; nothing was changed.")
    ENCRYPT_FAILED = ("encrypt_failed", "The encrypted copy did not match the database "
                      "({detail}); the plain database at {path} was kept as it was.")
    BACKUP_DISK_FULL = ("backup_disk_full", "The disk is full, so the backup was not written "
                        "to {path}; a previous backup of that name was kept as it was. Free "
                        "some space, or choose another disk, and try again.")
    BACKUP_CHECK_FAILED = ("backup_check_failed", "The backup copy failed its integrity "
                           "check; the database may be damaged. Keep the previous backups.")

    # -- a PostgreSQL server (store/backends/postgres.py, docs/server.md) ----------------
    BAD_URL = ("bad_url", "The database address is not a PostgreSQL connection URI that can "
               "be read (postgresql://USER@HOST/DBNAME?sslmode=verify-full). Nothing was "
               "changed.")
    URL_PASSWORD = ("url_password", "The database address holds a password. Passwords never "
                    "go into an address (other people can see it): put it in the password "
                    "file (~/.pgpass, or the file PGPASSFILE names; docs/server.md). Nothing "
                    "was changed.")
    SERVER_UNREACHABLE = ("server_unreachable", "The database server {where} cannot be "
                          "reached: it is not running, or the network is down. Nothing was "
                          "changed; try again when the server is back.")
    SERVER_LOGIN = ("server_login", "The database server {where} refused the sign-in: check "
                    "the password in the password file (~/.pgpass or PGPASSFILE) and that "
                    "the server lets this user in from this computer. Nothing was changed.")
    SERVER_NO_DATABASE = ("server_no_database", "The database server {where} has no database "
                          "of that name. Check the name in the address. Nothing was changed.")
    SERVER_TLS = ("server_tls", "The connection to the database server {where} needs TLS "
                  "(sslmode={sslmode}), and the server did not offer it or its certificate "
                  "did not match. Nothing was sent and nothing was changed.")
    SERVER_REFUSED = ("server_refused", "The database server {where} refused the connection "
                      "({detail}). Nothing was changed.")
    SERVER_NOT_READY = ("server_not_ready", "The database {where} has no tables of this app "
                        "yet. Its owner runs: {command} init-server --db ADDRESS "
                        "(docs/server.md). Nothing was changed.")
    SERVER_SCHEMA_OLD = ("server_schema_old", "The database {where} has the tables of an "
                         "older version of this app ({version} of {needed} migrations). Its "
                         "owner runs: {command} init-server --db ADDRESS. Nothing was "
                         "changed.")
    SERVER_PERMISSION = ("server_permission", "The database server does not let this user "
                         "do that: stations log in as members of the stations' role "
                         "(docs/server.md) and may not change the audit trail, the pinned "
                         "definitions or the tables. Nothing was changed.")
    SERVER_DISK_FULL = ("server_disk_full", "The database server's disk is full, so the last "
                        "change was not saved. The server's administrator must free space.")
    STATION_ROLE_MISSING = ("station_role_missing", "The database server has no role "
                            "{role} for the stations. An administrator creates it first "
                            "(docs/server.md, \"Setting up the server\"); nothing was changed.")
    NOT_EMPTY = ("not_empty", "The database {where} already holds records; a copy goes only "
                 "into an empty database. Nothing was changed.")
    SAME_DATABASE = ("same_database", "The copy's source and target are the same database. "
                     "Nothing was changed.")
    COPY_MISMATCH = ("copy_mismatch", "The copy does not match its source ({detail}); it was "
                     "undone and nothing was changed.")

    # -- records asked for ---------------------------------------------------------------
    NO_SUBMISSION = ("no_submission", "That submission does not exist.")
    NO_CANDIDATE = ("no_candidate", "That candidate does not exist.")
    NO_CODE = ("no_code", "No questionnaire has that code. Check the code and try again.")
    NO_USER = ("no_user", "There is no user with that name.")

    # -- a submission's course -----------------------------------------------------------
    ALREADY_SUBMITTED = ("already_submitted",
                         "This questionnaire was already submitted or withdrawn.")
    ALREADY_WITHDRAWN = ("already_withdrawn", "This questionnaire was already withdrawn.")
    ONLY_SUBMITTED = ("only_submitted",
                      "Only a submitted questionnaire can be checked or clinically reviewed.")
    ALREADY_CHECKED = ("already_checked", "These answers were already checked.")
    ALREADY_REVIEWED = ("already_reviewed",
                        "This questionnaire was already clinically reviewed.")
    CHECK_NOT_ALLOWED = ("check_not_allowed", "Only a coordinator or an administrator can mark "
                         "the answers as checked.")
    REVIEW_NOT_ALLOWED = ("review_not_allowed",
                          "Only a clinician can record a clinical review.")
    REVIEW_DECISION = ("review_decision", "Choose the decision of the clinical review: invite "
                       "to a screening visit, not eligible, or needs more information.")
    REVIEW_NOTE = ("review_note", "Write a note on the decision before signing the review.")
    WITHDRAWN_NO_CHANGE = ("withdrawn_no_change",
                           "This submission was withdrawn; its answers cannot change.")
    EDIT_REASON = ("edit_reason",
                   "This questionnaire was already submitted. Give a reason for the change.")
    REVIEW_MEANING = ("review_meaning", "Say what you checked before signing.")
    WITHDRAW_REASON = ("withdraw_reason", "Give a reason for withdrawing this questionnaire.")
    INCOMPLETE = ("incomplete", "The questionnaire is not complete. Answers that need "
                  "attention before it can be submitted: {count}.")
    DUPLICATE = ("duplicate", "A candidate with the same names and date of birth is already "
                 "recorded (candidate {ids}). Check whether this is the same person.")
    ANSWERS_NOT_SAVED = ("answers_not_saved", "The last answers could not be saved.")
    PERSON_REASON = ("person_reason", "Give a reason for correcting the person's details.")
    REFUSED_ANSWER = ("refused_answer", "An answer holds a number or characters that cannot "
                      "be stored (not a finite number, half of a character, or on a server a "
                      "NUL character); it was not saved.")

    # -- users and sign-in ---------------------------------------------------------------
    REFUSED = ("refused", "Sign-in refused. Check the user name and PIN or password. After "
               "several wrong tries the account is locked for five minutes; an administrator "
               "can help.")
    USERNAME_MISSING = ("username_missing", "Enter a user name.")
    USER_NAME_TEXT = ("user_name_text", "A user name (at most {count} characters) and a full "
                      "name (at most {full}) are one line each, without control or "
                      "text-direction characters.")
    USERNAME_TAKEN = ("username_taken", "A user with that name already exists.")
    LAST_ADMIN = ("last_admin", "At least one administrator must stay enabled.")
    SECRET_SHORT = ("secret_short", "The PIN or password needs at least {count} characters.")
    PIN_SHORT = ("pin_short", "A PIN needs at least {count} digits.")
    PASSWORD_SHORT = ("password_short", "A password needs at least {count} characters (or use "
                      "a PIN of 6 or more digits).")
    SECRET_UNCHANGED = ("secret_unchanged", "Choose a new PIN or password, not the one you "
                        "have now.")

    # -- clinic settings (screening_app/store/settings.py) -------------------------------
    UNKNOWN_SETTING = ("unknown_setting", "There is no setting called {key}. The settings are: "
                       "{known}.")
    SETTING_NOT_NUMBER = ("setting_not_number", "{key} must be a whole number.")
    SETTING_RANGE = ("setting_range", "{key} must be between {minimum} and {maximum}.")
    SETTING_NOT_TEXT = ("setting_not_text", "{key} must be a text.")
    SETTING_CHOICE = ("setting_choice", "{key} must be one of: {choices}.")
    DISPLAY_CHOICE = ("display_choice", "The text size must be one of: {choices}; high contrast "
                      "is on or off.")
    SETTING_TEXT = ("setting_text", "{key} must be one line of at most {count} characters, "
                    "without control characters.")


# Refusals of the database or key file given (not failures of the computer, such as a
# busy, read-only or full disk, which exit with 1): the command line and the app exit
# with 2 for these, as for any other input they refuse.
REFUSED_AS_INPUT = frozenset({
    ErrorCode.NO_DATABASE, ErrorCode.NO_STAFF, ErrorCode.EMPTY_FILE, ErrorCode.NOT_OURS,
    ErrorCode.SCHEMA_MISMATCH, ErrorCode.DAMAGED, ErrorCode.DAMAGED_FILE, ErrorCode.TOO_NEW,
    ErrorCode.WRONG_KEY, ErrorCode.KEY_FILE_UNREADABLE, ErrorCode.KEY_FILE_MISSING,
    ErrorCode.DEFINITION_CHANGED,
    # a server address, or the server it names (docs/server.md)
    ErrorCode.BAD_URL, ErrorCode.URL_PASSWORD, ErrorCode.SERVER_UNREACHABLE,
    ErrorCode.SERVER_LOGIN, ErrorCode.SERVER_NO_DATABASE, ErrorCode.SERVER_TLS,
    ErrorCode.SERVER_REFUSED, ErrorCode.SERVER_NOT_READY, ErrorCode.SERVER_SCHEMA_OLD,
    ErrorCode.STATION_ROLE_MISSING, ErrorCode.NOT_EMPTY, ErrorCode.SAME_DATABASE})


class StoreError(Exception):
    """A problem people can act on: `code` says which, `message` says it in English."""

    def __init__(self, code: ErrorCode, **params: Any) -> None:
        self.code = ErrorCode(code)  # an unknown code is a bug: ValueError here
        self.params: dict[str, Any] = params
        self.message = self.code.say(**params)
        super().__init__(self.message)


class DatabaseBusy(StoreError):
    """Another program held the database for longer than the busy timeout (several tries)."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened or written: missing folder, read-only, disk full, I/O."""


class DatabaseDamaged(StoreError):
    """The file is not a database of this app, or it is corrupt."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer version of the app."""


class NotFound(StoreError):
    """The submission, candidate or user asked for does not exist."""


class InvalidState(StoreError):
    """The action does not fit the submission's status (e.g. editing a withdrawn one)."""


class AnswerRefused(StoreError, ValueError):
    """An answer the database cannot hold (infinity, a lone surrogate). Also a ValueError:
    a caller that sends one has not checked its input."""


class ReasonRequired(StoreError):
    """A change to submitted data needs an actor and a reason."""


class NotAllowed(StoreError):
    """The signed-in user's role may not do this (a check, a clinical review)."""


class AuthError(StoreError):
    """Sign-in refused. The message never says whether the name or the secret was wrong."""


class SubmissionIncomplete(StoreError):
    """Submitting (or an edit after submission) left required answers missing or invalid.

    `problems` holds the error Problems of the session, for the UI to show next to the
    items; the message only counts them.
    """

    def __init__(self, problems: Sequence[Any]) -> None:
        self.problems: tuple[Any, ...] = tuple(problems)
        super().__init__(ErrorCode.INCOMPLETE, count=len(self.problems))


class PossibleDuplicate(StoreError):
    """A candidate with the same names and date of birth already exists.

    `matches` holds their `CandidateRecord`s so the caller can show them and decide; the
    message itself names nobody (only the candidates' record numbers).
    """

    def __init__(self, matches: Iterable[Any]) -> None:
        self.matches: tuple[Any, ...] = tuple(matches)
        super().__init__(ErrorCode.DUPLICATE, ids=", ".join(f"#{m.id}" for m in self.matches))
