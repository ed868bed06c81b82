"""Consistent copies of the live database through SQLite's online backup.

The copy is written to a private (0600) temporary file beside the destination, switched
to a single self-contained file (no `-wal` beside it), checked with `quick_check`,
flushed to disk, and only then renamed over the destination: a backup file is either
the old one or a complete new one, never half written. Safe while the app runs: the
backup reads one snapshot and does not block writers in WAL mode.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from .base import StoreBase
from .connection import create_private_file, translated
from .errors import DatabaseDamaged, ErrorCode, StoreError


def _fsync(path: Path, directory: bool = False) -> None:
    if directory and os.name == "nt":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BackupMixin(StoreBase):
    def backup(self, out_path: str | os.PathLike[str]) -> Path:
        """Write a consistent copy of the database to `out_path`; return its path."""
        out = Path(out_path).expanduser().absolute()
        if out.exists() and out.resolve() == self.path.resolve():
            raise StoreError(ErrorCode.BACKUP_OVER_DATABASE)
        temporary = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
        with translated(out):
            create_private_file(temporary)
            try:
                target = sqlite3.connect(str(temporary), isolation_level=None)
                try:
                    with translated(self.path):  # a damaged page is the database's, not the copy's
                        self._db.conn.backup(target)
                    target.execute("PRAGMA journal_mode = DELETE")
                    check = target.execute("PRAGMA quick_check").fetchone()
                    if check is None or check[0] != "ok":
                        raise DatabaseDamaged(ErrorCode.BACKUP_CHECK_FAILED)
                finally:
                    target.close()
                _fsync(temporary)
                os.replace(temporary, out)
                _fsync(out.parent, directory=True)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        return out
