"""Two sign-offs: a coordinator's (or administrator's) check and a clinician's review, each
its own status and audit entry; who may do which; out of date after a correction; and
the migration of databases whose single "Mark reviewed" meant either."""

from __future__ import annotations

import pytest
from store_helpers import COMPLETE_SMALL, TODAY

from screening_app.store import InvalidState, NotAllowed, ReasonRequired, Store
from screening_app.store.migrations import MIGRATIONS, migrate
from screening_app.store.normalise import to_json
from tests.shared import raw_connection

SECRET = "246813579"
STAFF = (("ana.coord", "Ana Coordinadora", "coordinator"),
         ("dr.lee", "Dr. Lee Ortiz", "clinician"),
         ("admin", "Sam Admin", "admin"))


@pytest.fixture
def staffed(store: Store) -> Store:
    for username, name, role in STAFF:
        store.create_user(username, name, role, SECRET)
    return store


def submitted(store: Store, questionnaire) -> int:
    sid = store.start_submission(questionnaire, "en", actor="kiosk")
    store.save_answers(sid, COMPLETE_SMALL, actor="kiosk")
    store.submit(sid, actor="kiosk", today=TODAY)
    return sid


@pytest.mark.parametrize(("actor", "may_check", "may_review"), [
    ("ana.coord", True, False),
    ("admin", True, False),
    ("dr.lee", False, True),
    ("kiosk", False, False),  # not a user at all
])
def test_who_may_sign_what(staffed: Store, small_questionnaire, actor, may_check, may_review):
    for action, allowed in (("check", may_check), ("review", may_review)):
        sid = submitted(staffed, small_questionnaire)
        sign = (lambda s=sid: staffed.mark_checked(s, actor, "Complete and plausible")) \
            if action == "check" else (
            lambda s=sid: staffed.record_clinical_review(s, actor, "invite", "Invite"))
        if allowed:
            sign()
            assert staffed.get_submission(sid).status == ("checked" if action == "check"
                                                          else "reviewed")
        else:
            with pytest.raises(NotAllowed) as refused:
                sign()
            assert refused.value.code == ("check_not_allowed" if action == "check"
                                          else "review_not_allowed")
            assert staffed.get_submission(sid).status == "submitted"
            assert staffed.signoffs(sid) == []


def test_a_disabled_user_signs_nothing(staffed: Store, small_questionnaire):
    staffed.set_user_disabled("ana.coord", True, actor="admin")
    sid = submitted(staffed, small_questionnaire)
    with pytest.raises(NotAllowed):
        staffed.mark_checked(sid, "ana.coord", "Complete")


def test_check_then_review_each_with_status_audit_name_and_role(staffed: Store,
                                                                small_questionnaire):
    sid = submitted(staffed, small_questionnaire)
    staffed.mark_checked(sid, "ana.coord", "  Complete and plausible  ")
    record = staffed.get_submission(sid)
    assert record.status == "checked"
    [check] = record.signoffs
    assert (check.kind, check.full_name, check.role, check.note, check.decision, check.current) \
        == ("checked", "Ana Coordinadora", "coordinator", "Complete and plausible", None, True)
    with pytest.raises(InvalidState) as again:
        staffed.mark_checked(sid, "admin", "Again")
    assert again.value.code == "already_checked"
    staffed.record_clinical_review(sid, "dr.lee", "more_information", "Ask for the MRI report")
    record = staffed.get_submission(sid)
    assert record.status == "reviewed" and record.reviewed_by == "dr.lee"
    review = record.signoff("clinical_review")
    assert (review.full_name, review.role, review.decision, review.note) == (
        "Dr. Lee Ortiz", "clinician", "more_information", "Ask for the MRI report")
    with pytest.raises(InvalidState) as twice:
        staffed.record_clinical_review(sid, "dr.lee", "invite", "Invite")
    assert twice.value.code == "already_reviewed"
    entries = [(e.action, e.actor, e.old_value, e.new_value) for e in staffed.audit_history(sid)]
    assert entries[-2:] == [
        ("checked", "ana.coord", "submitted", {"note": "Complete and plausible"}),
        ("clinically_reviewed", "dr.lee", "checked",
         {"decision": "more_information", "note": "Ask for the MRI report"})]


def test_a_review_needs_a_decision_and_a_note_and_a_submitted_questionnaire(
        staffed: Store, small_questionnaire):
    sid = submitted(staffed, small_questionnaire)
    with pytest.raises(ReasonRequired) as no_decision:
        staffed.record_clinical_review(sid, "dr.lee", "maybe", "A note")
    assert no_decision.value.code == "review_decision"
    with pytest.raises(ReasonRequired) as no_note:
        staffed.record_clinical_review(sid, "dr.lee", "invite", "  ")
    assert no_note.value.code == "review_note"
    with pytest.raises(ReasonRequired):
        staffed.mark_checked(sid, "ana.coord", "")
    draft = staffed.start_submission(small_questionnaire, "en", actor="kiosk")
    for sign in (lambda: staffed.mark_checked(draft, "ana.coord", "Complete"),
                 lambda: staffed.record_clinical_review(draft, "dr.lee", "invite", "Invite")):
        with pytest.raises(InvalidState) as refused:
            sign()
        assert refused.value.code == "only_submitted"
    assert staffed.signoffs(sid) == [] and staffed.signoffs(draft) == []


