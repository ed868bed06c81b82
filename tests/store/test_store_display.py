"""Issue 15: a person's text size and contrast stay with their draft (migration
0007_draft_display), on both backends; a wrong look is refused in words; an older
database's drafts read the normal look."""

from __future__ import annotations

import pytest

from screening_app.store import ErrorCode, Store, StoreError
from screening_app.store.migrations import MIGRATIONS, migrate
from tests.shared import raw_connection


def test_a_draft_keeps_the_look_the_person_chose(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    fresh = store.get_submission(sid)
    assert (fresh.text_size, fresh.high_contrast) == ("normal", False)
    history = len(store.audit_history(sid))
    store.set_display(sid, "largest", True)
    record = store.get_submission(sid)
    assert (record.text_size, record.high_contrast) == ("largest", True)
    assert record.updated_at == fresh.updated_at  # not a change of the answers
    assert len(store.audit_history(sid)) == history
    store.set_display(sid, "larger", False)
    assert (store.get_submission(sid).text_size, store.get_submission(sid).high_contrast) == ("larger", False)


@pytest.mark.parametrize(("size", "contrast"), [("huge", False), ("", False), (None, True), (3, False),
                                                ("normal", 1), ("largest", "yes"), ("LARGEST", False)])
def test_a_look_the_kiosk_does_not_have_is_refused_in_words(store: Store, small_questionnaire, size,
                                                           contrast):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.set_display(sid, "larger", True)
    with pytest.raises(StoreError) as refused:
        store.set_display(sid, size, contrast)
    assert refused.value.code == ErrorCode.DISPLAY_CHOICE
    assert "normal, larger, largest" in refused.value.message
    record = store.get_submission(sid)
    assert (record.text_size, record.high_contrast) == ("larger", True)  # nothing half-written


@pytest.mark.sqlite_only
def test_drafts_of_an_older_database_read_the_normal_look(db_path, clock, small_questionnaire):
    with Store.open(db_path, clock=clock) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    before = [m.name for m in MIGRATIONS].index("0007_draft_display")
    conn = raw_connection(db_path)  # the file as the app before 0007 left it
    try:
        conn.execute("DROP TABLE applicable_answers")  # 0008_applicable_answers
        conn.execute("ALTER TABLE submissions DROP COLUMN text_size")
        conn.execute("ALTER TABLE submissions DROP COLUMN high_contrast")
        conn.execute("DELETE FROM schema_migrations WHERE number > ?", (before,))
        conn.execute(f"PRAGMA user_version = {before}")
        assert migrate(conn, lambda: "2026-12-01T00:00:00+00:00") == len(MIGRATIONS)
    finally:
        conn.close()
    with Store.open(db_path, clock=clock) as store:
        record = store.get_submission(sid)
        assert (record.text_size, record.high_contrast) == ("normal", False)
        store.set_display(sid, "largest", False)
        assert store.get_submission(sid).text_size == "largest"
