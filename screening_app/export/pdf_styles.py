"""The clinician summary's look, in one place: fonts, colours, paragraph styles, page geometry.

Fonts are the bundled DejaVu Sans family (Latin, Greek and Cyrillic), registered once per
process. Severity is never shown by colour alone: each severity has a word and a box of its
own (border weight, line count and dash pattern differ), so a black-and-white print or a
colour-blind reader sees the same distinctions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from screening_app.resources import RESOURCES

FONTS = RESOURCES / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

# Page geometry. A4 (a Letter printer scales it by 97 %); the frame leaves room for the
# running header and footer that pdf_pages draws.
PAGE_SIZE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
HEADER_Y = 13 * mm  # from the top edge: baseline of the running header
FOOTER_Y = 10 * mm  # from the bottom edge: baseline of the footer
DECORATION_SIZE = 7.5

# Colours: dark text on white, greys for structure. Contrast is at least WCAG AA.
INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#4a4a4a")
RULE = colors.HexColor("#b5b5b5")
SHADE = colors.HexColor("#f1f1f1")
BANNER = colors.HexColor("#7a1f00")


@dataclass(frozen=True)
class SeverityLook:
    """How one severity's box is drawn: the word carries the meaning, the box repeats it."""

    ink: colors.Color          # the severity word and the border
    background: colors.Color   # behind the severity word
    word_ink: colors.Color
    border: float              # border width, points
    lines: int                 # 2 = a double border
    dash: tuple[float, ...] | None  # None = solid


SEVERITY_LOOKS = {
    "exclusion": SeverityLook(colors.HexColor("#9b1c1c"), colors.HexColor("#9b1c1c"),
                              colors.white, 1.6, 2, None),
    "review": SeverityLook(colors.HexColor("#7a4d00"), colors.HexColor("#fbe7c2"),
                           colors.HexColor("#3d2700"), 1.4, 1, None),
    "info": SeverityLook(colors.HexColor("#37474f"), colors.HexColor("#e6ebee"),
                         colors.HexColor("#1f2a30"), 0.8, 1, (3, 2)),
}


@cache
def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) once; <b> and <i> map onto it."""
    pdfmetrics.registerFont(TTFont(FONT, FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONTS / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, FONTS / "DejaVuSans-Oblique.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD)


@dataclass(frozen=True)
class Styles:
    clinic: ParagraphStyle
    title: ParagraphStyle
    banner: ParagraphStyle
    section: ParagraphStyle
    step: ParagraphStyle
    subheading: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    value_bold: ParagraphStyle
    bullet: ParagraphStyle
    not_applicable: ParagraphStyle
    note: ParagraphStyle
    warning: ParagraphStyle
    disclaimer: ParagraphStyle
    table_head: ParagraphStyle
    cell: ParagraphStyle
    cell_not_applicable: ParagraphStyle
    criterion: ParagraphStyle
    evidence: ParagraphStyle
    severity_word: ParagraphStyle
    severity_text: ParagraphStyle
    right: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK,
                          splitLongWords=1)

    def style(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return Styles(
        clinic=style("clinic", fontName=FONT_BOLD, fontSize=10.5, leading=13.5, textColor=MUTED),
        title=style("title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=2,
                    spaceAfter=6),
        banner=style("banner", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=colors.white),
        section=style("section", fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=10,
                      spaceAfter=4, keepWithNext=1),
        step=style("step", fontName=FONT_BOLD, fontSize=10.5, leading=13.5, spaceBefore=9,
                   spaceAfter=3, keepWithNext=1),
        subheading=style("subheading", fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
                         spaceBefore=5, spaceAfter=2, keepWithNext=1),
        label=style("label", textColor=MUTED),
        value=style("value"),
        value_bold=style("value_bold", fontName=FONT_BOLD),
        bullet=style("bullet", leftIndent=9, firstLineIndent=-9),
        not_applicable=style("not_applicable", fontName=FONT_ITALIC, textColor=MUTED),
        note=style("note", fontSize=8.5, leading=11, textColor=MUTED),
        warning=style("warning", fontSize=8.5, leading=11, leftIndent=9, firstLineIndent=-9),
        disclaimer=style("disclaimer", fontName=FONT_ITALIC, fontSize=8.5, leading=11,
                         spaceBefore=4, textColor=MUTED),
        table_head=style("table_head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        cell=style("cell", fontSize=8.5, leading=11),
        cell_not_applicable=style("cell_not_applicable", fontName=FONT_ITALIC, fontSize=8.5, leading=11,
                                  textColor=MUTED),
        criterion=style("criterion", fontName=FONT_BOLD, fontSize=10, leading=13),
        evidence=style("evidence", fontSize=9, leading=12, leftIndent=10, firstLineIndent=-8),
        severity_word=style("severity_word", fontName=FONT_BOLD, fontSize=10.5, leading=13),
        severity_text=style("severity_text", fontSize=7.5, leading=9.5),
        right=style("right", alignment=TA_RIGHT),
    )


@cache
def severity_styles(severity: str) -> tuple[ParagraphStyle, ParagraphStyle]:
    """The severity word and its meaning, in the ink of the severity's box."""
    look, s = SEVERITY_LOOKS[severity], styles()
    return (s.severity_word.clone(f"word-{severity}", textColor=look.word_ink),
            s.severity_text.clone(f"meaning-{severity}", textColor=look.word_ink))


# Table column shares of the frame width.
QA_COLUMNS = (0.42, 0.58)          # question | answer
KEY_FACT_COLUMNS = (0.36, 0.64)    # fact | value: values read in one line where they can
HEADER_COLUMNS = (0.19, 0.29, 0.17, 0.35)  # "Answers checked", "Language used" in one line
SEVERITY_COLUMN = 34 * mm  # the meaning under the word in two lines ("needs the clinician's | judgement")
SEVERITY_PADDING = (3, 6, 4, 6)  # inside a severity box's border: top, right, bottom, left
CELL_PADDING = 3
