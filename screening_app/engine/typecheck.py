"""Load-time checks of expressions: every name known, every code real, kinds that fit.

A questionnaire refers to its own items by id; a typo or a code that does not exist must
be refused when the file is loaded, not discovered when a patient answers.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from screening_app.engine.expressions import (
    ANY,
    BOOL,
    CODE,
    CODES,
    DATE,
    FUNCTIONS,
    GROUP,
    LIST,
    NUMBER,
    ROW_FUNCTIONS,
    TEXT,
    Binary,
    Call,
    ExpressionError,
    ListOf,
    Literal,
    Name,
    Node,
    Unary,
)

KIND_WORDS = {
    NUMBER: "a number", DATE: "a date", TEXT: "text", CODE: "a choice", CODES: "a list of choices",
    BOOL: "a yes/no condition", GROUP: "a repeating group", LIST: "a list", ANY: "a value",
}


@dataclass(frozen=True)
class NameInfo:
    """What the checker knows of a name: its kind, and for choices their codes and attributes."""

    kind: str
    codes: frozenset[str] | None = None
    attrs: frozenset[str] = frozenset()
    fields: Mapping[str, NameInfo] = field(default_factory=dict)  # a group's row fields
    attr_values: Mapping[str, frozenset[str]] = field(default_factory=dict)  # attribute -> values
    bounds: tuple[float | None, float | None] = (None, None)  # a number's min and max


@dataclass(frozen=True)
class Kind:
    kind: str
    codes: frozenset[str] | None = None  # the codes a CODE/CODES value can take
    literal: str | None = None  # the text of a string literal, to check against codes
    literals: tuple[str, ...] = ()  # the texts of a literal list
    number: float | None = None  # the value of a number literal
    bounds: tuple[float | None, float | None] = (None, None)  # what a number item can hold
    values_of: str = ""  # for an attribute's values: "`class` of `drug`", for the message


def nearest(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest known word, or nothing."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{match[0]}`?" if match else ""


def check(node: Node, scope: Mapping[str, NameInfo], expected: str,
          row: Mapping[str, NameInfo] | None = None) -> None:
    """Raise ExpressionError when the expression does not fit the definition or `expected`."""
    result = _Checker(scope).kind(node, row or {})
    if expected != ANY and not _fits(result.kind, expected):
        raise ExpressionError(
            "E_TYPE", f"gives {KIND_WORDS[result.kind]} where {KIND_WORDS[expected]} is needed"
        )


def _fits(actual: str, expected: str) -> bool:
    if ANY in (actual, expected) or actual == expected:
        return True
    return {actual, expected} <= {TEXT, CODE}


class _Checker:
    def __init__(self, scope: Mapping[str, NameInfo]) -> None:
        self.scope = scope

    def lookup(self, name: str, row: Mapping[str, NameInfo]) -> NameInfo:
        info = row.get(name) or self.scope.get(name)
        if info is None:
            raise ExpressionError(
                "E_UNKNOWN_NAME", f"`{name}` is not an item, computed value or parameter",
                nearest(name, [*row, *self.scope]),
            )
        return info

    def kind(self, node: Node, row: Mapping[str, NameInfo]) -> Kind:
        match node:
            case Literal(value):
                if isinstance(value, bool):
                    return Kind(BOOL)
                if isinstance(value, str):
                    return Kind(TEXT, literal=value)
                return Kind(NUMBER, number=value)
            case Name(name):
                info = self.lookup(name, row)
                return Kind(info.kind, info.codes, bounds=info.bounds)
            case ListOf(items):
                kinds = [self.kind(item, row) for item in items]
                return Kind(LIST, literals=tuple(k.literal for k in kinds if k.literal is not None))
            case Unary(op, operand):
                wanted = BOOL if op == "not" else NUMBER
                inner = self.kind(operand, row)
                self.need(inner, wanted, op)
                return Kind(wanted, number=-inner.number if inner.number is not None else None)
            case Binary(op, left, right):
                return self.binary(op, self.kind(left, row), self.kind(right, row))
            case Call(function, args):
                return self.call(function, args, row)
        raise ExpressionError("E_SYNTAX", "an expression part that is not understood")

    def need(self, kind: Kind, wanted: str, where: str) -> None:
        if not _fits(kind.kind, wanted):
            raise ExpressionError(
                "E_TYPE", f"`{where}` needs {KIND_WORDS[wanted]}, not {KIND_WORDS[kind.kind]}"
            )

    def binary(self, op: str, left: Kind, right: Kind) -> Kind:
        if op in {"and", "or"}:
            self.need(left, BOOL, op)
            self.need(right, BOOL, op)
            return Kind(BOOL)
        if op in {"+", "-", "*", "/"}:
            self.need(left, NUMBER, op)
            self.need(right, NUMBER, op)
            return Kind(NUMBER)
        if op in {"in", "not in"}:
            if right.kind not in {LIST, ANY}:
                raise ExpressionError("E_TYPE", f"`{op}` needs a list like [\"a\", \"b\"] on its right")
            for literal in right.literals:
                self.code_exists(left, literal)
            return Kind(BOOL)
        comparable = _fits(left.kind, right.kind) and left.kind not in {GROUP, LIST, CODES}
        if not comparable:
            raise ExpressionError(
                "E_TYPE", f"compares {KIND_WORDS[left.kind]} with {KIND_WORDS[right.kind]}"
            )
        if op in {"<", "<=", ">", ">="} and left.kind in {TEXT, CODE, BOOL}:
            raise ExpressionError("E_TYPE", f"`{op}` cannot order {KIND_WORDS[left.kind]}")
        for side, other in ((left, right), (right, left)):
            if other.literal is not None:
                self.code_exists(side, other.literal)
        if left.number is None and right.number is not None:
            _satisfiable(op, left.bounds, right.number)
        elif right.number is None and left.number is not None:
            _satisfiable(_MIRRORED.get(op, op), right.bounds, left.number)
        return Kind(BOOL)

    @staticmethod
    def code_exists(kind: Kind, literal: str) -> None:
        if kind.codes is not None and literal not in kind.codes:
            what = f"a value of {kind.values_of}" if kind.values_of else "one of the item's choice codes"
            raise ExpressionError(
                "E_UNKNOWN_CODE", f"`{literal}` is not {what}",
                nearest(literal, kind.codes) or "codes: " + ", ".join(sorted(kind.codes)),
            )

    def call(self, function: str, args: tuple[Node, ...], row: Mapping[str, NameInfo]) -> Kind:
        spec = FUNCTIONS.get(function)
        if spec is None:
            raise ExpressionError(
                "E_UNKNOWN_FUNCTION", f"`{function}` is not a function of the language",
                nearest(function, FUNCTIONS),
            )
        count_ok = len(args) >= 1 if spec.variadic else len(args) == len(spec.params)
        if not count_ok:
            raise ExpressionError(
                "E_ARGUMENTS", f"`{function}` takes {len(spec.params)} argument(s), not {len(args)}"
            )
        if function in ROW_FUNCTIONS:
            group = self.group(args[0], row, function)
            self.need(self.kind(args[1], group.fields), BOOL, function)
            return Kind(BOOL)
        if function == "attr":
            return self.attr(args, row)
        if function == "count":
            return Kind(NUMBER)
        kinds = [self.kind(arg, row) for arg in args]
        if not spec.variadic:
            for kind, wanted in zip(kinds, spec.params, strict=True):
                self.need(kind, wanted, function)
        if function == "has":
            self.code_exists(kinds[0], kinds[1].literal or "")
        if function == "has_any":
            for literal in kinds[1].literals:
                self.code_exists(kinds[0], literal)
        if function == "count_value" and kinds[0].literal is not None:
            every = frozenset(code for info in self.scope.values() for code in (info.codes or ()))
            self.code_exists(Kind(CODE, every, values_of="any choice item"), kinds[0].literal)
        return Kind(spec.returns)

    def group(self, node: Node, row: Mapping[str, NameInfo], function: str) -> NameInfo:
        info = self.lookup(node.name, row) if isinstance(node, Name) else None
        if info is None or info.kind != GROUP:
            raise ExpressionError("E_ARGUMENTS", f"`{function}` needs a group item first")
        return info

    def attr(self, args: tuple[Node, ...], row: Mapping[str, NameInfo]) -> Kind:
        item, attribute = args
        info = self.lookup(item.name, row) if isinstance(item, Name) else None
        if info is None or info.kind != CODE or not isinstance(attribute, Literal):
            raise ExpressionError("E_ARGUMENTS", "`attr` needs a choice item and an attribute name")
        if attribute.value not in info.attrs:
            raise ExpressionError(
                "E_ARGUMENTS", f"the choices of `{item.name}` have no attribute `{attribute.value}`",
                nearest(str(attribute.value), info.attrs),
            )
        values = info.attr_values.get(str(attribute.value))
        return Kind(TEXT, values, values_of=f"`{attribute.value}` among the choices of `{item.name}`")


_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _satisfiable(op: str, bounds: tuple[float | None, float | None], number: float) -> None:
    """Refuse `name OP number` when no value the item allows can make it true."""
    low, high = bounds
    never = ((op == ">" and high is not None and not high > number)
             or (op == ">=" and high is not None and not high >= number)
             or (op == "<" and low is not None and not low < number)
             or (op == "<=" and low is not None and not low <= number)
             or (op == "=" and ((low is not None and number < low) or (high is not None and number > high))))
    if never:
        shown = f"{low:g} to {high:g}" if low is not None and high is not None else (
            f"at least {low:g}" if low is not None else f"at most {high:g}")
        raise ExpressionError("E_UNKNOWN_CODE", f"`{op} {number:g}` can never hold: the answer is {shown}")
