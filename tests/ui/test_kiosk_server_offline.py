"""The network is not perfect: a kiosk on a clinic server keeps the person going while the
server cannot be reached (answers held in memory, in order; the footer says saving is
paused), writes every answer in order with its audit rows as soon as the server is back,
and sends a submission made meanwhile without losing it. The real kiosk window on a
PostgreSQL server of this module's own, stopped for 20 s and started again."""

from __future__ import annotations

import time

import pytest

from screening_app.store import Store
from tests.ui.kiosk_driver import Driver, settle

OUTAGE_S = 20


@pytest.fixture
def server_url(own_pg_server):
    name = own_pg_server.new_database()
    yield own_pg_server.url(name)
    own_pg_server.drop_database(name)


@pytest.fixture
def kiosk_on_server(server_url, make_kiosk_on):
    return make_kiosk_on(server_url)[0]


def expected_audit(batches: list[tuple[int, dict]], submission_id: int) -> list[tuple[str, object]]:
    """The answer rows the audit trail must hold for these batches, in this order: a
    batch's answers in path order (one transaction), a value equal to the stored one none."""
    stored: dict[str, object] = {}
    rows = []
    for sid, batch in batches:
        if sid != submission_id:
            continue
        for path in sorted(batch):
            if stored.get(path) != batch[path]:
                rows.append((path, batch[path]))
                stored[path] = batch[path]
    return rows


def test_a_kiosk_session_carries_on_while_the_server_is_away_and_loses_nothing(
        qtbot, kiosk_on_server, own_pg_server, server_url, complete):
    kiosk = kiosk_on_server
    controller = kiosk.controller
    handed: list[tuple[int, dict]] = []  # every batch of answers, in the order handed on
    queue_answers = controller.changes.answers

    def spy(submission_id, answers):
        handed.append((submission_id, dict(answers)))
        queue_answers(submission_id, answers)

    controller.changes.answers = spy
    person = Driver(qtbot, kiosk)
    person.start()
    sid = controller.submission_id
    answers = {p: v for p, v in complete.items() if p not in {"signature", "signer_name"}}
    person.fill_step(answers)  # the first step, saved as usual
    person.next()
    assert controller.waiting is None and not controller.changes

    own_pg_server.stop()
    stopped = time.monotonic()
    paused = kiosk.t("kiosk.saving.paused")
    steps_offline = 0
    try:
        while not kiosk.flow.in_review:
            person.fill_step(answers)
            settle()
            assert kiosk.flow_page.status.message() == paused  # said from the first answer
            person.next()
            steps_offline += 1
        person.next()  # the review: on to consent
        person.fill_step({k: complete[k] for k in ("consent_contact", "consent_records",
                                                   "attest_true")})
        person.sign("signature")
        # The person keeps going for the whole outage (reading, going back and forth).
        while time.monotonic() - stopped < OUTAGE_S:
            person.back()
            person.next()
            qtbot.wait(500)
        assert controller.waiting is not None and len(controller.changes) > steps_offline
        person.next()  # Submit: it waits, and says so
        assert kiosk.current_page() is kiosk.flow_page
        assert kiosk.flow_page.status.message() == kiosk.t("kiosk.saving.submit_waiting")
        assert not kiosk.flow_page.next_button.isEnabled()
        assert not kiosk.flow_page.content.isEnabled()
    finally:
        own_pg_server.pg_ctl_start()
    # Back: everything goes, in order, then the submission, and the person is thanked.
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.thanks_page, timeout=30_000)
    assert controller.waiting is None and not controller.changes

    with Store.open(server_url) as check:
        record = check.get_submission(sid)
        assert record.status == "submitted"
        stored = check.answers(sid)
        assert stored.pop("signature")["png"]
        assert stored == {**answers, "signer_name": "Ana Ejemplo", "consent_contact": True,
                          "consent_records": "yes", "attest_true": True}
        history = check.audit_history(sid)
        saved = [(e.item, e.new_value) for e in history if e.action == "answer_saved"]
        expected = expected_audit(handed, sid)
        assert [row for row in saved if row[0] != "signature"] == \
            [row for row in expected if row[0] != "signature"]
        actions = [e.action for e in history]
        assert actions.count("submitted") == 1
        last_answer = max(i for i, action in enumerate(actions) if action == "answer_saved")
        assert actions.index("submitted") > last_answer  # sent after every answer
        assert check.verify_audit().intact


def test_a_draft_resumed_with_its_code_has_the_answers_that_were_waiting(
        qtbot, kiosk_on_server, own_pg_server):
    """The person takes a break while the server is away; back with their code after it
    returned (before the kiosk's own retry came round), they find every answer."""
    kiosk = kiosk_on_server
    controller = kiosk.controller
    controller._retry.setInterval(600_000)  # only the resume itself may write them now
    person = Driver(qtbot, kiosk)
    person.start()
    code = controller.code
    own_pg_server.stop()
    try:
        person.type("first_name", "Ana")
        person.choose("sex_at_birth", "female")
        settle()
        assert controller.waiting is not None and len(controller.changes) == 2
        kiosk.reset()  # "Finish for now": the answers still wait, in memory
    finally:
        own_pg_server.pg_ctl_start()
    kiosk.open_resume()
    kiosk.resume_page.code.setText(code)
    person.click(kiosk.resume_page.go)
    assert kiosk.current_page() is kiosk.flow_page
    assert controller.session.answers.get("first_name") == "Ana"
    assert controller.session.answers.get("sex_at_birth") == "female"
    assert not controller.changes
