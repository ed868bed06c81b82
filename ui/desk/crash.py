"""The last line of defence: an unexpected error becomes a plain message, never a traceback.

The traceback goes to a log file in the per-user log folder, for the developers: the
error's type and where it happened, not its text (an error's text can hold what someone
typed, a name for instance). The person sees what happened in plain words and where the
details are.

An error can happen on any thread (the work list's loader, the export worker), but
widgets belong to the GUI thread: the report is passed to it through a queued signal, and
the message box is shown there, without an event loop of its own. While it is open, later
errors are only logged; the box is not shown a second time over itself.
"""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from screening_app.i18n import Translator


def log_path() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("msc-screening", appauthor=False)) / "desk-errors.log"


def describe(kind: type[BaseException], tb: TracebackType | None) -> str:
    """The error's type and the code it went through; never its message."""
    return f"{kind.__module__}.{kind.__qualname__}\n" + "".join(traceback.format_tb(tb))


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
        self._lock = threading.Lock()
        self._report.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    def handle(self, kind: type[BaseException], error: BaseException | None,
               tb: TracebackType | None) -> None:
        """sys.excepthook's signature; safe on any thread."""
        target = self.log_file or log_path()
        try:
            with self._lock:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("a", encoding="utf-8") as handle_file:
                    handle_file.write(describe(kind, tb) + "\n")
        except OSError:
            target = Path("-")
        self._report.emit(str(target))

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
