"""A converted questionnaire speaks its source's ids: linkIds, codings, answer types, structure.

An EHR holding the source Questionnaire (the LHC-Forms PHQ-9) must be able to match our
responses to it; our own round trips must still keep everything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, load_text
from screening_app.export.fhir import response_for_submission
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir
from screening_app.interop.fhir_response import answers_from_questionnaire_response
from screening_app.resources import RESOURCES
from screening_app.store import Store
from tests.interop.helpers import FIXTURES, TODAY, check_against_questionnaire, validate_fhir, walk
from tests.interop.test_fhir_questionnaire import FOREIGN, describe

PHQ9_SOURCE = json.loads((FIXTURES / "fhir" / "lforms-phq9-r4.json").read_text(encoding="utf-8"))
PHQ9 = RESOURCES / "questionnaires" / "phq-9.yaml"


def phq9() -> Questionnaire:
    return load_questionnaire(PHQ9)


def shape(items: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The nesting of linkIds (what a receiver matches a response against)."""
    return [(i["linkId"], shape(i.get("item", []))) for i in items]


def stored_response(store: Store, q: Questionnaire, answers: dict[str, Any], **kwargs: Any) -> dict:
    result = store.import_submission(q, answers, "tester", today=TODAY, allow_duplicate=True, **kwargs)
    resource = response_for_submission(store, result.submission_id)
    validate_fhir(resource)
    return resource


PHQ9_ANSWERS = {"q_44250_9": "la6569_3", "q_44255_8": "la6568_5", "q_44259_0": "la6571_9",
                "q_44254_1": "la6570_1", "q_44251_7": "la6568_5", "q_44258_2": "la6568_5",
                "q_44252_5": "la6569_3", "q_44253_3": "la6568_5", "q_69722_7": "la6573_5"}


def test_a_phq9_response_uses_the_source_linkids_and_loinc_answer_codes(store: Store):
    resource = stored_response(store, phq9(), PHQ9_ANSWERS)
    assert resource["status"] == "completed"
    first = resource["item"][0]  # at the top level, as in the source: no step group around it
    assert first == {"linkId": "/44250-9", "text": "Little interest or pleasure in doing things?",
                     "answer": [{"valueCoding": {"code": "LA6569-3", "display": "Several days"}}]}
    # Every item of the response is an item of the source Questionnaire, at the same place.
    source_shape = dict(shape(PHQ9_SOURCE["item"]))
    for link_id, children in shape(resource["item"]):
        assert link_id in source_shape and children == []
    source_codes = {o["valueCoding"]["code"] for i in walk(PHQ9_SOURCE["item"])
                    for o in i.get("answerOption", [])}
    assert {a["valueCoding"]["code"] for i in resource["item"] for a in i["answer"]} <= source_codes


def test_the_phq9_questionnaire_export_matches_the_source(store: Store):
    exported = questionnaire_to_fhir(phq9())
    validate_fhir(exported)
    assert exported["code"] == [{"system": "http://loinc.org", "code": "44249-1"}]
    assert exported["identifier"] == [{"system": "http://loinc.org", "value": "44249-1"}]
    source = [i for i in PHQ9_SOURCE["item"] if i["linkId"] != "/44261-6"]  # the calculated score
    assert shape(exported["item"]) == shape(source)
    for ours, theirs in zip(exported["item"], source, strict=True):
        assert ours["code"] == [{k: v for k, v in theirs["code"][0].items() if k != "display"}]
        assert [o["valueCoding"]["code"] for o in ours["answerOption"]] == [
            o["valueCoding"]["code"] for o in theirs["answerOption"]]
    # A response is valid against the exported Questionnaire and against the source itself.
    response = stored_response(store, phq9(), PHQ9_ANSWERS)
    check_against_questionnaire(response, exported)
    check_against_questionnaire(response, PHQ9_SOURCE)


