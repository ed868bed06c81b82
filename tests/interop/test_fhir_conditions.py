"""shown_when <-> enableWhen: what translates, what does not, and back again."""

from __future__ import annotations

import pytest

from screening_app.expressions import parse
from screening_app.interop.fhir_conditions import ConditionError, Target, enable_when, expression_text
from screening_app.loader import load_text

DEFINITION = """\
id: conditions
version: "1"
languages: [en]
title: {en: Conditions}
steps:
  - id: one
    title: {en: One}
    items:
      - {id: level, type: single_choice, ordinal: true, label: {en: Level},
         choices: [{code: "0", label: {en: None}}, {code: "3", label: {en: Some}}]}
      - {id: smoker, type: yes_no, label: {en: Smoker}}
      - {id: pets, type: multi_choice, label: {en: Pets},
         choices: [{code: cat, label: {en: Cat}}, {code: none, label: {en: None}, exclusive: true}]}
      - {id: count, type: integer, label: {en: Count}}
      - {id: weight, type: decimal, label: {en: Weight}}
      - {id: city, type: text, label: {en: City}}
      - {id: agree, type: consent, label: {en: Agree}}
      - {id: rows, type: group, label: {en: Rows}, items: [{id: drug, type: text, label: {en: Drug}}]}
"""
Q = load_text(DEFINITION, "conditions.yaml")


def export(text: str):
    def resolve(name):
        return (name, Q.item(name)) if name in Q.items_by_id else None

    return enable_when(parse(text), resolve, lambda link, item, code: {"system": f"s:{link}", "code": code})


def back(conditions, behavior) -> str:
    def target(link_id):
        item = Q.items_by_id.get(link_id)
        if item is None:
            return None
        return Target(item.id, item.type, item.ordinal,
                      lambda value: next(iter(value.values()))["code"]
                      if "answerCoding" in value else None)

    return expression_text(conditions, behavior, target)


@pytest.mark.parametrize("text, expected", [
    ('smoker = "yes"', ([{"question": "smoker", "operator": "=",
                          "answerCoding": {"system": "s:smoker", "code": "yes"}}], None)),
    ("level = 3", ([{"question": "level", "operator": "=",
                     "answerCoding": {"system": "s:level", "code": "3"}}], None)),
    ('has(pets, "cat")', ([{"question": "pets", "operator": "=",
                            "answerCoding": {"system": "s:pets", "code": "cat"}}], None)),
    ("count >= 2 and weight < 70.5", ([{"question": "count", "operator": ">=", "answerInteger": 2},
                                        {"question": "weight", "operator": "<", "answerDecimal": 70.5}],
                                       "all")),
    ('answered(city) or agree = true', ([{"question": "city", "operator": "exists", "answerBoolean": True},
                                          {"question": "agree", "operator": "=", "answerBoolean": True}],
                                         "any")),
    ('not answered(city)', ([{"question": "city", "operator": "exists", "answerBoolean": False}], None)),
    ('city = "Lima"', ([{"question": "city", "operator": "=", "answerString": "Lima"}], None)),
])
def test_what_translates(text, expected):
    assert export(text) == expected
    again = back(*expected)
    assert parse(again).tree == parse(text).tree


def test_not_equal_carries_its_own_guard_and_comes_back_the_same():
    conditions, behavior = export('smoker != "yes" and count > 1')
    assert [c["operator"] for c in conditions] == ["exists", "!=", ">"] and behavior == "all"
    assert back(conditions, behavior) == 'smoker != "yes" and count > 1'
    conditions, behavior = export('not has(pets, "cat")')
    assert back(conditions, behavior) == 'not has(pets, "cat")'


@pytest.mark.parametrize("text", [
    "level < 3",                               # ordinal order: no FHIR operator on codings
    'smoker != "yes" or count > 1',            # the != guard needs "all"
    'smoker = "yes" and (count > 1 or city = "Lima")',
    "answered(rows)",                          # a group is never "answered" in the app
    'any(rows, drug = "x")',
    "count > weight",
    '"yes" = smoker',
])
def test_what_does_not_translate(text):
    assert export(text) is None


def test_a_lone_fhir_not_equal_is_true_when_unanswered():
    text = back([{"question": "smoker", "operator": "!=", "answerCoding": {"code": "yes"}}], None)
    assert text == '(not answered(smoker) or smoker != "yes")'


@pytest.mark.parametrize("conditions, behavior, message", [
    ([{"question": "nowhere", "operator": "exists", "answerBoolean": True}], None, "not a converted"),
    ([{"question": "count", "operator": "~", "answerInteger": 1}], None, "not known"),
    ([{"question": "count", "operator": ">", "answerDate": "2020-01-01"}], None, "cannot be compared"),
    ([{"question": "level", "operator": ">", "answerCoding": {"code": "3"}}], None, "no meaning"),
    ([{"question": "count", "operator": "exists", "answerBoolean": True}] * 2, None, "enableBehavior"),
])
def test_what_cannot_come_back(conditions, behavior, message):
    with pytest.raises(ConditionError, match=message):
        back(conditions, behavior)
