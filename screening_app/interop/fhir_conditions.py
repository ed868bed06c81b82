"""Branching: `shown_when` expressions <-> FHIR `enableWhen` + `enableBehavior`.

Only conditions that mean exactly the same in both languages are translated; anything
else stays an expression (kept in an extension on export, listed as unsupported on
import). The differences that matter:

- FHIR `!=` is true when the question has no answer; our `x != "c"` is unknown (hidden)
  then. So `x != "c"` is exported as `exists(x) = true` AND `x != c`, and a lone FHIR `!=`
  is imported as `(not answered(x) or x != "c")`.
- A condition that picks some of a single choice's codes (the order of an ordinal choice,
  `mobility_level < 7`; an attribute of the choices, `attr(drug, "route") = "infusion"`)
  is spelled out against the choice list: in an `all` chain (or alone) as `exists` plus
  `!=` each code left out (`mobility_level != 7`), in an `any` chain (or alone, when
  shorter) as `=` each code picked. This means the same only while the choice list stays
  as it is, so the original expression is kept in the extension as well (`exact` false).
- `any`/`all` over group rows, computed values and parameters have no enableWhen form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from screening_app.engine import expressions as ex
from screening_app.engine.definition import Item

from .fhir_common import quoted

ORDER_OPERATORS = ("<", "<=", ">", ">=")
CHOICE_ITEM_TYPES = ("yes_no", "yes_no_unsure", "single_choice")

# name in the expression's scope -> (linkId, item), or None for computed values,
# parameters and unknown names.
Resolver = Callable[[str], "tuple[str, Item] | None"]
# (linkId, item, code) -> ("Coding", {...}) / ("String", text) / ("Boolean", b) / ...: how the
# choice is said in FHIR, to be written as `answer<kind>`.
AnswerOf = Callable[[str, Item, str], "tuple[str, Any]"]


@dataclass(frozen=True)
class EnableWhen:
    conditions: list[dict[str, Any]]
    behavior: str | None  # None for a single condition
    exact: bool           # False: spelled out against the choice list (keep the expression too)


@dataclass(frozen=True)
class _Picked:
    """Some codes of one single-choice question (a condition spelled out against its list)."""

    link_id: str
    item: Item
    codes: tuple[str, ...]  # picked, in the item's order
    others: tuple[str, ...]  # the rest


# ---------------------------------------------------------------- export


def enable_when(expression: ex.Expression, resolve: Resolver, answer: AnswerOf) -> EnableWhen | None:
    """enableWhen + enableBehavior for the expression, or None when FHIR cannot say it."""
    tree = expression.tree
    lone = _condition(tree, resolve, answer) if isinstance(tree, ex.Binary) and tree.op == "or" else None
    if lone:
        return EnableWhen(lone, None, True)
    if isinstance(tree, ex.Binary) and tree.op in ("and", "or"):
        operands = _flatten(tree, tree.op)
        behavior = "all" if tree.op == "and" else "any"
    else:
        operands, behavior = [tree], "all"
    conditions: list[dict[str, Any]] = []
    exact = True
    for operand in operands:
        translated = _condition(operand, resolve, answer)
        if isinstance(translated, _Picked):
            exact = False
            translated = _spelled_out(translated, behavior, len(operands) == 1, answer)
            if translated is None:
                return None
        elif translated is None or (behavior == "any" and len(translated) > 1):
            return None  # `x != c` needs two conditions joined by "all"
        conditions.extend(translated)
    if len(operands) == 1 and len(conditions) > 1:
        behavior = "all" if conditions[0]["operator"] == "exists" else "any"
    return EnableWhen(conditions, behavior if len(conditions) > 1 else None, exact)


def _spelled_out(picked: _Picked, behavior: str, alone: bool,
                 answer: AnswerOf) -> list[dict[str, Any]] | None:
    """`=` each code picked (any), or `exists` and `!=` each code left out (all)."""
    if not picked.codes:
        return None  # never true: enableWhen has no way to say it
    positive = [_equals(picked, "=", code, answer) for code in picked.codes]
    negative = [{"question": picked.link_id, "operator": "exists", "answerBoolean": True}]
    negative += [_equals(picked, "!=", code, answer) for code in picked.others]
    if behavior == "any" or len(positive) == 1 or (alone and len(positive) < len(negative)):
        return positive
    return negative


def _equals(picked: _Picked, op: str, code: str, answer: AnswerOf) -> dict[str, Any]:
    kind, value = answer(picked.link_id, picked.item, code)
    return {"question": picked.link_id, "operator": op, f"answer{kind}": value}


def _flatten(node: ex.Node, op: str) -> list[ex.Node]:
    if isinstance(node, ex.Binary) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


def _condition(node: ex.Node, resolve: Resolver,
               answer: AnswerOf) -> list[dict[str, Any]] | _Picked | None:
    match node:
        case ex.Call("answered", (ex.Name(name),)):
            return _exists(name, True, resolve)
        case ex.Unary("not", ex.Call("answered", (ex.Name(name),))):
            return _exists(name, False, resolve)
        case ex.Call("has", (ex.Name(name), ex.Literal(code))):
            return _coded(name, "=", code, resolve, answer, multi=True)
        case ex.Unary("not", ex.Call("has", (ex.Name(name), ex.Literal(code)))):
            return _coded(name, "!=", code, resolve, answer, multi=True)
        case ex.Binary(op, ex.Call("attr", (ex.Name(name), ex.Literal(key))), ex.Literal(value)) \
                if op in ("=", "!="):
            return _by_attr(name, str(key), op, value, resolve)
        case ex.Binary(op, ex.Name(name), ex.Literal(value)) if op in ("=", "!=", *ORDER_OPERATORS):
            return _compare(name, op, value, resolve, answer)
        case ex.Binary("or", left, right):
            return _lone_not_equal(left, right, resolve, answer) or \
                _lone_not_equal(right, left, resolve, answer)
    return None


def _lone_not_equal(absent: ex.Node, other: ex.Node, resolve: Resolver,
                    answer: AnswerOf) -> list[dict[str, Any]] | None:
    """`not answered(x) or x != c` is what a lone FHIR `!=` means (it holds when x has no
    answer), and what the import makes of one: exported as that one condition, so a
    converted questionnaire's `!=` (the SDC enableWhen test form's) comes back as it was."""
    match absent:
        case ex.Unary("not", ex.Call("answered", (ex.Name(name),))):
            found = resolve(name)
            guarded = _condition(other, resolve, answer)
            if found is not None and isinstance(guarded, list) and len(guarded) == 2 \
                    and guarded[1]["operator"] == "!=" and guarded[1]["question"] == found[0]:
                return [guarded[1]]
    return None


def _pick(found: tuple[str, Item] | None, test: Callable[[Any], bool]) -> _Picked | None:
    if found is None or found[1].type not in CHOICE_ITEM_TYPES:
        return None
    link_id, item = found
    codes = tuple(c.code for c in item.choices if test(c))
    return _Picked(link_id, item, codes, tuple(c.code for c in item.choices if c.code not in codes))


def _by_attr(name: str, key: str, op: str, value: Any, resolve: Resolver) -> _Picked | None:
    found = resolve(name)
    if not isinstance(value, str) or found is None or found[1].ordinal:
        return None  # an ordinal item's answer is a number, which has no attrs in the app
    # A choice without the attribute gives unknown, which hides: it is never picked.
    return _pick(found, lambda c: key in c.attrs and (c.attrs[key] == value) == (op == "="))


def _ordered(found: tuple[str, Item], op: str, value: Any) -> _Picked | None:
    if not found[1].ordinal or not _is_number(value):
        return None
    compare = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}[op]
    return _pick(found, lambda c: compare(float(int(c.code)), float(value)))


def _exists(name: str, present: bool, resolve: Resolver) -> list[dict[str, Any]] | None:
    found = resolve(name)
    if found is None or found[1].type in ("group", "info"):
        return None  # answered(group) is never true in the app; info has no answer
    return [{"question": found[0], "operator": "exists", "answerBoolean": present}]


def _coded(name: str, op: str, code: Any, resolve: Resolver, answer: AnswerOf,
           multi: bool) -> list[dict[str, Any]] | None:
    found = resolve(name)
    if found is None or not isinstance(code, str):
        return None
    link_id, item = found
    if (item.type == "multi_choice") != multi or item.choice(code) is None:
        return None
    kind, value = answer(link_id, item, code)
    return _guard(link_id, op, {"question": link_id, "operator": op, f"answer{kind}": value})


def _compare(name: str, op: str, value: Any, resolve: Resolver,
             answer: AnswerOf) -> list[dict[str, Any]] | _Picked | None:
    found = resolve(name)
    if found is None or isinstance(value, list):
        return None
    link_id, item = found
    kind = item.type
    if kind in CHOICE_ITEM_TYPES and op in ORDER_OPERATORS:
        return _ordered(found, op, value)
    if kind in CHOICE_ITEM_TYPES and op in ("=", "!="):
        code = str(int(value)) if item.ordinal and _is_whole(value) else value
        if not isinstance(code, str) or item.choice(code) is None:
            return None
        answer_kind, answer_value = answer(link_id, item, code)
        answer = {f"answer{answer_kind}": answer_value}
    elif kind in ("integer", "year") and _is_whole(value):
        answer = {"answerInteger": int(value)}
    elif kind == "decimal" and _is_number(value):
        answer = {"answerDecimal": value}
    elif kind in ("text", "long_text", "email", "phone") and isinstance(value, str) and op in ("=", "!="):
        answer = {"answerString": value}
    elif kind == "consent" and isinstance(value, bool) and op in ("=", "!="):
        answer = {"answerBoolean": value}
    else:
        return None
    return _guard(link_id, op, {"question": link_id, "operator": op, **answer})


def _guard(link_id: str, op: str, condition: dict[str, Any]) -> list[dict[str, Any]]:
    if op == "!=":  # FHIR != holds for an unanswered question; ours is unknown (hidden)
        return [{"question": link_id, "operator": "exists", "answerBoolean": True}, condition]
    return [condition]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return _is_number(value) and float(value).is_integer()


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class Target:
    """What an enableWhen question refers to, as the app sees it from the condition's item."""

    name: str       # the name to write in the expression
    type: str       # the app item type
    ordinal: bool
    code_of: Callable[[dict[str, Any]], str | None]  # FHIR Coding (or value) -> app code


