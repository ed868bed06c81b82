"""The safe expression language of questionnaire definitions: parse -> tree -> check -> evaluate.

Used by `shown_when`, computed values, checks and screening rules. A fixed operator table
and a registry of functions; names are collected at parse time and checked against the
definition at load. There is no `eval`, no attribute access and no indexing.

Evaluation is three-valued: a name whose answer is missing or not applicable is UNKNOWN,
and UNKNOWN spreads through comparisons and arithmetic. `false and unknown` is false and
`true or unknown` is true. Every value travels with its *evidence*: the answer paths it
was read from, so a screening rule can name the answers that made it true.

A date given as a month or a year is a range of days, and what is computed from it a range
of numbers; a condition true for some of those days and false for others is MAYBE
(engine/dates.py says how each reader takes it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from screening_app.engine.dates import (
    MAYBE,
    DateSpan,
    Marker,
    NumberSpan,
    arithmetic,
    compare,
    contained,
    is_span,
    negate,
    of_date,
    whole_months,
    whole_years,
    within_days,
    within_months,
)

# The value of anything that cannot be known from the answers given.
UNKNOWN: Any = Marker("UNKNOWN")
NO_EVIDENCE: frozenset[str] = frozenset()


class ExpressionError(Exception):
    """A problem in an expression's text, found at load time."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class ListOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]


Node = Literal | Name | ListOf | Unary | Binary | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression with the names it reads (outside of `any`/`all` row scopes)."""

    text: str
    tree: Node
    names: frozenset[str]
    row_names: frozenset[str] = field(default=frozenset())  # names read inside row scopes


# ---------------------------------------------------------------- tokens and parser

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op><=|>=|!=|=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_COMPARISONS = {"=", "!=", "<", "<=", ">", ">=", "in", "not in"}


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            bad = text[position:].lstrip()[:1]
            raise ExpressionError("E_SYNTAX", f"unexpected character {bad!r}")
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "number":
            tokens.append(("number", float(value) if "." in value else int(value)))
        elif kind == "string":
            tokens.append(("string", re.sub(r"\\(.)", r"\1", value[1:-1])))
        elif kind == "name" and value in _KEYWORDS:
            tokens.append(("kw", value))
        else:
            tokens.append((kind, value))
    tokens.append(("end", None))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, Any]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, kind: str, value: Any = None) -> bool:
        token = self.peek()
        if token[0] == kind and (value is None or token[1] == value):
            self.index += 1
            return True
        return False

    def expect(self, kind: str, value: Any) -> None:
        if not self.accept(kind, value):
            found = self.peek()[1]
            raise ExpressionError(
                "E_SYNTAX", f"expected {value!r} but found {found if found is not None else 'the end'!r}"
            )

    def parse(self) -> Node:
        node = self.or_()
        if self.peek()[0] != "end":
            raise ExpressionError("E_SYNTAX", f"unexpected {self.peek()[1]!r}")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.accept("kw", "or"):
            node = Binary("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.accept("kw", "and"):
            node = Binary("and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.accept("kw", "not"):
            return Unary("not", self.not_())
        return self.compare()

    def compare(self) -> Node:
        node = self.sum()
        kind, value = self.peek()
        if kind == "op" and value in _COMPARISONS:
            self.take()
            return Binary(value, node, self.sum())
        if kind == "kw" and value == "in":
            self.take()
            return Binary("in", node, self.sum())
        if kind == "kw" and value == "not" and self.tokens[self.index + 1] == ("kw", "in"):
            self.index += 2
            return Binary("not in", node, self.sum())
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.peek()[0] == "op" and self.peek()[1] in {"+", "-"}:
            node = Binary(self.take()[1], node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in {"*", "/"}:
            node = Binary(self.take()[1], node, self.unary())
        return node

    def unary(self) -> Node:
        if self.accept("op", "-"):
            return Unary("-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind in {"number", "string"}:
            return Literal(value)
        if kind == "kw" and value in {"true", "false"}:
            return Literal(value == "true")
        if kind == "name":
            if self.accept("op", "("):
                return Call(value, self.arguments(")"))
            return Name(value)
        if kind == "op" and value == "(":
            node = self.or_()
            self.expect("op", ")")
            return node
        if kind == "op" and value == "[":
            return ListOf(self.arguments("]"))
        found = "the end" if kind == "end" else repr(value)
        raise ExpressionError("E_SYNTAX", f"expected a value but found {found}")

    def arguments(self, closer: str) -> tuple[Node, ...]:
        args: list[Node] = []
        if self.accept("op", closer):
            return ()
        while True:
            args.append(self.or_())
            if self.accept("op", closer):
                return tuple(args)
            self.expect("op", ",")


def _collect_names(node: Node, outer: set[str], inner: set[str], in_row: bool) -> None:
    target = inner if in_row else outer
    match node:
        case Name(name):
            target.add(name)
        case Unary(_, operand):
            _collect_names(operand, outer, inner, in_row)
        case Binary(_, left, right):
            _collect_names(left, outer, inner, in_row)
            _collect_names(right, outer, inner, in_row)
        case ListOf(items):
            for item in items:
                _collect_names(item, outer, inner, in_row)
        case Call(function, args):
            for position, arg in enumerate(args):
                row_scope = function in ROW_FUNCTIONS and position == 1
                _collect_names(arg, outer, inner, in_row or row_scope)


def text_literals(node: Node) -> frozenset[str]:
    """Every quoted text in a tree (the choice codes a rule asks about)."""
    match node:
        case Literal(value):
            return frozenset({value}) if isinstance(value, str) else frozenset()
        case Unary(_, operand):
            return text_literals(operand)
        case Binary(_, left, right):
            return text_literals(left) | text_literals(right)
        case ListOf(items) | Call(_, items):
            return frozenset().union(*(text_literals(item) for item in items))
    return frozenset()


def parse(text: str) -> Expression:
    """Parse `text` into an Expression; raises ExpressionError with code E_SYNTAX."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("E_SYNTAX", "the expression is empty")
    tree = _Parser(text).parse()
    outer: set[str] = set()
    inner: set[str] = set()
    _collect_names(tree, outer, inner, False)
    return Expression(text, tree, frozenset(outer), frozenset(inner))