def test_a_phq9_response_comes_back_the_same_also_as_an_ehr_writes_it(store: Store, tmp_path: Path, capsys):
    q = phq9()
    resource = stored_response(store, q, PHQ9_ANSWERS)
    assert answers_from_questionnaire_response(q, resource) == PHQ9_ANSWERS
    # An EHR answering the source Questionnaire may name LOINC as the system, or leave it out.
    from_ehr = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [
        {"linkId": "/44250-9",
         "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6571-9"}}]},
        {"linkId": "/44255-8", "answer": [{"valueCoding": {"code": "LA6568-5"}}]}]}
    validate_fhir(from_ehr)
    assert answers_from_questionnaire_response(q, from_ehr) == {"q_44250_9": "la6571_9",
                                                                 "q_44255_8": "la6568_5"}
    # ... and through the command, into another database.
    path = tmp_path / "phq.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    other = tmp_path / "other.db"
    assert main(["import-responses", str(path), "--definition", str(PHQ9), "--db", str(other)]) == 0
    new_id = int(capsys.readouterr().out.split()[0])
    with Store.open(other) as second:
        assert second.answers(new_id) == PHQ9_ANSWERS


@pytest.mark.parametrize("answers, expected", [
    ({"smoker": "n", "quit": "yes", "why": "Salud"},
     [("g1", [("smoker", {"valueCoding": {"system": "http://example.org/yn", "code": "N", "display": "No"}}),
              ("quit", {"valueBoolean": True}), ("why", {"valueString": "Salud"})])]),
    ({"meds[0]": True, "meds[0].med": "Aspirina", "meds[0].dose": "alta"},
     [("meds", [("med", {"valueString": "Aspirina"}), ("dose", {"valueString": "Alta"})])]),
])
def test_a_foreign_questionnaire_response_speaks_the_source_answer_types(store: Store, answers, expected):
    """A boolean question answers valueBoolean, a string option valueString, group fields keep
    their own linkIds and a group outside any step stands at the top level, as in the source."""
    q = load_text(questionnaire_from_fhir(FOREIGN, "foreign.json").yaml_text, "foreign.yaml")
    resource = stored_response(store, q, answers, lang="es")
    assert resource["questionnaire"] == "http://example.org/Questionnaire/foreign|2"
    got = [(i["linkId"], [(f["linkId"], f["answer"][0]) for f in i["item"]]) for i in resource["item"]]
    assert got == expected
    check_against_questionnaire(resource, FOREIGN)
    assert answers_from_questionnaire_response(q, resource) == answers


def test_a_foreign_definition_round_trips_with_its_source_ids():
    q = load_text(questionnaire_from_fhir(FOREIGN, "foreign.json").yaml_text, "foreign.yaml")
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    assert exported["derivedFrom"] == ["http://example.org/Questionnaire/foreign|2"]
    assert shape(exported["item"])[1] == ("meds", [("med", []), ("dose", [])])
    again = questionnaire_from_fhir(exported, "again")
    assert again.notes == []
    assert describe(load_text(again.yaml_text, "again.yaml")) == describe(q)


@pytest.mark.parametrize("where", ["", "steps[0].", "steps[0].items[0]."])
def test_attrs_must_be_single_values(where: str):
    from screening_app.engine.loader import DefinitionError

    text = PHQ9.read_text(encoding="utf-8")
    if where == "":
        text = text.replace("attrs: {fhir_code: \"44249-1\"", "attrs: {fhir_code: [1, 2]", 1)
    elif where == "steps[0].":
        text = text.replace('attrs: {fhir_top_level: "true"}', "attrs: [fhir_top_level]", 1)
    else:
        text = text.replace('attrs: {fhir_link_id: "/44250-9"', 'attrs: {fhir_link_id: {a: 1}', 1)
    with pytest.raises(DefinitionError, match=rf"{re.escape(where)}attrs.*single values"):
        load_text(text, "phq-9.yaml")
