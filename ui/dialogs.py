"""Dialogs behind a small service, so tests can answer them without a person.

Windows receive a `Dialogs` object and ask it: `confirm`, `ask_text` (a reason, what a
check means), `ask_decision` (one of a few choices and a note: a clinical review),
`choose_save_path`, `choose_directory`, `info`, `error`, and `open_file` (the system's PDF
viewer). The app passes `QtDialogs`; tests and the screen renderer pass a
`ScriptedDialogs` with the answers queued in advance, so no test ever waits for a person
or launches a viewer.

A real dialog runs its own event loop (`exec()`) until it is answered. Whatever else happens
meanwhile (the automatic sign-out) must not delete the widgets that dialog belongs to while
its loop is still on the stack: `MODAL_LOOPS` counts the loops running and `close_dialogs`
closes every dialog of a window, and `MODAL_LOOPS.after(...)` runs the deletion once every
loop has returned. A widget marked `retire()`d (a workspace being signed out) gets no new
dialogs: they answer "cancel" at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator

APP_TITLE = "MSC screening"
RETIRED = "desk_retired"  # a widget property: nothing new is shown on its behalf


class ModalLoops:
    """How many dialogs are inside `exec()` now, and work waiting for all of them to return.

    There is one GUI thread and so one stack of event loops per process; this mirrors it.
    """

    def __init__(self) -> None:
        self.depth = 0
        self._waiting: list[Callable[[], None]] = []

    @contextmanager
    def running(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self._waiting:
                QTimer.singleShot(0, self._flush)

    def after(self, work: Callable[[], None]) -> None:
        """Run `work` from the outermost event loop, after every running `exec()` returned."""
        self._waiting.append(work)
        if not self.depth:
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        if self.depth:  # another dialog started meanwhile: its end flushes
            return
        waiting, self._waiting = self._waiting, []
        for work in waiting:
            work()


MODAL_LOOPS = ModalLoops()


def retire(widget: QWidget) -> None:
    widget.setProperty(RETIRED, True)


def retired(widget: QWidget | None) -> bool:
    """True when `widget` or a parent of it was retired (its dialogs must not appear)."""
    while widget is not None:
        if widget.property(RETIRED):
            return True
        widget = widget.parentWidget()
    return False


def belongs_to(widget: QWidget, window: QWidget) -> bool:
    """`widget` is `window` or has it as a parent, across windows (dialogs are windows)."""
    while widget is not None:
        if widget is window:
            return True
        widget = widget.parentWidget()
    return False


def close_dialogs(window: QWidget) -> int:
    """Reject every visible dialog of `window` (and parentless ones); their `exec()` loops
    return as soon as control gets back to them. Returns how many were closed."""
    closed = 0
    for widget in QApplication.topLevelWidgets():
        if (isinstance(widget, QDialog) and widget.isVisible()
                and (widget.parentWidget() is None or belongs_to(widget, window))):
            widget.reject()
            widget.hide()
            closed += 1
    return closed


_qt_translators: list[QTranslator] = []


def install_qt_translations(lang: str) -> bool:
    """Qt's own texts (the file dialogs, standard buttons) in `lang`, from the qtbase
    translations PySide6 ships; English needs none. True when installed."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    if lang == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(lang), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True


def show_fatal(message: str, parent: QWidget | None = None) -> None:
    """A plain message for an environment problem that stops the app (no traceback)."""
    QMessageBox.critical(parent, APP_TITLE, message)


