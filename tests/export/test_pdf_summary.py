"""The clinician summary, read back from the PDF: every section, every answer, every page."""

from __future__ import annotations

import base64
import os
import re
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from screening_app.engine.answers import is_empty, item_for_path, parse_path
from screening_app.engine.display import answer_parts, format_answer
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from screening_app.store import NotFound
from tests.export.helpers import TODAY, Pdf, complete_answers, draft, export, shipped, squash, submit

T = Translator("en")
CONFIDENTIAL = "CONFIDENTIAL — contains health information"


@pytest.fixture
def complete(store, tmp_path: Path) -> tuple[int, Pdf]:
    sid = submit(store, complete_answers())
    return sid, export(store, sid, tmp_path / "summary.pdf")


def test_sections_come_in_the_order_a_clinician_reads_them(complete):
    _, pdf = complete
    headings = ["Screening summary — for clinician review", "Screening flags", "Key facts",
                "All answers", "1. About you", "10. Consent", "Consent and signature",
                "Sign-offs"]
    found = [pdf.text.find(h) for h in headings if h != "10. Consent"]
    assert -1 not in found
    assert found == sorted(found)
    assert "10. Consent" not in pdf.text  # the consent step has its own section


def test_header_block_identifies_candidate_and_submission(store, complete):
    sid, pdf = complete
    record = store.get_submission(sid)
    first_page = pdf.pages[0]
    for text in ("Example Neurology Clinic", "MSC infusion in MS", "Ana Ejemplo", "Anita",
                 "17 May 1980", "age 46 on 23 Nov 2026", "Female", "+1 (555) 010-2030",
                 "ana.ejemplo@example.org", f"{sid} · code {record.code}", "msc-ms-onboarding",
                 "version 1.0.0", "English", "Submitted — not yet checked or clinically reviewed"):
        assert squash(text) in squash(first_page), text
    assert squash(T("pdf.header.submitted")) in squash(first_page)


# The longest number the phone check takes (20 digits), grouped as people write it.
LONG_PHONE = "+44 (0) 20 7946 0958 123 4567"


@pytest.mark.parametrize("phone", ["+1 (555) 010-2030", LONG_PHONE])
def test_a_phone_number_is_one_line_in_the_header(store, tmp_path, phone):
    """9017e07 said phone numbers never wrap "on the desk and in the summary", but only the
    desk was tested: in the header's value column the longest valid number was split,
    "+44 (0) 20 7946 0958 123" / "4567" (reportlab splits a word too long for its line)."""
    answers = complete_answers()
    answers["phone"] = phone
    sid = submit(store, answers)  # the phone check accepts it
    pdf = export(store, sid, tmp_path / "phone.pdf")
    lines = [line.replace("\xa0", " ").strip() for line in pdf.pages[0].splitlines()]
    assert any(phone in line for line in lines), [line for line in lines if line[:1] in "+0123456789"]


def test_flags_come_first_with_criterion_and_the_answers_that_raised_them(complete):
    _, pdf = complete
    flags_at = pdf.text.index("Screening flags")
    assert pdf.text.index("Key facts") > flags_at
    assert "REVIEW" in pdf.pages[0]
    assert squash("Immunosuppressive therapy within the washout window") in squash(pdf.pages[0])
    assert squash("Ocrelizumab (Ocrevus) — Date of your last dose: 10 Sep 2026") in squash(pdf.pages[0])
    assert squash("Exclusion: 0 · Review: 1 · Info: 0") in squash(pdf.pages[0])
    assert squash("Screening flags support, and do not replace, the clinician's judgement") in pdf.flat


def test_no_flags_is_said_plainly(store, tmp_path):
    answers = complete_answers()
    answers["treatments[0].last_dose_date"] = "2025-06-01"  # outside the washout window
    sid = submit(store, answers)
    assert store.flags(sid) == []
    pdf = export(store, sid, tmp_path / "none.pdf")
    assert squash("No screening flags: none of the screening rules matched these answers.") in pdf.flat
    assert "EXCLUSION" not in pdf.text and "REVIEW" not in pdf.text


def test_flags_of_every_severity_are_grouped_and_named_in_words(store, tmp_path):
    answers = complete_answers()
    answers.update({"prior_cell_therapy": ["hsct"], "steroids_30_days": "yes",
                    "relapses_12_months": 1, "relapses_24_months": 1})
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "all.pdf")
    exclusion = pdf.text.index("EXCLUSION")
    review = pdf.text.index("REVIEW")
    info = pdf.text.index("INFO")
    assert exclusion < review < info
    assert squash("Prior stem cell or cell therapy") in pdf.flat
    assert squash("Stem cell transplant from bone marrow or blood (HSCT)") in pdf.flat
    assert squash("Evidence of recent disease activity") in pdf.flat


