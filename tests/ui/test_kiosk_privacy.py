"""Idle timeout, take-a-break, resume by code, and a window that cannot be left."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit

from screening_app.i18n import tr
from screening_app.store import DatabaseBusy, ErrorCode, Store
from tests.shared import raw_connection
from tests.ui.kiosk_driver import Driver, settle

STAFF_KEYS = (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
              | Qt.KeyboardModifier.ShiftModifier)


def assert_nothing_of(window, *words: str) -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for edit in window.findChildren(QLineEdit):
        assert edit.text() == "", edit.objectName()
    for edit in window.findChildren(QPlainTextEdit):
        assert edit.toPlainText() == ""
    texts = [label.text() for label in window.findChildren(QLabel)]
    for word in words:
        assert not [text for text in texts if word in text], word


def walk_away(kiosk) -> None:
    """From now on the person touches nothing: a short idle time starts (on a busy machine
    a short one from the start could run out while the test is still typing)."""
    kiosk.idle.set_seconds(0.3)
    kiosk.idle.poke()


def test_idle_asks_then_saves_and_clears_everything(qtbot, make_kiosk, store):
    kiosk = make_kiosk(idle_countdown=1)
    person = Driver(qtbot, kiosk)
    person.start("es")
    person.click(kiosk.top_bar.larger)
    person.type("first_name", "Ana")
    person.type("last_name", "Ejemplo", leave=False)  # still typing when they walk away
    sid = kiosk.controller.submission_id
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.idle_page, timeout=3000)
    assert kiosk.idle_page.title.text() == "¿Sigue ahí?"
    assert "1" in kiosk.idle_page.countdown.text()
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    qtbot.wait(20)
    assert store.answers(sid) == {"first_name": "Ana", "last_name": "Ejemplo"}
    assert store.get_submission(sid).status == "draft"
    assert kiosk.controller.session is None and kiosk.flow_page.content is None
    assert kiosk.lang == "en" and not kiosk.theme.large
    assert_nothing_of(kiosk, "Ana", "Ejemplo", store.get_submission(sid).code)


def test_still_here_returns_to_the_same_step_with_everything_in_place(qtbot, make_kiosk):
    kiosk = make_kiosk(idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.start()
    person.type("first_name", "Ana")
    walk_away(kiosk)
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.idle_page, timeout=3000)
    person.click(kiosk.idle_page.stay)
    assert kiosk.current_page() is kiosk.flow_page
    assert person.widget("first_name").edit.text() == "Ana"


def test_the_break_page_gives_way_soon_and_then_clears_everything(qtbot, make_kiosk, store):
    # The clinic's idle time is long; the page with the resume code has its own, short one,
    # after which the welcome page comes at once: the person took their break and left.
    kiosk = make_kiosk(idle_seconds=600, break_seconds=0.3, idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.start()
    person.type("first_name", "Ana")
    person.click(kiosk.flow_page.break_button)
    sid, code = kiosk.controller.submission_id, kiosk.controller.code
    assert kiosk.break_page.code.text() == code
    seen = []
    kiosk.stack.currentChanged.connect(lambda _: seen.append(kiosk.current_page()))
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    assert kiosk.idle_page not in seen  # no "Are you still there?" that could lead back
    assert store.answers(sid) == {"first_name": "Ana"}
    assert store.get_submission(sid).status == "draft"
    assert_nothing_of(kiosk, "Ana", code)


def test_the_break_page_left_by_idle_time_never_comes_back(qtbot, make_kiosk):
    """Issue 15: for 30 s after the timeout anyone tapping "Yes, I am still here" got the
    break page back, with the code that opens the person's name, birth date and phone."""
    kiosk = make_kiosk(idle_seconds=600, break_seconds=0.3, idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.start()
    person.type("first_name", "Ana")
    person.click(kiosk.flow_page.break_button)
    code = kiosk.controller.code
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    # Whatever a passer-by taps now, neither the code nor the answers come back.
    for button in (kiosk.welcome.start, kiosk.welcome.resume):
        assert button.isVisible()
    kiosk._back_from_pause()  # what "Yes, I am still here" would do, had it been shown
    assert kiosk.current_page() is kiosk.welcome
    assert_nothing_of(kiosk, "Ana", code)
    assert kiosk.controller.session is None


def test_the_welcome_page_tells_a_person_who_stepped_away_how_to_go_on(qtbot, make_kiosk):
    kiosk = make_kiosk()
    for lang, words in (("en", "Continue with a code"), ("es", "Continuar con un código")):
        kiosk.set_language(lang)
        note = kiosk.welcome.stepped_away
        assert note.isVisible() and words in note.text()
        assert tr(lang, "kiosk.welcome.stepped_away_staff") in note.text()
        # Right under the button it speaks of.
        assert note.geometry().top() >= kiosk.welcome.resume.geometry().bottom()


def test_take_a_break_shows_the_code_and_the_code_resumes_the_same_step(qtbot, kiosk, store):
    person = Driver(qtbot, kiosk)
    person.start("es")
    person.fill_step({"first_name": "Ana", "last_name": "Ejemplo", "date_of_birth": "1980-05-17",
                      "sex_at_birth": "female", "phone": "555 010 2030"})
    person.next()
    person.choose("ms_diagnosed", "yes")
    person.type("diagnosis_year", "2015", leave=False)
    person.click(kiosk.flow_page.break_button)
    code = kiosk.controller.code
    assert kiosk.current_page() is kiosk.break_page
    assert kiosk.break_page.code.text() == code
    assert store.answers(kiosk.controller.submission_id)["diagnosis_year"] == 2015  # flushed
    person.click(kiosk.break_page.finish)
    assert kiosk.current_page() is kiosk.welcome
    assert_nothing_of(kiosk, "Ana", code)

    person.click(kiosk.welcome.resume)
    person.bot.keyClicks(kiosk.resume_page.code, "zzzz-zzzz")
    person.click(kiosk.resume_page.go)
    assert kiosk.resume_page.status.isVisible()
    assert kiosk.current_page() is kiosk.resume_page
    kiosk.resume_page.code.clear()
    person.bot.keyClicks(kiosk.resume_page.code, code.lower().replace("-", " "))
    person.click(kiosk.resume_page.go)
    assert kiosk.current_page() is kiosk.flow_page
    assert person.step == "diagnosis" and kiosk.lang == "es"
    assert person.widget("ms_diagnosed").options["yes"].isChecked()
    assert person.widget("diagnosis_year").edit.text() == "2015"
    assert not kiosk.resume_page.code.text()


def test_a_submitted_questionnaire_cannot_be_reopened_at_the_kiosk(qtbot, kiosk, store, shipped, complete):
    result = store.import_submission(shipped, complete, "test")
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.resume)
    person.bot.keyClicks(kiosk.resume_page.code, result.code)
    person.click(kiosk.resume_page.go)
    assert kiosk.current_page() is kiosk.resume_page
    assert kiosk.controller.session is None


