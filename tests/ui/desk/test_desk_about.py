"""Help > About says the app's version (what support asks first)."""

from __future__ import annotations

from screening_app.version import app_version


def test_about_says_the_version_even_before_signing_in(qtbot, make_desk, seeded_store, dialogs):
    window = make_desk(seeded_store)
    about = window.menu_actions["about"]
    assert about.isEnabled()
    about.trigger()
    assert any(f"version {app_version()}." in text for text in dialogs.messages("info"))
