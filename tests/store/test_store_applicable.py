"""What the study exports keep of each submitted questionnaire (store/applicable.py): the
answers that apply, kept with every audited change, never used once stale; the export's
files the same whether it read what was kept or judged every submission again."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest
from store_helpers import TODAY

import screening_app.store.streaming as streaming
from screening_app.engine.applicability import Applicability
from screening_app.export.csv import export_csv
from screening_app.export.redcap import export_redcap
from screening_app.store import Store
from screening_app.store.applicable import applicable_from_text, fill_applicable, judged
from screening_app.store.streaming import iter_applicable
from tests.shared import raw_connection

STAFF = (("ana.coord", "Ana Coordinadora", "coordinator"), ("dr.lee", "Dr. Lee Ortiz", "clinician"))


def exported(store: Store, out: Path) -> dict[str, dict[str, str]]:
    """The main CSV file's rows by submission id."""
    export_csv(store, out, None, False)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return {row["submission_id"]: row for row in csv.DictReader(handle)}


def kept(store: Store) -> dict[int, tuple[int, str, str]]:
    """submission id -> (audit id, judged on, answers JSON) as stored."""
    with store._read() as db:
        return {row[0]: tuple(row[1:]) for row in db.execute(
            "SELECT submission_id, audit_id, judged_on, answers_json FROM applicable_answers"
            " ORDER BY submission_id").fetchall()}


def judged_now(store: Store, submission_id: int):
    """What applies of the submission's answers, judged now by a new plan."""
    record = store.get_submission(submission_id)
    day = date.fromisoformat(record.reference_date) if record.reference_date else store._today()
    plan = Applicability(store.questionnaire_for(submission_id))
    return judged(plan, store.answers(submission_id), day)


def assert_current(store: Store) -> None:
    """Every submission as the export reads it is what a fresh judgement says."""
    for sub in iter_applicable(store):
        assert sub.applicable == judged_now(store, sub.submission_id), sub.submission_id


@pytest.fixture
def staffed(store: Store) -> Store:
    for username, name, role in STAFF:
        store.create_user(username, name, role, "246813579")
    return store


def test_the_export_follows_every_change_of_a_submitted_questionnaire(
        staffed: Store, shipped, complete_shipped_answers, tmp_path):
    store = staffed
    answers = {**complete_shipped_answers, "spms_conversion_year": 2020}  # rrms: does not apply
    sid = store.import_submission(shipped, answers, "tester", today=TODAY,
                                  allow_duplicate=True).submission_id
    key = str(sid)
    first = kept(store)[sid]
    assert first[1] == TODAY.isoformat()
    row = exported(store, tmp_path / "a.csv")[key]
    assert (row["status"], row["ms_type"], row["spms_conversion_year"]) == ("submitted", "rrms", "")

    # An answer corrected with a reason: the year now applies, kept in the same transaction.
    store.save_answer(sid, "ms_type", "spms", "ana.coord", reason="typo at the kiosk")
    assert kept(store)[sid][0] > first[0]
    row = exported(store, tmp_path / "b.csv")[key]
    assert (row["ms_type"], row["spms_conversion_year"]) == ("spms", "2020")
    assert_current(store)

    store.mark_checked(sid, "ana.coord", "complete")
    assert exported(store, tmp_path / "c.csv")[key]["status"] == "checked"
    store.record_clinical_review(sid, "dr.lee", "invite", "fits")
    assert exported(store, tmp_path / "d.csv")[key]["status"] == "reviewed"
    # A correction after both sign-offs: back to submitted, the cell follows.
    store.save_answer(sid, "ms_type", "rrms", "ana.coord", reason="spms was wrong")
    row = exported(store, tmp_path / "e.csv")[key]
    assert (row["status"], row["ms_type"], row["spms_conversion_year"]) == ("submitted", "rrms", "")
    store.withdraw(sid, "ana.coord", "asked to stop")
    row = exported(store, tmp_path / "f.csv")[key]
    assert (row["status"], row["ms_type"]) == ("withdrawn", "rrms")
    assert kept(store)[sid][0] > first[0]
    assert_current(store)


