"""Submitting against the pinned definition, flags, edits after submission, review."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from store_helpers import COMPLETE_SMALL, SMALL_DEFINITION, TODAY, FakeClock

from screening_app.engine.loader import parse_questionnaire
from screening_app.store import (
    DatabaseDamaged,
    InvalidState,
    PossibleDuplicate,
    ReasonRequired,
    Store,
    SubmissionIncomplete,
)


def submitted(store: Store, questionnaire, answers=None, **extra) -> int:
    sid = store.start_submission(questionnaire, "en", actor="kiosk")
    store.save_answers(sid, {**COMPLETE_SMALL, **(answers or {})}, actor="kiosk")
    store.submit(sid, actor="kiosk", today=TODAY, **extra)
    return sid


def test_submit_refuses_with_the_list_of_problems(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answers(sid, {"first_name": "Ana", "date_of_birth": "2999-01-01"}, actor="kiosk")
    with pytest.raises(SubmissionIncomplete) as caught:
        store.submit(sid, actor="kiosk", today=TODAY)
    paths = {p.path for p in caught.value.problems}
    assert {"last_name", "date_of_birth", "diagnosis_year", "smoker"} <= paths
    assert "first_name" not in paths
    assert all(p.severity == "error" for p in caught.value.problems)
    assert str(len(caught.value.problems)) in caught.value.message
    assert "2999" not in caught.value.message
    record = store.get_submission(sid)
    assert record.status == "draft" and record.submitted_at is None
    assert store.flags(sid) == []


def test_submit_stores_flags_status_and_reference_day(store: Store, small_questionnaire):
    sid = submitted(store, small_questionnaire,
                    {"smoker": "yes", "date_of_birth": "1950-01-01",
                     "treatments[1]": True, "treatments[1].drug": "Ocrevus"})
    record = store.get_submission(sid)
    assert record.status == "submitted"
    assert record.submitted_at is not None and record.reference_date == TODAY.isoformat()
    flags = store.flags(sid)
    assert [(f.rule, f.severity) for f in flags] == [
        ("R01_age", "exclusion"), ("R02_smoker", "review"), ("R03_treated", "info")]
    age_flag = flags[0]
    assert age_flag.criterion == "Age outside the protocol range"
    assert {(e.path, e.value) for e in age_flag.evidence} == {("age", 76),
                                                              ("date_of_birth", "1950-01-01")}
    actions = [e.action for e in store.audit_history(sid)]
    assert actions[-2:] == ["submitted", "flags_computed"]


def test_warnings_do_not_block_submit(store: Store, small_questionnaire):
    sid = submitted(store, small_questionnaire, {"symptom_onset_year": 2020})
    assert store.get_submission(sid).status == "submitted"


def test_cannot_submit_twice(store: Store, small_questionnaire):
    sid = submitted(store, small_questionnaire)
    with pytest.raises(InvalidState):
        store.submit(sid, actor="kiosk")


def test_edit_after_submit_needs_a_reason_and_is_audited(store: Store, small_questionnaire):
    sid = submitted(store, small_questionnaire)
    with pytest.raises(ReasonRequired):
        store.save_answer(sid, "smoker", "yes", actor="coordinator")
    with pytest.raises(ReasonRequired):
        store.save_answer(sid, "smoker", "yes", actor="coordinator", reason="   ")
    assert store.answers(sid)["smoker"] == "no"
    store.save_answer(sid, "smoker", "yes", actor="coordinator",
                      reason="Candidate corrected this on the phone")
    assert store.answers(sid)["smoker"] == "yes"
    edit = [e for e in store.audit_history(sid) if e.action == "answer_edited"]
    assert len(edit) == 1
    assert (edit[0].actor, edit[0].item, edit[0].old_value, edit[0].new_value, edit[0].reason) == (
        "coordinator", "smoker", "no", "yes", "Candidate corrected this on the phone")
    # Flags were recomputed in the same change, and that is audited too.
    assert [f.rule for f in store.flags(sid)] == ["R02_smoker"]
    recomputed = store.audit_history(sid)[-1]
    assert (recomputed.action, recomputed.old_value, recomputed.new_value) == (
        "flags_computed", [], ["R02_smoker"])


def test_edit_that_breaks_a_submitted_questionnaire_is_refused(store: Store,
                                                              small_questionnaire):
    sid = submitted(store, small_questionnaire)
    audit_count = len(store.audit_history(sid))
    with pytest.raises(SubmissionIncomplete) as caught:
        store.save_answer(sid, "last_name", None, actor="coordinator", reason="remove")
    assert [p.path for p in caught.value.problems] == ["last_name"]
    assert store.answers(sid)["last_name"] == "Ejemplo"
    assert len(store.audit_history(sid)) == audit_count


def test_flags_after_an_edit_use_the_day_of_submission(db, small_questionnaire):
    # Born 1961-12-01: 64 on the day of submission, 65 a month later, 66 a year later.

    clock = FakeClock()
    with Store.open(db, clock=clock) as store:
        sid = submitted(store, small_questionnaire, {"date_of_birth": "1961-12-01"})
        assert store.flags(sid) == []
        clock.advance(days=800)
        store.save_answer(sid, "smoker", "yes", actor="desk", reason="corrected")
        assert [f.rule for f in store.flags(sid)] == ["R02_smoker"]  # no new age flag


def test_submission_keeps_its_pinned_definition(store: Store, small_questionnaire):
    sid = submitted(store, small_questionnaire)
    newer_text = SMALL_DEFINITION.replace('version: "1.0.0"', 'version: "1.1.0"').replace(
        '"Smoker"', '"Current smoker"')
    newer = parse_questionnaire(newer_text, "newer.yaml")
    assert store.register_questionnaire(newer) != store.register_questionnaire(small_questionnaire)
    later = store.start_submission(newer, "en", actor="kiosk")
    assert store.questionnaire_for(sid).version == "1.0.0"
    assert store.questionnaire_for(sid).content_hash == small_questionnaire.content_hash
    assert store.questionnaire_for(later).version == "1.1.0"
    record = store.get_submission(sid)
    assert (record.questionnaire_id, record.questionnaire_version) == ("store-test", "1.0.0")


def test_registering_is_idempotent(store: Store, small_questionnaire):
    first = store.register_questionnaire(small_questionnaire)
    assert store.register_questionnaire(small_questionnaire) == first
    assert store._rows("SELECT count(*) AS n FROM questionnaires") == [{"n": 1}]


def test_import_submission_complete_and_incomplete(store: Store, small_questionnaire):
    done = store.import_submission(small_questionnaire, COMPLETE_SMALL, "cli", today=TODAY)
    assert done.status == "submitted" and done.problems == ()
    assert store.get_submission(done.submission_id).status == "submitted"
    partial = store.import_submission(small_questionnaire, {"first_name": "Bea"}, "cli",
                                      today=TODAY)
    assert partial.status == "draft"
    assert {p.path for p in partial.problems} >= {"last_name", "date_of_birth"}
    assert store.answers(partial.submission_id) == {"first_name": "Bea"}


def test_import_refuses_a_possible_duplicate_and_stores_nothing(store: Store,
                                                                small_questionnaire):
    store.import_submission(small_questionnaire, COMPLETE_SMALL, "cli", today=TODAY)
    before = store.count_submissions()
    twin = {**COMPLETE_SMALL, "first_name": "ANA", "last_name": "Ejémplo"}
    with pytest.raises(PossibleDuplicate):
        store.import_submission(small_questionnaire, twin, "cli", today=TODAY)
    assert store.count_submissions() == before
    allowed = store.import_submission(small_questionnaire, twin, "cli", today=TODAY,
                                      allow_duplicate=True)
    assert allowed.status == "submitted"


def test_import_that_fails_half_way_stores_nothing(store: Store, small_questionnaire):
    with pytest.raises(ValueError):
        store.import_submission(small_questionnaire,
                                {"first_name": "Eva", "diagnosis_year": float("nan")}, "cli")
    assert store.count_submissions() == 0
    assert store._rows("SELECT count(*) AS n FROM candidates") == [{"n": 0}]
    assert store._rows("SELECT count(*) AS n FROM audit_log") == [{"n": 0}]


def test_unreadable_pinned_definition_is_a_plain_error(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    broken = "id: [this is not a questionnaire"
    digest = hashlib.sha256(broken.encode()).hexdigest()
    with store._write() as db:  # a definition this version cannot read, pinned to it
        pk = db.execute("INSERT INTO questionnaires (questionnaire_id, version, content_hash,"
                        " source_text, registered_at) VALUES ('x', '9', ?, ?, 'now') RETURNING id",
                        (digest, broken)).fetchall()[0][0]
        db.execute("UPDATE submissions SET questionnaire_pk = ? WHERE id = ?", (pk, sid))
    with pytest.raises(DatabaseDamaged, match="cannot be read"):
        store.questionnaire_for(sid)
    with pytest.raises(DatabaseDamaged):
        store.submit(sid, actor="kiosk")


def test_shipped_questionnaire_round_trip(store: Store, shipped, complete_shipped_answers):
    result = store.import_submission(shipped, complete_shipped_answers, "cli",
                                     today=date(2026, 11, 23))
    assert result.status == "submitted", result.problems
    assert store.answers(result.submission_id) == {
        k: v for k, v in complete_shipped_answers.items() if v is not None}
    assert "R09_immunosuppressant" in {f.rule for f in store.flags(result.submission_id)}