# ---------------------------------------------------------------- evaluation


class Env(Protocol):
    """What an expression can see while it is evaluated."""

    today: date

    def value(self, name: str) -> tuple[Any, frozenset[str]]:
        """The applicable value of a name (UNKNOWN when there is none) and its evidence."""

    def rows(self, group: str) -> Sequence[Env]:
        """One environment per applicable row of a group; names resolve to the row first."""

    def choice_attr(self, name: str, attribute: str) -> tuple[Any, frozenset[str]]:
        """An attribute of the chosen code of a choice item."""

    def count_value(self, code: str) -> tuple[int, frozenset[str]]:
        """How many applicable answers equal (or contain) `code`, and which."""


Result = tuple[Any, frozenset[str]]


def evaluate(expression: Expression | Node, env: Env) -> Result:
    """Evaluate to (value, evidence). Never raises for any answers; problems give UNKNOWN."""
    node = expression.tree if isinstance(expression, Expression) else expression
    return _eval(node, env)


def is_true(expression: Expression, env: Env) -> bool:
    value, _ = _eval(expression.tree, env)
    return value is True


def possible(value: Any) -> bool:
    """True, or true for some of the days of a partial date (MAYBE)."""
    return value is True or value is MAYBE


def _eval(node: Node, env: Env) -> Result:
    match node:
        case Literal(value):
            return value, NO_EVIDENCE
        case Name(name):
            return env.value(name)
        case ListOf(items):
            values = [_eval(item, env) for item in items]
            if any(v is UNKNOWN for v, _ in values):
                return UNKNOWN, NO_EVIDENCE
            return [v for v, _ in values], _union(e for _, e in values)
        case Unary("not", operand):
            value, evidence = _eval(operand, env)
            if value is MAYBE:
                return MAYBE, evidence
            return (not value if isinstance(value, bool) else UNKNOWN), evidence
        case Unary("-", operand):
            value, evidence = _eval(operand, env)
            if isinstance(value, NumberSpan):
                return negate(value), evidence
            return (-value if _is_number(value) else UNKNOWN), evidence
        case Binary("and", left, right):
            return _and(_eval(left, env), _eval(right, env))
        case Binary("or", left, right):
            return _or(_eval(left, env), _eval(right, env))
        case Binary(op, left, right):
            (a, ea), (b, eb) = _eval(left, env), _eval(right, env)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN, NO_EVIDENCE
            return _binary(op, a, b), ea | eb
        case Call(function, args):
            return FUNCTIONS[function].call(args, env)
    return UNKNOWN, NO_EVIDENCE


