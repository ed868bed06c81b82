"""Signing out while something is still going on: a real message box inside its own event
loop, a batch export writing files. The desk process used to abort ("double free or
corruption") because the workspace was deleted under the message box's loop."""

from __future__ import annotations

import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import ui.desk.workspace as workspace_module
from tests.ui.desk.conftest import sign_in
from tests.ui.desk.test_desk_export import select_rows
from ui.dialogs import QtDialogs


class RealDialogs(QtDialogs):
    """The real dialog service; only the folder is chosen without a person."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def choose_directory(self, parent, title, start):
        return self.folder


def fake_pdf(store, submission_id, path):
    path.write_bytes(b"%PDF-1.4 test\n")
    return path


def slow_pdf(store, submission_id, path):
    time.sleep(0.1)
    return fake_pdf(store, submission_id, path)


def visible_dialogs(window) -> list:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]


def test_idle_sign_out_while_the_pdfs_saved_message_is_open(qtbot, make_desk, seeded_store,
                                                            tmp_path, monkeypatch):
    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: fake_pdf)
    window = make_desk(seeded_store, real_dialogs=RealDialogs(tmp_path))
    sign_in(qtbot, window)
    workspace = window.workspace
    select_rows(workspace.worklist, 3)
    boxes = []

    def look() -> None:  # the "PDF files saved" box is up, in its own event loop
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and not boxes:
            boxes.append(box.text())
            window.idle.start(0.001)  # the automatic sign-out fires while it is open

    watcher = QTimer()
    watcher.timeout.connect(look)
    watcher.start(20)
    reported = []
    workspace.exported.connect(reported.append)
    workspace.worklist.export_button.click()
    qtbot.waitUntil(lambda: window.workspace is None, timeout=10_000)
    watcher.stop()
    assert boxes and "PDF files saved: 3" in boxes[0]
    assert window.current_page() is window.sign_in_page
    assert "without activity" in window.sign_in_page.message.text()
    qtbot.waitUntil(lambda: not shiboken6.isValid(workspace), timeout=5000)  # deleted, later
    assert len(reported) == 1  # the export finished its work after the box was closed
    assert visible_dialogs(window) == []


def test_signing_out_during_a_batch_export_cancels_it_cleanly(qtbot, make_desk, seeded_store,
                                                              dialogs, tmp_path, monkeypatch):
    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: slow_pdf)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    workspace = window.workspace
    ids = select_rows(workspace.worklist, 10)
    dialogs.answer("choose_directory", tmp_path)
    workspace.worklist.export_button.click()
    batch = workspace.export
    qtbot.waitUntil(lambda: batch.dialog.value() >= 1, timeout=5000)
    window.menu_actions["sign_out"].trigger()
    assert window.workspace is None and window.current_page() is window.sign_in_page
    assert not batch.thread.isRunning()  # stopped and waited for, not left behind
    written = sorted(tmp_path.glob("*.pdf"))
    assert 1 <= len(written) < len(ids)
    qtbot.waitUntil(lambda: not shiboken6.isValid(workspace), timeout=5000)
    qtbot.wait(50)
    assert sorted(tmp_path.glob("*.pdf")) == written  # nothing more was written afterwards
    assert [s for s in dialogs.shown if s.kind in ("info", "error")] == []  # nobody to tell
    assert visible_dialogs(window) == []


def test_the_list_reads_after_sign_out_and_sign_in_while_another_program_pushes(
        qtbot, make_desk, seeded_store):
    """Seen after a long session: "The list could not be read: ... reading or writing the
    database file" after sign-out and sign-in, until a restart (tests/store/test_store_locks.py
    has the cause: the list thread's store dropped the window's locks on the file)."""
    from tests.store.test_store_locks import other_process_takes_it
    from tests.ui.desk.conftest import wait_list

    window = make_desk(seeded_store)
    for _ in range(2):
        sign_in(qtbot, window)
        window.sign_out()
    assert other_process_takes_it(seeded_store.path) == "refused: database is locked"
    sign_in(qtbot, window)
    page = window.workspace.worklist
    page.refresh()
    wait_list(qtbot, window)
    assert page.count.text().startswith(f"{seeded_store.count_submissions()} submissions")


def test_a_long_failure_message_wraps_instead_of_widening_the_window(qtbot, make_desk,
                                                                     seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    width = window.width()
    page = window.workspace.worklist
    page._show_failure("The computer reported an error while reading or writing the database "
                       "file; the last change was not saved. Check the disk, then try again. " * 4)
    qtbot.wait(50)
    assert window.width() == width and window.minimumSizeHint().width() <= width
    assert page.count.wordWrap() and page.count.height() > page.count.fontMetrics().height() * 2
