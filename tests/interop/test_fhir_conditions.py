"""shown_when <-> enableWhen: what translates, what does not, and back again."""

from __future__ import annotations

import json
from itertools import product

import pytest

from screening_app.engine.expressions import parse
from screening_app.engine.loader import load_text
from screening_app.engine.session import Session
from screening_app.interop.fhir_conditions import ConditionError, Target, enable_when, expression_text
from tests.interop.helpers import TODAY

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
      - {id: mobility, type: single_choice, ordinal: true, label: {en: Mobility},
         choices: [{code: "0", label: {en: A}}, {code: "1", label: {en: B}}, {code: "2", label: {en: C}},
                   {code: "3", label: {en: D}}, {code: "4", label: {en: E}}, {code: "5", label: {en: F}},
                   {code: "6", label: {en: G}}, {code: "7", label: {en: H}}]}
      - {id: medicine, type: single_choice, label: {en: Medicine},
         choices: [{code: a, label: {en: A}, attrs: {route: infusion}},
                   {code: b, label: {en: B}, attrs: {route: oral}},
                   {code: c, label: {en: C}, attrs: {route: infusion}},
                   {code: other, label: {en: Other}}]}
"""
Q = load_text(DEFINITION, "conditions.yaml")


def export(text: str):
    def resolve(name):
        return (name, Q.item(name)) if name in Q.items_by_id else None

    found = enable_when(parse(text), resolve,
                        lambda link, item, code: ("Coding", {"system": f"s:{link}", "code": code}))
    return found and (found.conditions, found.behavior)


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
    "mobility > 7",                            # no code is picked: never true
    'attr(level, "x") = "y"',                  # an ordinal answer is a number: no attrs
    'mobility < 7 or smoker != "yes"',         # the != guard needs "all"
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


def coding(code: str, link: str) -> dict:
    return {"system": f"s:{link}", "code": code}


@pytest.mark.parametrize("text, conditions, behavior", [
    # the walking_distance case: every code but 7, said as "answered and not 7"
    ("mobility < 7", [{"question": "mobility", "operator": "exists", "answerBoolean": True},
                      {"question": "mobility", "operator": "!=", "answerCoding": coding("7", "mobility")}],
     "all"),
    ("mobility >= 6", [{"question": "mobility", "operator": "=", "answerCoding": coding(c, "mobility")}
                       for c in ("6", "7")], "any"),
    ("level < 3", [{"question": "level", "operator": "=", "answerCoding": coding("0", "level")}], None),
    # the infusion_reaction case: the choices whose attr matches (a choice without it never does)
    ('attr(medicine, "route") = "infusion"', [{"question": "medicine", "operator": "=",
                                               "answerCoding": coding(c, "medicine")} for c in "ac"], "any"),
    ('attr(medicine, "route") != "infusion"', [{"question": "medicine", "operator": "=",
                                                "answerCoding": coding("b", "medicine")}], None),
    ('mobility < 7 and smoker = "yes"', [
        {"question": "mobility", "operator": "exists", "answerBoolean": True},
        {"question": "mobility", "operator": "!=", "answerCoding": coding("7", "mobility")},
        {"question": "smoker", "operator": "=", "answerCoding": coding("yes", "smoker")}], "all"),
    ('mobility >= 6 or smoker = "yes"', [
        {"question": "mobility", "operator": "=", "answerCoding": coding("6", "mobility")},
        {"question": "mobility", "operator": "=", "answerCoding": coding("7", "mobility")},
        {"question": "smoker", "operator": "=", "answerCoding": coding("yes", "smoker")}], "any"),
])
def test_conditions_on_some_codes_are_spelled_out_against_the_choice_list(text, conditions, behavior):
    found = enable_when(parse(text), lambda name: (name, Q.item(name)) if name in Q.items_by_id else None,
                        lambda link, item, code: ("Coding", coding(code, link)))
    assert (found.conditions, found.behavior, found.exact) == (conditions, behavior, False)
    # ... and mean what the expression means, for every answer (and none) of the questions.
    shown = load_text(DEFINITION + f"      - {{id: target, type: text, label: {{en: T}}, "
                                   f"shown_when: {json.dumps(text)}}}\n", "target.yaml")
    questions = sorted({c["question"] for c in conditions})
    for values in product(*[[None, *(c.code for c in Q.item(q).choices)] for q in questions]):
        answers = {q: v for q, v in zip(questions, values, strict=True) if v is not None}
        expected = Session(shown, answers, today=TODAY).is_applicable("target")
        assert fhir_enabled(conditions, behavior, answers) == expected, answers


def fhir_enabled(conditions: list[dict], behavior: str | None, answers: dict) -> bool:
    """enableWhen as FHIR R4 evaluates it (`!=` holds for an unanswered question)."""
    def holds(c: dict) -> bool:
        answer = answers.get(c["question"])
        if c["operator"] == "exists":
            return (answer is not None) == c["answerBoolean"]
        equal = answer is not None and answer == c["answerCoding"]["code"]
        return equal if c["operator"] == "=" else not equal

    results = [holds(c) for c in conditions]
    return any(results) if behavior == "any" else all(results)


def test_plain_conditions_are_exact():
    found = enable_when(parse('smoker = "yes"'), lambda name: (name, Q.item(name)),
                        lambda link, item, code: ("Coding", coding(code, link)))
    assert found.exact
