"""Every record from one database to another: `copy-database` (a clinic moving from one
computer's file to its server, or back; store/server_commands.py) and a server's
`backup` (into an encrypted file).

Decisions:

- **Everything, as it is.** Each table of the schema (`COPIED_TABLES`: candidates,
  submissions, answers, flags, the audit trail, users, settings, pinned definitions,
  sign-offs, ...) row for row with its ids, so links, resume codes and the audit chain
  (which hashes the rows' text, never their ids) stay valid; the target's identity
  sequences move past the copied ids. The exports' kept answers (`applicable_answers`)
  come with the audit ids they were written at, so they stay current in the copy. A
  table of the schema missing from the list stops the copy (a new table must be a
  decision; tests/store/test_server_copy.py).
- **Only into an empty database**: a new file (made whole in a private temporary file and
  put in place at the end), or a database without a single record (a server that
  `init-server` prepared). Anything else is refused before a row is written.
- **Checked before it counts.** The source is read in one snapshot (a read transaction;
  REPEATABLE READ on a server), the target written in one transaction; before that
  transaction commits, every table is read back from the target and compared with the
  source by its row count and a SHA-256 digest of its rows (JSON text of each row's
  values, in key order). A difference undoes the whole copy (`COPY_MISMATCH`).
- **A server's backup** is the same copy into a new encrypted SQLite file (this
  computer's key, like every backup), switched to a single self-contained file and
  integrity-checked before it is renamed into place: it opens anywhere this app runs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import screening_app.store.cipher as cipher
import screening_app.store.keys as keys
from screening_app.files import replacing

from .connection import DEFAULT_BUSY_TIMEOUT_MS, configure, translated
from .errors import DatabaseDamaged, ErrorCode, StoreError
from .migrations import migrate
from .normalise import system_clock, utc_timestamp
from .target import ServerAddress, Target

# Parents before the tables that point at them; schema_migrations is each database's own.
COPIED_TABLES = ("questionnaires", "candidates", "candidate_search_terms", "submissions",
                 "answers", "flags", "audit_log", "users", "settings", "submission_origins",
                 "signoffs", "applicable_answers")
OWN_TABLES = ("schema_migrations",)
# Tables keyed otherwise than by their id:
ROW_KEYS = {"candidate_search_terms": ("term", "candidate_id"), "settings": ("key",),
            "submission_origins": ("submission_id",), "applicable_answers": ("submission_id",)}
BATCH = 5000


@dataclass(frozen=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str


@dataclass(frozen=True)
class CopyResult:
    tables: tuple[TableCopy, ...]

    @property
    def source_digest(self) -> str:
        return _overall((t.table, t.source_rows, t.source_digest) for t in self.tables)

    @property
    def target_digest(self) -> str:
        return _overall((t.table, t.target_rows, t.target_digest) for t in self.tables)


def backup_into_file(store: Any, out: Path) -> Path:
    """A server's records in a new encrypted SQLite file at `out` (replaced whole)."""
    with translated(out):
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with translated(out), replacing(out) as temporary:
        with new_file_store(type(store), temporary, store._clock) as copy:
            copy_records(store, copy)
            copy._conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            check = copy._conn.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise DatabaseDamaged(ErrorCode.BACKUP_CHECK_FAILED)
    return out


def new_file_store(store_class: Any, temporary: Path, clock: Callable[[], Any] | None = None):
    """A Store (of `store_class`) on the empty private temporary file `temporary`:
    encrypted with this computer's key (made now if it has none) and migrated, as
    Store.open makes one; without the guard's authorizer (a backup switches the journal)."""
    key = keys.key_for_new_database()
    conn = cipher.open_connection(temporary, key, DEFAULT_BUSY_TIMEOUT_MS / 1000)
    try:
        configure(conn, temporary)
        migrate(conn, lambda: utc_timestamp((clock or system_clock)()))
    except BaseException:
        conn.close()
        raise
    store = store_class(conn, temporary, clock)
    store._key = key
    return store


