"""Imported questionnaires keep their source's structure (issue 14): nested groups become
sections within a step, items under a question become follow-ups shown once it is
answered, a required group means "at least one answer in it", and every export comes back
in the source's shape. A fidelity test compares each public fixture with its round trip."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from screening_app.engine.loader import load_text
from screening_app.engine.session import Session
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir
from screening_app.interop.fhir_response import ResponseContext, questionnaire_response, read_response
from tests.interop.helpers import FIXTURES, TODAY, check_against_questionnaire, fhir_fixtures, validate_fhir

FHIR = FIXTURES / "fhir"
PUBLIC = fhir_fixtures("Questionnaire")


def imported(path: Path):
    resource = json.loads(path.read_text(encoding="utf-8"))
    result = questionnaire_from_fhir(resource, path.name)
    return resource, result, load_text(result.yaml_text, path.stem + ".yaml")


def test_items_under_questions_are_follow_ups_shown_once_answered():
    _, result, q = imported(FHIR / "lforms-q-3-level-deep.json")
    items = list(q.all_items())
    assert [(i.attrs.get("fhir_link_id", i.id), i.parent) for i in items] == [
        ("level1", None), ("level2", "level1"), ("level3", "level2")]
    assert not any("left out" in note for note in result.notes)
    session = Session(q, {}, today=TODAY)
    assert [i.id for i in session.visible_items(q.steps[0].id)] == ["level1"]
    session = Session(q, {"level1": "yes"}, today=TODAY)
    assert [i.id for i in session.visible_items(q.steps[0].id)] == ["level1", "level2"]
    session = Session(q, {"level1": "yes", "level2": "x", "level3": "y"}, today=TODAY)
    assert session.is_applicable("level3")
    session = Session(q, {"level2": "x", "level3": "y"}, today=TODAY)  # level1 cleared: both hidden
    assert not session.is_applicable("level2") and not session.is_applicable("level3")


def test_a_group_under_a_question_is_a_section_among_its_follow_ups():
    source, _, q = imported(FHIR / "lforms-group-under-question.R4.json")
    section = q.item("g1")
    assert (section.type, section.parent, section.label.get("en")) == ("info", "q1", "Sub Group")
    assert q.item("q2").parent == "g1"
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    assert shape(exported["item"]) == shape(source["item"])


def test_a_required_group_needs_one_answer_in_it():
    # As the SDC Cardiology form's "Service(s) Requested: select all that apply".
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "Symptoms", "item": [
        {"linkId": "page", "type": "group", "text": "Symptoms", "item": [
            {"linkId": "s", "type": "group", "text": "Which apply?", "required": True, "item": [
                {"linkId": "a", "type": "boolean", "text": "Fatigue"},
                {"linkId": "b", "type": "boolean", "text": "Numbness"}]},
            {"linkId": "c", "type": "string", "text": "Anything else?"}]},
        {"linkId": "more", "type": "group", "text": "More", "required": True, "item": [
            {"linkId": "d", "type": "string", "text": "Who referred you?"}]}]}
    result = questionnaire_from_fhir(resource, "symptoms.json")
    q = load_text(result.yaml_text, "symptoms.yaml")
    assert q.item("s").required and q.item("s").type == "info"
    step = q.step_of["a"]
    problems = Session(q, {}, today=TODAY).problems(step)
    assert [(p.path, p.code) for p in problems] == [("s", "required_section")]
    assert Session(q, {"b": "yes"}, today=TODAY).problems(step) == []
    assert "Which apply?" in result.yaml_text and "required: true" in result.yaml_text
    # A required group that is a step: its items are one required section.
    more = q.step("more")
    assert [(i.type, i.required) for i in more.items[:1]] == [("info", True)]
    assert Session(q, {}, today=TODAY).problems("more")[0].code == "required_section"


def test_responses_come_back_in_the_sources_shape():
    _, _, q = imported(FHIR / "lforms-group-under-question.R4.json")
    answers = {"q1": "parent", "q2": "child"}
    context = ResponseContext(submission_id=1, status="submitted", lang="en", authored="2026-11-23T10:00:00Z",
                              today=TODAY)
    response = questionnaire_response(q, answers, context)
    validate_fhir(response)
    assert response["item"] == [{"linkId": "q1", "text": "Parent Question", "answer": [{
        "valueString": "parent", "item": [{"linkId": "g1", "text": "Sub Group", "item": [
            {"linkId": "q2", "text": "Child Question in a group that is under a question",
             "answer": [{"valueString": "child"}]}]}]}]}]
    assert read_response(q, response).answers == answers


def shape(items: list[dict[str, Any]]) -> list[Any]:
    """linkIds and how they nest, help texts aside."""
    return [(i["linkId"], shape(i.get("item") or [])) for i in items if not i["linkId"].endswith("/help")]


def outline(items: list[dict[str, Any]], depth: int = 0,
            found: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """Each item by linkId (the first, when a source repeats one): its depth, type,
    options, enableWhen conditions (with enableBehavior when there are several) and
    required, and how many items have that linkId."""
    found = {} if found is None else found
    for item in items:
        options = []
        for option in item.get("answerOption") or []:
            value = next(v for k, v in option.items() if k.startswith("value"))
            options.append(value.get("code") if isinstance(value, dict) else value)
        conditions = [condition(c) for c in item.get("enableWhen") or []]
        seen = found.setdefault(item["linkId"], {
            "depth": depth, "options": options, "required": bool(item.get("required")), "count": 0,
            "enableWhen": conditions,
            # One condition means the same under "all" and "any".
            "enableBehavior": item.get("enableBehavior", "all") if len(conditions) > 1 else None})
        seen["count"] += 1
        outline(item.get("item") or [], depth + 1, found)
    return found


Condition = tuple[str, str, str, Any]  # question, operator, answer[x], value (a Coding or Quantity: a tuple)


def condition(when: dict[str, Any]) -> Condition:
    key, value = next((k, v) for k, v in when.items() if k.startswith("answer"))
    if isinstance(value, dict):  # a Coding (display aside) or a Quantity
        value = (value.get("system"), value.get("code"), value.get("value"), value.get("unit"))
    return when["question"], when["operator"], key, value


def enable_when_notes(notes: list[str], link_id: str) -> list[str]:
    """The notes about this item's enableWhen, as the converter words them."""
    return [n for n in notes if re.match(rf"enableWhen of {re.escape(link_id)}[ :]", n)]


