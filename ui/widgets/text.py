"""Typed answers: one-line text (text, email, phone), several lines, and numbers.

No spin boxes: a number is typed into a plain field (with a numeric on-screen keyboard
where the system has one). Whatever is typed is kept, even when it is not a number yet,
so nothing a person typed is ever lost; the session says what is wrong with it.
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from screening_app.engine.display import format_number
from ui.widgets.base import AnswerWidget

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class TextWidget(AnswerWidget):
    """`text`, `email` and `phone`: one line of text."""

    continuous = True

    def build(self) -> None:
        self.edit = QLineEdit(self)
        self.edit.setObjectName("input")
        hints = Qt.InputMethodHint.ImhNone
        if self.item.type == "email":
            hints = Qt.InputMethodHint.ImhEmailCharactersOnly | Qt.InputMethodHint.ImhNoAutoUppercase
        elif self.item.type == "phone":
            hints = Qt.InputMethodHint.ImhDialableCharactersOnly
        self.edit.setInputMethodHints(hints)
        self.edit.textEdited.connect(self._emit_change)
        self.body.addWidget(self.edit)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def value(self) -> Any:
        text = self.edit.text().strip()
        return text or None

    def _apply(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class LongTextWidget(AnswerWidget):
    """`long_text`: several lines. Enter starts a new line; Tab moves on."""

    continuous = True

    def build(self) -> None:
        self.edit = _LinesEdit(self)
        self.edit.setObjectName("input")
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._emit_change)
        self.body.addWidget(self.edit)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def value(self) -> Any:
        text = self.edit.toPlainText().strip()
        return text or None

    def _apply(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class NumberWidget(AnswerWidget):
    """`integer`, `year` and `decimal`. A comma is accepted as the decimal mark."""

    continuous = True

    def build(self) -> None:
        self.edit = _NarrowEdit(self)
        self.edit.setObjectName("input")
        if self.item.type == "decimal":
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        else:
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.edit.textEdited.connect(self._emit_change)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addStretch(1)
        self.body.addLayout(row)

    def inputs(self) -> list[QWidget]:
        return [self.edit]

    def value(self) -> Any:
        return parse_number(self.edit.text(), self.item.type)

    def _apply(self, value: Any) -> None:
        if value is None:
            self.edit.setText("")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.edit.setText(format_number(value))
        else:
            self.edit.setText(str(value))


class _LinesEdit(QPlainTextEdit):
    """Four lines high at any text size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().lineSpacing() * 4 + 28)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()


class _NarrowEdit(QLineEdit):
    """Wide enough for about ten digits at any text size."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("0") * 10 + 36, hint.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()


def parse_number(text: str, kind: str) -> Any:
    """The JSON value for typed text: a number when it is one, else the text as typed."""
    text = text.strip()
    if not text:
        return None
    if kind in {"integer", "year"}:
        return int(text) if _INTEGER.fullmatch(text) else text
    if _DECIMAL.fullmatch(text):
        number = float(text.replace(",", "."))
        if math.isfinite(number):
            return number
    return text
