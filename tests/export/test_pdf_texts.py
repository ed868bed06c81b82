"""The summary's own words exist in every language, and the preview renders pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from screening_app.engine.display import format_timestamp
from screening_app.export.preview import render_pages
from screening_app.i18n import LANGUAGES, TRANSLATIONS, Translator
from tests.export.helpers import complete_answers, export, submit

SOURCES = Path(__file__).resolve().parents[2] / "screening_app"


def keys(area: str, lang: str) -> set[str]:
    with (TRANSLATIONS / f"{area}.{lang}.yaml").open(encoding="utf-8") as handle:
        return set(yaml.safe_load(handle))


def test_every_language_has_every_text():
    for area in ("pdf", "key_facts"):
        english = keys(area, "en")
        assert all(key.startswith(f"{area}.") for key in english)
        for lang in LANGUAGES:
            assert keys(area, lang) == english, (area, lang)


def test_every_text_the_code_asks_for_exists():
    code = "".join(path.read_text(encoding="utf-8")
                   for path in [*SOURCES.glob("export/pdf*.py"), SOURCES / "engine" / "key_facts.py"])
    fixed = set(re.findall(r"""["'](pdf\.[a-z_.]+[a-z_])["']""", code))
    known = keys("pdf", "en")
    missing = {key for key in fixed - known  # t.plural's keys have .one and .other
               if not {f"{key}.one", f"{key}.other"} <= known}
    assert fixed and not missing, sorted(missing)
    for key in keys("key_facts", "en"):
        assert Translator("es")(key) != key


def test_timestamps_show_local_time_with_zone():
    text = format_timestamp("2026-11-20T15:04:05+00:00", Translator("en"))
    local = datetime(2026, 11, 20, 15, 4, 5, tzinfo=UTC).astimezone()
    assert text.startswith(f"{local.day} Nov 2026 {local:%H:%M} ")
    assert text.split()[-1] == (local.tzname() or f"{local:%z}")


def test_preview_renders_every_page_to_png(store, tmp_path):
    sid = submit(store, complete_answers())
    pdf = export(store, sid, tmp_path / "summary.pdf")
    pages = render_pages(pdf.path, tmp_path / "png", scale=0.5)
    assert len(pages) == len(pdf.pages)
    assert all(page.read_bytes().startswith(b"\x89PNG") for page in pages)
