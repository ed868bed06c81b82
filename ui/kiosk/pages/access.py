"""Pages that open something: "Continue with a code" (one draft, by its resume code) and the
staff exit (a coordinator's user name and PIN, checked by the store)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from screening_app.engine.spoken import spoken
from screening_app.i18n import Translator
from ui.kiosk.chrome import StatusBox, button_row
from ui.kiosk.pages.simple import SimplePage
from ui.widgets.common import make_button, make_label


def _field(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setMaximumWidth(560)
    return edit


class ResumePage(SimplePage):
    continue_clicked = Signal(str)
    back_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("resume-page", parent)
        self.title = make_label("", "title", parent=self.column)
        self.intro = make_label("", parent=self.column)
        self.caption = make_label("", "question", parent=self.column)
        self.code = _field(self.column, "code")
        self.code.setMaxLength(14)
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase
                                      | Qt.InputMethodHint.ImhNoPredictiveText)
        self.code.returnPressed.connect(self._continue)
        self.caption.setBuddy(self.code)
        self.status = StatusBox(self.column)
        self.back = make_button("", parent=self.column)
        self.back.setObjectName("resume-back")
        self.back.clicked.connect(self.back_clicked)
        self.go = make_button("", "primary", parent=self.column)
        self.go.setObjectName("resume-continue")
        self.go.clicked.connect(self._continue)
        self.body.addLayout(self.title_row(self.title))
        for widget in (self.intro, self.caption, self.code, self.status):
            self.body.addWidget(widget)
        self.body.addWidget(self.action_bar(self.back, self.go))
        self.body.addStretch(1)

    def _continue(self) -> None:
        if self.go.isEnabled():
            self.continue_clicked.emit(self.code.text())

    def retranslate(self, t: Translator) -> None:
        self.title.setText(t("kiosk.resume.title"))
        self.intro.setText(t("kiosk.resume.intro"))
        self.caption.setText(t("kiosk.resume.field"))
        self.code.setAccessibleName(t("kiosk.resume.field"))
        self.code.setAccessibleDescription(t("kiosk.resume.intro"))
        self.back.setText(t("kiosk.nav.back"))
        self.go.setText(t("kiosk.resume.continue"))
        self.name_read_aloud(t, t("kiosk.resume.title"))

    def spoken(self, t: Translator) -> str:
        """The page's texts and a refusal shown; never what is typed in the field (a code)."""
        return spoken(self.title.text(), self.intro.text(), self.status.message(),
                      t("kiosk.resume.spoken_how"))

    def show_problem(self, text: str | None) -> None:
        self.status.show_message(text)
        self.code.setAccessibleDescription(text or "")

    def set_locked(self, locked: bool) -> None:
        self.go.setEnabled(not locked)
        self.code.setEnabled(not locked)

    def reset(self) -> None:
        self.code.clear()
        self.status.show_message(None)


class StaffPage(SimplePage):
    """Staff exit: Ctrl+Alt+Shift+Q opens it; a coordinator signs in to close the kiosk."""

    exit_clicked = Signal(str, str)
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("staff", parent)
        self.title = make_label("", "title", parent=self.column)
        self.intro = make_label("", parent=self.column)
        self.user_caption = make_label("", "question", parent=self.column)
        self.username = _field(self.column, "staff-user")
        self.username.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase
                                          | Qt.InputMethodHint.ImhNoPredictiveText)
        self.pin_caption = make_label("", "question", parent=self.column)
        self.pin = _field(self.column, "staff-pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                     | Qt.InputMethodHint.ImhNoPredictiveText)
        self.pin.returnPressed.connect(self._exit)
        self.user_caption.setBuddy(self.username)
        self.pin_caption.setBuddy(self.pin)
        self.status = StatusBox(self.column)
        self.cancel = make_button("", parent=self.column)
        self.cancel.setObjectName("staff-cancel")
        self.cancel.clicked.connect(self.cancel_clicked)
        self.confirm = make_button("", "danger", parent=self.column)
        self.confirm.setObjectName("staff-exit")
        self.confirm.clicked.connect(self._exit)
        for widget in (self.title, self.intro, self.user_caption, self.username, self.pin_caption,
                       self.pin, self.status):
            self.body.addWidget(widget)
        self.body.addLayout(button_row(self.cancel, self.confirm))
        self.body.addStretch(1)

    def _exit(self) -> None:
        self.exit_clicked.emit(self.username.text(), self.pin.text())

    def retranslate(self, t: Translator) -> None:
        self.title.setText(t("kiosk.staff.title"))
        self.intro.setText(t("kiosk.staff.intro"))
        self.user_caption.setText(t("kiosk.staff.username"))
        self.username.setAccessibleName(t("kiosk.staff.username"))
        self.pin_caption.setText(t("kiosk.staff.pin"))
        self.pin.setAccessibleName(t("kiosk.staff.pin"))
        self.cancel.setText(t("kiosk.staff.cancel"))
        self.confirm.setText(t("kiosk.staff.exit"))

    def show_problem(self, text: str | None) -> None:
        self.status.show_message(text)
        self.pin.setAccessibleDescription(text or "")

    def reset(self) -> None:
        self.username.clear()
        self.pin.clear()
        self.status.show_message(None)