def test_key_facts_are_listed(complete):
    _, pdf = complete
    section = squash(pdf.text[pdf.text.index("Key facts"):pdf.text.index("All answers")])
    for text in ("46 years old · Female", "Type: Relapsing-remitting (RRMS)", "11 years since diagnosis",
                 "Level 3 (scale 0–7): I sometimes use a cane", "4 · measured 1 Jun 2026",
                 "0 in the past 12 months · 1 in the past 24 months · most recent started 15 Aug 2025",
                 "MS therapies still taken", "Ocrelizumab (Ocrevus): 10 Sep 2026",
                 "Pregnant: No · Breastfeeding: No"):
        assert squash(text) in section, text


def test_every_answer_and_question_is_printed(complete):
    _, pdf = complete
    q = shipped()
    session = Session(q, complete_answers(), today=TODAY)
    answers_part = squash(pdf.text[pdf.text.index("All answers"):])
    checked = 0
    for path, value in complete_answers().items():
        parts = parse_path(path)
        item = item_for_path(q, path)
        if parts.is_row_marker or item.type == "signature" or not session.is_applicable(path):
            continue
        for text in answer_parts(item, value, T) or [format_answer(item, value, T)]:
            assert squash(text) in answers_part, (path, text)
        if parts.row is None:
            assert squash(item.label.get("en")) in answers_part, path
        checked += 1
    assert checked > 50
    # the treatments table: column heads and both rows
    for text in ("Medicine", "Started", "Still taking", "Last dose", "Reason stopped",
                 "Infusion reaction", "Glatiramer acetate (Copaxone)", "Mar 2019", "20 Jan 2019"):
        assert squash(text) in answers_part, text


def test_items_hidden_by_branching_read_not_applicable_and_their_answers_are_not_shown(store, tmp_path):
    answers = complete_answers()
    answers.update({"cancer_type": "Zebra-cell tumour of the left ear", "cancer_year": 2020})
    sid = submit(store, answers)  # kept, but cancer_history is "no": not applicable
    pdf = export(store, sid, tmp_path / "hidden.pdf")
    flat = pdf.flat
    for question in ("In what year did your MS become secondary progressive?", "What type of cancer?",
                     "Have you ever been diagnosed with PML?"):
        assert squash(question) + "Notapplicable" in flat, question
    assert "Zebra" not in pdf.text
    # the glatiramer row has no infusion reaction question (not an infusion)
    assert pdf.text.count("Not applicable") >= 7


def test_every_page_is_numbered_and_marked_confidential(store, complete):
    sid, pdf = complete
    code = store.get_submission(sid).code
    total = len(pdf.pages)
    assert total >= 3
    for number, text in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {total}" in text
        assert CONFIDENTIAL in text
        assert "Ana Ejemplo" in text
        assert f"Submission {sid} · {code}" in text
        assert "Questionnaire msc-ms-onboarding 1.0.0" in text
        assert "Generated 23 Nov 2026" in text


def test_metadata_permissions_and_atomic_write(store, complete, tmp_path):
    sid, pdf = complete
    code = store.get_submission(sid).code
    assert pdf.metadata["/Title"] == f"Screening summary — submission {sid} ({code})"
    assert pdf.metadata["/Author"] == "Example Neurology Clinic"
    assert "msc-ms-onboarding 1.0.0" in pdf.metadata["/Subject"]
    assert "Ana" not in str(pdf.metadata)  # no patient name in file metadata
    assert os.stat(pdf.path).st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["summary.pdf"]
    assert any("DejaVuSans" in font for font in pdf.fonts)


def test_replacing_an_existing_file_keeps_it_private(store, tmp_path):
    sid = submit(store, complete_answers())
    target = tmp_path / "old.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    pdf = export(store, sid, target)
    assert pdf.pages and os.stat(target).st_mode & 0o777 == 0o600


def test_a_folder_as_target_gets_a_default_name(store, tmp_path):
    sid = submit(store, complete_answers())
    pdf = export(store, sid, tmp_path)
    assert pdf.path.parent == tmp_path.absolute()
    assert pdf.path.name == f"screening-summary-{sid}.pdf"
    assert store.get_submission(sid).code not in pdf.path.name


