"""Property-based: any value of any type, at any path, never makes the engine raise."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.session import Session
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
    from screening_app.expressions import ExpressionError, parse

    try:
        parse(text)
    except ExpressionError as error:
        assert error.code == "E_SYNTAX"