def unexplained_conditions(link_id: str, was: dict[str, Any], now: dict[str, Any], notes: list[str],
                           ids: dict[str, str]) -> list[str]:
    """The enableWhen differences of one item that no note explains. A source condition
    missing from the export needs a note on this item's enableWhen that names it by its
    question (linkId or converted id), operator or answer, and says it was left out; or one
    that says how its answer was read, matched by that very condition in the export. A
    condition the export has and the source has not needs such a note too."""
    said = enable_when_notes(notes, link_id)
    lost = [c for c in was["enableWhen"] if c not in now["enableWhen"]]
    added = [c for c in now["enableWhen"] if c not in was["enableWhen"]]
    problems, left_out = [], False
    for question, operator, key, value in lost:
        shown = json.dumps(value if not isinstance(value, tuple) else value[1])
        specifics = [f'"{question}"', f" {question} ", f"item {ids.get(question, question)})",
                     f"({operator} ", f"{key} {shown}"]
        about = [n for n in said if any(s in n for s in specifics)]
        read_as = [re.search(r'read as its option with code (".*?")', n) for n in about]
        replaced = [(question, operator, "answerCoding", (None, json.loads(m.group(1)), None, None))
                    for m in read_as if m]
        if any(r in added for r in replaced):
            added = [a for a in added if a not in replaced]
        elif any("left out" in n for n in about):
            left_out = True
        else:
            problems.append(f"{link_id}: enableWhen {question} {operator} {key} {shown} lost without a note")
    problems += [f"{link_id}: enableWhen {c} added without a note" for c in added]
    if now["enableBehavior"] != was["enableBehavior"] and not left_out:  # fewer conditions: may differ
        problems.append(f"{link_id}: enableBehavior {was['enableBehavior']} became {now['enableBehavior']}")
    return problems


