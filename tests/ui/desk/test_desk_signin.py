"""First run, sign-in, lockout, idle sign-out and user administration on the real window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from screening_app.demo import DEMO_PIN, DEMO_USERS
from screening_app.store.settings import SETTINGS
from tests.ui.desk.conftest import sign_in


def test_first_run_creates_the_clinic_and_an_administrator(qtbot, make_desk, empty_store):
    window = make_desk(empty_store)
    page = window.first_run
    assert window.current_page() is page
    assert not window.menu_actions["new_intake"].isEnabled()
    page.clinic.setText("Clínica Norte")  # keyClicks types ASCII only
    qtbot.keyClicks(page.study, "MSC-MS")
    qtbot.keyClicks(page.username, "ana")
    qtbot.keyClicks(page.display_name, "Ana Coordinadora")
    qtbot.keyClicks(page.secret, "135790")
    qtbot.keyClicks(page.repeat, "1375")
    page.create.click()
    assert "not the same" in page.message.text()
    assert not empty_store.has_users()

    page.repeat.clear()
    qtbot.keyClicks(page.repeat, "135790")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    assert window.workspace is not None
    assert window.user.role == "admin"
    assert empty_store.get_setting("clinic_name") == "Clínica Norte"
    assert empty_store.get_setting("study_name") == "MSC-MS"
    assert "Clínica Norte" in window.windowTitle()
    assert window.admin_menu.menuAction().isVisible()
    qtbot.waitUntil(lambda: not window.workspace.worklist.model.loading)
    assert window.workspace.worklist.count.text().startswith("0 submissions · updated ")


def test_first_run_reports_a_too_short_pin_in_plain_words(make_desk, empty_store, qtbot):
    window = make_desk(empty_store)
    page = window.first_run
    for field, text in ((page.clinic, "C"), (page.study, "S"), (page.username, "bo"),
                        (page.secret, "12"), (page.repeat, "12")):
        qtbot.keyClicks(field, text)
    page.create.click()
    assert page.message.text() == "A PIN needs at least 6 digits."
    assert window.workspace is None
    for field in (page.secret, page.repeat):  # a password: 8 characters
        field.setText("abc-123")
    page.create.click()
    assert "A password needs at least 8 characters" in page.message.text()
    assert window.workspace is None


def test_sign_in_and_lockout_after_five_wrong_pins(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    page = window.sign_in_page
    assert window.current_page() is page
    assert "Demo Clinic" in page.intro.text()
    page.username.setText("demo-coordinator")
    for attempt in range(5):
        page.secret.setText("0000")
        qtbot.keyClick(page.secret, Qt.Key.Key_Return)
        assert window.workspace is None
        if attempt < 4:
            assert "Sign-in refused" in page.message.text()
        else:  # the fifth locked the account, and the page says so plainly
            assert "locked for a few minutes" in page.message.text()
        assert page.secret.text() == ""  # never left on screen
    user = seeded_store.get_user("demo-coordinator")
    assert user.locked_until is not None and user.failed_attempts >= 5
    page.secret.setText(DEMO_PIN)  # the right PIN, but the account is locked
    page.button.click()
    assert window.workspace is None
    assert "locked" in page.message.text()
    # Another account is not affected; an admin can lift the lock with a new PIN.
    sign_in(qtbot, window, "demo-admin")
    dialog = window.open_users()
    row = next(i for i, u in enumerate(dialog.users) if u.username == "demo-coordinator")
    assert "Locked until" in dialog.table.item(row, 3).text()
    dialog.table.selectRow(row)
    dialog.reset_secret.setText("975310")
    dialog.reset_repeat.setText("975310")
    dialog.reset_button.click()
    assert "new PIN" in dialog.message.text()
    dialog.close()
    window.sign_out()
    sign_in(qtbot, window, "demo-coordinator", "975310")
    assert window.user.username == "demo-coordinator"


def test_idle_sign_out_closes_everything(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    first = window.workspace.worklist.model.row_at(0)
    window.workspace.open_submission(first.id)
    assert window.workspace.count() == 2
    window.idle.start(0.002)  # about 120 ms without input
    qtbot.waitUntil(lambda: window.workspace is None, timeout=3000)
    assert window.current_page() is window.sign_in_page
    assert "without activity" in window.sign_in_page.message.text()
    assert window.user is None
    assert not window.menu_actions["new_intake"].isEnabled()
    assert window.sign_in_page.username.text() == "demo-coordinator"


def test_idle_minutes_come_from_the_clinic_setting(qtbot, make_desk, seeded_store):
    seeded_store.set_setting("desk_idle_minutes", 7, actor="test")
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    assert window.idle.timer.interval() == 7 * 60_000
    assert window.idle.timer.isActive()


def test_admin_adds_disables_and_resets_users(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    dialog = window.open_users()
    qtbot.keyClicks(dialog.new_username, "maria")
    dialog.new_name.setText("María Clínica")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData("clinician"))
    qtbot.keyClicks(dialog.new_secret, "258036")
    qtbot.keyClicks(dialog.new_repeat, "258036")
    dialog.new_name.setText("Mar\u202eía")  # a right-to-left override: refused, said
    dialog.add_button.click()
    assert dialog.message.text() == dialog.t("desk.store.user_name_text", count=64, full=200)
    assert [u.username for u in seeded_store.list_users()].count("maria") == 0
    dialog.new_name.setText("María Clínica")
    dialog.add_button.click()
    assert "maria was added" in dialog.message.text()
    assert seeded_store.get_user("maria").role == "clinician"
    assert dialog.selected().username == "maria"

    dialog.toggle.click()
    assert seeded_store.get_user("maria").disabled
    assert "Disabled" in dialog.table.item(dialog.users.index(dialog.selected()), 3).text()
    dialog.toggle.click()
    assert not seeded_store.get_user("maria").disabled

    # The last administrator cannot be disabled: the store refuses, the dialog says why.
    dialog.reload(select="demo-admin")
    dialog.toggle.click()
    assert "At least one administrator" in dialog.message.text()
    assert not seeded_store.get_user("demo-admin").disabled

    inputs = dialog.settings_box.inputs
    assert set(inputs) == set(SETTINGS)  # every setting of the store's registry, as the CLI's
    assert (inputs["kiosk_idle_seconds"].minimum(), inputs["kiosk_idle_seconds"].maximum()) == (
        30, 1800)
    assert inputs["clinic_name"].text() == seeded_store.get_setting("clinic_name")
    inputs["desk_idle_minutes"].setValue(9)
    inputs["kiosk_idle_seconds"].setValue(600)
    assert inputs["summary_language"].currentData() == "candidate"
    inputs["summary_language"].setCurrentIndex(inputs["summary_language"].findData("en"))
    dialog.save_settings.click()
    assert seeded_store.get_setting("desk_idle_minutes") == 9
    assert seeded_store.get_setting("kiosk_idle_seconds") == 600
    assert seeded_store.get_setting("summary_language") == "en"  # read by every PDF export
    inputs["clinic_name"].setText("North\u202eclinic")  # a control character: refused, said
    dialog.save_settings.click()
    assert dialog.message.text() == dialog.t("desk.store.setting_text", count=200)
    dialog.close()
    assert window.idle.timer.interval() == 9 * 60_000


def test_only_administrators_see_user_administration(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-coordinator")
    assert not window.admin_menu.menuAction().isVisible()
    assert window.open_users() is None


@pytest.mark.parametrize(("username", "full_name", "role"), DEMO_USERS)
def test_the_status_bar_names_the_person_and_role_not_the_login(qtbot, make_desk, seeded_store,
                                                                username, full_name, role):
    """Seen: the header named the login ("demo-coordinator"), not the person."""
    window = make_desk(seeded_store)
    sign_in(qtbot, window, username)
    shown = window.who.text()
    assert shown.startswith(f"Signed in as {full_name} ({window.t(f'desk.role.{role}')})")
    assert username not in shown
