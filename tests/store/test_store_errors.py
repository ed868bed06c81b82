"""The catalogue of store error codes: every code has words in both languages, the
words use only the params the code carries, and the failures that SQLite and the OS
report get their code from the primary result code or errno, never from text."""

from __future__ import annotations

import errno
import sqlite3
import string
from pathlib import Path

import pytest

from screening_app.i18n import LANGUAGES, catalog
from screening_app.store import ErrorCode, StoreError
from screening_app.store.connection import translate_os_error, translate_sqlite_error


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_has_words_in_every_language(lang):
    texts = catalog(lang)
    missing = [code.value for code in ErrorCode if f"desk.store.{code}" not in texts]
    assert missing == []
    for code in ErrorCode:
        # a text may leave a param out (the desk names no candidate ids), never invent one
        assert placeholders(texts[f"desk.store.{code}"]) <= placeholders(code.english), code


def test_no_desk_text_is_left_without_a_code():
    known = {f"desk.store.{code}" for code in ErrorCode}
    for lang in LANGUAGES:
        orphans = {key for key in catalog(lang) if key.startswith("desk.store.")} - known
        assert orphans == set(), lang


def test_codes_are_unique_and_their_english_formats():
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)
    for code in ErrorCode:
        params = {name: "X" for name in placeholders(code.english)}
        error = StoreError(code, **params)
        assert error.code is code and error.message == str(error)
        assert "{" not in error.message


def test_an_unknown_code_is_a_bug_not_a_message():
    with pytest.raises(ValueError):
        StoreError("The database is busy.")  # type: ignore[arg-type]


class FakeSqliteError(sqlite3.Error):
    def __init__(self, code: int) -> None:
        super().__init__("text that must not matter")
        self.sqlite_errorcode = code


@pytest.mark.parametrize(("sqlite_code", "expected"), [
    (sqlite3.SQLITE_BUSY, ErrorCode.BUSY),
    (sqlite3.SQLITE_LOCKED | (1 << 8), ErrorCode.BUSY),  # an extended code keys on its primary
    (sqlite3.SQLITE_CANTOPEN, ErrorCode.CANNOT_OPEN),
    (sqlite3.SQLITE_READONLY, ErrorCode.READ_ONLY),
    (sqlite3.SQLITE_FULL, ErrorCode.DISK_FULL),
    (sqlite3.SQLITE_NOTADB, ErrorCode.DAMAGED),
    (sqlite3.SQLITE_CORRUPT, ErrorCode.DAMAGED),
    (sqlite3.SQLITE_IOERR | (3 << 8), ErrorCode.IO_ERROR),
])
def test_sqlite_failures_get_their_code_from_the_result_code(sqlite_code, expected):
    error = translate_sqlite_error(FakeSqliteError(sqlite_code), Path("/data/clinic.db"))
    assert error is not None and error.code is expected
    assert "text that must not matter" not in error.message
    if "path" in placeholders(expected.english):
        assert error.params == {"path": "/data/clinic.db"}


def test_a_sqlite_bug_is_not_translated():
    assert translate_sqlite_error(FakeSqliteError(sqlite3.SQLITE_CONSTRAINT), Path("x")) is None
    assert translate_sqlite_error(sqlite3.ProgrammingError("no code"), Path("x")) is None


@pytest.mark.parametrize(("number", "expected"), [
    (errno.EACCES, ErrorCode.READ_ONLY),
    (errno.EROFS, ErrorCode.READ_ONLY),
    (errno.ENOSPC, ErrorCode.DISK_FULL),
    (errno.ENOENT, ErrorCode.FOLDER_MISSING),
    (errno.EMFILE, ErrorCode.OS_ERROR),
])
def test_os_failures_get_their_code_from_errno(number, expected):
    error = translate_os_error(OSError(number, "text that must not matter"), Path("/d/x.db"))
    assert error.code is expected and "text that must not matter" not in error.message



@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_can_be_said_with_its_params(lang):
    from screening_app.i18n import tr

    for code in ErrorCode:
        params = {name: "X" for name in placeholders(code.english)}
        text = tr(lang, f"desk.store.{code}", **StoreError(code, **params).params)
        assert text and "{" not in text, code
