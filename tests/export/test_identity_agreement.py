"""The work list, the PDF, the CSV and the FHIR export of one submission say the same about
the person: what was answered in that submission, whatever another submission of the same
person says (the exact scenario seen: a reviewed submission, "It is the same person"
with another spelling, a later draft edited at the kiosk)."""

from __future__ import annotations

import csv
from datetime import date

from screening_app.engine.display import format_date
from screening_app.export.csv import export_csv
from screening_app.export.fhir import response_for_submission
from screening_app.i18n import Translator
from tests.export.helpers import complete_answers, export, shipped

REVIEWED = {"first_name": "José", "last_name": "Núñez", "date_of_birth": "1980-05-17",
            "phone": "+34 91 555 0101"}
TYPED_AT_THE_DESK = {"first_name": "jose", "last_name": "nunez", "date_of_birth": "1980-05-17"}
LATER_AT_THE_KIOSK = {"first_name": "Josefa", "last_name": "Núñez Ruiz",
                      "date_of_birth": "1981-06-18", "phone": "600 111 222"}


def four_views(store, submission_id, tmp_path) -> dict[str, dict[str, str | None]]:
    """(first name, last name, date of birth, phone) as each of the four shows them."""
    [row] = [r for r in store.list_submissions(limit=100) if r.id == submission_id]
    pdf = export(store, submission_id, tmp_path / f"{submission_id}.pdf")
    out = tmp_path / f"all-{submission_id}.csv"
    export_csv(store, out, None, False)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        [line] = [r for r in csv.DictReader(handle) if r["submission_id"] == str(submission_id)]
    patient = response_for_submission(store, submission_id)["contained"][0]
    return {
        "work list": {"name": row.candidate, "born": row.date_of_birth, "phone": None},
        "pdf": {"text": " ".join(pdf.text.split())},
        "csv": {"name": f"{line['first_name']} {line['last_name']}",
                "born": line["date_of_birth"],
                "phone": line["phone"].removeprefix("'")},  # "'+34": a formula-safe cell
        "fhir": {"name": f"{patient['name'][0]['given'][0]} {patient['name'][0]['family']}",
                 "born": patient["birthDate"],
                 "phone": next(t["value"] for t in patient["telecom"] if t["system"] == "phone")},
    }


def assert_all_say(views, person: dict[str, str]) -> None:
    name = f"{person['first_name']} {person['last_name']}"
    assert views["work list"]["name"] == name
    assert views["work list"]["born"] == person["date_of_birth"]
    for source in ("csv", "fhir"):
        assert views[source] == {"name": name, "born": person["date_of_birth"],
                                 "phone": person["phone"]}, source
    born = format_date(date.fromisoformat(person["date_of_birth"]), Translator("en"))
    for shown in (name, born, person["phone"]):
        assert shown in views["pdf"]["text"], shown


def test_one_submission_reads_the_same_everywhere(store, tmp_path):
    answers = {**complete_answers(), **REVIEWED}
    reviewed = store.start_submission(shipped(), "en", actor="kiosk")
    store.save_answers(reviewed, answers, actor="kiosk")
    store.submit(reviewed, actor="kiosk")
    store.create_user("clinician", "Dr. Clinician", "clinician", "24681357")
    store.record_clinical_review(reviewed, "clinician", "invite", "Checked against the records")
    person = store.get_submission(reviewed).candidate_id

    # At the desk: "It is the same person", typed in lower case without accents.
    later = store.start_for_person(shipped(), "en", "coordinator", person, TYPED_AT_THE_DESK,
                                   use_typed=True)
    # At the kiosk, through the later draft's code: name, date of birth, phone.
    store.save_answers(later, {**complete_answers(), **LATER_AT_THE_KIOSK}, actor="kiosk")

    assert_all_say(four_views(store, reviewed, tmp_path), REVIEWED)
    assert "Josefa" not in four_views(store, reviewed, tmp_path)["pdf"]["text"]
    assert_all_say(four_views(store, later, tmp_path), LATER_AT_THE_KIOSK)
    assert store.get_candidate(person).display_name == "José Núñez"
