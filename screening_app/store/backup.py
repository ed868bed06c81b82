"""Consistent, encrypted copies of the live database (a server's: store/transfer.py).

The copy is written to a private (0600) temporary file beside the destination
(screening_app/files.py: the app's own temporary name, removed at the next start if the
process is killed, with its `-journal`), encrypted with the database's key, switched to
a single self-contained file (no `-wal` beside it), checked with `quick_check`, flushed
to disk, and only then renamed over the destination: a backup file is either the old one
or a complete new one, never half written. Safe while the app runs: the copy reads one
snapshot and does not block writers in WAL mode.

An encrypted database is copied page by page through SQLite's online backup (same key,
so the pages are re-encrypted as they are). A plain database of an older version is
copied with `sqlcipher_export` on a connection of its own, so its backup is encrypted
all the same, with this computer's key.
"""

from __future__ import annotations

import os
from pathlib import Path

import screening_app.store.cipher as cipher
import screening_app.store.keys as keys
from screening_app.files import replacing

from .base import StoreBase
from .connection import translated
from .driver import dbapi
from .errors import DatabaseDamaged, DatabaseUnavailable, ErrorCode, StoreError

_COPY_TIMEOUT_S = 5.0


class BackupMixin(StoreBase):
    def backup(self, out_path: str | os.PathLike[str]) -> Path:
        """Write an encrypted, consistent copy of the database to `out_path`; return it."""
        out = Path(out_path).expanduser().absolute()
        if self.backend_kind != "sqlite":  # a server: its records, into an encrypted file
            from .transfer import backup_into_file

            return backup_into_file(self, out)
        if out.exists() and out.resolve() == self.path.resolve():
            raise StoreError(ErrorCode.BACKUP_OVER_DATABASE)
        key = self._key or keys.key_for_new_database()
        with translated(out):
            out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            with translated(out), replacing(out) as temporary:
                if self._key is not None:
                    self._copy_pages(temporary, key)
                else:
                    self._export_plain(temporary, key)
                copy = cipher.open_connection(temporary, key, _COPY_TIMEOUT_S)
                try:
                    check = copy.execute("PRAGMA quick_check").fetchone()
                finally:
                    copy.close()
                if check is None or check[0] != "ok":
                    raise DatabaseDamaged(ErrorCode.BACKUP_CHECK_FAILED)
        except DatabaseUnavailable as error:  # not "the last change was not saved"
            if error.code is not ErrorCode.DISK_FULL:
                raise
            raise DatabaseUnavailable(ErrorCode.BACKUP_DISK_FULL, path=str(out)) from error
        return out

    def _copy_pages(self, temporary: Path, key: bytes) -> None:
        target = cipher.open_connection(temporary, key, _COPY_TIMEOUT_S)
        steps: list[int] = []  # SQLite's result code of each step of the copy
        try:
            with translated(self.path):  # a damaged page is the database's, not the copy's
                try:
                    self._conn.backup(target, progress=lambda status, _left, _all:
                                      steps.append(status))
                except dbapi.Error as error:
                    # The binding's backup() raises with SQLite's words only, no result
                    # code (a full disk was "an unexpected problem"): the code is the last
                    # step's, which `translated` maps like any other.
                    if getattr(error, "sqlite_errorcode", None) is None and steps:
                        error.sqlite_errorcode = steps[-1]
                    raise
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()

    def _export_plain(self, temporary: Path, key: bytes) -> None:
        # The app's own connection may not ATTACH (guard.py); this one is only for the copy.
        source = cipher.open_connection(self.path, None, _COPY_TIMEOUT_S)
        try:
            with translated(self.path):
                cipher.export_encrypted(source, temporary, key)
        finally:
            source.close()