def _union(evidences: Any) -> frozenset[str]:
    result: frozenset[str] = NO_EVIDENCE
    for evidence in evidences:
        result = result | evidence
    return result


def _and(left: Result, right: Result) -> Result:
    (a, ea), (b, eb) = left, right
    if a is False:
        return False, ea
    if b is False:
        return False, eb
    if a is True and b is True:
        return True, ea | eb
    if possible(a) and possible(b):
        return MAYBE, ea | eb
    return UNKNOWN, NO_EVIDENCE


def _or(left: Result, right: Result) -> Result:
    (a, ea), (b, eb) = left, right
    for wanted in (True, MAYBE):  # MAYBE or anything: at least possible
        if a is wanted and b is wanted:
            return wanted, ea | eb
        if a is wanted:
            return wanted, ea
        if b is wanted:
            return wanted, eb
    if a is False and b is False:
        return False, ea | eb
    return UNKNOWN, NO_EVIDENCE


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparable(a: Any, b: Any) -> bool:
    if _is_number(a) and _is_number(b):
        return True
    return type(a) is type(b) and isinstance(a, str | date | bool)


def _binary(op: str, a: Any, b: Any) -> Any:
    if is_span(a) or is_span(b):
        return _span_binary(op, a, b)
    if op in {"in", "not in"}:
        if not isinstance(b, list):
            return UNKNOWN
        found = any(item == a for item in b)
        return found if op == "in" else not found
    if op in {"=", "!="}:
        if not _comparable(a, b):
            return UNKNOWN
        return (a == b) if op == "=" else (a != b)
    if op in {"<", "<=", ">", ">="}:
        if not _comparable(a, b) or isinstance(a, bool):
            return UNKNOWN
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if not (_is_number(a) and _is_number(b)):
        return UNKNOWN
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b if b != 0 else UNKNOWN
    return UNKNOWN


def _span_binary(op: str, a: Any, b: Any) -> Any:
    """An operator where a range takes part (a date given as a month, or a number
    computed from one): true, false or MAYBE; UNKNOWN where the two do not go together."""
    if op in {"in", "not in"}:
        if not isinstance(b, list) or not is_span(a):
            return UNKNOWN
        found = contained(a, b)
        return found if op == "in" else (MAYBE if found is MAYBE else True)
    result = compare(op, a, b) if op in _COMPARISONS else arithmetic(op, a, b)
    return UNKNOWN if result is None else result


# ---------------------------------------------------------------- functions

# Static kinds used by the load-time check.
NUMBER, DATE, TEXT, CODE, CODES, BOOL, GROUP, LIST, ANY = (
    "number", "date", "text", "code", "codes", "bool", "group", "list", "any",
)


@dataclass(frozen=True)
class Function:
    """A registered function: argument kinds, result kind and implementation."""

    name: str
    params: tuple[str, ...]
    returns: str
    call: Callable[[tuple[Node, ...], Env], Result]
    variadic: bool = False


def _simple(implementation: Callable[..., Any]) -> Callable[[tuple[Node, ...], Env], Result]:
    """Wrap a plain function of values: unknown in -> unknown out; evidence is the union."""

    def call(args: tuple[Node, ...], env: Env) -> Result:
        results = [_eval(arg, env) for arg in args]
        if any(value is UNKNOWN for value, _ in results):
            return UNKNOWN, NO_EVIDENCE
        try:
            value = implementation(env.today, *[value for value, _ in results])
        except (TypeError, ValueError, OverflowError):
            return UNKNOWN, NO_EVIDENCE
        return value, _union(evidence for _, evidence in results)

    return call


def _need_date(value: Any) -> date | DateSpan:
    if not isinstance(value, date | DateSpan):
        raise TypeError("not a date")
    return value


def _of_date(function: Callable[[date, date], Any]) -> Callable[[tuple[Node, ...], Env], Result]:
    """A function of (today, a date) that only grows or only shrinks with the date, for a
    date or a partial one (then the range of its values over the days it can be)."""
    return _simple(lambda today, value: of_date(lambda day: function(today, day), _need_date(value)))


def _answered(args: tuple[Node, ...], env: Env) -> Result:
    value, evidence = _eval(args[0], env)
    if value is UNKNOWN or value in ("", [], None):
        return False, NO_EVIDENCE
    return True, evidence


