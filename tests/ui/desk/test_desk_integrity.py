"""At start the desk checks the audit trail's hash chain in the background; a broken chain
is shown to administrators (and only to them)."""

from __future__ import annotations

from pathlib import Path

from screening_app.store import Store
from tests.store.store_helpers import raw
from tests.ui.desk.conftest import sign_in


def tamper(db: Path) -> int:
    """Rewrite one audit row with a SQLite tool, outside the app; return its id."""
    conn = raw(db)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        row_id = conn.execute("SELECT min(id) + 5 FROM audit_log").fetchone()[0]
        conn.execute("UPDATE audit_log SET reason = 'nothing happened' WHERE id = ?", (row_id,))
    finally:
        conn.close()
    return row_id


def test_a_broken_audit_chain_is_shown_to_administrators_only(qtbot, make_desk, seeded_db):
    row_id = tamper(seeded_db)
    with Store.open(seeded_db) as store:
        window = make_desk(store)
        qtbot.waitUntil(window.audit_check.isFinished, timeout=20000)
        assert window.integrity_banner.isHidden()  # nobody signed in yet
        sign_in(qtbot, window, "demo-coordinator")
        assert window.integrity_banner.isHidden()
        window.sign_out()
        sign_in(qtbot, window, "demo-admin")
        assert window.integrity_banner.isVisible()
        assert f"audit row {row_id}" in window.integrity_banner.text()
        assert "verify-audit" in window.integrity_banner.text()


def test_an_intact_chain_shows_nothing(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    qtbot.waitUntil(window.audit_check.isFinished, timeout=20000)
    qtbot.wait(20)  # the queued result reaches the window
    assert window.integrity_problem is None
    assert window.integrity_banner.isHidden()
