"""Which answers apply, judged for many submissions of one definition at export speed.

The Session is the one judge of applicability (an answer hidden by branching is kept but
does not apply). An export of 100,000 submissions puts the same few questions to it over
and over: the shipped questionnaire has 12 distinct conditions reading 14 names, and most
submissions give those names one of a few answers. `Applicability` remembers, per
definition, the Session's verdict for each combination of what the conditions can see
(the *inputs*), so each combination is judged once by a Session and every other
submission with the same inputs is a dictionary lookup (measured: docs/interop.md).

What a condition can see of a name, found once per definition from the expressions:
- an item read only through `answered(x)`: whether it holds a usable answer;
- any other item: its stored answer (exactly: `1`, `1.0`, `True` and `"1"` differ);
- a computed value: its value, computed by the Session's evaluator (an age is one of some
  80 numbers where the date of birth it comes from is one of thousands);
- a group read by `any`/`all`/`count`/`answered`: for each of its rows, what the row
  conditions see of the row's fields.
An item's own applicability depends on its step's condition and its own, so what those
read are inputs too (transitively). Conditions that call a function of the day directly
(`today()`, `age()`, `within_days()`, ...) add the judging day to the inputs;
`count_value` reads every answer, so a definition using it in a condition is judged by a
Session for every submission. A group row's fields are judged the same way, with the row's
own answers (and the submission's inputs) as the inputs.

Memory stays flat: at most `capacity` verdicts are kept per definition; combinations
beyond it are judged each time and not kept. Exactness is tested against the Session on
random answers for every shipped definition (tests/core/test_applicability.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.answers import all_rows, row_path
from screening_app.engine.definition import Item, Questionnaire
from screening_app.engine.expressions import (
    UNKNOWN,
    Binary,
    Call,
    Env,
    Expression,
    ListOf,
    Literal,
    Name,
    Node,
    Unary,
    evaluate,
)
from screening_app.engine.session import Session
from screening_app.engine.validation import typed_value

DAY_FUNCTIONS = frozenset({"today", "age", "years_since", "months_since", "days_since",
                           "within_days", "within_months"})
ROW_FUNCTIONS = frozenset({"any", "all"})
SEEN_CAPACITY = 4096  # distinct stored answers remembered per name (memory stays flat)
COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">=", "in", "not in"})
# (a submission's answers, one of its rows or None, the judgement) -> what a condition sees
View = Callable[[Mapping[str, Any], "_Row | None", "Judgement"], Any]


class Applicability:
    """The Session's applicability verdicts for one definition, remembered by inputs."""

    def __init__(self, q: Questionnaire, capacity: int = 20_000) -> None:
        self.q = q
        self.capacity = capacity
        self._verdicts: dict[tuple[Any, ...], frozenset[str]] = {}
        self._row_verdicts: dict[tuple[Any, ...], frozenset[str]] = {}
        inputs = _Inputs(q)
        top = [e for s in q.steps for e in (s.shown_when, *(i.shown_when for i in s.items)) if e]
        inputs.read(top)
        for item in q.all_items():  # a follow-up applies once its question is answered
            if item.parent is not None and q.item(item.parent).is_input:
                inputs.uses.setdefault(("item", item.parent), _Uses()).add("answered", None)
        self.memo = inputs.memo
        self.dated = inputs.dated
        self._views = inputs.views()
        self._row_views: dict[str, list[View]] = {}
        for group in (i for i in q.all_items() if i.type == "group"):
            row_inputs = _Inputs(q, group)
            row_inputs.read([f.shown_when for f in group.items if f.shown_when])
            for sub in group.items:  # a follow-up in a row applies once its question is answered
                if sub.parent is not None and group.field(sub.parent).is_input:
                    row_inputs.row_fields.setdefault(group.id, {}).setdefault(
                        sub.parent, _Uses()).add("answered", None)
            self.memo = self.memo and row_inputs.memo
            self.dated = self.dated or row_inputs.dated
            self._row_views[group.id] = row_inputs.views()

    def judge(self, answers: Mapping[str, Any], today: date) -> Judgement:
        """The verdict on one submission's answers, judged on `today`."""
        return Judgement(self, answers, today)


