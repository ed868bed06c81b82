"""The work list notices changes made elsewhere (a kiosk, another desk) by itself, keeps
the selection and the scroll position, and says when it was read; open submissions are
read again when they changed."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from screening_app.store import Store
from tests.ui.desk.conftest import sign_in


def test_a_kiosk_intake_appears_without_f5_and_the_selection_stays(qtbot, make_desk, seeded_store,
                                                                   seeded_db, shipped):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    model, table = page.model, page.table
    before = model.rowCount()
    chosen = [model.row_at(row).id for row in (3, 4, 7)]
    selection = table.selectionModel()
    selection.clear()
    for row in (3, 4, 7):
        selection.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    selection.setCurrentIndex(model.index(4, 1), QItemSelectionModel.SelectionFlag.NoUpdate)
    assert "updated" in page.count.text()
    page.poll_timer.setInterval(30)  # instead of every 20 s
    qtbot.wait(100)
    assert model.rowCount() == before  # nothing changed: nothing read again
    with Store.open(seeded_db) as kiosk:  # another process's connection
        new = kiosk.start_submission(shipped, "en", actor="kiosk")
    qtbot.waitUntil(lambda: model.rowCount() == before + 1, timeout=5000)
    assert model.row_at(0).id == new  # newest first
    rows = sorted({index.row() for index in selection.selectedRows()})
    assert [model.row_at(row).id for row in rows] == chosen  # the same submissions, moved
    assert model.row_at(table.currentIndex().row()).id == chosen[1]
    assert page.count.text().startswith(f"{before + 1} submissions · updated ")


def test_an_open_submission_is_read_again_when_it_changed_elsewhere(qtbot, make_desk,
                                                                    seeded_store, seeded_db):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    view = window.workspace.open_submission(draft.id)
    window.workspace.worklist.poll_timer.setInterval(30)
    with Store.open(seeded_db) as kiosk:
        kiosk.save_answer(draft.id, "first_name", "Test-Renamed", actor="kiosk")
    qtbot.waitUntil(lambda: view.name.text().startswith("Test-Renamed"), timeout=5000)
    assert window.workspace.tabText(window.workspace.indexOf(view)).startswith("Test-Renamed")
