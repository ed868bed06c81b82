"""Definition <-> FHIR R4 Questionnaire: export, round trip, import of foreign questionnaires."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from screening_app.cli import main
from screening_app.engine.definition import Item, Questionnaire
from screening_app.engine.loader import load_questionnaire, load_text
from screening_app.engine.session import Session
from screening_app.interop import fhir_common as fc
from screening_app.interop.fhir_import import FhirImportError
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir
from screening_app.resources import RESOURCES
from screening_app.version import app_version
from tests.interop.helpers import FIXTURES, TODAY, complete_answers, shipped, validate_fhir, walk

PHQ9_JSON = FIXTURES / "fhir" / "lforms-phq9-r4.json"
PHQ9_YAML = FIXTURES / "fhir" / "phq-9.yaml"
PHQ9_NOTE = FIXTURES / "fhir" / "lforms-phq9-r4.source.txt"
CODE = "urn:msc-screening:questionnaire:msc-ms-onboarding:"


@pytest.fixture(scope="module")
def exported() -> dict[str, Any]:
    return questionnaire_to_fhir(shipped())


def by_link_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in walk(resource["item"])}


def round_trip(q: Questionnaire) -> Questionnaire:
    resource = questionnaire_to_fhir(q)
    validate_fhir(resource)
    imported = questionnaire_from_fhir(resource, "round trip")
    assert imported.notes == []
    return load_text(imported.yaml_text, "round-trip.yaml")


# ---------------------------------------------------------------- export


def test_the_shipped_questionnaire_exports_as_valid_fhir_r4(exported):
    validate_fhir(exported)
    assert exported["url"] == "urn:msc-screening:questionnaire:msc-ms-onboarding"
    assert (exported["version"], exported["status"], exported["language"]) == ("1.0.0", "active", "en")
    steps = [item["linkId"] for item in exported["item"]]
    assert steps == [f"step:{step.id}" for step in shipped().steps]
    items = by_link_id(exported)
    assert set(shipped().items_by_id) <= set(items)  # linkId = item id


def test_types_options_required_and_repeats(exported):
    items = by_link_id(exported)
    assert {k: items[k]["type"] for k in ("first_name", "current_medications", "diagnosis_year",
                                          "edss_score", "edss_date", "ms_type", "treatments",
                                          "consent_contact", "signature", "review_notice")} == {
        "first_name": "string", "current_medications": "text", "diagnosis_year": "integer",
        "edss_score": "decimal", "edss_date": "date", "ms_type": "choice", "treatments": "group",
        "consent_contact": "boolean", "signature": "attachment", "review_notice": "display"}
    assert items["first_name"]["required"] is True and items["first_name"]["maxLength"] == 100
    assert items["prior_cell_therapy"]["repeats"] is True and "repeats" not in items["ms_type"]
    assert items["treatments"]["repeats"] is True and items["treatments"]["required"] is True
    codes = [o["valueCoding"]["code"] for o in items["ms_type"]["answerOption"]]
    assert codes == ["rrms", "spms", "ppms", "cis", "not_sure"]
    coding = items["ms_type"]["answerOption"][0]["valueCoding"]
    assert coding["system"] == CODE + "ms_type" and coding["version"] == "1.0.0"
    assert coding["_display"]["extension"][0]["extension"][0] == {"url": "lang", "valueCode": "es"}
    none = items["prior_cell_therapy"]["answerOption"][-1]
    assert none["extension"] == [{"url": fc.OPTION_EXCLUSIVE, "valueBoolean": True}]
    drug = items["treatments.drug"]["answerOption"][0]["valueCoding"]
    assert drug["system"] == CODE + "treatments.drug"
    assert {"url": fc.MAX_VALUE, "valueDecimal": 10} in items["edss_score"]["extension"]
    assert items["preferred_name/help"]["type"] == "display"
    spanish = items["first_name"]["_text"]["extension"][0]["extension"]
    assert spanish == [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Nombre"}]


def test_branching_becomes_enable_when_where_it_means_the_same(exported):
    items = by_link_id(exported)
    assert items["ms_type"]["enableWhen"] == [{"question": "ms_diagnosed", "operator": "=", "answerCoding": {
        "system": CODE + "ms_diagnosed", "version": "1.0.0", "code": "yes"}}]
    assert "enableBehavior" not in items["ms_type"]
    assert items["neurologist_phone"]["enableWhen"] == [
        {"question": "neurologist_name", "operator": "exists", "answerBoolean": True}]
    assert items["last_relapse_date"]["enableWhen"] == [
        {"question": "relapses_24_months", "operator": ">", "answerInteger": 0}]
    # FHIR's != is true for an unanswered question; the app's is not: both conditions, "all".
    assert [c["operator"] for c in items["contraception"]["enableWhen"]] == ["exists", "!="]
    assert items["contraception"]["enableBehavior"] == "all"
    # A group field's condition on a sibling field names the field's linkId.
    assert items["treatments.drug_other"]["enableWhen"][0]["question"] == "treatments.drug"


def test_conditions_on_some_codes_are_spelled_out_and_keep_their_expression(exported):
    items = by_link_id(exported)
    walking = items["walking_distance"]
    assert walking["enableWhen"] == [
        {"question": "mobility_level", "operator": "exists", "answerBoolean": True},
        {"question": "mobility_level", "operator": "!=",
         "answerCoding": {"system": CODE + "mobility_level", "version": "1.0.0", "code": "7"}}]
    assert walking["enableBehavior"] == "all"
    assert {"url": fc.EXT_SHOWN_WHEN, "valueString": "mobility_level < 7"} in walking["extension"]
    reaction = items["treatments.infusion_reaction"]
    infusions = [c.code for c in shipped().item("treatments").field("drug").choices
                 if c.attrs.get("route") == "infusion"]
    assert infusions == ["natalizumab", "ocrelizumab", "ublituximab", "rituximab", "alemtuzumab",
                         "mitoxantrone", "cyclophosphamide"]
    assert reaction["enableWhen"] == [
        {"question": "treatments.drug", "operator": "=", "answerCoding": {
            "system": CODE + "treatments.drug", "version": "1.0.0", "code": code}} for code in infusions]
    assert reaction["enableBehavior"] == "any"
    assert {"url": fc.EXT_SHOWN_WHEN, "valueString": 'attr(drug, "route") = "infusion"'} \
        in reaction["extension"]


@pytest.mark.parametrize("link_id, expression", [
    ("pml_history", 'any(treatments, drug = "natalizumab")'),
    ("step:pregnancy", 'sex_at_birth = "female" and age < 60'),     # a computed value
])
def test_branching_that_enable_when_cannot_say_is_kept_as_the_expression(exported, link_id, expression):
    item = by_link_id(exported)[link_id]
    assert "enableWhen" not in item
    assert {"url": fc.EXT_SHOWN_WHEN, "valueString": expression} in item["extension"]


# ---------------------------------------------------------------- round trip


def describe_item(item: Item) -> tuple:
    return (item.id, item.type, dict(item.label.translations),
            item.help and dict(item.help.translations), item.required,
            item.shown_when and item.shown_when.tree,
            tuple((c.code, dict(c.label.translations), c.exclusive, dict(c.attrs)) for c in item.choices),
            item.ordinal, item.min, item.max, item.step, item.max_length, item.pattern,
            item.pattern_message and dict(item.pattern_message.translations), item.precision,
            item.not_future, item.prefill and item.prefill.text, item.row_label,
            tuple((c.id, c.severity, c.when.tree, dict(c.message.translations)) for c in item.checks),
            tuple(describe_item(sub) for sub in item.items), dict(item.attrs), item.identifier)


def describe(q: Questionnaire) -> tuple:
    return (q.id, q.version, q.languages, dict(q.title.translations), dict(q.attrs),
            q.description and dict(q.description.translations), q.estimated_minutes,
            tuple((p.id, p.value, dict(p.label.translations)) for p in q.parameters.values()),
            tuple((c.id, c.type, c.expr.tree, dict(c.label.translations)) for c in q.computed.values()),
            tuple((r.id, r.kind, r.severity, r.when.tree, dict(r.criterion.translations))
                  for r in q.rules),
            tuple((s.id, dict(s.title.translations), s.intro and dict(s.intro.translations),
                   s.shown_when and s.shown_when.tree, tuple(describe_item(i) for i in s.items),
                   dict(s.attrs))
                  for s in q.steps))


@pytest.mark.parametrize("path", sorted((RESOURCES / "questionnaires").glob("*.yaml")), ids=lambda p: p.name)
def test_round_trip_keeps_every_item_type_choice_and_condition(path: Path):
    original = load_questionnaire(path)
    again = round_trip(original)
    assert describe(again) == describe(original)
    # ... and exporting the imported definition gives the very same resource.
    assert questionnaire_to_fhir(again) == questionnaire_to_fhir(original)


@pytest.mark.parametrize("changes", [
    {},
    {"ms_diagnosed": "no", "sex_at_birth": "male"},
    {"ms_type": "spms", "spms_conversion_year": 2020, "pregnant": "yes", "mobility_level": "7"},
    {"csf_tested": "no", "neurologist_name": None, "ever_treated": "no", "mri_last_date": None},
    {"treatments": [{"drug": "natalizumab", "still_taking": "yes"}], "relapses_24_months": 0},
])
def test_round_trip_shows_the_same_items_for_the_same_answers(changes):
    answers = complete_answers(**changes)
    before = Session(shipped(), answers, today=TODAY)
    after = Session(round_trip(shipped()), answers, today=TODAY)
    paths = sorted(set(answers) | set(shipped().items_by_id))
    assert [after.is_applicable(p) for p in paths] == [before.is_applicable(p) for p in paths]
    assert [f.rule for f in after.flags()] == [f.rule for f in before.flags()]


def test_cli_export_definition_then_import_definition(tmp_path: Path, capsys):
    json_path, yaml_path = tmp_path / "q.json", tmp_path / "q.yaml"
    assert main(["export-definition", "--format", "fhir", "--out", str(json_path)]) == 0
    resource = json.loads(json_path.read_text(encoding="utf-8"))
    validate_fhir(resource)
    assert resource["meta"]["tag"] == [{"system": "urn:msc-screening:app-version",
                                        "code": app_version(), "display": f"msc-screening {app_version()}"}]
    assert main(["import-definition", str(json_path), "--out", str(yaml_path)]) == 0
    out = capsys.readouterr().out
    assert "OK msc-ms-onboarding 1.0.0: 10 steps" in out
    assert "meta" not in out  # the app's own version tag is not reported as left out
    assert main(["check-definition", str(yaml_path)]) == 0


def test_cli_import_definition_refuses_what_is_not_a_questionnaire(tmp_path: Path, capsys):
    path = tmp_path / "patient.json"
    path.write_text(json.dumps({"resourceType": "Patient"}), encoding="utf-8")
    assert main(["import-definition", str(path), "--out", str(tmp_path / "x.yaml")]) == 2
    assert "not a FHIR Questionnaire" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()


# ---------------------------------------------------------------- import of public questionnaires


def test_the_public_phq9_converts_and_loads():
    resource = json.loads(PHQ9_JSON.read_text(encoding="utf-8"))
    # The published file is not strictly R4: its FHIRPath variable names (`q1_value`) are not
    # valid `id`s. The converter reads it anyway (the calculated item is left out).
    with pytest.raises(ValidationError, match="valueExpression -> name"):
        validate_fhir(resource)
    imported = questionnaire_from_fhir(resource, PHQ9_JSON.name)
    q = load_text(imported.yaml_text, "phq-9.yaml")
    assert q.languages == ("en",)
    # The panel's code and identifier are kept (as the definition's attrs), not dropped.
    assert dict(q.attrs) == {"fhir_code": "44249-1", "fhir_system": "http://loinc.org",
                             "fhir_identifier_system": "http://loinc.org", "fhir_identifier_value": "44249-1"}
    assert dict(q.steps[0].attrs) == {"fhir_top_level": "true"}  # no group in the source
    items = list(q.all_items())
    assert len(items) == 10  # 9 problems + difficulty; the calculated total score is left out
    first = items[0]
    assert (first.id, first.type, first.required) == ("q_44250_9", "single_choice", True)
    assert first.label.get("en") == "Little interest or pleasure in doing things?"
    assert [c.code for c in first.choices] == ["la6568_5", "la6569_3", "la6570_1", "la6571_9"]
    assert dict(first.choices[3].attrs) == {"fhir_code": "LA6571-9", "ordinal_value": "3"}
    assert dict(first.attrs) == {"fhir_link_id": "/44250-9", "fhir_code": "44250-9",
                                 "fhir_system": "http://loinc.org"}
    assert items[8].required is False  # item 9 is optional in the source
    notes = "\n".join(imported.notes)
    assert "/44261-6" in notes and "calculated" in notes
    assert "questionnaire-minOccurs" in notes and "questionnaire-optionPrefix" in notes
    for element in ('Questionnaire.meta.profile (["http://hl7.org/fhir/uv/sdc/StructureDefinition/'
                    'sdc-questionnaire|2.7"]) is not kept', 'Questionnaire.status ("draft") is not kept',
                    'Questionnaire.meta.tag', 'Questionnaire.subjectType (["Patient", "Person"])'):
        assert element in notes
    assert all(f"  - {note}" in imported.yaml_text for note in imported.notes)


def test_the_shipped_phq9_files_are_the_converter_output(tmp_path: Path, capsys):
    """Both copies are what `import-definition ... --source-note` writes, and their header
    names the upstream file, its commit and the notices its content comes with."""
    out = tmp_path / "phq-9.yaml"
    assert main(["import-definition", str(PHQ9_JSON), "--source-note", str(PHQ9_NOTE),
                 "--out", str(out)]) == 0
    capsys.readouterr()
    expected = out.read_text(encoding="utf-8")
    header = expected.split("\n\n")[0]
    for needed in ("https://github.com/lhncbc/lforms-fhir-app/blob/00585d0ce7d77751010a7dcc81684a32ae95ad99/"
                   "e2e-tests/data/R4/phq9.json", "commit 00585d0ce7d77751010a7dcc81684a32ae95ad99",
                   "Regenstrief Institute", "https://loinc.org/license/", "Spitzer",
                   "No permission required to reproduce, translate, display or"):
        assert needed in header
    assert PHQ9_YAML.read_text(encoding="utf-8") == expected
    shipped_copy = RESOURCES / "questionnaires" / "phq-9.yaml"
    assert shipped_copy.read_text(encoding="utf-8") == expected
    assert load_questionnaire(shipped_copy).id == "phq-9-quick-depression-assessment-panel"


def choice(code: str, display: str, system: str = "http://example.org/cs") -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code, "display": display}}


FOREIGN = {
    "resourceType": "Questionnaire",
    "language": "es-MX",
    "url": "http://example.org/Questionnaire/foreign",
    "version": "2",
    "title": "Cuestionario",
    "_title": {"extension": [fc.translation("en", "Questionnaire")]},
    "status": "active",
    "contained": [{"resourceType": "ValueSet", "id": "yn", "status": "active", "compose": {"include": [
        {"system": "http://example.org/yn", "concept": [{"code": "Y", "display": "Sí"},
                                                         {"code": "N", "display": "No"}]}]}}],
    "item": [
        {"linkId": "g1", "type": "group", "text": "Parte 1", "item": [
            {"linkId": "smoker", "type": "choice", "text": "¿Fuma?", "answerValueSet": "#yn",
             "required": True},
            {"linkId": "packs", "type": "integer", "text": "Paquetes al día",
             "enableWhen": [{"question": "smoker", "operator": "=",
                             "answerCoding": {"system": "http://example.org/yn", "code": "Y"}}]},
            {"linkId": "quit", "type": "boolean", "text": "¿Lo dejó?",
             "enableWhen": [{"question": "smoker", "operator": "!=",
                             "answerCoding": {"system": "http://example.org/yn", "code": "Y"}}]},
            {"linkId": "why", "type": "string", "text": "¿Por qué?", "enableBehavior": "any",
             "enableWhen": [{"question": "quit", "operator": "=", "answerBoolean": True},
                            {"question": "packs", "operator": ">", "answerInteger": 2}]},
            {"linkId": "sub", "type": "group", "text": "Detalles",
             "enableWhen": [{"question": "smoker", "operator": "exists", "answerBoolean": True}],
             "item": [{"linkId": "since", "type": "date", "text": "¿Desde cuándo?",
                       "enableWhen": [{"question": "packs", "operator": ">",
                                       "answerDate": "2020-01-01"}]},
                      {"linkId": "brand", "type": "open-choice", "text": "Marca",
                       "answerOption": [choice("a-1", "Marca A"), choice("b.2", "Marca B")]}]},
            {"linkId": "when", "type": "time", "text": "Hora"},
            {"linkId": "drugs", "type": "choice", "text": "Fármacos", "answerValueSet": "http://x/vs"},
        ]},
        {"linkId": "meds", "type": "group", "repeats": True, "text": "Medicamentos", "item": [
            {"linkId": "med", "type": "string", "text": "Nombre", "required": True},
            {"linkId": "dose", "type": "choice", "text": "Dosis",
             "answerOption": [{"valueString": "Alta"}, {"valueString": "Baja"}],
             "enableWhen": [{"question": "med", "operator": "exists", "answerBoolean": True}]},
        ]},
    ],
}


def test_a_foreign_questionnaire_keeps_its_branching_and_lists_what_it_cannot_convert():
    imported = questionnaire_from_fhir(FOREIGN, "foreign.json")
    q = load_text(imported.yaml_text, "foreign.yaml")
    assert q.languages == ("es",)  # the English translation covers only the title
    assert [s.id for s in q.steps] == ["g1", "questions"]  # the repeating group gets a step
    assert q.item("smoker").type == "single_choice"
    assert [c.code for c in q.item("smoker").choices] == ["y", "n"]
    assert q.item("quit").type == "yes_no"
    shown = {item.id: item.shown_when.text for item in q.all_items() if item.shown_when}
    assert shown["packs"] == 'smoker = "y"'
    assert shown["quit"] == '(not answered(smoker) or smoker != "y")'  # FHIR != holds when unanswered
    assert shown["why"] == 'quit = "yes" or packs > 2'
    assert shown["sub"] == "answered(smoker)"                 # the nested group: a section
    assert q.item("brand").parent == q.item("since").parent == "sub"  # ... holding its items
    assert "brand" not in shown and "since" not in shown      # (since's date condition is not kept)
    assert q.item("meds").type == "group" and q.item("meds").field("dose").shown_when.text == "answered(med)"
    assert [c.code for c in q.item("meds").field("dose").choices] == ["alta", "baja"]
    assert q.item("drugs").type == "text"
    assert "when" not in q.items_by_id
    notes = "\n".join(imported.notes)
    for expected in ("`en` was left out",
                     "item when of type `time`", "answerValueSet http://x/vs",
                     "enableWhen of since cannot be converted", "item brand (`open-choice`)"):
        assert expected in notes

    session = Session(q, {}, today=TODAY)
    assert session.is_applicable("quit") and not session.is_applicable("packs")
    assert not session.is_applicable("brand")  # the section applies once smoker is answered
    session = Session(q, {"smoker": "y", "packs": 3}, today=TODAY)
    assert not session.is_applicable("quit") and session.is_applicable("why")
    assert session.is_applicable("brand")


def test_what_is_not_a_questionnaire_is_refused():
    with pytest.raises(FhirImportError):
        questionnaire_from_fhir({"resourceType": "Questionnaire", "item": []})
    with pytest.raises(FhirImportError):
        questionnaire_from_fhir([1, 2, 3])


XHTML = "http://hl7.org/fhir/StructureDefinition/rendering-xhtml"
ELEMENTS = {
    "resourceType": "Questionnaire", "status": "active", "title": "Panel", "url": "http://example.org/q",
    "meta": {"profile": ["http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire|2.7"]},
    "identifier": [{"system": "http://loinc.org", "value": "44249-1"}, {"value": "second"}],
    "code": [{"system": "http://loinc.org", "code": "44249-1", "display": "PHQ-9 panel"}],
    "_title": {"extension": [{"url": XHTML, "valueString": "<b>Panel</b>"}]},
    "purpose": "Screening",
    "contained": [{"resourceType": "Patient", "id": "p"}],
    "item": [{"linkId": "/1", "type": "choice", "text": "Mood", "_text": {
        "extension": [{"url": XHTML, "valueString": "<i>Mood</i>"}]},
        "code": [{"system": "http://loinc.org", "code": "44250-9"}, {"code": "x"}],
        "_linkId": {"id": "l"}, "modifierExtension": [{"url": "http://example.org/m", "valueBoolean": True}],
        "answerOption": [{"valueCoding": {"system": "http://loinc.org", "code": "LA1-1", "display": "Yes",
                                          "userSelected": True}},
                         {"valueCoding": {"system": "http://loinc.org", "code": "LA2-2", "display": "No"}}]}],
}


def test_every_element_not_carried_over_is_listed_and_codes_are_kept():
    """A generic walk: anything the converter does not read is named, whatever it is."""
    imported = questionnaire_from_fhir(ELEMENTS, "elements.json")
    q = load_text(imported.yaml_text, "elements.yaml")
    assert dict(q.attrs) == {"fhir_url": "http://example.org/q", "fhir_code": "44249-1",
                             "fhir_system": "http://loinc.org", "fhir_display": "PHQ-9 panel",
                             "fhir_identifier_system": "http://loinc.org", "fhir_identifier_value": "44249-1"}
    item = q.item("q_1")
    assert dict(item.attrs) == {"fhir_link_id": "/1", "fhir_code": "44250-9", "fhir_system": "http://loinc.org"}
    notes = "\n".join(imported.notes)
    for expected in (
            'Questionnaire.meta.profile (["http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire|2.7"])',
            'Questionnaire.identifier after the first ([{"value": "second"}])',
            'Questionnaire.purpose ("Screening")',
            f"extension {XHTML} in `_title` is not supported and was left out",
            f"extension {XHTML} in `_text` is not supported and was left out (on /1)",
            "Questionnaire.item.code after the first is not kept (on /1)",
            "Questionnaire.item._linkId is not kept (on /1)",
            "Questionnaire.item.modifierExtension is not kept (on /1)",
            "Questionnaire.item.answerOption.valueCoding.userSelected is not kept (on /1)",
            'contained Patient "p" is not kept', 'Questionnaire.status ("active") is not kept'):
        assert expected in notes
    assert all(f"  - {note}" in imported.yaml_text for note in imported.notes)
