"""SQLCipher: what kind of file a path holds, keyed connections, and encrypted copies.

SQLite-specific (a PostgreSQL server has its own encryption at rest). The binding is
`sqlcipher3` (SQLCipher 4 with SQLite and OpenSSL built in, wheels for Linux, Windows
and macOS). The key is a raw 256-bit key given as `x'<64 hex digits>'`, so SQLCipher
uses it as it is instead of deriving one with 256,000 rounds of PBKDF2 at every open.

What an existing file is, decided from its first 100 bytes before SQLite touches it:

- `empty`: 0 bytes. Never one of ours (new databases are made whole and then renamed
  into place), so it is refused untouched.
- `plain`: an unencrypted SQLite file. Ours when its header's application_id is ours
  (an older version of the app made it): opened, with a warning to run
  `encrypt-database`. Anybody else's: refused untouched (`foreign`).
- `encrypted`: anything else that is a whole number of 512-byte pages: to SQLCipher,
  random bytes and a database encrypted with another key look the same, so both get
  the wrong-key message. Not a whole number of pages: `junk` (not a database, or a
  damaged one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .driver import dbapi
from .errors import ErrorCode, StoreError
from .migrations import APPLICATION_ID

PLAIN_HEADER = b"SQLite format 3\x00"
EMPTY, PLAIN, FOREIGN, JUNK, ENCRYPTED = "empty", "plain", "foreign", "junk", "encrypted"


class WrongKey(StoreError):
    """The database is encrypted and the key this computer has does not open it."""


def file_kind(path: Path) -> str:
    """EMPTY, PLAIN, FOREIGN, JUNK or ENCRYPTED for an existing file (module text)."""
    with open(path, "rb") as file:
        header = file.read(100)
        size = file.seek(0, 2)
    if size == 0:
        return EMPTY
    if header.startswith(PLAIN_HEADER):
        application_id = int.from_bytes(header[68:72], "big") if len(header) >= 72 else 0
        return PLAIN if application_id == APPLICATION_ID else FOREIGN
    if size % 512:
        return JUNK
    return ENCRYPTED


def key_pragma(key: bytes, schema: str = "") -> str:
    return f"PRAGMA {schema}key = \"x'{key.hex()}'\""


def open_connection(path: Path, key: bytes | None, timeout_s: float) -> Any:
    """A connection to `path`, keyed when `key` is given, checked to be readable with it
    (a wrong key reads as `file is not a database` at the first read: WrongKey). Nothing
    is written."""
    conn = dbapi.connect(str(path), timeout=timeout_s, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is ours to report
        if key is not None:
            conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi.DatabaseError as error:
        conn.close()
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if key is not None and code == dbapi.SQLITE_NOTADB:
            raise WrongKey(ErrorCode.WRONG_KEY) from error
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def export_encrypted(source: Any, target: Path, key: bytes) -> None:
    """Write an encrypted copy of the open `source` connection's database to `target`
    (a new or empty file): SQLCipher's `sqlcipher_export`, plus the two header values it
    does not copy. Call outside a transaction (ATTACH and DETACH need that): the export
    is one statement, so it reads one consistent snapshot of the source."""
    source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
    try:
        source.execute("SELECT sqlcipher_export('encrypted')")
        for pragma in ("user_version", "application_id"):
            value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA encrypted.{pragma} = {value}")
    finally:
        source.execute("DETACH DATABASE encrypted")
