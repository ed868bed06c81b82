"""Issue 15, "Room for the questions": a person's text size and contrast stay with their
draft, so they come back after "Continue with a code" (and the next person at the kiosk
starts with the normal look)."""

from __future__ import annotations

from tests.ui.kiosk_driver import Driver


def take_a_break_and_come_back(person, kiosk, *, before_code=None) -> None:
    code = kiosk.controller.code
    person.click(kiosk.flow_page.break_button)
    person.click(kiosk.break_page.finish)
    assert (kiosk.theme.text, kiosk.theme.contrast) == ("normal", False)  # the next person's
    person.click(kiosk.welcome.resume)
    if before_code is not None:
        before_code()
    person.bot.keyClicks(kiosk.resume_page.code, code)
    person.click(kiosk.resume_page.go)
    assert kiosk.current_page() is kiosk.flow_page


def test_the_text_size_and_contrast_come_back_with_the_draft(qtbot, kiosk, store):
    person = Driver(qtbot, kiosk)
    person.start("es")
    person.click(kiosk.top_bar.largest)
    person.click(kiosk.top_bar.contrast)
    record = store.get_submission(kiosk.controller.submission_id)
    assert (record.text_size, record.high_contrast) == ("largest", True)
    take_a_break_and_come_back(person, kiosk)
    assert (kiosk.theme.text, kiosk.theme.contrast) == ("largest", True)
    assert kiosk.top_bar.largest.isChecked() and kiosk.top_bar.contrast.isChecked()
    assert kiosk.lang == "es"


def test_a_look_chosen_before_start_stays_with_the_draft(qtbot, kiosk, store):
    person = Driver(qtbot, kiosk)
    person.click(kiosk.top_bar.larger)  # on the welcome page
    person.start()
    assert store.get_submission(kiosk.controller.submission_id).text_size == "larger"
    take_a_break_and_come_back(person, kiosk)
    assert kiosk.theme.text == "larger" and kiosk.top_bar.larger.isChecked()


def test_a_look_chosen_again_on_the_code_page_wins(qtbot, kiosk, store):
    person = Driver(qtbot, kiosk)
    person.start()
    person.click(kiosk.top_bar.larger)
    take_a_break_and_come_back(person, kiosk, before_code=lambda: person.click(kiosk.top_bar.contrast))
    assert (kiosk.theme.text, kiosk.theme.contrast) == ("normal", True)
    record = store.get_submission(kiosk.controller.submission_id)
    assert (record.text_size, record.high_contrast) == ("normal", True)