def test_a_correction_makes_both_signoffs_out_of_date(staffed: Store, small_questionnaire):
    sid = submitted(staffed, small_questionnaire)
    staffed.mark_checked(sid, "ana.coord", "Complete")
    staffed.record_clinical_review(sid, "dr.lee", "invite", "Invite to the screening visit")
    staffed.save_answer(sid, "diagnosis_year", 2016, actor="ana.coord", reason="records say 2016")
    record = staffed.get_submission(sid)
    assert record.status == "submitted" and record.reviewed_by is None
    assert [(s.kind, s.current) for s in record.signoffs] == [("checked", False),
                                                              ("clinical_review", False)]
    assert all(s.out_of_date_at == record.updated_at for s in record.signoffs)
    actions = [e.action for e in staffed.audit_history(sid) if e.action != "flags_computed"]
    assert actions[-3:] == ["answer_edited", "check_reopened", "review_reopened"]
    # Signed again on the corrected answers; the earlier ones stay on record.
    staffed.mark_checked(sid, "admin", "Checked again after the correction")
    assert staffed.get_submission(sid).status == "checked"
    assert [(s.kind, s.current) for s in staffed.signoffs(sid)] == [
        ("checked", False), ("clinical_review", False), ("checked", True)]


def test_status_filters_tell_checked_from_submitted(staffed: Store, small_questionnaire):
    plain, checked, reviewed = (submitted(staffed, small_questionnaire) for _ in range(3))
    staffed.mark_checked(checked, "ana.coord", "Complete")
    staffed.record_clinical_review(reviewed, "dr.lee", "not_eligible", "Exclusion confirmed")
    ids = {status: {r.id for r in staffed.list_submissions(status=status)}
           for status in ("submitted", "checked", "reviewed")}
    assert ids == {"submitted": {plain}, "checked": {checked}, "reviewed": {reviewed}}
    assert {r.id: r.status for r in staffed.list_submissions()} == {
        plain: "submitted", checked: "checked", reviewed: "reviewed"}
    assert staffed.count_submissions(status=["submitted", "checked"]) == 2
    assert set(staffed.submission_ids(status="checked")) == {checked}


def test_reviews_of_an_older_database_become_the_signoff_their_signer_could_give(
        db_path, clock, small_questionnaire):
    """Before: one "Mark reviewed" for everyone. A coordinator's or an administrator's
    review becomes a check; a clinician's a clinical review (decision not recorded); a
    review a correction reopened stays on record, out of date."""
    older = MIGRATIONS[:MIGRATIONS.index(next(m for m in MIGRATIONS
                                              if m.name == "0006_two_signoffs"))]
    with Store.open(db_path, clock=clock) as store:
        for username, name, role in STAFF:
            store.create_user(username, name, role, SECRET)
        by_coordinator, by_clinician, reopened, withdrawn = (
            submitted(store, small_questionnaire) for _ in range(4))
    conn = raw_connection(db_path)  # keyed, as someone with the key opens it
    try:
        # The same database as the older app left it: schema 0003, reviews in the columns
        # and the audit trail (rows written the way that app wrote them).
        conn.execute("DELETE FROM schema_migrations WHERE number > ?", (len(older),))
        conn.execute("DROP TABLE signoffs")
        conn.execute("DROP TABLE applicable_answers")  # 0008_applicable_answers
        conn.execute("ALTER TABLE submissions DROP COLUMN text_size")  # 0007_draft_display
        conn.execute("ALTER TABLE submissions DROP COLUMN high_contrast")
        conn.execute(f"PRAGMA user_version = {len(older)}")

        def review(sid: int, who: str, meaning: str, at: str) -> None:
            conn.execute("UPDATE submissions SET status = 'reviewed', reviewed_at = ?,"
                         " reviewed_by = ?, review_meaning = ? WHERE id = ?",
                         (at, who, meaning, sid))
            audit(sid, who, "reviewed", at, to_json(meaning))

        def audit(sid: int, who: str, action: str, at: str, new: str | None = None) -> None:
            from screening_app.store.base import insert_audit_rows
            insert_audit_rows(conn, [(at, who, action, sid, None, None, new, None)])

        review(by_coordinator, "ana.coord", "Answers checked for completeness",
               "2026-11-21T10:00:00+00:00")
        review(by_clinician, "dr.lee", "Reviewed with the records", "2026-11-21T11:00:00+00:00")
        audit(reopened, "dr.lee", "reviewed", "2026-11-21T12:00:00+00:00", to_json("First read"))
        audit(reopened, "ana.coord", "review_reopened", "2026-11-22T09:00:00+00:00")
        review(withdrawn, "admin", "Checked", "2026-11-21T13:00:00+00:00")
        conn.execute("UPDATE submissions SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?",
                     ("2026-11-23T09:00:00+00:00", withdrawn))
        assert migrate(conn, lambda: "2026-12-01T00:00:00+00:00") == len(MIGRATIONS)
    finally:
        conn.close()
    with Store.open(db_path, clock=clock) as store:
        coordinator = store.get_submission(by_coordinator)
        assert coordinator.status == "checked" and coordinator.reviewed_by is None
        [check] = coordinator.signoffs
        assert (check.kind, check.full_name, check.role, check.note, check.current) == (
            "checked", "Ana Coordinadora", "coordinator", "Answers checked for completeness",
            True)
        clinician = store.get_submission(by_clinician)
        assert clinician.status == "reviewed" and clinician.reviewed_by == "dr.lee"
        [review_] = clinician.signoffs
        assert (review_.kind, review_.decision, review_.note, review_.role) == (
            "clinical_review", None, "Reviewed with the records", "clinician")
        [earlier] = store.get_submission(reopened).signoffs
        assert (earlier.kind, earlier.note, earlier.out_of_date_at) == (
            "clinical_review", "First read", "2026-11-22T09:00:00+00:00")
        assert store.get_submission(reopened).status == "submitted"
        gone = store.get_submission(withdrawn)
        assert gone.status == "withdrawn" and [s.kind for s in gone.signoffs] == ["checked"]
        assert store.verify_audit().intact
