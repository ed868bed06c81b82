"""The reason and sign-off dialogs from the keyboard: Enter confirms a filled reason
(Shift+Enter starts a new line), a clinical review's note takes Enter as a new line and
Ctrl+Enter signs, and nothing is confirmed while it is incomplete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QRadioButton, QWidget

from ui.dialogs import QtDialogs

CHOICES = [("invite", "Invite to a screening visit"), ("not_eligible", "Not eligible"),
           ("more_information", "Needs more information")]


def with_dialog(qtbot, act: Callable[[QWidget], None], run: Callable[[], object]) -> object:
    """Run a real dialog; `act` drives it while it is up (and cancels it if still open)."""

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, drive)
            return
        act(modal)
        if modal.isVisible():
            modal.reject()

    QTimer.singleShot(20, drive)
    return run()


def test_enter_confirms_a_filled_reason_and_shift_enter_starts_a_new_line(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs = QtDialogs()
    seen = {}

    def type_and_enter(modal):
        edit = modal.findChild(QPlainTextEdit)
        edit.clear()
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # blank: nothing to confirm
        seen["open_when_blank"] = modal.isVisible()
        qtbot.keyClicks(edit, "Typo in the phone")
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(edit, "second line")
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    answer = with_dialog(qtbot, type_and_enter, lambda: dialogs.ask_text(parent, "Reason", "Why?"))
    assert seen["open_when_blank"]
    assert answer == "Typo in the phone\nsecond line"


def test_a_clinical_review_needs_a_choice_and_a_note_and_ctrl_enter_signs(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    dialogs = QtDialogs()
    seen = {}

    def decide(modal):
        note = modal.findChild(QPlainTextEdit)
        qtbot.keyClicks(note, "Ask for the MRI report")
        qtbot.keyClick(note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen["open_without_choice"] = modal.isVisible()
        qtbot.keyClick(note, Qt.Key.Key_Return)  # a new line, not a signature
        qtbot.keyClicks(note, "and the EDSS")
        seen["open_after_enter"] = modal.isVisible()
        buttons = modal.findChildren(QRadioButton)
        seen["choices"] = [b.text() for b in buttons]
        buttons[2].click()
        qtbot.keyClick(note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    answer = with_dialog(qtbot, decide, lambda: dialogs.ask_decision(
        parent, "Clinical review", "Your decision", CHOICES, "Note"))
    assert seen == {"open_without_choice": True, "open_after_enter": True,
                    "choices": [text for _, text in CHOICES]}
    assert answer == ("more_information", "Ask for the MRI report\nand the EDSS")


def test_enter_on_a_choice_signs_once_the_note_is_written(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def choose(modal):
        invite = modal.findChildren(QRadioButton)[0]
        invite.click()
        qtbot.keyClick(invite, Qt.Key.Key_Return)  # no note yet
        seen["open_without_note"] = modal.isVisible()
        qtbot.keyClicks(modal.findChild(QPlainTextEdit), "Flags read with the records")
        qtbot.keyClick(invite, Qt.Key.Key_Enter)

    answer = with_dialog(qtbot, choose, lambda: QtDialogs().ask_decision(
        parent, "Clinical review", "Your decision", CHOICES, "Note"))
    assert seen == {"open_without_note": True}
    assert answer == ("invite", "Flags read with the records")
