"""Drive the kiosk as a person would: click, type, press keys (pytest-qt's qtbot)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from screening_app.engine.answers import parse_path, row_path
from screening_app.engine.definition import Item
from ui.widgets.base import AnswerWidget
from ui.widgets.group import GroupWidget


def settle() -> None:
    """Let layouts settle (nested ones take a few rounds), as they have by the time anyone looks."""
    for _ in range(4):
        QApplication.processEvents()


class Driver:
    def __init__(self, qtbot, window) -> None:
        self.bot = qtbot
        self.window = window

    # -- what is on screen ---------------------------------------------------------------

    @property
    def form(self):
        return self.window.flow.form

    @property
    def session(self):
        return self.window.controller.session

    @property
    def step(self) -> str | None:
        return self.window.flow.step_id

    def widget(self, path: str) -> AnswerWidget:
        return self.form.answer_widget(path)

    def shown(self, path: str) -> bool:
        widget = self.widget(path)
        return widget.isVisibleTo(self.window)

    # -- hands ---------------------------------------------------------------------------

    def click(self, widget: QWidget) -> None:
        settle()
        assert widget.isVisible(), f"{widget.objectName()} is not visible"
        assert widget.isEnabled(), f"{widget.objectName()} is disabled"
        self.bot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())

    def tap(self, widget: QWidget) -> None:
        """A click that arrives like a real one: through the native window, at the spot where
        the widget is on screen (scrolled into view first), so the window sees it too."""
        settle()
        scroll = self.window.flow_page.scroll
        if scroll.isAncestorOf(widget):
            scroll.ensureWidgetVisible(widget)
            settle()
        where = widget.mapTo(self.window, widget.rect().center())
        QTest.mouseClick(self.window.windowHandle(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, where)
        settle()

    def start(self, lang: str = "en") -> None:
        if lang != self.window.welcome.lang:
            self.click(self.window.welcome.language_buttons[lang])
        self.click(self.window.welcome.start)

    def next(self) -> None:
        self.click(self.window.flow_page.next_button)

    def back(self) -> None:
        self.click(self.window.flow_page.back_button)

    def type(self, path: str, text: str, *, leave: bool = True) -> None:
        """Click into the field, type, and (like a person moving on) Tab out of it."""
        edit = self.widget(path).edit
        self.click(edit)
        self.keys(edit, text)
        if leave:
            self.bot.keyClick(edit, Qt.Key.Key_Tab)
            settle()

    def keys(self, widget: QWidget, text: str) -> None:
        """Type `text`; letters such as ñ, which QTest cannot type, go as key events with text."""
        for char in text:
            if char.isascii():
                self.bot.keyClicks(widget, char)
                continue
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    def clear_text(self, path: str) -> None:
        edit = self.widget(path).edit
        self.click(edit)
        edit.selectAll()
        self.bot.keyClick(edit, Qt.Key.Key_Delete)
        self.bot.keyClick(edit, Qt.Key.Key_Tab)

    def choose(self, path: str, code: str) -> None:
        self.click(self.widget(path).options[code])

    def date(self, path: str, text: str) -> None:
        """`2019-03-17` or `2019-03`: day and year typed, the month picked with the keyboard."""
        widget = self.widget(path)
        year, month, *rest = text.split("-")
        if rest:
            self.click(widget.day)
            self.bot.keyClicks(widget.day, str(int(rest[0])))
        widget.month.setFocus()
        for _ in range(int(month) - widget.month.currentIndex()):
            self.bot.keyClick(widget.month, Qt.Key.Key_Down)
        self.click(widget.year)
        self.bot.keyClicks(widget.year, year)
        self.bot.keyClick(widget.year, Qt.Key.Key_Tab)
        settle()

    def sign(self, path: str) -> None:
        pad = self.widget(path).pad
        y = pad.height() // 2
        self.bot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(40, y))
        for x in range(60, 400, 40):
            self.bot.mouseMove(pad, QPoint(x, y + (x % 80) - 20))
        self.bot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, y))

    def answer(self, path: str, item: Item, value: Any) -> None:
        kind = item.type
        if kind in {"text", "email", "phone", "long_text"}:
            self.type(path, value)
        elif kind in {"integer", "year", "decimal"}:
            self.type(path, f"{value:g}" if isinstance(value, float) else str(value))
        elif kind == "date":
            self.date(path, value)
        elif kind in {"yes_no", "yes_no_unsure", "single_choice"}:
            self.choose(path, value)
        elif kind == "multi_choice":
            for code in value:
                self.choose(path, code)
        elif kind == "consent":
            self.click(self.widget(path).check)
        elif kind == "signature":
            self.sign(path)
        else:
            raise AssertionError(f"cannot answer {kind}")

    def fill_step(self, answers: dict[str, Any]) -> None:
        """Answer every shown question of the current step that `answers` has, top to bottom.

        Visibility is checked again after each answer, as branching changes what is shown.
        """
        done: set[str] = set()
        while True:
            pending = [item for item in self.session.visible_items(self.step)
                       if item.id not in done and item.is_input]
            if not pending:
                return
            item = pending[0]
            done.add(item.id)
            if item.type == "group":
                self.fill_group(item, answers)
            elif item.id in answers:
                current = self.session.answers.get(item.id)
                if current != answers[item.id]:
                    self.answer(item.id, item, answers[item.id])

    def fill_group(self, item: Item, answers: dict[str, Any]) -> None:
        rows = sorted({parse_path(p).row for p in answers
                       if p.startswith(f"{item.id}[") and parse_path(p).field is None})
        group: GroupWidget = self.form.widgets[item.id]
        for source in rows:
            self.click(group.add_button)
            row = self.session.rows(item.id)[-1]
            done: set[str] = set()
            while True:
                fields = [f for f in self.session.visible_fields(item.id, row) if f.id not in done]
                if not fields:
                    break
                field = fields[0]
                done.add(field.id)
                value = answers.get(row_path(item.id, source, field.id))
                if value is not None:
                    self.answer(row_path(item.id, row, field.id), field, value)
            self.click(group.card(row).done_button)
