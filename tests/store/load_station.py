"""One station of the load test (tests/store/test_server_load.py, benchmarks/bench_load.py),
in a process of its own:

    python -m tests.store.load_station ADDRESS KIND INDEX ANSWERS [EDIT_EVERY]

KIND `kiosk` or `desk` (the actor's name: kiosk-INDEX, desk-INDEX). Prints `ready`, waits
for a line on standard input (every station starts at once), then writes ANSWERS answers
as a person would, one `save_answer` each: the shipped questionnaire's sample answers,
made this station's own, submitting each submission once all of its answers are in and
starting the next. With EDIT_EVERY, it also edits, every EDIT_EVERY answers, an answer of
a submission another station submitted, with a reason (as a coordinator does). Whatever
the store refuses is what a person would have seen: it is counted, never retried here.
Prints one JSON line: what was written (so the test can compare), the edits, the errors
by code, and the seconds it took.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EDITED_ITEM = "relapses_24_months"


def sample_answers(kind: str, index: int) -> list[tuple[str, object]]:
    """The sample answers in the order a person gives them, with this station's names."""
    from screening_app.engine.answers import flatten_answers
    from tests.shared import shipped

    raw = json.loads((ROOT / "tests" / "fixtures" / "complete_answers.json").read_text("utf-8"))
    answers = flatten_answers(shipped(), raw)
    answers.update(first_name=f"Load{kind.title()}{index}", last_name=f"Station{index}",
                   signer_name=f"Load{kind.title()}{index} Station{index}")
    return [(path, value) for path, value in answers.items() if value is not None]


def run(address: str, kind: str, index: int, total: int, edit_every: int) -> dict:
    from screening_app.store import Store, StoreError
    from tests.shared import shipped

    actor = f"{kind}-{index}"
    answers = sample_answers(kind, index)
    written: dict[int, dict] = {}  # submission -> what this station saved in it
    submitted: list[int] = []
    edits: list[tuple[int, str, int, str]] = []
    errors: list[str] = []
    done = 0
    with Store.open(address) as store:
        print("ready", flush=True)
        sys.stdin.readline()
        start = time.perf_counter()
        submission = None
        position = 0
        while done < total:
            try:
                if submission is None:
                    submission = store.start_submission(shipped(), "en", actor=actor)
                    written[submission] = {}
                    position = 0
                path, value = answers[position]
                if path == "last_name":  # each submission its own person
                    value = f"{value}-{len(written)}"
                store.save_answer(submission, path, value, actor=actor)
                written[submission][path] = value
                if position == len(answers) - 1:
                    store.submit(submission, actor=actor)
                    submitted.append(submission)
                    submission = None
                if edit_every and (done + 1) % edit_every == 0:
                    edits.extend(edit_one(store, actor, done, set(written)))
            except StoreError as error:  # what a person would have been told
                errors.append(str(error.code))
            done += 1
            position += 1
        seconds = time.perf_counter() - start
    return {"station": actor, "answers": done, "written": written, "submitted": submitted,
            "edits": edits, "errors": errors, "seconds": seconds}


def edit_one(store, actor: str, done: int, own: set[int]) -> list[tuple[int, str, int, str]]:
    """A coordinator corrects an answer of another station's submitted submission."""
    others = [row.id for row in store.list_submissions(status="submitted", limit=50)
              if row.id not in own]
    if not others:
        return []
    target = others[done % len(others)]
    value = 2 + done % 3
    reason = f"Corrected by phone ({done})"
    changed = store.save_answer(target, EDITED_ITEM, value, actor=actor, reason=reason)
    return [(target, EDITED_ITEM, value, reason)] if changed else []  # the same value: no edit


def main(argv: list[str]) -> int:
    address, kind, index, total = argv[0], argv[1], int(argv[2]), int(argv[3])
    edit_every = int(argv[4]) if len(argv) > 4 else 0
    result = run(address, kind, index, total, edit_every)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