def test_wrong_codes_pause_the_code_page(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.resume)
    for _ in range(5):
        kiosk.resume_page.code.setText("ABCD-EFGH")
        person.click(kiosk.resume_page.go)
    assert not kiosk.resume_page.go.isEnabled()
    assert "staff" in kiosk.resume_page.status.text.text()


def test_a_database_problem_at_the_code_page_is_not_a_wrong_code(qtbot, kiosk, store,
                                                                 monkeypatch):
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.resume)

    def busy(code):
        raise DatabaseBusy(ErrorCode.BUSY)

    monkeypatch.setattr(store, "find_submission", busy)
    for _ in range(6):  # more than the wrong codes that pause the page
        kiosk.resume_page.code.setText("ABCD-EFGH")
        person.click(kiosk.resume_page.go)
    assert kiosk.resume_page.go.isEnabled()
    assert kiosk.resume_page.status.text.text() == kiosk.t("kiosk.resume.unavailable")


def test_the_window_cannot_be_closed_escaped_or_minimised(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.start()
    assert kiosk.close() is False
    assert kiosk.isVisible()
    qtbot.keyClick(kiosk.flow_page, Qt.Key.Key_Escape)
    qtbot.keyClick(person.widget("first_name").edit, Qt.Key.Key_Escape)
    assert kiosk.isVisible() and kiosk.current_page() is kiosk.flow_page
    kiosk.showMinimized()
    qtbot.waitUntil(lambda: not kiosk.isMinimized(), timeout=2000)
    assert kiosk.windowFlags() & Qt.WindowType.WindowStaysOnTopHint


@pytest.mark.parametrize("from_step", [False, True])
def test_staff_exit_with_a_wrong_and_then_the_right_pin(qtbot, kiosk, store, from_step):
    person = Driver(qtbot, kiosk)
    if from_step:
        person.start()
        person.type("first_name", "Ana", leave=False)
    qtbot.keyClick(QApplication.focusWidget() or kiosk, *STAFF_KEYS)
    assert kiosk.current_page() is kiosk.staff_page
    qtbot.keyClicks(kiosk.staff_page.username, "coordinator")
    qtbot.keyClicks(kiosk.staff_page.pin, "1111")
    person.click(kiosk.staff_page.confirm)
    assert kiosk.isVisible() and kiosk.current_page() is kiosk.staff_page
    assert kiosk.staff_page.status.text.text() == kiosk.t("kiosk.staff.refused")
    assert kiosk.staff_page.pin.text() == ""
    person.click(kiosk.staff_page.cancel)
    assert kiosk.current_page() is (kiosk.flow_page if from_step else kiosk.welcome)
    qtbot.keyClick(kiosk, *STAFF_KEYS)
    assert kiosk.staff_page.username.text() == ""  # nothing kept from the last try
    qtbot.keyClicks(kiosk.staff_page.username, "coordinator")
    qtbot.keyClicks(kiosk.staff_page.pin, "246810")
    with qtbot.waitSignal(kiosk.exited, timeout=2000):
        qtbot.keyClick(kiosk.staff_page.pin, Qt.Key.Key_Return)
    assert not kiosk.isVisible()
    if from_step:  # what was typed is saved before closing
        assert store.answers(store.list_submissions()[0].id)["first_name"] == "Ana"


def test_staff_exit_locks_after_repeated_failures(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    qtbot.keyClick(kiosk, *STAFF_KEYS)
    for _ in range(5):
        kiosk.staff_page.username.setText("coordinator")
        kiosk.staff_page.pin.setText("0000")
        person.click(kiosk.staff_page.confirm)
    kiosk.staff_page.username.setText("coordinator")
    kiosk.staff_page.pin.setText("246810")
    person.click(kiosk.staff_page.confirm)
    assert kiosk.isVisible() and kiosk.current_page() is kiosk.staff_page  # the store's lockout
    # The same refusal as for a wrong PIN: nothing about the lockout for whoever is at the screen.
    assert kiosk.staff_page.status.text.text() == kiosk.t("kiosk.staff.refused")
    assert "lock" not in kiosk.staff_page.status.text.text()
    settle()


def staff_sign_in(qtbot, kiosk, username: str, pin: str) -> None:
    qtbot.keyClick(kiosk, *STAFF_KEYS)
    assert kiosk.current_page() is kiosk.staff_page
    qtbot.keyClicks(kiosk.staff_page.username, username)
    qtbot.keyClicks(kiosk.staff_page.pin, pin)
    Driver(qtbot, kiosk).click(kiosk.staff_page.confirm)


@pytest.mark.parametrize("role", ["admin", "clinician"])
def test_only_a_coordinator_or_an_administrator_closes_the_kiosk(qtbot, kiosk, store, role):
    store.create_user("someone", "Someone", role, "135790")
    staff_sign_in(qtbot, kiosk, "someone", "135790")
    if role == "admin":
        assert not kiosk.isVisible()
        return
    # A clinician's right PIN is refused in the very words of a wrong one.
    assert kiosk.isVisible() and kiosk.current_page() is kiosk.staff_page
    assert kiosk.staff_page.status.text.text() == kiosk.t("kiosk.staff.refused")
    assert kiosk.staff_page.pin.text() == ""


def test_a_database_problem_at_the_staff_exit_is_said_in_the_kiosk_language(qtbot, db_path, store):
    from ui.kiosk.window import KioskWindow

    with Store.open(db_path, busy_timeout_ms=20, busy_retries=1) as impatient:
        kiosk = KioskWindow(impatient, idle_seconds=600)
        kiosk.resize(1280, 800)
        kiosk.show()
        qtbot.waitExposed(kiosk)
        Driver(qtbot, kiosk).click(kiosk.welcome.language_buttons["es"])
        other = raw_connection(db_path)  # another program holds the database's write lock
        other.execute("BEGIN EXCLUSIVE")
        try:
            staff_sign_in(qtbot, kiosk, "coordinator", "246810")
        finally:
            other.rollback()
            other.close()
        assert kiosk.isVisible() and kiosk.current_page() is kiosk.staff_page
        assert kiosk.staff_page.status.text.text() == tr("es", "kiosk.staff.unavailable")
        kiosk.shutdown()
        kiosk.deleteLater()


def test_touches_keep_the_session_alive(qtbot, make_kiosk):
    """Each touch starts the idle time again. Measured on the watcher's own countdown, so
    that the machine's speed does not count: with a 0.5 s idle time and taps 200 ms apart,
    the few hundred ms the kiosk spends after Start (painting the step, making the next
    one ready) were part of the first gap and, on a busy machine, ran the time out before
    the first tap."""
    kiosk = make_kiosk(idle_seconds=30, idle_countdown=30)
    person = Driver(qtbot, kiosk)
    person.start()
    for code in ("male", "female", "male"):
        qtbot.wait(300)  # a coarse timer: it may end up to 5 % (15 ms) early
        left = kiosk.idle.remaining
        assert left <= 30 - 0.25
        began = time.monotonic()
        person.tap(person.widget("sex_at_birth").options[code])
        took = time.monotonic() - began
        # Not started again: at most `left - took` would be left. Started again by the tap:
        # at least `30 - took`, 0.25 s more; 0.1 s of it spares rounding.
        assert kiosk.idle.remaining >= 30 - took - 0.1
    assert kiosk.current_page() is kiosk.flow_page
    assert person.session.answers["sex_at_birth"] == "male"
    kiosk.idle.set_seconds(0.3)  # and without a touch, the time runs out
    kiosk.idle.poke()
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.idle_page, timeout=3000)


def test_the_thank_you_page_returns_to_a_clean_welcome_page(qtbot, make_kiosk, store, complete):
    kiosk = make_kiosk(thanks_seconds=0.3)
    person = Driver(qtbot, kiosk)
    person.start("es")
    answers = {p: v for p, v in complete.items() if p != "signature"}
    for path, value in answers.items():
        person.session.set_answer(path, value)
    kiosk.controller.record(answers, True)
    kiosk.flow.show_step("consent")
    person.sign("signature")
    sid = kiosk.controller.submission_id
    person.next()
    assert kiosk.current_page() is kiosk.thanks_page
    assert store.get_submission(sid).status == "submitted"
    assert kiosk.controller.session is None  # forgotten at once, not after the timer
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    assert kiosk.lang == "en"


def test_a_touch_keeps_the_thank_you_page_for_a_slow_reader(qtbot, make_kiosk):
    """The thank-you page gives way to the welcome page after its time without a touch
    (20 s by default), counted from the last touch, not from when it appeared."""
    kiosk = make_kiosk(thanks_seconds=30)
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.show_thanks()
    qtbot.wait(300)
    left = kiosk.idle.remaining
    assert left is not None and left <= 30 - 0.25
    person.tap(kiosk.thanks_page.next_text)  # reading, a finger on the screen
    assert kiosk.idle.remaining > left + 0.2  # counted again from the touch
    assert kiosk.current_page() is kiosk.thanks_page
    kiosk.idle.set_seconds(0.3)  # and without a touch, the time runs out
    kiosk.idle.poke()
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.welcome, timeout=3000)
    assert_nothing_of(kiosk, "Ejemplo", "Ana")


def test_the_idle_time_is_the_clinic_setting(qtbot, make_kiosk, store):
    store.set_setting("kiosk_idle_seconds", 45, actor="admin")  # 30..1800 (store/settings.py)
    kiosk = make_kiosk(idle_seconds=None)
    person = Driver(qtbot, kiosk)
    person.start()
    assert kiosk.idle.seconds == 45
    kiosk.idle.set_seconds(0.2)  # the clinic's time is read; now let it run out quickly
    kiosk.idle.poke()
    qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.idle_page, timeout=3000)