def test_a_change_that_did_not_refresh_what_is_kept_is_judged_again(
        store: Store, shipped, complete_shipped_answers, tmp_path, monkeypatch):
    sid = store.import_submission(shipped, complete_shipped_answers, "tester", today=TODAY,
                                  allow_duplicate=True).submission_id
    before = kept(store)[sid]
    # A write path that forgets to refresh (a bug, or a future one): its audit row moves
    # the newest audit id, so what was kept no longer counts.
    monkeypatch.setattr(type(store), "_refresh_applicable", lambda self, db, ids: None)
    store.save_answer(sid, "ms_type", "spms", "tester", reason="correction")
    store.save_answer(sid, "spms_conversion_year", 2021, "tester", reason="correction")
    assert kept(store)[sid] == before  # stale
    row = exported(store, tmp_path / "out.csv")[str(sid)]
    assert (row["ms_type"], row["spms_conversion_year"]) == ("spms", "2021")
    assert_current(store)


def test_what_is_kept_is_read_without_judging_again(store: Store, shipped, complete_shipped_answers,
                                                    monkeypatch):
    ids = [store.import_submission(shipped, complete_shipped_answers, "tester", today=TODAY,
                                   allow_duplicate=True).submission_id for _ in range(3)]
    draft = store.start_submission(shipped, "en", actor="kiosk")
    store.save_answers(draft, {"first_name": "Eva", "ms_diagnosed": "no"}, "kiosk")
    assert set(kept(store)) == set(ids)  # drafts are judged on the export's day: not kept
    calls = []
    monkeypatch.setattr(streaming, "judged", lambda *args: calls.append(args) or judged(*args))
    read = {sub.submission_id: sub.applicable for sub in iter_applicable(store)}
    assert set(read) == {*ids, draft}
    assert len(calls) == 1 and calls[0][1]["first_name"] == "Eva"  # the draft alone
    assert read[ids[0]] == applicable_from_text(kept(store)[ids[0]][2]) == judged_now(store, ids[0])


def test_the_files_are_the_same_whether_kept_answers_were_read_or_not(store: Store, db, tmp_path,
                                                                      clock):
    from screening_app.demo import seed_demo

    seed_demo(store, 60, seed=3, now=clock.now)
    assert kept(store)

    def digests(name: str) -> dict[str, str]:
        (tmp_path / name).mkdir()
        paths = export_csv(store, tmp_path / name / "x.csv", None, False)
        paths += export_redcap(store, tmp_path / name / "r", None, False)
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}

    with_kept = digests("kept")
    conn = raw_connection(db)
    try:
        conn.execute("DELETE FROM applicable_answers")
    finally:
        conn.close()
    assert not kept(store)
    assert digests("judged") == with_kept


def test_migration_0008_fills_what_is_kept_for_existing_submissions(
        store: Store, db, shipped, complete_shipped_answers):
    ids = [store.import_submission(shipped, complete_shipped_answers, "tester", today=TODAY,
                                   allow_duplicate=True).submission_id for _ in range(3)]
    store.withdraw(ids[1], "tester", "asked to stop")
    written = kept(store)
    conn = raw_connection(db)  # the database as migration 0008 finds it: nothing kept yet
    try:
        conn.execute("DELETE FROM applicable_answers")
        fill_applicable(conn, batch=2)  # what the migration runs, on either backend
    finally:
        conn.close()
    assert kept(store) == written and set(written) == set(ids)


@pytest.mark.sqlite_only
def test_an_older_file_gains_what_is_kept_when_opened(db_path, clock, shipped, complete_shipped_answers,
                                                      tmp_path):
    with Store.open(db_path, clock=clock) as store:
        sid = store.import_submission(shipped, complete_shipped_answers, "tester", today=TODAY,
                                      allow_duplicate=True).submission_id
        written = kept(store)
    conn = raw_connection(db_path)
    try:  # the file as the app before 0008 left it
        conn.execute("DROP TABLE applicable_answers")
        conn.execute("DELETE FROM schema_migrations WHERE number > 7")  # 0008 and after run again
        conn.execute("PRAGMA user_version = 7")
    finally:
        conn.close()
    with Store.open(db_path, clock=clock) as store:
        assert kept(store) == written and sid in written
