"""Several stations writing at once on one server: writers take turns, so resume codes
made at the same moment stay unique, every answer is kept, and the audit trail stays one
chain. Each station is a thread with a Store (a connection) of its own; psycopg waits
on the network without the GIL, so their transactions really interleave on the server.
(The 5-process load test of issue 13 builds on these.)"""

from __future__ import annotations

import itertools
import random
import threading

import pytest

from screening_app.store import DatabaseBusy, ErrorCode, Store
from screening_app.store.backends.postgres import WRITE_LOCK
from tests.shared import FakeClock, OwnerConnection

pytestmark = pytest.mark.postgres_only

STATIONS = 4


def run_stations(work, count: int = STATIONS) -> None:
    """Start `count` threads running work(n) together; re-raise the first failure."""
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def station(n: int) -> None:
        try:
            start.wait(timeout=30)
            work(n)
        except BaseException as error:  # handed to the test below
            failures.append(error)

    threads = [threading.Thread(target=station, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if failures:
        raise failures[0]


def test_stations_at_once_keep_every_answer_and_one_chain(db, small_questionnaire):
    per_station = 10
    made: dict[int, list[int]] = {}

    def work(n: int) -> None:
        with Store.open(db, clock=FakeClock()) as store:
            ids = []
            for i in range(per_station):
                sid = store.start_submission(small_questionnaire, "en", actor=f"kiosk-{n}")
                store.save_answer(sid, "first_name", f"Station{n}", actor=f"kiosk-{n}")
                store.save_answer(sid, "last_name", f"Person{i}", actor=f"kiosk-{n}")
                store.save_answer(sid, "diagnosis_year", 2000 + i, actor=f"kiosk-{n}")
                ids.append(sid)
            made[n] = ids

    run_stations(work)
    with Store.open(db) as store:
        check = store.verify_audit()
        codes = {store.get_submission(sid).code for ids in made.values() for sid in ids}
        for n, ids in made.items():
            for i, sid in enumerate(ids):
                assert store.answers(sid) == {"first_name": f"Station{n}",
                                              "last_name": f"Person{i}", "diagnosis_year": 2000 + i}
        audit_rows = store._rows("SELECT count(*) AS n FROM audit_log")[0]["n"]
    assert len(codes) == STATIONS * per_station
    assert check.intact and check.rows == audit_rows == STATIONS * per_station * 4


def test_resume_codes_made_at_the_same_moment_are_unique(db, small_questionnaire, monkeypatch):
    """Codes drawn from a pool of 60 by 4 stations at once: they collide often, and each
    station finds the others' codes (the one it would take is already made)."""
    pool = [f"ABCD-{a}{b}{c}{d}" for a, b, c, d in itertools.product("2345", "6", "78", "9ABCDEFG")]
    pool = pool[:60]
    draw = random.Random(13)
    lock = threading.Lock()

    def new_code() -> str:
        with lock:
            return draw.choice(pool)

    monkeypatch.setattr("screening_app.store.submissions.new_code", new_code)
    codes: list[str] = []

    def work(n: int) -> None:
        with Store.open(db) as store:
            for _ in range(8):
                sid = store.start_submission(small_questionnaire, "en", actor=f"kiosk-{n}")
                codes.append(store.get_submission(sid).code)

    run_stations(work)
    assert len(codes) == len(set(codes)) == STATIONS * 8
    with Store.open(db) as store:
        assert store.verify_audit().intact


def test_a_station_waits_its_turn_then_says_busy(db, small_questionnaire):
    with Store.open(db, busy_timeout_ms=100, busy_retries=2) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        other = OwnerConnection(db)  # another station in the middle of a long change
        try:
            other.execute("BEGIN")
            other.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            with pytest.raises(DatabaseBusy) as caught:
                store.save_answer(sid, "first_name", "Ana", actor="kiosk")
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert caught.value.code is ErrorCode.BUSY and "Ana" not in caught.value.message
        assert store.answers(sid) == {}
        assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True


def test_reading_never_waits_for_a_writer(db, small_questionnaire):
    with Store.open(db, busy_timeout_ms=100, busy_retries=1) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answer(sid, "first_name", "Ana", actor="kiosk")
        other = OwnerConnection(db)
        try:
            other.execute("BEGIN")
            other.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))
            other.execute("UPDATE answers SET value_json = '\"Zoe\"' WHERE submission_id = ?",
                          (sid,))
            assert store.answers(sid) == {"first_name": "Ana"}  # the committed state, at once
            assert store.list_submissions()[0].candidate == "Ana"
            other.execute("COMMIT")
        finally:
            other.close()
        assert store.answers(sid) == {"first_name": "Zoe"}


def test_a_dropped_connection_is_replaced_before_the_next_change(db, small_questionnaire,
                                                                 pg_server):
    with Store.open(db) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        pid = store._conn.info.backend_pid
        with pg_server.connect() as admin:  # the server ends the station's session
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True
        assert store._conn.info.backend_pid != pid
        assert store.answers(sid) == {"first_name": "Ana"}


def test_a_stopped_server_is_said_and_the_station_recovers(db, small_questionnaire, pg_server):
    with Store.open(db) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        pg_server.stop()
        try:
            with pytest.raises(Exception) as caught:
                store.save_answer(sid, "first_name", "Ana", actor="kiosk")
            assert getattr(caught.value, "code", None) is ErrorCode.SERVER_UNREACHABLE
            assert "cannot be reached" in caught.value.message
        finally:
            pg_server.pg_ctl_start()
        assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True
        assert store.answers(sid) == {"first_name": "Ana"}
        assert store.verify_audit().intact

