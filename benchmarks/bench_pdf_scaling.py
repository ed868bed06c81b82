"""How the clinician summary's build time grows with the size of the answers.

    python benchmarks/bench_pdf_scaling.py [--runs 3] [--rows 50 500 5000]

Each figure is the median of `--runs` builds (`build_summary`, in memory) of a draft whose
answers are tests/fixtures/complete_answers.json with:

1. the treatments group holding 50, 500 and 5,000 rows (the fixture's two rows repeated);
   the ratios say how much longer 10 and 100 times the rows take (10 and 100 when the
   time grows linearly; a quadratic build would give about 100 and 10,000);
2. one long text answer (current medications) of 2,000 characters and of 1 MB, as one
   line of words; the ratio against the 2,000-character one (500 when linear).

A draft is used because the store keeps whatever a draft holds; the questionnaire itself
stops a group at its maximum rows and a text at its maximum length (the summary must
stay linear for what older databases or other definitions hold). Seen before the fix:
250 rows 1.3 s, 1,000 rows 11.6 s, 10,000 rows and a 1 MB text more than 300 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening_app.engine.answers import flatten_answers  # noqa: E402
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path  # noqa: E402
from screening_app.export.pdf_summary import build_summary, gather  # noqa: E402
from screening_app.store import Store  # noqa: E402

TEXT_ITEM = "current_medications"


def fixture() -> dict:
    return json.loads((ROOT / "tests" / "fixtures" / "complete_answers.json").read_text(encoding="utf-8"))


def with_rows(count: int) -> dict:
    raw = fixture()
    raw["treatments"] = [dict(raw["treatments"][n % len(raw["treatments"])]) for n in range(count)]
    return raw


def with_text(length: int) -> dict:
    raw = fixture()
    words = ("metformin 500 mg twice a day, vitamin D 1000 IU, " * (length // 48 + 1))[:length]
    raw[TEXT_ITEM] = words
    return raw


def median_build(store: Store, questionnaire, raw: dict, runs: int) -> tuple[float, int]:
    """(median seconds, PDF bytes) of building the summary of a draft holding `raw`."""
    sid = store.start_submission(questionnaire, "en", actor="bench")
    store.save_answers(sid, flatten_answers(questionnaire, raw), actor="bench")
    data = gather(store, sid)
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(build_summary(data))
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--texts", type=int, nargs="+", default=[2000, 1_000_000])
    args = parser.parse_args(argv)
    questionnaire = load_questionnaire(shipped_questionnaire_path())
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch) / "bench.db") as store:
        build_summary(gather(store, store.import_submission(
            questionnaire, flatten_answers(questionnaire, fixture()), "bench").submission_id))  # warm-up
        print(f"Summary build time, median of {args.runs} (treatment rows):")
        base = None
        for count in args.rows:
            seconds, size = median_build(store, questionnaire, with_rows(count), args.runs)
            base = base or (count, seconds)
            print(f"  {count:>6} rows  {seconds:8.2f} s  {size / 1024:8.0f} KiB  "
                  f"x{seconds / base[1]:7.1f} the time for x{count / base[0]:.0f} the rows")
        print(f"Summary build time, median of {args.runs} (one text answer, one line of words):")
        base = None
        for length in args.texts:
            seconds, size = median_build(store, questionnaire, with_text(length), args.runs)
            base = base or (length, seconds)
            print(f"  {length:>9,} chars  {seconds:8.2f} s  {size / 1024:8.0f} KiB  "
                  f"x{seconds / base[1]:7.1f} the time for x{length / base[0]:.0f} the text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