def copy_records(source: Any, target: Any) -> CopyResult:
    """Every row of COPIED_TABLES from `source` (one snapshot) into the empty `target` (one
    transaction, undone unless every table reads back the same)."""
    _check_tables(source)
    _check_tables(target)
    copied = []
    with source._read() as reading, target._write() as writing:
        if any(_count(writing, table) for table in COPIED_TABLES):
            raise StoreError(ErrorCode.NOT_EMPTY, where=target.location)
        for table in COPIED_TABLES:
            columns = source._backend.table_columns(table)
            if sorted(columns) != sorted(target._backend.table_columns(table)):
                raise StoreError(ErrorCode.COPY_MISMATCH, detail=f"the columns of {table} differ")
            counted = _Digest()
            target._backend.insert_rows(table, columns,
                                        counted.through(_read_rows(reading, table, columns)))
            copied.append((table, columns, counted))
        target._backend.after_explicit_ids(t for t in COPIED_TABLES if t not in ROW_KEYS)
        results = []
        for table, columns, counted in copied:
            again = _Digest()
            for _row in again.through(_read_rows(writing, table, columns)):
                pass
            results.append(TableCopy(table, counted.rows, again.rows, counted.hexdigest(),
                                     again.hexdigest()))
        differ = [t.table for t in results
                  if (t.source_rows, t.source_digest) != (t.target_rows, t.target_digest)]
        if differ:
            raise StoreError(ErrorCode.COPY_MISMATCH, detail=f"tables {', '.join(differ)}")
    return CopyResult(tuple(results))


def database_digest(store: Any) -> CopyResult:
    """Row counts and digests of one database's records (source and target the same)."""
    _check_tables(store)
    results = []
    with store._read() as reading:
        for table in COPIED_TABLES:
            digest = _Digest()
            for _row in digest.through(_read_rows(reading, table,
                                                  store._backend.table_columns(table))):
                pass
            results.append(TableCopy(table, digest.rows, digest.rows, digest.hexdigest(),
                                     digest.hexdigest()))
    return CopyResult(tuple(results))


# -- the parts -----------------------------------------------------------------------------


# One encoder for every row (json.dumps would make one per call: a third of the digest's
# time over 14 million rows). A row's text: its values as a JSON array, no spaces.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class _Digest:
    """Counts rows and hashes their values in order (each row as one line of JSON)."""

    def __init__(self) -> None:
        self.rows = 0
        self._hash = hashlib.sha256()

    def through(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        encode, update = _ROW_JSON.encode, self._hash.update
        for row in rows:
            self.rows += 1
            update(encode(row).encode("utf-8", "surrogatepass") + b"\n")
            yield row

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _read_rows(sql: Any, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    keys = ", ".join(ROW_KEYS.get(table, ("id",)))
    return sql.stream(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {keys}")


def _count(sql: Any, table: str) -> int:
    return int(sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _check_tables(store: Any) -> None:
    with store._backend.translated():
        tables = set(store._backend.tables())
    unknown = tables - set(COPIED_TABLES) - set(OWN_TABLES)
    if unknown or not set(COPIED_TABLES) <= tables:
        raise RuntimeError(f"COPIED_TABLES does not match the schema: {sorted(unknown)}")


def _overall(tables: Iterable[tuple[str, int, str]]) -> str:
    text = "".join(f"{table} {rows} {digest}\n" for table, rows, digest in tables)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def same_database(a: Target, b: Target) -> bool:
    """Whether two targets name the same database (the same file, or server and name)."""
    if isinstance(a, ServerAddress) and isinstance(b, ServerAddress):
        where = ("host", "hostaddr", "port", "dbname")
        return all(a.params.get(k) == b.params.get(k) for k in where)
    if isinstance(a, Path) and isinstance(b, Path):
        return (a.exists() and b.exists() and a.resolve() == b.resolve()) or a == b
    return False