@pytest.mark.parametrize("path", PUBLIC, ids=lambda p: p.stem)
def test_fidelity_every_fixture_keeps_its_items_options_conditions_and_required(path):
    """Between each public source and its conversion exported again: the same linkIds at
    the same depth, the same options and required, except what the conversion listed as
    not carried over (each such linkId is named in a note); the same enableWhen conditions
    (question, operator and answer) and enableBehavior, except a condition that a note on
    that item's enableWhen says was left out or read otherwise (unexplained_conditions)."""
    source, result, q = imported(path)
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    notes = "\n".join(result.notes)
    before = {k: v for k, v in outline(source["item"]).items() if not k.endswith("/help")}
    after = outline(exported["item"])
    offset = 1 if exported["item"] and exported["item"][0]["linkId"].startswith("step:") else 0
    ids = {item.attrs.get("fhir_link_id", item.id): item.id for item in q.all_items()}
    unexplained: list[str] = []
    for link_id, was in before.items():
        if was["count"] > 1:  # FHIR que-2 broken by the source: said, and the first keeps it
            assert f"linkId {link_id} is used by {was['count']} items" in notes, link_id
        if link_id not in after:
            assert link_id in notes, f"{link_id} was lost without a note"
            continue
        now = after[link_id]
        assert now["depth"] - offset == was["depth"] or link_id in notes, link_id
        if was["options"]:
            assert [str(o) for o in now["options"]] == [str(o) for o in was["options"]] \
                or link_id in notes, link_id
        assert now["required"] == was["required"] or link_id in notes, link_id
        unexplained += unexplained_conditions(link_id, was, now, result.notes, ids)
    assert unexplained == []


def test_options_on_string_integer_date_and_time_items_are_choices_keeping_the_source_values():
    """R4 allows answerOption on these types (the SDC Cardiology form's check boxes are
    string items with one option); they were dropped, so a follower showed only if the
    exact option text was typed."""
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "Options", "item": [
        {"linkId": "box", "type": "string", "text": "Send copies", "repeats": True,
         "answerOption": [{"valueString": "Send copies of reports to additional providers"}]},
        {"linkId": "names", "type": "string", "text": "Name(s)",
         "enableWhen": [{"question": "box", "operator": "=",
                         "answerString": "Send copies of reports to additional providers"}]},
        {"linkId": "n", "type": "integer", "text": "How many", "answerOption": [{"valueInteger": 1},
                                                                               {"valueInteger": 2}]},
        {"linkId": "d", "type": "date", "text": "Which day", "answerOption": [{"valueDate": "2026-01-05"}]},
        {"linkId": "t", "type": "time", "text": "What time", "answerOption": [{"valueTime": "09:30:00"},
                                                                            {"valueTime": "14:00:00"}]}]}
    result = questionnaire_from_fhir(resource, "options.json")
    q = load_text(result.yaml_text, "options.yaml")
    assert [(q.item(i).type, len(q.item(i).choices)) for i in ("box", "n", "d", "t")] == [
        ("multi_choice", 1), ("single_choice", 2), ("single_choice", 1), ("single_choice", 2)]
    assert dict(q.item("t").choices[0].attrs) == {"fhir_time": "09:30:00"}
    code = q.item("box").choices[0].code
    assert q.item("names").shown_when.text == f'has(box, "{code}")'
    assert Session(q, {"box": [code]}, today=TODAY).is_applicable("names")
    assert not any("box" in note or "left out" in note for note in result.notes)
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    items = {i["linkId"]: i for i in exported["item"]}
    assert items["box"]["type"] == "string" and items["t"]["type"] == "time"
    assert items["t"]["answerOption"][1]["valueTime"] == "14:00:00"
    context = ResponseContext(submission_id=1, status="submitted", lang="en", authored="2026-11-23T10:00:00Z",
                              today=TODAY)
    answers = {"box": [code], "names": "Dr Who", "n": q.item("n").choices[1].code,
               "t": q.item("t").choices[0].code}
    response = questionnaire_response(q, answers, context)
    validate_fhir(response)
    given = {i["linkId"]: i["answer"][0] for i in response["item"]}
    assert given["box"] == {"valueString": "Send copies of reports to additional providers"}
    assert given["n"] == {"valueInteger": 2} and given["t"] == {"valueTime": "09:30:00"}
    assert read_response(q, response).answers == answers


def test_duplicate_and_case_colliding_codes_are_kept_and_said():
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "Codes", "item": [
        {"linkId": "x", "type": "choice", "text": "Pick", "answerOption": [
            {"valueCoding": {"code": "LA29519-8", "display": "One"}},
            {"valueCoding": {"code": "la29519-8", "display": "Two"}},
            {"valueCoding": {"system": "http://other", "code": "LA29519-8", "display": "Three"}}]}]}
    result = questionnaire_from_fhir(resource, "codes.json")
    q = load_text(result.yaml_text, "codes.yaml")
    choices = q.item("x").choices
    assert len({c.code for c in choices}) == 3
    assert [c.attrs["fhir_code"] for c in choices] == ["LA29519-8", "la29519-8", "LA29519-8"]
    notes = "\n".join(result.notes)
    assert 'option "la29519-8" of x is `la29519_8_2`' in notes
    assert 'option "LA29519-8" of x is `la29519_8_3`' in notes


