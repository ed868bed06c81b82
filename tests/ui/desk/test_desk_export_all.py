"""Exporting a large selection takes every row it covers, also the rows the list has not
read yet (it reads 200 at a time): Ctrl+A exported only the loaded pages before."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

import ui.desk.workspace as workspace_module
from tests.ui.desk.conftest import BIG_COUNT, sign_in, wait_list
from ui.desk.list_model import PAGE_SIZE

exported: list[int] = []


def fake_pdf(store, submission_id, path):
    exported.append(submission_id)
    path.write_bytes(b"%PDF-1.4 test\n")
    return path


def big_desk(qtbot, make_desk, store, monkeypatch):
    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: fake_pdf)
    exported.clear()
    window = make_desk(store)
    sign_in(qtbot, window)
    return window, window.workspace.worklist


def export_and_wait(qtbot, window, trigger) -> object:
    with qtbot.waitSignal(window.workspace.exported, timeout=60_000) as blocker:
        trigger()
    return blocker.args[0]


def test_select_all_in_a_filtered_list_exports_every_matching_row(qtbot, make_desk, big_store,
                                                                  dialogs, tmp_path, monkeypatch):
    window, page = big_desk(qtbot, make_desk, big_store, monkeypatch)
    page.status.setCurrentIndex(page.status.findData("submitted"))
    wait_list(qtbot, window)
    expected = big_store.submission_ids(status="submitted")
    assert page.model.rowCount() == len(expected) > 3 * PAGE_SIZE
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_ids()) < len(expected)  # most rows were never read
    dialogs.answer("choose_directory", tmp_path)
    report = export_and_wait(qtbot, window, window.menu_actions["export_selected"].trigger)
    assert f"{len(expected):,} PDF" in dialogs.shown[0].title  # the folder dialog's count
    assert not report.failed and report.total == len(expected)
    assert sorted(exported) == sorted(expected)  # every row, each once
    assert len(list(tmp_path.glob("*.pdf"))) == len(expected)
    assert any(f"PDF files saved: {len(expected)}" in m for m in dialogs.messages("info"))


def test_a_shift_range_across_unread_pages_exports_each_row_of_it(qtbot, make_desk, big_store,
                                                                  dialogs, tmp_path, monkeypatch):
    window, page = big_desk(qtbot, make_desk, big_store, monkeypatch)
    model = page.model
    assert model.rowCount() == BIG_COUNT
    first, last = 150, 1149  # from the first page into pages never read
    chosen = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    chosen.select(model.index(5, 0), model.index(5, 0))  # and a Ctrl+click above it
    page.table.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)
    everything = big_store.submission_ids()
    dialogs.answer("choose_directory", tmp_path)
    report = export_and_wait(qtbot, window, page.export_button.click)
    assert report.total == last - first + 2 and not report.failed
    assert exported == [everything[5], *everything[first:last + 1]]  # in the list's order
