"""Sample clinician summaries, rendered to PNG pages for anyone to look at.

    python tools/pdf_samples.py --out DIR

Builds a fresh database in DIR with clearly fake submissions, exports each summary and
renders every page (100 % on a 96 dpi screen). The clock is fixed (answered, submitted and
reviewed on 23 Nov 2026, summaries generated at noon), so the dates agree with each other
and the pages look the same on every run but for the random resume codes:

- complete: every question answered (tests/fixtures/complete_answers.json), checked by
  the coordinator and clinically reviewed (invite to a screening visit)
- corrected: checked and reviewed, then two answers corrected at the desk (both sign-offs
  out of date), then withdrawn: the corrections marked where they are printed, and the
  record's history
- hostile: Greek and Cyrillic names, reportlab markup and XML in every free text, a
  20,000-character medicines answer, many flags of every severity, a confirmed warning,
  an unreadable signature
- spanish: the complete answers in Spanish, a man (pregnancy not asked), no treatments
- draft: half answered, never submitted (flags computed for the summary)
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening_app.demo import signature_png  # noqa: E402
from screening_app.engine.answers import flatten_answers  # noqa: E402
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path  # noqa: E402
from screening_app.export.pdf import export_pdf  # noqa: E402
from screening_app.export.preview import render_pages  # noqa: E402
from screening_app.store import Store  # noqa: E402

TODAY = date(2026, 11, 23)
GENERATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class SampleClock:
    """23 Nov 2026 from 09:30 UTC, one minute later at each reading."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


SIGNED_AT = "2026-11-23T09:38:05+00:00"  # just before the sample clock submits
MARKUP = '<b>&amp;</b> <font size="40" color="red">BIG</font> <para>x</para> "quoted" \'single\' & <br/>'


def long_medicines(length: int = 20_000) -> str:
    """A realistic-looking but absurdly long list, with markup, ending in one long 'word'."""
    lines, number = [], 1
    while sum(len(line) + 1 for line in lines) < length - 600:
        lines.append(f"{number}. Vitamin D3 2000 IU daily <i>with food</i> & magnesium 400 mg "
                     f"(Mg<sup>2+</sup>) — Ωμέγα-3 / Омега-3 1 g; note #{number}.")
        number += 1
    text = "\n".join(lines) + "\n"
    text += "X" * (length - len(text) - 4) + " END"
    return text[:length]


def complete_answers(q) -> dict:
    raw = json.loads((ROOT / "tests/fixtures/complete_answers.json").read_text(encoding="utf-8"))
    answers = flatten_answers(q, raw)
    answers["signature"] = {"png": signature_png(), "signed_at": SIGNED_AT}
    return answers


def hostile_answers(q) -> dict:
    answers = complete_answers(q)
    answers.update({
        "first_name": "Ἀλέξανδρος <b>Ωμέγα</b>",
        "last_name": "Жанна Кузнецова-Щукина &amp; Ølsen",
        "preferred_name": MARKUP[:100],
        "country": "Ελλάδα / Россия <script>alert(1)</script>",
        "neurologist_name": "Dr. <u>O'Brien</u> & Partners",
        "symptom_onset_year": 2017,  # after the diagnosis year: a soft warning, confirmed
        "prior_cell_therapy": ["hsct"],
        "infections_known": ["hiv", "tuberculosis"],
        "steroids_30_days": "yes",
        "current_infection": "yes",
        "conditions": ["heart", "bleeding_disorder"],
        "mri_barriers": ["pacemaker", "claustrophobia"],
        "worsened_12_months": "yes",  # an info flag: every severity's box on one page
        "current_medications": long_medicines(),
        "allergies": MARKUP + "\n\nSecond paragraph after a blank line.\n\tTabbed line.",
        "signer_name": "Ἀλέξανδρος Жанна",
        "signature": {"png": "bm90IGFuIGltYWdl", "signed_at": SIGNED_AT},
        "treatments[2]": True,
        "treatments[2].drug": "other",
        "treatments[2].drug_other": "Экспериментальный <b>препарат</b> & co",
        "treatments[2].start_date": "2024-02",
        "treatments[2].still_taking": "yes",
    })
    return answers


def spanish_answers(q) -> dict:
    answers = complete_answers(q)
    answers = {p: v for p, v in answers.items()
               if not p.startswith("treatments[") and p != "preferred_name"}
    answers.update({"first_name": "José Ángel", "last_name": "Núñez Peña", "sex_at_birth": "male",
                    "ever_treated": "no", "signer_name": "José Ángel Núñez Peña",
                    "email": "jose.nunez@example.org",
                    "ms_type": "not_sure", "edss_known": "no", "walking_distance": "20_100m",
                    "mobility_level": "6"})
    return answers


def build(db: Path) -> dict[str, int]:
    q = load_questionnaire(shipped_questionnaire_path())
    ids = {}
    with Store.open(db, SampleClock()) as store:
        store.set_setting("clinic_name", "Example Neurology Clinic (sample data)", actor="samples")
        store.set_setting("study_name", "MSC infusion in MS — MSC-MS-01", actor="samples")
        if not store.has_users():
            store.create_user("dr-rivera", "Dr. Elena Rivera", "clinician", "24681357",
                              actor="samples")
            store.create_user("m.santos", "Marta Santos", "coordinator", "24681357",
                              actor="samples")

        def submitted(name: str, lang: str, answers: dict, confirmed=()) -> int:
            sid = store.start_submission(q, lang, actor="kiosk")
            store.save_answers(sid, answers, actor="kiosk", confirmed=confirmed)
            store.submit(sid, actor="kiosk", today=TODAY)
            ids[name] = sid
            return sid

        sid = submitted("complete", "en", complete_answers(q))
        store.mark_checked(sid, "m.santos", "Answers checked with the candidate: complete and "
                                            "plausible")
        store.record_clinical_review(sid, "dr-rivera", "invite", "Flags read with the medical "
                                     "records; invite for a screening visit")
        sid = submitted("corrected", "en", complete_answers(q))
        store.mark_checked(sid, "m.santos", "Answers checked with the candidate")
        store.record_clinical_review(sid, "dr-rivera", "more_information",
                                     "Ask the neurologist for the latest EDSS")
        store.save_answers(sid, {"edss_score": 7.5, "treatments[0].last_dose_date": "2026-10-01"},
                           actor="m.santos",
                           reason="Candidate brought the neurologist's letter; corrected at the desk")
        store.withdraw(sid, "m.santos", "Candidate decided not to take part")
        submitted("hostile", "en", hostile_answers(q), confirmed=("symptom_onset_year",))
        submitted("spanish", "es", spanish_answers(q))
        draft = store.start_submission(q, "en", actor="kiosk")
        half = {p: v for p, v in complete_answers(q).items()
                if q.step_of.get(p.split("[")[0]) in {"about_you", "diagnosis", "mobility"}}
        half.pop("edss_score")
        store.save_answers(draft, half, actor="kiosk")
        ids["draft"] = draft
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "samples.db"
    for old in args.out.glob("samples.db*"):
        old.unlink()
    ids = build(db)
    with Store.open(db) as store:
        for name, sid in ids.items():
            pdf = export_pdf(store, sid, args.out / f"{name}.pdf", generated_at=GENERATED)
            pages = render_pages(pdf, args.out)
            print(f"{name}: {pdf} ({len(pages)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
