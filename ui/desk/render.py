"""Render the desk's main screens to PNG from a (demo) database, to look at them.

    python -m ui.desk.render --out /tmp/desk-png [--db PATH] [--size 1366x768 --size 1920x1080]
                             [--text-scale 100 --text-scale 150] [--qt-scale 1.5] [--lang es]

Screens: first run, sign-in, work list (plain, searched, filtered), submission view and
its history, the edit dialog, correcting the person's details, a new intake with the
duplicate warning and with the choice between two spellings, the kiosk
hand-off, filling in at the desk, and users and settings. An empty database is first
seeded with demo data. `--qt-scale` sets QT_SCALE_FACTOR (the operating system's display
scaling, e.g. 1.25 or 1.5); `--text-scale` the desk's own text size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

SCREENS = ("first-run", "sign-in", "worklist", "worklist-search", "worklist-filtered",
           "submission", "history", "edit", "person", "new-intake-duplicate",
           "new-intake-spelling", "handoff", "fill", "users", "signoffs", "check-dialog",
           "review-dialog")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--db", type=Path, default=None, help="database (default: a temporary demo)")
    parser.add_argument("--size", action="append", default=None, help="WIDTHxHEIGHT (repeatable)")
    parser.add_argument("--text-scale", type=int, action="append", default=None,
                        choices=(100, 125, 150))
    parser.add_argument("--qt-scale", type=float, default=None)
    parser.add_argument("--count", type=int, default=300, help="demo submissions for an empty db")
    parser.add_argument("--only", action="append", choices=SCREENS, default=None)
    parser.add_argument("--lang", choices=("en", "es"), default="en", help="the desk's language")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.qt_scale:
        os.environ["QT_SCALE_FACTOR"] = str(args.qt_scale)
    from PySide6.QtWidgets import QApplication


    app = QApplication.instance() or QApplication(sys.argv[:1])
    sizes = [tuple(int(n) for n in s.lower().split("x")) for s in (args.size or ["1366x768"])]
    scales = args.text_scale or [100]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "demo.db"
        written = Renderer(app, db, Path(scratch), args.out, args.count,
                           set(args.only or SCREENS), args.lang).run(sizes, scales)
    for path in written:
        print(path)
    return 0


class Renderer:
    def __init__(self, app, db: Path, scratch: Path, out: Path, count: int, screens: set[str],
                 lang: str = "en") -> None:
        from PySide6.QtCore import QSettings

        from screening_app.demo import ensure_demo_users, seed_demo
        from screening_app.store import Store

        self.app, self.out, self.screens, self.scratch = app, out, screens, scratch
        self.lang = lang
        self.store = Store.open(db)
        if not self.store.count_submissions():
            seed_demo(self.store, count)
        ensure_demo_users(self.store)
        self.settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        self.written: list[Path] = []

    def run(self, sizes: list[tuple[int, int]], scales: list[int]) -> list[Path]:
        for width, height in sizes:
            for scale in scales:
                self.settings.setValue("desk/text_scale", scale)
                self.settings.remove("desk/geometry")
                self.settings.remove("desk/worklist_header")
                self._pass(width, height, scale)
        self.store.close()
        return self.written

    # -- helpers ------------------------------------------------------------------------

    def wait(self, ms: int = 150, until: Callable[[], bool] | None = None) -> None:
        """Let Qt run for `ms` (or until `until()` holds, at most 10 s)."""
        import time

        from PySide6.QtCore import QEventLoop, QTimer

        deadline = time.monotonic() + (10 if until else ms / 1000)
        while time.monotonic() < deadline:
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()
            if until is not None and until():
                break

    def window(self, store, width: int, height: int):
        from screening_app.i18n import Translator
        from ui.desk.window import DeskWindow
        from ui.dialogs import ScriptedDialogs

        window = DeskWindow(store, ScriptedDialogs(strict=False), self.settings, Translator(self.lang))
        window.resize(width, height)
        window.show()
        self.wait(100)
        return window

    def shoot(self, name: str, window, dialog=None, suffix: str = "") -> None:
        """The window; a dialog is drawn over it, centred, with a title bar like a desktop's."""
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QColor, QPainter

        self.wait(120)
        image = window.grab()
        if dialog is not None:
            shot = dialog.grab()
            bar = dialog.fontMetrics().height() + 12
            painter = QPainter(image)
            painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
            x = max(0, (image.width() - shot.width()) // 2)
            y = max(bar, (image.height() - shot.height() - bar) // 3 + bar)
            painter.fillRect(QRect(x, y - bar, shot.width(), bar), QColor("#3c4043"))
            painter.setPen(QColor("#ffffff"))
            painter.drawText(QRect(x + 10, y - bar, shot.width() - 20, bar),
                             Qt.AlignmentFlag.AlignVCenter, dialog.windowTitle())
            painter.drawPixmap(x, y, shot)
            painter.end()
        path = self.out / f"{name}{suffix}.png"
        image.save(str(path))
        self.written.append(path)

    def sign_in(self, window, username: str) -> None:
        window.sign_in_page.username.setText(username)
        window.sign_in_page.secret.setText("246810")
        window.sign_in_page.submit()
        model = window.workspace.worklist.model
        self.wait(100, until=lambda: not model.loading and model.rowCount() > 0)

    # -- the screens --------------------------------------------------------------------

    def _pass(self, width: int, height: int, scale: int) -> None:
        from screening_app.store import Store

        suffix = f"-{width}x{height}-{scale}" + ("" if self.lang == "en" else f"-{self.lang}")
        wanted = self.screens.__contains__
        if wanted("first-run"):
            with Store.open(self.scratch / f"empty-{width}-{scale}.db") as empty:
                window = self.window(empty, width, height)
                window.first_run.clinic.setText("Clínica Demo Norte")
                window.first_run.study.setText("MSC infusion in MS")
                self.shoot("first-run", window, suffix=suffix)
                window.close()
        window = self.window(self.store, width, height)
        if wanted("sign-in"):
            window.sign_in_page.username.setText("demo-coordinator")
            window.sign_in_page.secret.setText("1111")
            window.sign_in_page.submit()  # a wrong PIN, to show the message
            self.shoot("sign-in", window, suffix=suffix)
        self.sign_in(window, "demo-coordinator")
        page = window.workspace.worklist
        self.shoot("worklist", window, suffix=suffix) if wanted("worklist") else None
        if wanted("worklist-search"):
            page.search.setText("demo-gar")
            page.apply_filters()
            self.wait(100, until=lambda: not page.model.loading)
            self.shoot("worklist-search", window, suffix=suffix)
            page.search.clear()
        if wanted("worklist-filtered"):
            page.status.setCurrentIndex(page.status.findData("submitted"))
            page.severity.setCurrentIndex(page.severity.findData("exclusion"))
            self.wait(100, until=lambda: not page.model.loading)
            self.shoot("worklist-filtered", window, suffix=suffix)
            page.status.setCurrentIndex(0)
            page.severity.setCurrentIndex(0)
        self.wait(100, until=lambda: not page.model.loading)
        chosen = self._corrected_submission()
        view = window.workspace.open_submission(chosen) if chosen is not None else None
        if view is not None:
            self._submission_screens(window, view, suffix)
        if wanted("signoffs") or wanted("check-dialog"):
            self._signoff_screens(window, suffix)
        if wanted("new-intake-duplicate") or wanted("new-intake-spelling"):
            self._new_intake(window, suffix)
        if wanted("handoff") or wanted("fill"):
            drafts = self.store.list_submissions(status="draft", limit=1)
            if drafts and wanted("handoff"):
                dialog = window.workspace.show_handoff(drafts[0].id)
                self.shoot("handoff", window, dialog, suffix)
                dialog.close()
            if drafts and wanted("fill"):
                dialog = window.workspace.fill_at_desk(drafts[0].id)
                self.shoot("fill", window, dialog, suffix)
                dialog.reject()
        window.sign_out()
        if wanted("review-dialog"):
            self._review_dialog(window, suffix)
        if wanted("users"):
            self.sign_in(window, "demo-admin")
            dialog = window.open_users()
            self.shoot("users", window, dialog, suffix)
            dialog.close()
        window.close()

    def _corrected_submission(self) -> int | None:
        """A submitted one with an exclusion flag, preferably with a corrected answer (so
        the history shows a reason)."""
        rows = self.store.list_submissions(status="submitted", severity="exclusion", limit=60)
        for row in rows:
            if any(e.action == "answer_edited" for e in self.store.audit_history(row.id)):
                return row.id
        return rows[0].id if rows else None

    def _submission_screens(self, window, view, suffix: str) -> None:
        wanted = self.screens.__contains__
        if wanted("submission"):
            self.shoot("submission", window, suffix=suffix)
        if wanted("history"):
            view.left_tabs.setCurrentIndex(1)
            self.shoot("history", window, suffix=suffix)
            view.left_tabs.setCurrentIndex(0)
        if wanted("person"):
            view.correct_person()
            dialog = view.person_dialog
            if dialog is not None:
                last = dialog.widgets["last_name"]
                last.edit.setText(f"{last.value() or ''} García")
                last.edit.textEdited.emit(last.edit.text())
                dialog.reason.setText("Second surname, read from the ID card")
                self.shoot("person", window, dialog, suffix)
                dialog.reject()
        if wanted("edit"):
            view.answers.select_path("edss_score")
            if view.answers.current_path() is None:
                view.answers.select_path("mobility_level")
            view.edit_selected()
            dialog = view.edit_dialog
            if dialog is not None:
                self.shoot("edit", window, dialog, suffix)
                dialog.reject()

    def _signoff_screens(self, window, suffix: str) -> None:
        """A questionnaire checked and clinically reviewed (the header says both), and the
        coordinator's check of a submitted one whose answers do not all fit together."""
        from ui.dialogs import _TextDialog

        wanted, t = self.screens.__contains__, window.t
        both = next((r.id for r in self.store.list_submissions(status="reviewed", limit=100)
                     if len(self.store.get_submission(r.id).signoffs) == 2), None)
        if wanted("signoffs") and both is not None:
            window.workspace.open_submission(both)
            self.shoot("signoffs", window, suffix=suffix)
        submitted = self.store.list_submissions(status="submitted", limit=200)
        consistency = {r.id for r in window.questionnaire.rules if r.kind == "consistency"}
        misfit = next((r.id for r in submitted if any(
            f.rule in consistency for f in self.store.flags(r.id))), None)
        chosen = misfit if misfit is not None else (submitted[0].id if submitted else None)
        if wanted("check-dialog") and chosen is not None:
            view = window.workspace.open_submission(chosen)
            dialog = _TextDialog(window, t("desk.check.title"), view.check_label(),
                                 t("desk.check.meaning"), t("desk.check.ok"), t("desk.common.cancel"))
            dialog.show()
            self.shoot("check-dialog", window, dialog, suffix)
            dialog.close()

    def _review_dialog(self, window, suffix: str) -> None:
        """The clinician, signed in, about to review a questionnaire the coordinator checked."""
        from screening_app.store.records import DECISIONS
        from ui.dialogs import _DecisionDialog

        checked = self.store.list_submissions(status="checked", limit=1)
        if not checked:
            return
        self.sign_in(window, "demo-clinician")
        t = window.t
        window.workspace.open_submission(checked[0].id)
        dialog = _DecisionDialog(window, t("desk.review.title"),
                                 t("desk.review.label", name=window.user.display_name),
                                 [(d, t(f"signoff.decision.{d}")) for d in DECISIONS],
                                 t("desk.review.note"), t("desk.review.ok"), t("desk.common.cancel"))
        dialog.group.buttons()[2].setChecked(True)
        dialog.edit.setPlainText("Ask the neurologist for the last MRI report and EDSS.")
        dialog.show()
        self.shoot("review-dialog", window, dialog, suffix)
        dialog.close()
        window.sign_out()

    def _new_intake(self, window, suffix: str) -> None:
        from PySide6.QtTest import QTest

        row = self.store.list_submissions(status="reviewed", limit=1)[0]
        person = self.store.get_candidate(row.candidate_id)
        dialog = window.workspace.new_intake()
        for item_id, text in (("first_name", person.first_name.upper()),
                              ("last_name", person.last_name)):
            edit = dialog.widgets[item_id].edit
            edit.setText(text)
            edit.textEdited.emit(text)  # as typed (QTest types ASCII only)
        year, month, day = person.date_of_birth.split("-")
        date = dialog.widgets["date_of_birth"]
        QTest.keyClicks(date.day, str(int(day)))
        date.month.setCurrentIndex(int(month))
        date.month.activated.emit(int(month))
        QTest.keyClicks(date.year, year)
        dialog.check_duplicates()
        if "new-intake-duplicate" in self.screens:
            self.shoot("new-intake-duplicate", window, dialog, suffix)
        if "new-intake-spelling" in self.screens and dialog.same_person is not None:
            dialog.same_person.setChecked(True)  # spelled differently: both spellings shown
            self.shoot("new-intake-spelling", window, dialog, suffix)
        dialog.reject()


if __name__ == "__main__":
    sys.exit(main())