def test_same_submission_same_text_apart_from_the_generation_time(store, tmp_path):
    sid = submit(store, complete_answers())
    first = export(store, sid, tmp_path / "a.pdf", generated_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    second = export(store, sid, tmp_path / "b.pdf", generated_at=datetime(2027, 1, 2, 8, 30, tzinfo=UTC))

    def without_time(pdf: Pdf) -> str:
        return re.sub(r"Generated [^·]*·", "Generated ·", pdf.text)

    assert first.text != second.text
    assert without_time(first) == without_time(second)


def test_unknown_submission_is_not_found(store, tmp_path):
    from screening_app.export.pdf import export_pdf

    with pytest.raises(NotFound):
        export_pdf(store, 999, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def staff(store) -> None:
    store.create_user("dr-rivera", "Dr. Elena Rivera", "clinician", "24681357", actor="test")
    store.create_user("ana.c", "Ana Castro", "coordinator", "24681357", actor="test")


def test_a_check_and_a_clinical_review_each_say_who_when_and_what(store, tmp_path):
    staff(store)
    sid = submit(store, complete_answers())
    store.mark_checked(sid, "ana.c", "Complete and plausible, checked with the candidate")
    checked = export(store, sid, tmp_path / "checked.pdf")
    first = squash(checked.pages[0])
    assert squash("Answers checked — not yet clinically reviewed") in first
    assert squash("Answers checkedAna Castro (coordinator), 23 Nov 2026") in first
    assert "Reviewed by a clinician" not in checked.text and "Clinically reviewed" not in checked.text
    signoffs = squash(checked.text[checked.text.index("Sign-offs"):])
    assert squash("Complete and plausible, checked with the candidate") in signoffs
    assert squash("This is not a clinical review.") in signoffs
    assert squash("Not reviewed by a clinician yet.") in signoffs
    store.record_clinical_review(sid, "dr-rivera", "invite", "Flags read with the records")
    reviewed = export(store, sid, tmp_path / "reviewed.pdf")
    first = squash(reviewed.pages[0])
    assert squash("StatusClinically reviewed") in first
    assert squash("Invite to a screening visit — Dr. Elena Rivera (clinician), 23 Nov 2026") in first
    signoffs = squash(reviewed.text[reviewed.text.index("Sign-offs"):])
    for text in ("Clinical review (clinician)", "Signed byDr. Elena Rivera (clinician)",
                 "DecisionInvite to a screening visit", "NoteFlags read with the records"):
        assert squash(text) in signoffs, text
    assert "dr-rivera" not in reviewed.text and "ana.c" not in reviewed.text  # people, not logins


def test_consent_statements_signer_signature_and_time(complete):
    _, pdf = complete
    consent = squash(pdf.text[pdf.text.index("Consent and signature"):])
    for text in ("I agree to be contacted by the study team about this study.", "Agreed",
                 "My answers are true to the best of my knowledge.",
                 "Do you allow the study team to ask your neurologist for your medical records?Yes",
                 "Full name of the person signingAna Ejemplo", "Signed 20 Nov 2026",
                 "This questionnaire does not decide whether you can join the study.",
                 "Not checked yet.", "Not reviewed by a clinician yet."):
        assert squash(text) in consent, text
    assert pdf.image_count == 1


def _png_variants() -> list[str]:
    good = base64.b64decode(complete_answers()["signature"]["png"])
    huge = good[:16] + struct.pack(">II", 100_000, 100_000) + good[24:]  # a forged size
    gif = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
    return [base64.b64encode(good[: len(good) // 2]).decode(), base64.b64encode(huge).decode(), gif]


@pytest.mark.parametrize("signature", [None, {"png": "bm90IGFuIGltYWdl", "signed_at": "x"},
                                       {"png": "%%%", "signed_at": "2026-11-20T15:04:05+00:00"},
                                       "just text",
                                       *({"png": png, "signed_at": "2026-11-20T15:04:05+00:00"}
                                         for png in _png_variants())])
def test_a_missing_or_unreadable_signature_says_so(store, tmp_path, signature):
    answers = complete_answers()
    answers["signature"] = signature
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "sig.pdf")
    assert "No signature" in pdf.text
    assert pdf.image_count == 0


def test_an_unreadable_signature_still_shows_when_it_was_signed(store, tmp_path):
    answers = complete_answers()
    answers["signature"] = {"png": _png_variants()[0], "signed_at": "2026-11-20T15:04:05+00:00"}
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "sig.pdf")
    consent = squash(pdf.text[pdf.text.index("Consent and signature"):])
    assert squash("No signature (the stored image cannot be read)Signed 20 Nov 2026 15:04 UTC") in consent


def test_confirmed_soft_warning_is_marked(store, tmp_path):
    answers = complete_answers()
    answers["symptom_onset_year"] = 2017  # after the diagnosis year: a warning
    sid = submit(store, answers, confirmed=("symptom_onset_year",))
    pdf = export(store, sid, tmp_path / "warning.pdf")
    assert squash("2017⚠ Warning shown and confirmed as correct: This is after the year of your "
                  "diagnosis.") in pdf.flat


def test_draft_is_labelled_and_its_flags_computed(store, tmp_path):
    answers = {p: v for p, v in complete_answers().items()
               if shipped().step_of.get(p.split("[")[0]) in {"about_you", "treatments"}}
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "draft.pdf")
    assert "DRAFT — this questionnaire has not been submitted" in pdf.pages[0]
    assert squash("Draft — not submitted") in squash(pdf.pages[0])
    assert squash("Computed for this summary, because the questionnaire was never submitted") in pdf.flat
    # the Ocrevus dose is within the washout window of the day the summary is made
    assert squash("Immunosuppressive therapy within the washout window") in pdf.flat
    assert squash("Required, not answered") in pdf.flat
    assert all(f"Submission {sid}" in text and "DRAFT" in text for text in pdf.pages)


def test_withdrawn_submission_is_labelled(store, tmp_path):
    sid = submit(store, complete_answers())
    store.withdraw(sid, "coordinator", "Entered twice by mistake")
    pdf = export(store, sid, tmp_path / "withdrawn.pdf")
    assert "WITHDRAWN — this submission was withdrawn" in pdf.pages[0]
    assert all("WITHDRAWN" in text for text in pdf.pages)


def test_a_review_before_withdrawal_still_shows_and_the_reason_is_given(store, tmp_path):
    staff(store)
    sid = submit(store, complete_answers())
    store.record_clinical_review(sid, "dr-rivera", "not_eligible", "Exclusion confirmed")
    store.withdraw(sid, "coordinator", "Candidate moved away")
    pdf = export(store, sid, tmp_path / "withdrawn-reviewed.pdf")
    first = squash(pdf.pages[0])
    assert squash("reason: Candidate moved away") in first
    assert squash("Not eligible — Dr. Elena Rivera (clinician), 23 Nov 2026") in first
    assert "Not reviewed by a clinician yet." not in pdf.text
    history = squash(pdf.text[pdf.text.index("Record history"):])
    assert squash("Dr. Elena RiveraClinically reviewed — Not eligible: Exclusion confirmed") in history
    assert squash("Submission withdrawn") in history and squash("Candidate moved away") in history


def test_an_answer_corrected_after_submission_is_marked_with_who_why_and_the_old_value(store, tmp_path):
    staff(store)
    sid = submit(store, complete_answers())
    store.mark_checked(sid, "ana.c", "Complete")
    store.record_clinical_review(sid, "dr-rivera", "invite", "Reviewed with the records")
    store.save_answers(sid, {"edss_score": 7.5}, actor="ana.c",
                       reason="Neurologist's letter gives 7.5")
    pdf = export(store, sid, tmp_path / "corrected.pdf")
    answers = squash(pdf.text[pdf.text.index("All answers"):pdf.text.index("Consent and signature")])
    assert squash("Your most recent EDSS score7.5✎ Corrected after submission") in answers
    assert squash("by Ana Castro. Was: 4. Reason: Neurologist's letter gives 7.5") in answers
    assert squash("Recomputed after answers were corrected at the desk") in pdf.flat
    assert squash("Self-reported EDSS outside the protocol window") in squash(pdf.pages[0])
    history = squash(pdf.text[pdf.text.index("Record history"):])
    for text in ("Answer corrected — Your most recent EDSS score: 4 → 7.5",
                 "Flags recomputed — now raised: Self-reported EDSS does not fit the mobility "
                 "described; Self-reported EDSS outside the protocol window",  # she uses a cane
                 "Check out of date, because an answer changed after it",
                 "Clinical review out of date, because an answer changed after it",
                 "Clinically reviewed — Invite to a screening visit: Reviewed with the records"):
        assert squash(text) in history, text
    signoffs = squash(pdf.text[pdf.text.index("Sign-offs"):pdf.text.rindex("Record history")])
    for text in ("Out of date: signed by Ana Castro (coordinator)",
                 "Out of date: signed by Dr. Elena Rivera (clinician)",
                 "answers were corrected afterwards"):
        assert squash(text) in signoffs, text
    assert squash("Submitted — not yet checked or clinically reviewed") in squash(pdf.pages[0])


def test_summary_is_in_the_language_the_candidate_used(store, tmp_path):
    sid = submit(store, complete_answers(), lang="es")
    pdf = export(store, sid, tmp_path / "es.pdf")
    for text in ("Resumen de la preselección — para revisión clínica", "Indicadores de preselección",
                 "Datos clave", "Todas las respuestas", "Femenino", "Español",
                 "Tratamiento inmunosupresor dentro del periodo de lavado", "10 sept 2026"):
        assert squash(text) in pdf.flat, text
    assert f"Página 1 de {len(pdf.pages)}" in pdf.pages[0]
    assert "CONFIDENCIAL — contiene información de salud" in pdf.pages[-1]


def test_the_clinic_can_print_every_summary_in_its_clinicians_language(store, tmp_path):
    answers = complete_answers()
    answers["allergies"] = "Alergia a la penicilina"
    sid = submit(store, answers, lang="es")
    store.set_setting("summary_language", "en", actor="test")
    pdf = export(store, sid, tmp_path / "es-in-en.pdf")
    for text in ("Screening summary — for clinician review", "Language used Español",
                 "Immunosuppressive therapy within the washout window", "10 Sep 2026",
                 "Alergia a la penicilina"):  # what the candidate typed stays as typed
        assert squash(text) in pdf.flat, text
    store.set_setting("summary_language", "candidate", actor="test")
    assert "Resumen de la preselección" in export(store, sid, tmp_path / "es.pdf").text


def test_never_treated_has_no_treatment_table(store, tmp_path):
    answers = {p: v for p, v in complete_answers().items() if not p.startswith("treatments[")}
    answers["ever_treated"] = "no"
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "untreated.pdf")
    assert squash("Your MS treatmentsNot applicable") in pdf.flat
    assert squash("Never treated with a disease-modifying therapy") in pdf.flat
    assert "Reason stopped" not in pdf.text


def test_pregnancy_not_asked_for_a_man(store, tmp_path):
    answers = {p: v for p, v in complete_answers().items()
               if p not in {"pregnant", "breastfeeding", "planning_pregnancy", "contraception"}}
    answers["sex_at_birth"] = "male"
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "male.pdf")
    assert squash("PregnancyNot asked") in pdf.flat
    # Seen: four "Not applicable" rows; now one line with the reason.
    assert squash("9. Pregnancy and family planningNot asked, because of: Sex assigned at "
                  "birth: Male · Age: 46") in pdf.flat
    assert "Are you pregnant?" not in pdf.text and "Not applicable" not in pdf.text.split(
        "9. Pregnancy")[1].split("Consent and signature")[0]


