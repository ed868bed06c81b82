"""The connection-owning core that the Store's parts share: transactions, clock, audit.

One connection per Store, used from one thread (a worker thread opens its own Store).
The connection belongs to a backend (store/backends/: a SQLite file or a PostgreSQL
server); the parts below and in the mixins see only its `Sql` and its transactions.
Every change runs in a write transaction that takes the writers' lock up front (SQLite's
`BEGIN IMMEDIATE`, a PostgreSQL advisory lock), so a busy database shows up at the start
(and is retried) instead of half-way through, and each change sees the one before it.
Transactions nest: an inner `_write()` joins the outer one, so several service calls can
form one all-or-nothing change (imports use this).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit_chain import (
    CONTENT_COLUMNS,
    GENESIS,
    AuditCheck,
    chained,
    definition_matches,
    verify,
)
from .backends.sqlite import SqliteBackend
from .errors import DatabaseBusy, ErrorCode
from .normalise import system_clock, to_json, utc_timestamp

if TYPE_CHECKING:
    from .backends import Sql
    from .target import Target

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class StoreBase:
    """Shared plumbing. Subclasses add the vocabulary."""

    def __init__(
        self,
        conn: Any,
        path: Target,
        clock: Clock | None = None,
        busy_retries: int = 3,
        *,
        backend: Any = None,
    ) -> None:
        # `path`: what Store.open was given (a file's Path or a ServerAddress), so that a
        # worker thread can open its own Store on the same database.
        self.path = path
        self._backend = backend or SqliteBackend(conn, Path(path), busy_retries)
        self._clock: Clock = clock or system_clock
        self._depth = 0
        self._writing = False
        self._closed = False
        self._key: bytes | None = None  # the database key (set by Store.open)
        self._writes_held = False  # until a check running elsewhere has passed
        self._changed: set[int] = set()  # submissions audited in the open write transaction

    # -- writes held while the file is being checked ----------------------------------

    def hold_writes(self) -> None:
        """Refuse every change (ErrorCode.CHECKING) until `release_writes`: a window that
        opened the file without `quick_check` runs it in a thread and writes nothing first."""
        self._writes_held = True

    def release_writes(self) -> None:
        self._writes_held = False

    @property
    def writes_held(self) -> bool:
        return self._writes_held

    # -- lifecycle ------------------------------------------------------------------

    @property
    def backend_kind(self) -> str:
        """"sqlite" (a file on this computer) or "postgres" (a clinic server)."""
        return self._backend.kind

    @property
    def location(self) -> str:
        """The database in words for messages: a path, or `user@host:port/dbname`."""
        return self._backend.location

    @property
    def _db(self) -> Sql:
        return self._backend.sql

    @property
    def _conn(self) -> Any:
        """The backend's own connection (SQLite-only code: backups, checks, benchmarks)."""
        return self._backend.conn

    def prepare_for_changes(self) -> None:
        """Load now what the first change will need (sqlite-utils), e.g. while a window
        waits for its first person, so that the first save does not pay for it."""
        _ = getattr(self._db, "database", None)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:  # a forgotten Store must not leak its connection
        backend = getattr(self, "_backend", None)
        if backend is not None and not getattr(self, "_closed", True):
            backend.close()

    # -- time -----------------------------------------------------------------------

    def _now(self) -> str:
        return utc_timestamp(self._clock())

    def _today(self) -> date:
        """The clinic's local date, used as the day answers are judged against."""
        return self._clock().astimezone().date()

    # -- transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[Sql]:
        """A write transaction (joined when one is already open), errors translated."""
        if self._writes_held:
            raise DatabaseBusy(ErrorCode.CHECKING)
        if self._depth:
            if not self._writing:
                # Upgrading a read snapshot to a write can fail at once with SQLITE_BUSY.
                raise RuntimeError("a write cannot start inside a read transaction")
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        backend = self._backend
        with backend.translated():
            backend.begin_write()
            self._depth, self._writing = 1, True
            self._changed = set()
            try:
                yield self._db
                if self._changed:  # with the change, or not at all (applicable.py)
                    self._refresh_applicable(self._db, self._changed)
                backend.commit()
            except BaseException:
                backend.rollback()
                raise
            finally:
                self._depth, self._writing = 0, False
                self._changed = set()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Sql]:
        """A read transaction: every query inside sees the same committed state."""
        with self._reading():
            yield self._db

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        backend = self._backend
        with backend.translated():
            backend.begin_read()
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                # A reading generator (streaming.py) that an error left unfinished is
                # closed when it is collected, maybe after the Store: nothing to end then.
                if not self._closed:
                    backend.end_read()

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows as dicts (on SQLite without importing sqlite-utils)."""
        with self._reading():
            return self._db.rows(sql, params)

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # -- audit ----------------------------------------------------------------------

    def _audit(
        self,
        db: Sql,
        actor: str,
        action: str,
        *,
        submission_id: int | None = None,
        item: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str | None = None,
        at: str | None = None,
    ) -> None:
        """Append one audit row; call inside the transaction that makes the change."""
        if submission_id is not None:
            self._changed.add(submission_id)
        row = (at or self._now(), actor, action, submission_id, item,
               None if old is None else to_json(old), None if new is None else to_json(new),
               reason)
        insert_audit_rows(db, [row])

    def _refresh_applicable(self, db: Sql, submission_ids: set[int]) -> None:
        """Rewrite what the exports keep of these submissions (applicable.py)."""

    def verify_audit(self) -> AuditCheck:
        """Recompute the audit trail's hash chain (the first broken row, if any) and the
        hash of every pinned definition (a text edited outside the app no longer matches
        the hash it was pinned under, and would change flags and the clinician's PDF)."""
        columns = ", ".join(CONTENT_COLUMNS)
        with self._reading():
            with contextlib.closing(self._db.stream(
                    f"SELECT id, {columns}, chain_hash FROM audit_log ORDER BY id")) as rows:
                check = verify(rows)
            with contextlib.closing(self._db.stream(
                    "SELECT id, content_hash, source_text FROM questionnaires ORDER BY id")) as rows:
                changed = tuple(pk for pk, content_hash, text in rows
                                if not definition_matches(content_hash, text))
        return dataclasses.replace(check, changed_definitions=changed)


def audit_head(conn: Any) -> str:
    """The chain hash of the newest audit row (call with the write lock held). `conn`:
    anything that executes the Store's SQL (a backend's Sql, a SQLite connection)."""
    row = conn.execute("SELECT chain_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else GENESIS


_INSERT_AUDIT = (f"INSERT INTO audit_log ({', '.join(CONTENT_COLUMNS)}, chain_hash)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def insert_audit_rows(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    """Append audit rows (values of CONTENT_COLUMNS), chained after the newest one. One
    row (every autosave) is one plain statement: psycopg's executemany would add a
    pipeline's round trip on a server."""
    hashed = chained(audit_head(conn), rows)
    if len(hashed) == 1:
        conn.execute(_INSERT_AUDIT, hashed[0])
    else:
        conn.executemany(_INSERT_AUDIT, hashed)


def require_actor(actor: str) -> str:
    if not isinstance(actor, str) or not actor.strip():
        raise ValueError("every change needs an actor (a user name or 'kiosk')")
    return actor.strip()
