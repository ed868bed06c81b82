"""One filling session: answers in; visible steps and items, problems, progress and flags out.

Pure state: no Qt, no SQL. The kiosk, the desk, the store (at submit) and the exports all
ask a Session; none of them holds rules of its own.

An item hidden by branching keeps its answer, but the answer is *not applicable*: it reads
as unknown in every expression, raises no flag, is not validated and is not exported. It
comes back if the branch is taken again. Nothing is silently deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screening_app.engine.answers import is_empty, parse_path, row_numbers, row_path, sort_key
from screening_app.engine.dates import MAYBE, NumberSpan
from screening_app.engine.definition import Item, Questionnaire, Step
from screening_app.engine.expressions import (
    NO_EVIDENCE,
    UNKNOWN,
    Env,
    Expression,
    evaluate,
    possible,
    text_literals,
)
from screening_app.engine.validation import Problem, check_value, typed_value
from screening_app.i18n import Translator


@dataclass(frozen=True)
class Evidence:
    """An answer (or computed value) that made a rule true."""

    path: str
    value: Any


@dataclass(frozen=True)
class Flag:
    """A screening flag for the clinician; never a verdict."""

    rule: str
    severity: str
    criterion: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ReviewEntry:
    item: Item
    path: str
    value: Any
    applicable: bool
    rows: tuple[tuple[int, tuple[ReviewEntry, ...]], ...] = ()  # a group's rows and their fields


@dataclass(frozen=True)
class ReviewStep:
    step: Step
    shown: bool
    entries: tuple[ReviewEntry, ...]


class _Evaluation(Env):
    """Values of names for one state of the answers, computed lazily and remembered."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.q = session.questionnaire
        self.today = session.today
        self._values: dict[str, tuple[Any, frozenset[str]]] = {}
        self._applicable: dict[str, bool] = {}
        self._steps: dict[str, bool] = {}
        self._rows: dict[str, list[_RowEvaluation] | None] = {}

    def holds(self, expression: Expression | None) -> bool:
        """A condition that shows a step or a question: it shows when it may apply (for
        some of the days of a date given as a month, too)."""
        return expression is None or possible(evaluate(expression, self)[0])

    def step_shown(self, step_id: str) -> bool:
        if step_id not in self._steps:
            self._steps[step_id] = self.holds(self.q.step(step_id).shown_when)
        return self._steps[step_id]

    def applicable(self, item_id: str) -> bool:
        if item_id not in self._applicable:
            item = self.q.item(item_id)
            self._applicable[item_id] = (self.step_shown(self.q.step_of[item_id])
                                         and self.holds(item.shown_when) and self._under_shown(item))
        return self._applicable[item_id]

    def _under_shown(self, item: Item) -> bool:
        """An item under a section applies while the section does; a follow-up, while the
        question it follows applies and is answered."""
        if item.parent is None:
            return True
        parent = self.q.item(item.parent)
        if not self.applicable(parent.id):
            return False
        return parent.type == "info" or self.value(parent.id)[0] is not UNKNOWN

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        if name not in self._values:
            self._values[name] = self._value(name)
        return self._values[name]

    def _value(self, name: str) -> tuple[Any, frozenset[str]]:
        parameter = self.q.parameters.get(name)
        if parameter is not None:
            return parameter.value, NO_EVIDENCE
        computed = self.q.computed.get(name)
        if computed is not None:
            value, evidence = evaluate(computed.expr, self)
            return (UNKNOWN, NO_EVIDENCE) if value is UNKNOWN else (value, evidence | {name})
        item = self.q.items_by_id.get(name)
        if item is None or item.type == "group" or not self.applicable(name):
            return UNKNOWN, NO_EVIDENCE
        return _typed(item, name, self.session.answers.get(name))

    def rows(self, group: str) -> Sequence[Env] | None:
        if group not in self._rows:
            item = self.q.items_by_id.get(group)
            if item is None or item.type != "group" or not self.applicable(group):
                self._rows[group] = None
            else:
                self._rows[group] = [_RowEvaluation(self, item, n)
                                     for n in row_numbers(self.session.answers, group)]
        return self._rows[group]

    def choice_attr(self, name: str, attribute: str) -> tuple[Any, frozenset[str]]:
        return _choice_attr(self.q.items_by_id.get(name), *self.value(name), attribute)

    def count_value(self, code: str) -> tuple[int, frozenset[str]]:
        matches = [path for path, value in self.session.answers.items()
                   if (value == code or (isinstance(value, list) and code in value))
                   and self.session.is_applicable(path)]
        return len(matches), frozenset(matches)


