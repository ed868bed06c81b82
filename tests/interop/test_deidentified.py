"""De-identified exports follow HIPAA Safe Harbor (issue 12): drafts hold anything, and
whatever they hold that is not a valid answer of its item never leaves the app.

Seen: `--deidentify` wrote a name, a phone number, an e-mail and an SSN, because drafts
accept any value and choice, number and date columns were written as stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.store import Store
from tests.interop.helpers import TODAY, complete_answers, shipped

NAME, PHONE, EMAIL, SSN = "Zebulon Quackenbush", "555-867-5309", "zq@mailbox.example", "078-05-1120"
IDENTIFIERS = (NAME, "Zebulon", "Quackenbush", PHONE, "867-5309", EMAIL, "mailbox", SSN, "05-1120",
               "1962-03-14")
# Every kind of column, given an identifier where its answer belongs (a draft keeps it).
WRONG_TYPED = {
    "ms_type": NAME, "ms_diagnosed": PHONE, "edss_score": SSN, "diagnosis_year": EMAIL,
    "edss_date": f"{NAME} {SSN}", "prior_cell_therapy": [NAME, EMAIL], "mobility_level": PHONE,
    "relapses_24_months": f"{PHONE}", "consent_contact": NAME, "pregnant": EMAIL,
    "treatments[0]": True, "treatments[0].drug": NAME, "treatments[0].start_date": SSN,
    "treatments[0].still_taking": PHONE,
}


@pytest.fixture
def hostile(store: Store, db_path: Path) -> Path:
    q = shipped()
    identity = {"first_name": "Zebulon", "last_name": "Quackenbush", "date_of_birth": "1962-03-14",
                "phone": PHONE, "email": EMAIL}
    store.import_submission(q, {**complete_answers(), **identity}, "tester", today=TODAY,
                            allow_duplicate=True)
    result = store.import_submission(q, {**identity, **WRONG_TYPED}, "tester", today=TODAY,
                                     allow_duplicate=True)
    assert result.status == "draft"
    store.close()
    return db_path


@pytest.mark.parametrize("fmt, out", [("csv", "study.csv"), ("redcap", "study")])
def test_wrong_typed_drafts_full_of_identifiers_leave_none_in_the_export(hostile, tmp_path, capsys, fmt, out):
    assert main(["export", "--all", "--format", fmt, "--out", str(tmp_path / out), "--db", str(hostile),
                 "--deidentify"]) == 0
    printed = capsys.readouterr().out
    files = sorted(tmp_path.glob("*.csv"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        for identifier in IDENTIFIERS:
            assert identifier not in text, (path.name, identifier)
    blanked = int(printed.split("de-identified: ")[1].split()[0])
    assert blanked >= 3  # the wrong values of items that apply are blanked and counted (hidden: blank)
    assert ",64," in "".join(p.read_text(encoding="utf-8-sig") for p in files)  # the age stays


def test_ages_over_89_are_written_90_plus(store: Store, db_path: Path, tmp_path, capsys):
    store.import_submission(shipped(), {**complete_answers(), "date_of_birth": "1930-01-01"}, "tester",
                            today=TODAY, allow_duplicate=True)
    store.close()
    main(["export", "--all", "--format", "csv", "--out", str(tmp_path / "s.csv"), "--db", str(db_path),
          "--deidentify"])
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert ",90+," in text and "1930" not in text


def test_the_docs_list_every_column_with_its_treatment():
    """docs/interop.md has a row for every column of the shipped questionnaire's export,
    kept or not, so the table cannot fall behind the questionnaire."""
    import re

    from screening_app.interop.csv_export import META_COLUMNS

    text = (Path(__file__).resolve().parents[2] / "docs" / "interop.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9_]+)`(?:, `[a-z_]+`)? \| [a-z_]+ \|", text, re.MULTILINE))
    q = shipped()
    columns = {name for name, _, _ in META_COLUMNS} | {i.id for i in q.all_items() if i.is_input}
    columns |= {f.id for i in q.all_items() for f in i.items if f.is_input}
    assert columns <= listed, sorted(columns - listed)


@pytest.mark.parametrize("fmt", ["pdf", "fhir"])
@pytest.mark.parametrize("option", [["--deidentify"], ["--status", "draft"],
                                    ["--questionnaire", "msc-ms-onboarding"]])
def test_an_option_of_study_exports_is_refused_for_one_submission(hostile, tmp_path, capsys, fmt,
                                                                  option):
    """`export 2 --format fhir --deidentify` wrote the whole record, the name in its Patient,
    and said nothing: the option was quietly not applied."""
    out = tmp_path / f"one.{fmt}"
    assert main(["export", "2", "--format", fmt, "--out", str(out), "--db", str(hostile),
                 *option]) == 2
    err = capsys.readouterr().err
    assert f"{option[0]} is for study exports (--all)" in err
    assert not out.exists()


def test_a_verdict_remembered_for_one_submission_is_not_reused_for_another_day():
    """The export checks each repeated value once (codes, numbers, dates), but a date is
    judged against its own submission's day: October is valid for a submission judged in
    November and in the future, so blanked, for one judged in September."""
    from datetime import date

    from screening_app.interop.deidentify import Deidentifier

    item = shipped().item("edss_date")
    deidentifier = Deidentifier()
    assert deidentifier.value(item, "2026-10", date(2026, 11, 23)) == "2026"
    assert deidentifier.value(item, "2026-10", date(2026, 9, 1)) is None
    assert deidentifier.value(item, "2026-10", date(2026, 11, 23)) == "2026"
    assert deidentifier.blanked == 1
    choice = shipped().item("ms_type")
    assert [deidentifier.value(choice, code, date(2026, 11, 23)) for code in ("rrms", "rrms", "bogus")] \
        == ["rrms", "rrms", None]
    assert deidentifier.blanked == 2
