"""The study's data from the desk (Work ▸ Export study data): the same bulk exports as
`export --all --format csv` (and REDCap, when this installation has it), written by a
worker thread behind the PDF batch's progress dialog, with Cancel.

The export is one consistent snapshot of the database; Cancel stops it between two
submissions and leaves no file (the previous export of the same name stays as it was).
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from screening_app.i18n import Translator
from screening_app.store import Store, StoreError
from ui.desk.export import ExportReport, Worker
from ui.desk.store_text import store_message

log = logging.getLogger(__name__)

STUDY_FORMATS = ("csv", "redcap")  # in the Work menu, in this order, when installed
PROGRESS_EVERY_S = 0.1  # the dialog needs no more than ten updates a second


def study_exporters() -> dict[str, Callable[..., list[Path]]]:
    """The bulk exports this installation has, by format name."""
    from screening_app.export.commands import load_formats

    formats = load_formats()
    return {name: formats[name].bulk for name in STUDY_FORMATS
            if name in formats and formats[name].bulk is not None}


def suggested_name(fmt: str, today: date | None = None) -> str:
    return f"study-{fmt}-{(today or date.today()).isoformat()}.csv"


class StudyExportWorker(Worker):
    def __init__(self, db_path: Path, fmt: str, export: Callable[..., list[Path]], out: Path,
                 t: Translator) -> None:
        super().__init__(t, 0, out.parent)  # the total is known once the worker counted
        self.db_path, self.fmt, self.export, self.out = db_path, fmt, export, out
        self._last_emit = 0.0

    def title(self) -> str:
        return self.t(f"desk.study.title_{self.fmt}")

    def progress_text(self, done: int, total: int) -> str:
        return (self.t("desk.study.progress", done=f"{done:,}", total=f"{total:,}") if total
                else self.t("desk.study.starting"))

    def summary(self, report: ExportReport) -> tuple[bool, str]:
        if report.failed:
            return False, "\n".join(message for _, message in report.failed)
        if report.cancelled:
            return True, self.t("desk.study.cancelled")
        return True, self.t.plural("desk.study.saved", report.total, count=f"{report.total:,}",
                            files="\n".join(path.name for path in report.saved),
                            folder=str(self.folder))

    def run(self) -> None:
        from screening_app.commands import UsageError
        from screening_app.export.formats import ExportCancelled

        report = ExportReport()
        # A bulk export that cannot tell its progress still runs; the bar then just waits.
        takes_progress = "progress" in inspect.signature(self.export).parameters
        try:
            with Store.open(self.db_path, existing=True) as store:
                extra = {"progress": lambda done, total: self._progress(done, total, report)}
                report.saved = list(self.export(store, self.out, None, False,
                                                **(extra if takes_progress else {})))
        except ExportCancelled:
            report.cancelled = True
        except StoreError as error:
            report.failed.append((None, store_message(error, self.t)))
        except UsageError:  # nothing of this questionnaire to export
            report.failed.append((None, self.t("desk.study.nothing")))
        except OSError as error:
            report.failed.append((None, self.t("desk.study.write_failed",
                                               reason=error.strerror or type(error).__name__)))
        except Exception:  # details (never the data) go to the log
            log.exception("study export failed")
            report.failed.append((None, self.t("desk.study.unexpected")))
        self.finished.emit(report)

    def _progress(self, done: int, total: int, report: ExportReport) -> None:
        from screening_app.export.formats import ExportCancelled

        if self.cancelled():
            raise ExportCancelled
        report.total = total
        now = time.monotonic()
        if done in (0, total) or now - self._last_emit >= PROGRESS_EVERY_S:
            self._last_emit = now
            self.progress.emit(done, total)
