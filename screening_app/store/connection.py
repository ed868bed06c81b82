"""Opening the SQLite file safely, and turning environment failures into StoreError.

Decisions:

- A new database is made whole in a private (0600) temporary file beside the target,
  encrypted, migrated and closed, and only then put in place (never over an existing
  file): a killed start leaves no half-made database, only a temporary file that the
  next start removes (screening_app/files.py). SQLite gives its `-wal` and `-shm` files
  the database file's mode, so they are private too. A folder we create gets 0700. We do
  not touch `umask` (it is process-wide and the desk runs worker threads). Existing files
  keep the permissions they have.
- An existing file is looked at before SQLite opens it (cipher.file_kind): an empty
  file or another program's is refused without a byte written, and nothing is switched
  (journal mode included) before the key opened it and the file was found to be ours.
  Only when this process has no connection to it yet (`_OpenFiles`): closing any
  descriptor of a file cancels every POSIX lock the process holds on it, SQLite's
  included (sqlite.org/howtocorrupt.html, 2.2). The desk's list thread opened its store
  at every sign-in while the window's store was open; from then on another process
  could take the database for itself under the desk, delete its write-ahead log, and
  every new connection of the desk failed with "disk I/O error" until a restart.
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
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import screening_app.store.cipher as cipher
import screening_app.store.keys as keys

from .driver import dbapi
from .errors import DatabaseBusy, DatabaseDamaged, DatabaseUnavailable, ErrorCode, StoreError

DEFAULT_BUSY_TIMEOUT_MS = 5000

_BUSY_CODES = {dbapi.SQLITE_BUSY, dbapi.SQLITE_LOCKED}


def translate_sqlite_error(exc: dbapi.Error, path: Path) -> StoreError | None:
    """The StoreError for an environment failure, or None when `exc` is a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in _BUSY_CODES:
        return DatabaseBusy(ErrorCode.BUSY)
    if primary == dbapi.SQLITE_CANTOPEN:
        return DatabaseUnavailable(ErrorCode.CANNOT_OPEN, path=str(path))
    if primary in (dbapi.SQLITE_READONLY, dbapi.SQLITE_PERM, dbapi.SQLITE_AUTH):
        return DatabaseUnavailable(ErrorCode.READ_ONLY, path=str(path))
    if primary == dbapi.SQLITE_FULL:
        return DatabaseUnavailable(ErrorCode.DISK_FULL)
    if primary in (dbapi.SQLITE_NOTADB, dbapi.SQLITE_CORRUPT):
        return DatabaseDamaged(ErrorCode.DAMAGED, path=str(path))
    if primary in (dbapi.SQLITE_IOERR, dbapi.SQLITE_NOLFS):
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
    except dbapi.Error as exc:
        error = translate_sqlite_error(exc, path)
        if error is None:
            raise
        raise error from exc
    except OSError as exc:
        raise translate_os_error(exc, path) from exc


def is_busy(exc: dbapi.Error) -> bool:
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


