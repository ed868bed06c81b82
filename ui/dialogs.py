"""Dialogs behind a small service, so tests can answer them without a person.

Windows receive a `Dialogs` object and ask it: `confirm`, `ask_text` (a reason, a review
meaning), `choose_save_path`, `choose_directory`, `info`, `error`, and `open_file` (the
system's PDF viewer). The app passes `QtDialogs`; tests and the screen renderer pass a
`ScriptedDialogs` with the answers queued in advance, so no test ever waits for a person
or launches a viewer.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

APP_TITLE = "MSC screening"


def show_fatal(message: str, parent: QWidget | None = None) -> None:
    """A plain message for an environment problem that stops the app (no traceback)."""
    QMessageBox.critical(parent, APP_TITLE, message)


class Dialogs(Protocol):
    def confirm(self, parent: QWidget | None, title: str, text: str, *, ok: str = "",
                cancel: str = "") -> bool: ...

    def ask_text(self, parent: QWidget | None, title: str, label: str, *, text: str = "",
                 ok: str = "", cancel: str = "") -> str | None: ...

    def choose_save_path(self, parent: QWidget | None, title: str, suggested: Path,
                         file_filter: str) -> Path | None: ...

    def choose_directory(self, parent: QWidget | None, title: str, start: Path) -> Path | None: ...

    def info(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def error(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def open_file(self, path: Path) -> bool: ...


class _TextDialog(QDialog):
    """A required multi-line text (a reason): OK stays disabled while the text is blank."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str,
                 ok: str, cancel: str) -> None:
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
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.edit.toPlainText().strip()))


class QtDialogs:
    """The real dialogs."""

    def confirm(self, parent: QWidget | None, title: str, text: str, *, ok: str = "",
                cancel: str = "") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, parent)
        if ok:
            box.button(QMessageBox.StandardButton.Ok).setText(ok)
        if cancel:
            box.button(QMessageBox.StandardButton.Cancel).setText(cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Ok

    def ask_text(self, parent: QWidget | None, title: str, label: str, *, text: str = "",
                 ok: str = "", cancel: str = "") -> str | None:
        dialog = _TextDialog(parent, title, label, text, ok, cancel)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.edit.toPlainText().strip() or None

    def choose_save_path(self, parent: QWidget | None, title: str, suggested: Path,
                         file_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
        return Path(chosen) if chosen else None

    def choose_directory(self, parent: QWidget | None, title: str, start: Path) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(parent, title, str(start))
        return Path(chosen) if chosen else None

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

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

    KINDS = ("confirm", "ask_text", "choose_save_path", "choose_directory")

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
