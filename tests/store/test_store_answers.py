"""Autosave, drafts, resume, confirmations and the audit of every change."""

from __future__ import annotations

import pytest

from screening_app.store import InvalidState, NotFound, Store
from tests.shared import raw_connection


def test_save_and_read_back_every_value_type(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    values = {
        "first_name": "José",
        "diagnosis_year": 2015,
        "smoker": "no",
        "treatments[1]": True,
        "treatments[1].drug": "Ocrevus",
        "date_of_birth": "1980-05-17",
    }
    for path, value in values.items():
        assert store.save_answer(sid, path, value, actor="kiosk") is True
    assert store.answers(sid) == values


def test_answers_survive_reopening_and_draft_resumes_at_same_step(db, clock,
                                                                 small_questionnaire):
    with Store.open(db, clock=clock) as store:
        sid = store.start_submission(small_questionnaire, "es", actor="kiosk")
        assert store.get_submission(sid).current_step == "about_you"
        store.save_answer(sid, "first_name", "Ana", actor="kiosk")
        store.set_current_step(sid, "history")
        store.save_answer(sid, "diagnosis_year", 2015, actor="kiosk")
        code = store.get_submission(sid).code
    with Store.open(db, clock=clock) as store:
        record = store.find_submission(code.lower().replace("-", " "))
        assert record.id == sid
        assert record.status == "draft"
        assert record.lang == "es"
        assert record.current_step == "history"
        assert store.answers(sid) == {"first_name": "Ana", "diagnosis_year": 2015}


def test_resume_code_shape_and_uniqueness(store: Store, small_questionnaire):
    codes = {store.get_submission(store.start_submission(small_questionnaire, "en",
                                                         actor="kiosk")).code
             for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert not set(code) & set("01ILOU")


def test_resolve_submission_by_id_or_code(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    code = store.get_submission(sid).code
    assert store.resolve_submission(sid) == sid
    assert store.resolve_submission(f" {sid} ") == sid
    assert store.resolve_submission(code.lower()) == sid
    with pytest.raises(NotFound):
        store.resolve_submission("999")
    with pytest.raises(NotFound):
        store.resolve_submission("nobody")


def test_unknown_code_and_submission_are_not_found(store: Store):
    with pytest.raises(NotFound):
        store.find_submission("ZZZZ-ZZZZ")
    with pytest.raises(NotFound):
        store.find_submission("not a code")
    with pytest.raises(NotFound):
        store.get_submission(999)
    with pytest.raises(NotFound):
        store.save_answer(999, "first_name", "Ana", actor="kiosk")


def test_every_change_is_audited_with_old_and_new_value(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    store.save_answer(sid, "first_name", "Anna", actor="kiosk")
    store.save_answer(sid, "first_name", None, actor="kiosk")
    history = [e for e in store.audit_history(sid) if e.item == "first_name"]
    assert [(e.action, e.old_value, e.new_value) for e in history] == [
        ("answer_saved", None, "Ana"),
        ("answer_saved", "Ana", "Anna"),
        ("answer_saved", "Anna", None),
    ]
    assert all(e.actor == "kiosk" and e.at.endswith("+00:00") for e in history)
    assert [e.id for e in history] == sorted(e.id for e in history)
    assert store.answers(sid) == {}


def test_saving_the_same_value_is_a_no_op(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    assert store.save_answer(sid, "treatments[1]", True, actor="kiosk") is True
    assert store.save_answer(sid, "first_name", {"b": 1, "a": [1, 2]}, actor="kiosk") is True
    updated = store.get_submission(sid).updated_at
    audit_count = len(store.audit_history(sid))
    assert store.save_answer(sid, "first_name", {"a": [1, 2], "b": 1}, actor="kiosk") is False
    assert store.save_answer(sid, "treatments[1]", True, actor="kiosk") is False
    assert store.save_answer(sid, "last_name", None, actor="kiosk") is False
    assert len(store.audit_history(sid)) == audit_count
    assert store.get_submission(sid).updated_at == updated


def test_updated_at_moves_with_each_change(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    first = store.get_submission(sid).updated_at
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    second = store.get_submission(sid).updated_at
    assert second > first
    store.set_current_step(sid, "history")  # navigation is not a data change
    assert store.get_submission(sid).updated_at == second


def test_confirmation_belongs_to_the_value(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "diagnosis_year", 2015, actor="kiosk")
    store.save_answer(sid, "symptom_onset_year", 2018, actor="kiosk")
    assert store.confirmed_paths(sid) == set()
    assert store.save_answer(sid, "symptom_onset_year", 2018, actor="kiosk", confirmed=True)
    assert store.confirmed_paths(sid) == {"symptom_onset_year"}
    # Same value again without saying anything about the confirmation: kept.
    assert store.save_answer(sid, "symptom_onset_year", 2018, actor="kiosk") is False
    assert store.confirmed_paths(sid) == {"symptom_onset_year"}
    # A new value needs a new confirmation.
    store.save_answer(sid, "symptom_onset_year", 2019, actor="kiosk")
    assert store.confirmed_paths(sid) == set()
    actions = [e.action for e in store.audit_history(sid) if e.item == "symptom_onset_year"]
    assert actions == ["answer_saved", "warning_confirmed", "answer_saved", "warning_unconfirmed"]


def test_candidate_follows_identity_answers(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    candidate_id = store.get_submission(sid).candidate_id
    assert store.get_candidate(candidate_id).display_name == ""
    store.save_answers(sid, {"first_name": " José ", "last_name": "Núñez",
                             "date_of_birth": "1980-05-17", "phone": "+34 (91) 555-0101"},
                       actor="kiosk")
    candidate = store.get_candidate(candidate_id)
    assert (candidate.first_name, candidate.last_name) == ("José", "Núñez")
    assert candidate.date_of_birth == "1980-05-17"
    assert candidate.phone == "+34 (91) 555-0101"
    store.save_answer(sid, "last_name", None, actor="kiosk")
    assert store.get_candidate(candidate_id).last_name is None


def test_save_answers_is_all_or_nothing(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    with pytest.raises(ValueError):
        store.save_answers(sid, {"first_name": "Ana", "Bad Path": 1}, actor="kiosk")
    with pytest.raises(ValueError):
        store.save_answers(sid, {"first_name": "Ana", "last_name": float("nan")}, actor="kiosk")
    assert store.answers(sid) == {}


def test_values_that_are_not_json_are_a_programming_error(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    with pytest.raises(TypeError):
        store.save_answer(sid, "first_name", object(), actor="kiosk")
    with pytest.raises(ValueError):
        store.save_answer(sid, "first_name", "Ana", actor="  ")


def test_withdrawn_submissions_are_read_only(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    store.withdraw(sid, actor="desk", reason="candidate asked to stop")
    with pytest.raises(InvalidState):
        store.save_answer(sid, "first_name", "Anna", actor="desk", reason="typo")
    assert store.answers(sid) == {"first_name": "Ana"}
    record = store.get_submission(sid)
    assert record.status == "withdrawn" and record.withdrawn_at is not None
    last = store.audit_history(sid)[-1]
    assert (last.action, last.reason, last.old_value) == ("withdrawn", "candidate asked to stop",
                                                          "draft")


def test_snapshot_reads_one_consistent_state(store: Store, small_questionnaire, db):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    other = raw_connection(db)
    try:
        with store._read():
            answers_first = store.answers(sid)
            # Another program commits a change while we are reading...
            other.execute("UPDATE answers SET value_json = '\"Zoe\"' WHERE path = 'first_name'")
            snapshot = store.snapshot(sid)
        after = store.answers(sid)
    finally:
        other.close()
    # ...the reads inside one transaction do not mix the two versions.
    assert snapshot.answers == answers_first == {"first_name": "Ana"}
    assert after == {"first_name": "Zoe"}


def test_a_write_inside_a_read_is_a_bug(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    with store._read(), pytest.raises(RuntimeError):
        store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True


def test_language_must_be_one_of_the_questionnaire(store: Store, small_questionnaire):
    with pytest.raises(ValueError):
        store.start_submission(small_questionnaire, "fr", actor="kiosk")
