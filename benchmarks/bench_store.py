"""Storage figures: durable save_answer latency, and listing/search on a large database.

    python benchmarks/bench_store.py [--dir DIR] [--saves 2000] [--submissions 100000]
                                     [--big-db EXISTING.db] [--keep]

1. `save_answer` (one durable commit: WAL, synchronous=FULL) median / p95 / p99 on an
   encrypted (SQLCipher) and on a plain database, next to a baseline on the same disk: a
   bare `INSERT` + `COMMIT` with the same PRAGMAs (plain SQLite).
2. A generated database of `--submissions` submissions (see make_big_db.py): the newest
   100 submissions, search by name fragment (list page and count), and other searches;
   medians over repeated runs with a warm cache, plus bytes per submission and per table;
   then opening it: `Store.open` and `PRAGMA quick_check`.

DIR defaults to a temporary directory on the system temp disk; point it at the disk the
clinic's data lives on to measure that disk.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.store import Store
from screening_app.store.driver import dbapi
from screening_app.store.migrations import migrate

HERE = Path(__file__).resolve().parent


def _make_big_db_module():
    spec = importlib.util.spec_from_file_location("make_big_db", HERE / "make_big_db.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples_s: list[float]) -> str:
    ms = [s * 1000 for s in samples_s]
    return (f"median {statistics.median(ms):7.3f} ms   p95 {percentile(ms, 0.95):7.3f} ms   "
            f"p99 {percentile(ms, 0.99):7.3f} ms   max {max(ms):7.3f} ms   (n={len(ms)})")


def _saves(store: Store, questionnaire, saves: int) -> list[float]:
    sid = store.start_submission(questionnaire, "en", actor="bench")
    items = ["first_name", "last_name", "country", "neurologist_name", "allergies"]
    timings = []
    for i in range(saves):
        path = items[i % len(items)]
        value = f"value {i} ñ"
        start = time.perf_counter()
        store.save_answer(sid, path, value, actor="kiosk")
        timings.append(time.perf_counter() - start)
    return timings


def _plain_database(path: Path) -> None:
    """A database as versions before encryption made it (plain SQLite; the app opens it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, lambda: "2026-01-01T00:00:00+00:00")
    finally:
        conn.close()


