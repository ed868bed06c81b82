"""Property-based: any value of any type, at any path, never makes the engine raise."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.engine.session import Session
from tests.core.helpers import complete_answers, session_for, shipped

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "yes",
            "no",
            "not_sure",
            "none",
            "2026-02-30",
            "2020-01-01",
            "1",
            "7",
            "natalizumab",
            "other",
            "",
            " ",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def paths() -> list[str]:
    q = shipped()
    result = []
    for item in q.all_items():
        result.append(item.id)
        for field in item.items:
            result += [f"{item.id}[0]", f"{item.id}[0].{field.id}", f"{item.id}[3].{field.id}"]
    return [*result, "not_an_item", "treatments[x]"]


def exercise(s: Session) -> None:
    s.problems()
    s.flags()
    s.computed()
    s.progress()
    s.not_applicable()
    s.review()
    for step in s.visible_steps():
        s.can_leave(step.id)
        s.next_step(step.id)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(paths()), JSON, max_size=12),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    st.sampled_from(["en", "es"]),
)
def test_arbitrary_answers_never_raise(answers, today, lang):
    exercise(Session(shipped(), answers, lang=lang, today=today))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(paths()), JSON)
def test_one_wild_answer_in_a_complete_questionnaire_never_raises(path, value):
    s = session_for(complete_answers())
    s.set_answer(path, value)
    exercise(s)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_as_an_expression_parses_or_is_refused_cleanly(text):
    from screening_app.engine.expressions import ExpressionError, parse

    try:
        parse(text)
    except ExpressionError as error:
        assert error.code == "E_SYNTAX"


def _places(node, prefix=()):
    """Every path into a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _places(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _places(value, (*prefix, index))


def _shipped_document():
    import yaml

    from screening_app.engine.loader import shipped_questionnaire_path

    return yaml.safe_load(shipped_questionnaire_path().read_text(encoding="utf-8"))


_DOCUMENT = _shipped_document()
_PLACES = list(_places(_DOCUMENT))
_JUNK = st.sampled_from([None, 1, -1, 2.5, True, "", "x", "age < 3", [], [1], [{}], {}, {"a": 1},
                         {"en": 1}])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_PLACES), _JUNK, st.booleans()), min_size=1, max_size=3))
def test_a_broken_definition_is_refused_with_problems_never_a_crash(changes):
    """Whatever is written where, loading either succeeds or lists coded problems."""
    import copy

    from screening_app.engine.loader import DefinitionError, _Loader

    document = copy.deepcopy(_DOCUMENT)
    for place, junk, delete in changes:
        node = document
        try:
            for key in place[:-1]:
                node = node[key]
            if delete and isinstance(node, dict):
                node.pop(place[-1], None)
            else:
                node[place[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the way there
    try:
        _Loader("broken.yaml", "").load(document)  # the parsed document, as load_text has it
    except DefinitionError as error:
        assert error.problems and all(p.code.startswith("E_") for p in error.problems)
