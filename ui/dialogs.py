"""Dialogs behind a small service, so tests can answer them without a person."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_fatal(message: str, parent: QWidget | None = None) -> None:
    """A plain message for an environment problem that stops the app (no traceback)."""
    QMessageBox.critical(parent, "MSC screening", message)
