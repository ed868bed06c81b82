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
from screening_app.interop.redcap import RedcapProject
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped

FIELD_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse", "file", "slider",
               "calc", "descriptive", "sql"}
VALIDATIONS = {"", "date_ymd", "date_mdy", "date_dmy", "datetime_ymd", "datetime_seconds_ymd", "integer",
               "number", "email", "phone", "time", "zipcode", "alpha_only"}
NAME = re.compile(r"[a-z][a-z0-9_]{0,25}\Z")
FORM = re.compile(r"[a-z][a-z0-9_]*\Z")
CHOICES = re.compile(r"[a-z0-9_]+, [^|]+( \| [a-z0-9_]+, [^|]+)*\Z")
# REDCap's data dictionary header, copied from issue 14 (REDCap's template), not from the module.
REDCAP_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
    "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
]
LONG_A, LONG_B = "a_very_long_question_identifier_one", "a_very_long_question_identifier_two"
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
    with open(tmp_path / "study_dictionary.csv", encoding="utf-8", newline="") as handle:
        dictionary_header = next(csv.reader(handle))
    return {"dictionary": read(tmp_path / "study_dictionary.csv"), "data": read(tmp_path / "study_data.csv"),
            "out": out, "answers": answers, "header": header, "dictionary_header": dictionary_header}


def test_the_dictionary_has_redcaps_columns_in_its_order(exported):
    assert len(REDCAP_HEADER) == 18
    assert exported["dictionary_header"] == REDCAP_HEADER
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


def test_one_form_per_step_in_the_steps_order(exported):
    q = shipped()
    forms = [row["Form Name"] for row in exported["dictionary"]]
    runs = [form for number, form in enumerate(forms) if number == 0 or forms[number - 1] != form]
    assert len(runs) == len(set(runs)), "a form's fields must be contiguous"
    assert runs == ["submission", *(step.id for step in q.steps), "treatments_rows"]
    form_of = {row["Variable / Field Name"]: row["Form Name"] for row in exported["dictionary"]}
    for step in q.steps:
        for item in step.items:
            if item.type != "group":
                assert form_of[item.id] == step.id, item.id
    for sub in q.item("treatments").items:
        assert form_of[sub.id] == "treatments_rows", sub.id


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


# Two names too long for REDCap, and one that its metadata fields already take.
LONG_DEFINITION = f"""
id: long
version: "1"
languages: [en]
title: {{en: Long}}
steps:
  - id: only
    title: {{en: Only}}
    items:
      - {{id: {LONG_A}, type: integer, label: {{en: One}}}}
      - {{id: {LONG_B}, type: integer, label: {{en: Two}}, shown_when: "{LONG_A} > 1"}}
      - {{id: status, type: text, label: {{en: A name the metadata has}}}}
"""


def test_long_names_are_shortened_uniquely_and_listed(tmp_path, capsys):
    q = load_text(LONG_DEFINITION, "long.yaml")
    project = RedcapProject(q)
    names = [f.name for form in project.forms for f in form.fields]
    assert all(NAME.match(n) for n in names) and len(names) == len(set(names))
    shortened = dict(project.shortened)
    assert set(shortened) == {LONG_A, LONG_B, "status"}
    assert shortened[LONG_A] != shortened[LONG_B]
    logic = next(f.logic for form in project.forms for f in form.fields if f.name == shortened[LONG_B])
    assert logic == f"[{shortened[LONG_A]}] <> '' and [{shortened[LONG_A]}] > 1"


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


def test_a_chosen_questionnaire_is_exported_alone_and_its_shortened_names_are_printed(
        store: Store, db_path: Path, tmp_path: Path, capsys):
    long = load_text(LONG_DEFINITION, "long.yaml")
    chosen = [store.import_submission(long, {LONG_A: 5, LONG_B: 7}, "tester", today=TODAY,
                                      allow_duplicate=True).submission_id for _ in range(2)]
    store.import_submission(shipped(), complete_answers(), "tester", today=TODAY, allow_duplicate=True)
    store.close()
    prefix = tmp_path / "long"
    assert main(["export", "--all", "--format", "redcap", "--questionnaire", "long", "--out", str(prefix),
                 "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    shortened = dict(RedcapProject(long).shortened)
    assert set(shortened) == {LONG_A, LONG_B, "status"}
    assert printed[0] == ("2 submissions of long exported; 1 of other questionnaires left out: "
                          "msc-ms-onboarding (1)")  # no hint to choose one: it was chosen
    assert printed[1:] == [f"variable {path} is called {shortened[path]} in REDCap (26 characters at most, "
                           "unique)" for path in shortened] + [
        str(tmp_path / "long_dictionary.csv"), str(tmp_path / "long_data.csv")]
    dictionary = read(tmp_path / "long_dictionary.csv")
    assert {row["Form Name"] for row in dictionary} == {"submission", "only"}
    data = read(tmp_path / "long_data.csv")
    assert [row["record_id"] for row in data] == [str(n) for n in chosen]
    assert [(row[shortened[LONG_A]], row[shortened[LONG_B]]) for row in data] == [("5", "7")] * 2