class _RowEvaluation(Env):
    """Names resolve to the fields of one group row first, then to the whole questionnaire."""

    def __init__(self, parent: _Evaluation, group: Item, row: int) -> None:
        self.parent = parent
        self.group = group
        self.row = row
        self.today = parent.today
        self._values: dict[str, tuple[Any, frozenset[str]]] = {}

    def field_applicable(self, field_id: str) -> bool:
        """A field applies when its condition may hold; under a section of the row, while
        the section applies; a follow-up, while the question it follows applies and is
        answered (as items of a step, `_Evaluation._under_shown`)."""
        sub = self.group.field(field_id)
        if sub is None or (sub.shown_when is not None and not possible(evaluate(sub.shown_when, self)[0])):
            return False
        if sub.parent is None:
            return True
        parent = self.group.field(sub.parent)
        if parent is None or not self.field_applicable(parent.id):
            return False
        return parent.type == "info" or self.value(parent.id)[0] is not UNKNOWN

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        sub = self.group.field(name)
        if sub is None:
            return self.parent.value(name)
        if name not in self._values:
            path = row_path(self.group.id, self.row, name)
            self._values[name] = (_typed(sub, path, self.parent.session.answers.get(path))
                                  if self.field_applicable(name) else (UNKNOWN, NO_EVIDENCE))
        return self._values[name]

    def rows(self, group: str) -> Sequence[Env] | None:
        return self.parent.rows(group)

    def choice_attr(self, name: str, attribute: str) -> tuple[Any, frozenset[str]]:
        item = self.group.field(name) or self.parent.q.items_by_id.get(name)
        return _choice_attr(item, *self.value(name), attribute)

    def count_value(self, code: str) -> tuple[int, frozenset[str]]:
        return self.parent.count_value(code)


def _typed(item: Item, path: str, raw: Any) -> tuple[Any, frozenset[str]]:
    value = typed_value(item, raw)
    return (UNKNOWN, NO_EVIDENCE) if value is UNKNOWN else (value, frozenset({path}))


def _plain(value: Any) -> Any:
    """A computed value for people and for JSON: a range as its text, no UNKNOWN or MAYBE."""
    if value is UNKNOWN or value is MAYBE:
        return None
    return str(value) if isinstance(value, NumberSpan) else value


def _choice_attr(item: Item | None, value: Any, evidence: frozenset[str],
                 attribute: str) -> tuple[Any, frozenset[str]]:
    if item is None or not isinstance(value, str) or item.choice(value) is None:
        return UNKNOWN, NO_EVIDENCE
    found = item.choice(value).attrs.get(attribute)
    return (found, evidence) if found is not None else (UNKNOWN, NO_EVIDENCE)


