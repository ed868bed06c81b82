"""Figures for the questionnaire engine (issue 2). Prints medians; never fails on time.

    .venv/bin/python benchmarks/bench_engine.py

- load and validate the shipped definition, against parsing the same file's YAML with
  libyaml alone, measured in the same run;
- re-evaluate branching, validation of every visible item and all rules after one answer
  changes on a fully answered questionnaire, against building the same Session without
  evaluating anything.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening_app.engine.answers import flatten_answers  # noqa: E402
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path  # noqa: E402
from screening_app.engine.session import Session  # noqa: E402


def timed(action, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float], baseline: list[float] | None = None) -> None:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    line = f"{name:<48} median {median:8.3f} ms   p95 {p95:8.3f} ms"
    if baseline:
        line += f"   ({median / statistics.median(baseline):.2f}x baseline)"
    print(line)


def main() -> None:
    path = shipped_questionnaire_path()
    text = path.read_text(encoding="utf-8")
    yaml_only = timed(lambda: yaml.load(text, Loader=yaml.CSafeLoader), 30)
    load = timed(lambda: load_questionnaire(path), 30)
    report("baseline: parse the YAML (libyaml) only", yaml_only)
    report("load + validate shipped definition", load, yaml_only)

    q = load_questionnaire(path)
    nested = json.loads((ROOT / "tests" / "fixtures" / "complete_answers.json").read_text(encoding="utf-8"))
    answers = flatten_answers(q, nested)
    today = date(2026, 11, 23)
    session = Session(q, answers, today=today)
    values = iter([4.0, 4.5] * 1000)

    def one_change() -> None:
        session.set_answer("edss_score", next(values))
        session.visible_steps()
        session.problems()
        session.flags()
        session.progress()

    build_only = timed(lambda: Session(q, answers, today=today), 500)
    reevaluate = timed(one_change, 1000)
    report("baseline: build a Session (no evaluation)", build_only)
    report("one answer changed -> branching+validation+rules", reevaluate, build_only)


if __name__ == "__main__":
    main()
