"""Desk users (scrypt, lockout, disabling) and clinic settings."""

from __future__ import annotations

import pytest

from screening_app.store import AuthError, ErrorCode, Store, StoreError


def test_create_and_authenticate(store: Store):
    assert not store.has_users()
    user = store.create_user("lee", "Dr. Lee", "clinician", "482193")
    assert store.has_users()
    assert (user.username, user.display_name, user.role, user.disabled) == (
        "lee", "Dr. Lee", "clinician", False)
    signed_in = store.authenticate("LEE", "482193")  # user names ignore case
    assert signed_in.id == user.id and signed_in.last_sign_in_at is not None
    stored = store._rows("SELECT secret_hash FROM users")[0]["secret_hash"]
    assert stored.startswith("scrypt$") and "482193" not in stored


def test_refusals_do_not_say_what_was_wrong(store: Store):
    store.create_user("lee", "Dr. Lee", "clinician", "482193")
    with pytest.raises(AuthError) as wrong_secret:
        store.authenticate("lee", "0000")
    with pytest.raises(AuthError) as unknown_user:
        store.authenticate("nobody", "482193")
    assert wrong_secret.value.code == unknown_user.value.code == ErrorCode.REFUSED
    assert wrong_secret.value.message == unknown_user.value.message


def test_lockout_after_five_failures_for_five_minutes(store: Store, clock):
    store.create_user("lee", "Dr. Lee", "clinician", "482193")
    for _ in range(5):
        with pytest.raises(AuthError):
            store.authenticate("lee", "0000")
    assert store.get_user("lee").locked_until is not None
    with pytest.raises(AuthError):
        store.authenticate("lee", "482193")  # right secret, but locked
    clock.advance(minutes=4)
    with pytest.raises(AuthError):
        store.authenticate("lee", "482193")
    clock.advance(minutes=1, seconds=1)
    assert store.authenticate("lee", "482193").failed_attempts == 0
    refusals = [r["new_value"] for r in store._rows(
        "SELECT new_value FROM audit_log WHERE action = 'sign_in_refused' ORDER BY id")]
    assert refusals == ['"wrong_secret"'] * 4 + ['"locked_now"', '"locked"', '"locked"']


def test_four_failures_do_not_lock(store: Store):
    store.create_user("lee", "Dr. Lee", "clinician", "482193")
    for _ in range(4):
        with pytest.raises(AuthError):
            store.authenticate("lee", "0000")
    assert store.authenticate("lee", "482193").username == "lee"


def test_disabled_users_are_refused_and_reset_lifts_lockout(store: Store):
    store.create_user("admin", "Admin", "admin", "secret-1")
    store.create_user("kim", "Kim", "coordinator", "123456")
    store.set_user_disabled("kim", True, actor="admin")
    with pytest.raises(AuthError):
        store.authenticate("kim", "123456")
    store.set_user_disabled("kim", False, actor="admin")
    for _ in range(5):
        with pytest.raises(AuthError):
            store.authenticate("kim", "9999")
    store.reset_secret("kim", "567890", actor="admin")
    assert store.authenticate("kim", "567890").username == "kim"
    with pytest.raises(AuthError):
        store.authenticate("kim", "123456")


def test_last_admin_stays_enabled(store: Store):
    store.create_user("admin", "Admin", "admin", "secret-1")
    with pytest.raises(StoreError, match="administrator"):
        store.set_user_disabled("admin", True, actor="admin")
    store.create_user("admin2", "Admin 2", "admin", "secret-2")
    store.set_user_disabled("admin", True, actor="admin2")
    assert [u.disabled for u in store.list_users()] == [True, False]


def test_user_input_checks(store: Store):
    with pytest.raises(StoreError, match="at least 6 digits"):
        store.create_user("kim", "Kim", "coordinator", "12345")
    with pytest.raises(StoreError, match="at least 8 characters"):
        store.create_user("kim", "Kim", "coordinator", "pass-12")
    with pytest.raises(StoreError, match="at least 8 characters"):
        store.create_user("kim", "Kim", "coordinator", "١٢٣٤٥٦")  # not ASCII digits: a password
    with pytest.raises(ValueError):
        store.create_user("kim", "Kim", "superuser", "123456")
    for username, full_name in (("kim\x1b[2J", "Kim"), ("kim", "Kim \u202enimda"),
                                ("kim", "Kim\x00"), ("kim", "\ud800"), ("k" * 65, "Kim")):
        with pytest.raises(StoreError) as refused:
            store.create_user(username, full_name, "coordinator", "123456")
        assert refused.value.code is ErrorCode.USER_NAME_TEXT
    store.create_user("kim", "Kim", "coordinator", "123456")
    with pytest.raises(StoreError, match="already exists"):
        store.create_user("KIM", "Kim again", "coordinator", "123456")


def test_settings_defaults_changes_and_audit(store: Store):
    assert store.get_setting("kiosk_idle_seconds") == 180
    assert store.get_setting("desk_idle_minutes") == 15
    with pytest.raises(KeyError):  # every setting the app reads is registered
        store.get_setting("unknown")
    store.set_setting("clinic_name", "Clínica Norte", actor="admin")
    store.set_setting("kiosk_idle_seconds", 120, actor="admin")
    store.set_setting("kiosk_idle_seconds", 120, actor="admin")  # no change, no audit row
    store.set_setting("study_name", "", actor="admin")  # never set, given its default: none
    assert store.all_settings()["clinic_name"] == "Clínica Norte"
    assert store.get_setting("kiosk_idle_seconds") == 120
    with pytest.raises(StoreError) as refused:
        store.set_setting("kiosk_idle_seconds", 0, actor="admin")
    assert refused.value.code is ErrorCode.SETTING_RANGE
    rows = store._rows("SELECT item, old_value, new_value FROM audit_log"
                       " WHERE action = 'setting_changed' ORDER BY id")
    assert rows == [{"item": "clinic_name", "old_value": '""', "new_value": '"Clínica Norte"'},
                    {"item": "kiosk_idle_seconds", "old_value": "180", "new_value": "120"}]
