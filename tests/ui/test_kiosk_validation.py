"""Each kind of validation: shown next to the field with an icon and words, Next refused,
the first problem focused; a soft warning is confirmed with "Yes, this is correct"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.kiosk_driver import Driver, settle


def problem_of(person: Driver, path: str) -> tuple[str, str] | None:
    """(icon, text) of the message under a field, or None when it shows none."""
    settle()
    widget = person.widget(path)
    if not widget.message.isVisibleTo(person.window):
        return None
    return widget.message.icon._kind, widget.message.text.text()


@pytest.fixture
def person(qtbot, kiosk) -> Driver:
    driver = Driver(qtbot, kiosk)
    driver.start("en")
    return driver


def go_to(person: Driver, step: str) -> None:
    person.window.flow.show_step(step)
    settle()


def test_next_on_an_empty_step_shows_every_problem_and_focuses_the_first(person, kiosk, store):
    person.next()
    assert person.step == "about_you"
    assert problem_of(person, "first_name") == ("error", "Please answer this question.")
    assert problem_of(person, "sex_at_birth") == ("error", "Please answer this question.")
    assert problem_of(person, "preferred_name") is None  # optional
    assert QApplication.focusWidget() is person.widget("first_name").edit
    assert kiosk.flow_page.status.message() == "5 answers need your attention"
    # The message is part of what a screen reader announces for the field.
    assert "Please answer this question." in person.widget("first_name").edit.accessibleDescription()
    # Fixing it clears the message at once; the count follows.
    person.type("first_name", "Ana")
    assert problem_of(person, "first_name") is None
    assert kiosk.flow_page.status.message().startswith("4 answers")
    assert store.get_submission(kiosk.controller.submission_id).current_step == "about_you"


def test_a_problem_shows_when_the_person_moves_on_not_while_typing(person, qtbot):
    person.type("email", "ana@", leave=False)
    assert problem_of(person, "email") is None
    qtbot.keyClick(person.widget("email").edit, Qt.Key.Key_Tab)
    assert problem_of(person, "email") == (
        "error", "Please check the email address. It should look like name@example.com.")
    qtbot.keyClicks(person.widget("email").edit, "x")  # typing elsewhere changes nothing
    person.type("email", "example.org")
    assert problem_of(person, "email") is None


@pytest.mark.parametrize(("path", "typed", "message"), [
    ("phone", "12",
     "Please enter a phone number with 7 to 20 digits. You can use spaces, dashes, brackets and a + sign."),
    ("first_name", "A" * 101,
     "Please make this answer shorter: at most 100 letters and spaces (it now has 101)."),
])
def test_text_formats(person, path, typed, message):
    person.type(path, typed)
    assert problem_of(person, path) == ("error", message)


@pytest.mark.parametrize(("typed", "message"), [
    ("2030-01-10", "This date is in the future. Please check it."),
    ("1980-02-31", "Please enter a real date (day, month and year)."),
    ("1880-01-10", "Please check the date of birth: it gives an age over 120 years."),
])
def test_dates(person, typed, message):
    person.date("date_of_birth", typed)
    assert problem_of(person, "date_of_birth") == ("error", message)


def test_an_incomplete_date_keeps_its_parts_and_says_what_is_missing(person, store, kiosk):
    widget = person.widget("date_of_birth")
    person.click(widget.day)
    person.bot.keyClicks(widget.day, "17")
    person.click(widget.year)
    person.bot.keyClicks(widget.year, "1980")
    person.bot.keyClick(widget.year, Qt.Key.Key_Tab)
    assert problem_of(person, "date_of_birth") == ("error", "Please enter a real date (day, month and year).")
    assert store.answers(kiosk.controller.submission_id)["date_of_birth"] == "1980--17"


@pytest.mark.parametrize(("path", "typed", "message"), [
    ("relapses_12_months", "two", "Please enter a whole number, like 3."),
    ("relapses_12_months", "25", "Please enter 20 or less."),
    ("relapses_12_months", "-1", "Please enter 0 or more."),
])
def test_numbers(person, path, typed, message):
    person.choose("sex_at_birth", "male")
    go_to(person, "diagnosis")
    person.choose("ms_diagnosed", "yes")
    go_to(person, "relapses")
    person.type(path, typed)
    assert problem_of(person, path) == ("error", message)


def test_decimal_steps_and_years(person):
    go_to(person, "mobility")
    person.choose("edss_known", "yes")
    person.type("edss_score", "4,3")  # a comma works as the decimal mark
    assert problem_of(person, "edss_score") == (
        "error", "Please enter a number in steps of 0.5, such as 4.5.")
    person.clear_text("edss_score")
    person.type("edss_score", "4,5")
    assert problem_of(person, "edss_score") is None
    assert person.session.answers["edss_score"] == 4.5
    go_to(person, "diagnosis")
    person.choose("ms_diagnosed", "yes")
    person.type("diagnosis_year", "85")
    assert problem_of(person, "diagnosis_year") == (
        "error", "Please enter a year with four digits, like 2019.")


def test_a_check_between_two_answers(person):
    go_to(person, "diagnosis")
    person.choose("ms_diagnosed", "yes")
    go_to(person, "relapses")
    person.type("relapses_12_months", "3")
    person.type("relapses_24_months", "1")
    assert problem_of(person, "relapses_24_months") == (
        "error", "This number cannot be smaller than the number for the past 12 months, "
                 "because it includes them.")


def test_a_soft_warning_is_confirmed_and_the_confirmation_is_stored(person, kiosk, store):
    go_to(person, "diagnosis")
    person.fill_step({"ms_diagnosed": "yes", "ms_type": "rrms", "diagnosis_year": 2015})
    person.type("symptom_onset_year", "2016")
    widget = person.widget("symptom_onset_year")
    assert problem_of(person, "symptom_onset_year") == (
        "warning", "This is after the year of your diagnosis. Please check that it is right.")
    assert widget.message.confirm.text() == "Yes, this is correct"
    amber = kiosk.theme.colours.warning
    assert widget.message.icon.palette().windowText().color().name() == amber  # not a red icon
    person.next()
    assert person.step == "diagnosis"  # not confirmed yet
    # The footer looks like the warning (amber, a triangle), not like an error.
    status = kiosk.flow_page.status
    assert status.message() == kiosk.t("kiosk.nav.check_one")
    assert status.property("severity") == "warning" and status.icon._kind == "warning"
    assert status.text.palette().windowText().color().name() == amber
    person.clear_text("diagnosis_year")  # an error instead: the footer is an error's
    person.next()
    assert status.message() == kiosk.t("kiosk.nav.fix_one")
    assert status.property("severity") == "error" and status.icon._kind == "error"
    assert status.text.palette().windowText().color().name() == kiosk.theme.colours.error
    person.type("diagnosis_year", "2015")
    assert status.property("severity") == "warning"
    person.click(widget.message.confirm)
    sid = kiosk.controller.submission_id
    assert "symptom_onset_year" in store.confirmed_paths(sid)
    person.next()
    assert person.step == "mobility"
    # Changing the answer asks again.
    go_to(person, "diagnosis")
    person.clear_text("symptom_onset_year")
    person.type("symptom_onset_year", "2017")
    assert "symptom_onset_year" not in store.confirmed_paths(sid)
    assert not person.widget("symptom_onset_year").message.confirm.isChecked()


def test_consent_signature_and_group_are_required(person, kiosk):
    go_to(person, "treatments")
    person.choose("ever_treated", "yes")
    person.next()
    assert problem_of(person, "treatments") == ("error", "Please add at least one entry.")
    assert QApplication.focusWidget() is person.form.widgets["treatments"].add_button
    go_to(person, "consent")
    person.clear_text("signer_name")
    person.next()
    assert problem_of(person, "consent_contact") == (
        "error", "Please tick the box to agree before you continue.")
    assert problem_of(person, "signature") == ("error", "Please sign in the box.")
    assert problem_of(person, "signer_name") == ("error", "Please answer this question.")
    assert kiosk.current_page() is kiosk.flow_page
