"""Issue 15, "The screen must not move under a finger": the on-screen rectangle of every
tappable control of each step is the same, to the pixel, before and after each kind of
message appears (Next with problems, a field left wrong, a warning, a refused save) and
clears."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from screening_app.store import DatabaseUnavailable, ErrorCode
from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_access import fill_all

TAPPABLE = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox)


def rectangles(kiosk, *, scrolled: bool = False) -> dict[QWidget, QRect]:
    """Where each control a person can tap is in the window (scrolled content included).
    `scrolled`: where it is in the page's content, for a test in which the person's own
    moves (a field tapped, Tab) scroll the page, which moves nothing in the content."""
    found = {}
    content = kiosk.flow_page.scroll.widget()
    for widget in kiosk.findChildren(QWidget):
        if isinstance(widget, TAPPABLE) and widget.isVisible() and widget.window() is kiosk \
                and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            frame = content if scrolled and content.isAncestorOf(widget) else kiosk
            found[widget] = QRect(widget.mapTo(frame, QPoint(0, 0)), widget.size())
    return found


def same(before: dict, after: dict, what: str) -> None:
    moved = {w.objectName() or type(w).__name__: (before[w], after[w])
             for w in before if w in after and before[w] != after[w]}
    assert not moved, f"{what}: {moved}"


def answered(qtbot, make_kiosk, complete, text: str):
    """A kiosk at 1024x768 and text size `text`, the sample answers given: (kiosk, person)."""
    kiosk = make_kiosk()
    kiosk.resize(1024, 768)
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.set_theme(text=text)
    fill_all(person, complete)
    return kiosk, person


def steps(person):
    return [s.id for s in person.session.visible_steps()]


@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
def test_no_control_moves_when_next_shows_every_problem_and_they_clear(qtbot, make_kiosk, complete, text):
    kiosk, person = answered(qtbot, make_kiosk, complete, text)
    for step in steps(person):
        answers = {p: v for p, v in person.session.answers.items()}
        kiosk.flow.show_step(step)
        # Empty every question of the step, then open it afresh: nothing shown yet.
        for item in person.session.visible_items(step):
            if item.type != "group":
                person.session.set_answer(item.id, None)
        kiosk.flow.show_step(step)
        settle()
        before = rectangles(kiosk)
        person.next()  # every "Please answer" appears, and the footer's count
        settle()
        assert kiosk.flow_page.status.isVisible() or step == "treatments", step
        same(before, rectangles(kiosk), f"{step}: messages appeared")
        # Answering clears them: the answers below stay where they were.
        person.session.answers.update(answers)
        kiosk.flow.form.refresh()
        kiosk.flow._update_status()
        settle()
        same(before, rectangles(kiosk), f"{step}: messages cleared")


def test_no_control_moves_when_a_save_is_refused_and_recovers(qtbot, kiosk, store, monkeypatch):
    person = Driver(qtbot, kiosk)
    person.start()
    settle()  # the page as anyone sees it
    before = rectangles(kiosk)
    real = store.save_answer

    def full(*args, **kwargs):
        raise DatabaseUnavailable(ErrorCode.DISK_FULL)

    monkeypatch.setattr(store, "save_answer", full)
    person.choose("sex_at_birth", "female")
    settle()
    assert kiosk.flow_page.status.isVisible()
    after = rectangles(kiosk)
    same(before, after, "refused save")
    monkeypatch.setattr(store, "save_answer", real)
    person.choose("sex_at_birth", "male")
    settle()
    assert not kiosk.flow_page.status.isVisible()
    same(before, rectangles(kiosk), "save recovered")


def test_the_scroll_bar_room_is_kept_so_nothing_moves_sideways(qtbot, kiosk, complete):
    person = Driver(qtbot, kiosk)
    person.start()
    fill_all(person, complete)
    widths = set()
    for step in steps(person):
        kiosk.flow.show_step(step)
        settle()
        widths.add(kiosk.flow_page.scroll.viewport().width())
    assert len(widths) == 1


@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
def test_no_control_moves_when_a_warning_and_its_confirmation_box_come_and_go(
        qtbot, make_kiosk, complete, text):
    """A soft warning (not an error): a year of first symptoms after the year of diagnosis,
    typed and left, shows the message *and* its "Yes, this is correct" box; ticking it,
    and then correcting the year, moves nothing else."""
    kiosk, person = answered(qtbot, make_kiosk, complete, text)
    kiosk.flow.show_step("diagnosis")
    settle()
    before = rectangles(kiosk, scrolled=True)
    person.clear_text("symptom_onset_year")
    person.type("symptom_onset_year", "2023")  # diagnosed in 2015
    settle()
    message = person.widget("symptom_onset_year").message
    [problem] = [p for p in person.session.problems("diagnosis") if p.path == "symptom_onset_year"]
    assert problem.severity == "warning"
    assert message.isVisibleTo(kiosk) and message.confirm.isVisibleTo(kiosk)
    same(before, rectangles(kiosk, scrolled=True), "a warning with its confirmation box appeared")
    person.click(message.confirm)
    settle()
    assert person.session.can_leave("diagnosis")
    same(before, rectangles(kiosk, scrolled=True), "the warning was confirmed")
    person.clear_text("symptom_onset_year")
    person.type("symptom_onset_year", "2013")
    settle()
    assert not message.isVisibleTo(kiosk)
    same(before, rectangles(kiosk, scrolled=True), "the warning went")


@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
@pytest.mark.parametrize(("step", "path", "wrong", "right"), [
    ("mobility", "edss_score", "12", "4.5"),  # a number out of range (0 to 10)
    ("about_you", "phone", "12", "+1 555 010 2030"),  # too few digits
])
def test_no_control_moves_when_a_field_left_filled_wrongly_shows_its_error_and_it_goes(
        qtbot, make_kiosk, complete, text, step, path, wrong, right):
    """An error that comes before any Next: the person types a wrong value and moves on
    (Tab), the message shows under the field; corrected and left again, it goes."""
    kiosk, person = answered(qtbot, make_kiosk, complete, text)
    kiosk.flow.show_step(step)
    settle()
    before = rectangles(kiosk, scrolled=True)
    message = person.widget(path).message
    person.clear_text(path)
    person.type(path, wrong)  # typed, then Tab: the person left it
    settle()
    [problem] = [p for p in person.session.problems(step) if p.path == path]
    assert problem.severity == "error" and message.isVisibleTo(kiosk)
    assert message.text.text() == problem.message
    same(before, rectangles(kiosk, scrolled=True), f"{path}: an error shown when it was left")
    person.clear_text(path)
    person.type(path, right)
    settle()
    assert not message.isVisibleTo(kiosk)
    same(before, rectangles(kiosk, scrolled=True), f"{path}: the error went")
