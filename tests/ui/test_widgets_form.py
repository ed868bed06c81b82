"""A step form over a Session, without any kiosk or store (as the desk will use it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from screening_app.engine.definition import DEFAULT_MAX_ROWS
from screening_app.engine.session import Session
from tests.ui.kiosk_driver import settle
from ui.widgets.form import StepForm


@pytest.fixture
def host(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    window.resize(1000, 2400)
    qtbot.addWidget(window)
    return window


def show(host, form):
    host.layout().addWidget(form)
    host.show()
    settle()
    return form


def test_rows_are_numbered_by_the_session_and_reported_for_saving(qtbot, host, shipped):
    session = Session(shipped, {"ever_treated": "yes"})
    form = show(host, StepForm(session, "treatments"))
    group = form.widgets["treatments"]
    with qtbot.waitSignal(form.answers_changed) as signal:
        qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    assert signal.args == [{"treatments[0]": True}, True]
    settle()
    assert group.card(0).expanded
    option = form.answer_widget("treatments[0].drug").options["glatiramer"]
    with qtbot.waitSignal(form.answers_changed) as signal:
        qtbot.mouseClick(option, Qt.MouseButton.LeftButton)
    assert signal.args == [{"treatments[0].drug": "glatiramer"}, True]
    assert form.row_title(shipped.item("treatments"), 0, 0) == "Glatiramer acetate (Copaxone)"
    with qtbot.waitSignal(form.answers_changed) as signal:
        group.remove_requested.emit(0)
    assert signal.args == [{"treatments[0]": None, "treatments[0].drug": None}, True]
    assert session.rows("treatments") == []


def test_typing_is_reported_as_not_urgent_and_prefill_as_answers(qtbot, host, shipped):
    session = Session(shipped, {"first_name": "Ana", "last_name": "Ejemplo"})
    form = show(host, StepForm(session, "consent"))
    with qtbot.waitSignal(form.answers_changed) as signal:
        form.apply_prefill()
    assert signal.args == [{"signer_name": "Ana Ejemplo"}, True]
    assert form.answer_widget("signer_name").edit.text() == "Ana Ejemplo"
    with qtbot.waitSignal(form.answers_changed) as signal:
        qtbot.keyClicks(form.answer_widget("signer_name").edit, "z")
    assert signal.args == [{"signer_name": "Ana Ejemploz"}, False]


def test_problems_wait_for_the_person_then_show(qtbot, host, shipped):
    session = Session(shipped, {})
    form = show(host, StepForm(session, "about_you"))
    assert all(widget.problem() is None for widget in form.widgets.values())
    first = form.reveal_problems()
    assert first is form.widgets["first_name"]
    assert form.widgets["first_name"].problem().code == "required"
    assert form.blocking_count() == 5


# -- at entry: characters no answer may hold, a text's length, a group's most rows --------


def type_and_leave(qtbot, form, item_id: str, text: str) -> None:
    edit = form.answer_widget(item_id).edit
    edit.setText(text)
    edit.textEdited.emit(text)  # as typed or pasted
    form.answer_widget(item_id).finish_edit()
    settle()


@pytest.mark.parametrize("name", ["Ana\x07", "Ana\x08\x08", "\x1b[2JAna", "An\x00a", "\u202eanA"])
def test_control_and_direction_characters_are_refused_next_to_the_field(qtbot, host, shipped, name):
    """Seen: names with BEL, backspace, ANSI escapes, NUL or a right-to-left override were
    valid answers."""
    session = Session(shipped, {})
    form = show(host, StepForm(session, "about_you"))
    type_and_leave(qtbot, form, "first_name", name)
    widget = form.answer_widget("first_name")
    assert widget.problem() is not None and widget.problem().code == "refused_characters"
    assert widget.message.isVisible()
    assert "control or text-direction characters" in widget.message.text.text()
    assert form.blocking_count() > 0  # the step cannot be left with it
    type_and_leave(qtbot, form, "first_name", "Ana")
    assert widget.problem() is None


def test_a_text_longer_than_its_limit_says_so(qtbot, host, shipped):
    session = Session(shipped, {})
    form = show(host, StepForm(session, "about_you"))
    limit = shipped.item("first_name").text_limit  # its own max_length, else the default
    type_and_leave(qtbot, form, "first_name", "A" * (limit + 1))
    problem = form.answer_widget("first_name").problem()
    assert problem.code == "too_long" and f"at most {limit} letters" in problem.message
    assert form.answer_widget("first_name").message.isVisible()


def test_the_add_button_stops_at_the_groups_most_rows_and_says_why(qtbot, host, shipped):
    answers = {"ever_treated": "yes"}
    answers.update({f"treatments[{n}]": True for n in range(DEFAULT_MAX_ROWS - 1)})
    session = Session(shipped, answers)
    form = show(host, StepForm(session, "treatments"))
    group = form.widgets["treatments"]
    assert group.add_button.isEnabled() and not group.row_limit_note.isVisible()
    qtbot.mouseClick(group.add_button, Qt.MouseButton.LeftButton)
    settle()
    assert len(session.rows("treatments")) == DEFAULT_MAX_ROWS
    assert not group.add_button.isEnabled()
    assert group.row_limit_note.isVisible()
    assert group.row_limit_note.text() == f"At most {DEFAULT_MAX_ROWS} entries can be added here."
    assert group.add_button.toolTip() == group.row_limit_note.text()
    group.remove_requested.emit(session.rows("treatments")[-1])
    settle()
    assert group.add_button.isEnabled() and not group.row_limit_note.isVisible()
