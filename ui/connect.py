"""Reaching the clinic's server when a desk or a kiosk starts (docs/server.md).

A station whose `--db` (or SCREENING_DB) names a PostgreSQL server opens this window
first, instead of stopping at the first failure: it says in words why the server cannot
be used (the store's `ErrorCode`: down, wrong database, TLS refused, a password refused,
no tables yet, ...), on the screen and once on the command line (standard error), and
tries again by itself every `retry_ms`, so the station starts as soon as the cause is
gone. Connecting runs in a thread: a server that does not answer never freezes the
window. When the server asks for a password that the password file (~/.pgpass) does not
hold, the desk asks for it here, for the first connection; it stays in this process's
memory only (`ServerAddress.password`: worker threads and reconnections use it), never
in the database, a log or a command line. The kiosk never asks: it says what staff
should know and waits (a patient must not meet a password prompt).

Nothing is written before the store opened: a failed attempt leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from screening_app.i18n import Translator
from screening_app.store import ErrorCode, StoreError
from screening_app.store.target import ServerAddress
from ui.desk import theme
from ui.desk.signin import Card
from ui.desk.store_text import store_message

RETRY_MS = 5000


class ConnectWindow(QWidget):
    connected = Signal(object)  # the open Store
    _attempted = Signal(object)  # from the connecting thread: a Store or a StoreError

    def __init__(self, address: ServerAddress, t: Translator, *, kiosk: bool,
                 open_store: Callable[[ServerAddress], Any], retry_ms: int = RETRY_MS) -> None:
        super().__init__(None)
        self.setObjectName("connect")
        self.address, self.t, self.kiosk = address, t, kiosk
        self._open_store = open_store
        self._password: str | None = address.password
        self._said: str | None = None  # the last message printed on the command line
        self._busy = False
        self._closing = False
        self.error: StoreError | None = None  # why the last attempt failed
        self.attempts = 0
        theme.load_fonts()
        self.setStyleSheet(theme.style_sheet(150 if kiosk else 100))  # read from further away
        title = "desk.connect.kiosk_title" if kiosk else "desk.connect.title"
        self.card = Card(t(title), "", self)
        self.password = QLineEdit(self.card.card)
        self.password.setObjectName("server-password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(t("desk.connect.password"))
        self.card.add_row(t("desk.connect.password"), self.password)
        self.password.returnPressed.connect(self.connect_now)
        self.button = QPushButton(t("desk.connect.connect"), self.card.card)
        self.button.setObjectName("connect")
        self.button.setDefault(True)
        self.button.clicked.connect(self.connect_now)
        self.card.buttons.addWidget(self.button)
        self.quit_button = QPushButton(t("desk.connect.quit"), self.card.card)
        self.quit_button.setObjectName("quit")
        self.quit_button.clicked.connect(self.close)
        self.card.buttons.addWidget(self.quit_button)
        self.quit_button.setVisible(not kiosk)  # a kiosk is closed by staff, not by a patient
        self._asking(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        self.setWindowTitle(t(title))
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.connect_now)
        self._attempted.connect(self._after_attempt)
        self.card.intro.setText(t("desk.connect.connecting", where=address.display))
        QTimer.singleShot(0, self.connect_now)

    # -- attempts -------------------------------------------------------------------------

    def connect_now(self) -> None:
        """One attempt, in a thread (with the password typed, if any)."""
        if self._busy or self._closing:
            return
        if self.password.isVisible():
            if not self.password.text():
                self.card.show_message(self.t("desk.connect.password_missing"))
                return
            self._password = self.password.text()
            self.password.clear()
        self._busy = True
        self._retry.stop()
        self.button.setEnabled(False)
        address = self.address.with_password(self._password)
        opener, answer = self._open_store, self._attempted

        def attempt() -> None:
            try:
                result: Any = opener(address)
            except StoreError as error:
                result = error
            except Exception as error:  # a bug: said without its words (they may hold input)
                result = StoreError(ErrorCode.SERVER_REFUSED, where=address.display,
                                    detail=type(error).__name__)
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                answer.emit(result)

        threading.Thread(target=attempt, name="connect-to-server", daemon=True).start()

    def _after_attempt(self, result: object) -> None:
        self._busy = False
        self.attempts += 1
        self.button.setEnabled(True)
        if not isinstance(result, StoreError):
            if self._closing:
                result.close()
                return
            self.error = None
            self.connected.emit(result)
            return
        self.error = result
        self._say(result)
        if result.code == ErrorCode.SERVER_LOGIN and not self.kiosk:
            refused = self._password is not None
            self._password = None
            self._asking(True)
            self.card.intro.setText(self.t("desk.connect.password_intro",
                                           where=self.address.display))
            self.card.show_message(self.t("desk.connect.refused_password") if refused else "")
            self.password.setFocus()
            return  # nothing to try again until a password is typed
        self._asking(False)
        self.card.intro.setText(self.t("desk.connect.kiosk_intro") if self.kiosk else "")
        self.card.show_message(f"{store_message(result, self.t)}\n\n{self.t('desk.connect.retrying')}")
        self._retry.start()

    def _asking(self, asking: bool) -> None:
        self.password.setVisible(asking)
        label = self.card.form.labelForField(self.password)
        if label is not None:
            label.setVisible(asking)
        self.button.setVisible(asking or not self.kiosk)

    def _say(self, error: StoreError) -> None:
        """On the command line once per reason (the store's English words: no secrets)."""
        if error.message != self._said:
            self._said = error.message
            print(f"error: {error.message}", file=sys.stderr, flush=True)

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event) -> None:
        if self.kiosk and not self._closing:
            event.ignore()  # a kiosk waits; staff restart the computer if they must
            return
        self._closing = True
        self._retry.stop()
        super().closeEvent(event)

    def finish(self) -> None:
        """The station's window has taken over: close for good."""
        self._closing = True
        self._retry.stop()
        self.close()

    def keyPressEvent(self, event) -> None:
        if self.kiosk and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)


def connect_to_server(address: ServerAddress, kiosk: bool, open_store, t: Translator,
                      **options: Any) -> ConnectWindow:
    """The window, shown (full screen for a kiosk)."""
    window = ConnectWindow(address, t, kiosk=kiosk, open_store=open_store, **options)
    if kiosk and (screen := QApplication.primaryScreen()) is not None:
        window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        window.resize(720, 520)
        window.show()
    return window
