"""What a patient reads of an imported questionnaire is words of its source, never an
internal id (issue 14's leftovers), and what the conversion assumed is said.

- A FHIR group without `text` was a section headed by its linkId: patients saw "group"
  and "vitaminKgivenDoses" (the NSW blue book). Now it is a section without a heading
  (its items still under it, its source linkId kept), and a note says so; a step group
  without text takes its code's display or the questionnaire's title.
- A question without text is asked by its code's display or its value set's name; with
  neither it is left out with a note (its follow-ups take its place), never asked by its
  linkId.
- An enableWhen `answerString "2"` / `answerInteger 2` on a question whose options are
  codings is read as the option with code "2", and the note says which item, which
  condition and what was assumed.
- Notes quote values as FHIR JSON does (`"4"`, `2.1`, `true`), never as Python (`'4'`, `True`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from screening_app.engine.loader import DefinitionError, load_text
from screening_app.engine.session import Session
from screening_app.interop import fhir_common as fc
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir
from screening_app.interop.fhir_response import ResponseContext, questionnaire_response, read_response
from screening_app.interop.redcap import RedcapProject
from tests.interop.helpers import FIXTURES, TODAY, fhir_fixtures, validate_fhir

FHIR = FIXTURES / "fhir"


def imported(source: Path | dict[str, Any]):
    resource = json.loads(source.read_text(encoding="utf-8")) if isinstance(source, Path) else source
    result = questionnaire_from_fhir(json.loads(json.dumps(resource)), "source.json")
    return resource, result, load_text(result.yaml_text, "source.yaml")


def link_ids(items: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for item in items:
        found.add(item["linkId"])
        found |= link_ids(item.get("item") or [])
    return found


def shown_texts(q) -> list[str]:
    """Every text of the definition a patient can read: titles, labels, choices, help."""
    texts = [q.title.get("en")]
    for step in q.steps:
        texts.append(step.title.get("en"))
        for item in [*q.all_items(), *(f for i in q.all_items() for f in i.items)]:
            texts += [item.label.get("en"), *(c.label.get("en") for c in item.choices)]
            if item.help is not None:
                texts.append(item.help.get("en"))
    return texts


def test_the_blue_books_untitled_groups_are_sections_without_a_heading():
    _, result, q = imported(FHIR / "r4b-questionnaire-example-bluebook.json")
    for link_id, section_id, first in (("group", "group", "nameofchild"),
                                       ("vitaminKgivenDoses", "vitaminkgivendoses", "vitaminikdose1")):
        section = q.item(section_id)
        assert section.type == "info" and section.untitled
        assert section.label.get("en") == ""
        assert section.attrs.get("fhir_link_id", section.id) == link_id  # the source's path kept
        assert q.item(first).parent == section_id  # its items still stand under it
        assert f"group {link_id} has no text: a section without a heading" in "\n".join(result.notes)
    assert "group" not in shown_texts(q) and "vitaminKgivenDoses" not in shown_texts(q)
    # Exported again: groups without text, as in the source (no empty text, which FHIR forbids).
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    [step] = exported["item"]
    group = next(i for i in step["item"] if i["linkId"] == "group")
    assert "text" not in group and group["type"] == "group"
    answers = {"nameofchild": "Baby", "sex": "f"}
    context = ResponseContext(submission_id=1, status="submitted", lang="en",
                              authored="2026-11-23T10:00:00Z", today=TODAY)
    response = questionnaire_response(q, answers, context)
    validate_fhir(response)
    [answered_group] = [i for i in response["item"][0]["item"] if i["linkId"] == "group"]
    assert "text" not in answered_group
    assert read_response(q, response).answers == answers


def test_an_untitled_section_still_carries_its_condition_and_at_least_one_answer():
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "Check", "language": "en",
                "item": [{"linkId": "page", "type": "group", "text": "Page", "item": [
                    {"linkId": "ask", "type": "boolean", "text": "Any symptoms?"},
                    {"linkId": "which", "type": "group", "required": True,
                     "enableWhen": [{"question": "ask", "operator": "=", "answerBoolean": True}],
                     "item": [{"linkId": "a", "type": "boolean", "text": "Fatigue"},
                              {"linkId": "b", "type": "boolean", "text": "Numbness"}]}]}]}
    _, _, q = imported(resource)
    section = q.item("which")
    assert section.untitled and section.required and section.shown_when is not None
    assert [p.code for p in Session(q, {"ask": "yes"}, today=TODAY).problems("page")] == ["required_section"]
    assert not Session(q, {"ask": "no"}, today=TODAY).is_applicable("a")


def test_a_redcap_dictionary_has_no_empty_descriptive_field_for_an_untitled_section():
    _, _, q = imported(FHIR / "r4b-questionnaire-example-bluebook.json")
    fields = [f for form in RedcapProject(q).forms for f in form.fields]
    assert [f for f in fields if f.kind == "descriptive" and not f.label.strip()] == []
    assert "group" not in {f.name for f in fields}
    assert "neonatalinformation" in {f.name for f in fields}  # a titled section keeps its heading


def test_a_question_without_text_is_asked_by_its_code_display_or_left_out_with_its_follow_ups_kept():
    _, result, q = imported(FHIR / "r4b-questionnaire-example.json")
    notes = "\n".join(result.notes)
    # 1.1 has neither text nor a code display: left out, said, its follow-ups in its place.
    assert "item 1.1 has no text, and no code display or value set name to say it by: left out" in notes
    assert "the items under it (1.1.1) stand in its place" in notes
    by_link = {i.attrs.get("fhir_link_id", i.id): i for i in q.all_items()}
    assert "1.1" not in by_link and "1.1.1.1" not in by_link and "1.1.1.2" not in by_link
    assert by_link["1.1.1.1.1"].label.get("en") == "1.1.1 Angina Pectoris"  # prefix + code display
    assert 'its code\'s display "Angina Pectoris" is used as the question' in notes
    # The step groups have no text either: the questionnaire's title, not "step_1".
    assert [s.title.get("en") for s in q.steps] == ["Cancer Quality Forum Questionnaire 2012"] * 2
    assert 'group 1 (a step) has no text; the title "Cancer Quality Forum Questionnaire 2012"' in notes


@pytest.mark.parametrize("path", fhir_fixtures("Questionnaire"), ids=lambda p: p.stem)
def test_no_fixture_shows_a_patient_a_link_id(path):
    source, _, q = imported(path)
    ids = link_ids(source["item"])
    texts = set(shown_texts(q))
    assert not (ids & texts), sorted(ids & texts)
    assert not any(re.fullmatch(r"step_\w+", text) for text in texts)


def test_a_display_item_or_repeating_group_without_words_is_left_out_and_said():
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "T", "language": "en",
                "item": [{"linkId": "page", "type": "group", "text": "Page", "item": [
                    {"linkId": "d1", "type": "display"},
                    {"linkId": "rows", "type": "group", "repeats": True,
                     "item": [{"linkId": "r1", "type": "string", "text": "Drug"}]},
                    {"linkId": "q", "type": "string", "text": "Anything else?"}]}]}
    _, result, q = imported(resource)
    notes = "\n".join(result.notes)
    assert "display item d1 has no text" in notes
    assert "repeating group rows has no text" in notes and "its fields too" in notes
    assert [i.id for i in q.all_items()] == ["q"]


def test_a_text_or_number_compared_with_coded_options_is_read_as_that_code_and_said():
    _, result, q = imported(FHIR / "sdc-questionnaire-test-enablewhen.json")
    notes = "\n".join(result.notes)
    assert ('enableWhen of 65578509-21ae-4a48-94de-e46be454f8k1: its condition on s1-radio is '
            'answerString "2", but the options of s1-radio are codings (valueCoding), not texts: '
            'read as its option with code "2"') in notes
    assert ('enableWhen of 945b97b5-6d74-4a55-9be1-1989751219fb: its condition on s4-radio is '
            'answerInteger 2, but the options of s4-radio are codings (valueCoding), not whole '
            'numbers: read as its option with code "2"') in notes
    # The reading itself is kept: the group shows once option 2 is chosen.
    group = next(i for i in q.all_items()
                 if i.attrs.get("fhir_link_id") == "65578509-21ae-4a48-94de-e46be454f8k1")
    assert group.shown_when.text == 's1_radio = "2"'


def test_a_text_compared_with_text_options_is_exact_and_not_noted():
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "T", "language": "en",
                "item": [{"linkId": "colour", "type": "string", "text": "Colour",
                          "answerOption": [{"valueString": "red"}, {"valueString": "2"}]},
                         {"linkId": "why", "type": "string", "text": "Why?",
                          "enableWhen": [{"question": "colour", "operator": "=", "answerString": "2"}]}]}
    _, result, q = imported(resource)
    assert q.item("why").shown_when is not None
    assert not any("read as its option" in note for note in result.notes)


PYTHON_QUOTES = re.compile(r"(^|[\s(\[{:,])'[^'\s][^']*'|\b(True|False|None)\b")


@pytest.mark.parametrize("path", fhir_fixtures("Questionnaire"), ids=lambda p: p.stem)
def test_notes_quote_values_as_fhir_json_does(path):
    _, result, _ = imported(path)
    for note in result.notes:
        assert not PYTHON_QUOTES.search(note), note


def test_the_one_quoting_function_says_values_as_json_and_escapes_what_would_mislead():
    assert [fc.quoted(v) for v in ("4", 2.1, 2, True, None, {"code": "Y"})] == \
        ['"4"', "2.1", "2", "true", "null", '{"code": "Y"}']
    assert fc.quoted("a\u202eb\x1bc é") == '"a\\u202eb\\u001bc é"'  # direction, escape; accents kept
    assert fc.quoted("x" * 200) == '"' + "x" * 56 + "..."
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "T", "language": "en",
                "item": [{"linkId": "n", "type": "integer", "text": "N",
                          "extension": [{"url": fc.MIN_VALUE, "valueString": "4"}]},
                         {"linkId": "m", "type": "string", "text": "M",
                          "enableWhen": [{"question": "zz", "operator": "=", "answerString": "4"}]}]}
    _, result, _ = imported(resource)
    notes = "\n".join(result.notes)
    assert 'min value "4" of n is not supported' in notes
    assert 'enableWhen refers to "zz", which is not a converted item in reach' in notes


def test_only_a_section_may_go_without_a_label():
    base = """id: t
version: "1"
languages: [en]
title: {en: T}
steps:
  - id: s
    title: {en: S}
    items:
"""
    section = "      - {id: sec, type: info, items: [{id: a, type: text, label: {en: A}}]}\n"
    q = load_text(base + section, "t.yaml")
    assert q.item("sec").untitled and q.item("a").parent == "sec"
    for bad in ("      - {id: a, type: text}\n", "      - {id: note, type: info}\n"):
        with pytest.raises(DefinitionError) as refused:
            load_text(base + bad, "t.yaml")
        assert "has no `label`" in str(refused.value)
