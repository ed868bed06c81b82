"""At start the desk checks the audit trail's hash chain in the background; a broken chain
is shown to administrators (and only to them)."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_a_pinned_definition_changed_outside_the_app_is_shown_to_administrators(
        qtbot, make_desk, seeded_db):
    conn = raw(seeded_db)
    try:
        conn.execute("DROP TRIGGER questionnaires_no_update")
        conn.execute("UPDATE questionnaires SET source_text = source_text || ' ' WHERE id = 1")
    finally:
        conn.close()
    with Store.open(seeded_db) as store:
        window = make_desk(store)
        qtbot.waitUntil(window.audit_check.isFinished, timeout=20000)
        sign_in(qtbot, window, "demo-admin")
        assert window.integrity_banner.isVisible()
        text = window.integrity_banner.text()
        assert "changed outside the app (definition 1)" in text and "audit row" not in text


def test_an_intact_chain_shows_nothing(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    qtbot.waitUntil(window.audit_check.isFinished, timeout=20000)
    qtbot.wait(20)  # the queued result reaches the window
    assert window.integrity_problems == []
    assert window.integrity_banner.isHidden()


def test_a_plain_database_is_pointed_out_to_administrators(qtbot, make_desk, tmp_path):
    """A database of a version before encryption opens, and the administrator is told to
    run encrypt-database (docs/storage.md: the decision)."""
    import sqlite3

    from screening_app.demo import seed_demo
    from screening_app.store.migrations import MIGRATIONS, migrate

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, lambda: "2026-01-01T00:00:00+00:00", MIGRATIONS[:2])
    conn.close()
    with Store.open(db) as store:
        seed_demo(store, 5, seed=1)
    with Store.open(db) as store:
        window = make_desk(store)
        sign_in(qtbot, window, "demo-admin")
        assert window.integrity_banner.isVisible()
        assert f"encrypt-database --db {db}" in window.integrity_banner.text()


def test_the_desk_checks_the_file_while_the_sign_in_page_shows(qtbot, make_desk, seeded_db):
    """As `python main.py` opens it: no quick_check before the window, writes held until
    the background check passed; then sign-in works as usual."""
    from ui.app import open_database

    store = open_database(seeded_db, kiosk=False)
    with store:
        assert store.writes_held
        window = make_desk(store)
        qtbot.waitUntil(window.audit_check.isFinished, timeout=60000)
        qtbot.waitUntil(lambda: not store.writes_held, timeout=5000)
        assert window.sign_in_page.button.isEnabled()
        assert window.sign_in_page.button.text() == "Sign in"
        sign_in(qtbot, window, "demo-coordinator")
        assert window.workspace is not None


def test_a_damaged_file_found_by_the_background_check_lets_nobody_write(qtbot, make_desk,
                                                                       seeded_db):
    import hashlib
    import os

    from screening_app.store import StoreError
    from screening_app.store.errors import ErrorCode
    from ui.app import open_database

    size = seeded_db.stat().st_size
    with open(seeded_db, "r+b") as file:  # 8 KB of noise in the middle
        file.seek(size // 2)
        file.write(os.urandom(8192))
    before = hashlib.sha256(seeded_db.read_bytes()).hexdigest()
    store = open_database(seeded_db, kiosk=False)
    with store:
        window = make_desk(store)
        assert not window.sign_in_page.button.isEnabled()
        assert window.sign_in_page.button.text() == "Checking the database…"
        qtbot.waitUntil(window.audit_check.isFinished, timeout=60000)
        qtbot.waitUntil(lambda: window.damaged is not None, timeout=5000)
        assert "Restore the newest backup" in window.sign_in_page.message.text()
        assert window.integrity_banner.isVisible()
        assert not window.sign_in_page.button.isEnabled() and store.writes_held
        with pytest.raises(StoreError) as caught:  # a sign-in is a write: refused
            store.authenticate("demo-admin", "246810")
        assert caught.value.code in (ErrorCode.CHECKING, ErrorCode.DAMAGED)
    assert hashlib.sha256(seeded_db.read_bytes()).hexdigest() == before