@pytest.mark.parametrize("path", PUBLIC, ids=lambda p: p.stem)
def test_responses_to_every_fixture_round_trip(path):
    """Random answers to each converted public questionnaire: exported as a response (in
    the source's shape) and read back, the same answers."""
    import random

    from tests.core.random_answers import random_answers

    _, _, q = imported(path)
    rng = random.Random(3)
    context = ResponseContext(submission_id=1, status="submitted", lang=q.languages[0],
                              authored="2026-11-23T10:00:00Z", today=TODAY)
    for _ in range(20):
        session = Session(q, random_answers(q, rng, TODAY), today=TODAY)
        kept = {p: v for p, v in session.answers.items() if session.is_applicable(p)}
        response = questionnaire_response(q, kept, context)
        validate_fhir(response)
        assert read_response(q, response).answers == kept


def test_a_repeated_link_id_stays_on_the_first_item_and_is_said():
    """The SDC "Enable When" test form repeats linkIds (FHIR que-2 forbids it): the export
    had the same linkId twice, so a response could not say which item it answered."""
    _, result, q = imported(FHIR / "sdc-questionnaire-test-enablewhen.json")
    notes = "\n".join(result.notes)
    assert ("linkId e5da17a7-7546-45c5-9bcd-d0b09a74cc14 is used by 2 items (FHIR requires unique "
            "linkIds): the first converted keeps it, the others are exported as "
            "`e5da17a7_7546_45c5_9bcd_d0b09a74cc14_2`") in notes
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)  # que-2 holds again
    first, second = (i for i in q.all_items() if i.id.startswith("e5da17a7"))
    assert first.attrs["fhir_link_id"] == "e5da17a7-7546-45c5-9bcd-d0b09a74cc14"
    assert "fhir_link_id" not in second.attrs
    assert second.shown_when.text == 's1_radio = "2"'  # each keeps its own condition


def test_a_lone_fhir_not_equal_comes_back_as_it_was():
    """Imported as `(not answered(x) or x != "7")`, it was exported only in our extension,
    so the source system saw the group without its condition."""
    _, _, q = imported(FHIR / "sdc-questionnaire-test-enablewhen.json")
    exported = questionnaire_to_fhir(q)
    group = next(i for i in _all(exported["item"]) if i["linkId"] == "65578509-21ae-4a48-3f56-aswtysn1238")
    assert group["enableWhen"] == [{"question": "5e1209b7-c9e0-4bf4-b228-fr096s903m25", "operator": "!=",
                                    "answerCoding": {"code": "7"}}]
    assert "enableBehavior" not in group
    again = load_text(questionnaire_from_fhir(exported, "again.json").yaml_text, "again.yaml")
    assert again.item("q_65578509_21ae_4a48_3f56_aswtysn1238").shown_when.text == \
        q.item("q_65578509_21ae_4a48_3f56_aswtysn1238").shown_when.text


def _all(items: list[dict[str, Any]]):
    for item in items:
        yield item
        yield from _all(item.get("item") or [])


def test_the_fidelity_check_excuses_an_enable_when_only_by_a_note_on_it():
    """The rule itself: a note naming the item elsewhere excuses nothing; a note on its
    enableWhen that names the condition and says it was left out does."""
    was = outline([{"linkId": "q", "type": "boolean"}, {"linkId": "f", "type": "string", "enableWhen": [
        {"question": "q", "operator": "=", "answerBoolean": True}]}])["f"]
    changed = {**was, "enableWhen": [("q", "!=", "answerBoolean", True)]}
    dropped = {**was, "enableWhen": []}
    elsewhere = ["item f (`string`) converted to a text item"]
    assert unexplained_conditions("f", was, changed, elsewhere, {}) == [
        "f: enableWhen q = answerBoolean true lost without a note",
        "f: enableWhen ('q', '!=', 'answerBoolean', True) added without a note"]
    assert unexplained_conditions("f", was, dropped, elsewhere, {}) != []
    said = ['enableWhen of f cannot be converted (enableWhen refers to "q", which is not a converted item '
            "in reach); that condition is left out, so the item shows more often"]
    assert unexplained_conditions("f", was, dropped, said, {}) == []
    assert unexplained_conditions("f", was, dropped, [said[0].replace("of f ", "of f2 ")], {}) != []


