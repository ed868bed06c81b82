"""Page decorations of the clinician summary: a running header and a numbered footer.

Plain drawing functions over a reportlab canvas, and a canvas class that draws them once
the page count is known ("Page 2 of 7"): every finished page is kept as its drawing state
and decorated in `save()`. The texts arrive ready-made (translated, not marked up), so
nothing typed by a person is ever parsed as markup here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
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


@dataclass(frozen=True)
class Piece:
    """A string placed on the page: its baseline start, font and colour."""

    x: float
    y: float
    font: str
    colour: Color
    text: str


def header_pieces(texts: PageTexts, width: float, height: float) -> tuple[Piece, ...]:
    """Candidate, submission (and DRAFT/WITHDRAWN) on the left; CONFIDENTIAL on the right.
    A name too long for that line gets a line of its own above it, so a loose page still
    names the whole person. The same on every page of a summary: laid out once."""
    y = height - HEADER_Y
    right = width - MARGIN_X
    size = DECORATION_SIZE
    confidential = stringWidth(texts.confidential, FONT_BOLD, size)
    pieces = [Piece(right - confidential, y, FONT_BOLD, BANNER, texts.confidential)]
    available = right - MARGIN_X - confidential - 14
    mark = f"  ·  {texts.status_mark}" if texts.status_mark else ""
    tail = f"  ·  {texts.submission}"
    fixed = stringWidth(tail, FONT, size) + stringWidth(mark, FONT_BOLD, size)
    line = [(texts.candidate, FONT_BOLD, INK), (tail, FONT, INK), (mark, FONT_BOLD, BANNER)]
    if stringWidth(texts.candidate, FONT_BOLD, size) > available - fixed:
        name = fit(texts.candidate, FONT_BOLD, size, right - MARGIN_X)
        pieces.append(Piece(MARGIN_X, y + size + 2, FONT_BOLD, INK, name))
        line = [(texts.submission, FONT, INK), (mark, FONT_BOLD, BANNER)]
    x = MARGIN_X
    for text, font, colour in line:
        shown = fit(text, font, size, max(0.0, MARGIN_X + available - x))
        if shown:
            pieces.append(Piece(x, y, font, colour, shown))
        x += stringWidth(shown, font, size)
    return tuple(pieces)


def footer_pieces(texts: PageTexts, width: float, page: int, pages: int) -> tuple[Piece, ...]:
    """Generated time and questionnaire version on the left; "Page X of Y" on the right."""
    number = texts.page.format(page=page, pages=pages)
    right = width - MARGIN_X - stringWidth(number, FONT_BOLD, DECORATION_SIZE)
    return (Piece(MARGIN_X, FOOTER_Y, FONT, MUTED, f"{texts.generated}  ·  {texts.version}"),
            Piece(right, FOOTER_Y, FONT_BOLD, MUTED, number))


def draw_header(canvas: Canvas, pieces: tuple[Piece, ...]) -> None:
    width, height = canvas._pagesize
    _draw_pieces(canvas, pieces)
    _rule(canvas, height - HEADER_Y - 4, width)


def draw_footer(canvas: Canvas, texts: PageTexts, page: int, pages: int) -> None:
    width, _ = canvas._pagesize
    _rule(canvas, FOOTER_Y + 9, width)
    _draw_pieces(canvas, footer_pieces(texts, width, page, pages))


def _draw_pieces(canvas: Canvas, pieces: tuple[Piece, ...]) -> None:
    """The strings in one text object (font and colour set only when they change)."""
    text = canvas.beginText()
    font = colour = None
    for piece in pieces:
        if piece.font != font:
            font = piece.font
            text.setFont(font, DECORATION_SIZE)
        if piece.colour != colour:
            colour = piece.colour
            text.setFillColor(colour)
        text.setTextOrigin(piece.x, piece.y)
        text.textLine(piece.text)
    canvas.drawText(text)


def _rule(canvas: Canvas, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, y, width - MARGIN_X, y)
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
            header = header_pieces(texts, *self._pagesize)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_header(self, header)
                draw_footer(self, texts, number, count)
                super().showPage()
            super().save()

    return NumberedCanvas
