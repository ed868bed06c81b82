"""Choices: single choice (incl. yes/no), multiple choice, consent, and display-only text.

Every option is a large, word-wrapping row (see `options`); there are no drop-down lists
for answers, because a list that opens and scrolls is hard to use with a tremor or weak
hands. Multiple choice honours `exclusive` choices ("None of these") by unticking the
others, which is kinder than an error message afterwards.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.base import AnswerWidget
from ui.widgets.common import ProblemIcon, make_label
from ui.widgets.options import OptionCheck, OptionRadio

SHORT_LABEL = 22  # options this short (and at most three) may sit side by side


class OptionsBox(QWidget):
    """The options of a question: side by side when they are few and short and each fits
    on one line in its share of the width, else one under the other; decided again when
    the width or the text size changes. (Side by side at any width, "Text message" at
    Largest text on a 1024 px screen was cut to half of each line: the three options asked
    for more width than there was, and the column measured them at the width they asked.)"""

    def __init__(self, parent: QWidget, *, may_sit_side_by_side: bool) -> None:
        super().__init__(parent)
        self.setObjectName("options")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        # The box's least width is one option's (minimumSizeHint), not the row's: a narrower
        # width must reach resizeEvent, which then puts the options one under the other.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.may_sit_side_by_side = may_sit_side_by_side
        self.options: list[QWidget] = []
        self.side_by_side: bool | None = None

    def add(self, option: QWidget) -> None:
        self.options.append(option)
        self.side_by_side = None
        self.arrange()

    def fits_side_by_side(self, width: int) -> bool:
        if not self.may_sit_side_by_side:
            return False
        needed = sum(max(o.sizeHint().width(), o.minimumSizeHint().width()) for o in self.options)
        return needed + self.grid.spacing() * (len(self.options) - 1) <= width

    def arrange(self) -> None:
        side_by_side = self.fits_side_by_side(self.width())
        if side_by_side == self.side_by_side:
            return
        self.side_by_side = side_by_side
        for option in self.options:
            self.grid.removeWidget(option)
        for index, option in enumerate(self.options):
            self.grid.addWidget(option, 0 if side_by_side else index, index if side_by_side else 0)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        widest = max((o.minimumSizeHint().width() for o in self.options), default=0)
        return QSize(widest, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.arrange()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.arrange()


class _OptionsWidget(AnswerWidget):
    """Shared parts of single and multiple choice: a named box of option rows."""

    option_class: type = OptionRadio

    def build(self) -> None:
        self.options: dict[str, OptionRadio | OptionCheck] = {}
        labels = [choice.label.get(self.t.lang) for choice in self.item.choices]
        self.box = OptionsBox(self, may_sit_side_by_side=len(labels) <= 3
                              and all(len(text) <= SHORT_LABEL for text in labels))
        for choice, text in zip(self.item.choices, labels, strict=True):
            option = self.option_class(text, self.box)
            option.setObjectName(f"option-{choice.code}")
            option.setProperty("code", choice.code)
            self.options[choice.code] = option
            self.box.add(option)
        self.body.addWidget(self.box)

    def inputs(self) -> list[QWidget]:
        return list(self.options.values())

    def accessible_target(self) -> QWidget:
        return self.box

    def _accessible_names(self, question: str) -> dict[QWidget, str]:
        """Each option names the question it answers ("Female — Sex assigned at birth"): a
        screen reader that lands on an option says both; the help and any problem follow as
        its description."""
        names: dict[QWidget, str] = {self.box: question}
        for choice in self.item.choices:
            names[self.options[choice.code]] = self.t("widgets.option_named", question=question,
                                                      option=choice.label.get(self.t.lang))
        return names


class ChoiceWidget(_OptionsWidget):
    """`single_choice`, `yes_no`, `yes_no_unsure`: one option."""

    option_class = OptionRadio

    def build(self) -> None:
        super().build()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for option in self.options.values():
            self.group.addButton(option)
            option.toggled.connect(self._toggled)

    def _toggled(self, checked: bool) -> None:
        if checked:
            self._emit_change()

    def value(self) -> Any:
        button = self.group.checkedButton()
        return button.property("code") if button is not None else None

    def _apply(self, value: Any) -> None:
        target = self.options.get(value) if isinstance(value, str) else None
        if target is not None:
            target.setChecked(True)
            return
        self.group.setExclusive(False)
        for option in self.options.values():
            option.setChecked(False)
        self.group.setExclusive(True)


class MultiChoiceWidget(_OptionsWidget):
    """`multi_choice`: any number of options; an exclusive one unticks the others."""

    option_class = OptionCheck

    def build(self) -> None:
        super().build()
        for choice in self.item.choices:
            self.options[choice.code].toggled.connect(
                lambda checked, code=choice.code: self._toggled(code, checked))

    def _toggled(self, code: str, checked: bool) -> None:
        if self._loading:
            return
        if checked:
            exclusive = self.item.choice(code).exclusive
            self._loading = True
            try:
                for other in self.item.choices:
                    if other.code != code and (exclusive or other.exclusive):
                        self.options[other.code].setChecked(False)
            finally:
                self._loading = False
        self._emit_change()

    def value(self) -> Any:
        codes = [c.code for c in self.item.choices if self.options[c.code].isChecked()]
        return codes or None

    def _apply(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for code, option in self.options.items():
            option.setChecked(code in chosen)


class ConsentWidget(AnswerWidget):
    """`consent`: the statement itself is the box to tick."""

    show_question = False

    def build(self) -> None:
        self.check = OptionCheck(self.item.label.get(self.t.lang), self)
        self.check.setObjectName("consent")
        self.check.toggled.connect(self._emit_change)
        if self.item.help is not None:
            self.body.addWidget(make_label(self.item.help.get(self.t.lang), "help", parent=self))
        self.row = QHBoxLayout()  # the statement, and beside it the kiosk's "Read aloud"
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(16)  # as beside a question
        # Narrower than the width its size hint is measured at (beside the button, large
        # text), a Fixed height would be that hint's and cut the statement: it may grow to
        # the height its width needs.
        policy = self.check.sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Minimum)
        self.check.setSizePolicy(policy)
        self.row.addWidget(self.check, 1)
        self.body.addLayout(self.row)

    def _place_read_aloud(self, button: QWidget) -> None:
        self.row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def inputs(self) -> list[QWidget]:
        return [self.check]

    def focus_chain(self) -> list[QWidget]:
        """The statement, then its "Read aloud" to the right of it: Tab follows the screen."""
        chain = super().focus_chain()
        if self.read_aloud in chain:
            chain.remove(self.read_aloud)
            chain.insert(1, self.read_aloud)
        return chain

    def value(self) -> Any:
        return True if self.check.isChecked() else None

    def _apply(self, value: Any) -> None:
        self.check.setChecked(value is True)


class InfoWidget(AnswerWidget):
    """`info`: text to read, in a framed notice with an icon; nothing to answer."""

    show_question = False

    def build(self) -> None:
        frame = QFrame(self)
        frame.setObjectName("notice")
        row = QHBoxLayout(frame)
        row.setContentsMargins(16, 12, 16, 12)
        row.setSpacing(12)
        row.addWidget(ProblemIcon("info", frame), 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.text = make_label(self.item.label.get(self.t.lang), "notice", parent=frame)
        column.addWidget(self.text)
        if self.item.help is not None:
            column.addWidget(make_label(self.item.help.get(self.t.lang), "help", parent=frame))
        row.addLayout(column, 1)
        self.row = QHBoxLayout()  # the notice, and beside it the kiosk's "Read aloud"
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(16)  # as beside a question
        self.row.addWidget(frame, 1)
        self.body.addLayout(self.row)

    def _place_read_aloud(self, button: QWidget) -> None:
        self.row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)

    def value(self) -> Any:
        return None

    def _apply(self, value: Any) -> None:
        pass
