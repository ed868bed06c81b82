"""REDCap export: the dictionary against REDCap's published rules, the data against it.

REDCap's rules, as its documentation and its data dictionary template state them: 18
columns in a fixed order and spelling; variable names of lower-case letters, digits and
underscores starting with a letter (26 characters at most is its advice for exports to
statistics packages); form names alike; the record id first; field types and validation
names from its lists; choices as `code, Label | code, Label`; checkbox data in one
column per code, `variable___code`; yes/no as 1/0; dates as YYYY-MM-DD; repeating
instruments as rows with `redcap_repeat_instrument` and `redcap_repeat_instance`.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_text
from screening_app.interop.redcap import COLUMNS, RedcapProject
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped

FIELD_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse", "file", "slider",
               "calc", "descriptive", "sql"}
VALIDATIONS = {"", "date_ymd", "date_mdy", "date_dmy", "datetime_ymd", "datetime_seconds_ymd", "integer",
               "number", "email", "phone", "time", "zipcode", "alpha_only"}
NAME = re.compile(r"[a-z][a-z0-9_]{0,25}\Z")
FORM = re.compile(r"[a-z][a-z0-9_]*\Z")
CHOICES = re.compile(r"[a-z0-9_]+, [^|]+( \| [a-z0-9_]+, [^|]+)*\Z")
REFERENCE = re.compile(r"\[([a-z][a-z0-9_]*)(?:\(([a-z0-9_]+)\))?\]")


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        assert handle.read(1) != "\ufeff", "REDCap wants no byte-order mark"
        handle.seek(0)
        return list(csv.DictReader(handle))


@pytest.fixture
def exported(store: Store, db_path: Path, tmp_path: Path, capsys) -> dict[str, Any]:
    answers = complete_answers()
    answers["current_medications"] = "=HYPERLINK(\"x\")"  # REDCap takes text literally
    for _ in range(2):
        store.import_submission(shipped(), answers, "tester", today=TODAY, allow_duplicate=True)
    store.import_submission(shipped(), {"first_name": "Ana", "ms_diagnosed": "no"}, "tester",
                            today=TODAY, allow_duplicate=True)
    store.close()
    prefix = tmp_path / "study"
    assert main(["export", "--all", "--format", "redcap", "--out", str(prefix), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    with open(tmp_path / "study_data.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    return {"dictionary": read(tmp_path / "study_dictionary.csv"), "data": read(tmp_path / "study_data.csv"),
            "out": out, "answers": answers, "header": header}


def test_the_dictionary_has_redcaps_columns_in_its_order(exported):
    assert tuple(exported["dictionary"][0].keys()) == COLUMNS
    assert len(COLUMNS) == 18
    first = exported["dictionary"][0]
    assert (first["Variable / Field Name"], first["Form Name"]) == ("record_id", "submission")


def test_every_field_follows_redcaps_rules(exported):
    names = [row["Variable / Field Name"] for row in exported["dictionary"]]
    assert len(names) == len(set(names))
    forms = []
    for row in exported["dictionary"]:
        name, kind = row["Variable / Field Name"], row["Field Type"]
        assert NAME.match(name), name
        assert FORM.match(row["Form Name"])
        if row["Form Name"] not in forms:
            forms.append(row["Form Name"])
        assert not name.endswith("_complete") or name[:-9] not in forms
        assert kind in FIELD_TYPES
        assert row["Text Validation Type OR Show Slider Number"] in VALIDATIONS
        for bound in (row["Text Validation Min"], row["Text Validation Max"]):
            assert bound == "" or re.fullmatch(r"-?\d+(\.\d+)?", bound)
        if kind in ("radio", "dropdown", "checkbox"):
            assert CHOICES.match(row["Choices, Calculations, OR Slider Labels"]), name
        elif kind != "calc":
            assert row["Choices, Calculations, OR Slider Labels"] == ""
        assert row["Identifier?"] in ("", "y") and row["Required Field?"] in ("", "y")
    by_name = {row["Variable / Field Name"]: row for row in exported["dictionary"]}
    assert by_name["ms_type"]["Field Type"] == "radio"
    assert by_name["prior_cell_therapy"]["Field Type"] == "checkbox"
    assert by_name["edss_score"]["Text Validation Type OR Show Slider Number"] == "number"
    assert by_name["edss_score"]["Text Validation Max"] == "10"
    assert by_name["date_of_birth"]["Text Validation Type OR Show Slider Number"] == "date_ymd"
    assert by_name["current_medications"]["Field Type"] == "notes"
    assert {by_name[n]["Identifier?"] for n in ("first_name", "last_name", "date_of_birth", "phone",
                                                "email")} == {"y"}
    assert by_name["ms_type"]["Identifier?"] == ""


def test_branching_logic_names_existing_variables_and_codes(exported):
    rows = {row["Variable / Field Name"]: row for row in exported["dictionary"]}
    checkboxes = {n: {c.split(", ")[0] for c in r["Choices, Calculations, OR Slider Labels"].split(" | ")}
                  for n, r in rows.items() if r["Field Type"] == "checkbox"}
    said = 0
    for row in rows.values():
        logic = row["Branching Logic (Show field only if...)"]
        if not logic:
            continue
        said += 1
        assert logic.count("(") == logic.count(")")
        assert " AND " not in logic and " OR " not in logic and "!=" not in logic
        for variable, code in REFERENCE.findall(logic):
            assert variable in rows, (row["Variable / Field Name"], variable)
            if code:
                assert code in checkboxes[variable]
    assert said > 10
    assert rows["ms_type"]["Branching Logic (Show field only if...)"] == "[ms_diagnosed] = 'yes'"
    unsaid = [r for r in rows.values() if "not expressible" in r["Field Annotation"]]
    assert unsaid and all("Shown in the app only when:" in r["Field Annotation"] for r in unsaid)


def test_every_data_column_is_a_variable_or_a_checkbox_code(exported):
    rows = {row["Variable / Field Name"]: row for row in exported["dictionary"]}
    expected = ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    for name, row in rows.items():
        if name == "record_id" or row["Field Type"] in ("descriptive", "calc"):
            continue
        if row["Field Type"] == "checkbox":
            expected += [f"{name}___{choice.split(', ')[0]}"
                         for choice in row["Choices, Calculations, OR Slider Labels"].split(" | ")]
        else:
            expected.append(name)
    assert exported["header"] == expected


def test_data_is_in_redcaps_import_format(exported):
    rows = {row["Variable / Field Name"]: row for row in exported["dictionary"]}
    data = exported["data"]
    main_rows = [r for r in data if not r["redcap_repeat_instrument"]]
    assert len(main_rows) == 3
    first = main_rows[0]
    assert first["current_medications"] == '=HYPERLINK("x")'  # literally, no guard apostrophe
    for row in data:
        for column, value in row.items():
            name = column.split("___")[0]
            kind = rows[name]["Field Type"] if name in rows else ""
            if kind in ("yesno", "checkbox"):
                assert value in ("", "0", "1"), (column, value)
            if rows.get(name, {}).get("Text Validation Type OR Show Slider Number") == "date_ymd" and value:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    assert first["prior_cell_therapy___none"] in ("0", "1")
    assert {first[f"prior_cell_therapy___{c.code}"] for c in shipped().item("prior_cell_therapy").choices} \
        <= {"0", "1"}
    repeated = [r for r in data if r["redcap_repeat_instrument"]]
    rows_per_record = sum(1 for path in exported["answers"] if re.fullmatch(r"treatments\[\d+\]", path))
    assert rows_per_record >= 2
    assert len(repeated) == 2 * rows_per_record
    assert [r["redcap_repeat_instance"] for r in repeated[:rows_per_record]] == \
        [str(n) for n in range(1, rows_per_record + 1)]
    assert all(r["record_id"] == main_rows[0]["record_id"] for r in repeated[:rows_per_record])
    # Not applicable answers are blank: the third person has no MS diagnosis.
    assert main_rows[2]["ms_type"] == "" and main_rows[2]["ms_diagnosed"] == "no"


def test_long_names_are_shortened_uniquely_and_listed(tmp_path, capsys):
    long_a, long_b = "a_very_long_question_identifier_one", "a_very_long_question_identifier_two"
    q = load_text(f"""
