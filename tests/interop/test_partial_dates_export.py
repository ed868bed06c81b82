"""Issue 15, "Dates as people know them", in every export: a date given as a month is
written as it was given (`2026-09`), which FHIR's `date` allows as it is; REDCap, whose
date validation needs the day, gets it as text with a note saying so; a FHIR round trip
keeps it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from screening_app.cli import main
from screening_app.export.fhir import response_for_submission
from screening_app.interop.fhir_response import answers_from_questionnaire_response
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped, validate_fhir, walk

MONTHS = {"last_relapse_date": "2026-09", "edss_date": "2026-06", "mri_last_date": "2026-05"}


def submitted(store: Store) -> int:
    answers = complete_answers(**MONTHS)  # flat
    answers["treatments[0].last_dose_date"] = "2026-09"
    result = store.import_submission(shipped(), answers, "tester", today=TODAY, allow_duplicate=True)
    assert result.status == "submitted", result.problems
    return result.submission_id


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_writes_a_month_as_it_was_given(store, db_path: Path, tmp_path: Path):
    submitted(store)
    store.close()
    out = tmp_path / "study.csv"
    assert main(["export", "--all", "--format", "csv", "--out", str(out), "--db", str(db_path)]) == 0
    [row] = rows(out)
    assert {name: row[name] for name in MONTHS} == MONTHS
    assert rows(tmp_path / "study_treatments.csv")[0]["last_dose_date"] == "2026-09"


def test_fhir_sends_a_month_as_a_fhir_date_and_takes_it_back(store, tmp_path: Path):
    sid = submitted(store)
    resource = response_for_submission(store, sid)
    validate_fhir(resource)  # FHIR's date is YYYY, YYYY-MM or YYYY-MM-DD
    answers = {item["linkId"]: item["answer"] for item in walk(resource["item"]) if item.get("answer")}
    assert {name: answers[name] for name in MONTHS} == {
        name: [{"valueDate": value}] for name, value in MONTHS.items()}
    back = answers_from_questionnaire_response(shipped(), json.loads(json.dumps(resource)))
    assert {name: back[name] for name in MONTHS} == MONTHS
    assert back["treatments[0].last_dose_date"] == "2026-09"


def test_redcap_takes_a_month_as_text_with_a_note(store, db_path: Path, tmp_path: Path):
    submitted(store)
    store.close()
    assert main(["export", "--all", "--format", "redcap", "--out", str(tmp_path / "study"),
                 "--db", str(db_path)]) == 0
    fields = {row["Variable / Field Name"]: row for row in rows(tmp_path / "study_dictionary.csv")}
    validation = "Text Validation Type OR Show Slider Number"
    assert fields["date_of_birth"][validation] == "date_ymd"
    for name in MONTHS:
        assert fields[name][validation] == ""  # REDCap's date_ymd would refuse 2026-09
        assert "YYYY-MM" in fields[name]["Field Note"] and "YYYY-MM-DD" in fields[name]["Field Note"]
    data = [row for row in rows(tmp_path / "study_data.csv") if not row["redcap_repeat_instrument"]]
    assert {name: data[0][name] for name in MONTHS} == MONTHS
