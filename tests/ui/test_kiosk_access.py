"""Keyboard use, screen-reader names, text size, contrast and touch target sizes."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from tests.ui.kiosk_driver import Driver, settle
from ui.widgets.date import MonthBox
from ui.widgets.group import GroupWidget

INPUTS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox)


def answer_widgets(form):
    for widget in form.widgets.values():
        yield widget
        if isinstance(widget, GroupWidget):
            for card in widget.cards.values():
                yield from card.fields.values()


def fill_all(person: Driver, complete: dict) -> None:
    """Put the sample answers in the session, so that every branch and row shows."""
    answers = {p: v for p, v in complete.items() if p != "signature"}
    for path, value in answers.items():
        person.session.set_answer(path, value)
    person.window.controller.record(answers, True)


def test_tab_follows_what_is_seen_from_top_to_bottom(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.top_bar.larger.setFocus()
    seen: list[QWidget] = []
    for _ in range(60):
        widget = QApplication.focusWidget()
        if widget in seen:
            break
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    names = [w.objectName() for w in seen]
    assert names[:4] == ["toggle-larger", "toggle-largest", "toggle-contrast", "take-break"]
    assert names[-1] == "next"
    # Inside the page, each stop is below (or on the same line, to the right of) the last.
    positions = [w.mapTo(kiosk.flow_page.scroll.widget(), QPoint(0, 0)) for w in seen[4:-1]
                 if kiosk.flow_page.scroll.widget().isAncestorOf(w)]
    assert len(positions) >= 15  # a radio group is one stop (arrows move inside it)
    for before, after in pairwise(positions):
        assert (after.y(), after.x()) > (before.y(), before.x())


def test_enter_goes_to_the_next_step_only_when_valid_and_not_in_long_text(qtbot, kiosk, complete):
    person = Driver(qtbot, kiosk)
    person.start()
    edit = person.widget("first_name").edit
    person.click(edit)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert person.step == "about_you"
    assert QApplication.focusWidget() is edit  # the first problem has the focus
    fill_all(person, complete)
    kiosk.flow.show_step("health")
    settle()
    notes = person.widget("allergies").edit
    notes.clear()
    person.click(notes)
    qtbot.keyClicks(notes, "Penicillin")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "Latex")
    assert person.step == "health"
    assert notes.toPlainText() == "Penicillin\nLatex"
    qtbot.keyClick(person.widget("cancer_history").options["no"], Qt.Key.Key_Return)
    assert person.step == "infections"


def spoken(widget: QWidget, kind=QAccessible.Text.Name) -> str:
    """What a screen reader gets: the text of the widget's accessible interface."""
    return QAccessible.queryAccessibleInterface(widget).text(kind)


def test_every_input_is_named_by_its_question_and_described_by_help_and_problems(qtbot, kiosk, complete):
    person = Driver(qtbot, kiosk)
    person.start("es")
    fill_all(person, complete)
    for step in person.session.visible_steps():
        kiosk.flow.show_step(step.id)
        settle()
        for widget in answer_widgets(person.form):
            if not widget.item.is_input:
                continue
            question = widget.item.label.get("es")
            assert spoken(widget.accessible_target()) == question, widget.path
            help_text = widget.item.help.get("es") if widget.item.help is not None else None
            for control in widget.inputs():
                name = spoken(control)
                if control.objectName() in ("signature-clear", "signature-undo"):
                    assert name in ("Borrar la firma", "Recuperar mi firma")
                    continue
                # Every control a person can reach says which question it belongs to.
                assert question in name, f"{widget.path}: {control.objectName()}: {name}"
                if help_text:
                    assert help_text in spoken(control, QAccessible.Text.Description), widget.path
    kiosk.flow.show_step("about_you")
    settle()
    birth = person.widget("date_of_birth")
    assert birth.month.currentText() == "mayo"  # the answer, which Qt would say instead
    assert [spoken(part) for part in birth.inputs()] == [
        "Fecha de nacimiento — día", "Fecha de nacimiento — mes", "Fecha de nacimiento — año"]
    assert spoken(birth.month, QAccessible.Text.Value) == "mayo"
    assert spoken(person.widget("sex_at_birth").options["female"]) == "Femenino — Sexo asignado al nacer"
    person.clear_text("first_name")
    person.next()
    description = spoken(person.widget("first_name").edit, QAccessible.Text.Description)
    assert description == "Problema: Por favor, responda esta pregunta."


# The offscreen platform cannot raise the month list or grab the keyboard for it, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support")
@pytest.mark.parametrize("large", [False, True])
def test_text_is_large_and_targets_are_big_enough_on_every_step(qtbot, kiosk, complete, large):
    person = Driver(qtbot, kiosk)
    person.start()
    if large:
        person.click(kiosk.top_bar.larger)
    fill_all(person, complete)
    pages = [step.id for step in person.session.visible_steps()]
    for step in pages:
        kiosk.flow.show_step(step)
        for widget in person.form.widgets.values():
            if isinstance(widget, GroupWidget):
                for row in widget.rows():
                    widget.set_expanded(row, True, move_focus=False)
        settle()
        for control in kiosk.findChildren(QWidget):
            if not control.isVisible():
                continue
            # The smallest text (captions) is 18 px, 22 px larger; body text 20 px, 26 px larger.
            assert control.font().pixelSize() >= (22 if large else 18), control.objectName()
            if isinstance(control, QLineEdit | QPlainTextEdit):
                assert control.font().pixelSize() >= (26 if large else 20)
            if isinstance(control, INPUTS) or control.objectName() == "signature-pad":
                assert control.height() >= 44, f"{step}: {control.objectName()} {control.height()}"
                assert control.width() >= 44, f"{step}: {control.objectName()}"
        for month in kiosk.findChildren(MonthBox):
            if month.isVisible():
                assert_month_rows_are_targets(qtbot, kiosk, month)
    label = person.form.title
    assert label.font().pixelSize() >= (42 if large else 34)


def assert_month_rows_are_targets(qtbot, kiosk, month: MonthBox) -> None:
    """The month list, opened: every row at least 44 px high, all of it on the screen."""
    kiosk.flow_page.scroll.ensureWidgetVisible(month)
    settle()
    month.showPopup()
    view = month.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    heights = [view.visualRect(view.model().index(row, 0)).height() for row in range(month.count())]
    assert len(heights) == 13 and min(heights) >= 44, heights
    assert view.verticalScrollBar().maximum() == 0  # no row hidden below a scroll bar
    assert view.window().geometry().bottom() < kiosk.screen().geometry().bottom() + 1
    assert min(view.font().pixelSize(), month.font().pixelSize()) >= 20
    month.hidePopup()
    settle()


def test_high_contrast_changes_the_colours_on_every_page(qtbot, kiosk):
    person = Driver(qtbot, kiosk)
    person.click(kiosk.top_bar.contrast)
    assert kiosk.palette().window().color().name() == "#000000"
    assert kiosk.palette().text().color().name() == "#ffffff"
    person.start()
    assert kiosk.top_bar.contrast.isChecked()  # the toggles stay on every page
    assert kiosk.top_bar.isVisible()
    person.click(kiosk.top_bar.contrast)
    assert kiosk.palette().window().color().name() != "#000000"
