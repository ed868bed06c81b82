"""The two places the Store keeps records: a SQLite file (`sqlite`) and a PostgreSQL
server (`postgres`). Everything above the store uses the same `Store` methods on both.

A backend gives the Store's parts (the mixins in `store/`):

- `sql`: the statements of its connection, in one shape for both (`Sql` below). The
  shared SQL is written once, with SQLite's `?` and `:name` parameters; the PostgreSQL
  backend rewrites the placeholders for psycopg (`postgres.placeholders`).
- transactions: `begin_write` (writers take turns: SQLite's write lock, a PostgreSQL
  advisory lock, so every change sees the one before it and the audit chain stays a
  chain), `begin_read` (one consistent snapshot), `commit`, `rollback`, `end_read`;
- `translated()`: the environment's failures as StoreErrors with a code;
- the few statements whose SQL differs, each named for what it does
  (`data_version`, `answers_object`, `reserve_ids`, `bulk_mode`, ...).

Each backend module holds every line of SQL that differs for it; the DDL of a server is
in `store/migrations_postgres.py` beside the SQLite migrations it mirrors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol


class Sql(Protocol):
    """What the Store's parts run statements through (rows come as dicts from `query`)."""

    def query(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]: ...

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...

    def execute(self, sql: str, params: Any = ()) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def stream(self, sql: str, params: Any = ()) -> Iterator[tuple[Any, ...]]: ...
