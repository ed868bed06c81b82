"""The summary as an archival document, read back from the PDF: every font embedded (not
one Helvetica object), language and title set, key facts on page 1 with the flags when they
fit together, and no page break where none is needed. Seen: with flags, Key facts moved to
page 2 although page 1 had room; consent always started a new page; `pdffonts` listed a
non-embedded Helvetica in every file."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pypdf
import pytest

from screening_app.export.pdf import export_pdf
from screening_app.store import Store

ROOT = Path(__file__).resolve().parents[2]
FLAGS_THAT_FIT = 5  # the shipped samples have up to five


def tools_samples():
    spec = importlib.util.spec_from_file_location("pdf_samples", ROOT / "tools" / "pdf_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, tuple[pypdf.PdfReader, int, Path]]:
    """The shipped samples (tools/pdf_samples.py) and one more with five flags, checked and
    clinically reviewed (both sign-offs in the header)."""
    samples = tools_samples()
    folder = tmp_path_factory.mktemp("samples")
    ids = samples.build(folder / "samples.db")
    with Store.open(folder / "samples.db") as store:
        q = store.questionnaire_for(ids["complete"])
        answers = samples.complete_answers(q)
        answers.update({"steroids_30_days": "yes", "investigational_24_months": "yes",
                        "current_infection": "yes", "symptom_onset_year": 2016})
        sid = store.start_submission(q, "en", actor="kiosk")
        store.save_answers(sid, answers, actor="kiosk")
        store.submit(sid, actor="kiosk", today=samples.TODAY)
        store.mark_checked(sid, "m.santos", "Answers checked with the candidate")
        store.record_clinical_review(sid, "dr-rivera", "more_information", "Ask for records")
        ids["five flags, signed"] = sid
        found = {}
        for name, sid in ids.items():
            path = export_pdf(store, sid, folder / f"{name}.pdf", generated_at=samples.GENERATED)
            found[name] = (pypdf.PdfReader(path), len(store.flags(sid)) if name != "draft" else 1,
                           path)
    assert found["five flags, signed"][1] == 5
    assert max(flags for name, (_, flags, _) in found.items() if name != "hostile") <= FLAGS_THAT_FIT
    return found


def fonts_of(reader: pypdf.PdfReader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.append(font.get_object())
    return fonts


def test_every_font_is_embedded_and_there_is_no_helvetica(samples):
    for name, (reader, _flags, path) in samples.items():
        fonts = fonts_of(reader)
        assert fonts, name
        for font in fonts:
            assert "Helvetica" not in str(font["/BaseFont"]), (name, font["/BaseFont"])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, (name, font["/BaseFont"])  # the TrueType program
        raw = path.read_bytes()
        assert b"Helvetica" not in raw, name


def test_the_document_says_its_language_and_shows_its_title(samples):
    for name, (reader, _flags, _path) in samples.items():
        root = reader.trailer["/Root"]
        assert root["/Lang"] in ("en", "es"), name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], name
        assert reader.metadata.title.startswith(("Screening summary", "Resumen")), name


def test_key_facts_share_page_one_with_up_to_five_flags(samples):
    for name, (reader, flags, _path) in samples.items():
        if flags > FLAGS_THAT_FIT:
            continue
        first = reader.pages[0].extract_text()
        assert "Key facts" in first or "Datos clave" in first, (name, flags)


def test_consent_follows_on_the_page_the_answers_end_when_there_is_room(samples):
    reader, _flags, _path = samples["complete"]
    pages = [page.extract_text() for page in reader.pages]
    consent = next(n for n, text in enumerate(pages) if "Consent and signature" in text)
    assert "9. Pregnancy and family planning" in pages[consent]  # right after the answers