class Dialogs(Protocol):
    def confirm(self, parent: QWidget | None, title: str, text: str, *, ok: str = "",
                cancel: str = "") -> bool: ...

    def ask_text(self, parent: QWidget | None, title: str, label: str, *, text: str = "",
                 ok: str = "", cancel: str = "") -> str | None: ...

    def ask_decision(self, parent: QWidget | None, title: str, label: str,
                     choices: list[tuple[str, str]], note_label: str, *,
                     ok: str = "") -> tuple[str, str] | None: ...

    def choose_save_path(self, parent: QWidget | None, title: str, suggested: Path,
                         file_filter: str) -> Path | None: ...

    def choose_directory(self, parent: QWidget | None, title: str, start: Path) -> Path | None: ...

    def info(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def error(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def open_file(self, path: Path) -> bool: ...


def _is_enter(event: QEvent) -> bool:
    return (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter))


class _ConfirmOnEnter(QObject):
    """In a multi-line note: Ctrl+Enter confirms the dialog (when it may be confirmed);
    with `plain_enter` Enter does too, and Shift+Enter starts a new line."""

    def __init__(self, dialog: QDialog, ok: Callable[[], bool], plain_enter: bool) -> None:
        super().__init__(dialog)
        self.dialog, self.ok, self.plain_enter = dialog, ok, plain_enter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not _is_enter(event):
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        confirming = (modifiers == Qt.KeyboardModifier.ControlModifier
                      or (self.plain_enter and modifiers == Qt.KeyboardModifier.NoModifier))
        if not confirming:
            return False  # a new line
        if self.ok():
            self.dialog.accept()
        return True


class _TextDialog(QDialog):
    """A required text (a reason): OK stays disabled while the text is blank; Enter (or
    Ctrl+Enter) confirms once it is filled, Shift+Enter starts a new line."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str,
                 ok: str, cancel: str, enter_confirms: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        prompt = QLabel(label, self)
        prompt.setWordWrap(True)
        self.edit = QPlainTextEdit(self)
        self.edit.setPlainText(text)
        self.edit.setTabChangesFocus(True)
        self.edit.setAccessibleName(label)
        self.edit.setMaximumHeight(120)
        prompt.setBuddy(self.edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        if ok:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        if cancel:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.installEventFilter(_ConfirmOnEnter(self, self.can_accept, enter_confirms))
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()

    def can_accept(self) -> bool:
        return bool(self.edit.toPlainText().strip())

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.can_accept())


class _DecisionDialog(_TextDialog):
    """One of a few choices (radio buttons, Alt+letter each) and a required note. Enter
    on a choice confirms when the note is filled; in the note Enter starts a new line
    and Ctrl+Enter confirms."""

    def __init__(self, parent: QWidget | None, title: str, label: str,
                 choices: list[tuple[str, str]], note_label: str, ok: str, cancel: str) -> None:
        self.group = QButtonGroup(parent)  # before the note's checks run
        super().__init__(parent, title, note_label, "", ok, cancel, enter_confirms=False)
        self.group.setParent(self)
        self.edit.setMaximumHeight(160)
        intro = QLabel(label, self)
        intro.setWordWrap(True)
        layout = self.layout()
        layout.insertWidget(0, intro)
        confirm_on_enter = _ConfirmOnEnter(self, self.can_accept, plain_enter=True)
        for position, (value, text) in enumerate(choices, start=1):
            button = QRadioButton(text, self)
            button.setProperty("value", value)
            button.installEventFilter(confirm_on_enter)
            self.group.addButton(button)
            layout.insertWidget(position, button)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self._update()

    def choice(self) -> str | None:
        button = self.group.checkedButton()
        return button.property("value") if button is not None else None

    def can_accept(self) -> bool:
        return super().can_accept() and self.choice() is not None


class QtDialogs:
    """The real dialogs, with their buttons in the desk's language.

    Each runs its loop inside `MODAL_LOOPS.running()`; a dialog asked for on behalf of a
    retired widget is not shown and answers as if cancelled. File dialogs are Qt's own
    (not the operating system's), so that the sign-out can close them and their texts
    follow Qt's translations.
    """

    def __init__(self, t: Translator | None = None) -> None:
        self.t = t or Translator("en")

    def _exec(self, dialog: QDialog) -> int:
        try:
            with MODAL_LOOPS.running():
                return dialog.exec()
        finally:
            dialog.deleteLater()

    def _message(self, parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                 buttons: dict[QMessageBox.StandardButton, str]) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
        for button, label in buttons.items():
            box.addButton(button).setText(label)
        return box

    def confirm(self, parent: QWidget | None, title: str, text: str, *, ok: str = "",
                cancel: str = "") -> bool:
        if retired(parent):
            return False
        Button = QMessageBox.StandardButton
        box = self._message(parent, QMessageBox.Icon.Question, title, text,
                            {Button.Ok: ok or self.t("desk.common.ok"),
                             Button.Cancel: cancel or self.t("desk.common.cancel")})
        box.setDefaultButton(Button.Cancel)
        box.setEscapeButton(Button.Cancel)
        return self._exec(box) == Button.Ok

    def ask_text(self, parent: QWidget | None, title: str, label: str, *, text: str = "",
                 ok: str = "", cancel: str = "") -> str | None:
        if retired(parent):
            return None
        dialog = _TextDialog(parent, title, label, text, ok or self.t("desk.common.ok"),
                             cancel or self.t("desk.common.cancel"))
        if self._exec(dialog) != QDialog.DialogCode.Accepted:
            return None
        return dialog.edit.toPlainText().strip() or None

    def ask_decision(self, parent: QWidget | None, title: str, label: str,
                     choices: list[tuple[str, str]], note_label: str, *,
                     ok: str = "") -> tuple[str, str] | None:
        if retired(parent):
            return None
        dialog = _DecisionDialog(parent, title, label, choices, note_label,
                                 ok or self.t("desk.common.ok"), self.t("desk.common.cancel"))
        if self._exec(dialog) != QDialog.DialogCode.Accepted:
            return None
        choice, note = dialog.choice(), dialog.edit.toPlainText().strip()
        return (choice, note) if choice and note else None

    def _file_dialog(self, parent: QWidget | None, title: str, start: Path) -> QFileDialog:
        dialog = QFileDialog(parent, title, str(start))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        return dialog

    def choose_save_path(self, parent: QWidget | None, title: str, suggested: Path,
                         file_filter: str) -> Path | None:
        if retired(parent):
            return None
        dialog = self._file_dialog(parent, title, suggested)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(file_filter)
        dialog.selectFile(str(suggested))
        chosen = dialog.selectedFiles() if self._exec(dialog) else []
        return Path(chosen[0]) if chosen else None

    def choose_directory(self, parent: QWidget | None, title: str, start: Path) -> Path | None:
        if retired(parent):
            return None
        dialog = self._file_dialog(parent, title, start)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        chosen = dialog.selectedFiles() if self._exec(dialog) else []
        return Path(chosen[0]) if chosen else None

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self._tell(parent, QMessageBox.Icon.Information, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self._tell(parent, QMessageBox.Icon.Warning, title, text)

    def _tell(self, parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
        if retired(parent):
            return
        box = self._message(parent, icon, title, text,
                            {QMessageBox.StandardButton.Ok: self.t("desk.common.ok")})
        box.setObjectName("message-box")
        self._exec(box)

    def open_file(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass(frozen=True)
class Shown:
    """One dialog a ScriptedDialogs was asked to show."""

    kind: str
    title: str
    text: str


class ScriptedDialogs:
    """Answers queued in advance; records every dialog it was asked to show.

    `answer("confirm", True)`, `answer("ask_text", "Typo at the desk")`. An unexpected
    question fails loudly when `strict` (tests); otherwise it gets a harmless default
    (cancel, no text, no path), which the screen renderer relies on.
    """

    KINDS = ("confirm", "ask_text", "ask_decision", "choose_save_path", "choose_directory")

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict
        self.queued: dict[str, deque[Any]] = {kind: deque() for kind in self.KINDS}
        self.shown: list[Shown] = []
        self.opened: list[Path] = []

    def answer(self, kind: str, *values: Any) -> ScriptedDialogs:
        self.queued[kind].extend(values)
        return self

    def _next(self, kind: str, title: str, text: str, default: Any) -> Any:
        self.shown.append(Shown(kind, title, text))
        if self.queued[kind]:
            return self.queued[kind].popleft()
        if self.strict:
            raise AssertionError(f"unexpected {kind} dialog: {title!r}: {text!r}")
        return default

    def confirm(self, parent: QWidget | None, title: str, text: str, *, ok: str = "",
                cancel: str = "") -> bool:
        return bool(self._next("confirm", title, text, False))

    def ask_text(self, parent: QWidget | None, title: str, label: str, *, text: str = "",
                 ok: str = "", cancel: str = "") -> str | None:
        return self._next("ask_text", title, label, None)

    def ask_decision(self, parent: QWidget | None, title: str, label: str,
                     choices: list[tuple[str, str]], note_label: str, *,
                     ok: str = "") -> tuple[str, str] | None:
        return self._next("ask_decision", title, label, None)

    def choose_save_path(self, parent: QWidget | None, title: str, suggested: Path,
                         file_filter: str) -> Path | None:
        return self._next("choose_save_path", title, str(suggested), None)

    def choose_directory(self, parent: QWidget | None, title: str, start: Path) -> Path | None:
        return self._next("choose_directory", title, str(start), None)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(Shown("info", title, text))

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(Shown("error", title, text))

    def open_file(self, path: Path) -> bool:
        self.opened.append(Path(path))
        return True

    def messages(self, kind: str) -> list[str]:
        return [s.text for s in self.shown if s.kind == kind]
