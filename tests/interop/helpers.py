"""Shared helpers of the interoperability tests: FHIR validation, a clock, stored submissions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fhir.resources.questionnaire import Questionnaire as FhirQuestionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse as FhirQuestionnaireResponse

from screening_app.engine.answers import flatten_answers
from tests.shared import FIXTURES, TODAY, FakeClock, shipped  # noqa: F401  (re-exported)

# Required bindings of FHIR R4 that the fhir.resources models do not enforce themselves.
ITEM_TYPES_R4 = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
                 "string", "text", "url", "choice", "open-choice", "attachment", "reference",
                 "quantity"}
OPERATORS_R4 = {"exists", "=", "!=", ">", "<", ">=", "<="}
Q_STATUS_R4 = {"draft", "active", "retired", "unknown"}
QR_STATUS_R4 = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
MODELS = {"Questionnaire": FhirQuestionnaire, "QuestionnaireResponse": FhirQuestionnaireResponse}


def validate_fhir(resource: Mapping[str, Any]) -> None:
    """Validate against the FHIR R4 (4.0.1) models of fhir.resources, plus required codes."""
    MODELS[resource["resourceType"]].parse_obj(json.loads(json.dumps(resource)))
    if resource["resourceType"] == "Questionnaire":
        assert resource["status"] in Q_STATUS_R4
        link_ids = [item["linkId"] for item in walk(resource.get("item", []))]
        assert len(link_ids) == len(set(link_ids)), "que-2: linkIds must be unique"
        for item in walk(resource.get("item", [])):
            assert item["type"] in ITEM_TYPES_R4
            if item["type"] == "display":  # que-6
                assert "required" not in item and "repeats" not in item
            if item["type"] == "group":  # que-1
                assert item.get("item"), f"group {item['linkId']} has no items"
            for condition in item.get("enableWhen", []):
                assert condition["operator"] in OPERATORS_R4
                assert condition["question"] in link_ids
            assert item.get("enableBehavior", "all") in {"all", "any"}
            if len(item.get("enableWhen", [])) > 1:  # que-12
                assert "enableBehavior" in item
    else:
        assert resource["status"] in QR_STATUS_R4
        for item in walk(resource.get("item", [])):
            assert not (item.get("answer") and item.get("item")), "qrs-1"


# FHIR R4 Questionnaire item type -> the answer value[x] a response may give it.
ANSWER_KEYS = {"string": {"valueString"}, "text": {"valueString"}, "integer": {"valueInteger"},
               "decimal": {"valueDecimal"}, "date": {"valueDate"}, "dateTime": {"valueDateTime", "valueDate"},
               "boolean": {"valueBoolean"}, "url": {"valueUri"}, "quantity": {"valueQuantity"},
               "attachment": {"valueAttachment"},
               "choice": {"valueCoding", "valueString", "valueInteger", "valueDate", "valueTime"},
               "open-choice": {"valueCoding", "valueString", "valueInteger", "valueDate", "valueTime"}}


def check_against_questionnaire(response: Mapping[str, Any], questionnaire: Mapping[str, Any]) -> None:
    """Every response item is a Questionnaire item at the same place, answered with its type
    (and, for an answerOption list, with one of its options)."""
    def check(answered: list[Mapping[str, Any]], defined: list[Mapping[str, Any]]) -> None:
        by_link = {item["linkId"]: item for item in defined}
        for item in answered:
            assert item["linkId"] in by_link, item["linkId"]
            definition = by_link[item["linkId"]]
            for answer in item.get("answer", []):
                (key, value), = ((k, v) for k, v in answer.items() if k.startswith("value"))
                assert key in ANSWER_KEYS[definition["type"]], (item["linkId"], key)
                options = [o for o in definition.get("answerOption", [])]
                if options and key == "valueCoding":
                    assert any(o.get("valueCoding", {}).get("code") == value["code"]
                               and o["valueCoding"].get("system") == value.get("system") for o in options)
                elif options:
                    assert any(o.get(key) == value for o in options), (item["linkId"], value)
            check(item.get("item", []), definition.get("item", []))

    check(response.get("item", []), questionnaire.get("item", []))


def fhir_fixtures(resource_type: str) -> list:
    """The public FHIR files under tests/fixtures/fhir/ of one resourceType, chosen by what
    they hold (not by name), so that a new fixture is tested without naming it."""
    found = []
    for path in sorted((FIXTURES / "fhir").glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8")).get("resourceType") == resource_type:
            found.append(path)
    return found


def walk(items: list[Mapping[str, Any]]):
    for item in items:
        yield item
        yield from walk(item.get("item", []))
        for answer in item.get("answer", []):
            yield from walk(answer.get("item", []))




def complete_answers(**changes: Any) -> dict[str, Any]:
    """The complete answers fixture (flat paths), with some answers changed or cleared (None)."""
    raw = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    raw.update(changes)
    return {k: v for k, v in flatten_answers(shipped(), raw).items() if v is not None}
