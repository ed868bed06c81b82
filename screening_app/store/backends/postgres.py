"""The PostgreSQL server backend: the clinic's stations share one database (docs/server.md).

psycopg 3 (its binary wheel carries libpq), no ORM. The Store's shared SQL is written
with SQLite's placeholders; `placeholders()` rewrites them for psycopg once per
statement. Tables live in the schema `screening` (`SCHEMA`), which the connection puts
first on its search path.

Decisions:

- **Writers take turns.** Every write transaction starts by taking one transaction-level
  advisory lock (`WRITE_LOCK`), as SQLite's `BEGIN IMMEDIATE` takes the file's write
  lock. Inside, READ COMMITTED: each statement sees every change committed before the
  lock was granted, so a change reads the state it changes, resume codes are checked
  against every code already made, and each audit row is chained after the newest one
  (the chain stays a chain with several stations appending at once). Reads never wait:
  they run in REPEATABLE READ, READ ONLY (one snapshot, like a SQLite read transaction).
  A station waits at most `lock_timeout` (the busy timeout) for its turn, then
  `DatabaseBusy` after the retries, as on SQLite. Measured: benchmarks/bench_server.py.
- **Connections that drop come back.** A connection the server or the network broke is
  replaced at the start of the next transaction (never inside one: what was in flight
  is lost, and was never reported saved); while the server cannot be reached, every
  call raises `SERVER_UNREACHABLE` (exit 2 on the command line), so a window can say so
  and carry on, and the first call after the server is back goes through.
- **Failures are classified by SQLSTATE** (`translate_error`). libpq gives no SQLSTATE
  for a failed connection attempt, only its words: `connect_failure` reads libpq's
  structured flags first (`needs_password`, `used_password`, the sslmode asked for) and
  the server's FATAL line last; anything it cannot place is said with the server's own
  words (`SERVER_REFUSED`). No message repeats the address as typed: `where` is
  `user@host:port/dbname` (target.ServerAddress.display).
- **A password** is never in the address (target.py refuses it); the one given to
  `connect(password=...)` (a desk's sign-in prompt) stays in this process's memory, for
  reconnecting, and nowhere else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from ..errors import (
    AnswerRefused,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnavailable,
    ErrorCode,
    StoreError,
)
from ..target import ServerAddress
from .postgres_changes import CHANNEL, ChangeListener

log = logging.getLogger(__name__)

SCHEMA = "screening"
WRITE_LOCK = 0x4D534353  # "MSCS": the one advisory lock every write transaction takes
CONNECT_TIMEOUT_S = 10  # libpq waits forever by default for a host that does not answer
APPLICATION_NAME = "msc-screening"
# A server or network that vanishes without closing the connection (a cable, a crashed
# host) would leave a station waiting for minutes (TCP's own retries): a silent idle
# connection is found dead after about 25 s, and a statement whose data the server has
# not acknowledged for 15 s fails (SERVER_UNREACHABLE) instead of hanging the window.
# An address that sets any of these keeps its own.
NETWORK_DEFAULTS = {"keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "5",
                    "keepalives_count": "3", "tcp_user_timeout": "15000"}

# A string literal, a quoted name, a `?`, a `:name` (not a `::cast`), or a `%`.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|(?<![:\w]):([A-Za-z_]\w*)|%")


@lru_cache(maxsize=1024)
def placeholders(sql: str) -> str:
    """The Store's SQL (`?` and `:name` parameters) in psycopg's style (`%s`, `%(name)s`),
    literal `%` doubled; string literals and quoted names are left as they are."""

    def swap(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return text

    return _TOKEN.sub(swap, sql)


class PostgresSql:
    """Statements on one psycopg connection, in the Store's placeholder style."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cursor = self.conn.execute(placeholders(sql), params)
        keys = [column.name for column in cursor.description or ()]
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self.query(sql, params))

    def execute(self, sql: str, params: Any = ()) -> psycopg.Cursor:
        return self.conn.execute(placeholders(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(placeholders(sql), rows)

    def stream(self, sql: str, params: Any = ()) -> Iterator[tuple[Any, ...]]:
        """Rows fetched in batches by a server-side cursor (inside a transaction), so a
        long audit trail is never all in memory."""
        with self.conn.cursor(name="msc_stream") as cursor:
            cursor.itersize = 5000
            cursor.execute(placeholders(sql), params)
            yield from cursor


def connect(address: ServerAddress, password: str | None = None,
            busy_timeout_ms: int = 5000) -> psycopg.Connection:
    """A connection in autocommit mode (the Store writes BEGIN and COMMIT itself), with
    the app's schema first on its search path; failures as StoreErrors."""
    options: dict[str, Any] = {"autocommit": True}
    if "application_name" not in address.params:
        options["application_name"] = APPLICATION_NAME
    if "connect_timeout" not in address.params and not os.environ.get("PGCONNECT_TIMEOUT"):
        options["connect_timeout"] = CONNECT_TIMEOUT_S
    if password is not None:
        options["password"] = password
    options.update({key: value for key, value in NETWORK_DEFAULTS.items()
                    if key not in address.params})
    try:
        conn = psycopg.connect(address.conninfo, **options)
    except psycopg.OperationalError as error:
        raise connect_failure(error, address) from error
    try:
        conn.execute(f"SET search_path TO {SCHEMA}")
        conn.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
    except psycopg.Error as error:
        conn.close()
        raise translate_error(error, address, conn) or error from error
    return conn


def connect_failure(error: psycopg.OperationalError, address: ServerAddress) -> StoreError:
    """Why a connection attempt failed. libpq reports it in words only (no SQLSTATE), so
    its flags are read first and the server's FATAL line last."""
    where = address.display
    pgconn = getattr(error, "pgconn", None)
    if pgconn is not None and pgconn.needs_password:
        return DatabaseUnavailable(ErrorCode.SERVER_LOGIN, where=where)
    text = str(error)
    fatal = text.partition("FATAL:")[2].strip().splitlines()[0].strip() if "FATAL:" in text else ""
    if not fatal:
        if address.sslmode in ("require", "verify-ca", "verify-full") and (
                "SSL" in text or "certificate" in text):
            return DatabaseUnavailable(ErrorCode.SERVER_TLS, where=where, sslmode=address.sslmode)
        return DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=where)
    lowered = fatal.lower()
    if "too many" in lowered:  # connections: the server's limit, not this station's sign-in
        return DatabaseUnavailable(ErrorCode.SERVER_REFUSED, where=where, detail=fatal[:200])
    if "database" in lowered and "does not exist" in lowered:
        return DatabaseUnavailable(ErrorCode.SERVER_NO_DATABASE, where=where)
    if (pgconn is not None and pgconn.used_password) or any(
            words in lowered for words in ("authentication", "pg_hba.conf", "role", "password")):
        return DatabaseUnavailable(ErrorCode.SERVER_LOGIN, where=where)
    if "starting up" in lowered or "shutting down" in lowered or "recovery" in lowered:
        return DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=where)
    return DatabaseUnavailable(ErrorCode.SERVER_REFUSED, where=where, detail=fatal[:200])


