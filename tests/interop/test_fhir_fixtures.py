"""Every public FHIR file under tests/fixtures/fhir/ goes through the commands as a clinic
would use them (issue 14). Files are chosen by their resourceType, so a new fixture is
tested without being named here; a new QuestionnaireResponse must say below which
Questionnaire it answers and what its import should do.

- Each Questionnaire: `import-definition` gives a definition (exit 0) that
  `check-definition` accepts, or a clear refusal (exit 2), never a traceback. (The
  fidelity test comparing each source with its conversion is in test_fhir_structure.py.)
- Each QuestionnaireResponse: `import-responses` against its converted Questionnaire
  stores it, or refuses the entry saying why in FHIR terms (exit 1, nothing stored).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_text
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir
from screening_app.interop.fhir_response import read_response
from screening_app.store import Store
from tests.interop.helpers import FIXTURES, fhir_fixtures

FHIR = FIXTURES / "fhir"
QUESTIONNAIRES = fhir_fixtures("Questionnaire")
RESPONSES = fhir_fixtures("QuestionnaireResponse")

# response file -> (its Questionnaire's file, --skip-unknown?, what the import does:
# ("stored", status, the answers by source linkId) or ("refused", words of the message)).
OUTCOMES = {
    "r4-questionnaireresponse-example-gcs.json": (
        "r4-questionnaire-example-gcs.json", False,
        ("stored", "submitted", {"1.1": "la6560_2", "1.2": "la6566_9", "1.3": "la6556_0"})),
    # The HL7 example answers its boolean questions with text ("No, but I used to drink").
    "r4b-questionnaireresponse-example-f201-lifelines.json": (
        "r4b-questionnaire-example-f201-lifelines.json", True,
        ("refused", '3.1: valueString "No" does not answer a boolean item (FHIR R4 expects '
                    "valueBoolean)")),
    # An LHC-Forms test template: its STU3 reference has a placeholder for the id.
    "lforms-fhir-import-qn-response.json": (
        "lforms-fhir-import-questionnaire.json", False,
        ("refused", 'QuestionnaireResponse.questionnaire is "Questionnaire/{{questionnaireId}}", '
                    "not this questionnaire")),
    # Answers to calculated and hidden items, which the conversion left out (and listed).
    "lforms-hidden-item-questionnaire-response.R4.json": (
        "lforms-hidden-item-questionnaire.R4.json", False,
        ("refused", "answers to items that calculatedexpression 0.1.0 does not have: CE-HIDDEN, "
                    "CE-VISIBLE, GROUP-VISIBLE/CE-VISIBLE, GROUP-VISIBLE/CE-HIDDEN, "
                    "GROUP-HIDDEN/CE-HIDDEN (--skip-unknown")),
    "lforms-hidden-item-questionnaire-response.R4.json --skip-unknown": (
        "lforms-hidden-item-questionnaire.R4.json", True,
        ("stored", "submitted", {"ITEM-VISIBLE": 2})),
}


def test_every_response_fixture_says_what_its_import_does():
    assert {name.split()[0] for name in OUTCOMES} == {p.name for p in RESPONSES}


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_import_definition_converts_every_fixture_to_a_definition_that_checks(path, tmp_path, capsys):
    out = tmp_path / "definition.yaml"
    code = main(["import-definition", str(path), "--out", str(out)])
    printed, err = capsys.readouterr()
    assert "Traceback" not in printed + err
    assert code == 0, err
    assert "Not converted exactly" in printed  # every public file needs something said
    assert main(["check-definition", str(out)]) == 0, capsys.readouterr()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Converted from a FHIR R4 Questionnaire")
    assert path.name in text  # the header names its source


@pytest.fixture(scope="module")
def definitions(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("definitions")
    found = {}
    for path in QUESTIONNAIRES:
        imported = questionnaire_from_fhir(json.loads(path.read_text(encoding="utf-8")), path.name)
        found[path.name] = folder / (path.stem + ".yaml")
        found[path.name].write_text(imported.yaml_text, encoding="utf-8")
    return found


@pytest.mark.parametrize("case", sorted(OUTCOMES))
def test_import_responses_stores_every_fixture_or_says_why_not(case, definitions, tmp_path, capsys):
    source = FHIR / case.split()[0]
    questionnaire, skip, outcome = OUTCOMES[case]
    db = tmp_path / "responses.db"
    args = ["import-responses", str(source), "--definition", str(definitions[questionnaire]),
            "--db", str(db)] + (["--skip-unknown"] if skip else [])
    code = main(args)
    printed, err = capsys.readouterr()
    assert "Traceback" not in printed + err and "{'" not in err  # never a Python value
    if outcome[0] == "refused":
        assert code == 1
        assert f"entry 1: not stored: {outcome[1]}" in err
        with Store.open(db) as store:
            assert store.list_submissions() == []
        return
    assert code == 0, err
    _, status, by_link_id = outcome
    assert printed.split()[2] == status
    q = load_text(definitions[questionnaire].read_text(encoding="utf-8"), questionnaire)
    ids = {item.attrs.get("fhir_link_id", item.id): item.id for item in q.all_items()}
    with Store.open(db) as store:
        (submission,) = store.list_submissions()
        assert store.answers(submission.id) == {ids[k]: v for k, v in by_link_id.items()}


def test_the_lforms_response_with_its_reference_filled_in_reads_quantity_and_nested_answers(definitions):
    """The LHC-Forms template once its placeholder names the converted questionnaire: a
    valueQuantity for the quantity item, answers nested under an answer (R4's answer.item)."""
    q = load_text(definitions["lforms-fhir-import-questionnaire.json"].read_text(encoding="utf-8"), "q")
    resource = json.loads((FHIR / "lforms-fhir-import-qn-response.json").read_text(encoding="utf-8"))
    resource["questionnaire"] = "urn:msc-screening:questionnaire:height-and-weight-test"
    ids = {item.attrs.get("fhir_link_id", item.id): item.id for item in q.all_items()}
    assert read_response(q, resource).answers == {
        ids["height"]: 333.0, ids["weight"]: 444.0,
        ids["/answer_item"]: "item.answer.item main item value",
        ids["/answer_item/answer_item_name"]: "item.answer.item name value",
        ids["/answer_item/answer_item_age"]: 20}
