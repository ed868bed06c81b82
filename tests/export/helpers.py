"""Builders shared by the PDF tests: submissions through the real store, PDFs read back."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from screening_app.engine.answers import flatten_answers
from screening_app.export.pdf import export_pdf
from screening_app.store import Store
from tests.shared import FIXTURES, TODAY, FakeClock, shipped  # noqa: F401  (re-exported)

GENERATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def complete_answers() -> dict[str, Any]:
    raw = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    return flatten_answers(shipped(), raw)



def submit(store: Store, answers: dict[str, Any], *, lang: str = "en",
           confirmed: tuple[str, ...] = ()) -> int:
    sid = draft(store, answers, lang=lang, confirmed=confirmed)
    store.submit(sid, actor="kiosk", today=TODAY)
    return sid


def draft(store: Store, answers: dict[str, Any], *, lang: str = "en",
          confirmed: tuple[str, ...] = ()) -> int:
    sid = store.start_submission(shipped(), lang, actor="kiosk")
    store.save_answers(sid, answers, actor="kiosk", confirmed=confirmed)
    return sid


class Pdf:
    """An exported summary read back: per-page text, whole text, metadata."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            reader = PdfReader(handle)
            self.pages = [page.extract_text() for page in reader.pages]
            self.metadata = dict(reader.metadata or {})
            self.image_count = sum(len(page.images) for page in reader.pages)
            self.fonts = {str(font.get_object().get("/BaseFont"))
                          for page in reader.pages
                          for font in (page["/Resources"].get_object().get("/Font") or {}).values()}
        self.text = "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """The text without any whitespace: wrapping never breaks a comparison."""
        return squash(self.text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def export(store: Store, sid: int, out: Path, **kwargs: Any) -> Pdf:
    kwargs.setdefault("generated_at", GENERATED)
    return Pdf(export_pdf(store, sid, out, **kwargs))
