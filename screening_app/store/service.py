"""The Store: one service over one SQLite file for the kiosk, the desk and the exports.

    with Store.open(path) as store:
        submission_id = store.start_submission(questionnaire, "en", actor="kiosk")
        store.save_answer(submission_id, "first_name", "Ana", actor="kiosk")

Everything a caller needs is a method here (the parts live in the mixin modules named
below, each about one subject); nothing outside `screening_app.store` writes SQL.
Timestamps are UTC ISO 8601 with microseconds and offset; a `clock` can be injected.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .backup import BackupMixin
from .base import Clock
from .connection import DEFAULT_BUSY_TIMEOUT_MS, connect, create_database, translated
from .errors import DatabaseUnavailable, ErrorCode
from .guard import protect
from .listing import ListingMixin
from .migrations import migrate
from .normalise import system_clock, utc_timestamp
from .paths import default_db_path
from .people import PeopleMixin
from .review import ReviewMixin
from .settings import SettingsMixin
from .users import UsersMixin

# Called with the path whenever a plain (unencrypted) database of an older version is
# opened: the command line prints a warning, the desk tells its administrators.
PLAIN_DATABASE_LISTENERS: list[Callable[[Path], None]] = []


class Store(ReviewMixin, PeopleMixin, ListingMixin, UsersMixin, SettingsMixin, BackupMixin):
    """See the module docstrings of `submissions`, `review`, `candidates`, `people`, `users`,
    `settings`, `listing` and `backup` for what each group of methods promises."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        clock: Clock | None = None,
        busy_retries: int = 3,
    ) -> None:
        super().__init__(conn, path, clock, busy_retries)
        self._definitions: dict[str, Any] = {}  # content hash -> parsed Questionnaire

    @property
    def encrypted(self) -> bool:
        """False for a plain database of an older version (`encrypt-database` converts it)."""
        return self._key is not None

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        busy_retries: int = 3,
        existing: bool = False,
        check: bool = True,
    ) -> Store:
        """Open (creating and migrating as needed) the database at `path`.

        `None` means the per-user default. `existing`: refuse to create one (commands that
        only read or copy: a mistyped path must not look like an empty clinic). `check`:
        run `PRAGMA quick_check` first and refuse a damaged file (DAMAGED_FILE); worker
        threads of a window that already checked it, and read-only commands, skip it.
        Raises StoreError for environment problems.
        """
        target = Path(path if path is not None else default_db_path()).expanduser().absolute()
        if existing and not target.is_file():
            raise DatabaseUnavailable(ErrorCode.NO_DATABASE, path=str(target))
        now = (lambda: utc_timestamp(clock())) if clock else (lambda: utc_timestamp(system_clock()))
        with translated(target):
            if not target.exists():
                create_database(target, lambda conn: migrate(conn, now), busy_timeout_ms)
            conn, key = connect(target, busy_timeout_ms, check)
            store = cls(conn, target, clock, busy_retries)
            store._key = key
            try:
                migrate(conn, store._now)
                protect(conn)
            except BaseException:
                store.close()
                raise
        if key is None:
            for listener in PLAIN_DATABASE_LISTENERS:
                listener(target)
        return store
