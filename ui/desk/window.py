"""The desk's main window: first run, sign-in, the workspace, menus, idle sign-out, state.

`start_desk(store)` is what `python main.py` calls. Services come in as arguments (the
store, the dialogs, the QSettings holding the window state), so tests build a window
with a temporary database, answering dialogs and a temporary settings file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, User
from screening_app.store.settings import SETTINGS
from ui.desk import theme
from ui.desk.change_secret import ChangeSecretPage
from ui.desk.crash import install_crash_handler
from ui.desk.idle import IdleWatcher
from ui.desk.integrity import AuditCheckThread
from ui.desk.live import Coalesce, LiveChanges
from ui.desk.signin import FirstRunPage, SignInPage
from ui.desk.store_text import store_message
from ui.desk.study_export import STUDY_FORMATS, study_exporters
from ui.desk.users import UsersDialog
from ui.desk.workspace import Workspace
from ui.dialogs import (
    MODAL_LOOPS,
    Dialogs,
    QtDialogs,
    close_dialogs,
    install_qt_translations,
    retire,
)

ORGANISATION, APPLICATION = "MSC screening", "Desk"
DESK_LANGUAGES = ("en", "es")  # the languages of resources/translations/desk.*.yaml


def plain(menu_text: str) -> str:
    """A menu's text as a title: without its Alt+letter mark ("&Keyboard shortcuts")."""
    return menu_text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def start_desk(store: Store, *, dialogs: Dialogs | None = None, settings: QSettings | None = None,
               lang: str | None = None, questionnaire: Questionnaire | None = None) -> DeskWindow:
    """The desk window, ready to show (first run or sign-in), in `lang` or else the language
    chosen under View ▸ Language (English until someone chooses)."""
    settings = settings or QSettings(ORGANISATION, APPLICATION)
    chosen = lang or str(settings.value("desk/lang", DESK_LANGUAGES[0]))
    t = Translator(chosen if chosen in DESK_LANGUAGES else DESK_LANGUAGES[0])
    install_crash_handler(t)
    install_qt_translations(t.lang)
    loader = (lambda: questionnaire) if questionnaire is not None else None  # --definition FILE
    return DeskWindow(store, dialogs or QtDialogs(t), settings, t, questionnaire_loader=loader)