class ConditionError(ValueError):
    """An enableWhen that the expression language cannot say exactly."""


def expression_text(conditions: list[dict[str, Any]], behavior: str | None,
                    target: Callable[[str], Target | None]) -> str:
    """The `shown_when` text equivalent to FHIR enableWhen/enableBehavior."""
    if behavior not in (None, "all", "any"):
        raise ConditionError(f"enableBehavior {quoted(behavior)} is not all or any")
    if len(conditions) > 1 and behavior is None:
        raise ConditionError("several enableWhen conditions without enableBehavior")
    combine = " or " if behavior == "any" else " and "
    guarded = set()
    if behavior != "any":  # exists(x) = true next to x != c: our x != c says both
        questions_ne = {c.get("question") for c in conditions if c.get("operator") == "!="}
        guarded = {c.get("question") for c in conditions if c.get("operator") == "exists"
                   and c.get("answerBoolean") is True and c.get("question") in questions_ne}
    parts = []
    for condition in conditions:
        question = condition.get("question")
        if condition.get("operator") == "exists" and question in guarded:
            continue
        parts.append(_part(condition, target, question in guarded))
    if len(parts) > 1:
        parts = [f"({p})" if (" or " in p or " and " in p) and not p.startswith("(") else p
                 for p in parts]
    return combine.join(parts)