@dataclass(frozen=True)
class Applicable:
    """What of one submission's answers applies, as the study exports read it: each
    answered item that applies (group rows aside), and for each group that applies its
    rows in order, each with its answered fields that apply. Plain JSON-ready data, so the
    store can keep it beside the answers (store/applicable.py) and exports skip judging."""

    answers: dict[str, Any]
    groups: dict[str, list[dict[str, Any]]]


class Judgement:
    """Which items (and which fields of which group rows) of one submission apply."""

    def __init__(self, plan: Applicability, answers: Mapping[str, Any], today: date) -> None:
        self.plan = plan
        self.answers = answers
        self.today = today
        self._session: Session | None = None
        self._rows: dict[str, list[int]] | None = None
        self._key: tuple[Any, ...] | None = None
        self.items = self._items()

    @property
    def session(self) -> Session:
        """The Session over these answers, made only when a verdict is not remembered."""
        if self._session is None:
            self._session = Session(self.plan.q, self.answers, today=self.today)
        return self._session

    def _inputs(self, views: Iterable[View], row: _Row | None = None) -> tuple[Any, ...]:
        return tuple(view(self.answers, row, self) for view in views) + (
            (self.today,) if self.plan.dated else ())

    def _items(self) -> frozenset[str]:
        plan = self.plan
        if not plan.memo:
            return self._judged_items()
        self._key = self._inputs(plan._views)
        found = plan._verdicts.get(self._key)
        if found is None:
            found = self._judged_items()
            if len(plan._verdicts) < plan.capacity:
                plan._verdicts[self._key] = found
        return found

    def _judged_items(self) -> frozenset[str]:
        session = self.session
        return frozenset(item.id for step in self.plan.q.steps for item in session.visible_items(step.id))

    def rows(self, group: str) -> list[int]:
        """The rows of a group that exist, in order (every group's, found in one pass)."""
        if self._rows is None:
            self._rows = all_rows(self.answers)
        return self._rows.get(group, [])

    def fields(self, group: str, row: int) -> frozenset[str]:
        """The fields of one row of `group` that apply (the group itself applying)."""
        plan = self.plan
        if not plan.memo:
            return self._judged_fields(group, row)
        key = (self._key, group, self._inputs(plan._row_views[group], _Row(self.answers, group, row)))
        found = plan._row_verdicts.get(key)
        if found is None:
            found = self._judged_fields(group, row)
            if len(plan._row_verdicts) < plan.capacity:
                plan._row_verdicts[key] = found
        return found

    def _judged_fields(self, group: str, row: int) -> frozenset[str]:
        return frozenset(f.id for f in self.session.visible_fields(group, row))

    def applicable(self) -> Applicable:
        """The answers that apply, in the definition's order."""
        answers, groups = self.answers, {}
        top: dict[str, Any] = {}
        for item in self.plan.q.all_items():
            if item.id not in self.items:
                continue
            if item.type == "group":
                groups[item.id] = [self._row_answers(item, number) for number in self.rows(item.id)]
            elif (value := answers.get(item.id)) is not None:
                top[item.id] = value
        return Applicable(top, groups)

    def _row_answers(self, group: Item, number: int) -> dict[str, Any]:
        shown, prefix = self.fields(group.id, number), row_path(group.id, number) + "."
        return {f.id: value for f in group.items
                if f.id in shown and (value := self.answers.get(prefix + f.id)) is not None}

    def computed(self, name: str) -> Any:
        """A computed value as the conditions see it (UNKNOWN when it has none)."""
        return self.session.value(name)


