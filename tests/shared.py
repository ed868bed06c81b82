"""What every test area shares: the fixtures folder, the fixed "today", the shipped
questionnaire (loaded once) and a clock that moves forward on each reading."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest

from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 11, 23)


@cache
def shipped() -> Questionnaire:
    return load_questionnaire(shipped_questionnaire_path())


class FakeClock:
    """Advances one millisecond per reading, so every timestamp is distinct and ordered."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def raw_connection(path, timeout: float = 5.0):
    """A connection of our own to a database file, as someone holding the key would open
    it with a SQLite tool: keyed (with the test run's key) unless the file is plain, and
    none of the app's guards. For a server's URI: its owner's connection, as in psql."""
    if isinstance(path, str) and path.startswith("postgresql://"):
        return OwnerConnection(path)
    from screening_app.store import keys
    from screening_app.store.cipher import PLAIN_HEADER, key_pragma
    from screening_app.store.driver import dbapi

    conn = dbapi.connect(str(path), isolation_level=None, timeout=timeout)
    try:
        with open(path, "rb") as file:
            plain = file.read(16) in (PLAIN_HEADER, b"")
    except FileNotFoundError:
        plain = False  # a new file: encrypted like the app's
    key = keys.find_key()
    if key is not None and not plain:
        conn.execute(key_pragma(key))
    return conn


class OwnerConnection:
    """A server database as its owner sees it (psql, pg_dump): no app in between, each
    statement committed on its own. Statements in the Store's style (`?`, `:name`)."""

    def __init__(self, url: str) -> None:
        import psycopg

        from screening_app.store.backends.postgres import SCHEMA
        from screening_app.store.target import server_address
        from tests.pg_server import OWNER

        params = {**server_address(url).params, "user": OWNER}
        self.conn = psycopg.connect(**params, autocommit=True)
        self.conn.execute(f"SET search_path TO {SCHEMA}")

    def execute(self, sql: str, params=()):
        from screening_app.store.backends.postgres import placeholders

        return self.conn.execute(placeholders(sql), params)

    def executemany(self, sql: str, rows) -> None:
        from screening_app.store.backends.postgres import PostgresSql

        PostgresSql(self.conn).executemany(sql, rows)

    def close(self) -> None:
        self.conn.close()


def in_ci() -> bool:
    """CI runs the tests (.ci/run sets CI=1; most CI services set CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_system_package(message: str) -> NoReturn:
    """A test that needs a system package (.ci/run installs each): it fails in CI, where a
    skip would pass for a test that never ran, and skips on a developer's machine."""
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
