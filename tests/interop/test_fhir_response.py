"""Submission <-> FHIR R4 QuestionnaireResponse: export, status, import, round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.engine.answers import is_empty, nest_answers
from screening_app.engine.session import Session
from screening_app.export.fhir import response_for_submission
from screening_app.interop.fhir_response import (
    ResponseImportError,
    answers_from_questionnaire_response,
    response_setting,
)
from screening_app.store import Store
from screening_app.version import app_version
from tests.interop.helpers import TODAY, complete_answers, shipped, validate_fhir, walk

CODE = "urn:msc-screening:questionnaire:msc-ms-onboarding:"


def submit(store: Store, lang: str = "en", **changes: Any) -> int:
    result = store.import_submission(shipped(), complete_answers(**changes), "tester", lang=lang,
                                     today=TODAY, allow_duplicate=True)
    assert result.status == "submitted", result.problems
    return result.submission_id


def response_of(store: Store, submission_id: int) -> dict[str, Any]:
    """The exported response, validated against the FHIR R4 model (every one a test makes)."""
    resource = response_for_submission(store, submission_id)
    validate_fhir(resource)
    return resource


def items_of(resource: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for item in walk(resource.get("item", [])):
        found.setdefault(item["linkId"], []).append(item)
    return found


def answer(resource: dict[str, Any], link_id: str) -> list[dict[str, Any]]:
    return items_of(resource)[link_id][0]["answer"]


def applicable_answers(answers: dict[str, Any]) -> dict[str, Any]:
    session = Session(shipped(), answers, today=TODAY)
    return {p: v for p, v in answers.items() if not is_empty(v) and session.is_applicable(p)}


def test_a_submitted_questionnaire_as_a_valid_questionnaire_response(store):
    sid = submit(store)
    resource = response_of(store, sid)
    assert resource["questionnaire"] == "urn:msc-screening:questionnaire:msc-ms-onboarding|1.0.0"
    assert resource["status"] == "completed"
    assert resource["authored"] == store.get_submission(sid).submitted_at
    assert resource["subject"] == {"reference": "#candidate", "type": "Patient"}
    patient = resource["contained"][0]
    assert patient == {"resourceType": "Patient", "id": "candidate",
                       "name": [{"family": "Ejemplo", "given": ["Ana"]}],
                       "telecom": [{"system": "phone", "value": "+1 (555) 010-2030"},
                                   {"system": "email", "value": "ana.ejemplo@example.org"}],
                       "birthDate": "1980-05-17"}
    assert [item["linkId"] for item in resource["item"]][:3] == [
        "step:about_you", "step:diagnosis", "step:mobility"]
    assert answer(resource, "first_name") == [{"valueString": "Ana"}]
    assert answer(resource, "diagnosis_year") == [{"valueInteger": 2015}]
    assert answer(resource, "edss_score") == [{"valueDecimal": 4.0}]
    assert answer(resource, "edss_date") == [{"valueDate": "2026-06-01"}]
    assert answer(resource, "consent_contact") == [{"valueBoolean": True}]
    assert answer(resource, "ms_type") == [{"valueCoding": {
        "system": CODE + "ms_type", "version": "1.0.0", "code": "rrms",
        "display": "Relapsing-remitting (RRMS): attacks, then recovery"}}]
    assert [a["valueCoding"]["code"] for a in answer(resource, "preferred_contact")] == ["phone", "email"]
    signature = answer(resource, "signature")[0]["valueAttachment"]
    assert signature["contentType"] == "image/png" and signature["creation"] == "2026-11-20T15:04:05+00:00"
    rows = items_of(resource)["treatments"]
    assert len(rows) == 2  # one repeated group item per row
    assert [f["linkId"] for f in rows[1]["item"]] == [
        "treatments.drug", "treatments.start_date", "treatments.still_taking",
        "treatments.last_dose_date", "treatments.stop_reason"]  # no infusion_reaction: not an infusion
    assert rows[0]["item"][0]["answer"][0]["valueCoding"]["system"] == CODE + "treatments.drug"


def test_answers_that_are_not_applicable_are_left_out(store):
    sid = submit(store, spms_conversion_year=2020, cancer_type="Melanoma", mobility_level="7")
    resource = response_of(store, sid)
    found = items_of(resource)
    assert store.answers(sid)["spms_conversion_year"] == 2020  # kept in the store ...
    assert "spms_conversion_year" not in found                 # ... but ms_type is rrms
    assert "cancer_type" not in found and "walking_distance" not in found
    assert "review_notice" not in found                        # info items have no answer


def test_status_follows_the_submission(store):
    store.create_user("ana.c", "Ana Castro", "coordinator", "24681357")
    store.create_user("dr.lee", "Dr. Lee Ortiz", "clinician", "24681357")
    sid = submit(store)
    store.mark_checked(sid, "ana.c", "Complete and plausible")
    store.record_clinical_review(sid, "dr.lee", "more_information", "Ask for the MRI report")
    reviewed = response_of(store, sid)
    assert reviewed["status"] == "completed"
    check, review = reviewed["extension"]
    record = store.get_submission(sid)
    assert check == {"url": "urn:msc-screening:fhir:extension:signoff", "extension": [
        {"url": "kind", "valueCode": "checked"}, {"url": "signer", "valueString": "Ana Castro"},
        {"url": "role", "valueCode": "coordinator"},
        {"url": "time", "valueDateTime": record.signoffs[0].signed_at},
        {"url": "note", "valueString": "Complete and plausible"}]}
    assert [(e["url"], next(v for k, v in e.items() if k != "url")) for e in review["extension"]] == [
        ("kind", "clinical-review"), ("signer", "Dr. Lee Ortiz"), ("role", "clinician"),
        ("time", record.reviewed_at), ("decision", "more_information"),
        ("note", "Ask for the MRI report")]
    store.save_answer(sid, "email", "ana@example.org", "desk", reason="Candidate called")
    amended = response_of(store, sid)
    edit = [e for e in store.audit_history(sid) if e.action == "answer_edited"][-1]
    assert (amended["status"], amended["authored"]) == ("amended", edit.at)
    assert [next(e["valueDateTime"] for e in signoff["extension"] if e["url"] == "outOfDate")
            for signoff in amended["extension"]] == [edit.at, edit.at]  # both out of date now
    store.withdraw(sid, "desk", "Candidate asked to stop")
    assert response_of(store, sid)["status"] == "stopped"

    draft = store.start_submission(shipped(), "es", actor="kiosk")
    store.save_answer(draft, "first_name", "José", "kiosk")
    store.save_answer(draft, "date_of_birth", "hace mucho", "kiosk")  # not valid yet: drafts keep it
    resource = response_of(store, draft)
    assert (resource["status"], resource["language"]) == ("in-progress", "es")
    assert resource["contained"][0] == {"resourceType": "Patient", "id": "candidate",
                                        "name": [{"given": ["José"]}]}
    typed = items_of(resource)["date_of_birth"][0]  # not a date: no answer, kept in an extension
    assert "answer" not in typed
    assert typed["extension"] == [{"url": "urn:msc-screening:fhir:extension:draft-answer",
                                   "valueString": "hace mucho"}]
    assert items_of(resource)["step:about_you"][0]["text"] == "Sobre usted"


def test_response_then_import_gives_the_same_answers(store, tmp_path: Path, capsys):
    sid = submit(store, lang="es", spms_conversion_year=2020)
    store.create_user("ana.c", "Ana Castro", "coordinator", "24681357")
    store.mark_checked(sid, "ana.c", "Complete")  # a sign-off is not imported as one
    resource = response_of(store, sid)
    path = tmp_path / "response.json"
    path.write_text(json.dumps(resource, ensure_ascii=False), encoding="utf-8")
    expected = applicable_answers(store.answers(sid))

    assert answers_from_questionnaire_response(shipped(), resource) == expected
    other = tmp_path / "other.db"
    code = main(["import-responses", str(path), "--db", str(other), "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    assert code == 0, err
    new_id, _, status = out.split()[:3]
    assert status == "submitted"
    with Store.open(other) as second:
        imported = second.answers(int(new_id))
        assert nest_answers(shipped(), imported) == nest_answers(shipped(), expected)
        again = response_of(second, int(new_id))
        assert second.signoffs(int(new_id)) == []
    assert (again["status"], again["contained"]) == (resource["status"], resource["contained"])
    assert again["language"] == "es"  # the response's own language, texts and all
    assert again["item"] == resource["item"]


def test_an_imported_response_keeps_its_language_and_answering_day(store, tmp_path: Path, capsys):
    """A response is judged on the day it was answered (age, washout windows), not on the
    day it is imported, and stays in its language; both can be overridden."""
    sid = submit(store, lang="es")
    resource = response_of(store, sid)
    resource["authored"] = "2026-11-21T10:20:30+01:00"  # the fixture's answers are to 11-20
    resource["language"] = "es-CO"
    path = tmp_path / "response.json"
    path.write_text(json.dumps(resource, ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other.db"
    assert main(["import-responses", str(path), "--db", str(other)]) == 0
    assert main(["import-responses", str(path), "--db", str(other), "--allow-duplicates",
                 "--lang", "en", "--today", "2026-11-22"]) == 0
    first, second = (int(line.split()[0]) for line in capsys.readouterr().out.splitlines()
                     if line[:1].isdigit())
    with Store.open(other) as stored:
        assert (stored.get_submission(first).lang,
                stored.get_submission(first).reference_date) == ("es", "2026-11-21")
        assert (stored.get_submission(second).lang,
                stored.get_submission(second).reference_date) == ("en", "2026-11-22")


@pytest.mark.parametrize(("language", "authored", "expected"), [
    ("es", "2026-11-20T15:04:05+00:00", ("es", "2026-11-20")),
    ("EN-gb", "2026-11-20", ("en", "2026-11-20")),
    ("fr", "2026-11", (None, None)),        # a language the questionnaire has not; a month
    (None, "yesterday", (None, None)),
])
def test_what_a_response_says_about_itself(language, authored, expected):
    setting = response_setting(shipped(), {"language": language, "authored": authored,
                                           "status": "completed"})
    assert (setting.lang, setting.day and setting.day.isoformat()) == expected


@pytest.mark.parametrize("change, message", [
    ({"questionnaire": "urn:msc-screening:questionnaire:other|1.0.0"}, "not this questionnaire"),
    ({"item": [{"linkId": "favourite_colour", "answer": [{"valueString": "blue"}]}]},
     "does not have: favourite_colour"),
    ({"item": [{"linkId": "ms_type", "answer": [{"valueCoding": {"system": "http://loinc.org",
                                                                  "code": "rrms"}}]}]},
     'ms_type: valueCoding.system "http://loinc.org" is not'),
    ({"item": [{"linkId": "ms_type", "answer": [{"valueCoding": {"code": "rrms"}},
                                                 {"valueCoding": {"code": "spms"}}]}]},
     r"ms_type takes one answer \(repeats is false\), not 2"),
    ({"item": [{"linkId": "edss_score", "answer": [{"valueString": "4.5"}]}]},
     'edss_score: valueString "4.5" does not answer a decimal item'),
    ({"item": [{"linkId": "ms_diagnosed", "answer": [{"valueBoolean": "true"}]}]},
     'ms_diagnosed: valueBoolean "true" is not true or false'),
    ({"item": [{"linkId": "treatments", "item": [{"linkId": "drug", "answer": [{"valueString": "x",
                                                                                 "valueInteger": 1}]}]}]},
     r"drug: an answer needs exactly one value\[x\], not 2"),
    ({"item": [{"linkId": "treatments", "answer": [{"valueString": "x"}]}]},
     "treatments is a group"),
    ({"resourceType": "Questionnaire"}, "not a FHIR QuestionnaireResponse"),
])
def test_import_refuses_responses_it_cannot_read(change, message):
    resource = {"resourceType": "QuestionnaireResponse", "status": "completed",
                "questionnaire": "urn:msc-screening:questionnaire:msc-ms-onboarding|1.0.0", **change}
    with pytest.raises(ResponseImportError, match=message):
        answers_from_questionnaire_response(shipped(), resource)


def test_import_responses_cli_refuses_a_foreign_response_without_storing_it(tmp_path: Path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"resourceType": "QuestionnaireResponse", "status": "completed",
                                 "questionnaire": "http://example.org/Questionnaire/phq-9"}]),
                    encoding="utf-8")
    db = tmp_path / "db.sqlite"
    assert main(["import-responses", str(path), "--db", str(db)]) == 1
    assert ('entry 1: not stored: QuestionnaireResponse.questionnaire is "http://example.org'
            in capsys.readouterr().err)
    with Store.open(db) as opened:
        assert opened.count_submissions() == 0


def test_cli_export_fhir(store, db_path: Path, tmp_path: Path, capsys):
    sid = submit(store)
    out = tmp_path / "response.json"
    assert main(["export", str(sid), "--format", "fhir", "--out", str(out), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    resource = json.loads(out.read_text(encoding="utf-8"))
    validate_fhir(resource)
    assert resource["id"] == f"submission-{sid}"
    assert resource["meta"]["tag"][0]["code"] == app_version()  # which app wrote it
