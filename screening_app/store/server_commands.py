"""The clinic server's commands (docs/server.md): `init-server` and `copy-database`.

    python main.py init-server --db postgresql://screening_owner@HOST/screening
    python main.py copy-database --from PATH_OR_URL --to PATH_OR_URL

Both refuse what they cannot do before touching anything, and say why in the store's
words: exit 2 for a server that cannot be reached, refuses the sign-in, has no such
database or no TLS, a target that is not empty, a source that is the target.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from screening_app.commands import UsageError, command

from .commands import add_db_argument
from .errors import ErrorCode, StoreError
from .normalise import system_clock, utc_timestamp
from .service import Store
from .target import ServerAddress, database_target, describe
from .transfer import CopyResult, copy_records, new_file_store, same_database

# ---------------------------------------------------------------- init-server


def _init_args(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser, about="the server database to prepare, as its owner")
    parser.add_argument("--station-role", default=None, metavar="ROLE",
                        help="the role the stations log in through (default: screening_station)")


@command("init-server", "prepare a PostgreSQL database for the stations (run as its owner)",
         _init_args)
def init_server_command(args: argparse.Namespace) -> int:
    from .backends.postgres_setup import DEFAULT_STATION_ROLE, init_server

    target = database_target(args.db)
    if not isinstance(target, ServerAddress):
        raise UsageError("init-server prepares a PostgreSQL server's database: --db must be a "
                         "postgresql:// address (docs/server.md)")
    role = args.station_role or DEFAULT_STATION_ROLE
    ready = init_server(target, lambda: utc_timestamp(system_clock()), role)
    done = (f"applied {len(ready.applied)} migration(s): {', '.join(ready.applied)}"
            if ready.applied else "it was already up to date")
    print(f"The database {target.display} is ready ({ready.version} migrations; {done}).")
    print(f"Stations log in as members of the role {ready.station_role}.")
    return 0


# ---------------------------------------------------------------- copy-database


def _copy_args(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser, name="--from", required=True, about="the database to copy")
    add_db_argument(parser, name="--to", required=True,
                    about="where to copy it: a new file, or an empty server database")


@command("copy-database", "copy every record into a new or empty database (a file or a "
         "server), checked by row counts and digests", _copy_args)
def copy_database_command(args: argparse.Namespace) -> int:
    source, target = getattr(args, "from"), args.to
    result = copy_database(source, target)
    width = max(len(t.table) for t in result.tables)
    print(f"{'table':<{width}}  {'source':>9}  {'target':>9}")
    for table in result.tables:
        print(f"{table.table:<{width}}  {table.source_rows:>9}  {table.target_rows:>9}")
    print(f"source digest {result.source_digest}")
    print(f"target digest {result.target_digest}")
    rows = sum(t.target_rows for t in result.tables)
    print(f"Copied {rows} rows from {describe(database_target(source))} to "
          f"{describe(database_target(target))}; counts and digests match.")
    return 0


def copy_database(source: str | os.PathLike[str] | None,
                  target: str | os.PathLike[str]) -> CopyResult:
    """Copy every record of `source` into `target`: a new file (made whole, then put in
    place), or an existing database without records; checked before it commits."""
    from screening_app.files import replacing

    from .connection import translated

    origin_target, copy_target = database_target(source), database_target(target)
    if same_database(origin_target, copy_target):
        raise StoreError(ErrorCode.SAME_DATABASE)
    with Store.open(origin_target, existing=True) as origin:
        if isinstance(copy_target, Path) and not copy_target.exists():
            with translated(copy_target):
                copy_target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with (translated(copy_target),
                  replacing(copy_target, overwrite=False) as temporary,
                  new_file_store(Store, temporary) as copy):
                return copy_records(origin, copy)
        with Store.open(copy_target, existing=True) as copy:
            return copy_records(origin, copy)
