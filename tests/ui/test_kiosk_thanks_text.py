"""Issue 15: the thank-you page says when the study team will call, from a clinic setting."""

from __future__ import annotations

import pytest

from screening_app.store import StoreError
from tests.ui.kiosk_driver import Driver


@pytest.mark.parametrize(("lang", "days", "words"), [
    ("en", 3, "The study team will contact you within 3 working days."),
    ("es", 3, "El equipo del estudio se comunicará con usted en un plazo de 3 días hábiles."),
    ("en", 1, "The study team will contact you within one working day."),
])
def test_the_thank_you_page_says_when_the_team_calls_from_the_setting(qtbot, make_kiosk, store, lang,
                                                                       days, words):
    store.set_setting("kiosk_contact_working_days", days, "admin")
    kiosk = make_kiosk()
    kiosk.set_language(lang)
    assert kiosk.thanks_page.contact.text() == words


def test_without_the_setting_the_default_is_said_and_a_bad_value_never_shows(qtbot, make_kiosk, store):
    kiosk = make_kiosk()
    assert "within 10 working days" in kiosk.thanks_page.contact.text()
    with pytest.raises(StoreError):  # the store's settings registry: 1..90 working days
        store.set_setting("kiosk_contact_working_days", 0, "admin")
    with pytest.raises(StoreError):
        store.set_setting("kiosk_contact_working_days", "3", "admin")


def test_the_words_are_on_the_thank_you_page_after_sending(qtbot, make_kiosk, store, complete):
    store.set_setting("kiosk_contact_working_days", 5, "admin")
    kiosk = make_kiosk()
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.show_thanks()
    assert kiosk.current_page() is kiosk.thanks_page
    assert kiosk.thanks_page.contact.isVisible()
    assert kiosk.thanks_page.contact.text() == "The study team will contact you within 5 working days."
