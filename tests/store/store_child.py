"""A child process for the crash and concurrency tests: saves answers and reports each one.

    python store_child.py DB SUBMISSION_ID COUNT [--wait]

Prints `path<TAB>json value` after each `save_answer` has returned (and flushes), so
the parent knows exactly which calls completed. With --wait it prints `ready` and waits
for a line on stdin before starting, so two children can start together.
"""

from __future__ import annotations

import json
import sys
import time

from screening_app.store import Store


def child_answer(i: int) -> tuple[str, object]:
    """The path and value of the child's i-th save_answer call (0-based)."""
    if i % 2 == 0:
        return f"treatments[{i}]", True
    return f"treatments[{i - 1}].drug", f"medicine {i} ñ"


def main(argv: list[str]) -> int:
    db, submission_id, count = argv[0], int(argv[1]), int(argv[2])
    with Store.open(db) as store:
        if "--wait" in argv:
            print("ready", flush=True)
            sys.stdin.readline()
        started = time.time()
        for i in range(count):
            path, value = child_answer(i)
            store.save_answer(submission_id, path, value, actor=f"child-{submission_id}")
            print(f"{path}\t{json.dumps(value)}", flush=True)
        print(f"done\t{started}\t{time.time()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
