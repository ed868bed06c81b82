"""The remembered verdicts of `Applicability` are the Session's, whatever the answers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from screening_app.engine.applicability import Applicability, frozen
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, load_text
from screening_app.engine.session import Session
from screening_app.resources import RESOURCES
from tests.core.random_answers import random_answers

TODAY = date(2026, 11, 23)
WRONG = ["", "abc", 1, 1.0, True, None, [], ["x"], {"a": 1}, "2026-02-30", -5]

# Conditions of every kind the plan reads differently: answered(), a computed value, a
# function of the day, any() over rows, a row field's condition on an outer item, a step
# condition, count(); and count_value, which makes the plan judge every submission.
SYNTHETIC = """
id: synthetic
version: "1"
languages: [en]
title: {en: T}
computed:
  - {id: age, label: {en: Age}, type: integer, expr: "age(born)"}
steps:
  - id: one
    title: {en: One}
    items:
      - {id: born, type: date, label: {en: Born}}
      - {id: smoker, type: yes_no, label: {en: Smoker}}
      - {id: packs, type: integer, label: {en: Packs}, shown_when: 'smoker = "yes"'}
      - {id: note, type: text, label: {en: Note}}
      - {id: noted, type: info, label: {en: Noted}, shown_when: "answered(note)"}
      - {id: young, type: yes_no, label: {en: Young}, shown_when: "age < 40"}
      - {id: recent, type: date, label: {en: Recent}}
      - {id: soon, type: yes_no, label: {en: Soon}, shown_when: "within_days(recent, 30)"}
      - {id: pets, type: multi_choice, label: {en: Pets}, choices: [{code: cat, label: {en: Cat}},
         {code: dog, label: {en: Dog}}]}
      - {id: many, type: yes_no, label: {en: Many}, shown_when: "count(pets) > 1"}
      - id: meds
        type: group
        label: {en: Meds}
        shown_when: 'smoker != "no"'
        items:
          - {id: drug, type: single_choice, label: {en: Drug}, choices: [{code: a, label: {en: A},
             attrs: {route: oral}}, {code: b, label: {en: B}, attrs: {route: infusion}}]}
          - {id: other, type: text, label: {en: Other}, shown_when: 'drug = "a" and smoker = "yes"'}
          - {id: reaction, type: yes_no, label: {en: Reaction},
             shown_when: 'attr(drug, "route") = "infusion"'}
  - id: two
    title: {en: Two}
    shown_when: 'any(meds, drug = "b") or has(pets, "dog")'
    items:
      - {id: why, type: text, label: {en: Why}, shown_when: "packs > 3 or answered(young)"}
  - id: three
    title: {en: Three}
    items:
      # a chain: c depends on b, which applies only when a says so (a is read nowhere else)
      - {id: a, type: yes_no, label: {en: A}}
      - {id: b, type: yes_no, label: {en: B}, shown_when: 'a = "yes"'}
      - {id: c, type: yes_no, label: {en: C}, shown_when: 'b = "yes"'}
      - id: doses
        type: group
        label: {en: Doses}
        items:
          - {id: kind, type: yes_no, label: {en: Kind}}
          - {id: sure, type: yes_no, label: {en: Sure}, shown_when: 'kind = "yes"'}
          - {id: detail, type: text, label: {en: Detail}, shown_when: 'sure = "yes"'}
          # a section of the row and a follow-up in it: since applies where first is
          # answered and the section applies (sure, and so kind, say so)
          - id: timing
            type: info
            label: {en: Timing}
            shown_when: 'sure = "yes"'
            items:
              - id: first
                type: yes_no
                label: {en: First}
                items:
                  - {id: since, type: yes_no, label: {en: Since}}
      # any() sees a row field only where it applies in its row: kind is an input too
      - {id: d, type: yes_no, label: {en: D}, shown_when: 'any(doses, sure = "yes")'}
      - {id: e, type: yes_no, label: {en: E}, shown_when: 'any(doses, since = "yes")'}
