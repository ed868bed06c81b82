"""The connection-owning core that the Store's parts share: transactions, clock, audit.

One connection per Store, used from one thread (a worker thread opens its own Store).
Every change runs in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front,
so a busy database shows up at the start (and is retried) instead of half-way through.
Transactions nest: an inner `_write()` joins the outer one, so several service calls can
form one all-or-nothing change (imports use this).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit_chain import CONTENT_COLUMNS, GENESIS, AuditCheck, chained, verify
from .connection import close_connection, is_busy, translated
from .driver import dbapi
from .errors import DatabaseBusy, ErrorCode
from .normalise import system_clock, to_json, utc_timestamp

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class StoreBase:
    """Shared plumbing. Subclasses add the vocabulary."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        clock: Clock | None = None,
        busy_retries: int = 3,
    ) -> None:
        self.path = path
        self._conn = conn
        self._database: Database | None = None  # see _db
        self._clock: Clock = clock or system_clock
        self._busy_retries = max(1, busy_retries)
        self._depth = 0
        self._writing = False
        self._closed = False
        self._key: bytes | None = None  # the database key (set by Store.open)
        self._writes_held = False  # until a check running elsewhere has passed

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
    def _db(self) -> Database:
        """sqlite-utils over the connection, for dict rows; transactions are ours (the
        connection autocommits). Made on first use: importing sqlite-utils costs more than
        opening the store (~85 ms of CPU), and a plain read (`_rows`, e.g. the settings the
        kiosk's welcome page shows) needs none of it."""
        if self._database is None:
            from sqlite_utils import Database

            self._database = Database(self._conn, recursive_triggers=False, execute_plugins=False)
        return self._database

    def prepare_for_changes(self) -> None:
        """Load now what the first change will need (sqlite-utils), e.g. while a window
        waits for its first person, so that the first save does not pay for it."""
        _ = self._db

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            close_connection(self._conn)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:  # a forgotten Store must not leak its file handle
        conn = getattr(self, "_conn", None)
        if conn is not None and not getattr(self, "_closed", True):
            close_connection(conn)

    # -- time -----------------------------------------------------------------------

    def _now(self) -> str:
        return utc_timestamp(self._clock())

    def _today(self) -> date:
        """The clinic's local date, used as the day answers are judged against."""
        return self._clock().astimezone().date()

    # -- transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[Database]:
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
        conn = self._conn
        with translated(self.path):
            self._begin_immediate(conn)
            self._depth, self._writing = 1, True
            try:
                yield self._db
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._depth, self._writing = 0, False

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        for attempt in range(1, self._busy_retries + 1):
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except dbapi.OperationalError as exc:
                if not is_busy(exc):
                    raise
                log.warning("database busy (attempt %d of %d)", attempt, self._busy_retries)
                if attempt == self._busy_retries:
                    raise DatabaseBusy(ErrorCode.BUSY) from exc
                time.sleep(0.05 * attempt)

    @contextlib.contextmanager
    def _read(self) -> Iterator[Database]:
        """A read transaction: every query inside sees the same committed state."""
        with self._reading():
            yield self._db

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        if self._depth:
            yield
            return
        conn = self._conn
        with translated(self.path):
            conn.execute("BEGIN")
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows as dicts, as sqlite-utils' `query` gives them (without importing it)."""
        with self._reading():
            cursor = self._conn.execute(sql, params)
            keys = [column[0] for column in cursor.description]
            return [dict(zip(keys, row, strict=True)) for row in cursor]

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    # -- audit ----------------------------------------------------------------------

    def _audit(
        self,
        db: Database,
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
        row = (at or self._now(), actor, action, submission_id, item,
               None if old is None else to_json(old), None if new is None else to_json(new),
               reason)
        insert_audit_rows(db.conn, [row])

    def verify_audit(self) -> AuditCheck:
        """Recompute the audit trail's hash chain; the first broken row, if any."""
        columns = ", ".join(CONTENT_COLUMNS)
        with self._reading():
            cursor = self._conn.execute(
                f"SELECT id, {columns}, chain_hash FROM audit_log ORDER BY id")
            return verify(cursor)


def audit_head(conn: Any) -> str:
    """The chain hash of the newest audit row (call with the write lock held)."""
    row = conn.execute("SELECT chain_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else GENESIS


def insert_audit_rows(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    """Append audit rows (values of CONTENT_COLUMNS), chained after the newest one."""
    conn.executemany(
        f"INSERT INTO audit_log ({', '.join(CONTENT_COLUMNS)}, chain_hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", chained(audit_head(conn), rows))


def require_actor(actor: str) -> str:
    if not isinstance(actor, str) or not actor.strip():
        raise ValueError("every change needs an actor (a user name or 'kiosk')")
    return actor.strip()
