"""A killed process loses at most the answer in flight (on a file and on a server); two
writers lose nothing (a file: on a server, five processes at once are
test_server_load.py, and threads test_server_concurrency.py)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_child import child_answer

from screening_app.store import Store
from tests.shared import raw_connection

CHILD = Path(__file__).resolve().parent / "store_child.py"


def spawn(db: Path | str, submission_id: int, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(db), str(submission_id), str(count), *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8",
    )


def parse_saved(lines: list[str]) -> dict[str, object]:
    saved = {}
    for line in lines:
        path, _, value = line.rstrip("\n").partition("\t")
        if path in ("ready", "done") or not value:
            continue
        saved[path] = json.loads(value)
    return saved


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_stream_keeps_every_returned_answer(db, backend, small_questionnaire, seed: int):
    """On a server the kill ends the child's connection in the middle of its stream: the
    server rolls back the change in flight and lets go of the write lock it held."""
    with Store.open(db) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    child = spawn(db, sid, 1_000_000)
    lines: list[str] = []
    try:
        # Mid-stream, at a random point of it (counted in answers, not seconds: a busy
        # machine must not make the child look idle), plus a random moment more.
        wanted = random.Random(seed).randint(25, 400)
        while len(lines) < wanted:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            lines.append(line)
        time.sleep(random.Random(seed).uniform(0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        # Read the rest through the same buffered file that readline() used: readline may
        # already hold lines read ahead from the pipe, which communicate() (reading the
        # raw descriptor) would never see - that loss once looked like extra stored paths.
        rest = child.stdout.read()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()  # reaps the child and closes its pipes
    lines.extend(rest.splitlines(keepends=True))
    assert child.returncode == -signal.SIGKILL
    saved = parse_saved(lines)
    assert len(saved) > 20, "the child should have saved a stream of answers before the kill"
    assert not any(line.startswith("done") for line in lines)

    with Store.open(db) as store:
        stored = store.answers(sid)
        audited = {e.item for e in store.audit_history(sid) if e.action == "answer_saved"}
    missing = {path for path, value in saved.items() if stored.get(path) != value}
    assert missing == set()
    # Beyond what was reported, at most the call in flight is stored: the child's next
    # save_answer (its unit is one call, whatever paths that call writes).
    in_flight_path, in_flight_value = child_answer(len(saved))
    beyond = {path: value for path, value in stored.items() if path not in saved}
    assert beyond in ({}, {in_flight_path: in_flight_value})
    assert set(stored) <= audited  # each stored answer came with its audit row
    with Store.open(db) as store:  # the next station writes at once, and the chain holds
        assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True
        assert store.verify_audit().intact
    if backend == "sqlite":
        conn = raw_connection(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()


def test_two_processes_write_1000_answers_each_at_once(tmp_path: Path, small_questionnaire):
    db = tmp_path / "screening.db"
    with Store.open(db) as store:
        ids = [store.start_submission(small_questionnaire, "en", actor="kiosk")
               for _ in range(2)]
    children = [spawn(db, sid, 1000, "--wait") for sid in ids]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
        for child in children:  # start both together
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=120) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.communicate()
    windows = []
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert "locked" not in err and "busy" not in err.lower()
        lines = out.splitlines()
        assert len(parse_saved(lines)) == 1000
        _, started, finished = lines[-1].split("\t")
        windows.append((float(started), float(finished)))
    # The two streams really ran at the same time.
    assert windows[0][0] < windows[1][1] and windows[1][0] < windows[0][1]
    with Store.open(db) as store:
        for sid in ids:
            answers = store.answers(sid)
            assert len(answers) == 1000
            assert answers["treatments[998].drug"] == "medicine 999 ñ"
            assert len([e for e in store.audit_history(sid) if e.action == "answer_saved"]) == 1000