def bench_save_answer(directory: Path, saves: int) -> dict[str, list[float]]:
    """save_answer on an encrypted and on a plain database (in alternating rounds, so a
    busy moment of the machine falls on both), and the bare INSERT + COMMIT baseline."""
    questionnaire = load_questionnaire(shipped_questionnaire_path())
    _plain_database(directory / "plain.db")
    timings: dict[str, list[float]] = {"encrypted": [], "plain": [], "baseline": []}
    with Store.open(directory / "save.db") as encrypted, \
            Store.open(directory / "plain.db") as plain:
        assert encrypted.encrypted and not plain.encrypted
        for _ in range(4):
            timings["encrypted"] += _saves(encrypted, questionnaire, saves // 4)
            timings["plain"] += _saves(plain, questionnaire, saves // 4)
    conn = sqlite3.connect(directory / "baseline.db", isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, path TEXT, value TEXT)")
        for i in range(saves):
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (path, value) VALUES (?, ?)", ("first_name", f"v{i}"))
            conn.execute("COMMIT")
            timings["baseline"].append(time.perf_counter() - start)
    finally:
        conn.close()
    return timings


def bench_open(path: Path, repeat: int) -> None:
    """What opening costs on the large database: the whole Store.open, and quick_check."""
    opens, checks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        with Store.open(path) as store:
            opens.append(time.perf_counter() - start)
            start = time.perf_counter()
            store._conn.execute("PRAGMA quick_check").fetchone()
            checks.append(time.perf_counter() - start)
    print(f"  Store.open                           median {statistics.median(opens) * 1000:8.1f} ms"
          f"   (n={repeat})")
    print(f"  PRAGMA quick_check                   median {statistics.median(checks) * 1000:8.1f} ms"
          f"   (n={repeat})")


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    action()  # warm the cache and the statement cache
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def bench_big(path: Path, repeat: int) -> None:
    with Store.open(path) as store:
        total = store.count_submissions()
        print(f"\nLarge database: {total} submissions, {path.stat().st_size / 1e6:.1f} MB, "
              f"{path.stat().st_size / total / 1024:.1f} KiB per submission")
        conn = store._db.conn
        try:
            rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                                " ORDER BY 2 DESC LIMIT 8").fetchall()
            print("  largest tables and indexes: " + ", ".join(
                f"{name} {size / total:.0f} B" for name, size in rows) + " (per submission)")
        except dbapi.OperationalError:  # SQLCipher's build has no dbstat table
            pass
        cases: list[tuple[str, Callable[[], object]]] = [
            ("newest 100", lambda: store.list_submissions(limit=100)),
            ("newest 100 drafts", lambda: store.list_submissions(status="draft", limit=100)),
            ("newest 100 with an exclusion flag",
             lambda: store.list_submissions(severity="exclusion", limit=100)),
            ("page 50 (offset 5000)", lambda: store.list_submissions(limit=100, offset=5000)),
        ]
        fragments = ["nun", "garc", "mar", "ø", "sm", "jose gar", "okaf", "zzz"]
        for fragment in fragments:
            cases.append((f"search {fragment!r}",
                          lambda f=fragment: store.list_submissions(search=f, limit=100)))
        for fragment in ("nun", "mar"):
            cases.append((f"count {fragment!r}",
                          lambda f=fragment: store.count_submissions(search=f)))
        cases += [
            ("search date of birth", lambda: store.list_submissions(search="1980-05-17")),
            ("search phone digits", lambda: store.list_submissions(search="555 123")),
            ("search code", lambda: store.list_submissions(
                search=store.get_submission(total // 2).code)),
            ("open a submission (snapshot)", lambda: store.snapshot(total // 3)),
        ]
        search_medians = []
        for label, action in cases:
            median, result = timed(action, repeat)
            size = result if isinstance(result, int) else (
                len(result) if isinstance(result, list) else "-")
            if label.startswith("search '"):
                search_medians.append(median)
            print(f"  {label:<36} median {median * 1000:7.2f} ms   ({size} rows)")
        print(f"  name-fragment searches: worst median {max(search_medians) * 1000:.2f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--big-db", type=Path, default=None, help="reuse a generated database")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    directory = Path(tempfile.mkdtemp(prefix="bench-store-", dir=args.dir))
    try:
        print(f"SQLCipher's SQLite {dbapi.sqlite_version} (baseline: SQLite {sqlite3.sqlite_version}), "
              f"Python {sys.version.split()[0]}, "
              f"files in {directory}")
        runs = bench_save_answer(directory, args.saves)
        baseline = runs["baseline"]
        print(f"save_answer, SQLCipher:        {summary(runs['encrypted'])}")
        print(f"save_answer, plain SQLite:     {summary(runs['plain'])}")
        print(f"baseline INSERT + COMMIT:      {summary(baseline)}")
        for name in ("encrypted", "plain"):
            ratio = statistics.median(runs[name]) / statistics.median(baseline)
            ratio95 = percentile(runs[name], 0.95) / percentile(baseline, 0.95)
            print(f"ratio {name} / baseline:  median {ratio:.1f}x   p95 {ratio95:.1f}x")
        cost = statistics.median(runs["encrypted"]) / statistics.median(runs["plain"])
        print(f"ratio SQLCipher / plain:       median {cost:.2f}x")
        big = args.big_db
        if big is None:
            big = directory / "big.db"
            seconds = _make_big_db_module().make_big_db(big, args.submissions)
            print(f"\nGenerated {args.submissions} submissions in {seconds:.1f} s")
        bench_big(big, args.repeat)
        bench_open(big, max(3, args.repeat // 10))
    finally:
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
