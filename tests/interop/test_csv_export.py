"""CSV export: read back with the csv module; hostile cells; de-identification; streaming."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import main
from screening_app.interop.csv_export import FORMULA_START, cell, neutralise
from screening_app.store import Store
from screening_app.store.streaming import iter_submission_answers
from tests.interop.helpers import TODAY, complete_answers, shipped

HOSTILE = {
    "preferred_name": '=HYPERLINK("http://example.com/x","Click")',
    "country": "+SUM(1,1)",
    "current_medications": "-2+3",
    "allergies": "@cmd|' /C calc'!A0",
    "neurologist_name": "\tTabbed",
}
IDENTIFIERS = ("Ana", "Ejemplo", "José", "Núñez", "Anita", "555", "010-2030", "example.org",
               "1980-05-17", "1979-01-31", "Dr. Sample", "Penicillin", "Vitamin D")


def read(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(codecs.BOM_UTF8)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def as_dicts(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def filled(store: Store) -> dict[str, int]:
    q = shipped()
    ids = {}

    def add(name: str, lang: str = "en", **changes: Any) -> None:
        result = store.import_submission(q, complete_answers(**changes), "tester", lang=lang,
                                         today=TODAY, allow_duplicate=True)
        assert result.status == "submitted", result.problems
        ids[name] = result.submission_id

    add("complete", spms_conversion_year=2020)  # rrms: the conversion year is not applicable
    add("hostile", lang="es", first_name="José", last_name="Núñez", date_of_birth="1979-01-31",
        phone="+34 600 000 000", email="jose@example.org", signer_name="José Núñez",
        treatments=[{"drug": "other", "drug_other": "=1+1", "still_taking": "yes"}], **HOSTILE)
    draft = store.start_submission(q, "en", actor="kiosk")
    store.save_answers(draft, {"first_name": "Eva", "last_name": "Luna", "ms_diagnosed": "no"}, "kiosk")
    ids["draft"] = draft
    return ids


def export(db_path: Path, out: Path, *extra: str) -> list[Path]:
    code = main(["export", "--all", "--format", "csv", "--out", str(out), "--db", str(db_path), *extra])
    assert code == 0
    return [out, out.with_name(out.stem + "_treatments.csv"), out.with_name(out.stem + "_dictionary.csv"),
            out.with_name(out.stem + "_choices.csv")]


def test_one_row_per_submission_and_a_column_per_item(filled, db_path: Path, tmp_path: Path, capsys):
    main_path, rows_path, dictionary_path, choices_path = export(db_path, tmp_path / "export.csv")
    assert capsys.readouterr().out.splitlines() == [
        "3 submissions of msc-ms-onboarding exported",
        str(main_path), str(rows_path), str(dictionary_path), str(choices_path)]
    rows = read(main_path)
    items = [i.id for i in shipped().all_items() if i.type != "info"]
    assert rows[0] == ["submission_id", "questionnaire_version", "status", "lang", "started_at",
                       "submitted_at", "updated_at", *items]
    records = {int(r["submission_id"]): r for r in as_dicts(rows)}
    assert list(records) == [filled["complete"], filled["hostile"], filled["draft"]]
    complete = records[filled["complete"]]
    assert (complete["status"], complete["first_name"], complete["ms_type"]) == ("submitted", "Ana", "rrms")
    assert complete["preferred_contact"] == "phone;email"
    assert complete["edss_score"] == "4.0" and complete["diagnosis_year"] == "2015"
    assert complete["consent_contact"] == "true" and complete["treatments"] == "2"
    assert complete["signature"] == "2026-11-20T15:04:05+00:00"  # when it was signed, not the image
    assert complete["spms_conversion_year"] == ""                # answered, but not applicable
    draft = records[filled["draft"]]
    assert (draft["status"], draft["first_name"], draft["ms_type"], draft["treatments"]) == (
        "draft", "Eva", "", "")

    treatments = as_dicts(read(rows_path))
    assert [(r["submission_id"], r["row"], r["drug"]) for r in treatments] == [
        (str(filled["complete"]), "1", "ocrelizumab"), (str(filled["complete"]), "2", "glatiramer"),
        (str(filled["hostile"]), "1", "other")]
    assert treatments[1]["infusion_reaction"] == ""  # glatiramer is not an infusion

    dictionary = as_dicts(read(dictionary_path))
    entry = next(d for d in dictionary if d["column"] == "ms_diagnosed")
    assert entry == {"file": "export.csv", "column": "ms_diagnosed", "type": "yes_no_unsure",
                     "label_en": "Has a doctor diagnosed you with multiple sclerosis (MS)?",
                     "label_es": "¿Algún médico le ha diagnosticado esclerosis múltiple (EM)?",
                     "codes": "yes;no;not_sure"}
    columns = {(d["file"], d["column"]) for d in dictionary}
    assert {("export.csv", c) for c in rows[0]} <= columns
    assert {("export_treatments.csv", c) for c in read(rows_path)[0]} <= columns


def test_hostile_cells_are_neutralised(filled, db_path: Path, tmp_path: Path):
    paths = export(db_path, tmp_path / "export.csv")
    hostile = next(r for r in as_dicts(read(paths[0])) if r["submission_id"] == str(filled["hostile"]))
    for item, text in HOSTILE.items():
        assert hostile[item] == "'" + text
    assert hostile["phone"] == "'+34 600 000 000"
    assert hostile["last_name"] == "Núñez"  # UTF-8 survives
    assert as_dicts(read(paths[1]))[-1]["drug_other"] == "'=1+1"
    for path in paths:
        for row in read(path):
            assert not any(value.startswith(FORMULA_START) for value in row), (path, row)


def test_deidentified_export_has_no_names_contacts_free_text_or_birth_dates(filled, db_path: Path,
                                                                             tmp_path: Path):
    paths = export(db_path, tmp_path / "anon.csv", "--deidentify")
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        for identifier in IDENTIFIERS:
            assert identifier not in text, (path.name, identifier)
    header = read(paths[0])[0]
    for column in ("first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email",
                   "neurologist_name", "neurologist_phone", "signer_name", "signature", "country",
                   "current_medications", "allergies", "cancer_type"):
        assert column not in header
    assert "drug_other" not in read(paths[1])[0]
    # In id order, but by random ids, new in each export (the app's ids link back to it).
    rows = as_dicts(read(paths[0]))
    ids = [r["submission_id"] for r in rows]
    assert len(set(ids)) == 3 and not set(ids) & {str(n) for n in filled.values()}
    assert all(len(i) == 16 for i in ids)
    assert [r["submission_id"] for r in as_dicts(read(export(db_path, tmp_path / "again.csv",
                                                              "--deidentify")[0]))] != ids
    complete, hostile, draft = rows
    assert complete["age"] == "46"  # born 1980-05-17, answered 2026-11-23
    assert hostile["age"] == "47"
    assert draft["age"] == ""
    assert complete["ms_type"] == "rrms"  # clinical answers stay
    assert complete["edss_date"] == "2026"  # dates, even of events, as the year
    assert complete["submitted_at"] == "2026"


def test_status_filter(filled, db_path: Path, tmp_path: Path, capsys):
    paths = export(db_path, tmp_path / "drafts.csv", "--status", "draft")
    assert [r["submission_id"] for r in as_dicts(read(paths[0]))] == [str(filled["draft"])]
    assert read(paths[1])[1:] == []
    capsys.readouterr()
    code = main(["export", "--all", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                 "--db", str(db_path), "--status", "finished"])
    assert code == 2 and "--status must be one of" in capsys.readouterr().err


def test_submissions_stream_in_batches_in_id_order(filled, store: Store):
    seen = [(s.id, s.status) for s in iter_submission_answers(store, batch_size=2)]
    assert seen == [(filled["complete"], "submitted"), (filled["hostile"], "submitted"),
                    (filled["draft"], "draft")]
    first = next(iter_submission_answers(store, status="draft"))
    assert first.answers == {"first_name": "Eva", "last_name": "Luna", "ms_diagnosed": "no"}
    with pytest.raises(ValueError):
        next(iter_submission_answers(store, status="finished"))


def test_cells():
    assert [cell(v) for v in (None, True, 3, 4.5, ["a", "b"], "x")] == ["", "true", "3", "4.5", "a;b", "x"]
    assert cell(-3) == "-3"  # numbers are never turned into text
    assert neutralise("=1") == "'=1" and neutralise("a=1") == "a=1"
    assert cell(["-a"]) == "'-a"


def test_a_failed_export_leaves_no_file_behind(filled, store: Store, tmp_path: Path):
    from screening_app.export.csv import export_records
    from screening_app.interop.csv_export import CsvExport

    def failing():
        yield from export_records(store, shipped())
        raise OSError("disk full")

    with pytest.raises(OSError):
        CsvExport(shipped()).write(tmp_path / "export.csv", failing())
    assert not [p.name for p in tmp_path.iterdir() if "export" in p.name]


def test_choices_one_row_each_with_every_language(filled, db_path: Path, tmp_path: Path):
    """Labels contain `;` ("Rituxan; off-label"): one row and one cell per choice and language."""
    paths = export(db_path, tmp_path / "export.csv")
    choices = as_dicts(read(paths[3]))
    rituximab = next(c for c in choices if c["column"] == "drug" and c["code"] == "rituximab")
    assert rituximab == {"file": "export_treatments.csv", "column": "drug", "code": "rituximab",
                         "label_en": "Rituximab (Rituxan; off-label)",
                         "label_es": shipped().item("treatments").field("drug").choice("rituximab")
                         .label.get("es")}
    assert ";" in rituximab["label_en"] and rituximab["label_es"]
    q = shipped()
    expected = [(i.id, c.code) for i in q.all_items() if i.type != "info" for c in i.choices]
    expected += [(f.id, c.code) for i in q.all_items() for f in i.items for c in f.choices]
    assert [(c["column"], c["code"]) for c in choices] == expected
    dictionary = {d["column"]: d for d in as_dicts(read(paths[2]))}
    assert dictionary["drug"]["codes"].split(";")[-2:] == ["cyclophosphamide", "other"]


def test_the_deidentified_age_column_is_typed_text(filled, db_path: Path, tmp_path: Path):
    paths = export(db_path, tmp_path / "anon.csv", "--deidentify")
    age = next(d for d in as_dicts(read(paths[2])) if d["column"] == "age")
    assert age["type"] == "text" and "90+" in age["label_en"]


def test_the_export_reads_signatures_without_their_drawing(filled, store: Store):
    """The CSV needs only when it was signed: the stream can leave the image in the database."""
    full = {s.id: s.answers for s in iter_submission_answers(store)}
    light = {s.id: s.answers for s in iter_submission_answers(store, images=False)}
    signature = full[filled["complete"]]["signature"]
    assert signature["png"]
    assert light[filled["complete"]]["signature"] == {**signature, "png": ""}
    for sid, answers in full.items():  # everything else is the same
        assert {k: v for k, v in light[sid].items() if k != "signature"} == \
            {k: v for k, v in answers.items() if k != "signature"}
