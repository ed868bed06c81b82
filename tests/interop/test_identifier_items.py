"""Items a definition marks `identifier: true` leave de-identified exports whatever their
type (issue 12): a clinic's own questionnaire may ask for a record number as an integer, a
zip code as a choice or the date of admission, which the policy used to keep because it
knew identity items only by the shipped questionnaire's ids."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_text, parse_questionnaire
from screening_app.interop import fhir_common as fc
from screening_app.interop.csv_export import META_COLUMNS, CsvExport
from screening_app.interop.fhir_questionnaire import questionnaire_from_fhir, questionnaire_to_fhir
from screening_app.interop.redcap import RedcapProject
from screening_app.store import Store
from tests.interop.helpers import TODAY, shipped, validate_fhir, walk

CLINIC = """
id: clinic-intake
version: "1"
languages: [en]
title: {en: Clinic intake}
steps:
  - id: visit
    title: {en: Visit}
    items:
      - {id: mrn, type: integer, identifier: true, label: {en: Medical record number}, min: 1}
      - id: zip_code
        type: single_choice
        identifier: true
        label: {en: Zip code of home}
        choices:
          - {code: z02139, label: {en: "ZIP 02139"}}
          - {code: z94110, label: {en: "ZIP 94110"}}
      - {id: admitted_on, type: date, identifier: true, label: {en: Date of admission}}
      - {id: onset, type: date, label: {en: First symptoms}}
      - {id: score, type: integer, label: {en: Score}, min: 0, max: 10}
      - id: visits
        type: group
        label: {en: Visits}
        items:
          - {id: visit_date, type: date, label: {en: Date of the visit}}
          - {id: bed, type: integer, identifier: true, label: {en: Bed number}}
