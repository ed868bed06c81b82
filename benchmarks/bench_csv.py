"""Study export figures: time and peak memory of `export --all --format csv` (and
`--format redcap`) on many submissions.

    python benchmarks/bench_csv.py [--submissions 100000] [--small 10000] [--dir DIR] [--keep]
    python benchmarks/bench_csv.py --reuse DIR [--no-trace] [--repeat 3]   # an earlier --keep run's

Builds two databases with the demo seeder (`screening_app.demo`, the store's bulk loader):
`--small` and `--submissions` submissions of the shipped questionnaire (every status,
Spanish and English, group rows, signatures). Each measurement runs in a fresh Python
process, so its peak resident memory (ru_maxrss) is its own:

1. baseline: a plain `csv.writer` writing the same number of rows and columns of constant
   data (the floor: Python + the csv module, no database, no questionnaire logic);
2. the export of the small database, then of the large one (plain and `--deidentify`), and
   the REDCap export of the large one;
3. a second reference: reading and decoding the large database's applicable answers as
   every study export does first (`iter_applicable`), nothing written: the part of the
   export's time that is the database's (SQLCipher pages, one JSON text per submission).

The database is opened as the `export` command opens it (`check=False`: no `quick_check`
of every page first; until issue 14's second pass this script ran that check, which read
and decrypted the whole 1.9 GB file inside the measured time). `--repeat N` runs every
measurement N times and prints the medians (machines are noisy: medians, not best runs).

Streaming shows as peak memory that does not grow with the number of submissions; the
export's time over the baseline's is the cost of reading SQLite, decoding answers and
judging every answer's applicability with the pinned definition. Each figure has its wall
time and its CPU time (other programs share the cores: CPU time is the steadier one).
`--reuse DIR` measures again on the databases a `--keep` run left in DIR (seeding takes
minutes), `--no-trace` skips the slow tracemalloc pass.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux, VmHWM: ru_maxrss would carry the
    parent's peak across fork+exec, hiding the child's own."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------- children (one per figure)


def child_baseline(rows: int, columns: int, out: Path) -> dict[str, float]:
    start_rss = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    line = ["2026-11-23T12:00:00.000000+00:00", "rrms", "4.0", "phone;email", "Ana"] * (columns // 5 + 1)
    line = line[:columns]
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for _ in range(rows):
            writer.writerow(line)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "peak_rss_mb": peak_rss_mb(), "rss_before_mb": start_rss}


def child_export(db: Path, out: Path, deidentify: bool, trace: bool, kind: str = "csv") -> dict[str, float]:
    from screening_app.export.csv import export_csv
    from screening_app.export.redcap import export_redcap
    from screening_app.store import Store

    start_rss = peak_rss_mb()
    if trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with Store.open(db, existing=True, check=False) as store:  # as the export command does
        if kind == "redcap":
            paths = export_redcap(store, out.with_suffix(""), None, deidentify)
            out = paths[-1]  # PREFIX_data.csv
        else:
            paths = export_csv(store, out, None, deidentify)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    traced = tracemalloc.get_traced_memory()[1] / 1e6 if trace else None
    tracemalloc.stop()
    peak = peak_rss_mb()
    with out.open(encoding="utf-8-sig" if kind == "csv" else "utf-8", newline="") as handle:
        reader = csv.reader(handle)
        columns = len(next(reader))
        rows = sum(1 for _ in reader)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak, "rss_before_mb": start_rss,
            "traced_peak_mb": traced, "rows": rows, "columns": columns,
            "megabytes": sum(p.stat().st_size for p in paths) / 1e6}


def child_read(db: Path) -> dict[str, float]:
    """A second reference: what every study export must do before writing a cell, reading
    and decoding each submission's applicable answers (`iter_applicable`), nothing written."""
    from screening_app.store import Store
    from screening_app.store.streaming import iter_applicable

    start_rss = peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    with Store.open(db, existing=True, check=False) as store:
        rows = sum(1 for _ in iter_applicable(store))
    return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
            "peak_rss_mb": peak_rss_mb(), "rss_before_mb": start_rss, "rows": rows}


REPEAT = 1  # --repeat


