"""A submitted record never changes behind anyone's back: what a submission says about the
person is what was answered in it; the person record changes only by an audited correction."""

from __future__ import annotations

import pytest

from screening_app.store import ErrorCode, InvalidState, ReasonRequired, Store
from screening_app.store.migrations import MIGRATIONS, migrate
from tests.shared import raw_connection

JOSE = {"first_name": "José", "last_name": "Núñez", "date_of_birth": "1980-05-17",
        "phone": "+34 91 555 0101"}


def submitted_person(store: Store, shipped, answers: dict) -> int:
    result = store.import_submission(shipped, answers, actor="import", allow_duplicate=True)
    assert result.status == "submitted", result.problems
    return result.submission_id


def listed(store: Store, submission_id: int):
    [row] = [r for r in store.list_submissions(limit=1000) if r.id == submission_id]
    return row


def test_same_person_with_another_spelling_renames_nobody(store, shipped, complete_shipped_answers):
    """Seen: "It is the same person" typed in lower case without accents renamed the stored
    person, and the work list's name of an already submitted submission with it."""
    first = submitted_person(store, shipped, {**complete_shipped_answers, **JOSE})
    person = store.get_submission(first).candidate_id
    typed = {"first_name": "jose", "last_name": "nunez", "date_of_birth": "1980-05-17"}

    kept = store.start_for_person(shipped, "en", "coordinator", person, typed)
    assert store.get_candidate(person).display_name == "José Núñez"
    assert store.answers(kept)["first_name"] == "José"  # the recorded spelling, as chosen

    as_typed = store.start_for_person(shipped, "en", "coordinator", person, typed, use_typed=True)
    assert store.answers(as_typed)["first_name"] == "jose"
    assert store.get_candidate(person).display_name == "José Núñez"  # still
    assert listed(store, first).candidate == "José Núñez"
    assert listed(store, as_typed).candidate == "jose nunez"

    # Both choices are audited on the new submission, with both spellings.
    [link] = [e for e in store.audit_history(as_typed) if e.item == f"candidate:{person}"]
    assert (link.action, link.actor) == ("same_person_typed_spelling", "coordinator")
    assert link.old_value == {"first_name": "José", "last_name": "Núñez"}
    assert link.new_value == {"first_name": "jose", "last_name": "nunez"}
    assert [e.action for e in store.audit_history(kept)
            if e.item == f"candidate:{person}"] == ["same_person_stored_spelling"]
    same = store.start_for_person(shipped, "en", "coordinator", person, JOSE)
    assert [e.action for e in store.audit_history(same)
            if e.item == f"candidate:{person}"] == ["same_person"]


def test_a_later_draft_changes_nothing_of_a_reviewed_submission(store, shipped,
                                                                complete_shipped_answers):
    """Seen: a later draft of the same person, edited at the kiosk through its code, changed
    the name, date of birth and phone that a reviewed submission exported."""
    reviewed = submitted_person(store, shipped, {**complete_shipped_answers, **JOSE})
    store.create_user("clinician", "Dr. Clinician", "clinician", "24681357")
    store.record_clinical_review(reviewed, "clinician", "invite", "Checked")
    person = store.get_submission(reviewed).candidate_id
    later = store.start_for_person(shipped, "en", "coordinator", person, JOSE)
    store.save_answers(later, {"first_name": "Josefa", "last_name": "Núñez Ruiz",
                               "date_of_birth": "1981-06-18", "phone": "600 111 222"},
                       actor="kiosk")
    assert store.get_candidate(person).first_name == "José"
    assert store.get_candidate(person).phone == "+34 91 555 0101"
    row = listed(store, reviewed)
    assert (row.candidate, row.date_of_birth, row.status) == ("José Núñez", "1980-05-17",
                                                              "reviewed")
    assert listed(store, later).candidate == "Josefa Núñez Ruiz"
    # The person is found by either spelling; each row shows its own.
    found = {r.id: r.candidate for r in store.list_submissions(search="josefa")}
    assert found == {reviewed: "José Núñez", later: "Josefa Núñez Ruiz"}
    assert [r.id for r in store.list_submissions(search="1980-05-17")] == [reviewed]
    assert {r.id for r in store.list_submissions(search="600111222")} == {reviewed, later}


def test_a_first_draft_makes_its_person_record_and_then_leaves_it(store, shipped,
                                                                  complete_shipped_answers):
    sid = store.start_submission(shipped, "en", actor="kiosk")
    person = store.get_submission(sid).candidate_id
    store.save_answers(sid, {**complete_shipped_answers, "first_name": "Ana"}, actor="kiosk")
    store.save_answer(sid, "first_name", "Anna", actor="kiosk")  # a typo mended while drafting
    assert store.get_candidate(person).first_name == "Anna"
    store.submit(sid, actor="kiosk")
    store.save_answer(sid, "first_name", "Hanna", actor="desk", reason="Read from her ID card")
    assert listed(store, sid).candidate.startswith("Hanna ")  # the submission's own answer
    assert store.get_candidate(person).first_name == "Anna"  # the record: only by correction


