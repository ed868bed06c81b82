"""The last line of defence: an unexpected error becomes a plain message, never a traceback.

The error goes to the app's error log (screening_app/errorlog.py), for support: its type,
where it happened and the app's version, never its text (an error's text can hold what
someone typed, a name for instance). The person sees what happened in plain words and the
log file's name.

An error can happen on any thread (the work list's loader, the export worker), but
widgets belong to the GUI thread: the report is passed to it through a queued signal, and
the message box is shown there, without an event loop of its own. While it is open, later
errors are only logged; the box is not shown a second time over itself.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from screening_app.errorlog import record
from screening_app.i18n import Translator


class CrashReporter(QObject):
    """Logs an unexpected error from any thread and tells the person on the GUI thread."""

    _report = Signal(str)  # the log file's path

    def __init__(self, t: Translator, log_file: Path | None = None) -> None:
        super().__init__()
        app = QApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())  # its slot always runs on the GUI thread
        self.t = t
        self.log_file = log_file
        self.box: QMessageBox | None = None
        self.suppressed = 0  # errors logged while the box was already open
        self._report.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    def handle(self, kind: type[BaseException], error: BaseException | None,
               tb: TracebackType | None) -> None:
        """sys.excepthook's signature; safe on any thread."""
        written = record(kind, error, tb, "desk", self.log_file)
        self._report.emit(str(written) if written else "-")

    def handle_thread(self, args: threading.ExceptHookArgs) -> None:
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def _tell(self, path: str) -> None:
        if self.box is not None and self.box.isVisible():
            self.suppressed += 1
            return
        t = self.t
        self.box = QMessageBox(QMessageBox.Icon.Critical, t("desk.crash.title"),
                               t("desk.crash.text", path=path), QMessageBox.StandardButton.NoButton,
                               QApplication.activeWindow())
        self.box.setObjectName("crash-box")
        self.box.addButton(QMessageBox.StandardButton.Ok).setText(t("desk.common.ok"))
        self.box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.box.destroyed.connect(self._forget)
        self.box.open()

    def _forget(self) -> None:
        self.box = None


_installed: list[CrashReporter] = []  # kept alive as long as the hooks point at it


def install_crash_handler(t: Translator) -> bool:
    """Install the handler unless someone (a test runner, a debugger) already has one."""
    if sys.excepthook is not sys.__excepthook__:
        return False
    reporter = CrashReporter(t)
    _installed.append(reporter)
    sys.excepthook = reporter.handle
    threading.excepthook = reporter.handle_thread
    return True
