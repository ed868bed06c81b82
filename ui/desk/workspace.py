"""The signed-in workspace: the work list tab, one tab per open submission, and the flows
that start from them (new intake, fill at the desk, hand to a kiosk, PDF export)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from screening_app.engine.definition import Questionnaire
from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, User
from ui.desk import formatting as fmt
from ui.desk.export import (
    BatchExport,
    ExportReport,
    ExportWorker,
    Worker,
    export_folder,
    file_name,
    pdf_exporter,
    remember_folder,
)
from ui.desk.fill import DeskFillDialog
from ui.desk.handoff import HandoffDialog
from ui.desk.new_intake import NewIntakeDialog
from ui.desk.selection import RowSelection
from ui.desk.store_text import store_message
from ui.desk.study_export import StudyExportWorker, study_exporters, suggested_name
from ui.desk.submission_view import SubmissionView
from ui.desk.worklist import WorkListPage
from ui.dialogs import Dialogs


class Workspace(QTabWidget):
    exported = Signal(object)  # ExportReport, when an export finished

    def __init__(self, store: Store, user: User, t: Translator, dialogs: Dialogs,
                 questionnaire: Questionnaire, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.store, self.user, self.t, self.dialogs, self.q = store, user, t, dialogs, questionnaire
        self.settings = settings or QSettings()
        self.setTabsClosable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self.close_tab)
        self.worklist = WorkListPage(store.path, t, self, tuple(s.id for s in questionnaire.steps))
        self.worklist.open_requested.connect(self.open_submission)
        self.worklist.new_intake_requested.connect(self.new_intake)
        self.worklist.export_requested.connect(self.export_many)
        self.worklist.model.stale.connect(self.refresh_views)
        self.addTab(self.worklist, t("desk.tab.worklist"))
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.RightSide, None)
        self.tabBar().setTabButton(0, self.tabBar().ButtonPosition.LeftSide, None)
        self.intake: NewIntakeDialog | None = None
        self.fill: DeskFillDialog | None = None
        self.handoff: HandoffDialog | None = None
        self.export: BatchExport | None = None
        self.worklist.apply_filters()

    def shutdown(self) -> None:
        if self.fill is not None:
            self.fill.close_now()
        for dialog in (self.intake, self.handoff):
            if dialog is not None:
                dialog.close()
        if self.export is not None:
            self.export.stop()
        self.worklist.model.close()

    # -- tabs ---------------------------------------------------------------------------

    def views(self) -> list[SubmissionView]:
        return [w for i in range(self.count()) if isinstance(w := self.widget(i), SubmissionView)]

    def view(self, submission_id: int) -> SubmissionView | None:
        return next((v for v in self.views() if v.submission_id == submission_id), None)

    def open_submission(self, submission_id: int) -> SubmissionView | None:
        existing = self.view(submission_id)
        if existing is not None:
            self.setCurrentWidget(existing)
            existing.reload()
            return existing
        try:
            view = SubmissionView(self.store, submission_id, self.user, self.t, self.dialogs, self)
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return None
        view.changed.connect(self._changed)
        view.export_requested.connect(self.export_one)
        view.fill_requested.connect(self.fill_at_desk)
        view.handoff_requested.connect(self.show_handoff)
        index = self.addTab(view, view.display_name())
        self.setTabToolTip(index, view.display_name())
        self.setCurrentIndex(index)
        view.answers.setFocus()
        return view

    def refresh_views(self) -> None:
        """Someone changed the file: read again the open submissions that changed."""
        for view in self.views():
            try:
                updated = self.store.get_submission(view.submission_id).updated_at
            except StoreError:
                continue  # the view says why when it is next used
            if updated != view.snapshot.record.updated_at and view.reload():
                self.setTabText(self.indexOf(view), view.display_name())

    def close_tab(self, index: int) -> None:
        if index > 0:
            widget = self.widget(index)
            self.removeTab(index)
            widget.deleteLater()

    def close_current(self) -> None:
        self.close_tab(self.currentIndex())

    def _changed(self, submission_id: int) -> None:
        view = self.view(submission_id)
        if view is not None:
            if view.snapshot.record.updated_at != self._updated_at(submission_id):
                view.reload()  # changed from another tab (a person's correction)
            self.setTabText(self.indexOf(view), view.display_name())
        self.worklist.refresh()

    def _updated_at(self, submission_id: int) -> str | None:
        try:
            return self.store.get_submission(submission_id).updated_at
        except StoreError:
            return None

    # -- new intake, desk, kiosk --------------------------------------------------------

    def new_intake(self) -> NewIntakeDialog:
        self.intake = NewIntakeDialog(self.store, self.q, self.user.username, self.t, self)
        self.intake.accepted.connect(self._intake_started)
        self.intake.open()
        return self.intake

    def _intake_started(self) -> None:
        started = self.intake.result_value if self.intake else None
        self.intake = None
        if started is None:
            return
        self.worklist.refresh()
        self.open_submission(started.submission_id)
        if started.existing:  # the person's draft, opened as it is
            return
        if started.at_desk:
            self.fill_at_desk(started.submission_id)
        else:
            self.show_handoff(started.submission_id)

    def fill_at_desk(self, submission_id: int) -> DeskFillDialog | None:
        try:
            self.fill = DeskFillDialog(self.store, submission_id, self.user.username, self.t, self)
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return None
        self.fill.finished.connect(lambda _result, sid=submission_id: self._fill_closed(sid))
        self.fill.open()
        return self.fill

    def _fill_closed(self, submission_id: int) -> None:
        self.fill = None
        self._changed(submission_id)
        view = self.view(submission_id)
        if view is not None:
            view.reload()

    def show_handoff(self, submission_id: int) -> HandoffDialog | None:
        try:
            record = self.store.get_submission(submission_id)
            answers = self.store.answers(submission_id)
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return None
        self.handoff = HandoffDialog(record.code, fmt.answers_name(answers, self.t), record.lang,
                                     self.t, self)
        self.handoff.open()
        return self.handoff

    # -- export -------------------------------------------------------------------------

    def _exporter(self):
        export = pdf_exporter()
        if export is None:
            self.dialogs.error(self, self.t("desk.export.title"), self.t("desk.export.missing"))
        return export

    def export_one(self, submission_id: int) -> None:
        export = self._exporter()
        if export is None or not self._idle_export():
            return
        try:
            self.store.get_submission(submission_id)  # still there?
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return
        path = self.dialogs.choose_save_path(self, self.t("desk.export.save_title"),
                                             export_folder(self.settings)
                                             / file_name(submission_id),
                                             self.t("desk.export.filter"))
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        remember_folder(self.settings, path.parent)
        worker = ExportWorker(self.store.path, [submission_id], path.parent, export, self.t,
                              single_path=path)
        self._run_export(worker, open_after=True)

    def export_many(self, chosen: RowSelection | list[int]) -> None:
        """Export the rows chosen in the work list (or these ids), every one of them."""
        t = self.t
        if not isinstance(chosen, RowSelection):
            chosen = RowSelection.of_ids(list(chosen))
        if not chosen.count:
            self.dialogs.info(self, t("desk.export.title"), t("desk.export.none_selected"))
            return
        export = self._exporter()
        if export is None or not self._idle_export():
            return
        folder = self.dialogs.choose_directory(
            self, t.plural("desk.export.folder_title", chosen.count, count=f"{chosen.count:,}"),
            export_folder(self.settings))
        if folder is None:
            return
        remember_folder(self.settings, folder)
        self._run_export(ExportWorker(self.store.path, chosen, folder, export, t),
                         open_after=False)

    def _idle_export(self) -> bool:
        if self.export is not None and self.export.running():
            self.dialogs.info(self, self.t("desk.export.title"), self.t("desk.export.busy"))
            return False
        return True

    def export_study(self, fmt: str) -> None:
        """Every submission's answers as the study's CSV (or REDCap) files."""
        t = self.t
        export = study_exporters().get(fmt)
        if export is None or not self._idle_export():
            return
        path = self.dialogs.choose_save_path(self, t(f"desk.study.title_{fmt}"),
                                             export_folder(self.settings) / suggested_name(fmt),
                                             t("desk.study.filter"))
        if path is None:
            return
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        remember_folder(self.settings, path.parent)
        self._run_export(StudyExportWorker(self.store.path, fmt, export, path, t),
                         open_after=False)

    def _run_export(self, worker: Worker, open_after: bool) -> None:
        self.export = BatchExport(self, self.t, worker)
        self.export.done.connect(lambda report: self._export_done(report, worker, open_after))
        self.export.start()

    def _export_done(self, report: ExportReport, worker: Worker, open_after: bool) -> None:
        t = self.t
        ok, text = worker.summary(report)
        if open_after and ok and report.saved:
            if not self.dialogs.open_file(report.saved[0]):
                self.dialogs.info(self, worker.title(),
                                  t("desk.export.no_viewer", path=str(report.saved[0])))
        elif ok:
            self.dialogs.info(self, worker.title(), text)
        else:
            self.dialogs.error(self, worker.title(), text)
        self.exported.emit(report)
