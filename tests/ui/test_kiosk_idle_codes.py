"""The idle countdown and resume codes: "Are you still there?" never leads back to a code.

A resume code opens a person's draft (name, birth date, phone). Whoever taps "Yes, I am
still here" may be the next patient, so a page that shows or holds a code (the break page,
the code page with something typed) is never put behind the countdown: at the idle time
the code goes and the welcome page comes (docs/kiosk.md, "Idle").
"""

from __future__ import annotations

from tests.ui.kiosk_driver import Driver
from tests.ui.test_kiosk_privacy import STAFF_KEYS, assert_nothing_of, walk_away


def a_draft_and_its_code(person: Driver, kiosk) -> str:
    """Ana starts, takes a break and finishes for now: her code is all that leads back."""
    person.start()
    person.type("first_name", "Ana")
    person.click(kiosk.flow_page.break_button)
    code = kiosk.controller.code
    person.click(kiosk.break_page.finish)
    assert kiosk.current_page() is kiosk.welcome
    return code


def pages_seen(kiosk) -> list:
    seen = []
    kiosk.stack.currentChanged.connect(lambda _: seen.append(kiosk.current_page()))
    return seen


def test_a_typed_code_goes_at_the_idle_time_and_still_here_cannot_bring_it_back(qtbot, make_kiosk):
    """Seen in review: the code typed on "Continue with a code" came back in plain text
    after "Are you still there?" and "Yes, I am still here"."""
    kiosk = make_kiosk(idle_countdown=30)
    person = Driver(qtbot, kiosk)
    code = a_draft_and_its_code(person, kiosk)
    person.click(kiosk.welcome.resume)
    person.bot.keyClicks(kiosk.resume_page.code, code)
    assert kiosk.resume_page.code.text() == code
    seen = pages_seen(kiosk)
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is not kiosk.resume_page, timeout=3000)
    # The review's steps: whoever comes taps "Yes, I am still here" if it is on screen
    # (within the 30 s countdown, it was; the code page came back, the code in it).
    if kiosk.current_page() is kiosk.idle_page:
        person.click(kiosk.idle_page.stay)
    assert kiosk.current_page() is kiosk.welcome
    assert kiosk.idle_page not in seen  # no countdown at all in front of a code
    assert kiosk.resume_page.code.text() == ""
    assert_nothing_of(kiosk, "Ana", code)
    # The next person finds the welcome page; the code page they open is empty.
    person.click(kiosk.welcome.resume)
    assert kiosk.current_page() is kiosk.resume_page
    assert kiosk.resume_page.code.text() == ""
    assert kiosk.controller.session is None


def test_an_empty_code_page_is_asked_about_and_kept(qtbot, make_kiosk):
    """The rule is about codes, not the page: with nothing typed, "still there?" is asked
    and "Yes, I am still here" returns to the (empty) code page."""
    kiosk = make_kiosk(idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.resume)
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.idle_page, timeout=3000)
    person.click(kiosk.idle_page.stay)
    assert kiosk.current_page() is kiosk.resume_page
    assert kiosk.resume_page.code.text() == ""


def test_a_code_under_the_staff_exit_does_not_come_back_after_the_countdown(qtbot, make_kiosk):
    """The staff exit opened over a typed code, then nobody: "still there?" would have
    returned to the page under the staff exit, the code in it."""
    kiosk = make_kiosk(idle_countdown=30)
    person = Driver(qtbot, kiosk)
    code = a_draft_and_its_code(person, kiosk)
    person.click(kiosk.welcome.resume)
    person.bot.keyClicks(kiosk.resume_page.code, code)
    qtbot.keyClick(kiosk.resume_page.code, *STAFF_KEYS)
    assert kiosk.current_page() is kiosk.staff_page
    seen = pages_seen(kiosk)
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    assert kiosk.idle_page not in seen and kiosk.resume_page not in seen
    assert_nothing_of(kiosk, "Ana", code)


def test_the_break_page_under_the_staff_exit_does_not_come_back_either(qtbot, make_kiosk):
    kiosk = make_kiosk(idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.start()
    person.type("first_name", "Ana")
    person.click(kiosk.flow_page.break_button)
    code = kiosk.controller.code
    qtbot.keyClick(kiosk, *STAFF_KEYS)
    assert kiosk.current_page() is kiosk.staff_page
    seen = pages_seen(kiosk)
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    assert kiosk.idle_page not in seen and kiosk.break_page not in seen
    assert kiosk.controller.session is None
    assert_nothing_of(kiosk, "Ana", code)


def test_the_break_page_gives_way_after_a_minute_whatever_the_clinic_idle_time(qtbot, make_kiosk):
    """docs/kiosk.md: the code after "Save and continue later" stays 60 s without a touch
    (the clinic's idle time is longer), also when the staff exit was opened and cancelled."""
    kiosk = make_kiosk(idle_seconds=600)  # break_seconds: the shipped minute
    person = Driver(qtbot, kiosk)
    person.start()
    person.click(kiosk.flow_page.break_button)
    assert kiosk.current_page() is kiosk.break_page
    assert kiosk.idle.seconds == 60 and 0 < kiosk.idle.remaining <= 60
    qtbot.keyClick(kiosk, *STAFF_KEYS)
    person.click(kiosk.staff_page.cancel)
    assert kiosk.current_page() is kiosk.break_page
    assert kiosk.break_page.code.text() == kiosk.controller.code
    assert kiosk.idle.seconds == 60 and 0 < kiosk.idle.remaining <= 60
    # Back to the questions: the clinic's idle time again.
    person.click(kiosk.break_page.resume)
    assert kiosk.current_page() is kiosk.flow_page
    assert kiosk.idle.seconds == 600

