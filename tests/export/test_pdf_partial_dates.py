"""Issue 15, "Dates as people know them", in the summary PDF: a relapse given as a month
raises the washout flag when some day of it is within the window, the evidence shows the
month and says that any of its days counts, and the summary says how such dates are read."""

from __future__ import annotations

import pytest

from tests.export.helpers import complete_answers, export, squash, submit

TEXTS = {
    "en": ("Relapse within the washout window",
           "When did your most recent relapse start? Sep 2026 (a month: any of its days counts)",
           "A date given as a month or a year, without its day, is read as any day of it",
           "A date shown as a month or a year was given without its day (or month)."),
    "es": ("Brote dentro del periodo de lavado",
           "¿Cuándo comenzó su brote más reciente? sept 2026 (un mes: cuenta cualquiera de sus días)",
           "Una fecha dada como mes o año, sin el día, se lee como cualquiera de sus días",
           "Una fecha que aparece como mes o año se dio sin el día (o sin el mes)."),
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_relapse_month_raises_the_washout_flag_and_the_pdf_says_how_it_was_read(store, tmp_path, lang):
    answers = complete_answers()
    # Submitted on 23 November 2026: the 60-day washout reaches back to 24 September.
    answers.update({"relapses_12_months": 1, "relapses_24_months": 1, "last_relapse_date": "2026-09"})
    sid = submit(store, answers, lang=lang)
    assert "R07_recent_relapse" in {f.rule for f in store.flags(sid)}
    pdf = export(store, sid, tmp_path / "month.pdf")
    criterion, evidence, reading, legend = TEXTS[lang]
    after_flag = pdf.flat.split(squash(criterion), 1)[1]
    assert after_flag.startswith(squash(evidence)) or squash(evidence) in after_flag[:400]
    assert squash(reading) in squash(pdf.pages[0])  # with the flags, on the first page
    assert squash(legend) in pdf.flat               # and with the answers


def test_a_whole_date_gets_no_note(store, tmp_path):
    answers = complete_answers()
    answers.update({"relapses_12_months": 1, "relapses_24_months": 1, "last_relapse_date": "2026-10-02",
                    "treatments[0].start_date": "2019-03-04", "treatments[1].start_date": "2015-06-01"})
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "day.pdf")
    assert squash("When did your most recent relapse start? 2 Oct 2026") in pdf.flat
    assert squash("any of its days counts") not in pdf.flat
    assert squash("is read as any day of it") not in pdf.flat
    assert squash("was given without its day") not in pdf.flat
