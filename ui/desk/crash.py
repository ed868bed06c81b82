"""The last line of defence: an unexpected error becomes a plain message, never a traceback.

The traceback goes to a log file in the per-user log folder (for the developers; it
holds code locations and error types, and the app's own errors never carry patient
data). The person sees what happened in plain words and where the details are.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from screening_app.i18n import Translator


def log_path() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("msc-screening", appauthor=False)) / "desk-errors.log"


def install_crash_handler(t: Translator) -> bool:
    """Install the handler unless someone (a test runner, a debugger) already has one."""
    if sys.excepthook is not sys.__excepthook__:
        return False

    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        target = log_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle_file:
                handle_file.write("".join(traceback.format_exception(kind, error, tb)) + "\n")
        except OSError:
            target = Path("-")
        if QApplication.instance() is not None:
            QMessageBox.critical(QApplication.activeWindow(), t("desk.crash.title"),
                                 t("desk.crash.text", path=str(target)))

    sys.excepthook = handle
    return True
