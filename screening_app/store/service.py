"""The Store: one service over one database for the kiosk, the desk and the exports: a
SQLite file on this computer, or a clinic's PostgreSQL server (store/backends/).

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
from .people import PeopleMixin
from .review import ReviewMixin
from .settings import SettingsMixin
from .target import ServerAddress, database_target
from .users import UsersMixin

# Called with the path whenever a plain (unencrypted) database of an older version is
# opened: the command line prints a warning, the desk tells its administrators.
PLAIN_DATABASE_LISTENERS: list[Callable[[Path], None]] = []


class Store(ReviewMixin, PeopleMixin, ListingMixin, UsersMixin, SettingsMixin, BackupMixin):
    """See the module docstrings of `submissions`, `review`, `candidates`, `people`, `users`,
    `settings`, `listing` and `backup` for what each group of methods promises."""

    def __init__(
        self,
        conn: sqlite3.Connection | None,
        path: Path | ServerAddress,
        clock: Clock | None = None,
        busy_retries: int = 3,
        *,
        backend: Any = None,
    ) -> None:
        super().__init__(conn, path, clock, busy_retries, backend=backend)
        self._definitions: dict[str, Any] = {}  # content hash -> parsed Questionnaire
        self._plans: dict[str, Any] = {}  # content hash -> its applicability plan

    @property
    def encrypted(self) -> bool:
        """False for a plain database file of an older version (`encrypt-database` converts
        it). A server keeps nothing on this computer's disk: True."""
        return self._key is not None or self.backend_kind != "sqlite"

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | ServerAddress | None = None,
        clock: Clock | None = None,
        *,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        busy_retries: int = 3,
        existing: bool = False,
        check: bool = True,
        password: str | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) the database at `path`.

        `path`: a file, or a server's `postgresql://` address (store/target.py); `None`
        means SCREENING_DB, else the per-user default file. A server's database is made
        and migrated by `init-server`, never here: it must be ready for this app.
        `password`: for a server, when no password file holds it (kept in memory only).
        `existing`: refuse to create a file (commands that only read or copy: a mistyped
        path must not look like an empty clinic). `check`: run `PRAGMA quick_check` first
        and refuse a damaged file (DAMAGED_FILE); worker threads of a window that already
        checked it, and read-only commands, skip it.
        Raises StoreError for environment problems.
        """
        target = database_target(path)
        if isinstance(target, ServerAddress):
            return cls._open_server(target if password is None else target.with_password(password),
                                    clock, busy_timeout_ms, busy_retries)
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

    @classmethod
    def _open_server(cls, address: ServerAddress, clock: Clock | None, busy_timeout_ms: int,
                     busy_retries: int) -> Store:
        from .backends.postgres import PostgresBackend
        from .migrations import MIGRATIONS

        backend = PostgresBackend.open(address, busy_timeout_ms=busy_timeout_ms,
                                       busy_retries=busy_retries)
        try:
            with backend.translated():
                backend.check_schema(len(MIGRATIONS))
        except BaseException:
            backend.close()
            raise
        return cls(None, address, clock, busy_retries, backend=backend)