"""


def definitions() -> list[Questionnaire]:
    shipped = [load_questionnaire(p) for p in sorted((RESOURCES / "questionnaires").glob("*.yaml"))]
    return [*shipped, load_text(SYNTHETIC, "synthetic.yaml"),
            load_text(SYNTHETIC.replace('"count(pets) > 1"', "'count_value(\"dog\") > 0'"), "counted.yaml")]


FIXED_DAYS = ["2026-11-10", "2026-10-01", "1990-05-05", "1960-01-01"]  # seen from two judging days


def scramble(q: Questionnaire, answers: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Leave some answers out, make some wrong (drafts hold anything), and give dates one
    of a few fixed days, so that the same answers are judged on different days."""
    out = {}
    for path, value in answers.items():
        roll = rng.random()
        if roll < 0.25:
            continue
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            value = rng.choice(FIXED_DAYS)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            value = rng.choice([0, 2, 5])  # few values: many submissions share their inputs
        elif isinstance(value, str) and q.item(path.split("[")[0]).type == "group":
            value = rng.choice(["some text", "other"])
        out[path] = rng.choice(WRONG) if roll > 0.93 else value
    return out


@pytest.mark.parametrize("q", definitions(), ids=lambda q: q.id + ("-" + Path(q.source).stem))
def test_remembered_verdicts_are_the_sessions(q: Questionnaire):
    rng = random.Random(7)
    plan = Applicability(q, capacity=2000)
    for number in range(1500):
        today = TODAY - timedelta(days=rng.choice([0, 0, 0, 400]))
        answers = scramble(q, random_answers(q, rng, today), rng)
        session = Session(q, answers, today=today)
        judged = plan.judge(answers, today)
        expected = {i.id for s in q.steps for i in session.visible_items(s.id)}
        assert judged.items == expected, (number, answers)
        for group in (i for i in q.all_items() if i.type == "group" and i.id in expected):
            assert judged.rows(group.id) == session.rows(group.id)
            for row in session.rows(group.id):
                assert judged.fields(group.id, row) == {f.id for f in session.visible_fields(group.id, row)}
    if "count_value" not in q.source_text:
        assert plan._verdicts, "the plan remembered nothing"


def test_the_judging_day_is_an_input_of_conditions_that_read_it():
    q = load_text(SYNTHETIC, "synthetic.yaml")
    plan = Applicability(q)
    answers = {"recent": "2026-11-10"}
    assert "soon" in plan.judge(answers, date(2026, 11, 23)).items
    assert "soon" not in plan.judge(answers, date(2027, 6, 1)).items


def test_any_sees_a_row_field_only_where_it_applies_in_its_row():
    plan = Applicability(load_text(SYNTHETIC, "synthetic.yaml"))
    row = {"doses[0]": True, "doses[0].sure": "yes"}
    assert "d" not in plan.judge({**row, "doses[0].kind": "no"}, TODAY).items  # sure is hidden
    assert "d" in plan.judge({**row, "doses[0].kind": "yes"}, TODAY).items


def test_a_row_follow_up_is_seen_only_where_its_question_is_answered_and_its_section_applies():
    plan = Applicability(load_text(SYNTHETIC, "synthetic.yaml"))
    row = {"doses[0]": True, "doses[0].kind": "yes", "doses[0].sure": "yes", "doses[0].since": "yes"}
    assert "e" not in plan.judge(row, TODAY).items  # first is not answered: since does not apply
    assert "e" in plan.judge({**row, "doses[0].first": "no"}, TODAY).items
    hidden = {**row, "doses[0].first": "no", "doses[0].sure": "no"}  # the section (timing) is hidden
    assert "e" not in plan.judge(hidden, TODAY).items
    fields = plan.judge({**row, "doses[0].first": "no"}, TODAY).fields("doses", 0)
    assert {"timing", "first", "since"} <= fields
    assert not {"since"} & plan.judge(row, TODAY).fields("doses", 0)


def test_count_value_makes_the_plan_judge_every_submission():
    q = definitions()[-1]
    assert not Applicability(q).memo


def test_frozen_tells_apart_what_typed_value_does():
    values = [1, 1.0, True, "1", [1], ["1"], None, "", {"png": "x"}]
    assert len({frozen(v) for v in values}) == len(values)