def test_answers_that_are_not_json_strings_do_not_break_the_summary(store, tmp_path):
    answers = complete_answers()
    answers.update({"first_name": ["a", "list"], "allergies": {"odd": 1}, "edss_score": "four",
                    "treatments[0].last_dose_date": "10/09/2026"})
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "odd.pdf")
    assert "10/09/2026" in pdf.text
    assert "four" in pdf.text
    assert not is_empty(pdf.text)


def test_another_questionnaire_without_key_facts_or_consent_step(store, tmp_path):
    from screening_app.engine.loader import parse_questionnaire

    q = parse_questionnaire("""
id: tiny
version: "2.0.0"
languages: [en, es]
title: {en: "Tiny check", es: "Control breve"}
steps:
  - id: one
    title: {en: "Questions", es: "Preguntas"}
    items:
      - id: mood
        type: yes_no
        label: {en: "Feeling low?", es: "¿Se siente decaído?"}
""", "tiny.yaml")
    sid = store.start_submission(q, "en", actor="kiosk")
    store.save_answer(sid, "mood", "no", actor="kiosk")
    store.submit(sid, actor="kiosk", today=TODAY)
    pdf = export(store, sid, tmp_path / "tiny.pdf")
    assert "Key facts" not in pdf.text
    assert squash("Feeling low?No") in pdf.flat
    assert "This questionnaire has no consent or signature step." in pdf.text
    assert "Questionnaire tiny 2.0.0" in pdf.pages[0]