def _part(condition: dict[str, Any], target: Callable[[str], Target | None], guarded: bool) -> str:
    question, op = condition.get("question"), condition.get("operator")
    found = target(question) if isinstance(question, str) else None
    if found is None:
        raise ConditionError(f"enableWhen refers to {quoted(question)}, which is not a converted item "
                             "in reach")
    answers = [(k, v) for k, v in condition.items() if k.startswith("answer")]
    if len(answers) != 1:
        raise ConditionError(f"enableWhen on {quoted(question)} needs exactly one answer[x]")
    kind, value = answers[0]
    name = found.name
    if op == "exists":
        if kind != "answerBoolean" or not isinstance(value, bool):
            raise ConditionError("exists needs answerBoolean")
        return f"answered({name})" if value else f"not answered({name})"
    if op not in ("=", "!=", *ORDER_OPERATORS):
        raise ConditionError(f"operator {quoted(op)} is not known")
    literal = _literal(found, kind, value, op)
    if found.type == "multi_choice":
        text = f"has({name}, {literal})" if op == "=" else f"not has({name}, {literal})"
    else:
        text = f"{name} {op} {literal}"
    if op == "!=" and not guarded:
        return f"(not answered({name}) or {text})"
    return text


def _literal(found: Target, kind: str, value: Any, op: str) -> str:
    if found.type in ("yes_no", "yes_no_unsure", "single_choice", "multi_choice"):
        if op not in ("=", "!="):
            raise ConditionError(f"{op} on a choice has no meaning in the app")
        code = found.code_of({kind: value})
        if code is None:
            raise ConditionError(f"{kind} {quoted(value)} is not a choice of the question")
        return code if found.ordinal else quote(code)
    if kind == "answerInteger" and found.type in ("integer", "year", "decimal") and _is_whole(value):
        return str(int(value))
    if kind == "answerDecimal" and found.type in ("integer", "year", "decimal") and _is_number(value):
        return repr(float(value))
    if kind == "answerString" and found.type in ("text", "long_text", "email", "phone") \
            and isinstance(value, str) and op in ("=", "!="):
        return quote(value)
    if kind == "answerBoolean" and found.type == "consent" and isinstance(value, bool) \
            and op in ("=", "!="):
        return "true" if value else "false"
    raise ConditionError(f"{kind} cannot be compared with the {found.type} item {found.name}")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
