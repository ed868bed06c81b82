"""Issue 15, "Checks that help instead of scold": a question revealed or an entry added after
Next starts neutral; no message for a date while its parts are being filled; the footer's
count is a button to the first problem; "Yes, this is correct" updates the footer at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_touch import opened


def problem_shown(person, path: str) -> bool:
    return person.widget(path).message.isVisibleTo(person.form)


def count(kiosk) -> str:
    return kiosk.flow_page.status.message()


def test_a_follow_up_revealed_after_next_starts_neutral_and_is_not_counted(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "health")
    for path in ("cancer_history", "conditions", "anesthesia_problems", "blood_thinners"):
        person.session.set_answer(path, None)
    kiosk.flow.show_step("health")
    person.next()
    assert count(kiosk) == "4 answers need your attention"
    person.choose("cancer_history", "yes")  # reveals type, year and "basal cell only"
    settle()
    for follow_up in ("cancer_type", "cancer_year", "cancer_basal_cell_only"):
        assert person.shown(follow_up) and not problem_shown(person, follow_up), follow_up
    assert count(kiosk) == "3 answers need your attention"  # one fixed, none added
    # Left filled wrongly, it speaks up.
    person.type("cancer_year", "1700")
    assert problem_shown(person, "cancer_year")
    assert count(kiosk) == "4 answers need your attention"
    # The next Next checks them all.
    person.next()
    assert problem_shown(person, "cancer_type") and problem_shown(person, "cancer_basal_cell_only")


def test_an_entry_added_after_next_starts_neutral(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "treatments")
    person.session.set_answer("prior_cell_therapy", None)
    kiosk.flow.show_step("treatments")
    person.next()
    assert count(kiosk) == "1 answer needs your attention"
    group = person.widget("treatments")
    person.click(group.add_button)
    settle()
    row = group.rows()[-1]
    card = group.card(row)
    assert card.expanded
    assert not any(w.message.isVisibleTo(card) for w in card.fields.values())
    assert not card.attention.isVisibleTo(card)
    assert count(kiosk) == "1 answer needs your attention"
    person.click(card.done_button)  # closed unfinished: still neutral until Next
    assert not card.attention.isVisibleTo(card)
    person.next()
    assert card.attention.isVisibleTo(card)


def test_no_message_for_a_date_while_its_parts_are_being_filled(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.start()
    person.next()  # every problem shown: "Please answer this question." under the birth date
    widget = person.widget("date_of_birth")
    assert problem_shown(person, "date_of_birth")
    person.click(widget.day)
    person.bot.keyClicks(widget.day, "17")
    settle()
    # Moving on to the month: no "Please enter a real date" meanwhile.
    assert not problem_shown(person, "date_of_birth")
    widget.month.setFocus()
    person.bot.keyClick(widget.month, Qt.Key.Key_Down)
    settle()
    assert not problem_shown(person, "date_of_birth")
    person.click(widget.year)
    person.bot.keyClicks(widget.year, "19")
    settle()
    assert not problem_shown(person, "date_of_birth")
    # Leaving the date half done is when it speaks.
    person.click(person.widget("phone").edit)
    settle()
    assert problem_shown(person, "date_of_birth")
    assert "real date" in person.widget("date_of_birth").message.text.text()


def test_the_footer_count_is_a_button_that_goes_to_the_first_problem(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "about_you")
    person.session.set_answer("first_name", None)
    kiosk.flow.show_step("about_you")
    scroll = kiosk.flow_page.scroll
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    settle()
    person.next()
    status = kiosk.flow_page.status
    assert status.clickable and count(kiosk) == "1 answer needs your attention"
    first = person.widget("first_name").edit
    assert first.visibleRegion().isEmpty()  # the page did not jump under the finger
    person.tap(status)
    settle()
    assert not first.visibleRegion().isEmpty()
    assert QApplication.focusWidget() is first
    # Enter on the count does the same (it is a Tab stop while it counts).
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    status.setFocus()
    person.bot.keyClick(status, Qt.Key.Key_Return)
    settle()
    assert QApplication.focusWidget() is first and not first.visibleRegion().isEmpty()


def test_yes_this_is_correct_updates_the_footer_at_once(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "diagnosis")
    person.session.set_answer("symptom_onset_year", 2023)  # after the diagnosis: a warning
    kiosk.flow.show_step("diagnosis")
    person.next()
    assert count(kiosk) == "1 answer needs checking"
    confirm = person.widget("symptom_onset_year").message.confirm
    person.click(confirm)
    assert count(kiosk) == ""  # no wait for another change
    assert not kiosk.flow_page.status.isVisible()


@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
@pytest.mark.parametrize("step", ["about_you", "consent"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_footer_keeps_its_height_when_its_message_comes(qtbot, kiosk, text, step, lang):
    """The footer's message sits between Back and Next and never changes the footer, at
    every text size on the smallest screen, on the step whose Next ("Send my answers")
    leaves it least room."""
    kiosk.resize(1024, 768)
    person = Driver(qtbot, kiosk)
    person.start(lang)
    kiosk.set_theme(text=text)
    kiosk.flow.show_step(step)
    settle()
    footer = kiosk.flow_page.footer
    before = (footer.geometry(), kiosk.flow_page.next_button.mapTo(kiosk, QPoint(0, 0)))
    person.next()
    settle()
    assert kiosk.flow_page.status.isVisible()
    assert (footer.geometry(), kiosk.flow_page.next_button.mapTo(kiosk, QPoint(0, 0))) == before