# ---------------------------------------------------------------- inside a repeating group's rows

MEDS = FHIR / "ours-medications-repeating-structure.json"  # written for this project (README)
ROW = {"med[0]": True, "med[0].med_name": "Interferon beta", "med[0].med_side_effects": "yes",
       "med[0].med_side_effects_which": "Flu-like symptoms", "med[0].med_route": "injection",
       "med[0].med_route_site_belly": "yes",
       "med[1]": True, "med[1].med_name": "Fampridine", "med[1].med_dose_amount": 10.0,
       "med[1].med_dose_unit": "mg", "med[1].med_route": "oral"}


def test_in_a_repeating_group_nested_groups_are_sections_and_items_under_a_question_follow_ups():
    """They were flattened into the row (a group) or left out (items under a question)."""
    _, result, q = imported(MEDS)
    group = q.item("med")
    assert [(f.attrs["fhir_link_id"], f.type, f.parent) for f in group.items] == [
        ("med.name", "text", None),
        ("med.dose", "info", None), ("med.dose.amount", "decimal", "med_dose"),
        ("med.dose.unit", "single_choice", "med_dose"),
        ("med.side-effects", "yes_no", None),
        ("med.side-effects.which", "long_text", "med_side_effects"),
        ("med.side-effects.note", "text", "med_side_effects"),
        ("med.route", "single_choice", None),
        ("med.route.site", "info", "med_route"),
        ("med.route.site.thigh", "yes_no", "med_route_site"),
        ("med.route.site.belly", "yes_no", "med_route_site")]
    assert group.field("med_route_site").required
    assert group.field("med_route_site").shown_when.text == 'med_route = "injection"'
    assert not any("flattened" in n or "left out" in n or "med." in n for n in result.notes), result.notes
    session = Session(q, {"med[0]": True}, today=TODAY)
    assert [f.id for f in session.visible_fields("med", 0)] == [
        "med_name", "med_dose", "med_dose_amount", "med_dose_unit", "med_side_effects", "med_route"]
    session = Session(q, {"med[0]": True, "med[0].med_side_effects": "no", "med[0].med_route": "injection",
                          "med[1]": True, "med[1].med_route": "oral"}, today=TODAY)
    shown = [f.id for f in session.visible_fields("med", 0)]
    assert "med_side_effects_note" in shown and "med_side_effects_which" not in shown  # its own enableWhen
    assert {"med_route_site", "med_route_site_thigh"} <= set(shown)
    assert "med_route_site" not in [f.id for f in session.visible_fields("med", 1)]  # each row its own
    # The required section asks for one answer in its own row, and only where it shows.
    problems = [(p.path, p.code) for p in session.problems("meds") if p.code == "required_section"]
    assert problems == [("med[0].med_route_site", "required_section")]
    session.set_answer("med[0].med_route_site_thigh", "yes")
    assert not [p for p in session.problems("meds") if p.code == "required_section"]
    # A follow-up's answer is kept but does not apply once its question is cleared.
    session.set_answer("med[0].med_side_effects", None)
    session.set_answer("med[0].med_side_effects_note", "fine")
    assert not session.is_applicable("med[0].med_side_effects_note")
    assert "med[0].med_side_effects_note" in session.not_applicable()


