"""`init-server`: a PostgreSQL database made ready for the stations, by its owner.

    python main.py init-server --db postgresql://screening_owner@HOST/screening

1. The schema `screening` (owned by the role running this, the database's owner).
2. Every named migration the database lacks, each in its own transaction under the
   writers' lock (two owners running it at once take turns; the second finds nothing to
   do), recorded in `schema_migrations` as on SQLite.
3. The station role's privileges, exactly `STATION_PRIVILEGES` (migrations_postgres.py):
   reading and writing answers, but only SELECT and INSERT on the audit trail and the
   pinned definitions, no TRUNCATE, and no DDL (it owns nothing and may not create in
   the schema). Granted again at every run, so a migration's new table gets its row.

The station role is a group role the administrator creates (docs/server.md gives the
SQL); each station logs in as a member of it. Running this again is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ..errors import DatabaseDamaged, DatabaseTooNew, ErrorCode, StoreError
from ..migrations import MIGRATIONS, Migration
from ..migrations_postgres import STATION_PRIVILEGES
from ..target import ServerAddress
from .postgres import SCHEMA, WRITE_LOCK, PostgresBackend, PostgresSql

DEFAULT_STATION_ROLE = "screening_station"


@dataclass(frozen=True)
class ServerReady:
    version: int  # migrations recorded now
    applied: tuple[str, ...]  # the names applied by this run
    station_role: str


def init_server(address: ServerAddress, now: Callable[[], str],
                station_role: str = DEFAULT_STATION_ROLE,
                migrations: tuple[Migration, ...] = MIGRATIONS) -> ServerReady:
    backend = PostgresBackend.open(address)
    try:
        with backend.translated():
            if backend.conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                    (station_role,)).fetchone() is None:
                raise StoreError(ErrorCode.STATION_ROLE_MISSING, role=station_role)
            applied = _migrate(backend, now, migrations)
            _grant(backend, station_role)
            return ServerReady(len(migrations), tuple(applied), station_role)
    finally:
        backend.close()


def server_version(backend: PostgresBackend) -> int:
    """How many migrations the server database records (0: none yet); refuses a schema
    that holds tables of something else."""
    conn = backend.conn
    if conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_migrations",)).fetchone()[0]:
        return int(conn.execute("SELECT coalesce(max(number), 0) FROM schema_migrations")
                   .fetchone()[0])
    if backend.tables():
        raise DatabaseDamaged(ErrorCode.NOT_OURS)
    return 0


def _migrate(backend: PostgresBackend, now: Callable[[], str],
             migrations: tuple[Migration, ...]) -> list[str]:
    conn = backend.conn
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(SCHEMA)))
    applied = []
    for number, migration in enumerate(migrations, start=1):
        if migration.postgres is None:
            raise RuntimeError(f"migration {migration.name} has no PostgreSQL version")
        conn.execute("BEGIN")
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            version = server_version(backend)  # another owner may have run it meanwhile
            if version > len(migrations):
                raise DatabaseTooNew(ErrorCode.TOO_NEW)
            if version < number:
                conn.execute(migration.postgres.encode())  # a script: no parameters
                if migration.fill is not None:
                    migration.fill(PostgresSql(conn))
                conn.execute("INSERT INTO schema_migrations (number, name, applied_at)"
                             " VALUES (%s, %s, %s)", (number, migration.name, now()))
                applied.append(migration.name)
            conn.execute("COMMIT")
        except BaseException:
            backend.rollback()
            raise
    return applied


def _grant(backend: PostgresBackend, role: str) -> None:
    tables = set(backend.tables())
    if tables != set(STATION_PRIVILEGES):
        raise RuntimeError("STATION_PRIVILEGES must name every table of the schema exactly: "
                           f"{sorted(tables ^ set(STATION_PRIVILEGES))}")
    who, schema = sql.Identifier(role), sql.Identifier(SCHEMA)
    statements = [
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, who),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, who),
        *(sql.SQL("GRANT {} ON {}.{} TO {}").format(
            sql.SQL(", ").join(map(sql.SQL, STATION_PRIVILEGES[table])), schema,
            sql.Identifier(table), who) for table in sorted(tables)),
        sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, who),
    ]
    if backend.conn.execute("SELECT to_regnamespace('public')").fetchone()[0] is not None:
        # PostgreSQL 14 and older let everyone create tables in `public`: not the stations.
        statements.append(sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn = backend.conn
    conn.execute("BEGIN")
    try:
        for statement in statements:
            conn.execute(statement)
        conn.execute("COMMIT")
    except psycopg.Error:
        backend.rollback()
        raise
