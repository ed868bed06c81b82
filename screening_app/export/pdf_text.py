"""Text of the summary: escaping, and the paragraph every text is printed with.

Everything that is not our own markup goes through `markup()` (or `para()`, which calls
it): a person's answer, a label from the questionnaire, a name from the settings. `<`,
`>`, `&` and quotes are escaped, line breaks are kept, and control characters (which the
PDF cannot show) become a visible replacement mark instead of disappearing.

`Text` is a reportlab Paragraph that costs less where the summary uses it most: plain
text of one line, and plain lines drawn together (see `Run`, `draw_runs` and `Row`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag
from reportlab.rl_config import _FUZZ, paraFontSizeHeightOffset

# Controls, lone surrogates, and the bidirectional embeddings, overrides and isolates (the
# set the kiosk refuses in an answer): a value stored by another way (an import, an older
# draft) shows U+FFFD where one was, so nothing is hidden or reordered unseen.
_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNPRINTABLE = re.compile(f"[{_CONTROLS}]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def printable(text: object) -> str:
    """`text` on one line with nothing the PDF cannot show (for canvas strings)."""
    return _UNPRINTABLE.sub("\ufffd", " ".join(str(text).split()))


def markup(text: object) -> str:
    """Any text made safe for a Paragraph: it prints literally, line breaks kept."""
    clean = _UNPRINTABLE.sub("\ufffd", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    return escape(clean, _ENTITIES).replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle, *, bold: bool = False) -> Text:
    """A paragraph printing `text` literally (in bold when asked)."""
    text = str(text)
    if not _NEEDS_PARSER.search(text):
        # Plain text (most answers and labels): skip reportlab's markup parser, which
        # would only turn it into this one fragment, at a quarter of the summary's cost.
        # Whitespace is collapsed as the parser does (a no-break space is not whitespace).
        template, one_line = _template(style, bold)
        clean = cleanBlockQuotedText(text) if "\xa0" in text else " ".join(text.split())
        fragment = template.clone(text=clean, link=[], us_lines=[])
        return Text(clean, style, frags=[fragment], one_line=one_line)
    inner = markup(text)
    return Text(f"<b>{inner}</b>" if bold else inner, style)


# Anything reportlab's parser would read (markup, entities, line breaks, control
# characters, soft hyphens) takes the parser's way.
_NEEDS_PARSER = re.compile(rf"[&<>\"'\x00-\x1f\xad{_CONTROLS}]")
_TEMPLATES: WeakKeyDictionary[ParagraphStyle, dict[bool, tuple[ParaFrag, bool]]] = WeakKeyDictionary()


def _template(style: ParagraphStyle, bold: bool) -> tuple[ParaFrag, bool]:
    """The fragment reportlab's parser makes for one plain word in `style` (parsed once),
    and whether a line in that style can take the one-line way."""
    try:
        return _TEMPLATES[style][bold]
    except KeyError:
        fragment = Paragraph("<b>x</b>" if bold else "x", style).frags[0]
        known = _TEMPLATES.setdefault(style, {})
        known[bold] = fragment, _one_line_style(style)
        return known[bold]


class Text(Paragraph):
    """A reportlab Paragraph that is cheaper where the summary asks the most of it.

    - Its size is worked out once per width (rows, tables and `Keep` ask again).
    - One line of plain text (most answers and labels: "Yes", "17 May 1980") is measured
      with one `stringWidth` instead of reportlab's line breaker.
    - Plain text is drawn as `Run`s, where reportlab would draw it, in the same font and
      colour; a `Row` draws the runs of all its cells in one PDF text object. Text with
      markup, and lines whose spaces reportlab squeezes to fit, are drawn by reportlab.
    - Split at a line break, its second part does not start with an empty line (reportlab
      carries the `<br/>` that ended the first part over to the second).
    """

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText: str | None = None,
                 frags: list | None = None, *, one_line: bool = False, **options: Any) -> None:
        super().__init__(text, style, bulletText, frags, **options)
        # `one_line`: the caller made one plain fragment, in a style `_one_line_style` accepts.
        self._plain = one_line and bool(self.text) and not self.bulletText
        self._wrapped: float | None = None  # the width the current size is for
        self._one_line = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._wrapped:
            return self.width, self.height
        self._one_line = False
        if self._plain:
            style, frag = self.style, self.frags[0]
            room = availWidth - style.leftIndent - style.firstLineIndent - style.rightIndent
            if stringWidth(self.text, frag.fontName, frag.fontSize) <= room:
                self._one_line = True
                self.width, self.height = availWidth, style.leading
                self._wrapped = availWidth
                return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped = availWidth if availWidth >= _FUZZ else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._one_line and availWidth == self._wrapped:
            return [self] if availHeight >= self.height else []  # one line does not split
        if availWidth != self._wrapped or self._one_line:
            Paragraph.wrap(self, availWidth, availHeight)  # reportlab splits its own line breaks
            self._one_line, self._wrapped = False, availWidth
        parts = super().split(availWidth, availHeight)
        if not hasattr(self, "blPara"):  # reportlab dropped its line breaks: wrap again later
            self._wrapped = None
        if len(parts) == 2:
            _drop_carried_break(parts[1])
        return parts

    def runs(self, x: float, y: float) -> list[Run] | None:
        """Each line of this text as it is drawn with its bottom left corner at (x, y); None
        when reportlab has to draw it (markup, spaces squeezed to fit, other alignments)."""
        if not self._plain or self._wrapped is None:
            return None
        style, frag = self.style, self.frags[0]
        top = y + self.height - frag.fontSize  # reportlab's first baseline
        if self._one_line:
            return [Run(x + style.leftIndent + style.firstLineIndent, top, frag, self.text)]
        lines = self.blPara.lines
        if self.blPara.kind != 0 or any(unused < -1e-8 for unused, _ in lines):
            return None
        left = x + style.leftIndent
        return [Run(left + (style.firstLineIndent if number == 0 else 0), top - number * style.leading,
                    frag, " ".join(words)) for number, (_, words) in enumerate(lines)]

    def draw(self) -> None:
        runs = self.runs(0, 0)
        if runs is None:
            super().draw()
        else:
            draw_runs(self.canv, runs)


_UNBOUNDED = 0xFFFFFFF
_WORD = re.compile(r"\S+")


def laid_out_pieces(line: str, style: ParagraphStyle, width: float, size: int) -> list[str]:
    """One typed line longer than `size` characters, in pieces that each end where the
    whole line, laid out as one paragraph of `width`, ends a line: so the pieces, one after
    another, read with exactly the line breaks of that paragraph.

    Each piece of about `size` characters is laid out on its own, once, and keeps its lines
    but the last, whose words start the next piece: the work grows with the length. (A
    1 MB answer as one paragraph, split at every page end, was laid out again from the
    split on every page: more than 300 s.) Where the layout cannot be followed word for
    word (a word longer than a line, escaped characters) the piece ends at a space."""
    pieces: list[str] = []
    rest = line
    while len(rest) > size:
        cut = rest.find(" ", size)
        if cut < 0:
            break  # no space left to end a piece at: the rest is one piece
        chunk = rest[:cut]
        paragraph = para(chunk, style)
        paragraph.wrap(width, _UNBOUNDED)
        blocks = getattr(paragraph, "blPara", None)
        end = cut
        if blocks is not None and blocks.kind == 0 and len(blocks.lines) > 1:
            laid = [word for _, words in blocks.lines[:-1] for word in words]
            ends = [match.end() for match in _WORD.finditer(chunk)]
            if laid and laid == [chunk[e - len(w):e] for w, e in zip(laid, ends, strict=False)]:
                end = ends[len(laid) - 1]
        pieces.append(rest[:end])
        rest = rest[end:].lstrip(" ")
    pieces.append(rest)
    return pieces


@dataclass(frozen=True)
class Run:
    """One line of plain text at its baseline, in the font and colour of its fragment."""

    x: float
    y: float
    frag: ParaFrag
    text: str


def draw_runs(canv: Any, runs: Sequence[Run]) -> None:
    """Lines of plain text in one PDF text object, setting font and colour only on a change."""
    text = canv.beginText(runs[0].x, runs[0].y)
    font = colour = None
    for index, run in enumerate(runs):
        frag = run.frag
        if (frag.fontName, frag.fontSize) != font:
            font = (frag.fontName, frag.fontSize)
            text.setFont(frag.fontName, frag.fontSize)
        if frag.textColor != colour:
            colour = frag.textColor
            text.setFillColor(colour)
        if index:
            text.setTextOrigin(run.x, run.y)
        text.textLine(run.text)  # (textOut would measure the text only to move a cursor)
    canv.drawText(text)


def _one_line_style(style: ParagraphStyle) -> bool:
    """Whether a line in `style` is only text: left-aligned, no box, no decorations."""
    return (style.alignment == TA_LEFT and not style.backColor and not style.borderWidth
            and not style.endDots and not style.textTransform and not style.shaping
            and style.wordWrap in (None, "LTR") and bool(paraFontSizeHeightOffset))


def _drop_carried_break(part: Paragraph) -> None:
    """Remove the line break that ended the first part of a split from the second part."""
    frags = part.frags
    if frags and isinstance(frags[0], list) and len(frags[0]) > 1 and not frags[0][0]:
        words = frags[0][1:]
        if all(getattr(frag, "lineBreak", False) and not text for frag, text in words):
            del frags[0]
