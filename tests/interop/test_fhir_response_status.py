"""import-responses follows a QuestionnaireResponse's status: draft, submitted, withdrawn, refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.export.fhir import response_for_submission
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped, validate_fhir


@pytest.fixture
def complete_response(store: Store) -> dict[str, Any]:
    """The response of a complete, valid submission (which alone would be submitted)."""
    result = store.import_submission(shipped(), complete_answers(), "tester", today=TODAY,
                                     allow_duplicate=True)
    assert result.status == "submitted"
    resource = response_for_submission(store, result.submission_id)
    validate_fhir(resource)
    return resource


def import_file(tmp_path: Path, resources: list[dict[str, Any]], capsys) -> tuple[int, str, str, Path]:
    for resource in resources:
        validate_fhir(resource)
    path, db = tmp_path / "responses.json", tmp_path / "imported.db"
    path.write_text(json.dumps(resources, ensure_ascii=False), encoding="utf-8")
    code = main(["import-responses", str(path), "--db", str(db), "--allow-duplicates"])
    out, err = capsys.readouterr()
    return code, out, err, db


def with_status(resource: dict[str, Any], status: str) -> dict[str, Any]:
    return {**resource, "status": status}


def test_each_status_is_stored_as_what_it_means(complete_response, tmp_path: Path, capsys):
    resources = [with_status(complete_response, s) for s in ("in-progress", "completed", "amended",
                                                              "stopped")]
    code, out, err, db = import_file(tmp_path, resources, capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[2] for line in lines] == ["draft", "submitted", "submitted", "withdrawn"]
    assert lines[0].endswith("(FHIR status in-progress: kept as a draft, not submitted)")
    assert lines[1].endswith("(FHIR status completed: submitted)")
    assert lines[3].endswith("(FHIR status stopped: stored as a draft, then withdrawn)")
    ids = [int(line.split()[0]) for line in lines]
    with Store.open(db) as stored:
        draft, _, _, withdrawn = (stored.get_submission(i) for i in ids)
        # Complete and valid, yet in progress: the person had not finished; no flags yet.
        assert (draft.status, draft.submitted_at) == ("draft", None)
        assert stored.flags(ids[0]) == [] and stored.flags(ids[1]) != []
        assert (withdrawn.status, withdrawn.submitted_at) == ("withdrawn", None)
        assert withdrawn.withdrawn_at is not None
        entry = [e for e in stored.audit_history(ids[3]) if e.action == "withdrawn"]
        assert len(entry) == 1
        assert "import-responses" in entry[0].reason and "stopped" in entry[0].reason
        assert complete_response["id"] in entry[0].reason  # names the response it came from
        assert stored.answers(ids[3]) == stored.answers(ids[1])  # the answers are kept


def test_a_stopped_spanish_response_is_withdrawn_with_a_spanish_reason(complete_response,
                                                                      tmp_path: Path, capsys):
    resource = with_status({**complete_response, "language": "es"}, "stopped")
    del resource["id"], resource["identifier"]
    code, out, err, db = import_file(tmp_path, [resource], capsys)
    assert code == 0, err
    with Store.open(db) as stored:
        entry = stored.audit_history(int(out.split()[0]))[-1]
    assert (entry.action, entry.reason) == ("withdrawn", "Importado por import-responses desde un "
                                            "QuestionnaireResponse FHIR con estado stopped "
                                            "(abandonado o retirado)")


def test_a_completed_response_with_missing_answers_says_why_it_is_a_draft(complete_response,
                                                                         tmp_path: Path, capsys):
    resource = dict(complete_response)
    resource["item"] = [step for step in resource["item"] if step["linkId"] != "step:mobility"]
    code, out, err, _ = import_file(tmp_path, [resource], capsys)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.split()[2] == "draft"
    assert first.endswith("(FHIR status completed, but answers are missing or not valid: kept as a draft)")
    assert "mobility_level:" in out  # the problems are listed under it


@pytest.mark.parametrize("status, message", [
    ("entered-in-error", "the response is marked entered-in-error (recorded by mistake); it is not "
                         "imported"),
    ("finished", 'the response\'s status "finished" is not one of in-progress, completed, amended, '
                 "stopped"),
    # Issue 12: an object, a list or null where a code belongs was a traceback (unhashable).
    ({"x": 1}, 'the response\'s status {"x": 1} is not one of in-progress, completed, amended, '
               "stopped"),
    (["completed"], 'the response\'s status ["completed"] is not one of'),
    (None, "the response's status null is not one of"),
    ("x" * 500, 'the response\'s status "' + "x" * 56 + '... is not one of'),
])
def test_a_response_entered_in_error_is_refused_and_nothing_stored(complete_response, tmp_path: Path,
                                                                   capsys, status, message):
    resource = with_status(complete_response, status)
    if status == "entered-in-error":
        validate_fhir(resource)
    path, db = tmp_path / "responses.json", tmp_path / "imported.db"
    path.write_text(json.dumps([resource, with_status(complete_response, "completed")]),
                    encoding="utf-8")
    assert main(["import-responses", str(path), "--db", str(db), "--allow-duplicates"]) == 1
    out, err = capsys.readouterr()
    assert f"entry 1: not stored: {message}" in err
    assert "Ana" not in err and "Ejemplo" not in err  # no patient data in the message
    assert len(out.splitlines()) == 1  # only the second entry was stored
    with Store.open(db) as stored:
        assert stored.count_submissions() == 1
