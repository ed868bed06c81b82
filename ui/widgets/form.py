"""One step of a questionnaire as a form: its items' widgets, kept in step with a Session.

The form renders every item of the step once and, after each change, asks the session
which items are shown and what problems they have, so branching takes effect at once
without rebuilding anything (and without moving the focus). It never saves: it updates
the session and tells its owner what changed (`answers_changed`), and the owner (the
kiosk's controller, the desk) stores it.

Problems are shown gently: an answer's problem appears once the person has finished with
it (left the field, or made a choice), or for every item on screen when `reveal_problems`
is called (the person pressed Next); once shown, it follows the answer as it changes. A
question revealed or a row added after Next starts neutral, until the next Next or until
the person leaves it filled wrongly. While a field is being typed in (a date between Day,
Month and Year), no new message appears for it; one already shown may go. Answers that
were already given when the form opened (a resumed draft) count as finished.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from screening_app.engine.answers import is_empty, parse_path, row_path
from screening_app.engine.definition import Item
from screening_app.engine.display import row_name
from screening_app.engine.session import Session
from screening_app.engine.validation import Problem
from ui.widgets.base import AnswerWidget
from ui.widgets.common import make_label, nest
from ui.widgets.group import GroupWidget
from ui.widgets.registry import widget_for
from ui.widgets.section import SectionWidget


def blocking(problem: Problem | None) -> bool:
    """An error, or a warning nobody has confirmed yet: the step cannot be left."""
    return problem is not None and (problem.severity == "error" or not problem.confirmed)


class StepForm(QWidget):
    answers_changed = Signal(object, bool)  # {path: value}; False while typing (saves may wait)
    shown_changed = Signal()  # questions were shown or hidden (the Tab order must follow)
    confirmation_changed = Signal(str, bool)  # a soft warning was confirmed (or not)
    edit_finished = Signal()  # a typed answer was finished (focus left it)

    def __init__(self, session: Session, step_id: str, parent: QWidget | None = None, *,
                 show_title: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName(f"form-{step_id}")
        self.session = session
        self.step = session.questionnaire.step(step_id)
        self.t = session.t
        self.revealed = False
        self.checked: set[str] = set()  # paths on screen at the last Next: their problems show
        self._editing: tuple[str, str | None] | None = None  # (path being typed in, its code then)
        self._shown_paths: frozenset[str] = frozenset()
        self._problems: dict[str, Problem] = {}
        self.touched: set[str] = {p for p, v in session.answers.items() if not is_empty(v)}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)  # each answer keeps room for its message below it
        self.title = self.intro = None
        self.intro_read_aloud: QWidget | None = None
        if show_title:
            self.title = make_label(self.step.title.get(self.t.lang), "title", heading=True, parent=self)
            layout.addWidget(self.title)
            if self.step.intro is not None:
                self.intro = make_label(self.step.intro.get(self.t.lang), "intro", parent=self)
                self.intro_row = QHBoxLayout()  # the intro, and beside it the kiosk's "Read aloud"
                self.intro_row.setContentsMargins(0, 0, 0, 0)
                self.intro_row.setSpacing(16)  # as beside a question
                self.intro_row.addWidget(self.intro, 1)
                layout.addLayout(self.intro_row)
                layout.setSpacing(24)
        self.widgets: dict[str, AnswerWidget] = {}
        sections = {item.parent for item in self.step.items if item.parent is not None}
        for item in self.step.items:
            if item.type == "info" and item.id in sections:  # a heading, not a note to read
                widget = SectionWidget(item, self.t, parent=self)
            else:
                widget = widget_for(item, self.t, parent=self)
            widget.keep_message_room()
            self.widgets[item.id] = widget
            nest(widget, item, session.questionnaire.item)
            layout.addWidget(widget)
            if isinstance(widget, GroupWidget):
                self._load_group(widget, item)
                widget.add_requested.connect(lambda w=widget: self._add_row(w))
                widget.remove_requested.connect(lambda row, w=widget: self._remove_row(w, row))
                widget.fields_built.connect(lambda row, w=widget: self._load_row(w, row))
                widget.field_changed.connect(self._changed)
                widget.field_committed.connect(self._committed)
                widget.field_confirmed.connect(self._confirmed)
                widget.layout_changed.connect(self.shown_changed)
            else:
                widget.set_value(session.answers.get(item.id))
                path = item.id
                widget.changed.connect(lambda value, p=path, w=widget: self._changed(p, value, w.continuous))
                widget.committed.connect(lambda p=path: self._committed(p))
                widget.confirm_toggled.connect(lambda checked, p=path: self._confirmed(p, checked))
        layout.addStretch(1)
        self.refresh()

    # -- reacting to the person ----------------------------------------------------------

    def _changed(self, path: str, value, continuous: bool) -> None:
        if continuous and (self._editing is None or self._editing[0] != path):
            before = self._shown(path)
            self._editing = (path, before.code if before is not None else None)
        self.session.set_answer(path, value)
        if not continuous:
            self.touched.add(path)
        self.refresh()
        self.answers_changed.emit({path: value}, not continuous)

    def _committed(self, path: str) -> None:
        if self._editing is not None and self._editing[0] == path:
            self._editing = None
        self.touched.add(path)
        self.refresh()
        self.edit_finished.emit()

    def _confirmed(self, path: str, confirmed: bool) -> None:
        self.session.confirm_warning(path, confirmed)
        self.refresh()
        self.confirmation_changed.emit(path, confirmed)

    def _add_row(self, widget: GroupWidget) -> None:
        row = self.session.add_row(widget.item.id)
        self.touched.add(widget.item.id)
        widget.set_rows(self.session.rows(widget.item.id), expand_new=True)
        self.refresh()
        self.answers_changed.emit({row_path(widget.item.id, row): True}, True)
        widget.set_expanded(row, True)

    def _remove_row(self, widget: GroupWidget, row: int) -> None:
        cleared = self.session.remove_row(widget.item.id, row)
        self.refresh()
        self.answers_changed.emit(dict.fromkeys(cleared), True)
        rows = widget.rows()
        if rows:
            widget.card(rows[-1]).focus_chain()[0].setFocus()
        else:
            widget.add_button.setFocus()

    def _load_group(self, widget: GroupWidget, item: Item) -> None:
        widget.set_rows(self.session.rows(item.id))

    def _load_row(self, widget: GroupWidget, row: int) -> None:
        """A row was opened for the first time: show its answers in its new fields."""
        card = widget.card(row)
        for field_id, field_widget in card.fields.items():
            field_widget.set_value(self.session.answers.get(row_path(widget.item.id, row, field_id)))
        self._refresh_group(widget, widget.item)

    # -- showing what the session says ---------------------------------------------------

    def refresh(self) -> None:
        session = self.session
        visible = {item.id for item in session.visible_items(self.step.id)}
        problems: dict[str, Problem] = {}
        for problem in session.problems(self.step.id):
            current = problems.get(problem.path)
            if current is None or (current.severity == "warning" and problem.severity == "error"):
                problems[problem.path] = problem
        self._problems = problems
        for item in self.step.items:
            widget = self.widgets[item.id]
            shown = item.id in visible
            if widget.isHidden() == shown:
                widget.setVisible(shown)
            if shown and isinstance(widget, GroupWidget):
                self._refresh_group(widget, item)
            widget.set_problem(self._shown(item.id) if shown else None)
        shown_paths = frozenset(self.paths_on_screen())
        if shown_paths != self._shown_paths:
            self._shown_paths = shown_paths
            self.shown_changed.emit()

    def _shown(self, path: str) -> Problem | None:
        problem = self._problems.get(path)
        if problem is None or not (path in self.checked or path in self.touched):
            return None
        if self._editing is not None and self._editing[0] == path and problem.code != self._editing[1]:
            return None  # still being typed: no new message until the person moves on
        return problem

    def paths_on_screen(self) -> list[str]:
        """The answers on screen: shown items, and the fields shown in opened rows."""
        paths = []
        for item in self.step.items:
            widget = self.widgets[item.id]
            if widget.isHidden():
                continue
            paths.append(item.id)
            if isinstance(widget, GroupWidget):
                for row, card in widget.cards.items():
                    paths.append(row_path(item.id, row))
                    paths += [row_path(item.id, row, field_id) for field_id, field in card.fields.items()
                              if not field.isHidden()]
        return paths

    def _refresh_group(self, widget: GroupWidget, item: Item) -> None:
        rows = self.session.rows(item.id)
        widget.set_rows(rows)
        for index, row in enumerate(rows):
            card = widget.card(row)
            card.set_title(self.row_title(item, row, index), self.t)
            visible = {field.id for field in self.session.visible_fields(item.id, row)}
            attention = False
            for field in item.items:
                shown = field.id in visible
                problem = self._shown(row_path(item.id, row, field.id)) if shown else None
                attention |= blocking(problem)
                field_widget = card.fields.get(field.id)
                if field_widget is None:
                    continue  # the row has not been opened yet
                if field_widget.isHidden() == shown:
                    field_widget.setVisible(shown)
                field_widget.set_problem(problem)
            card.attention.setVisible(attention and not card.expanded)

    def row_title(self, item: Item, row: int, index: int) -> str:
        name = row_name(item, row, self.session.answers, self.t)
        return name if name is not None else self.t("widgets.group.row", number=index + 1)

    # -- for the owner -------------------------------------------------------------------

    def reveal_problems(self) -> AnswerWidget | None:
        """Show every problem of the step; focus and return the first one that blocks."""
        self.revealed = True
        self._editing = None
        self.checked = set(self._all_paths())
        self.refresh()
        for item in self.step.items:
            widget = self.widgets[item.id]
            if widget.isHidden():
                continue
            if isinstance(widget, GroupWidget):
                for row in widget.rows():
                    card = widget.card(row)
                    for field in item.items:
                        path = row_path(item.id, row, field.id)
                        if blocking(self._shown(path)) and self.session.is_applicable(path):
                            if not card.expanded:
                                widget.set_expanded(row, True, move_focus=False)
                            field_widget = card.fields[field.id]
                            field_widget.focus_input()
                            return field_widget
            if blocking(widget.problem()):
                widget.focus_input()
                return widget
        return None

    def _all_paths(self) -> list[str]:
        """Every answer of the step that applies now, opened rows or not (as Next checks)."""
        paths = []
        for item in self.session.visible_items(self.step.id):
            paths.append(item.id)
            if item.type == "group":
                for row in self.session.rows(item.id):
                    paths += [row_path(item.id, row, f.id) for f in self.session.visible_fields(item.id, row)]
        return paths

    def blocking_problems(self) -> list[Problem]:
        """The problems on screen that keep the step from being left (errors, unconfirmed
        warnings); a question revealed since the last Next is not counted until it shows."""
        return [p for path, p in self._problems.items() if blocking(self._shown(path))]

    def first_problem(self) -> AnswerWidget | None:
        """The first answer on screen whose message is shown and blocks (its row opened)."""
        for path in self._all_paths():
            if blocking(self._shown(path)) and self.session.is_applicable(path):
                parts = parse_path(path)
                if parts is not None and parts.field is not None:
                    group = self.widgets[parts.item]
                    if not group.card(parts.row).expanded:
                        group.set_expanded(parts.row, True, move_focus=False)
                return self.answer_widget(path)
        return None

    def blocking_count(self) -> int:
        return len(self.blocking_problems())

    def apply_prefill(self) -> None:
        """Put each unanswered item's prefilled value in place, as if typed (then saved)."""
        filled = {}
        for item in self.session.visible_items(self.step.id):
            if item.prefill is not None and is_empty(self.session.answers.get(item.id)):
                value = self.session.prefill(item)
                if value:
                    self.session.set_answer(item.id, value)
                    self.widgets[item.id].set_value(value)
                    filled[item.id] = value
        if filled:
            self.refresh()
            self.answers_changed.emit(filled, True)

    def finish_edits(self) -> None:
        for widget in self.widgets.values():
            widget.finish_edit()
            if isinstance(widget, GroupWidget):
                for card in widget.cards.values():
                    for field_widget in card.fields.values():
                        field_widget.finish_edit()

    def offer_read_aloud(self, make: Callable[[StepForm], QWidget]) -> None:
        """Put the button that `make` returns beside the step's intro, as a question has
        its own beside it (the kiosk's "Read aloud"; a step without an intro has none)."""
        if self.intro is not None and self.intro_read_aloud is None:
            self.intro_read_aloud = make(self)
            self.intro_row.addWidget(self.intro_read_aloud, 0, Qt.AlignmentFlag.AlignTop)

    def focus_chain(self) -> list[QWidget]:
        listen = self.intro_read_aloud
        chain: list[QWidget] = [listen] if listen is not None and listen.isVisibleTo(self) else []
        for widget in self.widgets.values():
            if not widget.isHidden():
                chain += widget.focus_chain()
        return chain

    def first_input(self) -> QWidget | None:
        chain = self.focus_chain()
        return chain[0] if chain else None

    def answer_widget(self, path: str) -> AnswerWidget:
        """The widget showing `path` (`item` or `group[n].field`)."""
        if path in self.widgets:
            return self.widgets[path]
        group, _, rest = path.partition("[")
        row, _, field = rest.partition("].")
        widget = self.widgets[group]
        if not isinstance(widget, GroupWidget):
            raise KeyError(path)
        return widget.field_widget(int(row), field)