def test_correcting_the_person_needs_a_reason_and_is_audited(store, shipped,
                                                             complete_shipped_answers):
    first = submitted_person(store, shipped, {**complete_shipped_answers, **JOSE})
    store.create_user("clinician", "Dr. Clinician", "clinician", "24681357")
    store.record_clinical_review(first, "clinician", "invite", "Checked")
    person = store.get_submission(first).candidate_id
    draft = store.start_for_person(shipped, "en", "coordinator", person, JOSE)
    with pytest.raises(ReasonRequired) as refused:
        store.correct_person(person, {"last_name": "Núñez García"}, actor="coordinator",
                             reason="  ", submissions=[first])
    assert refused.value.code == ErrorCode.PERSON_REASON
    assert store.get_candidate(person).last_name == "Núñez"

    touched = store.correct_person(person, {"last_name": "Núñez García", "phone": "+34 91 555 0101"},
                                   actor="coordinator", reason="Second surname, from her ID",
                                   submissions=[first])
    assert touched == [first]
    assert store.get_candidate(person).last_name == "Núñez García"
    [entry] = [e for e in store._rows("SELECT action, actor, old_value, new_value, reason, item"
                                      " FROM audit_log WHERE action = 'person_corrected'")]
    assert entry["item"] == f"candidate:{person}" and entry["actor"] == "coordinator"
    assert entry["old_value"] == '{"last_name":"Núñez"}'  # the unchanged phone is not listed
    assert entry["new_value"] == '{"last_name":"Núñez García"}'
    assert entry["reason"] == "Second surname, from her ID"
    # The chosen submission: an audited edit with the same reason, its review reopened.
    edits = [e for e in store.audit_history(first) if e.action == "answer_edited"]
    assert [(e.item, e.old_value, e.new_value, e.reason) for e in edits] == [
        ("last_name", "Núñez", "Núñez García", "Second surname, from her ID")]
    assert store.get_submission(first).status == "submitted"
    assert listed(store, first).candidate == "José Núñez García"
    # The one not chosen says what was answered in it.
    assert store.answers(draft)["last_name"] == "Núñez"
    assert [s.id for s in store.person_submissions(person)] == [first, draft]
    assert store.person_submissions(person)[1].said["last_name"] == "Núñez"


def test_a_correction_that_cannot_apply_everywhere_changes_nothing(store, shipped,
                                                                   complete_shipped_answers):
    first = submitted_person(store, shipped, {**complete_shipped_answers, **JOSE})
    person = store.get_submission(first).candidate_id
    store.withdraw(first, "coordinator", "Asked to leave the study")
    with pytest.raises(InvalidState):
        store.correct_person(person, {"first_name": "Josep"}, actor="coordinator",
                             reason="Catalan spelling", submissions=[first])
    assert store.get_candidate(person).first_name == "José"
    other = submitted_person(store, shipped, {**complete_shipped_answers, "first_name": "Eva"})
    with pytest.raises(ValueError):
        store.correct_person(person, {"first_name": "Josep"}, actor="coordinator",
                             reason="Catalan spelling", submissions=[other])
    with pytest.raises(ValueError):
        store.correct_person(person, {"diagnosis": "x"}, actor="coordinator", reason="r")
    assert store.answers(other)["first_name"] == "Eva"
    assert not store._rows("SELECT 1 FROM audit_log WHERE action = 'person_corrected'")


def test_an_older_database_lists_each_submission_as_answered(db_path, clock, shipped):
    """A database written before submissions kept their own names (where the person record
    had been renamed by a later draft) lists each as answered once migrated."""
    before = next(n for n, m in enumerate(MIGRATIONS) if m.name.endswith("_submission_identity"))
    db_path.parent.mkdir()
    conn = raw_connection(db_path)  # a new (encrypted) file, as an older version left it
    migrate(conn, lambda: "2026-11-23T09:00:00+00:00", MIGRATIONS[:before])
    old = Store(conn, db_path, clock)
    first = old.start_submission(shipped, "en", actor="kiosk")
    person = conn.execute("SELECT candidate_id FROM submissions WHERE id = ?", (first,)).fetchone()[0]
    later = old.start_submission(shipped, "en", actor="kiosk", candidate_id=person)
    for sid, first_name in ((first, "José"), (later, "jose")):
        for path, value in (("first_name", first_name), ("last_name", "Núñez"),
                            ("date_of_birth", "1980-05-17")):
            conn.execute("INSERT INTO answers (submission_id, path, value_json, updated_at)"
                         " VALUES (?, ?, json_quote(?), '2026-11-23')", (sid, path, value))
    conn.execute("UPDATE candidates SET first_name = 'jose' WHERE id = ?", (person,))
    old.close()
    with Store.open(db_path, clock=clock) as store:
        assert listed(store, first).candidate == "José Núñez"
        assert listed(store, later).candidate == "jose Núñez"
        assert {r.id for r in store.list_submissions(search="nunez 17/05/1980")} == {first, later}
        ordered = store.list_submissions(order_by="candidate", descending=False)
        assert [r.id for r in ordered] == [first, later]
    raw = raw_connection(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    finally:
        raw.close()


def test_same_person_carries_over_the_known_phone_email_and_sex(store, shipped,
                                                                 complete_shipped_answers):
    """Seen: a new questionnaire for the same person asked again for what was known."""
    first = submitted_person(store, shipped, {**complete_shipped_answers, **JOSE,
                                              "email": "jose@example.org"})
    person = store.get_candidate(store.get_submission(first).candidate_id)
    again = store.start_for_person(shipped, "en", "coordinator", person.id, JOSE)
    answers = store.answers(again)
    assert (answers["phone"], answers["email"], answers["sex_at_birth"]) == (
        "+34 91 555 0101", "jose@example.org", person.sex_at_birth)
    assert person.sex_at_birth == complete_shipped_answers["sex_at_birth"]
