"""Whatever a person typed prints literally, in any script, at any length, and never
changes the layout or breaks the export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.export.helpers import Pdf, complete_answers, draft, export, squash, submit

MARKUP = '<b>&amp;</b> <font size="40" color="red">BIG</font> <para>x</para> "q" \'s\' & <br/>'
MEDICINES_LABEL = "What medicines do you take now?"


def long_medicines(length: int = 20_000) -> str:
    lines, number = [], 1
    while sum(len(line) + 1 for line in lines) < length - 500:
        lines.append(f"{number}. Vitamin D3 <i>2000 IU</i> & magnesium (Mg<sup>2+</sup>) — "
                     f"Ωμέγα-3 / Омега-3 1 g; note #{number}.")
        number += 1
    text = "\n".join(lines) + "\n" + "Y" * 400 + " END"
    return text + "z" * (length - len(text))


def body_text(pdf: Pdf, label: str, decorations: list[str]) -> str:
    """The squashed text without the running header and footer (`decorations`) and the
    question repeated at the top of each page that continues a long answer."""
    text = pdf.flat
    for decoration in [*decorations, f"{label} (continued)"]:
        text = text.replace(squash(decoration), "")
    # "Page 3 of 16" with the page count written out: a next page starting "4. ..." is
    # squashed to "Page3of164." and \d+ took its 4 as well.
    return re.sub(rf"Generated.{{0,40}}?msc-ms-onboarding1\.0\.0|Page\d+of{len(pdf.pages)}", "", text)


def test_names_in_greek_and_cyrillic_print_correctly(store, tmp_path):
    answers = complete_answers()
    answers.update({"first_name": "Ἀλέξανδρος", "last_name": "Кузнецова-Щукина Ølsen",
                    "signer_name": "Ἀλέξανδρος Кузнецова-Щукина"})
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "names.pdf")
    assert "Ἀλέξανδρος Кузнецова-Щукина Ølsen" in pdf.pages[0]
    assert all("Ἀλέξανδρος" in page for page in pdf.pages)  # the running header
    assert "Ἀλέξανδρος Кузнецова-Щукина" in pdf.text.split("Consent and signature")[1]


def test_markup_and_xml_in_answers_print_literally(store, tmp_path):
    answers = complete_answers()
    answers.update({"first_name": "<b>Ana</b> & <i>Co</i>", "preferred_name": MARKUP[:100],
                    "country": "<script>alert(1)</script>", "allergies": MARKUP,
                    "neurologist_name": "Dr. <u>O'Brien</u> &amp; \"Partners\""})
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "markup.pdf")
    for text in ("<b>Ana</b> & <i>Co</i>", "<script>alert(1)</script>",
                 "Dr. <u>O'Brien</u> &amp; \"Partners\"",
                 '<b>&amp;</b> <font size="40" color="red">BIG</font> <para>x</para> "q" \'s\' & <br/>'):
        assert squash(text) in pdf.flat, text
    assert "<b>Ana</b> & <i>Co</i>" in pdf.pages[1] or "<b>Ana</b> & <i>Co</i>" in pdf.pages[0]


def test_a_20000_character_answer_flows_across_pages_in_full(store, tmp_path):
    medicines = long_medicines()
    assert len(medicines) == 20_000
    answers = complete_answers()
    answers["current_medications"] = medicines
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "long.pdf")
    assert len(pdf.pages) >= 10
    code = store.get_submission(sid).code
    decorations = ["Ana Ejemplo", f"· Submission {sid} · {code}",
                   "CONFIDENTIAL — contains health information"]
    assert squash(medicines) in body_text(pdf, MEDICINES_LABEL, decorations)
    continued = [page for page in pdf.pages if squash(f"{MEDICINES_LABEL} (continued)") in squash(page)]
    assert len(continued) >= 5  # every page the answer continues on repeats its question
    # what follows the long answer is still there, after it
    assert pdf.text.index("Do you have any allergies?") > pdf.text.index("END")


def test_a_20000_character_word_is_wrapped_not_cut(store, tmp_path):
    answers = complete_answers()
    answers["allergies"] = "Ж" * 20_000
    sid = submit(store, answers)
    pdf = export(store, sid, tmp_path / "word.pdf")
    assert pdf.flat.count("Ж") == 20_000


def test_unprintable_characters_are_shown_not_dropped(store, tmp_path):
    answers = complete_answers()
    answers["allergies"] = "nuts\x00\x07 and \x1b latex\r\nsecond line\rthird"
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "controls.pdf")
    assert squash("nuts\ufffd\ufffd and \ufffd latex") in pdf.flat
    assert "second line" in pdf.text and "third" in pdf.text


def test_bidi_overrides_and_c1_controls_are_shown_not_obeyed(store, tmp_path):
    """A name stored with a right-to-left override (an import, an older draft) would read
    backwards where it is obeyed: the summary marks each one instead, header included."""
    answers = complete_answers()
    answers.update({"last_name": "Lopez\u202eztiF", "allergies": "nuts\x85latex \u2066x\u2069"})
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "bidi.pdf")
    assert "\u202e" not in pdf.text and "\x85" not in pdf.text and "\u2066" not in pdf.text
    assert all("Lopez\ufffdztiF" in page for page in pdf.pages)  # the running header too
    assert squash("nuts\ufffdlatex \ufffdx\ufffd") in pdf.flat


def test_absurdly_long_draft_values_do_not_break_the_layout(store, tmp_path):
    answers = complete_answers()
    name = "Long" + "ñ" * 20_000
    answers.update({"first_name": name, "phone": "5" * 3000,
                    "treatments[0].drug": "other", "treatments[0].drug_other": "Q" * 1500})
    sid = draft(store, answers)
    pdf = export(store, sid, tmp_path / "absurd.pdf")
    assert squash("(shortened here; in full under All answers)") in squash(pdf.pages[0])
    assert pdf.flat.count("ñ") > 20_000  # in full under All answers (and shortened above)
    assert "Q" * 40 in pdf.flat and pdf.flat.count("Q") >= 1500
    assert "Entry 1" in pdf.text  # the treatments shown entry by entry: a cell that long
    assert all("Longññ" in page and "ñ…" in page for page in pdf.pages)  # running header: cut to fit


def test_a_long_real_name_is_whole_in_the_running_header_of_every_page(store, tmp_path):
    answers = complete_answers()
    answers.update({"first_name": "María Fernanda de los Ángeles",
                    "last_name": "Rodríguez-Villalobos Santamaría"})
    sid = submit(store, answers, lang="es")
    store.withdraw(sid, actor="desk", reason="Asked to stop")
    pdf = export(store, sid, tmp_path / "long-name.pdf")
    full = "María Fernanda de los Ángeles Rodríguez-Villalobos Santamaría"
    assert len(pdf.pages) > 2
    assert all(full in page and "…" not in page.split("\n")[0] for page in pdf.pages[1:])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quotes_and_ampersands_in_the_settings_print_literally(store, tmp_path: Path, lang):
    store.set_setting("clinic_name", "Clinic <A&B> \"Norte\"", actor="test")
    sid = submit(store, complete_answers(), lang=lang)
    pdf = export(store, sid, tmp_path / "settings.pdf")
    assert 'Clinic <A&B> "Norte"' in pdf.pages[0]
    assert pdf.metadata["/Author"] == 'Clinic <A&B> "Norte"'