def create_database(path: Path, migrate: Callable[[Any], object],
                    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> bool:
    """Make a new encrypted database at `path` (migrated by `migrate`); False when one
    appeared there meanwhile (another process made it first: use that one)."""
    from screening_app.files import replacing

    key = keys.key_for_new_database()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with replacing(path, overwrite=False) as temporary:
            conn = cipher.open_connection(temporary, key, busy_timeout_ms / 1000)
            try:
                configure(conn, temporary, busy_timeout_ms)
                migrate(conn)
            finally:
                conn.close()  # folds the WAL into the file, which then stands alone
    except FileExistsError:
        return False
    return True


class _OpenFiles:
    """The database files this process has connections to, by device and inode, with the
    kind their header showed when the first one was opened (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[tuple[int, int], list[Any]] = {}  # file -> [connections, kind]
        self._owners: dict[int, tuple[int, int]] = {}  # id(connection) -> file

    def claim(self, path: Path) -> tuple[str, tuple[int, int]]:
        """The file's kind, read from its header only if no connection has it open yet."""
        status = os.stat(path)
        file = (status.st_dev, status.st_ino)
        with self._lock:
            entry = self._files.get(file)
            if entry is None:
                entry = self._files[file] = [0, cipher.file_kind(path)]
            entry[0] += 1
            return entry[1], file

    def own(self, conn: Any, file: tuple[int, int]) -> None:
        with self._lock:
            self._owners[id(conn)] = file

    def release(self, file: tuple[int, int] | None = None, conn: Any = None) -> None:
        with self._lock:
            if conn is not None:
                file = self._owners.pop(id(conn), None)
            entry = self._files.get(file) if file is not None else None
            if entry is not None:
                entry[0] -= 1
                if entry[0] <= 0:
                    del self._files[file]


OPEN_FILES = _OpenFiles()


def close_connection(conn: Any) -> None:
    """Close a connection that `connect` opened (and forget it was open)."""
    try:
        conn.close()
    finally:
        OPEN_FILES.release(conn=conn)


def connect(path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, check: bool = True
            ) -> tuple[Any, bytes | None]:
    """Open the existing database at `path`; return the connection and its key (None for
    a plain file of an older version). Refuses (untouched) an empty file, another program's
    file, and an encrypted file that this computer's key does not open. Close it with
    `close_connection`."""
    kind, file = OPEN_FILES.claim(path)
    try:
        conn = _connect(path, kind, busy_timeout_ms, check)
    except BaseException:
        OPEN_FILES.release(file)
        raise
    OPEN_FILES.own(conn[0], file)
    return conn


def _connect(path: Path, kind: str, busy_timeout_ms: int, check: bool
             ) -> tuple[Any, bytes | None]:
    if kind == cipher.EMPTY:
        raise DatabaseDamaged(ErrorCode.EMPTY_FILE, path=str(path))
    if kind == cipher.FOREIGN:
        raise DatabaseDamaged(ErrorCode.NOT_OURS)
    if kind == cipher.JUNK:
        raise DatabaseDamaged(ErrorCode.DAMAGED, path=str(path))
    key = None
    if kind == cipher.ENCRYPTED:
        key = keys.find_key()
        if key is None:
            named = keys.chosen_key_file()
            if named is not None:  # --key-file (or SCREENING_KEY_FILE) names no file
                raise keys.KeyUnavailable(ErrorCode.KEY_FILE_MISSING, path=str(named))
            raise cipher.WrongKey(ErrorCode.WRONG_KEY)
    conn = cipher.open_connection(path, key, busy_timeout_ms / 1000)
    try:
        from .migrations import check_identity

        check_identity(conn)  # ours, and not from a newer app: before anything is switched
        if check:
            quick_check(conn, path)
        configure(conn, path, busy_timeout_ms)
    except BaseException:
        conn.close()
        raise
    return conn, key


def quick_check(conn: Any, path: Path) -> None:
    """`PRAGMA quick_check` (every page read, structure checked, indexes not compared with
    their tables): a damaged file is refused before anything is written to it."""
    try:
        result = conn.execute("PRAGMA quick_check(1)").fetchone()
    except dbapi.DatabaseError as error:  # a page SQLCipher cannot authenticate, or unreadable
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code not in (dbapi.SQLITE_CORRUPT, dbapi.SQLITE_NOTADB):
            raise
        raise DatabaseDamaged(ErrorCode.DAMAGED_FILE, path=str(path)) from error
    if result is None or result[0] != "ok":
        raise DatabaseDamaged(ErrorCode.DAMAGED_FILE, path=str(path))


def configure(conn: Any, path: Path, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """The durability PRAGMAs; the journal mode is switched only when it is not WAL yet."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise DatabaseUnavailable(ErrorCode.NETWORK_DRIVE, path=str(path))
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")  # sorts and temporary tables never hit the disk
    if sys.platform == "darwin":
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA checkpoint_fullfsync = ON")
