"""A `group` item: a list of rows (e.g. one per MS treatment) to add, edit and remove.

Each row is a card named after its `row_label` field ("Ocrelizumab (Ocrevus)"), with
Edit/Done and Remove buttons; while open it shows the row's fields, each rendered by the
same widgets as any other question (a section of the row as a heading, the fields under
it and a question's follow-ups indented beneath, as in a step). Removing asks first,
inside the card (no pop-up): "No, keep it" comes first and has the focus, "Yes, remove
it" is DESTRUCTIVE_GAP px away.

The widget does not number rows or decide which fields apply: its host creates rows
(`set_rows` with the row numbers the session gave out), shows or hides fields, and passes
problems in. A row's fields are made when it is first opened (`fields_built(row)` tells
the host to fill them), so a long list of closed rows costs little. It reports
`add_requested`, `remove_requested(row)` and, for the fields, `field_changed(path, value,
continuous)`, `field_committed(path)`, `field_confirmed(path, confirmed)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from screening_app.engine.answers import row_path
from screening_app.engine.definition import Item
from screening_app.i18n import Translator
from ui.widgets.base import AnswerWidget
from ui.widgets.common import DESTRUCTIVE_GAP, ProblemIcon, make_button, make_label, nest
from ui.widgets.section import SectionWidget


class RowCard(QFrame):
    """One row of a group: a header with its name and buttons, and its fields."""

    def __init__(self, group: GroupWidget, row: int) -> None:
        super().__init__(group.box)
        self.setObjectName(f"row-{row}")
        self.setProperty("role", "card")
        t = group.t
        self.row = row
        self.title = make_label("", "row-title", parent=self)
        self.edit_button = make_button(t("widgets.group.edit"), parent=self)
        self.edit_button.setObjectName("row-edit")
        self.remove_button = make_button(t("widgets.group.remove"), parent=self)
        self.remove_button.setObjectName("row-remove")
        header = QHBoxLayout()
        header.setSpacing(DESTRUCTIVE_GAP)
        header.addWidget(self.title, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

        self.attention = QWidget(self)
        note = QHBoxLayout(self.attention)
        note.setContentsMargins(0, 0, 0, 0)
        note.addWidget(ProblemIcon("error", self.attention), 0, Qt.AlignmentFlag.AlignTop)
        note.addWidget(make_label(t("widgets.group.needs_attention"), "problem", parent=self.attention), 1)
        self.attention.setVisible(False)
        keep = self.attention.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # "needs your attention" coming moves nothing below
        self.attention.setSizePolicy(keep)

        self.confirm_bar = QFrame(self)
        self.confirm_bar.setObjectName("remove-confirm")
        bar = QVBoxLayout(self.confirm_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(make_label(t("widgets.group.remove_question"), "question", parent=self.confirm_bar))
        # The safe choice first and focused; the destructive one well apart from it.
        buttons = QHBoxLayout()
        buttons.setSpacing(DESTRUCTIVE_GAP)
        self.remove_no = make_button(t("widgets.group.remove_no"), "primary", parent=self.confirm_bar)
        self.remove_no.setObjectName("row-remove-no")
        self.remove_yes = make_button(t("widgets.group.remove_yes"), "danger", parent=self.confirm_bar)
        self.remove_yes.setObjectName("row-remove-yes")
        buttons.addWidget(self.remove_no)
        buttons.addWidget(self.remove_yes)
        buttons.addStretch(1)
        bar.addLayout(buttons)
        self.confirm_bar.setVisible(False)

        self.body = QWidget(self)
        self.body.setObjectName("row-body")
        self.body.setVisible(False)
        self._group = group
        self.fields: dict[str, AnswerWidget] = {}  # built when the row is first opened
        self.done_button = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.attention)
        layout.addWidget(self.confirm_bar)
        layout.addWidget(self.body)
        self.expanded = False
        self.edit_button.clicked.connect(lambda: group.set_expanded(row, not self.expanded))
        self.remove_button.clicked.connect(lambda: self.ask_remove(True))
        self.remove_no.clicked.connect(lambda: self.ask_remove(False))
        self.remove_yes.clicked.connect(lambda: group.remove_requested.emit(row))

    def build_fields(self) -> bool:
        """Make the row's field widgets (once); True when they were made just now."""
        if self.done_button is not None:
            return False
        group, t = self._group, self._group.t
        fields = QVBoxLayout(self.body)
        fields.setContentsMargins(0, 8, 0, 0)
        fields.setSpacing(24)
        sections = {field.parent for field in group.item.items if field.parent is not None}
        for field in group.item.items:
            path = row_path(group.item.id, self.row, field.id)
            if field.type == "info" and field.id in sections:  # a heading, as in a step
                widget = SectionWidget(field, t, path, self.body)
            else:
                widget = group.make_field(field, t, path, self.body)
            nest(widget, field, group.item.field)  # a section's fields, follow-ups: indented
            if group.keeps_message_room:
                widget.keep_message_room()
            if group.read_aloud_for_fields is not None:
                widget.offer_read_aloud(group.read_aloud_for_fields)
            self.fields[field.id] = widget
            fields.addWidget(widget)
            group.connect_field(widget)
        self.done_button = make_button(t("widgets.group.done"), "primary", parent=self.body)
        self.done_button.setObjectName("row-done")
        self.done_button.setAccessibleName(t("widgets.group.done_named", row=self.title.text()))
        self.done_button.clicked.connect(lambda: group.set_expanded(self.row, False))
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_button)
        done_row.addStretch(1)
        fields.addLayout(done_row)
        group.fields_built.emit(self.row)
        return True

    def set_title(self, text: str, t: Translator) -> None:
        if self.title.text() != text:
            self.title.setText(text)
            self.edit_button.setAccessibleName(t("widgets.group.edit_named", row=text))
            self.remove_button.setAccessibleName(t("widgets.group.remove_named", row=text))
            if self.done_button is not None:
                self.done_button.setAccessibleName(t("widgets.group.done_named", row=text))

    def ask_remove(self, asking: bool) -> None:
        self.confirm_bar.setVisible(asking)
        self.remove_button.setEnabled(not asking)
        self._group.layout_changed.emit()
        (self.remove_no if asking else self.remove_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = [self.remove_button] if self.expanded else [self.edit_button,
                                                                           self.remove_button]
        if self.confirm_bar.isVisibleTo(self):
            chain += [self.remove_no, self.remove_yes]
        if self.expanded:
            for widget in self.fields.values():
                if widget.isVisibleTo(self.body):
                    chain += widget.focus_chain()
            chain.append(self.done_button)
        return chain


# (item, translator, path, parent) -> the field's widget; the registry passes its widget_for
FieldFactory = Callable[[Item, Translator, str, QWidget], AnswerWidget]


class GroupWidget(AnswerWidget):
    """`group`: the rows and an "Add" button.

    Its rows' fields are made by `make_field` (the registry's `widget_for`), handed in by
    whoever makes the group, so this module does not import the registry that imports it.
    """

    add_requested = Signal()
    remove_requested = Signal(int)
    fields_built = Signal(int)  # a row's field widgets exist now: show its answers in them
    field_changed = Signal(str, object, bool)
    field_committed = Signal(str)
    field_confirmed = Signal(str, bool)
    layout_changed = Signal()  # a row was opened or closed, or asks before removing

    def __init__(self, item: Item, t: Translator, path: str | None = None,
                 parent: QWidget | None = None, *, make_field: FieldFactory) -> None:
        self.make_field = make_field
        self.keeps_message_room = False
        self.read_aloud_for_fields: Callable[[AnswerWidget], QWidget] | None = None
        super().__init__(item, t, path, parent)

    def offer_read_aloud(self, make: Callable[[AnswerWidget], QWidget]) -> None:
        """For the group's question and its rows' fields, open now or opened later."""
        super().offer_read_aloud(make)
        self.read_aloud_for_fields = make
        for card in self.cards.values():
            for widget in card.fields.values():
                widget.offer_read_aloud(make)

    def keep_message_room(self) -> None:
        """For the group's own message and its rows' fields, those open now and those
        opened later."""
        super().keep_message_room()
        self.keeps_message_room = True
        for card in self.cards.values():
            for widget in card.fields.values():
                widget.keep_message_room()

    def build(self) -> None:
        self.box = QWidget(self)
        self.box.setObjectName("rows")
        self.rows_layout = QVBoxLayout(self.box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(16)
        self.cards: dict[int, RowCard] = {}
        self.add_button = make_button("+  " + self.t("widgets.group.add"), parent=self)
        self.add_button.setObjectName("row-add")
        self.add_button.clicked.connect(self.add_requested)
        # At the group's most rows the button stops, and says why beside it.
        self.row_limit_note = make_label(self.t("widgets.group.row_limit", max=self.item.row_limit),
                                         "help", parent=self)
        self.row_limit_note.setObjectName("row-limit")
        self.row_limit_note.setVisible(False)
        self.body.addWidget(self.box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.row_limit_note, 1)
        self.body.addLayout(add_row)

    def inputs(self) -> list[QWidget]:
        return [self.add_button]

    def accessible_target(self) -> QWidget:
        return self.box

    def _accessible_names(self, question: str) -> dict[QWidget, str]:
        return {self.box: question, self.add_button: self.t("widgets.group.add_named", question=question)}

    def value(self) -> Any:
        return None  # rows are answers of their own; the host keeps them

    def _apply(self, value: Any) -> None:
        pass

    def clear(self) -> None:
        self.set_rows([])
        self.set_problem(None)

    # -- rows ----------------------------------------------------------------------------

    def connect_field(self, widget: AnswerWidget) -> None:
        path = widget.path
        widget.changed.connect(lambda value: self.field_changed.emit(path, value, widget.continuous))
        widget.committed.connect(lambda: self.field_committed.emit(path))
        widget.confirm_toggled.connect(lambda checked: self.field_confirmed.emit(path, checked))

    def set_rows(self, rows: list[int], *, expand_new: bool = False) -> list[int]:
        """Show exactly these rows (in order; new ones come last); returns the new rows."""
        added = []
        for row in list(self.cards):
            if row not in rows:
                card = self.cards.pop(row)
                card.hide()
                self.rows_layout.removeWidget(card)
                card.deleteLater()
        for position, row in enumerate(rows):
            if row not in self.cards:
                self.cards[row] = RowCard(self, row)
                self.rows_layout.insertWidget(position, self.cards[row])
                self.set_expanded(row, expand_new, move_focus=False)
                added.append(row)
        self.cards = {row: self.cards[row] for row in rows}
        full = len(self.cards) >= self.item.row_limit
        self.add_button.setEnabled(not full)
        self.row_limit_note.setVisible(full)
        self.add_button.setToolTip(self.row_limit_note.text() if full else "")
        return added

    def rows(self) -> list[int]:
        return list(self.cards)

    def card(self, row: int) -> RowCard:
        return self.cards[row]

    def field_widget(self, row: int, field_id: str) -> AnswerWidget:
        card = self.cards[row]
        card.build_fields()
        return card.fields[field_id]

    def set_expanded(self, row: int, expanded: bool, *, move_focus: bool = True) -> None:
        """Open a row to edit its fields, or close it to its name (Edit shows when closed)."""
        card = self.cards[row]
        if expanded:
            card.build_fields()
        card.expanded = expanded
        card.body.setVisible(expanded)
        card.edit_button.setVisible(not expanded)
        self.layout_changed.emit()
        if expanded and move_focus:
            first = next((w for w in card.fields.values() if w.isVisibleTo(card.body)), None)
            if first is not None:
                first.focus_input()
        elif not expanded:
            for widget in card.fields.values():
                widget.finish_edit()
            if move_focus:
                card.edit_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_chain(self) -> list[QWidget]:
        listen = self.read_aloud
        chain: list[QWidget] = [listen] if listen is not None and listen.isVisibleTo(self) else []
        for card in self.cards.values():
            chain += card.focus_chain()
        chain.append(self.add_button)
        return chain

    @property
    def group_item(self) -> Item:
        return self.item
