"""A step form over a Session, without any kiosk or store (as the desk will use it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

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
