"""The common base of the input widgets: question, help, input, and a message under it.

An AnswerWidget shows one item of a questionnaire. It knows nothing about sessions or
storage: it shows a value (`set_value`, without signalling), reports what the person did
(`changed` with the new JSON value, `committed` when an edit is finished, `confirm_toggled`
for "Yes, this is correct" under a soft warning), and shows the problem it is given
(`set_problem`) with an icon AND text. Whoever hosts it (the kiosk's step page, the desk)
decides what to do with the answers.

Accessibility: every input gets the question as its accessible name and the help and the
current problem as its accessible description, so a screen reader announces them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.definition import Item
from screening_app.engine.validation import Problem, possible_problems
from screening_app.i18n import Translator
from ui.widgets.common import ProblemIcon, escape, make_label, set_style_property
from ui.widgets.options import OptionCheck


class ProblemMessage(QFrame):
    """The message under a field: icon + text; for a soft warning, a confirmation box."""

    confirm_toggled = Signal(bool)

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problem")
        self.setProperty("severity", "error")
        self.icon = ProblemIcon("error", self)
        self.text = make_label("", "problem", parent=self)
        self.confirm = OptionCheck(t("widgets.confirm_warning"), self)
        self.confirm.setVisible(False)
        self.confirm.toggled.connect(self._toggled)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(row)
        layout.addWidget(self.confirm)
        self.setVisible(False)
        self._quiet = False

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.setVisible(False)
            self.confirm.setVisible(False)
            self.updateGeometry()
            return
        warning = problem.severity == "warning"
        self.icon.set_kind("warning" if warning else "error")
        # The icon too: an amber message with a red triangle said two things at once.
        set_style_property(self, "severity", problem.severity, also=(self.text, self.icon))
        self.text.setText(problem.message)
        self._quiet = True
        self.confirm.setChecked(warning and problem.confirmed)
        self._quiet = False
        self.confirm.setVisible(warning)
        self.setVisible(True)

    def _toggled(self, checked: bool) -> None:
        if not self._quiet:
            self.confirm_toggled.emit(checked)


class _MeasuringMessage(ProblemMessage):
    """A ProblemMessage never shown: it only measures how tall a message would be."""

    def __init__(self, t: Translator, parent: QWidget) -> None:
        super().__init__(t, parent)
        QWidget.setVisible(self, False)

    def setVisible(self, visible: bool) -> None:
        pass


class MessageSlot(QWidget):
    """The room under an answer for its message, as tall as the tallest message the item
    can show (validation.possible_problems) whether one shows or not: a message coming or
    going never moves the answers below it. An unforeseen, taller message still shows
    whole (the room grows)."""

    def __init__(self, message: ProblemMessage, t: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("message-slot")
        self.message = message
        message.setParent(self)  # placed by hand (a layout would decide the slot's height)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._twin = _MeasuringMessage(t, self)
        self._possible: list[Problem] = []
        self._heights: dict[tuple[int, int], int] = {}

    def set_possible(self, problems: list[Problem]) -> None:
        self._possible = problems
        self._heights.clear()
        self.updateGeometry()

    def reserved(self, width: int) -> int:
        key = (width, self.fontInfo().pixelSize())
        if key not in self._heights:
            self._twin.ensurePolished()
            heights = [0]
            for problem in self._possible:
                self._twin.show_problem(problem)
                # Its layouts keep the height of the last text measured: a hidden widget's
                # label changing its text does not tell the inner row, and a warning
                # measured after an error came out 24 px short.
                for layout in (self._twin.layout(), *self._twin.findChildren(QLayout)):
                    layout.invalidate()
                heights.append(self._twin.heightForWidth(width))
            self._heights[key] = max(heights)
        return self._heights[key]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        shown = self.message.heightForWidth(width) if not self.message.isHidden() else 0
        return max(shown, self.reserved(width))

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 0 else 600
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def place(self) -> None:
        """Put the message at the top of the room (after it changed, or the room did)."""
        width = self.width()
        self.message.setGeometry(0, 0, width, self.message.heightForWidth(width))
        self.updateGeometry()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._heights.clear()
            self.updateGeometry()


class AnswerWidget(QWidget):
    """Base of every input widget; subclasses implement `build`, `value`, `_apply`."""

    changed = Signal(object)  # the new JSON value; None when the answer was cleared
    committed = Signal()  # the person finished an edit (focus left, or a choice was made)
    confirm_toggled = Signal(bool)  # "Yes, this is correct" ticked or unticked

    continuous = False  # True when changes arrive keystroke by keystroke (saves may be debounced)
    show_question = True  # False when the input itself shows the question (consent, info)
    reads_aloud = True  # whether the kiosk offers "Read aloud" for it (a section heading: no)

    def __init__(self, item: Item, t: Translator, path: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.t = t
        self.path = path or item.id
        self._loading = False
        self._dirty = False
        self._problem: Problem | None = None
        self.setObjectName(f"answer-{self.path}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.question = make_label(self._question_html(), "question", rich=True, parent=self)
        self.question.setVisible(self.show_question)
        self.header = QHBoxLayout()  # the question, and beside it the kiosk's "Read aloud"
        self.header.setContentsMargins(0, 0, 0, 0)
        self.header.setSpacing(16)
        self.header.addWidget(self.question, 1)
        self.read_aloud: QWidget | None = None
        layout.addLayout(self.header)
        self.help_label = None
        if item.help is not None and self.show_question:
            self.help_label = make_label(item.help.get(t.lang), "help", parent=self)
            layout.addWidget(self.help_label)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(8)
        layout.addLayout(self.body)
        self.message = ProblemMessage(t, self)
        self.message.confirm_toggled.connect(self.confirm_toggled)
        self.message_slot = MessageSlot(self.message, t, self)
        layout.addWidget(self.message_slot)
        self.build()
        for widget in self.inputs():
            widget.installEventFilter(self)
        self._update_accessibility()

    def offer_read_aloud(self, make: Callable[[AnswerWidget], QWidget]) -> None:
        """Put the button that `make` returns beside the question (the kiosk's "Read
        aloud"; the desk offers none): at the top right of the item, where an input that
        shows its own text (a consent statement, a notice) puts it beside that text."""
        if self.reads_aloud and self.read_aloud is None:
            self.read_aloud = make(self)
            self._place_read_aloud(self.read_aloud)

    def _place_read_aloud(self, button: QWidget) -> None:
        self.header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def keep_message_room(self) -> None:
        """Keep room under the answer for the tallest message it can show, shown or not
        (a form a person fills: nothing below moves when a message comes or goes). A single
        answer edited in a dialog does without: the dialog stays as small as it can."""
        self.message_slot.set_possible(possible_problems(self.item, self.t))

    # -- for subclasses ------------------------------------------------------------------

    def build(self) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def _apply(self, value: Any) -> None:
        raise NotImplementedError

    def inputs(self) -> list[QWidget]:
        """The widgets a person types into or taps, in visual order."""
        return []

    def accessible_target(self) -> QWidget | None:
        """The widget that carries the question as its accessible name."""
        inputs = self.inputs()
        return inputs[0] if inputs else None

    def _accessible_names(self, question: str) -> dict[QWidget, str]:
        return dict.fromkeys(self.inputs(), question)

    # -- the public face -----------------------------------------------------------------

    @property
    def question_text(self) -> str:
        return self.item.label.get(self.t.lang)

    def set_value(self, value: Any) -> None:
        """Show `value` without signalling a change."""
        self._loading = True
        try:
            self._apply(value)
        finally:
            self._loading = False
        self._dirty = False

    def clear(self) -> None:
        self.set_value(None)
        self.set_problem(None)

    def problem(self) -> Problem | None:
        return self._problem

    def set_problem(self, problem: Problem | None) -> None:
        if problem == self._problem:
            return
        self._problem = problem
        self.message.show_problem(problem)
        self.message_slot.place()
        state = problem.severity if problem and not problem.confirmed else ""
        for widget in self.inputs():
            set_style_property(widget, "problem", state)
        self._update_accessibility()

    def focus_input(self) -> None:
        for widget in self.inputs():
            if widget.isVisibleTo(self) and widget.isEnabled():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def focus_chain(self) -> list[QWidget]:
        listen = self.read_aloud
        chain = [listen] if listen is not None and listen.isVisibleTo(self) else []
        chain += self.inputs()
        if self.message.confirm.isVisibleTo(self):
            chain.append(self.message.confirm)
        return chain

    # -- helpers -------------------------------------------------------------------------

    def _emit_change(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.changed.emit(self.value())
        if not self.continuous:
            self._dirty = False
            self.committed.emit()

    def _question_html(self) -> str:
        text = escape(self.item.label.get(self.t.lang))
        if self.item.is_input and not self.item.required:
            text += f' <span style="font-weight:normal">{escape(self.t("widgets.optional"))}</span>'
        return text

    def _description(self) -> str:
        parts = []
        if self.item.help is not None:
            parts.append(self.item.help.get(self.t.lang))
        if self._problem is not None:
            key = "widgets.a11y.warning" if self._problem.severity == "warning" else "widgets.a11y.error"
            parts.append(self.t(key, message=self._problem.message))
        if self.item.is_input and not self.item.required:
            parts.append(self.t("widgets.a11y.optional"))
        return " ".join(parts)

    def _update_accessibility(self) -> None:
        description = self._description()
        for widget, name in self._accessible_names(self.question_text).items():
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            QTimer.singleShot(0, self, self._focus_left)
        return False

    def _focus_left(self) -> None:
        focus = QApplication.focusWidget()
        if self._dirty and (focus is None or not self.isAncestorOf(focus)):
            self._dirty = False
            self.committed.emit()

    def finish_edit(self) -> None:
        """Treat the current edit as finished (e.g. before leaving the page)."""
        if self._dirty:
            self._dirty = False
            self.committed.emit()