"""
ANSWERS = {"mrn": 48213977, "zip_code": "z02139", "admitted_on": "2025-07-19", "onset": "2019-03-04",
           "score": 4, "visits[0]": True, "visits[0].visit_date": "2024-11-02", "visits[0].bed": 7312}
MARKED = {"mrn", "zip_code", "admitted_on", "bed"}
# What the marked items hold or say: none of it may be in a de-identified file.
SECRETS = ("48213977", "z02139", "02139", "2025-07-19", "2025-07", "7312", "Medical record number",
           "Zip code of home", "Date of admission", "Bed number")


def clinic():
    return load_text(CLINIC, "clinic.yaml")


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def db(store: Store, db_path: Path) -> Path:
    result = store.import_submission(clinic(), ANSWERS, "tester", today=TODAY, allow_duplicate=True)
    assert result.status == "submitted"
    store.close()
    return db_path


def export(db: Path, fmt: str, out: Path, *extra: str) -> list[Path]:
    assert main(["export", "--all", "--format", fmt, "--questionnaire", "clinic-intake", "--out", str(out),
                 "--db", str(db), *extra]) == 0
    return sorted(out.parent.glob("*.csv"))


def test_the_identified_export_holds_them(db, tmp_path):
    """The control: without --deidentify every marked answer is written, so the test below
    would see a leak."""
    text = "".join(p.read_text(encoding="utf-8-sig") for p in export(db, "csv", tmp_path / "s.csv"))
    for secret in ("48213977", "z02139", "2025-07-19", "7312"):
        assert secret in text


def test_a_deidentified_csv_leaves_out_the_marked_integer_choice_and_date(db, tmp_path, capsys):
    files = export(db, "csv", tmp_path / "s.csv", "--deidentify")
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)
    main_rows = rows(tmp_path / "s.csv")
    meta = [name for name, _, _ in META_COLUMNS]
    assert main_rows[0] == [*meta, "onset", "score", "visits"]
    assert main_rows[1][len(meta):] == ["2019", "4", "1"]  # an unmarked date: the year, as before
    assert rows(tmp_path / "s_visits.csv") == [["submission_id", "row", "visit_date"],
                                               [main_rows[1][0], "1", "2024"]]
    described = {row[1] for row in rows(tmp_path / "s_dictionary.csv")[1:]}
    assert not described & MARKED and {"onset", "score", "visit_date"} <= described
    assert "0 values were left blank" in capsys.readouterr().out


def test_a_deidentified_redcap_project_leaves_them_out(db, tmp_path):
    files = export(db, "redcap", tmp_path / "study", "--deidentify")
    assert [p.name for p in files] == ["study_data.csv", "study_dictionary.csv"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)
    variables = [row[0] for row in rows(tmp_path / "study_dictionary.csv")[1:]]
    assert not set(variables) & MARKED and {"onset", "score", "visit_date"} <= set(variables)
    data = rows(tmp_path / "study_data.csv")
    assert not set(data[0]) & MARKED
    record = dict(zip(data[0], data[1], strict=True))
    assert (record["onset"], record["score"]) == ("2019", "4")


def test_the_redcap_dictionary_says_identifier_y_for_them(db, tmp_path):
    export(db, "redcap", tmp_path / "study")
    flagged = {row[0]: row[10] for row in rows(tmp_path / "study_dictionary.csv")[1:]}
    assert rows(tmp_path / "study_dictionary.csv")[0][10] == "Identifier?"
    assert {name for name, flag in flagged.items() if flag == "y"} == MARKED
    data = rows(tmp_path / "study_data.csv")
    assert dict(zip(data[0], data[1], strict=True))["mrn"] == "48213977"  # identified: kept


def test_the_fhir_round_trip_keeps_the_mark():
    """FHIR has no standard flag for an identifying item: our item-properties extension
    carries it, and our import reads it back."""
    resource = questionnaire_to_fhir(clinic())
    validate_fhir(resource)
    carried = {item["linkId"] for item in walk(resource["item"])
               if json.loads(fc.extension_value(item, fc.EXT_PROPERTIES) or "{}").get("identifier")}
    assert carried == {"mrn", "zip_code", "admitted_on", "visits.bed"}
    imported = questionnaire_from_fhir(resource, "clinic.json")
    assert imported.notes == []
    again = load_text(imported.yaml_text, "again.yaml")
    assert {i.id for i in again.all_items() if i.identifier} == {"mrn", "zip_code", "admitted_on"}
    assert again.item("visits").field("bed").identifier
    assert not again.item("visits").field("visit_date").identifier
    assert questionnaire_to_fhir(again) == resource


def test_a_mark_on_a_group_in_the_extension_is_left_out_and_said():
    resource = questionnaire_to_fhir(clinic())
    group = next(item for item in walk(resource["item"]) if item["linkId"] == "visits")
    group["extension"].append({"url": fc.EXT_PROPERTIES, "valueString": '{"identifier": true}'})
    imported = questionnaire_from_fhir(resource, "clinic.json")
    assert any("identifier mark of visits" in note for note in imported.notes)
    assert not load_text(imported.yaml_text, "again.yaml").item("visits").identifier


def unmarked_shipped():
    """The shipped questionnaire as it was before the mark: exports knew its identity items
    by their ids then."""
    text = shipped().source_text
    assert text.count("        identifier: true\n") == 5
    return parse_questionnaire(text.replace("        identifier: true\n", ""), "before.yaml")


@pytest.mark.parametrize("deidentify", [False, True], ids=["identified", "deidentified"])
def test_the_shipped_questionnaires_exports_are_unchanged_by_the_mark(deidentify):
    """Its identity items are free text or the date of birth, so the attribute changes no
    column, dictionary row or Identifier? flag of its CSV and REDCap exports."""
    before, after = unmarked_shipped(), shipped()
    old, new = CsvExport(before, deidentify), CsvExport(after, deidentify)
    assert new.header() == old.header()
    assert {g: [f.id for f in fs] for g, fs in new.fields.items()} == \
        {g: [f.id for f in fs] for g, fs in old.fields.items()}
    old_project, new_project = RedcapProject(before, deidentify), RedcapProject(after, deidentify)
    assert list(new_project.dictionary_rows()) == list(old_project.dictionary_rows())
    assert new_project.data_header() == old_project.data_header()


# A field shown only when the zip code has one value tells that value wherever it is filled;
# one shown when the record number was answered tells only that it was.
TELLING = CLINIC + """
  - id: local
    title: {en: Local}
    items:
      - {id: near_clinic, type: yes_no, shown_when: 'zip_code = "z02139"', label: {en: Near the clinic?}}
      - {id: transport, type: yes_no, shown_when: 'answered(mrn)', label: {en: Need transport?}}
      - id: section
        type: info
        shown_when: 'mrn > 48213976 and mrn < 48213978'
        label: {en: Follow}
        items:
          - {id: under, type: yes_no, label: {en: Under the section}}
"""


def test_an_item_shown_only_as_an_identifiers_value_allows_is_left_out_too():
    """Seen in review: the de-identified REDCap dictionary said `Shown in the app only when:
    zip_code = "z02139"`, and the data file filled that field only for that zip code."""
    q = load_text(TELLING, "telling.yaml")
    header = CsvExport(q, deidentify=True).header()
    assert "transport" in header  # answered(mrn): whether, not what
    assert not {"near_clinic", "under"} & set(header)
    assert {"near_clinic", "under"} <= set(CsvExport(q).header())  # identified: all there
    project = RedcapProject(q, deidentify=True)
    dictionary = json.dumps([list(row) for row in project.dictionary_rows()])
    assert "near_clinic" not in dictionary and "under" not in dictionary
    for secret in ("z02139", "48213976", "48213978"):
        assert secret not in dictionary


def test_a_row_fields_validity_is_not_taken_for_another_items_of_the_same_id():
    """Seen in review: the de-identification memo was keyed by item id, and a row field may
    share its id with a later item whose checks differ: a record number typed into the
    0-10 item was kept because the row field of the same id allows it."""
    from dataclasses import replace
    from datetime import date

    from screening_app.interop.deidentify import Deidentifier

    q = clinic()
    field = q.item("visits").field("bed")  # an integer with no maximum
    top = replace(q.item("score"), id="bed")  # 0-10, under the row field's id
    deidentifier = Deidentifier()
    assert deidentifier.value(field, 48213977, date(2026, 1, 1)) == 48213977
    assert deidentifier.value(top, 48213977, date(2026, 1, 1)) is None
