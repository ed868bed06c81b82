"""Issue 15: the thank-you page says when the study team will call, from a clinic setting.
Issue 17: the clinic may write that line itself, in each language the kiosk speaks; the
patient reads the one of their session, and the built-in words when the clinic wrote none."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

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


CLINIC_EN = "Maria from the study team will call you within two weeks. Questions? Call 555-0100."
CLINIC_ES = "María, del equipo del estudio, le llamará en dos semanas. ¿Preguntas? Llame al 555-0100."


def test_the_clinic_words_are_said_in_the_session_language(qtbot, make_kiosk, store, complete):
    store.set_setting("kiosk_thank_you_en", CLINIC_EN, "admin")
    store.set_setting("kiosk_thank_you_es", CLINIC_ES, "admin")
    kiosk = make_kiosk()
    person = Driver(qtbot, kiosk)
    person.start("es")
    kiosk.show_thanks()
    page = kiosk.thanks_page
    assert kiosk.current_page() is page and page.contact.isVisible()
    assert page.contact.text() == CLINIC_ES
    # The clinic's words take the contact line's place only: the page still says the
    # questionnaire decides nothing, in the session's language.
    assert page.next_text.text() == kiosk.t("kiosk.thanks.next")
    assert "no decide si usted puede participar" in page.next_text.text()
    kiosk.set_language("en")
    assert page.contact.text() == CLINIC_EN


def test_a_language_without_clinic_words_gets_the_built_in_ones_not_another_language(
        qtbot, make_kiosk, store):
    store.set_setting("kiosk_contact_working_days", 4, "admin")
    store.set_setting("kiosk_thank_you_en", CLINIC_EN, "admin")  # no Spanish written
    kiosk = make_kiosk()
    kiosk.set_language("es")
    assert kiosk.thanks_page.contact.text() == (
        "El equipo del estudio se comunicará con usted en un plazo de 4 días hábiles.")
    kiosk.set_language("en")
    assert kiosk.thanks_page.contact.text() == CLINIC_EN


def test_clearing_the_clinic_words_brings_the_built_in_ones_back(qtbot, make_kiosk, store):
    store.set_setting("kiosk_thank_you_en", CLINIC_EN, "admin")
    store.set_setting("kiosk_thank_you_en", "", "admin")
    kiosk = make_kiosk()
    kiosk.set_language("en")
    assert kiosk.thanks_page.contact.text() == (
        "The study team will contact you within 10 working days.")


def test_clinic_words_are_shown_as_text_never_as_markup(qtbot, make_kiosk, store):
    words = "<b>Call</b> <a href='x'>555-0100</a> &amp; bring <img src='y'> your card"
    store.set_setting("kiosk_thank_you_en", words, "admin")
    kiosk = make_kiosk()
    kiosk.set_language("en")
    assert kiosk.thanks_page.contact.text() == words
    assert kiosk.thanks_page.contact.textFormat() == Qt.TextFormat.PlainText


def test_clinic_words_written_by_hand_that_no_longer_fit_are_never_shown(qtbot, make_kiosk, store):
    with store._write() as tx:  # as an older version or a hand-edit could leave them
        tx.execute("INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES"
                   " ('kiosk_thank_you_en', ?, '2026-01-01T00:00:00+00:00', 'old')",
                   ('"You qualify!\\u202e"',))
        tx.execute("INSERT INTO settings (key, value_json, updated_at, updated_by) VALUES"
                   " ('kiosk_thank_you_es', '42', '2026-01-01T00:00:00+00:00', 'old')")
    kiosk = make_kiosk()
    kiosk.set_language("en")
    assert kiosk.thanks_page.contact.text() == (
        "The study team will contact you within 10 working days.")
    kiosk.set_language("es")
    assert "10 días hábiles" in kiosk.thanks_page.contact.text()