id: long
version: "1"
languages: [en]
title: {{en: Long}}
steps:
  - id: only
    title: {{en: Only}}
    items:
      - {{id: {long_a}, type: integer, label: {{en: One}}}}
      - {{id: {long_b}, type: integer, label: {{en: Two}}, shown_when: "{long_a} > 1"}}
      - {{id: status, type: text, label: {{en: A name the metadata has}}}}
""", "long.yaml")
    project = RedcapProject(q)
    names = [f.name for form in project.forms for f in form.fields]
    assert all(NAME.match(n) for n in names) and len(names) == len(set(names))
    shortened = dict(project.shortened)
    assert set(shortened) == {long_a, long_b, "status"}
    assert shortened[long_a] != shortened[long_b]
    logic = next(f.logic for form in project.forms for f in form.fields if f.name == shortened[long_b])
    assert logic == f"[{shortened[long_a]}] <> '' and [{shortened[long_a]}] > 1"


def test_sections_and_follow_ups_carry_what_they_stand_under(tmp_path):
    q = load_text("""
id: nested
version: "1"
languages: [en]
title: {en: Nested}
steps:
  - id: only
    title: {en: Only}
    items:
      - {id: smoker, type: yes_no_unsure, label: {en: Smoker}}
      - id: details
        type: info
        label: {en: Details}
        shown_when: 'smoker = "yes"'
        items:
          - id: packs
            type: integer
            label: {en: Packs}
            items:
              - {id: since, type: integer, label: {en: Since}}
""", "nested.yaml")
    rows = {f.name: f for form in RedcapProject(q).forms for f in form.fields}
    assert rows["packs"].logic == "[smoker] = 'yes'"
    assert rows["since"].logic == "([smoker] = 'yes') and ([packs] <> '')"