_BUSY_STATES = {"55P03", "40001", "40P01", "57014"}  # lock timeout, serialization, deadlock, cancel
_UNREACHABLE_STATES = {"57P01", "57P02", "57P03"}  # shut down, crash, cannot connect now


def translate_error(error: psycopg.Error, address: ServerAddress,
                    conn: psycopg.Connection | None) -> StoreError | None:
    """The StoreError for an environment failure, or None when `error` is a bug."""
    state = getattr(error, "sqlstate", None) or ""
    where = address.display
    if (conn is not None and conn.broken) or state.startswith("08") or state in _UNREACHABLE_STATES:
        return DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=where)
    if isinstance(error, psycopg.OperationalError) and not state:
        return DatabaseUnavailable(ErrorCode.SERVER_UNREACHABLE, where=where)
    if isinstance(error, psycopg.DataError) and not state:
        # psycopg refused a value before sending it (a NUL in a text): nothing was sent
        return AnswerRefused(ErrorCode.REFUSED_ANSWER)
    if state in _BUSY_STATES:
        return DatabaseBusy(ErrorCode.BUSY)
    if state == "42501":
        return DatabaseUnavailable(ErrorCode.SERVER_PERMISSION)
    if state == "53100":
        return DatabaseUnavailable(ErrorCode.SERVER_DISK_FULL)
    if state == "25006":  # a standby: connect with target_session_attrs=read-write
        return DatabaseUnavailable(ErrorCode.SERVER_REFUSED, where=where,
                                   detail="it is a read-only standby")
    if state.startswith("53"):
        return DatabaseUnavailable(ErrorCode.SERVER_REFUSED, where=where,
                                   detail=f"out of resources, SQLSTATE {state}")
    return None


