"""`encrypt-database`: turn a plain database of an older version into an encrypted one.

Steps, each a reason to stop with the plain file as it was:

1. Open it as the app does (migrating it to the current schema, which chains its audit
   trail), then on a connection of our own switch it out of WAL (which SQLite allows only
   when no other program has the file open: a running desk or kiosk is told to close)
   and hold an exclusive lock, so nothing changes it while it is copied.
2. `sqlcipher_export` into a private temporary file beside it (screening_app/files.py),
   encrypted with this computer's key (made now if this is the first database here).
3. Check the copy with the key: `integrity_check`, every table's row count, the schema
   version and application id, and the audit chain (intact, same last hash).
4. Only then rename the copy over the plain file (fsynced first, the folder after), so
   the plain file is removed by the same atomic step that puts the checked copy in its
   place. A kill before that leaves the plain file and a temporary file that the next
   start removes; after it, the encrypted database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import screening_app.store.cipher as cipher
import screening_app.store.keys as keys
from screening_app.files import replacing

from .audit_chain import CONTENT_COLUMNS, verify
from .connection import DEFAULT_BUSY_TIMEOUT_MS, translate_sqlite_error, translated
from .driver import dbapi
from .errors import DatabaseBusy, DatabaseDamaged, ErrorCode, StoreError


@dataclass(frozen=True)
class EncryptResult:
    path: Path
    already: bool  # it was encrypted before: nothing was done
    tables: int = 0
    rows: int = 0
    audit_rows: int = 0


def encrypt_database(path: Path) -> EncryptResult:
    from .service import Store

    path = path.expanduser().absolute()
    with Store.open(path, existing=True) as store:  # refuses what is not ours; migrates
        if store.encrypted:
            return EncryptResult(path, already=True)
    key = keys.key_for_new_database()
    timeout = DEFAULT_BUSY_TIMEOUT_MS / 1000
    with translated(path):
        source = cipher.open_connection(path, None, timeout)
    try:
        with translated(path):
            _lock_alone(source, path)
            counts = _row_counts(source)
            source_audit = _audit(source)
        with translated(path), replacing(path) as temporary:
            with translated(path):
                cipher.export_encrypted(source, temporary, key)
            _check_copy(temporary, key, path, counts, source_audit.head)
        return EncryptResult(path, already=False, tables=len(counts),
                             rows=sum(counts.values()), audit_rows=source_audit.rows)
    finally:
        source.close()


def _lock_alone(source, path: Path) -> None:
    """Out of WAL (refused while another connection has the file open), then an exclusive
    lock that this connection keeps until it closes (locking_mode), across the statements
    that follow outside any transaction (ATTACH needs that)."""
    try:
        mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        source.execute("PRAGMA locking_mode = EXCLUSIVE")
        source.execute("BEGIN EXCLUSIVE")
        source.execute("COMMIT")
    except dbapi.OperationalError as error:
        mapped = translate_sqlite_error(error, path)
        if isinstance(mapped, DatabaseBusy):
            raise DatabaseBusy(ErrorCode.IN_USE, path=str(path)) from error
        raise
    if str(mode).lower() != "delete":
        raise DatabaseBusy(ErrorCode.IN_USE, path=str(path))


def _row_counts(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in tables}


def _audit(conn):
    columns = ", ".join(CONTENT_COLUMNS)
    return verify(conn.execute(f"SELECT id, {columns}, chain_hash FROM audit_log ORDER BY id"))


def _check_copy(temporary: Path, key: bytes, path: Path, counts: dict[str, int],
                audit_head: str) -> None:
    def refuse(detail: str) -> StoreError:
        return DatabaseDamaged(ErrorCode.ENCRYPT_FAILED, path=str(path), detail=detail)

    copy = cipher.open_connection(temporary, key, DEFAULT_BUSY_TIMEOUT_MS / 1000)
    try:
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise refuse("its integrity check failed")
        if _row_counts(copy) != counts:
            raise refuse("the numbers of rows differ")
        from .migrations import check_identity

        check_identity(copy)
        audit = _audit(copy)
        if not audit.intact or audit.head != audit_head:
            raise refuse("its audit trail differs")
    finally:
        copy.close()