@dataclass
class Session:
    """A questionnaire being filled in (or read back), in one language, on one day."""

    questionnaire: Questionnaire
    answers: Mapping[str, Any] = field(default_factory=dict)
    lang: str = "en"
    today: date | None = None  # None: the day the session is created
    confirmed: Iterable[str] = ()

    def __post_init__(self) -> None:
        self.answers = {k: v for k, v in dict(self.answers).items() if v is not None}
        self.confirmed = set(self.confirmed)
        self.today = self.today or date.today()
        self.t = Translator(self.lang)
        self._evaluation: _Evaluation | None = None
        # Each group's rows, found once per state of the answers: every path's applicability
        # asks for its group's rows, and finding them scans every answer (a summary of
        # 1,000 treatment rows asked 7,000 times: quadratic).
        self._rows: dict[str, tuple[list[int], frozenset[int]]] = {}

    # ------------------------------------------------------------ changes

    @property
    def _eval(self) -> _Evaluation:
        if self._evaluation is None:
            self._evaluation = _Evaluation(self)
        return self._evaluation

    def set_answer(self, path: str, value: Any) -> None:
        """Record an answer (None or blank clears it). A changed answer needs a new confirmation."""
        if value is None:
            self.answers.pop(path, None)
        elif self.answers.get(path) != value:
            self.answers[path] = value
        else:
            return
        self.confirmed.discard(path)
        self._evaluation = None
        self._rows.clear()

    def confirm_warning(self, path: str, confirmed: bool = True) -> None:
        (self.confirmed.add if confirmed else self.confirmed.discard)(path)

    def rows(self, group: str) -> list[int]:
        return list(self._group_rows(group)[0])

    def _group_rows(self, group: str) -> tuple[list[int], frozenset[int]]:
        found = self._rows.get(group)
        if found is None:
            numbers = row_numbers(self.answers, group)
            found = self._rows[group] = (numbers, frozenset(numbers))
        return found

    def add_row(self, group: str) -> int:
        """Start a new row; its number is never reused while the session lives."""
        used = [parse_path(p).row for p in self.answers if p.startswith(f"{group}[")]
        number = max((n for n in used if n is not None), default=-1) + 1
        self.set_answer(row_path(group, number), True)
        return number

    def remove_row(self, group: str, row: int) -> list[str]:
        """Remove a row and its answers; returns every path cleared (for the store to save)."""
        prefix = row_path(group, row)
        cleared = [p for p in self.answers if p == prefix or p.startswith(prefix + ".")]
        for path in cleared:
            self.set_answer(path, None)
        return cleared

    # ------------------------------------------------------------ what is shown

    def step_shown(self, step_id: str) -> bool:
        return self._eval.step_shown(step_id)

    def step_undecided(self, step_id: str) -> bool:
        """Whether the step is hidden only for want of an answer not given yet: its
        condition is neither true nor false but unknown (a step that may still come)."""
        condition = self.questionnaire.step(step_id).shown_when
        return condition is not None and evaluate(condition, self._eval)[0] is UNKNOWN

    def visible_steps(self) -> list[Step]:
        return [s for s in self.questionnaire.steps if self._eval.step_shown(s.id)]

    def visible_items(self, step_id: str) -> list[Item]:
        step = self.questionnaire.step(step_id)
        return [i for i in step.items if self._eval.applicable(i.id)]

    def visible_fields(self, group: str, row: int) -> list[Item]:
        item = self.questionnaire.item(group)
        env = _RowEvaluation(self._eval, item, row)
        return [f for f in item.items if env.field_applicable(f.id)]

    def is_applicable(self, path: str) -> bool:
        parts = parse_path(path)
        if parts is None or parts.item not in self.questionnaire.items_by_id:
            return False
        if not self._eval.applicable(parts.item):
            return False
        if parts.row is None or parts.field is None:
            return parts.row is None or parts.row in self._group_rows(parts.item)[1]
        if parts.row not in self._group_rows(parts.item)[1]:
            return False
        return _RowEvaluation(self._eval, self.questionnaire.item(parts.item), parts.row) \
            .field_applicable(parts.field)

    def not_applicable(self) -> list[str]:
        """Answered paths kept but not applicable to the current answers."""
        paths = [p for p, v in self.answers.items()
                 if not is_empty(v) and not self.is_applicable(p)
                 and not (parse_path(p) and parse_path(p).item not in self.questionnaire.items_by_id)]
        return sorted(paths, key=lambda p: sort_key(self.questionnaire, p))

    def value(self, name: str) -> Any:
        """What an expression sees for a name: an item's applicable typed answer, a
        computed value or a parameter; UNKNOWN when there is none."""
        return self._eval.value(name)[0]

    def computed(self) -> dict[str, Any]:
        """Computed values as they are shown and stored: None when unknown, a range
        ("44–45", from a date given as a month) as its text."""
        return {name: _plain(self._eval.value(name)[0]) for name in self.questionnaire.computed}

    def prefill(self, item: Item) -> str | None:
        if item.prefill is None:
            return None
        value = evaluate(item.prefill, self._eval)[0]
        return value if isinstance(value, str) else None

    # ------------------------------------------------------------ problems and navigation

    def problems(self, step_id: str | None = None) -> list[Problem]:
        steps = [self.questionnaire.step(step_id)] if step_id else self.visible_steps()
        found: list[Problem] = []
        for step in steps:
            if not self._eval.step_shown(step.id):
                continue
            for item in self.visible_items(step.id):
                if item.type == "info" and item.required and not self._section_answered(item):
                    found.append(Problem(item.id, "required_section", "error",
                                         self.t("validation.required_section")))
                if item.type == "group":
                    found += self._group_problems(item)
                else:
                    found += self._item_problems(item, item.id, self._eval)
        if step_id is None:
            found += [Problem(p, "unknown_item", "error", self.t("validation.unknown_item"))
                      for p in self.answers if not self._known_path(p)]
        return found

    def _section_answered(self, section: Item) -> bool:
        """A required section ("select all that apply"): at least one answer under it."""
        return any(item.is_input and self.is_applicable(item.id) and not is_empty(self.answers.get(item.id))
                   for item in self.questionnaire.under(section.id))

    def _known_path(self, path: str) -> bool:
        parts = parse_path(path)
        if parts is None or parts.item not in self.questionnaire.items_by_id:
            return False
        item = self.questionnaire.item(parts.item)
        if parts.row is None:
            return True
        return item.type == "group" and (parts.field is None or item.field(parts.field) is not None)

    def _group_problems(self, group: Item) -> list[Problem]:
        rows = self.rows(group.id)
        found: list[Problem] = []
        if not is_empty(self.answers.get(group.id)):  # e.g. "treatments": "abc" in an import
            found.append(Problem(group.id, "not_rows", "error", self.t("validation.group_not_rows")))
        if group.required and not rows:
            found.append(Problem(group.id, "required", "error", self.t("validation.required_group")))
        if len(rows) > group.row_limit:
            found.append(Problem(group.id, "too_many_rows", "error",
                                 self.t("validation.too_many_rows", max=group.row_limit,
                                        count=len(rows))))
        for row in rows:
            env = _RowEvaluation(self._eval, group, row)
            for sub in group.items:
                if not env.field_applicable(sub.id):
                    continue
                path = row_path(group.id, row, sub.id)
                if sub.type == "info" and sub.required and not self._row_section_answered(group, row, sub):
                    found.append(Problem(path, "required_section", "error",
                                         self.t("validation.required_section")))
                elif sub.is_input:
                    found += self._item_problems(sub, path, env)
        return found

    def _row_section_answered(self, group: Item, row: int, section: Item) -> bool:
        """A required section of a row: at least one answer under it, in that row."""
        paths = (row_path(group.id, row, f.id) for f in group.fields_under(section.id) if f.is_input)
        return any(self.is_applicable(p) and not is_empty(self.answers.get(p)) for p in paths)

    def _item_problems(self, item: Item, path: str, env: Env) -> list[Problem]:
        if not item.is_input:
            return []
        value = self.answers.get(path)
        if is_empty(value):
            if not item.required:
                return []
            key = {"consent": "validation.consent_required",
                   "signature": "validation.not_signed"}.get(item.type, "validation.required")
            return [Problem(path, "required", "error", self.t(key))]
        builtin = check_value(item, value, self.t, self.today)
        if builtin:
            return [Problem(path, code, "error", message) for code, message in builtin]
        return [Problem(path, check.id, check.severity, check.message.get(self.lang),
                        confirmed=check.severity == "warning" and path in self.confirmed)
                # Only when every day of a partial date would show it (true, not MAYBE).
                for check in item.checks if evaluate(check.when, env)[0] is True]

    def errors(self, step_id: str | None = None) -> list[Problem]:
        return [p for p in self.problems(step_id) if p.severity == "error"]

    def can_leave(self, step_id: str) -> bool:
        """No errors and no unconfirmed warnings on the step."""
        return not any(p.severity == "error" or not p.confirmed for p in self.problems(step_id))

    def next_step(self, step_id: str | None) -> str | None:
        ids = [s.id for s in self.visible_steps()]
        if step_id is None:
            return ids[0] if ids else None
        following = [s.id for s in self.questionnaire.steps[self._index(step_id) + 1:]]
        return next((s for s in following if s in ids), None)

    def previous_step(self, step_id: str) -> str | None:
        ids = [s.id for s in self.visible_steps()]
        earlier = [s.id for s in self.questionnaire.steps[:self._index(step_id)]]
        return next((s for s in reversed(earlier) if s in ids), None)

    def _index(self, step_id: str) -> int:
        return [s.id for s in self.questionnaire.steps].index(step_id)

    def progress(self) -> tuple[int, int]:
        """(answered, total) over the required items that are shown now."""
        required = [i for s in self.visible_steps() for i in self.visible_items(s.id)
                    if i.required and i.is_input]
        done = sum(1 for i in required if (self.rows(i.id) if i.type == "group"
                                           else not is_empty(self.answers.get(i.id))))
        return done, len(required)

    # ------------------------------------------------------------ flags and review

    def flags(self) -> list[Flag]:
        """Flags raised by the screening rules on the applicable answers, in definition order.
        A screening rule is raised when any day of a date given as a month or a year would
        raise it (the clinician looks again); a consistency rule only when every day would:
        "these answers do not fit" must not be said of answers that may well fit."""
        found: list[Flag] = []
        for rule in self.questionnaire.rules:
            value, evidence = evaluate(rule.when, self._eval)
            if value is True or (rule.kind != "consistency" and possible(value)):
                found.append(Flag(rule.id, rule.severity, rule.criterion.get(self.lang),
                                  self._evidence(evidence, text_literals(rule.when.tree))))
        return found

    def _evidence(self, paths: Iterable[str], codes: frozenset[str]) -> tuple[Evidence, ...]:
        """The answers that made a rule true. Of a multiple choice, only the choices the rule
        names (a bleeding flag shows "bleeding disorder", not also "heart disease"), unless
        it names none of those chosen."""
        computed = self.questionnaire.computed
        ordered = sorted(paths, key=lambda p: (p not in computed, sort_key(self.questionnaire, p)))
        found = []
        for path in ordered:
            value = _plain(self._eval.value(path)[0]) if path in computed else self.answers.get(path)
            item = self.questionnaire.items_by_id.get(path)
            if isinstance(value, list) and item is not None and item.type == "multi_choice":
                value = [code for code in value if code in codes] or value
            found.append(Evidence(path, value))
        return tuple(found)

    def review(self) -> list[ReviewStep]:
        """Every step and item with its answer and whether it applies, for summaries."""
        result = []
        for step in self.questionnaire.steps:
            entries = []
            for item in step.items:
                rows = ()
                if item.type == "group":
                    rows = tuple(
                        (n, tuple(ReviewEntry(f, p := row_path(item.id, n, f.id), self.answers.get(p),
                                              self.is_applicable(p)) for f in item.items))
                        for n in self.rows(item.id))
                entries.append(ReviewEntry(item, item.id, self.answers.get(item.id),
                                           self._eval.applicable(item.id), rows))
            result.append(ReviewStep(step, self._eval.step_shown(step.id), tuple(entries)))
        return result
