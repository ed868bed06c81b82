"""QuestionnaireResponses from other systems (issue 14): how they name their Questionnaire,
answers nested under answers, items the definition left out, and what they say about
themselves (authored, subject, author, source), kept and exported again."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_text
from screening_app.export.fhir import response_for_submission
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir
from screening_app.interop.fhir_response import ResponseImportError, read_response
from screening_app.store import Store
from tests.interop.helpers import FIXTURES, shipped, validate_fhir

GCS_Q = FIXTURES / "fhir" / "r4-questionnaire-example-gcs.json"
GCS_R = FIXTURES / "fhir" / "r4-questionnaireresponse-example-gcs.json"
GCS_ANSWERS = {"q_1_1": "la6560_2", "q_1_2": "la6566_9", "q_1_3": "la6556_0"}


@pytest.fixture(scope="module")
def gcs_definition(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gcs") / "gcs.yaml"
    imported = questionnaire_from_fhir(json.loads(GCS_Q.read_text(encoding="utf-8")), GCS_Q.name)
    path.write_text(imported.yaml_text, encoding="utf-8")
    return path


def gcs_response() -> dict[str, Any]:
    return json.loads(GCS_R.read_text(encoding="utf-8"))


def gcs_q(path: Path):
    return load_text(path.read_text(encoding="utf-8"), str(path))


def test_the_hl7_gcs_response_imports_as_it_is_and_exports_what_it_said(gcs_definition, tmp_path, capsys):
    db = tmp_path / "gcs.db"
    code = main(["import-responses", str(GCS_R), "--definition", str(gcs_definition), "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.split()[2] == "submitted"
    submission_id = int(out.split()[0])
    with Store.open(db) as store:
        assert store.answers(submission_id) == GCS_ANSWERS
        record = store.get_submission(submission_id)
        assert record.submitted_at.startswith("2014-12-11T04:44:16")  # when it was answered
        exported = response_for_submission(store, submission_id)
    validate_fhir(exported)
    source = gcs_response()
    assert exported["authored"] == source["authored"] == "2014-12-11T04:44:16Z"
    assert exported["subject"] == source["subject"]
    assert exported["source"] == source["source"]
    assert "contained" not in exported  # no candidate details to contain; the subject is the source's
    assert exported["questionnaire"] == "http://hl7.org/fhir/Questionnaire/gcs"
    codes = [(i["linkId"], i["answer"][0]["valueCoding"]["code"]) for i in exported["item"]]
    assert codes == [("1.1", "LA6560-2"), ("1.2", "LA6566-9"), ("1.3", "LA6556-0")]


@pytest.mark.parametrize("named, note", [
    ("Questionnaire/gcs", None),                                    # relative, as the HL7 example
    ("Questionnaire/gcs/_history/2", None),
    ("http://hl7.org/fhir/Questionnaire/gcs", None),               # the source's canonical, no version
    ("http://hl7.org/fhir/Questionnaire/gcs|3.1", None),           # the source had no version
    ("urn:msc-screening:questionnaire:gcs", None),                  # ours without the version
    ("urn:msc-screening:questionnaire:gcs|0.1.0", None),
    ("urn:msc-screening:questionnaire:gcs|0.0.9",
     "the response is for version 0.0.9; it was read against version 0.1.0"),
    ({"reference": "Questionnaire/gcs"}, "QuestionnaireResponse.questionnaire is an STU3 Reference"),
])
def test_the_questionnaire_is_matched_by_canonical_with_or_without_version_or_reference(
        gcs_definition, named, note):
    resource = {**gcs_response(), "questionnaire": named}
    read = read_response(gcs_q(gcs_definition), resource)
    assert read.answers == GCS_ANSWERS
    if note is None:
        assert read.notes == ()
    else:
        assert any(note in line for line in read.notes), read.notes


@pytest.mark.parametrize("named, message", [
    ("Questionnaire/phq9", "QuestionnaireResponse.questionnaire is \"Questionnaire/phq9\", not this "
                           "questionnaire (http://hl7.org/fhir/Questionnaire/gcs, Questionnaire/gcs)"),
    ({"display": "GCS"}, 'QuestionnaireResponse.questionnaire is {"display": "GCS"}: FHIR R4 expects '
                         "the Questionnaire's canonical URL as text"),
    (42, "QuestionnaireResponse.questionnaire is 42: FHIR R4 expects"),
])
def test_another_questionnaire_is_refused_in_fhir_terms(gcs_definition, named, message):
    with pytest.raises(ResponseImportError) as caught:
        read_response(gcs_q(gcs_definition), {**gcs_response(), "questionnaire": named})
    assert message in str(caught.value)
    assert "{'" not in str(caught.value)  # never a Python dict


def test_answers_nested_under_answers_are_read(gcs_definition):
    resource = gcs_response()
    first, second, third = resource["item"]
    # As R4 nests follow-ups: under the answer they follow; and under the item (STU3 style).
    first["answer"][0]["item"] = [second]
    first["item"] = [third]
    resource["item"] = [first]
    assert read_response(gcs_q(gcs_definition), resource).answers == GCS_ANSWERS


def test_unknown_items_are_listed_and_refused_unless_skipped(gcs_definition, tmp_path, capsys):
    resource = gcs_response()
    resource["item"].append({"linkId": "1.4", "answer": [{"valueInteger": 13}]})
    resource["item"].append({"linkId": "wrapper", "item": [
        {"linkId": "total", "answer": [{"valueInteger": 13}]}]})
    with pytest.raises(ResponseImportError, match=r"does not have: 1\.4, total \(--skip-unknown"):
        read_response(gcs_q(gcs_definition), resource)
    read = read_response(gcs_q(gcs_definition), resource, skip_unknown=True)
    assert read.answers == GCS_ANSWERS and read.skipped == ("1.4", "total")

    path, db = tmp_path / "r.json", tmp_path / "r.db"
    path.write_text(json.dumps(resource), encoding="utf-8")
    args = ["import-responses", str(path), "--definition", str(gcs_definition), "--db", str(db)]
    assert main(args) == 1
    assert "1.4, total" in capsys.readouterr().err
    assert main([*args, "--skip-unknown"]) == 0
    out = capsys.readouterr().out
    assert "left out, not in the definition: 1.4, total" in out


def test_our_own_export_still_round_trips_with_the_candidate(store, tmp_path):
    from tests.interop.helpers import TODAY, complete_answers

    result = store.import_submission(shipped(), complete_answers(), "tester", today=TODAY,
                                     allow_duplicate=True)
    exported = response_for_submission(store, result.submission_id)
    read = read_response(shipped(), copy.deepcopy(exported))
    assert read.answers == store.answers(result.submission_id)
    assert read.origin["subject"] == {"reference": "#candidate", "type": "Patient"}


@pytest.mark.parametrize("author, exported_author", [
    # Someone other than the source wrote it down: kept, and said again on export.
    ({"reference": "RelatedPerson/daughter-1", "display": "Ana (daughter)"},
     {"reference": "RelatedPerson/daughter-1", "display": "Ana (daughter)"}),
    # A resource contained in the source is not kept, so its reference is not said again.
    ({"reference": "#nurse"}, None),
])
def test_the_author_is_kept_apart_from_the_source_and_exported_again(gcs_definition, tmp_path, capsys,
                                                                      author, exported_author):
    resource = {**gcs_response(), "author": author}
    path, db = tmp_path / "authored.json", tmp_path / "authored.db"
    path.write_text(json.dumps(resource), encoding="utf-8")
    assert main(["import-responses", str(path), "--definition", str(gcs_definition), "--db", str(db)]) == 0
    submission_id = int(capsys.readouterr().out.split()[0])
    with Store.open(db) as store:
        exported = response_for_submission(store, submission_id)
    validate_fhir(exported)
    assert exported.get("author") == exported_author
    assert exported["source"] == {"reference": "Practitioner/f007"}  # not taken for the author
