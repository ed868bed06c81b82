"""Dates as three plain fields: day, month (a list of month names) and year.

No spin boxes and no calendar to page through: a date of birth decades ago is three quick
entries. With month precision the day may be left empty (`YYYY-MM`); with year precision
the month too (`YYYY`). The month can be typed as its number ("3" is March, "1" then "2"
December), as people say dates.

What is stored is exactly what was entered, so nothing typed is lost and a draft can be
resumed field by field: complete -> `1980-05-17`; month precision without a day ->
`1980-05`; year precision with the year alone -> `1980`; anything incomplete keeps its
parts in place (`1980--17`), which the session reports as "Please enter a real date".
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QRegularExpression, QSize, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QListView,
    QSizePolicy,
    QStyledItemDelegate,
    QWidget,
)

from ui.widgets.accessible import NamedComboBox
from ui.widgets.base import AnswerWidget
from ui.widgets.common import make_label

MONTH_NAMES = tuple(f"widgets.month.{n}" for n in range(1, 13))
PARTS = ("widgets.date.part_day", "widgets.date.part_month", "widgets.date.part_year")
ROW_HEIGHT = 48  # the least height of a row in the month list: a touch target (>= 44 px)
TYPING_PAUSE_MS = 1000  # a second digit within this time makes a two-digit month ("12")


class _DigitsEdit(QLineEdit):
    def __init__(self, digits: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._digits = digits
        self.setMaxLength(digits)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{digits}}}"), self))
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # As wide as its caption when that is wider ("Day (optional)"): no gap before Month.
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("0") * (self._digits + 2) + 40, hint.height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()


class _RowDelegate(QStyledItemDelegate):
    """Rows of the month list as tall as a touch target, and taller for larger text (a
    style sheet's `::item { min-height }` does not reach the rows of a combo box's list)."""

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), ROW_HEIGHT, option.fontMetrics.lineSpacing() + 24))


class MonthBox(NamedComboBox):
    """The month: "Choose…" and the twelve names, in a list of large rows."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        view = QListView(self)
        view.setUniformItemSizes(True)
        self.setView(view)
        self.setItemDelegate(_RowDelegate(view))
        self.setMaxVisibleItems(13)  # all of them: the list never needs scrolling
        self._typed = ""
        self._since_typed = QElapsedTimer()

    def keyPressEvent(self, event) -> None:
        """A digit chooses the month of that number ("3": March); a second one soon after
        makes two ("1", "2": December; "0", "3": March). Letters still find a month by
        its name, as in any list."""
        digit = event.text()
        if len(digit) == 1 and digit.isdigit():
            self.type_digit(digit)
            event.accept()
            return
        super().keyPressEvent(event)

    def type_digit(self, digit: str) -> None:
        recent = self._since_typed.isValid() and self._since_typed.elapsed() < TYPING_PAUSE_MS
        both = self._typed + digit
        self._typed = both if recent and self._typed and 1 <= int(both) <= 12 else digit
        self._since_typed.start()
        number = int(self._typed)
        if 1 <= number <= 12 and number != self.currentIndex():
            self.setCurrentIndex(number)
            self.activated.emit(number)


class DateWidget(AnswerWidget):
    """`date`: day, month and year."""

    continuous = True

    def build(self) -> None:
        self.fields = QWidget(self)
        self.fields.setObjectName("date")
        grid = QGridLayout(self.fields)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        optional_day = self.item.precision in ("month", "year")
        optional_month = self.item.precision == "year"
        self.day = _DigitsEdit(2, self.fields)
        self.day.setObjectName("day")
        self.month = MonthBox(self.fields)
        self.month.setObjectName("month")
        self.month.addItem(self.t("widgets.date.choose_month"), None)
        for number, key in enumerate(MONTH_NAMES, start=1):
            self.month.addItem(self.t(key), number)
        self.year = _DigitsEdit(4, self.fields)
        self.year.setObjectName("year")
        captions = (self.t("widgets.date.day_optional" if optional_day else "widgets.date.day"),
                    self.t("widgets.date.month_optional" if optional_month else "widgets.date.month"),
                    self.t("widgets.date.year"))
        self.captions = [make_label(text, "caption", parent=self.fields) for text in captions]
        for column, (caption, edit) in enumerate(zip(self.captions, (self.day, self.month, self.year),
                                                     strict=True)):
            caption.setBuddy(edit)
            grid.addWidget(caption, 0, column)
            grid.addWidget(edit, 1, column)
        grid.setColumnStretch(3, 1)
        self.day.textEdited.connect(self._emit_change)
        self.year.textEdited.connect(self._emit_change)
        self.month.activated.connect(self._emit_change)
        self.body.addWidget(self.fields)

    def inputs(self) -> list[QWidget]:
        return [self.day, self.month, self.year]

    def accessible_target(self) -> QWidget:
        return self.fields

    def _accessible_names(self, question: str) -> dict[QWidget, str]:
        """"Date of birth — day", "— month", "— year" (the captions say "Day (optional)")."""
        names: dict[QWidget, str] = {self.fields: question}
        for part, edit in zip(PARTS, self.inputs(), strict=True):
            names[edit] = self.t("widgets.date.part", question=question, part=self.t(part))
        return names

    def _update_accessibility(self) -> None:
        super()._update_accessibility()
        if self.item.required:  # the parts that may be left out say so
            note = self.t("widgets.a11y.optional")
            optional = {"month": [self.day], "year": [self.day, self.month]}.get(self.item.precision, [])
            for edit in optional:
                edit.setAccessibleDescription(" ".join(filter(None, (self._description(), note))))

    def value(self) -> Any:
        day = self.day.text().strip()
        month = self.month.currentData()
        year = self.year.text().strip()
        if not day and month is None and not year:
            return None
        month_text = f"{month:02d}" if month is not None else ""
        if not day and self.item.precision == "year" and month is None:
            return year
        if not day and self.item.precision in ("month", "year"):
            return f"{year}-{month_text}"
        return f"{year}-{month_text}-{day.zfill(2) if day else ''}"

    def _apply(self, value: Any) -> None:
        parts = value.split("-") if isinstance(value, str) else []
        year = parts[0] if parts else ""
        month = parts[1] if len(parts) > 1 else ""
        day = parts[2] if len(parts) > 2 else ""
        self.year.setText(year if year.isdigit() else "")
        self.day.setText(str(int(day)) if day.isdigit() else "")
        index = int(month) if month.isdigit() and 1 <= int(month) <= 12 else 0
        self.month.setCurrentIndex(index)
