"""Opening the SQLite file safely, and turning environment failures into StoreError.

Decisions:

- The file is created by us, before SQLite opens it, with mode 0600 (owner only);
  SQLite gives its `-wal` and `-shm` files the database file's mode, so they are private
  too. A folder we create gets 0700. We do not touch `umask` (it is process-wide and the
  desk runs worker threads). Existing files keep the permissions they have.
- PRAGMAs: WAL journal, `synchronous=FULL` (a commit that returned is on disk),
  foreign keys on, a busy timeout, and `fullfsync` where the OS offers it (macOS), because
  a clinic machine losing the last answers at a power cut is worse than a slower save.
- Error mapping keys on SQLite's primary result code, not on message text. Messages say
  what happened and what to do, never which values were involved.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import DatabaseBusy, DatabaseDamaged, DatabaseUnavailable, StoreError

DEFAULT_BUSY_TIMEOUT_MS = 5000

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}

BUSY_MESSAGE = (
    "The database is busy: another window or program is using it. Wait a moment and try "
    "again; the last change was not saved."
)


def _location(path: Path | None) -> str:
    return f"The database at {path}" if path is not None else "The database"


def translate_sqlite_error(exc: sqlite3.Error, path: Path | None = None) -> StoreError | None:
    """The StoreError for an environment failure, or None when `exc` is a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    where = _location(path)
    if primary in _BUSY_CODES:
        return DatabaseBusy(BUSY_MESSAGE)
    if primary == sqlite3.SQLITE_CANTOPEN:
        return DatabaseUnavailable(
            f"{where} cannot be opened. Check that the folder exists and that this user may "
            "write to it."
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return DatabaseUnavailable(
            f"{where} cannot be written: the file or its folder is read-only for this user. "
            "The last change was not saved."
        )
    if primary == sqlite3.SQLITE_FULL:
        return DatabaseUnavailable(
            "The disk is full, so the last change was not saved. Free some space and try "
            "again."
        )
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseDamaged(
            f"{where} is not a database of this app, or it is damaged. Restore it from a "
            "backup, or choose another file."
        )
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOLFS):
        return DatabaseUnavailable(
            "The computer reported an error while reading or writing the database file; "
            "the last change was not saved. Check the disk, then try again."
        )
    return None


def translate_os_error(exc: OSError, path: Path | None = None, what: str = "") -> StoreError:
    where = f"{what} at {path}" if what and path else (what or _location(path))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseUnavailable(f"{where} cannot be written: the folder is read-only.")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DatabaseUnavailable(f"The disk is full; {where.lower()} could not be written.")
    if exc.errno == errno.ENOENT:
        return DatabaseUnavailable(f"{where} cannot be created: its folder does not exist.")
    detail = os.strerror(exc.errno) if exc.errno else exc.__class__.__name__
    return DatabaseUnavailable(f"{where} could not be opened or written ({detail}).")


@contextlib.contextmanager
def translated(path: Path | None = None) -> Iterator[None]:
    """Re-raise environment failures inside the block as StoreError (bugs pass through)."""
    try:
        yield
    except sqlite3.Error as exc:
        error = translate_sqlite_error(exc, path)
        if error is None:
            raise
        raise error from exc
    except OSError as exc:
        raise translate_os_error(exc, path) from exc


def is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _BUSY_CODES


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (and its folder with 0700)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)
    os.chmod(path, 0o600)  # in case a umask or ACL default widened it


def connect(path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """Open `path` (creating it privately) and apply the durability PRAGMAs."""
    create_private_file(path)
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DatabaseUnavailable(
                f"{_location(path)} cannot use safe-write (WAL) mode. Network drives are not "
                "supported; keep the database on this computer's disk."
            )
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if sys.platform == "darwin":
            conn.execute("PRAGMA fullfsync = ON")
            conn.execute("PRAGMA checkpoint_fullfsync = ON")
    except BaseException:
        conn.close()
        raise
    return conn