class _Row:
    """One row of a group: its fields' answers by field id."""

    def __init__(self, answers: Mapping[str, Any], group: str, row: int) -> None:
        self.answers, self.prefix = answers, row_path(group, row) + "."

    def get(self, field_id: str) -> Any:
        return self.answers.get(self.prefix + field_id)


class _Uses:
    """How the conditions read one name: whole (`value`), only whether it is answered, or
    only in comparisons with constants (`age < 60`, `drug = "natalizumab"`)."""

    def __init__(self) -> None:
        self.value = False
        self.answered = False
        self.sites: list[Binary] = []

    def add(self, use: str, site: Binary | None) -> None:
        if use == "value":
            self.value = True
        elif use == "rows":  # a group, as the first argument of any() or all()
            pass
        elif use == "answered":
            self.answered = True
        elif site not in self.sites:
            self.sites.append(site)

    def seer(self, typed: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """From a stored answer (or a computed value) to what the conditions see of it.
        Comparisons are evaluated by the expression evaluator itself, on the typed value."""
        if self.value:
            return frozen
        sites, answered = tuple(self.sites), self.answered
        if not sites:
            return lambda stored: typed(stored) is not UNKNOWN
        seen: dict[Any, Any] = {}  # a stored answer -> what it shows: few answers, many submissions

        def see(stored: Any) -> Any:
            key = frozen(stored)
            shown = seen.get(key)
            if shown is None:
                value = typed(stored)
                env = _OneValue(value)
                shown = (value is not UNKNOWN if answered else None,
                         tuple(evaluate(site, env)[0] for site in sites))
                if len(seen) < SEEN_CAPACITY:
                    seen[key] = shown
            return shown
        return see


class _OneValue(Env):
    """Evaluates a comparison of one name with a constant: the name is `value`."""

    today = date.min  # a comparison with a constant reads no day

    def __init__(self, value: Any) -> None:
        self._value = value

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        return self._value, frozenset()

    def rows(self, group: str) -> None:  # pragma: no cover - not reached from a comparison
        return None

    def choice_attr(self, name: str, attribute: str) -> tuple[Any, frozenset[str]]:  # pragma: no cover
        return UNKNOWN, frozenset()

    def count_value(self, code: str) -> tuple[int, frozenset[str]]:  # pragma: no cover
        return 0, frozenset()


def _constant(node: Node) -> bool:
    return isinstance(node, Literal) or (isinstance(node, ListOf)
                                         and all(isinstance(n, Literal) for n in node.items))


class _Inputs:
    """What a set of conditions can see: found by walking their expressions."""

    def __init__(self, q: Questionnaire, group: Item | None = None) -> None:
        self.q = q
        self.group = group  # conditions of this group's fields: its field names are the row's
        self.memo = True
        self.dated = False
        self.uses: dict[tuple[str, str], _Uses] = {}  # ("item"|"computed", name) -> uses
        self.row_fields: dict[str, dict[str, _Uses]] = {}  # group -> field -> uses
        self._seen: set[int] = set()

    def read(self, expressions: Iterable[Expression | None]) -> None:
        for expression in expressions:
            if expression is not None and id(expression) not in self._seen:
                self._seen.add(id(expression))
                self._walk(expression.tree, self.group, "value")

    def _walk(self, node: Node, row_group: Item | None, use: str) -> None:
        if isinstance(node, Name):
            self._name(node.name, row_group, use, None)
        elif isinstance(node, Call):
            if node.function in DAY_FUNCTIONS:
                self.dated = True
            if node.function == "count_value":
                self.memo = False
            if node.function in ROW_FUNCTIONS and node.args and isinstance(node.args[0], Name):
                group = self.q.items_by_id.get(node.args[0].name)
                self._name(node.args[0].name, row_group, "rows", None)
                for arg in node.args[1:]:
                    self._walk(arg, group, "value")
                return
            for arg in node.args:
                self._walk(arg, row_group, "answered" if node.function == "answered" else "value")
        elif isinstance(node, Binary):
            for name, other in ((node.left, node.right), (node.right, node.left)):
                if node.op in COMPARISONS and isinstance(name, Name) and _constant(other):
                    self._name(name.name, row_group, "site", node)
                    return
            self._walk(node.left, row_group, "value")
            self._walk(node.right, row_group, "value")
        elif isinstance(node, Unary):
            self._walk(node.operand, row_group, "value")
        elif isinstance(node, ListOf):
            for item in node.items:
                self._walk(item, row_group, "value")

    def _name(self, name: str, row_group: Item | None, use: str, site: Binary | None) -> None:
        if row_group is not None and row_group.field(name) is not None:
            self.row_fields.setdefault(row_group.id, {}).setdefault(name, _Uses()).add(use, site)
            self._row_field_applies(row_group, row_group.field(name))
            return
        if name in self.q.parameters:
            return
        # Whether an item applies is decided by its step's and its own condition, and every
        # such condition is read into the submission's inputs anyway.
        scope = "computed" if name in self.q.computed else "item"
        self.uses.setdefault((scope, name), _Uses()).add(use, site)

    def _row_field_applies(self, group: Item, sub: Item) -> None:
        """In a row, a field is seen only where it applies: its condition, and what it
        stands under (a section's condition; a question it follows, whether answered)."""
        if sub.shown_when is not None:
            self._walk(sub.shown_when.tree, group, "value")
        if sub.parent is not None:
            above = group.field(sub.parent)
            if above.is_input:
                self.row_fields.setdefault(group.id, {}).setdefault(above.id, _Uses()).add("answered", None)
            self._row_field_applies(group, above)

    def views(self) -> list[View]:
        """One function per input, in a fixed order, giving what the conditions see."""
        views: list[View] = []
        for (scope, name), uses in sorted(self.uses.items(), key=lambda entry: entry[0]):
            item = self.q.items_by_id.get(name)
            if scope == "computed":
                see = uses.seer(lambda value: value)
                views.append(lambda answers, row, judgement, name=name, see=see:
                             see(judgement.computed(name)))
            elif item.type == "group":
                whole = uses.value or uses.answered or bool(uses.sites)  # count(), answered()
                views.append(_group_view(item, self.row_fields.get(name, {}), ordered=whole))
            else:
                see = uses.seer(lambda value, item=item: typed_value(item, value))
                views.append(lambda answers, row, judgement, name=name, see=see: see(answers.get(name)))
        if self.group is not None:  # the fields of the row being judged
            views += [_field_view(self.group.field(f), f, uses)
                      for f, uses in sorted(self.row_fields.get(self.group.id, {}).items(),
                                            key=lambda entry: entry[0])]
        return views


def _field_view(item: Item, field_id: str, uses: _Uses) -> View:
    see = uses.seer(lambda value: typed_value(item, value))
    return lambda answers, row, judgement: see(row.get(field_id))


def _group_view(group: Item, fields: Mapping[str, _Uses], ordered: bool) -> View:
    """What the row conditions see of each row. `any`/`all` judge rows one by one, so when
    they alone read the group, the set of what rows show is all they can see (two rows
    alike are one); `count()` and the like see every row, in order."""
    views = [_field_view(group.field(f), f, uses) for f, uses in sorted(fields.items(), key=lambda e: e[0])]
    gather = tuple if ordered else frozenset

    def view(answers: Mapping[str, Any], row: _Row | None, judgement: Judgement) -> Any:
        return gather(tuple(v(answers, _Row(answers, group.id, n), judgement) for v in views)
                      for n in judgement.rows(group.id))
    return view


def frozen(value: Any) -> Any:
    """A hashable stand-in for a stored answer that tells apart what typed_value does
    (`1`, `1.0`, `True` and `"1"` are four different answers)."""
    if type(value) is str:
        return value
    if isinstance(value, list):
        return ("list", tuple(frozen(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), frozen(v)) for k, v in value.items())))
    return (type(value).__name__, value)
