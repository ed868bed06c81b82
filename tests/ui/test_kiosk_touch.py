"""A finger scrolls every page, a tap still chooses, and the signature pad still draws.

Touches go to the kiosk's native window as a touchscreen sends them (QTest.touchEvent on a
touch device), so they travel the whole way: Qt's touch-to-mouse translation, the
scroller's gesture, the press it holds back until it knows tap from drag.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QScroller

from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_access import fill_all

DEVICE = QTest.createTouchDevice()


class Finger:
    """One finger on the kiosk's screen, or the mouse held down (`mouse=True`)."""

    def __init__(self, qtbot, window, *, mouse: bool = False) -> None:
        self.bot = qtbot
        self.window = window
        self.handle = window.windowHandle()
        self.mouse = mouse

    def _send(self, kind: str, where: QPoint) -> None:
        if self.mouse:
            left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            if kind == "press":
                QTest.mousePress(self.handle, left, plain, where)
            elif kind == "move":
                QTest.mouseMove(self.handle, where)
            else:
                QTest.mouseRelease(self.handle, left, plain, where)
            return
        sequence = QTest.touchEvent(self.handle, DEVICE)
        getattr(sequence, kind)(0, where, self.handle)
        sequence.commit()

    def drag(self, start: QPoint, by: QPoint, steps: int = 20) -> None:
        self._send("press", start)
        for step in range(1, steps + 1):
            self.bot.wait(10)
            self._send("move", start + by * (step / steps))
        self._send("release", start + by)
        settle()

    def tap(self, where: QPoint) -> None:
        self._send("press", where)
        self.bot.wait(30)
        self._send("release", where)
        settle()


def centre_on_window(widget, window) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def wait_still(qtbot, scroll: QScrollArea) -> None:
    """Until a flick has glided to a stop."""
    scroller = QScroller.scroller(scroll.viewport())
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive, timeout=5000)


def opened(qtbot, kiosk, complete, step: str | None) -> Driver:
    """The sample answers given and `step` shown (None: the review)."""
    person = Driver(qtbot, kiosk)
    person.start()
    fill_all(person, complete)
    if step is None:
        kiosk.flow.show_review()
    else:
        kiosk.flow.show_step(step)
    settle()
    return person


def test_every_page_scrolls_with_a_finger_and_the_scroll_bar_is_wide(qtbot, kiosk):
    # Turned on just after the first paint, before anyone can touch the welcome page.
    qtbot.waitUntil(lambda: kiosk.controller._questionnaire is not None, timeout=5000)
    areas = kiosk.findChildren(QScrollArea)
    pages = {area.parentWidget().objectName() for area in areas}
    assert {"welcome", "resume-page", "break", "idle", "thanks", "staff"} <= pages
    for area in areas:
        if area.parentWidget() is kiosk.flow_page.scrolls or area.parentWidget() in kiosk.pages:
            assert QScroller.hasScroller(area.viewport()), area.parentWidget().objectName()
    Driver(qtbot, kiosk).start()
    settle()
    bar = kiosk.flow_page.scroll.verticalScrollBar()
    assert bar.isVisible() and bar.width() >= 44


def test_a_finger_drag_scrolls_the_step_and_a_tap_still_chooses(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.start()
    settle()
    scroll = kiosk.flow_page.scroll
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 300  # the step is taller than the screen
    male = person.widget("sex_at_birth").options["male"]
    scroll.ensureWidgetVisible(male)
    settle()
    before = bar.value()
    finger = Finger(qtbot, kiosk)
    # The finger lands on an answer and pushes the page up by 240 px.
    finger.drag(centre_on_window(male, kiosk), QPoint(0, -240))
    assert bar.value() >= before + 200
    assert not male.isChecked()  # the drag that scrolled chose nothing
    wait_still(qtbot, scroll)
    assert "sex_at_birth" not in person.session.answers

    female = person.widget("sex_at_birth").options["female"]
    scroll.ensureWidgetVisible(female)
    settle()
    where = bar.value()
    finger.tap(centre_on_window(female, kiosk))
    assert female.isChecked()
    assert person.session.answers["sex_at_birth"] == "female"
    assert bar.value() == where  # a tap does not move the page

    # Back up again with a downward drag, by the mouse this time.
    Finger(qtbot, kiosk, mouse=True).drag(centre_on_window(female, kiosk), QPoint(0, 200))
    assert bar.value() <= where - 150
    assert person.session.answers["sex_at_birth"] == "female"


def test_the_review_scrolls_with_a_finger(qtbot, kiosk, complete):
    opened(qtbot, kiosk, complete, None)
    bar = kiosk.flow_page.scroll.verticalScrollBar()
    assert bar.maximum() > 2000
    middle = kiosk.flow_page.scroll.viewport()
    start = middle.mapTo(kiosk, QPoint(middle.width() // 3, middle.height() * 3 // 4))
    Finger(qtbot, kiosk).drag(start, QPoint(0, -300))
    assert bar.value() >= 250


def test_the_signature_pad_draws_with_a_finger_and_a_mouse_instead_of_scrolling(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "consent")
    pad = person.widget("signature").pad
    scroll = kiosk.flow_page.scroll
    scroll.ensureWidgetVisible(pad)
    settle()
    bar = scroll.verticalScrollBar()
    before = bar.value()
    left = pad.mapTo(kiosk, QPoint(60, pad.height() // 3))
    Finger(qtbot, kiosk).drag(left, QPoint(200, 80))
    assert len(pad._strokes) == 1 and len(pad._strokes[0]) > 10
    assert bar.value() == before
    Finger(qtbot, kiosk, mouse=True).drag(left + QPoint(0, 40), QPoint(250, -60))
    assert len(pad._strokes) == 2
    assert bar.value() == before
    assert person.session.answers.get("signature") is not None


def test_a_drag_in_a_field_being_typed_in_selects_its_text(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.start()
    person.type("first_name", "Ana Maria", leave=False)
    edit = person.widget("first_name").edit
    assert edit.hasFocus()
    bar = kiosk.flow_page.scroll.verticalScrollBar()
    before = bar.value()
    start = edit.mapTo(kiosk, QPoint(14, edit.height() // 2))
    Finger(qtbot, kiosk, mouse=True).drag(start, QPoint(300, 0))
    assert edit.selectedText() == "Ana Maria"
    assert bar.value() == before


def test_next_during_a_flick_leaves_the_next_page_free_to_scroll(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "diagnosis")
    viewport = kiosk.flow_page.scroll.viewport()
    start = viewport.mapTo(kiosk, QPoint(viewport.width() // 3, viewport.height() * 3 // 4))
    Finger(qtbot, kiosk).drag(start, QPoint(0, -300), steps=6)  # a quick flick: it glides on
    person.next()
    assert person.step == "mobility"
    bar = kiosk.flow_page.scroll.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 300
    Finger(qtbot, kiosk).drag(start, QPoint(0, -250))
    assert bar.value() >= 200