def _count(args: tuple[Node, ...], env: Env) -> Result:
    node = args[0]
    if isinstance(node, Name):
        rows = env.rows(node.name)
        if rows is not None:
            return len(rows), frozenset({node.name})
    value, evidence = _eval(node, env)
    if isinstance(value, list):
        return len(value), evidence
    return UNKNOWN, NO_EVIDENCE


def _group_quantifier(every: bool) -> Callable[[tuple[Node, ...], Env], Result]:
    def call(args: tuple[Node, ...], env: Env) -> Result:
        group, condition = args
        rows = env.rows(group.name) if isinstance(group, Name) else None
        if rows is None:
            return UNKNOWN, NO_EVIDENCE
        results = [_eval(condition, row) for row in rows]
        if every:
            if any(value is False for value, _ in results):
                return False, NO_EVIDENCE
            if all(value is True for value, _ in results):
                return True, _union(evidence for _, evidence in results)
            if all(possible(value) for value, _ in results):
                return MAYBE, _union(evidence for _, evidence in results)
            return UNKNOWN, NO_EVIDENCE
        for wanted in (True, MAYBE):  # a row where it holds; else one where it may
            matching = [evidence for value, evidence in results if value is wanted]
            if matching:
                return wanted, _union(matching)
        if all(value is False for value, _ in results):
            return False, NO_EVIDENCE
        return UNKNOWN, NO_EVIDENCE

    return call


def _attr(args: tuple[Node, ...], env: Env) -> Result:
    item, attribute = args
    if not isinstance(item, Name) or not isinstance(attribute, Literal):
        return UNKNOWN, NO_EVIDENCE
    return env.choice_attr(item.name, str(attribute.value))


def _count_value(args: tuple[Node, ...], env: Env) -> Result:
    code, _ = _eval(args[0], env)
    if not isinstance(code, str):
        return UNKNOWN, NO_EVIDENCE
    return env.count_value(code)


def _has(_today: date, values: Any, code: Any) -> bool:
    if not isinstance(values, list):
        raise TypeError("not a list")
    return code in values


def _has_any(_today: date, values: Any, codes: Any) -> bool:
    if not isinstance(values, list) or not isinstance(codes, list):
        raise TypeError("not a list")
    return any(code in values for code in codes)


def _join(args: tuple[Node, ...], env: Env) -> Result:
    parts = [_eval(arg, env) for arg in args]
    texts = [str(value).strip() for value, _ in parts if isinstance(value, str) and value.strip()]
    if not texts:
        return UNKNOWN, NO_EVIDENCE
    return " ".join(texts), _union(evidence for _, evidence in parts)


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in [
        Function("today", (), DATE, lambda args, env: (env.today, NO_EVIDENCE)),
        Function("age", (DATE,), NUMBER, _of_date(lambda t, d: whole_years(d, t))),
        Function("year", (DATE,), NUMBER, _of_date(lambda t, d: d.year)),
        Function("years_since", (DATE,), NUMBER, _of_date(lambda t, d: whole_years(d, t))),
        Function("months_since", (DATE,), NUMBER, _of_date(lambda t, d: whole_months(d, t))),
        Function("days_since", (DATE,), NUMBER, _of_date(lambda t, d: (t - d).days)),
        Function("within_days", (DATE, NUMBER), BOOL,
                 _simple(lambda t, d, days: within_days(t, _need_date(d), days))),
        Function("within_months", (DATE, NUMBER), BOOL,
                 _simple(lambda t, d, months: within_months(t, _need_date(d), months))),
        Function("answered", (ANY,), BOOL, _answered),
        Function("count", (ANY,), NUMBER, _count),
        Function("has", (CODES, TEXT), BOOL, _simple(_has)),
        Function("has_any", (CODES, LIST), BOOL, _simple(_has_any)),
        Function("any", (GROUP, BOOL), BOOL, _group_quantifier(every=False)),
        Function("all", (GROUP, BOOL), BOOL, _group_quantifier(every=True)),
        Function("attr", (CODE, TEXT), TEXT, _attr),
        Function("count_value", (TEXT,), NUMBER, _count_value),
        Function("join", (ANY,), TEXT, _join, variadic=True),
    ]
}
ROW_FUNCTIONS = frozenset({"any", "all"})
