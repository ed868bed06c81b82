"""The expression language on its own: parsing, three-valued logic, functions."""

from __future__ import annotations

from datetime import date

import pytest

from screening_app.engine.expressions import NO_EVIDENCE, UNKNOWN, ExpressionError, evaluate, parse


class Answers:
    """A plain environment: names map to values; missing names are unknown."""

    def __init__(self, today=date(2026, 11, 23), **values):
        self.today = today
        self.values = values

    def value(self, name):
        if name in self.values:
            return self.values[name], frozenset({name})
        return UNKNOWN, NO_EVIDENCE

    def rows(self, group):
        rows = self.values.get(group)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return None
        return [Answers(self.today, **row) for row in rows]

    def choice_attr(self, name, attribute):
        return UNKNOWN, NO_EVIDENCE

    def count_value(self, code):
        hits = [n for n, v in self.values.items() if v == code]
        return len(hits), frozenset(hits)


def value(text, **answers):
    return evaluate(parse(text), Answers(**answers))[0]


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("a and b", {"a": False}, False),
        ("a and b", {"a": True}, UNKNOWN),
        ("a or b", {"b": True}, True),
        ("a or b", {"a": False}, UNKNOWN),
        ("not a", {}, UNKNOWN),
        ("x > 3", {}, UNKNOWN),
        ("x > 3", {"x": 4}, True),
        ("1 + 2 * 3 = 7", {}, True),
        ("(1 + 2) * 3", {}, 9),
        ("-x + 1", {"x": 2}, -1),
        ("x / 0", {"x": 2}, UNKNOWN),
        ('t in ["a", "b"]', {"t": "b"}, True),
        ('t not in ["a", "b"]', {"t": "c"}, True),
        ('x = "3"', {"x": 3}, UNKNOWN),  # no silent coercion between kinds
        ("answered(x)", {}, False),
        ("answered(x)", {"x": "hi"}, True),
        ('has(m, "a")', {"m": ["a", "b"]}, True),
        ('has_any(m, ["c", "d"])', {"m": ["a", "b"]}, False),
        ("count(m)", {"m": ["a", "b"]}, 2),
        ("age(d)", {"d": date(2008, 11, 24)}, 17),
        ("age(d)", {"d": date(2008, 11, 23)}, 18),
        ("age(d)", {"d": "not a date"}, UNKNOWN),
        ("months_since(d)", {"d": date(2026, 8, 24)}, 2),
        ("days_since(d)", {"d": date(2026, 11, 1)}, 22),
        ("years_since(d)", {"d": date(2020, 11, 24)}, 5),
        ("within_months(d, 3)", {"d": date(2026, 8, 23)}, True),
        ("within_months(d, 3)", {"d": date(2026, 8, 22)}, False),
        ("within_days(d, 60)", {"d": date(2026, 9, 24)}, True),
        ("year(today())", {}, 2026),
        ('any(g, drug = "x")', {"g": [{"drug": "y"}, {"drug": "x"}]}, True),
        ('any(g, drug = "x")', {"g": [{"drug": "y"}, {}]}, UNKNOWN),
        ('all(g, drug = "x")', {"g": [{"drug": "x"}, {"drug": "y"}]}, False),
        ('any(g, drug = "x")', {"g": []}, False),
        ('count_value("not_sure") >= 2', {"a": "not_sure", "b": "not_sure"}, True),
        ("join(a, b)", {"a": "Ana", "b": "Ejemplo"}, "Ana Ejemplo"),
    ],
)
def test_evaluation(text, answers, expected):
    assert (
        value(text, **answers) == expected if expected is not UNKNOWN else value(text, **answers) is UNKNOWN
    )


def test_evidence_of_any_names_only_matching_rows():
    env = Answers(g=[{"drug": "y"}, {"drug": "x"}])
    env.rows = lambda group: [_Row(0, "y"), _Row(1, "x")]
    result, evidence = evaluate(parse('any(g, drug = "x")'), env)
    assert result is True and evidence == {"g[1].drug"}


class _Row(Answers):
    def __init__(self, number, drug):
        super().__init__()
        self.number, self.drug = number, drug

    def value(self, name):
        return self.drug, frozenset({f"g[{self.number}].{name}"})


@pytest.mark.parametrize("text", ["", "a ==", "(a", "a b", "x.y", "f(", "'unterminated", "a $ b"])
def test_bad_text_is_a_syntax_error(text):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.code == "E_SYNTAX"


def test_names_are_collected_at_parse_time_including_row_scopes():
    parsed = parse('x > 1 and any(g, drug = "a" and still = "yes")')
    assert parsed.names == {"x", "g"}
    assert parsed.row_names == {"drug", "still"}