class PostgresBackend:
    kind = "postgres"

    def __init__(self, address: ServerAddress, conn: psycopg.Connection,
                 busy_timeout_ms: int = 5000, busy_retries: int = 3) -> None:
        self.address = address
        self.conn = conn
        self.sql = PostgresSql(conn)
        self._busy_timeout_ms = busy_timeout_ms
        self._busy_retries = max(1, busy_retries)
        self._closed = False
        self._writing = False

    @classmethod
    def open(cls, address: ServerAddress, *, busy_timeout_ms: int = 5000,
             busy_retries: int = 3) -> PostgresBackend:
        conn = connect(address, address.password, busy_timeout_ms)
        return cls(address, conn, busy_timeout_ms, busy_retries)

    @property
    def location(self) -> str:
        return self.address.display

    @contextlib.contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            mapped = translate_error(error, self.address, self.conn)
            if mapped is None:
                raise
            raise mapped from error

    # -- transactions ---------------------------------------------------------------

    def _begin(self, statement: str) -> None:
        """Start a transaction; a connection that the server or the network broke since the
        last one is replaced first (nothing was in flight on it: the last transaction
        ended, and a failed BEGIN started nothing)."""
        if self.conn.closed and not self._closed:
            self._reconnect()
        try:
            self.conn.execute(statement)
        except psycopg.OperationalError:
            if not self.conn.broken or self._closed:
                raise
            self._reconnect()
            self.conn.execute(statement)

    def _reconnect(self) -> None:
        conn = connect(self.address, self.address.password, self._busy_timeout_ms)
        with contextlib.suppress(psycopg.Error):
            self.conn.close()
        self.conn = conn
        self.sql.conn = conn

    def begin_write(self) -> None:
        for attempt in range(1, self._busy_retries + 1):
            try:  # one round trip for both (a script without parameters)
                self._begin("BEGIN ISOLATION LEVEL READ COMMITTED;"
                            f" SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                self._writing = True
                return
            except pg_errors.LockNotAvailable as exc:
                self.conn.execute("ROLLBACK")
                log.warning("database busy (attempt %d of %d)", attempt, self._busy_retries)
                if attempt == self._busy_retries:
                    raise DatabaseBusy(ErrorCode.BUSY) from exc

    def begin_read(self) -> None:
        self._begin("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    def commit(self) -> None:
        """Commit; a write tells the other stations in the same round trip (delivered only
        if the commit succeeds: postgres_changes.py)."""
        writing, self._writing = self._writing, False
        self.conn.execute(f"NOTIFY {CHANNEL}; COMMIT" if writing else "COMMIT")

    def rollback(self) -> None:
        self._writing = False
        if self.conn.broken or self.conn.closed:
            return
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.execute("ROLLBACK")

    def end_read(self) -> None:
        if self.conn.broken or self.conn.closed:
            return
        status = self.conn.info.transaction_status
        if status == psycopg.pq.TransactionStatus.INERROR:
            self.conn.execute("ROLLBACK")
        elif status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(psycopg.Error):
            self.conn.close()

    # -- what differs ---------------------------------------------------------------

    def reachable(self) -> bool:
        """Whether a new connection to the server can be made now (a short-lived one: this
        backend's own connection may belong to another thread)."""
        try:
            connect(self.address, self.address.password, self._busy_timeout_ms).close()
        except StoreError:
            return False
        return True

    def change_listener(self) -> ChangeListener:
        """A listener for other stations' changes, on a connection of its own."""
        return ChangeListener(self.address, lambda address: connect(address, address.password))

    def data_version(self) -> int:
        """Moves whenever any transaction on the server wrote (the next transaction id)."""
        if (self.conn.broken or self.conn.closed) and not self._closed:
            self._reconnect()  # a window polls this: it must come back with the server
        return int(self.conn.execute(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()[0])

    @staticmethod
    def in_list(column: str, subquery: str) -> str:
        """`column` is one of the values `subquery` returns, as an array read once before
        the query runs, so that `column`'s index finds the rows whatever their number.

        `column IN (subquery)` is a semi-join whose plan follows the planner's guess of how
        many rows match: on the desk's searches at 100,000 submissions it read every
        submission (a hash join, 20 ms a page for the ~1,600 of "garc"; a range of a name
        guessed at 1 row when 1,445 matched sent a two-word search into a nested loop of
        100 ms), and inside an OR ("0142": an ID or phone digits) no index at all (60 ms).
        As `= ANY(ARRAY(...))` it is an index condition (a bitmap OR with the other
        options): 2-6 ms for the same pages (docs/server.md, Figures).
        """
        return f"{column} = ANY(ARRAY({subquery}))"

    @staticmethod
    def answers_object(value: str) -> str:
        return (f"(SELECT '{{' || string_agg(to_json(a.path)::text || ':' || {value}, ','"
                " ORDER BY a.path) || '}' FROM answers a WHERE a.submission_id = s.id)")

    @staticmethod
    def without_drawing(value: str) -> str:
        return (f"CASE WHEN left({value}, 1) = '{{'"
                f" THEN jsonb_set({value}::jsonb, '{{png}}', '\"\"', false)::text ELSE {value} END")

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """`count` ids from the table's identity sequence (never used by anyone else)."""
        rows = self.conn.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (f"{SCHEMA}.{table}", count)).fetchall()
        return [int(row[0]) for row in rows]

    @contextlib.contextmanager
    def bulk_mode(self) -> Iterator[None]:
        """Demo data: commits do not wait for the server's disk (this session only)."""
        self.conn.execute("SET synchronous_commit = off")
        try:
            yield
        finally:
            if not self.conn.broken:
                self.conn.execute("RESET synchronous_commit")

    def table_columns(self, table: str) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s"
            " AND table_name = %s ORDER BY ordinal_position", (SCHEMA, table))]

    def tables(self) -> list[str]:
        return [row[0] for row in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
            (SCHEMA,))]

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """Many rows into one table through COPY (several times faster than INSERTs)."""
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def after_explicit_ids(self, tables: Iterable[str]) -> None:
        """Move each identity sequence past the ids inserted explicitly (a copy keeps ids)."""
        for table in tables:
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{SCHEMA}.{table}', 'id'),"
                f" coalesce((SELECT max(id) FROM {SCHEMA}.{table}), 0) + 1, false)")

    def check_schema(self, known: int) -> int:
        """The server's schema version; refuse a database that is not ready for this app."""
        where = self.address.display
        schema, usable = self.conn.execute(
            "SELECT n.oid, has_schema_privilege(n.oid, 'USAGE')"
            " FROM (SELECT to_regnamespace(%s) AS oid) n", (SCHEMA,)).fetchone()
        if schema is not None and not usable:  # not (yet) a member of the stations' role
            raise DatabaseUnavailable(ErrorCode.SERVER_PERMISSION)
        exists = self.conn.execute("SELECT to_regclass(%s)",
                                   (f"{SCHEMA}.schema_migrations",)).fetchone()[0]
        if exists is None:
            if self.tables():
                raise DatabaseDamaged(ErrorCode.NOT_OURS)
            raise DatabaseUnavailable(ErrorCode.SERVER_NOT_READY, where=where)
        version = int(self.conn.execute(
            "SELECT coalesce(max(number), 0) FROM schema_migrations").fetchone()[0])
        if version > known:
            raise DatabaseTooNew(ErrorCode.TOO_NEW)
        if version < known:
            raise DatabaseUnavailable(ErrorCode.SERVER_SCHEMA_OLD, where=where, version=version,
                                      needed=known)
        return version
