"""The SQLite file backend: one encrypted file on this computer (the default).

Opening the file safely, its keys and checks are in `store/connection.py`, `cipher.py`,
`guard.py`; this module is what the Store's parts see of it: statements through
sqlite-utils, `BEGIN IMMEDIATE` write transactions (the write lock is taken up front, so
a busy file shows at the start and is retried, not half-way through), and the few
statements whose SQL is SQLite's own.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..connection import close_connection, is_busy, translated
from ..driver import dbapi
from ..errors import DatabaseBusy, ErrorCode

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger(__name__)

BULK_CACHE_KIB = 256 * 1024  # page cache while bulk loading; the connection's own comes back after


class SqliteSql:
    """Statements on one SQLite connection. sqlite-utils gives dict rows for the writes;
    plain reads (`rows`) go straight to the connection, so a window that only reads (the
    kiosk's welcome page) does not pay for importing sqlite-utils (~85 ms of CPU)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._database: Database | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            from sqlite_utils import Database

            self._database = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._database

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        return self.database.query(sql, params)

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        return [dict(zip(keys, row, strict=True)) for row in cursor]

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.database.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def stream(self, sql: str, params: Any = ()) -> Iterator[tuple[Any, ...]]:
        return iter(self.conn.execute(sql, params))


class SqliteBackend:
    kind = "sqlite"

    def __init__(self, conn: Any, path: Path, busy_retries: int = 3) -> None:
        self.conn = conn
        self.path = path
        self.sql = SqliteSql(conn)
        self._busy_retries = max(1, busy_retries)

    @property
    def location(self) -> str:
        return str(self.path)

    def translated(self) -> contextlib.AbstractContextManager[None]:
        return translated(self.path)

    # -- transactions ---------------------------------------------------------------

    def begin_write(self) -> None:
        for attempt in range(1, self._busy_retries + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except dbapi.OperationalError as exc:
                if not is_busy(exc):
                    raise
                log.warning("database busy (attempt %d of %d)", attempt, self._busy_retries)
                if attempt == self._busy_retries:
                    raise DatabaseBusy(ErrorCode.BUSY) from exc
                time.sleep(0.05 * attempt)

    def begin_read(self) -> None:
        self.conn.execute("BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def end_read(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        close_connection(self.conn)

    # -- what differs ---------------------------------------------------------------

    @staticmethod
    def reachable() -> bool:
        return True

    @staticmethod
    def change_listener() -> None:
        """None: a file tells nobody; a window asks `data_version` from time to time."""
        return None

    def data_version(self) -> int:
        """Changes whenever another connection committed to the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @staticmethod
    def in_list(column: str, subquery: str) -> str:
        """`column` is one of the values `subquery` returns (SQLite's planner reads an IN
        list, even inside an OR, through the column's index: a multi-index OR)."""
        return f"{column} IN ({subquery})"

    @staticmethod
    def answers_object(value: str) -> str:
        """A submission's answers (`answers a`) as one JSON object text, `value` each."""
        return (f"(SELECT '{{' || group_concat(json_quote(a.path) || ':' || {value}, ',')"
                " || '}' FROM answers a WHERE a.submission_id = s.id)")

    @staticmethod
    def without_drawing(value: str) -> str:
        """An answer's JSON with a signature's `png` emptied (only objects hold one: their
        first character says so without parsing every answer's JSON)."""
        return (f"CASE WHEN substr({value}, 1, 1) = '{{' THEN json_replace({value}, '$.png', '')"
                f" ELSE {value} END")

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """`count` unused ids of `table` for explicit inserts (inside a write transaction);
        AUTOINCREMENT tables never reuse an id, so their high-water mark counts too."""
        top = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?",
                                (table,)).fetchone()
        start = max(int(top), int(row[0]) if row else 0) + 1
        return list(range(start, start + count))

    @contextlib.contextmanager
    def bulk_mode(self) -> Iterator[None]:
        """Demo data only: index pages stay in memory, commits are not fsynced one by one
        and the log is folded into the file once at the end (then durability is as before)."""
        conn = self.conn
        saved = {name: conn.execute(f"PRAGMA {name}").fetchone()[0]
                 for name in ("cache_size", "synchronous", "wal_autocheckpoint")}
        conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            for name, value in saved.items():
                conn.execute(f"PRAGMA {name} = {int(value)}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def table_columns(self, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def tables(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name")]

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """Many rows into one table (inside a write transaction)."""
        marks = ", ".join("?" for _ in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                              rows)

    def after_explicit_ids(self, tables: Iterable[str]) -> None:
        """SQLite's AUTOINCREMENT follows explicitly inserted ids by itself."""
