"""Drafts whose answers are not valid yet: no wrongly typed answers in the response, nothing lost."""

from __future__ import annotations

from typing import Any

from screening_app.export.fhir import response_for_submission
from screening_app.interop import fhir_common as fc
from screening_app.interop.fhir_questionnaire import questionnaire_to_fhir
from screening_app.interop.fhir_response import answers_from_questionnaire_response
from screening_app.store import Store
from tests.interop.helpers import (
    TODAY,
    check_against_questionnaire,
    complete_answers,
    shipped,
    validate_fhir,
    walk,
)

TYPED = {"edss_known": "yes", "edss_score": "4,5", "relapses_12_months": "two",
         "edss_date": "hace mucho", "ms_diagnosed": "yes", "first_name": "Ana"}


def items_by_link(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in walk(resource.get("item", []))}


def test_wrongly_typed_draft_answers_are_not_sent_as_answers_but_kept(store: Store):
    draft = store.start_submission(shipped(), "es", actor="kiosk")
    store.save_answers(draft, TYPED, "kiosk")
    resource = response_for_submission(store, draft)
    validate_fhir(resource)
    assert resource["status"] == "in-progress"
    # Valid against the Questionnaire's item types: a decimal is never answered "4,5".
    check_against_questionnaire(resource, questionnaire_to_fhir(shipped()))
    items = items_by_link(resource)
    for link_id in ("edss_score", "relapses_12_months", "edss_date"):
        assert "answer" not in items[link_id], link_id
        assert items[link_id]["extension"] == [{"url": fc.EXT_DRAFT_ANSWER, "valueString": TYPED[link_id]}]
    assert items["first_name"]["answer"] == [{"valueString": "Ana"}]  # a valid answer stays one
    # Our own import gives the draft back as it was typed.
    assert answers_from_questionnaire_response(shipped(), resource) == TYPED


def test_a_complete_response_is_valid_against_the_questionnaire(store: Store):
    result = store.import_submission(shipped(), complete_answers(), "tester", today=TODAY,
                                     allow_duplicate=True)
    resource = response_for_submission(store, result.submission_id)
    validate_fhir(resource)
    check_against_questionnaire(resource, questionnaire_to_fhir(shipped()))
    assert not any(fc.EXT_DRAFT_ANSWER in str(item.get("extension")) for item in walk(resource["item"]))
