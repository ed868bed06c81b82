"""Whole-definition checks on how items depend on each other: cycles and dead branches."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from screening_app.engine.definition import Item, Questionnaire
from screening_app.engine.expressions import (
    NO_EVIDENCE,
    UNKNOWN,
    Binary,
    Expression,
    Literal,
    Name,
    Node,
    evaluate,
)
from screening_app.engine.typecheck import NameInfo

Problem = tuple[str, str, str]


def check_graph(q: Questionnaire, scope: Mapping[str, NameInfo]) -> list[Problem]:
    paths = dict(_item_paths(q))
    for index, name in enumerate(q.computed):
        paths[name] = f"computed[{index}]"
    problems = _cycles(_top_level_dependencies(q), paths)
    for item in q.all_items():
        if item.type == "group":
            deps = {  # a row field depends on what its condition reads and what it stands under
                f"{item.id}.{f.id}": {
                    f"{item.id}.{n}" for n in {*_names(f.shown_when), *_parent(f)}
                    if item.field(n) is not None
                }
                for f in item.items
            }
            problems += _cycles(deps, {f"{item.id}.{f.id}": f"{paths[item.id]}.{f.id}" for f in item.items})
    problems += _unreachable(q, paths)
    return problems


def _item_paths(q: Questionnaire) -> Iterator[tuple[str, str]]:
    for s, step in enumerate(q.steps):
        for i, item in enumerate(step.items):
            yield item.id, f"steps[{s}].items[{i}]"


def _names(expression: Expression | None) -> frozenset[str]:
    return expression.names if expression is not None else frozenset()


def _parent(item: Item) -> tuple[str, ...]:
    """A follow-up applies only while its question is answered (a section's item, while
    the section applies): a condition of that question naming the follow-up is a cycle."""
    return (item.parent,) if item.parent is not None else ()


def _top_level_dependencies(q: Questionnaire) -> dict[str, set[str]]:
    deps: dict[str, set[str]] = {}
    for step in q.steps:
        for item in step.items:
            deps[item.id] = set(_names(item.shown_when) | _names(step.shown_when)) | set(_parent(item))
    for name, computed in q.computed.items():
        deps[name] = set(computed.expr.names)
    return deps


def _cycles(deps: Mapping[str, set[str]], paths: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(deps.get(node, ())):
            if dep not in deps:
                continue
            if state.get(dep) == 1:
                cycle = [*trail[trail.index(dep) :], dep]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.append(
                        ("E_CYCLE", paths.get(dep, dep), "depends on itself: " + " -> ".join(cycle))
                    )
            elif state.get(dep) is None:
                visit(dep, [*trail, dep])
        state[node] = 2

    for node in deps:
        if node not in state:
            visit(node, [node])
    return problems


def _unreachable(q: Questionnaire, paths: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for step_index, step in enumerate(q.steps):
        step_dead = never_true(step.shown_when)
        for item in step.items:
            for target, path in [
                (item, paths[item.id]),
                *((f, f"{paths[item.id]}.{f.id}") for f in item.items),
            ]:
                if target.required and (step_dead or _item_dead(target)):
                    where = (
                        f"its step `{step.id}` (steps[{step_index}]) can never be shown"
                        if step_dead
                        else "its `shown_when` can never be true"
                    )
                    problems.append(("E_UNREACHABLE", path, f"`{target.id}` is required but {where}"))
    return problems


def _item_dead(item: Item) -> bool:
    return never_true(item.shown_when)


class _NoAnswers:
    """An environment with no names, for folding constant expressions."""

    today = date(2000, 1, 1)

    def value(self, name: str):
        return UNKNOWN, NO_EVIDENCE

    def rows(self, group: str):
        return None

    def choice_attr(self, name: str, attribute: str):
        return UNKNOWN, NO_EVIDENCE

    def count_value(self, code: str):
        return UNKNOWN, NO_EVIDENCE


def never_true(expression: Expression | None) -> bool:
    """True when a condition is false whatever the answers: a constant, or a contradiction."""
    return expression is not None and _never(expression.tree)


def _never(node: Node) -> bool:
    if isinstance(node, Binary) and node.op == "or":
        return _never(node.left) and _never(node.right)
    if isinstance(node, Binary) and node.op == "and":
        return _never(node.left) or _never(node.right) or _contradiction(list(_conjuncts(node)))
    value, _ = evaluate(node, _NoAnswers())
    return value is False


def _conjuncts(node: Node) -> Iterator[Node]:
    if isinstance(node, Binary) and node.op == "and":
        yield from _conjuncts(node.left)
        yield from _conjuncts(node.right)
    else:
        yield node


def _contradiction(conjuncts: list[Node]) -> bool:
    """`x = "a" and x = "b"`, or `x = "a" and x != "a"`."""
    equal: dict[str, set[object]] = {}
    unequal: dict[str, set[object]] = {}
    for node in conjuncts:
        if isinstance(node, Binary) and node.op in {"=", "!="}:
            name, literal = (
                (node.left, node.right) if isinstance(node.left, Name) else (node.right, node.left)
            )
            if isinstance(name, Name) and isinstance(literal, Literal):
                (equal if node.op == "=" else unequal).setdefault(name.name, set()).add(literal.value)
    return any(len(values) > 1 or values & unequal.get(name, set()) for name, values in equal.items())
