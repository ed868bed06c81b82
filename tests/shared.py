"""What every test area shares: the fixtures folder, the fixed "today", the shipped
questionnaire (loaded once) and a clock that moves forward on each reading."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

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
    none of the app's guards."""
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
