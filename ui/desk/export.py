"""PDF export of one or many submissions, in a worker thread with a cancellable progress dialog.

The worker opens its own Store (SQLite connections belong to one thread), writes one PDF
per submission, reports progress after each file and looks at the cancel flag between
files, so Cancel stops after the file being written. A file that fails is reported and
the batch goes on; nothing about the failure is shown as a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from screening_app.i18n import Translator
from screening_app.store import Store, StoreError
from ui.desk.selection import RowSelection
from ui.desk.store_text import store_message

log = logging.getLogger(__name__)

ExportFunction = Callable[[Store, int, Path], Path]
LAST_FOLDER_KEY = "desk/export_folder"


def export_folder(settings: QSettings) -> Path:
    """Where the export dialogs start: the last folder used while it still exists, else the
    user's Documents folder, created when missing (a save there failed with "No such file
    or directory", and Qt's folder dialog greys out Choose when it starts in a folder that
    does not exist), else the home folder."""
    last = settings.value(LAST_FOLDER_KEY)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents:
        try:
            Path(documents).mkdir(parents=True, exist_ok=True)
            return Path(documents)
        except OSError:
            log.warning("the Documents folder could not be created")
    return Path.home()


def remember_folder(settings: QSettings, folder: Path) -> None:
    settings.setValue(LAST_FOLDER_KEY, str(folder))


def pdf_exporter() -> ExportFunction | None:
    """The PDF export function, or None when this installation has none."""
    try:
        from screening_app.export.pdf import export_pdf
    except ModuleNotFoundError as error:
        if error.name and "screening_app.export.pdf".startswith(error.name):
            return None
        raise
    return export_pdf


def file_name(submission_id: int) -> str:
    """The submission's number only: its resume code opens a draft at the kiosk, and a
    file name is seen by anyone who sees the folder."""
    return f"submission-{submission_id}.pdf"


@dataclass
class ExportReport:
    saved: list[Path] = field(default_factory=list)
    failed: list[tuple[int | None, str]] = field(default_factory=list)  # (submission id, message)
    cancelled: bool = False
    total: int = 0


class Worker(QObject):
    """What BatchExport runs on its thread: `run` reports `progress` and ends with
    `finished`; `cancel` asks it to stop at the next safe point."""

    progress = Signal(int, int)  # done, total
    finished = Signal(object)  # ExportReport

    def __init__(self, t: Translator, total: int, folder: Path) -> None:
        super().__init__()
        self.t, self.total, self.folder = t, total, folder
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def title(self) -> str:
        return self.t("desk.export.title")

    def progress_text(self, done: int, total: int) -> str:
        return self.t("desk.export.progress", done=done, total=total)

    def summary(self, report: ExportReport) -> tuple[bool, str]:
        return summary(report, self.t, self.folder)

    def run(self) -> None:
        raise NotImplementedError


class ExportWorker(Worker):
    """Writes the PDFs; `chosen` is a list of ids or the work list's RowSelection, which the
    worker resolves to ids itself (rows the list never read included)."""

    def __init__(self, db_path: Path, chosen: list[int] | RowSelection, folder: Path,
                 export: ExportFunction, t: Translator, single_path: Path | None = None) -> None:
        chosen = chosen if isinstance(chosen, RowSelection) else RowSelection.of_ids(chosen)
        super().__init__(t, chosen.count, folder)
        self.chosen = chosen
        self.db_path, self.export = db_path, export
        self.ids: list[int] = []
        self.single_path = single_path

    def run(self) -> None:
        report = ExportReport(total=self.chosen.count)
        try:
            store = Store.open(self.db_path, existing=True, check=False)  # the window checked it
            self.ids = self.chosen.resolve(store)
        except StoreError as error:
            report.failed = [(None, store_message(error, self.t))]  # nothing was written
            self.finished.emit(report)
            return
        report.total = len(self.ids)
        self.progress.emit(0, report.total)
        with store:
            for done, submission_id in enumerate(self.ids, start=1):
                if self._cancel.is_set():
                    report.cancelled = True
                    break
                self._one(store, submission_id, report)
                self.progress.emit(done, len(self.ids))
        self.finished.emit(report)

    def _one(self, store: Store, submission_id: int, report: ExportReport) -> None:
        try:
            target = self.single_path or self.folder / file_name(
                store.get_submission(submission_id).id)
            report.saved.append(Path(self.export(store, submission_id, target)))
        except StoreError as error:
            report.failed.append((submission_id, store_message(error, self.t)))
        except OSError as error:
            report.failed.append((submission_id, self.t("desk.export.write_failed",
                                                        reason=error.strerror or str(error))))
        except Exception:  # a bug in one PDF must not lose the others; details go to the log
            log.exception("PDF export failed for submission %s", submission_id)
            report.failed.append((submission_id, self.t("desk.export.unexpected")))


class BatchExport(QObject):
    """Runs a Worker on its own thread behind a progress dialog with Cancel."""

    done = Signal(object)  # ExportReport

    def __init__(self, parent: QWidget, t: Translator, worker: Worker) -> None:
        super().__init__(parent)
        self.t = t
        self.worker = worker
        self.thread = QThread(self)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.progress.connect(self._progress)
        worker.finished.connect(self._finished)
        total = worker.total
        self.dialog = QProgressDialog(worker.progress_text(0, total),
                                      t("desk.common.cancel"), 0, total, parent)
        self.dialog.setObjectName("export-progress")
        self.dialog.setWindowTitle(worker.title())
        # Not modal: a modal progress dialog runs the event loop inside every setValue(),
        # so anything (the idle sign-out) could happen in the middle of it; and the list
        # stays usable while the files are written.
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.report: ExportReport | None = None
        self._stopped = False

    def start(self) -> None:
        self.dialog.setValue(0)
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel()
        self.dialog.setLabelText(self.t("desk.export.cancelling"))

    def _progress(self, done: int, total: int) -> None:
        if self._stopped:
            return
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        if not self.worker.cancelled():
            self.dialog.setLabelText(self.worker.progress_text(done, total))

    def _finished(self, report: ExportReport) -> None:
        if self._stopped:  # signed out meanwhile: nobody to tell
            return
        self.report = report
        self.thread.quit()
        self.thread.wait()
        self.dialog.canceled.disconnect(self.cancel)
        self.dialog.close()
        self.done.emit(report)

    def running(self) -> bool:
        return self.thread.isRunning()

    def stop(self) -> None:
        """Cancel and wait for the file being written (the sign-out): nothing is reported
        afterwards, the progress dialog is gone."""
        self._stopped = True
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()
        self.dialog.close()


def summary(report: ExportReport, t: Translator, folder: Path | None) -> tuple[bool, str]:
    """(all well, text) for the message after an export."""
    lines = []
    if report.saved:
        lines.append(t("desk.export.saved", count=len(report.saved),
                       folder=str(folder or report.saved[0].parent)))
    if report.cancelled:
        lines.append(t("desk.export.cancelled", left=report.total - len(report.saved)
                       - len(report.failed)))
    for submission_id, message in report.failed[:10]:
        lines.append(message if submission_id is None else
                     t("desk.export.failed_one", id=submission_id, message=message))
    if len(report.failed) > 10:
        lines.append(t("desk.export.failed_more", count=len(report.failed) - 10))
    return (not report.failed, "\n".join(lines) or t("desk.export.nothing"))
