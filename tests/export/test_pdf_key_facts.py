"""Key facts (screening_app.engine.key_facts): the spec's list, read from a Session."""

from __future__ import annotations

from screening_app.engine.key_facts import key_facts
from screening_app.engine.loader import parse_questionnaire
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from tests.export.helpers import TODAY, complete_answers, shipped


def facts(answers: dict, lang: str = "en") -> dict[str, str]:
    session = Session(shipped(), answers, lang=lang, today=TODAY)
    return {fact.id: fact.text for fact in key_facts(session)}


def test_complete_answers_give_every_fact():
    found = facts(complete_answers())
    assert list(found) == ["age_sex", "ms", "mobility", "edss", "relapses", "current_therapies",
                           "last_immunosuppressant", "pregnancy"]
    assert found["age_sex"] == "46 years old · Female"
    assert found["ms"] == ("Type: Relapsing-remitting (RRMS): attacks, then recovery · diagnosed in 2015"
                           " · 11 years since diagnosis")
    assert found["mobility"].startswith("Level 3 (scale 0–7): I sometimes use a cane")
    assert found["edss"] == "4 · measured 1 Jun 2026"
    assert found["relapses"] == ("0 in the past 12 months · 1 in the past 24 months"
                                 " · most recent started 15 Aug 2025")
    assert found["current_therapies"] == "None"
    assert found["last_immunosuppressant"] == "Ocrelizumab (Ocrevus): 10 Sep 2026"
    assert found["pregnancy"] == ("Pregnant: No · Breastfeeding: No · Planning a pregnancy: No"
                                  " · Effective contraception: Yes")


def test_therapies_still_taken_and_the_latest_immunosuppressant_dose():
    answers = complete_answers()
    answers.update({
        "treatments[0].still_taking": "yes",               # Ocrevus: still taken now
        "treatments[2]": True, "treatments[2].drug": "fingolimod", "treatments[2].still_taking": "no",
        "treatments[2].last_dose_date": "2024-02-01",
        "treatments[3]": True, "treatments[3].drug": "natalizumab", "treatments[3].still_taking": "no",
        "treatments[3].last_dose_date": "2025-03-15",
        "treatments[4]": True, "treatments[4].drug": "other", "treatments[4].drug_other": "Tolebrutinib",
        "treatments[4].still_taking": "yes",
    })
    found = facts(answers)
    assert found["current_therapies"] == "Ocrelizumab (Ocrevus) · Tolebrutinib"
    # Ocrevus is still taken (its old last dose no longer applies); glatiramer is injectable
    assert found["last_immunosuppressant"] == ("Ocrelizumab (Ocrevus): still taking"
                                               " · Natalizumab (Tysabri): 15 Mar 2025")


def test_an_immunosuppressant_still_taken_is_never_none_reported():
    answers = complete_answers()
    answers.update({"treatments[0].drug": "natalizumab", "treatments[0].still_taking": "yes"})
    answers = {p: v for p, v in answers.items() if not p.startswith("treatments[1]")}
    assert facts(answers)["last_immunosuppressant"] == "Natalizumab (Tysabri): still taking"
    assert facts(answers, "es")["last_immunosuppressant"] == "Natalizumab (Tysabri): todavía lo toma"


def test_facts_that_do_not_apply_say_so():
    answers = {p: v for p, v in complete_answers().items() if not p.startswith("treatments[")}
    answers.update({"sex_at_birth": "male", "ever_treated": "no", "edss_known": "no",
                    "ms_diagnosed": "not_sure"})
    found = facts(answers)
    assert found["pregnancy"] == "Not asked"
    assert found["current_therapies"] == "Never treated with a disease-modifying therapy"
    assert found["edss"] == "Not known to the candidate"
    assert found["ms"] == "Diagnosed with MS: Not sure"
    session = Session(shipped(), answers, today=TODAY)
    pregnancy = next(f for f in key_facts(session) if f.id == "pregnancy")
    assert pregnancy.asked is False


def test_a_draft_says_which_required_parts_are_not_answered_yet():
    """Seen: a draft's key facts read "Level (scale 0-7): —"."""
    answers = {"first_name": "Ana", "date_of_birth": "1980-05-17", "edss_known": "yes",
               "edss_date": "2026-06-01"}
    found = facts(answers)
    assert found["age_sex"] == "46 years old · Not answered yet"
    assert found["edss"] == "Not answered yet · measured 1 Jun 2026"
    assert found["mobility"] == "Not answered yet"
    assert found["relapses"] == "—"  # not asked yet: depends on the diagnosis question
    assert facts(answers, "es")["mobility"] == "Aún sin responder"


def test_a_single_year_or_age_is_said_in_the_singular():
    answers = complete_answers()
    answers["diagnosis_year"] = 2025
    answers["symptom_onset_year"] = 2024
    assert "1 year since diagnosis" in facts(answers)["ms"]
    assert "1 año desde el diagnóstico" in facts(answers, "es")["ms"]
    answers["diagnosis_year"] = 2024
    assert "2 years since diagnosis" in facts(answers)["ms"]


def test_facts_in_spanish():
    found = facts(complete_answers(), "es")
    assert found["age_sex"] == "46 años · Femenino"
    assert found["last_immunosuppressant"].startswith("Ocrelizumab (Ocrevus): 10 sept 2026")


def test_another_questionnaire_gets_only_the_facts_it_can_answer():
    q = parse_questionnaire("""
id: tiny
version: "1"
languages: [en]
title: {en: Tiny}
computed:
  - id: age
    label: {en: Age}
    type: integer
    expr: 'age(date_of_birth)'
steps:
  - id: one
    title: {en: One}
    items:
      - id: date_of_birth
        type: date
        label: {en: Born}
      - id: sex_at_birth
        type: single_choice
        label: {en: Sex}
        choices:
          - {code: female, label: {en: Female}}
""", "tiny.yaml")
    session = Session(q, {"date_of_birth": "1980-05-17", "sex_at_birth": "female"}, today=TODAY)
    found = key_facts(session, Translator("en"))
    assert [(f.id, f.text) for f in found] == [("age_sex", "46 years old · Female")]