def run_child(*args: str) -> dict[str, float]:
    """One measurement, run REPEAT times in fresh processes: the median of each figure."""
    runs = []
    for _ in range(REPEAT):
        done = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                              capture_output=True, text=True, cwd=ROOT)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) if runs[0][key] is not None else None
            for key in runs[0]}


# ---------------------------------------------------------------- parent


def make_db(path: Path, count: int) -> float:
    from screening_app.demo import seed_demo
    from screening_app.store import Store

    started = time.perf_counter()
    with Store.open(path) as store:
        seed_demo(store, count, seed=7, now=NOW)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--child":
        kind, *rest = argv[1:]
        if kind == "baseline":
            result = child_baseline(int(rest[0]), int(rest[1]), Path(rest[2]))
        elif kind == "read":
            result = child_read(Path(rest[0]))
        else:
            result = child_export(Path(rest[0]), Path(rest[1]), rest[2] == "1", rest[3] == "1",
                                  rest[4] if len(rest) > 4 else "csv")
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases")
    parser.add_argument("--keep", action="store_true", help="keep the databases and CSV files")
    parser.add_argument("--reuse", type=Path, default=None, metavar="DIR",
                        help="use (and keep) the databases in DIR, seeding only those missing")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (medians)")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)
    work = args.reuse or Path(tempfile.mkdtemp(prefix="bench_csv_", dir=args.dir))
    try:
        print(f"Python {sys.version.split()[0]} on {sys.platform}; files in {work}")
        dbs = {}
        for count in (args.small, args.submissions):
            dbs[count] = work / f"demo_{count}.db"
            if args.reuse and dbs[count].exists():
                print(f"reusing {dbs[count]}")
                continue
            seconds = make_db(dbs[count], count)
            print(f"seeded {count:>7} submissions in {seconds:6.1f} s "
                  f"({dbs[count].stat().st_size / 1e6:.0f} MB)")
        print()
        figures = []
        for count in (args.small, args.submissions):
            figures.append((f"export --all csv, {count}", count,
                            run_child("export", str(dbs[count]), str(work / f"out_{count}.csv"), "0", "0")))
        count = args.submissions
        figures.append((f"export --all csv --deidentify, {count}", count,
                        run_child("export", str(dbs[count]), str(work / "anon.csv"), "1", "0")))
        columns = int(figures[-2][2]["columns"])
        figures.append((f"export --all redcap, {count}", count,
                        run_child("export", str(dbs[count]), str(work / "redcap.csv"), "0", "0", "redcap")))
        figures.append((f"reference: read + decode only, {count}", count, run_child("read", str(dbs[count]))))
        figures.append((f"baseline: csv.writer, {count} x {columns} const", count,
                        run_child("baseline", str(count), str(columns), str(work / "base.csv"))))
        print(f"{'measurement':<42} {'rows':>7} {'seconds':>8} {'CPU s':>7} {'rows/s':>8} {'peak RSS':>9} "
              f"{'MB out':>7}")
        for name, rows, result in figures:
            rows_out = int(result.get("rows", rows))
            megabytes = f"{result['megabytes']:7.1f}" if "megabytes" in result else f"{'':>7}"
            print(f"{name:<42} {rows_out:>7} {result['seconds']:8.2f} {result['cpu_seconds']:7.2f} "
                  f"{rows_out / result['seconds']:8.0f} "
                  f"{result['peak_rss_mb']:7.1f}MB {megabytes}")
        print(f"(peak RSS of the export child after its imports, before exporting: "
              f"{figures[0][2]['rss_before_mb']:.1f} MB)")
        base = figures[-1][2]
        print(f"\nRatios to the baseline of this run ({REPEAT} run(s) each, medians):")
        for name, _, result in figures[1:-1]:
            print(f"  {name:<40} CPU {result['cpu_seconds'] / base['cpu_seconds']:5.1f}x"
                  f"   wall {result['seconds'] / base['seconds']:5.1f}x")
        print("\nPeak memory allocated by Python during the export (tracemalloc; slower run):")
        for count in () if args.no_trace else (args.small, args.submissions):
            traced = run_child("export", str(dbs[count]), str(work / f"traced_{count}.csv"), "0", "1")
            print(f"  {count:>7} submissions: {traced['traced_peak_mb']:6.2f} MB "
                  f"({traced['seconds']:.1f} s under tracemalloc)")
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
