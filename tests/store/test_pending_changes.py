"""Changes held in memory while the database cannot take them (store/pending.py): kept in
order, written in that order with their audit rows once it can, refusals dropped and
said, a submission that may have gone through not sent twice. Real outages on both
backends: on a file another connection holds the write lock (busy); on a server the
database stops taking connections and the station's session is ended (unreachable)."""

from __future__ import annotations

import contextlib
from urllib.parse import urlparse

import pytest
from store_helpers import COMPLETE_SMALL

from screening_app.store import DatabaseBusy, DatabaseUnavailable, ErrorCode, Store
from screening_app.store.pending import PendingChanges
from tests.shared import raw_connection


@contextlib.contextmanager
def outage(db, store: Store, request):
    """The database cannot take changes from `store` until the block ends."""
    if store.backend_kind == "sqlite":
        holder = raw_connection(db)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            yield DatabaseBusy
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    server = request.getfixturevalue("pg_server")
    name = urlparse(db).path.lstrip("/")
    server.admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false",
                 f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
                 " AND pid <> pg_backend_pid()")
    try:
        yield DatabaseUnavailable
    finally:
        server.admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")


@pytest.fixture
def station(db, clock):
    with Store.open(db, clock=clock, busy_timeout_ms=100, busy_retries=1) as store:
        yield store


def answer_rows(store: Store, submission_id: int) -> list[tuple[str, object]]:
    return [(entry.item, entry.new_value) for entry in store.audit_history(submission_id)
            if entry.action == "answer_saved"]


def test_changes_wait_in_order_and_are_written_in_that_order_with_their_audit_rows(
        db, station, small_questionnaire, request):
    sid = station.start_submission(small_questionnaire, "en", actor="kiosk")
    pending = PendingChanges("kiosk")
    given = [("first_name", "Ana"), ("last_name", "Ejemplo"), ("first_name", "Anna"),
             ("diagnosis_year", 2011), ("smoker", "no")]
    with outage(db, station, request) as expected:
        for path, value in given:
            pending.answers(sid, {path: value})
            outcome = pending.write(station)
            assert outcome.paused and isinstance(outcome.error, expected)
            assert outcome.written == []
        pending.step(sid, "about_you")
        pending.step(sid, "history")  # only where the person is now is kept
        pending.display(sid, "largest", True)
        assert len(pending) == len(given) + 2
    outcome = pending.write(station)
    assert outcome.error is None and len(pending) == 0
    assert [c.kind for c, _ in outcome.written] == ["answers"] * len(given) + ["step", "display"]
    assert answer_rows(station, sid) == given  # every value, in the order given
    assert station.answers(sid) == {"first_name": "Anna", "last_name": "Ejemplo",
                                    "diagnosis_year": 2011, "smoker": "no"}
    record = station.get_submission(sid)
    assert (record.current_step, record.text_size, record.high_contrast) == ("history", "largest", True)
    assert station.verify_audit().intact


def test_a_refusal_is_dropped_and_said_and_the_next_change_goes_on(station, small_questionnaire):
    withdrawn = station.start_submission(small_questionnaire, "en", actor="kiosk")
    other = station.start_submission(small_questionnaire, "en", actor="kiosk")
    station.withdraw(withdrawn, actor="admin", reason="asked to stop")
    pending = PendingChanges("kiosk")
    pending.answers(withdrawn, {"first_name": "Ana"})
    pending.answers(other, {"first_name": "Bea"})
    outcome = pending.write(station)
    assert outcome.refused is not None and outcome.refused.submission_id == withdrawn
    assert outcome.error.code == ErrorCode.WITHDRAWN_NO_CHANGE and not outcome.paused
    assert len(pending) == 1
    assert pending.write(station).error is None
    assert station.answers(other) == {"first_name": "Bea"}
    assert station.answers(withdrawn) == {}


def test_a_submission_waits_behind_its_answers(db, station, small_questionnaire, request):
    sid = station.start_submission(small_questionnaire, "en", actor="kiosk")
    pending = PendingChanges("kiosk")
    with outage(db, station, request):
        pending.answers(sid, COMPLETE_SMALL)
        pending.submit(sid)
        assert pending.submitting(sid)
        assert pending.write(station).paused
        assert station.reachable() is (station.backend_kind == "sqlite")
    assert station.reachable()
    outcome = pending.write(station)
    assert [c.kind for c, _ in outcome.written] == ["answers", "submit"]
    assert outcome.error is None and not pending.submitting(sid)
    assert station.get_submission(sid).status == "submitted"
    assert station.answers(sid) == COMPLETE_SMALL


def test_a_submission_that_went_through_unseen_is_not_sent_twice(db, station, small_questionnaire,
                                                                  request):
    sid = station.start_submission(small_questionnaire, "en", actor="kiosk")
    station.save_answers(sid, COMPLETE_SMALL, actor="kiosk")
    pending = PendingChanges("kiosk")
    pending.submit(sid)
    with outage(db, station, request):
        assert pending.write(station).paused
    # As when the server committed it and the connection broke before saying so.
    with Store.open(db) as other:
        other.submit(sid, actor="kiosk")
    outcome = pending.write(station)
    if station.backend_kind == "sqlite":  # busy: nothing was sent, so it is a refusal
        assert outcome.error.code == ErrorCode.ALREADY_SUBMITTED
    else:
        assert outcome.error is None and [c.kind for c, _ in outcome.written] == ["submit"]
    actions = [entry.action for entry in station.audit_history(sid)]
    assert actions.count("submitted") == 1


def test_a_submission_never_tried_and_already_sent_is_a_refusal(station, small_questionnaire):
    sid = station.start_submission(small_questionnaire, "en", actor="kiosk")
    station.save_answers(sid, COMPLETE_SMALL, actor="kiosk")
    station.submit(sid, actor="kiosk")
    pending = PendingChanges("kiosk")
    pending.submit(sid)
    outcome = pending.write(station)
    assert outcome.refused is not None and outcome.error.code == ErrorCode.ALREADY_SUBMITTED