def test_rows_round_trip_in_the_sources_shape():
    source, _, q = imported(MEDS)
    exported = questionnaire_to_fhir(q)
    validate_fhir(exported)
    assert shape(exported["item"][0]["item"]) == shape(source["item"][0]["item"])
    context = ResponseContext(submission_id=1, status="submitted", lang="en", authored="2026-11-23T10:00:00Z",
                              today=TODAY)
    response = questionnaire_response(q, ROW, context)
    validate_fhir(response)
    check_against_questionnaire(response, source)
    first, second = response["item"][0]["item"]
    assert first == {"linkId": "med", "text": "Medication", "item": [
        {"linkId": "med.name", "text": "Name of the medication",
         "answer": [{"valueString": "Interferon beta"}]},
        {"linkId": "med.side-effects", "text": "Have you had side effects from it?", "answer": [{
            "valueBoolean": True, "item": [{"linkId": "med.side-effects.which", "text": "Which side effects?",
                                            "answer": [{"valueString": "Flu-like symptoms"}]}]}]},
        {"linkId": "med.route", "text": "How do you take it?", "answer": [{
            "valueCoding": {"system": "http://example.org/fhir/CodeSystem/route", "code": "injection",
                            "display": "Injection"},
            "item": [{"linkId": "med.route.site", "text": "Where do you inject it? (choose at least one)",
                      "item": [{"linkId": "med.route.site.belly", "text": "Belly",
                                "answer": [{"valueBoolean": True}]}]}]}]}]}
    assert second["item"][1] == {"linkId": "med.dose", "text": "Dose", "item": [
        {"linkId": "med.dose.amount", "text": "Amount", "answer": [{"valueDecimal": 10.0}]},
        {"linkId": "med.dose.unit", "text": "Unit", "answer": [
            {"valueCoding": {"system": "http://unitsofmeasure.org", "code": "mg", "display": "mg"}}]}]}
    assert read_response(q, response).answers == ROW


def test_our_own_export_of_rows_with_sections_and_follow_ups_comes_back_the_same():
    _, _, q = imported(MEDS)
    again = load_text(questionnaire_from_fhir(questionnaire_to_fhir(q), "again.json").yaml_text, "again.yaml")
    was, now = q.item("med"), again.item("med")
    assert [(f.id, f.type, f.parent, f.required, dict(f.attrs)) for f in now.items] == \
        [(f.id, f.type, f.parent, f.required, dict(f.attrs)) for f in was.items]
    assert [f.shown_when.text if f.shown_when else None for f in now.items] == \
        [f.shown_when.text if f.shown_when else None for f in was.items]


def test_a_repeating_group_in_a_repeating_group_is_left_out_and_said():
    resource = {"resourceType": "Questionnaire", "status": "active", "title": "Doses", "item": [
        {"linkId": "med", "type": "group", "text": "Medication", "repeats": True, "item": [
            {"linkId": "name", "type": "string", "text": "Name"},
            {"linkId": "dose", "type": "group", "text": "Dose", "repeats": True, "item": [
                {"linkId": "when", "type": "date", "text": "When"}]}]}]}
    result = questionnaire_from_fhir(resource, "doses.json")
    q = load_text(result.yaml_text, "doses.yaml")
    assert [f.id for f in q.item("med").items] == ["name"]
    assert "repeating group dose inside another repeating group is not supported and was left out" in \
        result.notes


def test_rows_export_to_csv_and_redcap_with_follow_ups_and_their_logic(store, db_path, tmp_path):
    from screening_app.cli import main
    from screening_app.interop.redcap import RedcapProject

    _, _, q = imported(MEDS)
    answers = {**ROW, "med[1].med_side_effects_which": "kept, not applicable"}  # its question unanswered
    result = store.import_submission(q, answers, "tester", today=TODAY, allow_duplicate=True)
    assert result.status == "submitted", result.problems
    store.close()
    assert main(["export", "--all", "--format", "csv", "--out", str(tmp_path / "s.csv"),
                 "--questionnaire", q.id, "--db", str(db_path)]) == 0
    with open(tmp_path / "s_med.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "med_dose" not in rows[0] and "med_route_site" not in rows[0]  # headings carry no answer
    assert [(r["med_name"], r["med_side_effects_which"], r["med_route_site_belly"], r["med_dose_unit"])
            for r in rows] == [("Interferon beta", "Flu-like symptoms", "yes", ""),
                               ("Fampridine", "", "", "mg")]
    assert main(["export", "--all", "--format", "redcap", "--out", str(tmp_path / "r"),
                 "--questionnaire", q.id, "--db", str(db_path)]) == 0
    fields = {f.name: f for form in RedcapProject(q).forms for f in form.fields}
    assert fields["med_side_effects_which"].logic == \
        "([med_side_effects] <> '') and ([med_side_effects] = '1')"
    assert fields["med_route_site_thigh"].logic == "([med_route] <> '') and ([med_route] = 'injection')"
    assert fields["med_route_site"].kind == "descriptive"
    with open(tmp_path / "r_data.csv", encoding="utf-8", newline="") as handle:
        data = list(csv.DictReader(handle))
    repeated = [r for r in data if r["redcap_repeat_instrument"]]
    assert [(r["med_side_effects_which"], r["med_route_site_belly"]) for r in repeated] == [
        ("Flu-like symptoms", "1"), ("", "")]
