"""A PIN shorter than the rule now (6 digits; passwords 8 characters) still signs in, and
the desk then asks for a new one before it opens."""

from __future__ import annotations

from screening_app.store.users import hash_secret
from tests.store.store_helpers import raw
from tests.ui.desk.conftest import sign_in


def give_old_short_pin(db, username: str, pin: str) -> None:
    """As an older version stored it (4 digits were allowed then)."""
    conn = raw(db)
    try:
        conn.execute("UPDATE users SET secret_hash = ? WHERE username = ?",
                     (hash_secret(pin), username))
    finally:
        conn.close()


def start_sign_in(window, username: str, secret: str) -> None:
    page = window.sign_in_page
    page.username.setText(username)
    page.secret.setText(secret)
    page.button.click()


def test_a_short_pin_must_be_changed_at_the_next_sign_in(qtbot, make_desk, seeded_db):
    from screening_app.store import Store

    give_old_short_pin(seeded_db, "demo-coordinator", "2468")
    with Store.open(seeded_db) as store:
        window = make_desk(store)
        start_sign_in(window, "demo-coordinator", "2468")
        page = window.change_secret
        assert window.current_page() is page and window.workspace is None
        assert "6 digits" in page.intro.text()

        page.current.setText("0000")  # not the current PIN
        page.new.setText("864213")
        page.repeat.setText("864213")
        page.save.click()
        assert "Sign-in refused" in page.message.text() and window.workspace is None

        page.current.setText("2468")
        page.new.setText("1357")  # still too short
        page.repeat.setText("1357")
        page.save.click()
        assert page.message.text() == "A PIN needs at least 6 digits."

        page.new.setText("864213")
        page.repeat.setText("864219")
        page.save.click()
        assert "not the same" in page.message.text() and window.workspace is None

        page.new.setText("864213")
        page.repeat.setText("864213")
        page.save.click()
        assert window.workspace is not None and window.user.username == "demo-coordinator"
        audit = store._rows("SELECT actor, action FROM audit_log WHERE action ="
                            " 'secret_changed'")
        assert audit == [{"actor": "demo-coordinator", "action": "secret_changed"}]

        window.sign_out()
        start_sign_in(window, "demo-coordinator", "2468")  # the old PIN is gone
        assert window.workspace is None and window.current_page() is window.sign_in_page
        sign_in(qtbot, window, "demo-coordinator", "864213")
        assert window.workspace is not None


def test_signing_out_from_the_change_leaves_the_desk_closed(qtbot, make_desk, seeded_db):
    from screening_app.store import Store

    give_old_short_pin(seeded_db, "demo-admin", "1111")
    with Store.open(seeded_db) as store:
        window = make_desk(store)
        start_sign_in(window, "demo-admin", "1111")
        assert window.current_page() is window.change_secret
        window.change_secret.cancel.click()
        assert window.current_page() is window.sign_in_page and window.workspace is None
        assert window.user is None and not window.admin_menu.menuAction().isVisible()