class DeskWindow(QMainWindow):
    def __init__(self, store: Store, dialogs: Dialogs, settings: QSettings, t: Translator,
                 questionnaire_loader: Callable[[], Questionnaire] | None = None) -> None:
        super().__init__()
        theme.load_fonts()
        self.store, self.dialogs, self.settings, self.t = store, dialogs, settings, t
        self._load_questionnaire = questionnaire_loader or (
            lambda: load_questionnaire(shipped_questionnaire_path()))
        self._questionnaire: Questionnaire | None = None
        self.user: User | None = None
        self.workspace: Workspace | None = None
        self.users_dialog: UsersDialog | None = None
        self.setObjectName("desk")
        self.text_scale = int(settings.value("desk/text_scale", 100))
        self.setStyleSheet(theme.style_sheet(self.text_scale))
        self.stack = QStackedWidget(self)
        self.integrity_banner = QLabel("", self)
        self.integrity_banner.setObjectName("integrityBanner")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.hide()
        self.server_banner = QLabel("", self)  # a clinic server that cannot be reached
        self.server_banner.setObjectName("serverBanner")
        self.server_banner.setWordWrap(True)
        self.server_banner.hide()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.server_banner)
        layout.addWidget(self.integrity_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # What administrators are told at sign-in: a plain (unencrypted) database, and
        # whatever the background check of the audit trail finds.
        self.integrity_problems: list[str] = []
        self.damaged: str | None = None  # the start-up check found the file damaged
        if not getattr(store, "encrypted", True):
            self.integrity_problems.append(t("desk.store.not_encrypted", path=store.path))
        self.audit_check = AuditCheckThread(store.path)
        self.audit_check.checked.connect(self._audit_checked)
        self.first_run = FirstRunPage(store, t, self)
        self.first_run.finished.connect(self.signed_in)
        self.sign_in_page = SignInPage(store, t, self)
        self.sign_in_page.signed_in.connect(self._check_secret_rule)
        self.change_secret = ChangeSecretPage(store, t, self)
        self.change_secret.changed.connect(self.signed_in)
        self.change_secret.cancelled.connect(lambda: self.show_sign_in(t("desk.sign_in.signed_out")))
        self.stack.addWidget(self.first_run)
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.change_secret)
        self.who = QLabel("", self)
        self.statusBar().addWidget(self.who, 1)
        self.hint = QLabel(t("desk.statusbar.hint"), self)
        self.statusBar().addPermanentWidget(self.hint)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(lambda: self.sign_out(idle=True))
        self._build_menus()
        self.resize(1280, 800)
        geometry = settings.value("desk/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.sign_in_page.username.setText(str(settings.value("desk/last_user", "")))
        if store.has_users():
            self.show_sign_in()
        else:
            self.stack.setCurrentWidget(self.first_run)
            self.setWindowTitle(t("desk.window.first_run"))
            self.first_run.clinic.setFocus()
        self._update_actions()
        self._set_checking(store.writes_held)
        self.audit_check.start()
        self.live = self._listen(store)

    def _listen(self, store: Store) -> LiveChanges | None:
        """On a clinic server: other stations' changes as they happen, and whether the
        server answers (ui/desk/live.py). None on a file (the work list polls it)."""
        listener = store.change_listener()
        if listener is None:
            return None
        live = LiveChanges(listener, self)
        self.coalesce = Coalesce(parent=self)
        live.changed.connect(self.coalesce.poke)
        self.coalesce.fire.connect(self._changed_elsewhere)
        live.reachable.connect(self._server_reachable)
        live.start()
        return live

    def _changed_elsewhere(self) -> None:
        if self.workspace is not None:
            self.workspace.worklist.model.stale.emit()

    def _server_reachable(self, error: StoreError | None) -> None:
        """A banner while the server cannot be reached; gone (and the list read again) as
        soon as it answers."""
        if error is None:
            self.server_banner.hide()
            return
        text = (self.t("desk.server.unreachable", where=error.params.get("where", ""))
                if error.code == "server_unreachable" else store_message(error, self.t))
        self.server_banner.setText(text)
        self.server_banner.setAccessibleName(text)
        self.server_banner.show()

    @property
    def questionnaire(self) -> Questionnaire:
        if self._questionnaire is None:
            self._questionnaire = self._load_questionnaire()
        return self._questionnaire

    # -- menus --------------------------------------------------------------------------

    def _action(self, menu, key: str, slot, shortcut=None,
                standard: QKeySequence.StandardKey | None = None) -> QAction:
        """A menu action; `shortcut` is the key the F1 list names, and `standard` adds the
        platform's own keys for the same thing (QKeySequence(StandardKey) is only the
        first of them, which is not Ctrl+W for Close everywhere)."""
        action = QAction(self.t(f"desk.menu.{key}"), self)
        action.setObjectName(f"action-{key}")
        if shortcut is not None:
            keys = [QKeySequence(shortcut)]
            keys += [k for k in (QKeySequence.keyBindings(standard) if standard else [])
                     if k not in keys]
            action.setShortcuts(keys)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.menu_actions[key] = action
        return action

    def _build_menus(self) -> None:
        t, bar = self.t, self.menuBar()
        self.menu_actions: dict[str, QAction] = {}
        work = bar.addMenu(t("desk.menu.work"))
        self._action(work, "new_intake", lambda: self.workspace and self.workspace.new_intake(),
                     "Ctrl+N", QKeySequence.StandardKey.New)
        self._action(work, "search", lambda: self._to_list(focus_search=True),
                     "Ctrl+F", QKeySequence.StandardKey.Find)
        self._action(work, "worklist", lambda: self._to_list(), "Ctrl+L")
        self._action(work, "export_selected", lambda: self.workspace and self.workspace.export_many(
            self.workspace.worklist.selection()), "Ctrl+E")
        for fmt in STUDY_FORMATS:
            action = self._action(work, f"export_{fmt}", lambda _=False, f=fmt: (
                self.workspace and self.workspace.export_study(f)))
            action.setVisible(False)  # see _show_study_formats
        work.aboutToShow.connect(self._show_study_formats)
        self._action(work, "refresh", lambda: self.workspace and self.workspace.worklist.refresh(),
                     "F5", QKeySequence.StandardKey.Refresh)
        self._action(work, "close_tab", lambda: self.workspace and self.workspace.close_current(),
                     "Ctrl+W", QKeySequence.StandardKey.Close)
        work.addSeparator()
        self._action(work, "sign_out", lambda: self.sign_out(), "Ctrl+Shift+Q")
        self._action(work, "quit", self.close, "Ctrl+Q", QKeySequence.StandardKey.Quit)
        view = bar.addMenu(t("desk.menu.view"))
        for scale in theme.TEXT_SCALES:
            action = self._action(view, f"text_{scale}",
                                  lambda _=False, s=scale: self.set_text_scale(s))
            action.setCheckable(True)
        view.addSeparator()
        for code in DESK_LANGUAGES:
            action = self._action(view, f"lang_{code}",
                                  lambda _=False, c=code: self.choose_language(c))
            action.setCheckable(True)
        self.admin_menu = bar.addMenu(t("desk.menu.admin"))
        self._action(self.admin_menu, "users", self.open_users)
        help_menu = bar.addMenu(t("desk.menu.help"))
        self._action(help_menu, "shortcuts", lambda: self.dialogs.info(
            self, plain(t("desk.menu.shortcuts")), t("desk.help.shortcuts")), "F1")
        self._action(help_menu, "kiosk_help", lambda: self.dialogs.info(
            self, plain(t("desk.menu.kiosk_help")), t("desk.help.kiosk")))
        self._action(help_menu, "about", self.show_about)

    def _set_checking(self, checking: bool) -> None:
        """While the start-up check runs on a store with writes held, nobody signs in."""
        self.sign_in_page.button.setEnabled(not checking)
        self.first_run.create.setEnabled(not checking)
        self.sign_in_page.button.setText(self.t("desk.sign_in.checking") if checking
                                         else self.t("desk.sign_in.button"))

    def _audit_checked(self, result: object) -> None:
        if isinstance(result, StoreError):
            if self.store.writes_held:  # the file failed its check: nothing may be written
                self.damaged = store_message(result, self.t)
                for page in (self.sign_in_page, self.first_run):
                    page.show_message(self.damaged)
                self.integrity_banner.setText(self.damaged)
                self.integrity_banner.setVisible(True)
                self.sign_in_page.button.setText(self.t("desk.sign_in.button"))
                return
            self.integrity_problems.append(self.t("desk.integrity.unchecked",
                                                  reason=store_message(result, self.t)))
        elif result is not None and not result.intact:
            if result.broken_id is not None:
                self.integrity_problems.append(self.t("desk.integrity.broken",
                                                      row=result.broken_id))
            if result.changed_definitions:
                self.integrity_problems.append(self.t(
                    "desk.integrity.definition_changed",
                    ids=", ".join(str(pk) for pk in result.changed_definitions)))
        self.store.release_writes()
        self._set_checking(False)
        self._show_integrity()

    def _show_integrity(self) -> None:
        """Administrators see what the start-up checks found; nobody else does."""
        if self.damaged:
            return  # shown to everyone, and stays
        admin = self.user is not None and self.user.role == "admin"
        problems = self.integrity_problems if admin else []
        self.integrity_banner.setText("\n".join(problems))
        self.integrity_banner.setVisible(bool(problems))

    def show_about(self) -> None:
        """The version (to tell support), and where the error log is kept."""
        from screening_app.errorlog import log_folder
        from screening_app.version import app_version

        self.dialogs.info(self, plain(self.t("desk.menu.about")),
                          self.t("desk.help.about", version=app_version(), log=log_folder()))

    def _update_actions(self) -> None:
        signed_in = self.user is not None
        for key, action in self.menu_actions.items():
            if key not in ("quit", "shortcuts", "kiosk_help", "about") and not key.startswith(
                    ("text_", "lang_")):
                action.setEnabled(signed_in)
            if key.startswith("text_"):
                action.setChecked(key == f"text_{self.text_scale}")
            if key.startswith("lang_"):
                action.setChecked(key == f"lang_{self.t.lang}")
        self.admin_menu.menuAction().setVisible(signed_in and self.user.role == "admin")
        self._show_integrity()


    def _show_study_formats(self) -> None:
        """The study exports this installation has (looked up when the Work menu opens:
        the export modules are not loaded at start)."""
        available = study_exporters()
        for fmt in STUDY_FORMATS:
            self.menu_actions[f"export_{fmt}"].setVisible(fmt in available)

    def set_text_scale(self, scale: int) -> None:
        self.text_scale = scale
        self.settings.setValue("desk/text_scale", scale)
        self.setStyleSheet(theme.style_sheet(scale))
        self._update_actions()
        if self.workspace is not None:
            QTimer.singleShot(0, self.workspace.worklist.rescale)

    def choose_language(self, code: str) -> None:
        """Kept for the next start: every open screen would have to be built again."""
        self.settings.setValue("desk/lang", code)
        self.settings.sync()
        self._update_actions()
        if code != self.t.lang:
            self.dialogs.info(self, self.t("desk.menu.language_title"),
                              self.t("desk.language.next_start",
                                     language=self.t(f"desk.lang.{code}")))

    def _to_list(self, focus_search: bool = False) -> None:
        if self.workspace is not None:
            self.workspace.setCurrentIndex(0)
            if focus_search:
                self.workspace.worklist.focus_search()
            else:
                self.workspace.worklist.table.setFocus()

    # -- signing in and out -------------------------------------------------------------

    def _settings(self, *keys: str) -> dict[str, Any]:
        """These clinic settings; their defaults (store/settings.py), after saying why, when
        the store cannot read them."""
        try:
            return {key: self.store.get_setting(key) for key in keys}
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return {key: SETTINGS[key].default for key in keys}

    def _idle_minutes(self) -> float:
        return float(self._settings("desk_idle_minutes")["desk_idle_minutes"])

    def show_sign_in(self, notice: str = "") -> None:
        self.stack.setCurrentWidget(self.sign_in_page)
        clinic = self._settings("clinic_name")["clinic_name"]
        self.setWindowTitle(self.t("desk.window.title", clinic=clinic))
        self.sign_in_page.prepare(notice)

    def _check_secret_rule(self, user: User) -> None:
        """A secret set under the older, shorter rule is replaced before the desk opens."""
        if user.must_change_secret:
            self.stack.setCurrentWidget(self.change_secret)
            self.change_secret.prepare(user)
            return
        self.signed_in(user)

    def signed_in(self, user: User) -> None:
        self.user = user
        self.settings.setValue("desk/last_user", user.username)
        self.workspace = Workspace(self.store, user, self.t, self.dialogs, self.questionnaire, self,
                                   settings=self.settings)
        header = self.settings.value("desk/worklist_header")
        if header is not None:
            self.workspace.worklist.restore_header(header)
            self.workspace.worklist.apply_filters()
        if self.live is not None:  # changes are heard as they happen: no polling
            self.workspace.worklist.poll_timer.stop()
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        values = self._settings("clinic_name", "study_name", "desk_idle_minutes")
        clinic, study = values["clinic_name"], values["study_name"]
        self.setWindowTitle(self.t("desk.window.title", clinic=clinic))
        self.who.setText(self.t("desk.statusbar.signed_in", name=user.display_name,
                                role=self.t(f"desk.role.{user.role}"), clinic=clinic, study=study))
        self.idle.start(float(values["desk_idle_minutes"]))
        self._update_actions()
        self.workspace.worklist.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def sign_out(self, idle: bool = False) -> None:
        """Close everything the user had open (nothing personal stays on screen).

        This can run while a dialog is inside its own event loop (the idle timer fires
        there too): the workspace is retired (no new dialogs), its threads are stopped,
        every dialog is closed and the page is hidden at once, but the workspace is only
        deleted once each of those loops has returned, since they still run in its widgets.
        """
        workspace = self.workspace
        if workspace is None:
            return
        self._save_state()
        self.idle.stop()
        retire(workspace)
        workspace.shutdown()
        close_dialogs(self)
        self.users_dialog = None
        self.stack.removeWidget(workspace)
        workspace.hide()
        self.workspace = None
        MODAL_LOOPS.after(workspace.deleteLater)
        self.user = None
        self.who.setText("")
        self._update_actions()
        minutes = self._idle_minutes()
        self.show_sign_in(self.t.plural("desk.sign_in.idle_notice", minutes, minutes=f"{minutes:g}")
                          if idle else self.t("desk.sign_in.signed_out"))

    def open_users(self) -> UsersDialog | None:
        if self.user is None or self.user.role != "admin":
            return None
        self.users_dialog = UsersDialog(self.store, self.t, self.user.username, self)
        self.users_dialog.finished.connect(self._users_closed)
        self.users_dialog.open()
        return self.users_dialog

    def _users_closed(self) -> None:
        self.users_dialog = None
        if self.user is not None:  # the idle time may have changed
            self.idle.start(self._idle_minutes())

    # -- state --------------------------------------------------------------------------

    def _save_state(self) -> None:
        self.settings.setValue("desk/geometry", self.saveGeometry())
        if self.workspace is not None:
            self.settings.setValue("desk/worklist_header",
                                   self.workspace.worklist.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_state()
        self.audit_check.wait()
        if self.live is not None:
            self.live.stop()
        self.idle.stop()
        if self.workspace is not None:
            self.workspace.shutdown()
        super().closeEvent(event)

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()
