"""The study's CSV from the desk (Work menu): written by a worker behind the progress
dialog, every submission of the shipped questionnaire in it; Cancel leaves no file."""

from __future__ import annotations

import csv
import threading

from PySide6.QtWidgets import QPushButton

import ui.desk.workspace as workspace_module
from screening_app.export.csv import export_csv
from tests.ui.desk.conftest import sign_in


def rows_of(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_study_csv_is_exported_from_the_work_menu(qtbot, make_desk, seeded_store, dialogs,
                                                      tmp_path):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    action = window.menu_actions["export_csv"]
    work_menu = window.menuBar().actions()[0].menu()
    work_menu.aboutToShow.emit()  # what opening the menu does
    assert action.isVisible() and action.isEnabled()
    out = tmp_path / "study.csv"
    dialogs.answer("choose_save_path", out)
    progress = []
    with qtbot.waitSignal(window.workspace.exported, timeout=60_000) as blocker:
        action.trigger()
        window.workspace.export.worker.progress.connect(lambda done, total: progress.append(done))
    report = blocker.args[0]
    assert not report.failed and not report.cancelled
    assert out in report.saved and (tmp_path / "study_treatments.csv") in report.saved
    exported = {int(row["submission_id"]) for row in rows_of(out)}
    assert exported == set(seeded_store.submission_ids())
    assert report.total == len(exported) and progress and progress[-1] == len(exported)
    [message] = dialogs.messages("info")
    assert f"The answers of {len(exported)} submissions were saved" in message
    assert "study.csv" in message and "study_dictionary.csv" in message


def test_cancelling_the_study_export_leaves_the_previous_files(qtbot, make_desk, seeded_store,
                                                               dialogs, tmp_path, monkeypatch):
    started, go_on = threading.Event(), threading.Event()

    def gated(store, out, status, deidentify, progress):
        def step(done, total):
            if done == 1:
                started.set()
                go_on.wait(30)
            progress(done, total)
        return export_csv(store, out, status, deidentify, progress=step)

    monkeypatch.setattr(workspace_module, "study_exporters", lambda: {"csv": gated})
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    out = tmp_path / "study.csv"
    out.write_text("the previous export\n")
    dialogs.answer("choose_save_path", out)
    window.workspace.export_study("csv")
    batch = window.workspace.export
    qtbot.waitUntil(started.is_set, timeout=30_000)
    with qtbot.waitSignal(window.workspace.exported, timeout=30_000) as blocker:
        batch.dialog.findChild(QPushButton).click()  # Cancel
        go_on.set()
    assert blocker.args[0].cancelled and not blocker.args[0].saved
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk-settings.ini", "desk.db",
                                                          "desk.db-shm", "desk.db-wal",
                                                          "study.csv"]
    assert dialogs.messages("info") == ["Export cancelled; no file was written."]


def test_the_redcap_files_are_exported_from_the_work_menu(qtbot, make_desk, seeded_store,
                                                          dialogs, tmp_path):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    window.menuBar().actions()[0].menu().aboutToShow.emit()
    action = window.menu_actions["export_redcap"]
    assert action.isVisible()
    dialogs.answer("choose_save_path", tmp_path / "redcap")  # .csv is added
    progress = []
    with qtbot.waitSignal(window.workspace.exported, timeout=60_000) as blocker:
        action.trigger()
        window.workspace.export.worker.progress.connect(lambda done, total: progress.append(done))
    report = blocker.args[0]
    assert not report.failed
    assert sorted(p.name for p in report.saved) == ["redcap_data.csv", "redcap_dictionary.csv"]
    with (tmp_path / "redcap_data.csv").open(encoding="utf-8", newline="") as handle:
        records = {row["record_id"] for row in csv.DictReader(handle)}
    assert len(records) == len(seeded_store.submission_ids()) == progress[-1]
