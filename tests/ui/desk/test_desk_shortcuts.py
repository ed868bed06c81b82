"""Every shortcut the F1 list names, pressed as a person presses it. Seen: Ctrl+F and F5 did
nothing (each bound twice: "Ambiguous shortcut overload"), and after Ctrl+F typing
selected a random row."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.desk.conftest import sign_in, wait_list
from ui.desk.submission_view import SubmissionView

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as the keyboard sends it: to whatever has the focus in the active window."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    qtbot.keyClick(target, key, modifier)


def active_desk(qtbot, make_desk, store, username="demo-coordinator"):
    window = make_desk(store)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    sign_in(qtbot, window, username)
    return window


def test_every_shortcut_of_the_f1_list_works(qtbot, make_desk, seeded_store, dialogs, qtlog):
    window = active_desk(qtbot, make_desk, seeded_store)
    workspace = window.workspace
    page = workspace.worklist
    table = page.table
    table.setFocus()

    press(qtbot, Qt.Key.Key_F1)
    [shown] = [s for s in dialogs.shown if s.kind == "info"]
    assert shown.title == "Keyboard shortcuts" and "Ctrl+F" in shown.text  # no "&" in a title

    press(qtbot, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is page.search
    qtbot.keyClicks(page.search, "demo")  # typing goes to the search, not to a row
    wait_list(qtbot, window)
    assert page.search.text() == "demo"
    press(qtbot, Qt.Key.Key_Down)  # into the list
    assert QApplication.focusWidget() is table and table.currentIndex().row() == 0

    before = page.model._generation
    press(qtbot, Qt.Key.Key_F5)
    assert page.model._generation == before + 1  # read again
    wait_list(qtbot, window)

    first = page.model.row_at(0)
    press(qtbot, Qt.Key.Key_Return)  # open the selected submission
    view = workspace.currentWidget()
    assert isinstance(view, SubmissionView) and view.submission_id == first.id

    view.answers.setFocus()
    view.answers.select_path("country")
    press(qtbot, Qt.Key.Key_F2)
    assert view.edit_dialog is not None and view.edit_dialog.isVisible()
    view.edit_dialog.reject()

    press(qtbot, Qt.Key.Key_L, CTRL)
    assert workspace.currentIndex() == 0
    press(qtbot, Qt.Key.Key_Tab, CTRL)  # next tab
    assert workspace.currentWidget() is view
    press(qtbot, Qt.Key.Key_W, CTRL)
    assert workspace.view(first.id) is None and workspace.currentIndex() == 0

    qtbot.waitUntil(lambda: not page.model.loading)
    table.setFocus()
    table.selectionModel().select(page.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                  | QItemSelectionModel.SelectionFlag.Rows)
    assert page.selected_ids()
    dialogs.answer("choose_directory", None)  # the folder dialog opened; cancelled
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert dialogs.shown[-1].kind == "choose_directory", dialogs.shown[-1]

    press(qtbot, Qt.Key.Key_N, CTRL)
    assert workspace.intake is not None and workspace.intake.isVisible()
    workspace.intake.reject()

    press(qtbot, Qt.Key.Key_Q, CTRL | SHIFT)
    assert window.workspace is None and window.current_page() is window.sign_in_page
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_typing_in_the_list_searches_and_never_jumps_to_a_row(qtbot, make_desk, seeded_store):
    window = active_desk(qtbot, make_desk, seeded_store)
    page = window.workspace.worklist
    page.table.setFocus()
    page.table.selectionModel().select(page.model.index(3, 0),
                                       QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)
    selected = page.table.selectionModel().selectedRows()
    qtbot.keyClicks(page.table, "9")
    assert QApplication.focusWidget() is page.search and page.search.text() == "9"
    assert page.table.selectionModel().selectedRows() == selected
