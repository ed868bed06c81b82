"""What the app's own SQLite connection may not do once the schema is migrated (SQLite only).

The triggers refuse UPDATE, DELETE and REPLACE of audit rows and pinned definitions;
this authorizer makes sure no statement through the app's connection can remove them or
go around them: no DDL at all (DROP TRIGGER, DROP TABLE, ALTER TABLE, CREATE ...), no
ATTACH, no `writable_schema`, no rewriting of the schema's version or identity (nor of
`schema_migrations`, which the version is checked against at every open), no re-keying,
and no change to how the file is encrypted: a `cipher_*` setting made on an open
connection applies to the pages written next (`cipher_plaintext_header_size = 32` wrote
a plain header that made the app refuse its own file as another program's;
`cipher_default_use_hmac = OFF` changed every later connection of the process;
`cipher_migrate` rewrote the file). Every statement is checked when SQLite prepares it,
not when it runs, so the cost is paid once per distinct statement (the driver caches
prepared statements).

A PostgreSQL backend gets the same promise from privileges (the app's role owns no
table and has only INSERT and SELECT on the audit trail and definitions).
"""

from __future__ import annotations

from typing import Any

from .driver import dbapi

PROTECTED_TABLES = frozenset({"audit_log", "questionnaires"})
# Written only by the migrations, which run before the authorizer is installed.
MIGRATIONS_TABLE = "schema_migrations"

_DENIED_ACTIONS = frozenset(
    getattr(dbapi, name) for name in dir(dbapi)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
) | {dbapi.SQLITE_ALTER_TABLE, dbapi.SQLITE_ATTACH, dbapi.SQLITE_DETACH}

# PRAGMAs that may be read but never set through the app's connection.
_READ_ONLY_PRAGMAS = frozenset({"writable_schema", "user_version", "application_id",
                                "schema_version", "key", "rekey", "hexkey", "hexrekey",
                                "journal_mode", "locking_mode"})
# PRAGMAs that act even when only read (`PRAGMA cipher_migrate` rewrites the file).
_ACTING_PRAGMAS = frozenset({"cipher_migrate"})


def _authorize(action: int, arg1: Any, arg2: Any, _db: Any, _source: Any) -> int:
    api = dbapi
    if action in _DENIED_ACTIONS:
        return api.SQLITE_DENY
    if action in (api.SQLITE_UPDATE, api.SQLITE_DELETE) and str(arg1).lower() in PROTECTED_TABLES:
        return api.SQLITE_DENY
    if action in (api.SQLITE_INSERT, api.SQLITE_UPDATE, api.SQLITE_DELETE) and (
            str(arg1).lower() == MIGRATIONS_TABLE):
        return api.SQLITE_DENY
    if action == api.SQLITE_PRAGMA and _pragma_denied(str(arg1).lower(), arg2):
        return api.SQLITE_DENY
    return api.SQLITE_OK


def _pragma_denied(name: str, argument: Any) -> bool:
    if name in _ACTING_PRAGMAS:
        return True
    return argument is not None and (name in _READ_ONLY_PRAGMAS or name.startswith("cipher"))


def protect(conn: Any) -> None:
    """Install the authorizer on the app's connection (after migrations ran)."""
    conn.set_authorizer(_authorize)
