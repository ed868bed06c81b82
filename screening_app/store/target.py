"""Which database a `--db` value names: a SQLite file on this computer, or a PostgreSQL
server that several stations share.

    --db PATH                                   a SQLite file (the default: one computer)
    --db postgresql://USER@HOST/DBNAME?...      any libpq connection URI (postgres:// too)

`SCREENING_DB` in the environment is the default when `--db` is not given, so a kiosk's
launcher names the server without holding a secret; without it, the per-user data file.

Decisions:

- **No password in an address.** A URI is shown by `ps`, kept in shell histories and
  launchers, and printed in messages; a password in it is refused before anything
  connects (`ErrorCode.URL_PASSWORD`). Passwords come from libpq's own means: the
  password file (`~/.pgpass`, or `PGPASSFILE`), or a password the desk asks for and hands
  to `Store.open(password=...)` for the first connection, never stored.
- **Messages name a server by `user@host:port/dbname`** (`ServerAddress.display`),
  built from the parsed parts: never the text typed, which could hold anything. A URI
  that libpq cannot parse is refused without repeating it (`ErrorCode.BAD_URL`).
- Parsing is libpq's (`psycopg.conninfo.conninfo_to_dict`), so what is accepted here is
  what libpq will connect with (multi-host lists, `sslmode`, `target_session_attrs`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorCode, StoreError
from .paths import default_db_path

DB_ENV = "SCREENING_DB"
SERVER_SCHEMES = ("postgresql://", "postgres://")
MAX_ADDRESS_LENGTH = 4096  # libpq has no limit; an address this long is a mistake


def is_server_address(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(SERVER_SCHEMES)


@dataclass(frozen=True)
class ServerAddress:
    """A PostgreSQL server and database, as libpq parsed it (never with a password)."""

    conninfo: str  # the URI as given (without a password: checked)
    params: dict[str, str] = field(compare=False)
    # A password typed at the desk's prompt (never in the address, never stored): kept in
    # this process's memory so that worker threads and reconnections can use it.
    password: str | None = field(default=None, repr=False, compare=False)

    def with_password(self, password: str | None) -> ServerAddress:
        return ServerAddress(self.conninfo, self.params, password)

    @property
    def display(self) -> str:
        """`user@host:port/dbname` for messages (several hosts joined with commas)."""
        user = self.params.get("user") or os.environ.get("PGUSER") or "(login name)"
        hosts = (self.params.get("host") or "localhost").split(",")
        ports = (self.params.get("port") or "").split(",")
        where = ",".join(f"{host}:{ports[min(i, len(ports) - 1)]}" if ports[0] else host
                         for i, host in enumerate(hosts))
        return f"{user}@{where}/{self.params.get('dbname') or user}"

    @property
    def sslmode(self) -> str:
        return self.params.get("sslmode") or os.environ.get("PGSSLMODE") or "prefer"

    def __str__(self) -> str:
        return self.conninfo


Target = Path | ServerAddress


def server_address(text: str) -> ServerAddress:
    """Parse a server URI; refuse one with a password or one libpq cannot read."""
    if len(text) > MAX_ADDRESS_LENGTH or "\x00" in text:
        raise StoreError(ErrorCode.BAD_URL)
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        params: dict[str, Any] = conninfo_to_dict(text.strip())
    except (ProgrammingError, ValueError, UnicodeError):
        raise StoreError(ErrorCode.BAD_URL) from None
    if params.get("password") is not None:
        raise StoreError(ErrorCode.URL_PASSWORD)
    ports = str(params.get("port") or "").split(",")
    if not all(port.isascii() and port.isdigit() and 0 < int(port) < 65536
               for port in ports if port):  # libpq would say so only when connecting
        raise StoreError(ErrorCode.BAD_URL)
    return ServerAddress(text.strip(), {key: str(value) for key, value in params.items()})


def database_target(db: str | os.PathLike[str] | ServerAddress | None) -> Target:
    """The database named by `--db` (a path or a server URI), else SCREENING_DB, else the
    per-user default file."""
    if isinstance(db, ServerAddress):
        return db
    if db is None or (isinstance(db, str) and not db.strip()):
        db = os.environ.get(DB_ENV, "").strip() or None
    if db is None:
        return default_db_path()
    if is_server_address(db):
        return server_address(str(db))
    return Path(db).expanduser().absolute()


def describe(target: Target) -> str:
    """How messages name a database: its path, or `user@host:port/dbname`."""
    return target.display if isinstance(target, ServerAddress) else str(target)
