"""PDF export: one (opened in the viewer), many in a worker thread, and cancelling a batch."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pypdf
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

import ui.desk.workspace as workspace_module
from screening_app.engine.display import format_timestamp
from screening_app.i18n import Translator
from tests.ui.desk.conftest import sign_in
from ui.desk.export import ExportReport


def select_rows(page, count: int) -> list[int]:
    """Select the first `count` submitted rows the way Ctrl+click would."""
    from PySide6.QtCore import QItemSelectionModel

    model, chosen = page.model, []
    selection = page.table.selectionModel()
    for row in range(model.rowCount()):
        record = model.row_at(row)
        if record.submitted_at is not None and len(chosen) < count:
            selection.select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
            chosen.append(record.id)
    return chosen


def wait_export(qtbot, workspace) -> ExportReport:
    with qtbot.waitSignal(workspace.exported, timeout=30_000) as blocker:
        pass
    return blocker.args[0]


def test_batch_export_writes_readable_pdfs_in_a_worker(qtbot, make_desk, seeded_store, dialogs,
                                                       tmp_path, monkeypatch):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    ids = select_rows(page, 4)
    assert page.selected_ids() == sorted(ids, key=page.selected_ids().index) and len(ids) == 4
    folder = tmp_path / "pdfs"
    folder.mkdir()
    dialogs.answer("choose_directory", folder)
    # The window must keep handling events while the worker writes. The worker (the real
    # PDF export) waits after its first file until the UI thread's timer has seen that
    # file: it goes on only if the event loop ran mid-batch. (Sampling the folder from a
    # timer and hoping to catch 1-3 files failed about one run in three: while the worker
    # builds PDFs, every Python call of the UI thread waits for the GIL, a repaint of the
    # list took 100-250 ms instead of 30, and four files could be written in that time.)
    real_export = workspace_module.pdf_exporter()
    seen_mid_batch = threading.Event()

    def export_then_wait(store, submission_id, path):
        written = real_export(store, submission_id, path)
        if not seen_mid_batch.wait(60):
            raise AssertionError("the window handled no event while the batch was written")
        return written

    def tick():
        if 0 < len(list(folder.glob("*.pdf"))) < 4:
            seen_mid_batch.set()

    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: export_then_wait)
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    with qtbot.waitSignal(window.workspace.exported, timeout=120_000) as blocker:
        window.menu_actions["export_selected"].trigger()
    timer.stop()
    report = blocker.args[0]
    assert not report.failed and not report.cancelled
    assert len(report.saved) == 4
    for sid, path in zip(sorted(ids), sorted(report.saved, key=lambda p: int(p.stem.split("-")[1])),
                         strict=True):
        record = seeded_store.get_submission(sid)
        assert path.name == f"submission-{sid}.pdf"
        assert record.code not in path.name  # the code opens a draft: never in a file name
        text = "".join(page_.extract_text() for page_ in pypdf.PdfReader(path).pages)
        assert seeded_store.answers(sid)["last_name"] in text
        assert record.code in text
    assert any("PDF files saved: 4" in m for m in dialogs.messages("info"))


def test_single_export_opens_the_pdf_in_the_system_viewer(qtbot, make_desk, seeded_store,
                                                          dialogs, tmp_path):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    row = seeded_store.list_submissions(status="reviewed", limit=1)[0]
    view = window.workspace.open_submission(row.id)
    target = tmp_path / "summary"  # no suffix: .pdf is added
    dialogs.answer("choose_save_path", target)
    with qtbot.waitSignal(window.workspace.exported, timeout=30_000):
        view.buttons["export"].click()
    assert dialogs.opened == [tmp_path / "summary.pdf"]
    text = pypdf.PdfReader(tmp_path / "summary.pdf").pages[0].extract_text()
    assert row.code in text


def test_cancelling_a_batch_stops_between_files(qtbot, make_desk, seeded_store, dialogs,
                                                tmp_path, monkeypatch):
    written = []

    def slow_export(store, submission_id, path):
        time.sleep(0.15)
        path.write_bytes(b"%PDF-1.4 test\n")
        written.append(submission_id)
        return path

    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: slow_export)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    ids = select_rows(page, 12)
    dialogs.answer("choose_directory", tmp_path)
    page.export_button.click()
    batch = window.workspace.export
    assert batch.running()
    qtbot.waitUntil(lambda: batch.dialog.value() >= 1, timeout=5000)
    assert batch.dialog.isVisible()
    cancel = batch.dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    cancel.click()
    report = wait_export(qtbot, window.workspace) if batch.report is None else batch.report
    assert report.cancelled
    assert 1 <= len(report.saved) < len(ids)
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(p.name for p in report.saved)
    assert any("cancelled" in m for m in dialogs.messages("info"))
    assert not batch.running()


def test_export_problems_are_reported_per_file_without_a_traceback(qtbot, make_desk, seeded_store,
                                                                   dialogs, tmp_path, monkeypatch):
    def failing(store, submission_id, path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(workspace_module, "pdf_exporter", lambda: failing)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    select_rows(window.workspace.worklist, 2)
    dialogs.answer("choose_directory", tmp_path)
    with qtbot.waitSignal(window.workspace.exported, timeout=10_000):
        window.workspace.worklist.export_button.click()
    [message] = dialogs.messages("error")
    assert "could not be written (Permission denied)" in message
    assert "Traceback" not in message


def test_exporting_with_nothing_selected_says_what_to_do(qtbot, make_desk, seeded_store, dialogs):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    window.workspace.worklist.table.clearSelection()
    window.workspace.worklist.export_button.click()
    assert "Select one or more" in dialogs.messages("info")[0]


def test_the_review_marked_at_the_desk_is_on_the_pdf(qtbot, make_desk, seeded_store, dialogs,
                                                     tmp_path):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-clinician")
    row = next(r for r in seeded_store.list_submissions(status="submitted", limit=100)
               if r.lang == "en")
    view = window.workspace.open_submission(row.id)
    meaning = "Checked against the hospital records of the candidate"
    dialogs.answer("ask_decision", ("invite", meaning))
    view.buttons["review"].click()
    dialogs.answer("choose_save_path", tmp_path / "reviewed.pdf")
    with qtbot.waitSignal(window.workspace.exported, timeout=30_000):
        view.buttons["export"].click()
    reader = pypdf.PdfReader(tmp_path / "reviewed.pdf")
    text = " ".join(" ".join(page_.extract_text().split()) for page_ in reader.pages)
    assert meaning in text and "Invite to a screening visit" in text
    assert "Dr. Demo Clinician (clinician)" in text  # who (by name and role), and when:
    when = format_timestamp(seeded_store.get_submission(row.id).reviewed_at, Translator("en"))
    assert " ".join(when.split()) in text


def test_a_draft_exports_alone_as_in_a_batch_marked_draft(qtbot, make_desk, seeded_store,
                                                          dialogs, tmp_path):
    """The single export was disabled for drafts while a batch wrote their PDFs."""
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    view = window.workspace.open_submission(draft.id)
    button = view.buttons["export"]
    assert button.isEnabled() and "DRAFT" in button.toolTip()
    dialogs.answer("choose_save_path", tmp_path / "draft.pdf")
    with qtbot.waitSignal(window.workspace.exported, timeout=30_000) as blocker:
        button.click()
    assert not blocker.args[0].failed
    text = " ".join(page_.extract_text() for page_ in pypdf.PdfReader(tmp_path / "draft.pdf").pages)
    assert "DRAFT" in text and draft.code in text


def test_no_file_name_carries_a_resume_code(qtbot, make_desk, seeded_store, dialogs, tmp_path):
    """A draft's code opens it at the kiosk: the suggested name and the batch's names leave
    it out (the suggested name of a draft's PDF was `submission-<id>-<code>.pdf`)."""
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    view = window.workspace.open_submission(draft.id)
    dialogs.answer("choose_save_path", None)  # cancelled: only the suggestion matters
    view.buttons["export"].click()
    [suggested] = [s.text for s in dialogs.shown if s.kind == "choose_save_path"]
    assert Path(suggested).name == f"submission-{draft.id}.pdf"
    assert draft.code not in suggested and draft.code.replace("-", "") not in suggested
