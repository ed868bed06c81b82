"""Where the export dialogs start: a folder that exists (the Documents folder was missing
on a fresh account: the save failed and the folder dialog's Choose stayed greyed out),
then the last folder used."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from tests.ui.desk.conftest import sign_in
from ui.desk.export import export_folder
from ui.dialogs import QtDialogs


def fresh_home(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs.dirs there
    return home


def test_the_documents_folder_is_created_and_the_last_folder_is_remembered(
        qtbot, make_desk, seeded_store, dialogs, settings, tmp_path, monkeypatch):
    home = fresh_home(tmp_path, monkeypatch)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    row = seeded_store.list_submissions(status="submitted", limit=1)[0]
    view = window.workspace.open_submission(row.id)
    elsewhere = tmp_path / "summaries"
    elsewhere.mkdir()
    dialogs.answer("choose_save_path", elsewhere / "one.pdf")
    with qtbot.waitSignal(window.workspace.exported, timeout=30_000) as blocker:
        view.buttons["export"].click()
    assert not blocker.args[0].failed
    suggested = Path(dialogs.shown[-1].text)
    assert suggested.parent == home / "Documents" and suggested.parent.is_dir()
    # The next dialog, single or batch, starts where the last file went.
    assert export_folder(settings) == elsewhere
    dialogs.answer("choose_directory", None)
    window.workspace.export_many([row.id])
    assert Path(dialogs.shown[-1].text) == elsewhere
    # A remembered folder that has gone is not offered.
    (elsewhere / "one.pdf").unlink()
    elsewhere.rmdir()
    assert export_folder(settings) == home / "Documents"


def test_the_batch_folder_dialog_can_choose_its_folder(qtbot, make_desk, seeded_store, settings,
                                                       tmp_path, monkeypatch):
    home = fresh_home(tmp_path, monkeypatch)
    window = make_desk(seeded_store)
    start = export_folder(settings)
    assert start == home / "Documents" and start.is_dir()
    seen = {}

    def press_choose():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, press_choose)
            return
        button = dialog.findChild(QDialogButtonBox).buttons()[0]
        seen["enabled"], seen["text"] = button.isEnabled(), button.text()
        button.click()

    QTimer.singleShot(0, press_choose)
    chosen = QtDialogs().choose_directory(window, "Folder", start)
    assert seen == {"enabled": True, "text": "&Choose"}
    assert chosen == start
