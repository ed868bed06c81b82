"""Administrators: add, disable and enable users, set a new PIN, and the clinic settings.

Everything is on one dialog (no dialogs on top of dialogs): the list, a form to add a
user, a form for a new PIN for the selected user, and the clinic setting.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, User
from screening_app.store.records import ROLES
from ui.desk import formatting as fmt
from ui.desk.settings_form import SettingsForm, SettingsScroll
from ui.desk.store_text import store_message
from ui.desk.theme import fit


def _secret(parent: QWidget, accessible: str, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(accessible)
    edit.setObjectName(name)
    return edit


def _form_row(form: QFormLayout, parent: QWidget, label: str, widget: QWidget) -> None:
    caption = QLabel(label, parent)
    caption.setBuddy(widget)
    form.addRow(caption, widget)


class UsersDialog(QDialog):
    COLUMNS = ("username", "display_name", "role", "state", "last_sign_in")

    def __init__(self, store: Store, t: Translator, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.t, self.actor = store, t, actor
        self.setWindowTitle(t("desk.users.title"))
        self.setObjectName("users-dialog")
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("users")
        self.table.setAccessibleName(t("desk.users.table"))
        self.table.setHorizontalHeaderLabels([t(f"desk.users.column.{c}") for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.toggle = QPushButton(t("desk.users.disable"), self)
        self.toggle.setObjectName("toggle-disabled")
        self.toggle.clicked.connect(self._toggle_disabled)

        self.add_box = QGroupBox(t("desk.users.add_title"), self)
        form = QFormLayout(self.add_box)
        self.new_username = QLineEdit(self.add_box)
        self.new_username.setObjectName("new-username")
        self.new_username.setAccessibleName(t("desk.users.username"))
        self.new_name = QLineEdit(self.add_box)
        self.new_name.setObjectName("new-display-name")
        self.new_name.setAccessibleName(t("desk.users.display_name"))
        self.new_role = QComboBox(self.add_box)
        self.new_role.setObjectName("new-role")
        self.new_role.setAccessibleName(t("desk.users.role"))
        for role in ROLES:
            self.new_role.addItem(t(f"desk.role.{role}"), role)
        self.new_secret = _secret(self.add_box, t("desk.users.secret"), "new-secret")
        self.new_repeat = _secret(self.add_box, t("desk.users.repeat"), "new-repeat")
        for label, widget in ((t("desk.users.username"), self.new_username),
                              (t("desk.users.display_name"), self.new_name),
                              (t("desk.users.role"), self.new_role),
                              (t("desk.users.secret"), self.new_secret),
                              (t("desk.users.repeat"), self.new_repeat)):
            _form_row(form, self.add_box, label, widget)
        self.add_button = QPushButton(t("desk.users.add"), self.add_box)
        self.add_button.setObjectName("add-user")
        self.add_button.clicked.connect(self.add_user)
        form.addRow(self.add_button)

        self.reset_box = QGroupBox(t("desk.users.reset_title"), self)
        reset = QFormLayout(self.reset_box)
        self.reset_secret = _secret(self.reset_box, t("desk.users.secret"), "reset-secret")
        self.reset_repeat = _secret(self.reset_box, t("desk.users.repeat"), "reset-repeat")
        _form_row(reset, self.reset_box, t("desk.users.secret"), self.reset_secret)
        _form_row(reset, self.reset_box, t("desk.users.repeat"), self.reset_repeat)
        self.reset_button = QPushButton(t("desk.users.reset"), self.reset_box)
        self.reset_button.setObjectName("reset-secret-button")
        self.reset_button.clicked.connect(self.reset_secret_of_selected)
        reset.addRow(self.reset_button)

        self.settings_box = SettingsForm(store, t, self)
        self.settings_scroll = SettingsScroll(self.settings_box, self)  # before Save: tab order
        self.save_settings = QPushButton(t("desk.users.save_settings"), self)
        self.save_settings.clicked.connect(self._save_settings)
        unreadable = self.settings_box.unreadable

        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(t("desk.common.close"))
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.toggle)
        top.addStretch(1)
        # Users on the left (add one, a new PIN), the clinic settings on the right: the
        # settings' longer texts get the column's height; it scrolls when the screen is
        # short (1366x768), Save and Close stay on screen.
        forms = QHBoxLayout()
        people = QVBoxLayout()
        people.addWidget(self.add_box)
        people.addWidget(self.reset_box)
        people.addStretch(1)
        forms.addLayout(people, 1)
        settings_column = QVBoxLayout()
        settings_column.addWidget(self.settings_scroll, 1)
        settings_column.addWidget(self.save_settings)
        forms.addLayout(settings_column, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(top)
        layout.addLayout(forms)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.ensurePolished()  # as fit() does: the desk's text size, for the hint below
        em = self.fontMetrics().horizontalAdvance("M")
        fit(self, 64, max(46, self.sizeHint().height() / em))  # all of it, where the screen has room
        self.reload()
        if unreadable:
            self.say(unreadable, ok=False)

    # -- the list -----------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        try:
            self.users = self.store.list_users()
        except StoreError as error:
            self.users = []
            self.say(store_message(error, self.t), ok=False)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            values = (user.username, user.display_name, self.t(f"desk.role.{user.role}"),
                      self._state(user), fmt.when(user.last_sign_in_at, self.t)
                      or self.t("desk.users.never"))
            for column, text in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if user.username == select:
                self.table.selectRow(row)
        if select is None and self.users:
            self.table.selectRow(0)
        self._selection_changed()

    def _state(self, user: User) -> str:
        if user.disabled:
            return self.t("desk.users.state.disabled")
        if user.locked_until and datetime.fromisoformat(user.locked_until) > datetime.now().astimezone():
            return self.t("desk.users.state.locked", until=fmt.when(user.locked_until, self.t))
        return self.t("desk.users.state.active")

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        user = self.selected()
        self.toggle.setEnabled(user is not None)
        self.reset_box.setEnabled(user is not None)
        if user is not None:
            self.toggle.setText(self.t("desk.users.enable" if user.disabled else "desk.users.disable"))
            self.reset_box.setTitle(self.t("desk.users.reset_for", username=user.username))

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setProperty("kind", "notice" if ok else "error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    # -- actions ------------------------------------------------------------------------

    def add_user(self) -> None:
        if self.new_secret.text() != self.new_repeat.text():
            self.say(self.t("desk.first_run.mismatch"), ok=False)
            return
        username = self.new_username.text().strip()
        try:
            self.store.create_user(username, self.new_name.text().strip() or username,
                                   self.new_role.currentData(), self.new_secret.text(),
                                   actor=self.actor)
        except StoreError as error:
            self.say(store_message(error, self.t), ok=False)
            return
        for edit in (self.new_username, self.new_name, self.new_secret, self.new_repeat):
            edit.clear()
        self.reload(select=username)
        self.say(self.t("desk.users.added", username=username))

    def _toggle_disabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self.store.set_user_disabled(user.username, not user.disabled, actor=self.actor)
        except StoreError as error:
            self.say(store_message(error, self.t), ok=False)
            return
        self.reload(select=user.username)
        key = "desk.users.enabled" if user.disabled else "desk.users.disabled"
        self.say(self.t(key, username=user.username))

    def reset_secret_of_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        if self.reset_secret.text() != self.reset_repeat.text():
            self.say(self.t("desk.first_run.mismatch"), ok=False)
            return
        try:
            self.store.reset_secret(user.username, self.reset_secret.text(), actor=self.actor)
        except StoreError as error:
            self.say(store_message(error, self.t), ok=False)
            return
        self.reset_secret.clear()
        self.reset_repeat.clear()
        self.reload(select=user.username)
        self.say(self.t("desk.users.reset_done", username=user.username))

    def _save_settings(self) -> None:
        refused = self.settings_box.save(self.actor)
        self.say(refused or self.t("desk.users.settings_saved"), ok=refused is None)

    def keyPressEvent(self, event) -> None:  # Enter must not close the dialog mid-form
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()
            elif focus in (self.new_repeat, self.new_secret, self.new_username, self.new_name):
                self.add_user()
            elif focus in (self.reset_secret, self.reset_repeat):
                self.reset_secret_of_selected()
            return
        super().keyPressEvent(event)
