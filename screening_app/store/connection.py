"""Opening the SQLite file safely, and turning environment failures into StoreError.

Decisions:

- The file is created by us, before SQLite opens it, with mode 0600 (owner only);
  SQLite gives its `-wal` and `-shm` files the database file's mode, so they are private
  too. A folder we create gets 0700. We do not touch `umask` (it is process-wide and the
  desk runs worker threads). Existing files keep the permissions they have.
- PRAGMAs: WAL journal, `synchronous=FULL` (a commit that returned is on disk),
  foreign keys on, a busy timeout, and `fullfsync` where the OS offers it (macOS), because
  a clinic machine losing the last answers at a power cut is worse than a slower save.
- Error mapping keys on SQLite's primary result code (and the OS's errno), not on message
  text, and gives each failure its `ErrorCode`; the only value it carries is the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import DatabaseBusy, DatabaseDamaged, DatabaseUnavailable, ErrorCode, StoreError

DEFAULT_BUSY_TIMEOUT_MS = 5000

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def translate_sqlite_error(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """The StoreError for an environment failure, or None when `exc` is a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in _BUSY_CODES:
        return DatabaseBusy(ErrorCode.BUSY)
    if primary == sqlite3.SQLITE_CANTOPEN:
        return DatabaseUnavailable(ErrorCode.CANNOT_OPEN, path=str(path))
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return DatabaseUnavailable(ErrorCode.READ_ONLY, path=str(path))
    if primary == sqlite3.SQLITE_FULL:
        return DatabaseUnavailable(ErrorCode.DISK_FULL)
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseDamaged(ErrorCode.DAMAGED, path=str(path))
    if primary in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOLFS):
        return DatabaseUnavailable(ErrorCode.IO_ERROR)
    return None


def translate_os_error(exc: OSError, path: Path) -> StoreError:
    """The StoreError for a failure of the file system at `path` (by errno, not by text)."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DatabaseUnavailable(ErrorCode.READ_ONLY, path=str(path))
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DatabaseUnavailable(ErrorCode.DISK_FULL)
    if exc.errno == errno.ENOENT:
        return DatabaseUnavailable(ErrorCode.FOLDER_MISSING, path=str(path))
    detail = os.strerror(exc.errno) if exc.errno else exc.__class__.__name__
    return DatabaseUnavailable(ErrorCode.OS_ERROR, path=str(path), detail=detail)


@contextlib.contextmanager
def translated(path: Path) -> Iterator[None]:
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
            raise DatabaseUnavailable(ErrorCode.NETWORK_DRIVE, path=str(path))
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        if sys.platform == "darwin":
            conn.execute("PRAGMA fullfsync = ON")
            conn.execute("PRAGMA checkpoint_fullfsync = ON")
    except BaseException:
        conn.close()
        raise
    return conn
