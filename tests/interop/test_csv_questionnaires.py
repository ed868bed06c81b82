"""CSV export of one questionnaire among several: choosing it, and saying what was left out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_questionnaire
from screening_app.resources import RESOURCES
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped

PHQ9 = RESOURCES / "questionnaires" / "phq-9.yaml"
PHQ9_ID = "phq-9-quick-depression-assessment-panel"
PHQ9_ANSWERS = {"q_44250_9": "la6569_3", "q_44255_8": "la6568_5"}


def add(store: Store, questionnaire, answers) -> int:
    return store.import_submission(questionnaire, answers, "tester", today=TODAY,
                                   allow_duplicate=True).submission_id


def export(db_path: Path, out: Path, *extra: str) -> int:
    return main(["export", "--all", "--format", "csv", "--out", str(out), "--db", str(db_path), *extra])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def phq9_only(store: Store) -> list[int]:
    q = load_questionnaire(PHQ9)
    return [add(store, q, PHQ9_ANSWERS), add(store, q, {"q_44250_9": "la6571_9"})]


def test_only_other_questionnaires_is_said_and_nothing_is_written(phq9_only, db_path: Path, tmp_path: Path,
                                                                  capsys):
    assert export(db_path, tmp_path / "export.csv") == 2
    err = capsys.readouterr().err
    assert "no submissions of msc-ms-onboarding to export" in err and f"{PHQ9_ID} (2)" in err
    assert "--questionnaire ID" in err
    assert list(tmp_path.glob("export*")) == []  # no empty files that look like an empty clinic


@pytest.mark.parametrize("choose", [["--questionnaire", PHQ9_ID], ["--definition", str(PHQ9)]])
def test_a_chosen_questionnaire_is_exported_without_group_files(phq9_only, db_path: Path, tmp_path: Path,
                                                                capsys, choose):
    out = tmp_path / "phq.csv"
    assert export(db_path, out, *choose) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"2 submissions of {PHQ9_ID} exported"
    assert printed[1:] == [str(out), str(tmp_path / "phq_dictionary.csv"), str(tmp_path / "phq_choices.csv")]
    assert sorted(p.name for p in tmp_path.glob("phq*")) == [
        "phq.csv", "phq_choices.csv", "phq_dictionary.csv"]  # no group, no group file
    exported = rows(out)
    assert [r["submission_id"] for r in exported] == [str(i) for i in phq9_only]
    assert exported[0]["q_44250_9"] == "la6569_3" and exported[1]["q_44255_8"] == ""


def test_submissions_of_other_questionnaires_are_counted(phq9_only, store: Store, db_path: Path,
                                                         tmp_path: Path, capsys):
    ours = add(store, shipped(), complete_answers())
    out = tmp_path / "export.csv"
    assert export(db_path, out) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"1 submissions of msc-ms-onboarding exported; 2 of other questionnaires left out: {PHQ9_ID} (2) "
        "(choose one with --questionnaire ID)")
    assert [r["submission_id"] for r in rows(out)] == [str(ours)]
    assert (tmp_path / "export_treatments.csv").exists()  # the shipped questionnaire has the group


@pytest.mark.parametrize("choose, message", [
    (["--questionnaire", "nothing-here"], "no questionnaire nothing-here is stored in this database"),
    (["--definition", str(PHQ9), "--questionnaire", "msc-ms-onboarding"],
     f"defines {PHQ9_ID}, not msc-ms-onboarding"),
])
def test_a_questionnaire_that_cannot_be_chosen_is_refused(phq9_only, db_path: Path, tmp_path: Path, capsys,
                                                          choose, message):
    assert export(db_path, tmp_path / "x.csv", *choose) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.glob("x*")) == []
