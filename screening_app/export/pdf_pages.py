"""Page decorations of the clinician summary: a running header and a numbered footer.

Plain drawing functions over a reportlab canvas, and a canvas class that draws them once
the page count is known ("Page 2 of 7"): every finished page is kept as its drawing state
and decorated in `save()`. The texts arrive ready-made (translated, not marked up), so
nothing typed by a person is ever parsed as markup here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from screening_app.export.pdf_styles import (
    BANNER,
    DECORATION_SIZE,
    FONT,
    FONT_BOLD,
    FOOTER_Y,
    HEADER_Y,
    INK,
    MARGIN_X,
    MUTED,
    RULE,
)

ELLIPSIS = "…"


@dataclass(frozen=True)
class PageTexts:
    """What every page shows. `page` is a format string with {page} and {pages}."""

    candidate: str       # "Ana Ejemplo"
    submission: str      # "Submission 42 · K7M2-QX9D"
    confidential: str    # "CONFIDENTIAL — contains health information"
    status_mark: str     # "" or "DRAFT" / "WITHDRAWN", shown in the header when set
    generated: str       # "Generated 23 Nov 2026 10:15 CET"
    version: str         # "msc-ms-onboarding 1.0.0"
    page: str            # "Page {page} of {pages}"


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` (only for the one-line running header)."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + ELLIPSIS, font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def draw_header(canvas: Canvas, texts: PageTexts) -> None:
    """Candidate, submission (and DRAFT/WITHDRAWN) on the left; CONFIDENTIAL on the right."""
    width, height = canvas._pagesize
    y = height - HEADER_Y
    right = width - MARGIN_X
    size = DECORATION_SIZE
    canvas.saveState()
    canvas.setFont(FONT_BOLD, size)
    canvas.setFillColor(BANNER)
    canvas.drawRightString(right, y, texts.confidential)
    available = right - MARGIN_X - stringWidth(texts.confidential, FONT_BOLD, size) - 14
    mark = f"  ·  {texts.status_mark}" if texts.status_mark else ""
    tail = f"  ·  {texts.submission}"
    fixed = stringWidth(tail, FONT, size) + stringWidth(mark, FONT_BOLD, size)
    name = fit(texts.candidate, FONT_BOLD, size, max(available - fixed, available * 0.4))
    x = MARGIN_X
    for text, font, colour in ((name, FONT_BOLD, INK), (tail, FONT, INK), (mark, FONT_BOLD, BANNER)):
        shown = fit(text, font, size, max(0.0, MARGIN_X + available - x))
        canvas.setFont(font, size)
        canvas.setFillColor(colour)
        canvas.drawString(x, y, shown)
        x += stringWidth(shown, font, size)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, y - 4, right, y - 4)
    canvas.restoreState()


def draw_footer(canvas: Canvas, texts: PageTexts, page: int, pages: int) -> None:
    width, _ = canvas._pagesize
    right = width - MARGIN_X
    y = FOOTER_Y
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, y + 9, right, y + 9)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, DECORATION_SIZE)
    canvas.drawString(MARGIN_X, y, f"{texts.generated}  ·  {texts.version}")
    canvas.setFont(FONT_BOLD, DECORATION_SIZE)
    canvas.drawRightString(right, y, texts.page.format(page=page, pages=pages))
    canvas.restoreState()


def numbered_canvas(texts: PageTexts) -> type[Canvas]:
    """A canvas class that decorates every page once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_header(self, texts)
                draw_footer(self, texts, number, count)
                super().showPage()
            super().save()

    return NumberedCanvas
