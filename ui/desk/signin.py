"""First run (clinic, study and the first administrator) and the sign-in page."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator
from screening_app.store import AuthError, Store, StoreError, User
from ui.desk.store_text import store_message


def _field(parent: QWidget, name: str, accessible: str, secret: bool = False) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _Card(QWidget):
    """A centred card with a title, an explanation, a form, a message line and a button."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = QFrame(self)
        self.card.setObjectName("card")
        self.title = QLabel(title, self.card)
        self.title.setObjectName("card-title")
        self.title.setWordWrap(True)
        self.intro = QLabel(intro, self.card)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = QLabel("", self.card)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(14)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(self.form)
        inner.addWidget(self.message)
        self.buttons = QVBoxLayout()
        inner.addLayout(self.buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._fit()

    def _fit(self) -> None:
        """A fixed width in text units, so wrapped text gets the height it needs.

        Polished first: the window's style sheet sets the font size (125 %, 150 %), and
        until the card is polished its metrics are still those of the default font.
        """
        self.card.ensurePolished()
        self.card.setFixedWidth(self.card.fontMetrics().horizontalAdvance("M") * 40)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        self._fit()
        super().showEvent(event)

    def add_row(self, label: str, widget: QWidget) -> None:
        caption = QLabel(label, self.card)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)

    def show_message(self, text: str, kind: str = "error") -> None:
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setAccessibleName(text)


Card = _Card  # also the card of the window that connects to a clinic server (ui/connect.py)


class FirstRunPage(_Card):
    """Clinic and study names, and the first administrator account."""

    finished = Signal(object)  # the signed-in User

    def __init__(self, store: Store, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t("desk.first_run.title"), t("desk.first_run.intro"), parent)
        self.store = store
        self.t = t
        self.clinic = _field(self, "clinic", t("desk.first_run.clinic"))
        self.study = _field(self, "study", t("desk.first_run.study"))
        self.username = _field(self, "username", t("desk.first_run.username"))
        self.display_name = _field(self, "display-name", t("desk.first_run.display_name"))
        self.secret = _field(self, "secret", t("desk.first_run.secret"), secret=True)
        self.repeat = _field(self, "repeat", t("desk.first_run.repeat"), secret=True)
        self.secret.setToolTip(t("desk.first_run.secret_help"))
        for key, widget in (("clinic", self.clinic), ("study", self.study),
                            ("username", self.username), ("display_name", self.display_name),
                            ("secret", self.secret), ("repeat", self.repeat)):
            self.add_row(t(f"desk.first_run.{key}"), widget)
        self.create = QPushButton(t("desk.first_run.create"), self.card)
        self.create.setObjectName("create")
        self.create.setDefault(True)
        self.create.clicked.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)
        self.buttons.addWidget(self.create)

    def submit(self) -> None:
        t = self.t
        texts = [w.text().strip() for w in (self.clinic, self.study, self.username)]
        if not all(texts):
            self.show_message(t("desk.first_run.missing"))
            return
        if self.secret.text() != self.repeat.text():
            self.show_message(t("desk.first_run.mismatch"))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        clinic, study, username = texts
        try:
            self.store.set_setting("clinic_name", clinic, actor=username)
            self.store.set_setting("study_name", study, actor=username)
            self.store.create_user(username, self.display_name.text().strip() or username,
                                   "admin", self.secret.text(), actor="setup")
            user = self.store.authenticate(username, self.secret.text())
        except StoreError as error:
            self.show_message(store_message(error, self.t))
            return
        self.secret.clear()
        self.repeat.clear()
        self.finished.emit(user)


class SignInPage(_Card):
    signed_in = Signal(object)  # User

    def __init__(self, store: Store, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t("desk.sign_in.title"), "", parent)
        self.store = store
        self.t = t
        self.username = _field(self, "username", t("desk.sign_in.username"))
        self.secret = _field(self, "secret", t("desk.sign_in.secret"), secret=True)
        self.add_row(t("desk.sign_in.username"), self.username)
        self.add_row(t("desk.sign_in.secret"), self.secret)
        self.button = QPushButton(t("desk.sign_in.button"), self.card)
        self.button.setObjectName("sign-in")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.username.returnPressed.connect(self.secret.setFocus)
        self.secret.returnPressed.connect(self.submit)
        self.buttons.addWidget(self.button)

    def prepare(self, notice: str = "") -> None:
        """Show the page fresh: names of the clinic and study, an optional notice."""
        try:
            clinic = self.store.get_setting("clinic_name") or ""
            study = self.store.get_setting("study_name") or ""
        except StoreError as error:  # the page still works; say why the names are missing
            clinic = study = ""
            notice = store_message(error, self.t)
        self.intro.setText(self.t("desk.sign_in.intro", clinic=clinic, study=study))
        self.secret.clear()
        self.show_message(notice, "notice")
        (self.secret if self.username.text() else self.username).setFocus()

    def _refusal(self, username: str, error: StoreError) -> str:
        """A lock is said plainly (it only happens to existing accounts, after wrong PINs);
        every other refusal, an unknown name included, keeps the store's vague words."""
        if isinstance(error, AuthError):
            try:
                locked_until = self.store.get_user(username).locked_until
            except StoreError:
                locked_until = None
            if locked_until and datetime.fromisoformat(locked_until) > datetime.now(UTC):
                return self.t("desk.sign_in.locked")
        return store_message(error, self.t)

    def submit(self) -> None:
        username = self.username.text().strip()
        if not username or not self.secret.text():
            self.show_message(self.t("desk.sign_in.missing"))
            return
        try:
            user: User = self.store.authenticate(username, self.secret.text())
        except StoreError as error:
            self.secret.clear()
            self.secret.setFocus()
            self.show_message(self._refusal(username, error))
            return
        self.secret.clear()
        self.show_message("")
        self.signed_in.emit(user)
