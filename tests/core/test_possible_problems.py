"""The messages an item can show are known before any answer (the kiosk keeps room for
them): every message that a wrong or missing answer actually raises is among them."""

from __future__ import annotations

import random

import pytest

from screening_app.engine.session import Session
from screening_app.engine.validation import possible_problems
from screening_app.i18n import Translator
from tests.core.random_answers import random_answers
from tests.shared import TODAY, shipped


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_message_raised_by_random_answers_was_foreseen(lang):
    q = shipped()
    t = Translator(lang)
    foreseen: dict[str, set[str]] = {}
    for item in q.all_items():
        foreseen[item.id] = {p.code for p in possible_problems(item, t)}
        for field in item.items:
            foreseen[f"{item.id}.{field.id}"] = {p.code for p in possible_problems(field, t)}
    rng = random.Random(15)
    raised = 0
    for _ in range(300):
        answers = random_answers(q, rng, TODAY)
        for path in list(answers)[:: rng.randint(3, 6)]:
            answers[path] = None  # some left out, so "required" comes too
        session = Session(q, answers, lang=lang, today=TODAY)
        for problem in session.problems():
            if problem.code in {"unknown_item", "not_rows", "bad_choice", "not_text"}:
                continue  # only an import or a hand-edited file can give these, not a person
            key = problem.path.split("[")[0]
            if "]." in problem.path:
                key += "." + problem.path.split("].")[1]
            assert problem.code in foreseen[key], (problem.path, problem.code)
            raised += 1
    assert raised > 100


def test_a_warning_check_is_foreseen_with_its_severity():
    q = shipped()
    onset = possible_problems(q.item("symptom_onset_year"), Translator("en"))
    assert any(p.severity == "warning" for p in onset)
    assert possible_problems(q.item("review_notice"), Translator("en")) == []
