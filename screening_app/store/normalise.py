"""Small pure helpers: name normalisation, resume codes, canonical JSON, timestamps."""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
from datetime import UTC, datetime
from typing import Any

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                       "œ": "oe", "ı": "i", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_name(text: str | None) -> str:
    """Lowercase, accent-free, words separated by one space: "José  Núñez-Ruiz" -> "jose nunez ruiz"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)
    return _NOT_WORD.sub(" ", bare).strip()


def is_plain_line(text: str) -> bool:
    """One line of printable text: no control or format characters (line breaks, ANSI
    escapes, bidi overrides that reorder what is shown after them), no lone surrogates."""
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text)


def name_words(*names: str | None) -> set[str]:
    return {word for name in names for word in normalise_name(name).split()}


PHONE_TERM = "#"  # search terms for phone numbers start with this; name words never do
MIN_PHONE_DIGITS = 4


def search_terms(first: str | None, last: str | None, phone: str | None) -> set[str]:
    """What a candidate is found by: name words, and every phone-digit suffix of 4+ digits.

    Any run of 4+ digits typed at the desk is a prefix of one of the suffixes, so a
    substring search on the phone number becomes an index range scan.
    """
    terms = name_words(first, last)
    number = digits(phone)
    terms.update(PHONE_TERM + number[i:] for i in range(len(number) - MIN_PHONE_DIGITS + 1))
    return terms


def digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit() and ch.isascii())


# Resume codes: no 0/O, 1/I/L, or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_LENGTH = 8


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str | None:
    """"k7m2 qx9d" -> "K7M2-QX9D"; None when `text` cannot be a resume code."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(raw) != _CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


def to_json(value: Any) -> str:
    """Canonical JSON, so that equal answers have equal text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds and offset: sorts as text in time order."""
    if moment.tzinfo is None:
        raise ValueError("the store's clock must return timezone-aware datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def system_clock() -> datetime:
    return datetime.now(UTC)


_PATH = re.compile(r"[a-z][a-z0-9_]*(?:\[[0-9]+\](?:\.[a-z][a-z0-9_]*)?)?")


def check_path(path: str) -> str:
    """Refuse anything that is not an answer path (`item`, `group[3]`, `group[3].field`)."""
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise ValueError(f"not an answer path: {path!r}")
    return path
