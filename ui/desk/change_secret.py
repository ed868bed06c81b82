"""Choose a new PIN or password: shown after a sign-in whose secret is shorter than the rule
now (6 digits for a PIN, 8 characters for a password); the desk opens only after it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, User
from ui.desk.signin import _Card, _field
from ui.desk.store_text import store_message


class ChangeSecretPage(_Card):
    changed = Signal(object)  # the User, signed in with the new secret
    cancelled = Signal()

    def __init__(self, store: Store, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t("desk.change_secret.title"), t("desk.change_secret.intro"), parent)
        self.store, self.t = store, t
        self.user: User | None = None
        self.current = _field(self, "current-secret", t("desk.change_secret.current"), True)
        self.new = _field(self, "new-secret", t("desk.change_secret.new"), True)
        self.repeat = _field(self, "repeat-secret", t("desk.change_secret.repeat"), True)
        self.new.setToolTip(t("desk.first_run.secret_help"))
        for key, widget in (("current", self.current), ("new", self.new),
                            ("repeat", self.repeat)):
            self.add_row(t(f"desk.change_secret.{key}"), widget)
        self.save = QPushButton(t("desk.change_secret.save"), self.card)
        self.save.setObjectName("save-secret")
        self.save.setDefault(True)
        self.save.clicked.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)
        self.cancel = QPushButton(t("desk.change_secret.cancel"), self.card)
        self.cancel.setObjectName("cancel-change")
        self.cancel.clicked.connect(self._cancel)
        self.buttons.addWidget(self.save)
        self.buttons.addWidget(self.cancel)

    def prepare(self, user: User) -> None:
        self.user = user
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.show_message(self.t("desk.change_secret.why", name=user.display_name), "notice")
        self.current.setFocus()

    def submit(self) -> None:
        if self.user is None:
            return
        if self.new.text() != self.repeat.text():
            self.show_message(self.t("desk.first_run.mismatch"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            user = self.store.change_own_secret(self.user.username, self.current.text(),
                                                self.new.text())
        except StoreError as error:
            self.show_message(store_message(error, self.t))
            return
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.user = None
        self.changed.emit(user)

    def _cancel(self) -> None:
        self.user = None
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.cancelled.emit()
