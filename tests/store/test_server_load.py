"""Correct under load: 3 kiosk-like and 2 desk-like processes, each with its own
connection, write 500 answers each at once on one server, submitting as they complete,
while one desk also corrects other stations' submitted answers with a reason
(tests/store/load_station.py). Then: no station was refused anything (no error reached a
person), every answer is stored as written (edits included), the resume codes made at
the same moments are unique, each submission's stored flags equal a fresh evaluation of
its stored answers, and the audit trail verifies (`verify-audit`, as a command)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.engine.session import Session
from screening_app.store import Store

ROOT = Path(__file__).resolve().parents[2]
STATIONS = [("kiosk", 1), ("kiosk", 2), ("kiosk", 3), ("desk", 1), ("desk", 2)]
ANSWERS = 500
EDIT_EVERY = 40  # desk-1 corrects another station's submission this often

pytestmark = pytest.mark.postgres_only


def run_stations(address: str, stations=STATIONS, answers: int = ANSWERS,
                 edit_every: int = EDIT_EVERY) -> list[dict]:
    """Start every station, let them all go at once, and collect what each reports."""
    children = []
    for kind, index in stations:
        extra = [str(edit_every)] if (kind, index) == ("desk", 1) else []
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.store.load_station", address, kind, str(index),
             str(answers), *extra], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        children.append(child)
    try:
        for child in children:
            line = child.stdout.readline()
            assert line.strip() == "ready", child.stderr.read()
        for child in children:  # all at once
            child.stdin.write("go\n")
            child.stdin.flush()
        reports = []
        for child in children:
            out, err = child.communicate(timeout=900)
            assert child.returncode == 0, err
            reports.append(json.loads(out.strip().splitlines()[-1]))
        return reports
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()


def test_five_stations_at_once_lose_nothing_and_stay_consistent(db, shipped):
    reports = run_stations(db)
    assert [r["errors"] for r in reports] == [[]] * len(STATIONS)  # nothing reached a person
    assert sum(r["answers"] for r in reports) == ANSWERS * len(STATIONS)
    expected: dict[int, dict] = {}
    for report in reports:
        for sid, answers in report["written"].items():
            expected[int(sid)] = dict(answers)
    edits = [edit for report in reports for edit in report["edits"]]
    assert edits, "the desk corrected nothing: the test did not test edits"
    for sid, path, value, _reason in edits:
        expected[sid][path] = value

    with Store.open(db) as store:
        rows = store.list_submissions(limit=10_000)
        assert {row.id for row in rows} == set(expected)
        codes = [store.get_submission(sid).code for sid in expected]
        assert len(set(codes)) == len(codes)  # made concurrently, still unique
        submitted = [r for report in reports for r in report["submitted"]]
        assert len(submitted) >= 5 * (ANSWERS // 70)
        for sid, answers in expected.items():
            assert store.answers(sid) == answers, sid
        for sid in submitted:
            record = store.get_submission(sid)
            assert record.status in ("submitted", "checked", "reviewed")
            session = Session(store.questionnaire_for(sid), store.answers(sid), lang=record.lang,
                              today=_reference_day(store, sid),
                              confirmed=store.confirmed_paths(sid))
            fresh = sorted((f.rule, f.severity, f.criterion, tuple(e.path for e in f.evidence))
                           for f in session.flags())
            stored = sorted((f.rule, f.severity, f.criterion, tuple(e.path for e in f.evidence))
                            for f in store.flags(sid))
            assert stored == fresh, sid
        for sid, path, value, reason in edits:
            history = [e for e in store.audit_history(sid) if e.action == "answer_edited"]
            assert any(e.item == path and e.new_value == value and e.reason == reason
                       for e in history)
    verified = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-audit", "--db", db],
                              capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout


def _reference_day(store: Store, submission_id: int):
    """The day the flags were judged against (kept with the submission)."""
    import datetime as dt

    row = store._one("SELECT reference_date FROM submissions WHERE id = ?", (submission_id,))
    return dt.date.fromisoformat(row["reference_date"])
