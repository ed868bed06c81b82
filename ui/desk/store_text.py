"""The store's refusals in the desk's language.

The store speaks English (its messages are also the command line's) and its errors carry a
type but no code, so the desk maps each message it knows to a text of its own
(`desk.store.*` in desk.*.yaml): exactly, or by a pattern for the messages that name a
file. What it does not know gets the text for the error's type. In English the store's
own words are shown unchanged. Nothing here ever adds patient data: the only value taken
over from a message is the database file's path.
"""

from __future__ import annotations

import re

from screening_app.i18n import Translator
from screening_app.store import (
    AuthError,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnavailable,
    InvalidState,
    NotFound,
    PossibleDuplicate,
    ReasonRequired,
    StoreError,
    SubmissionIncomplete,
)

# The store's exact words -> the desk's key.
EXACT = {
    "This questionnaire was already submitted or withdrawn.": "already_submitted",
    "Say what the review means before signing it.": "review_meaning",
    "Only a submitted questionnaire can be marked as reviewed.": "only_submitted",
    "Give a reason for withdrawing this questionnaire.": "withdraw_reason",
    "This questionnaire was already withdrawn.": "already_withdrawn",
    "That candidate does not exist.": "no_candidate",
    "This submission was withdrawn; its answers cannot change.": "withdrawn_no_change",
    "This questionnaire was already submitted. Give a reason for the change.": "edit_reason",
    "That submission does not exist.": "no_submission",
    "No questionnaire has that code. Check the code and try again.": "no_code",
    "There is no user with that name.": "no_user",
    "Enter a user name.": "username_missing",
    "A user with that name already exists.": "username_taken",
    "At least one administrator must stay enabled.": "last_admin",
    "The disk is full, so the last change was not saved. Free some space and try again.":
        "disk_full",
    "The computer reported an error while reading or writing the database file; the last "
    "change was not saved. Check the disk, then try again.": "io_error",
    "This database was written by a newer version of the app. Install the newer version to "
    "open it; nothing was changed.": "too_new",
    "This file is a database of another program, not of this app. Choose the app's database "
    "file; nothing was changed.": "not_ours",
}

_WHERE = r"The database(?: at (?P<path>.+?))?"
# Messages that name the file: (pattern, key).
PATTERNS = [
    (re.compile(_WHERE + r" cannot use safe-write \(WAL\) mode\."), "network_drive"),
    (re.compile(_WHERE + r" cannot be written: the file or its folder is read-only"), "read_only"),
    (re.compile(_WHERE + r" cannot be written: the folder is read-only\."), "read_only"),
    (re.compile(_WHERE + r" is not a database of this app, or it is damaged\."), "damaged"),
    (re.compile(r"The disk is full; .*"), "disk_full"),
    (re.compile(r"The PIN or password needs at least (?P<count>\d+) characters\."), "secret_short"),
    (re.compile(r".* (cannot be opened|cannot be created|could not be opened or written).*"),
     "cannot_open"),
]

BY_TYPE: tuple[tuple[type[StoreError], str], ...] = (
    (DatabaseBusy, "busy"),
    (DatabaseTooNew, "too_new"),
    (DatabaseDamaged, "damaged"),
    (DatabaseUnavailable, "cannot_open"),
    (AuthError, "refused"),
    (NotFound, "not_found"),
    (InvalidState, "invalid_state"),
    (ReasonRequired, "reason_required"),
)


def store_message(error: StoreError, t: Translator) -> str:
    """The plain words for `error` in the desk's language."""
    if t.lang == "en":
        return error.message
    if isinstance(error, SubmissionIncomplete):
        return t("desk.store.incomplete", count=len(error.problems))
    if isinstance(error, PossibleDuplicate):
        return t("desk.store.duplicate")
    if isinstance(error, DatabaseBusy):
        return t("desk.store.busy")
    if isinstance(error, AuthError):
        return t("desk.store.refused")
    key = EXACT.get(error.message)
    if key is not None:
        return t(f"desk.store.{key}")
    for pattern, key in PATTERNS:
        match = pattern.fullmatch(error.message) or pattern.match(error.message)
        if match is not None:
            found = {k: v for k, v in match.groupdict().items() if v}
            if key in ("damaged", "read_only", "cannot_open", "network_drive") and "path" in found:
                return t(f"desk.store.{key}_at", path=found["path"])
            return t(f"desk.store.{key}", **found)
    for kind, key in BY_TYPE:
        if isinstance(error, kind):
            return t(f"desk.store.{key}")
    return t("desk.store.other")
