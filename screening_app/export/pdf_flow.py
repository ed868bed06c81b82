"""Building blocks of the summary: light rows, boxes, and long answers that flow.

(Escaping and the paragraph every text is printed with are in `pdf_text`.)

A table row cannot be split across pages, so a long answer does not live in its row:
the row holds the question and the first few lines of the answer, and the rest follows
in the answer column as paragraphs that split between any two lines at a page end. A
20,000-character answer therefore flows over as many pages as it needs, with no gaps,
and is never cut short.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle
from reportlab.platypus.flowables import CondPageBreak, HRFlowable, Spacer
from reportlab.rl_config import _FUZZ

from screening_app.export.pdf_styles import CELL_PADDING, FONT, RULE, SHADE
from screening_app.export.pdf_text import Run, Text, draw_runs, laid_out_pieces, para

# An answer longer than HEAD_CHARS (or of more than HEAD_LINES typed lines) keeps its first
# HEAD_LINES lines, as laid out, in the table row; the rest continues below the row in the
# answer column, in pieces of at most about FLOW_CHARS cut where the person typed a line
# break, or (a longer line) where its layout ends a line (short enough that splitting one
# at a page end stays cheap). So the text reads exactly as one paragraph in the row
# would, only free to cross pages.
HEAD_CHARS = 320
HEAD_LINES = 4
FLOW_CHARS = 2000


def typed_pieces(text: str, size: int) -> list[str]:
    """`text` in pieces of about `size` characters, cut only at its own line breaks (one
    longer line stays whole). Joined with "\n" they give `text` back."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pieces: list[list[str]] = [[]]
    length = 0
    for line in lines:
        if pieces[-1] and length + len(line) + 1 > size:
            pieces.append([])
            length = 0
        pieces[-1].append(line)
        length += len(line) + 1
    return ["\n".join(piece) for piece in pieces]


@dataclass
class QA:
    """A question and its answer side by side; `flow` continues a long answer below."""

    question: list[Flowable]
    answer: list[Flowable] = field(default_factory=list)
    flow: list[Flowable] = field(default_factory=list)
    place: FlowPlace | None = None  # where `flow` is drawn, for notes added after it

    def add_notes(self, notes: Sequence[Flowable]) -> None:
        if self.flow and self.place is not None:
            self.flow.extend(self.place.continuation(note) for note in notes)
        else:
            self.answer.extend(notes)


@dataclass(frozen=True)
class FlowPlace:
    """The answer column, where the rest of a long answer is drawn below its row, and the
    question it repeats at the top of a page ("… (continued)")."""

    offset: float                # from the frame's left edge to the answer's text
    width: float                 # the width of the answer's text, as in the row
    label: str
    label_style: ParagraphStyle
    label_width: float           # the question column

    def continuation(self, paragraph: Flowable) -> Continuation:
        return Continuation(paragraph, self)


def answer_column(widths: Sequence[float]) -> tuple[float, float]:
    """(offset, width) of the text in the second column of a `Row` of `widths`."""
    return widths[0] + CELL_PADDING, widths[1] - 2 * CELL_PADDING - 2


class Continuation(Flowable):
    """A paragraph continuing an answer below its row, in the answer column. When it
    starts a page, it repeats the question in the question column, so no page of a long
    answer is without its question."""

    def __init__(self, paragraph: Flowable, place: FlowPlace) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.place = place
        self._label: Text | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._label = None
        _, height = self.paragraph.wrap(self.place.width, available_height)
        if _at_top(self):
            place = self.place
            self._label = para(place.label, place.label_style)
            height = max(height, self._label.wrap(place.label_width - 2 * CELL_PADDING,
                                                  available_height)[1])
        self.width, self.height = available_width, height
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.paragraph.split(self.place.width, available_height)
        return [Continuation(part, self.place) for part in parts]

    def getSpaceBefore(self) -> float:
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.paragraph.getSpaceAfter()

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, self.place.offset, self.height - self.paragraph.height)
        if self._label is not None:
            self._label.drawOn(self.canv, CELL_PADDING, self.height - self._label.height)


def answer_text(text: str, style: ParagraphStyle, place: FlowPlace) -> tuple[
        list[Flowable], list[Flowable]]:
    """Typed text as (what goes in the row, what flows on below it)."""
    if len(text) <= HEAD_CHARS and text.count("\n") < HEAD_LINES:
        return [para(text, style)], []
    first, *others = [piece for typed in typed_pieces(text, FLOW_CHARS)
                      for piece in (laid_out_pieces(typed, style, place.width, FLOW_CHARS)
                                    if len(typed) > FLOW_CHARS and "\n" not in typed else [typed])]
    head = para(first, style)
    rest: list[Flowable] = []
    _, height = head.wrap(place.width, _UNBOUNDED)
    if height > HEAD_LINES * style.leading + _FUZZ:
        parts = head.split(place.width, HEAD_LINES * style.leading + _FUZZ)
        if len(parts) == 2:
            head, remainder = parts
            rest.append(remainder)
    rest += [para(piece, style) for piece in others]
    return [head], [place.continuation(paragraph) for paragraph in rest]


class Row(Flowable):
    """Cells side by side (a question and its answer; the header block's label/value pairs)
    as one light row, with a rule below it.

    Cheaper than a Table row (each cell is wrapped once, however often the row is asked
    for its size, and there is no table geometry) and, being one flowable per row, free
    to move to the next page between any two rows."""

    def __init__(self, cells: Sequence[Sequence[Flowable]], widths: Sequence[float], *,
                 rule: bool = True, rule_above: bool = False, shade: Sequence[int] = (),
                 fill: Color = SHADE, padding: tuple[float, float, float, float] | None = None) -> None:
        """`shade`: the columns filled with `fill`; `padding`: top, right, bottom, left."""
        super().__init__()
        self.cells = [list(cell) for cell in cells]
        self.widths = tuple(widths)
        self.rule, self.rule_above, self.shade, self.fill = rule, rule_above, tuple(shade), fill
        self.top, self.right, self.bottom, self.left = padding or (
            CELL_PADDING, CELL_PADDING + 2, CELL_PADDING + 1 if rule else 0, CELL_PADDING)
        self._heights: list[list[float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if not self._heights:  # fixed column widths: the cells never need wrapping again
            self._heights = [[flowable.wrap(width - self.left - self.right, available_height)[1]
                              for flowable in cell] for cell, width in zip(self.cells, self.widths,
                                                                           strict=True)]
            inner = max(_stacked(cell, heights) for cell, heights in zip(self.cells, self._heights,
                                                                          strict=True))
            self.width, self.height = sum(self.widths), inner + self.top + self.bottom
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if _at_top(self) and self.height > available_height:
            # Taller than a whole page (absurd input): give up the side-by-side layout
            # rather than the text; the paragraphs then split like any others.
            return [flowable for cell in self.cells for flowable in cell]
        return []

    def draw(self) -> None:
        canv = self.canv  # (drawOn saves and restores the graphics state around draw)
        runs: list[Run] = []
        rules: list[tuple[float, float, float, float]] = []
        self.draw_at(canv, 0, runs, rules)
        _finish(canv, runs, rules)

    def draw_at(self, canv: Any, y: float, runs: list[Run],
                rules: list[tuple[float, float, float, float]]) -> None:
        """Draw the shading and what is not plain text with the row's bottom at `y`; add
        the plain lines to `runs` and the rules to `rules`, to be drawn together."""
        x = 0.0
        for column, (cell, heights, width) in enumerate(zip(self.cells, self._heights, self.widths,
                                                            strict=True)):
            if column in self.shade:
                canv.setFillColor(self.fill)
                canv.rect(x, y, width, self.height, stroke=0, fill=1)
            top = y + self.height - self.top
            for index, (flowable, height) in enumerate(zip(cell, heights, strict=True)):
                if index:
                    top -= flowable.getSpaceBefore()
                top -= height
                lines = flowable.runs(x + self.left, top) if isinstance(flowable, Text) else None
                if lines is None:
                    if runs:  # keep the reading order of the page's text
                        draw_runs(canv, runs)
                        runs.clear()
                    flowable.drawOn(canv, x + self.left, top)
                else:
                    runs += lines
                top -= flowable.getSpaceAfter()
            x += width
        if self.rule:
            rules.append((0, y, self.width, y))
        if self.rule_above:
            rules.append((0, y + self.height, self.width, y + self.height))


class Rows(Flowable):
    """Consecutive rows as one flowable, after an optional heading that stays with the
    first row. All their plain text is drawn in one text object and all their rules in
    one path; it splits between any two rows."""

    def __init__(self, rows: Sequence[Row], heading: Flowable | None = None,
                 rows_height: float | None = None) -> None:
        """`rows_height`: the rows' total height when the caller knows it (a split)."""
        super().__init__()
        self.rows, self.heading = list(rows), heading
        self._lead = 0.0  # the heading's height and the space after it
        self._rows_height = rows_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.heading is not None:
            self._lead = (self.heading.wrap(available_width, available_height)[1]
                          + self.heading.getSpaceAfter())
        self.width = available_width
        self.height = self._lead + _rows_height(self, available_width, available_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return self.heading.getSpaceBefore() if self.heading is not None else 0

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fitting = _fitting(self.rows, available_height - self._lead)
        if fitting == 0:
            if not _at_top(self):
                return []  # the heading and the first row go to the next page together
            first: list[Flowable] = [*([self.heading] if self.heading is not None else []), self.rows[0]]
            rest = self._rows_height - self.rows[0].height
            return [*first, *([Rows(self.rows[1:], rows_height=rest)] if len(self.rows) > 1 else [])]
        placed = sum(row.height for row in self.rows[:fitting])
        return [Rows(self.rows[:fitting], self.heading, placed),
                Rows(self.rows[fitting:], rows_height=self._rows_height - placed)]

    def draw(self) -> None:
        canv = self.canv
        runs: list[Run] = []
        rules: list[tuple[float, float, float, float]] = []
        y = self.height
        if self.heading is not None:
            y -= self._lead
            top = y + self.heading.getSpaceAfter()
            lines = self.heading.runs(0, top) if isinstance(self.heading, Text) else None
            if lines is None:
                self.heading.drawOn(canv, 0, top)
            else:
                runs += lines
        for row in self.rows:
            y -= row.height
            row.draw_at(canv, y, runs, rules)
        _finish(canv, runs, rules)


def _rows_height(table: Rows | Grid, available_width: float, available_height: float) -> float:
    """The total height of a table's rows, added up once: a split hands each part its
    share. (Adding up the remaining rows at every wrap, on every page, made a summary of
    10,000 treatment rows quadratic: 250 rows 1.3 s, 1,000 rows 11.6 s.)"""
    if table._rows_height is None:
        table._rows_height = sum(row.wrap(available_width, available_height)[1]
                                 for row in table.rows)
    return table._rows_height


def _fitting(rows: Sequence[Row], room: float) -> int:
    """How many of the (wrapped) rows fit, one after another, in `room`."""
    fitting = 0
    for row in rows:
        room -= row.height
        if room < 0:
            break
        fitting += 1
    return fitting


def _at_top(flowable: Flowable) -> bool:
    """Whether the frame placing `flowable` is still empty (nothing gains from a new page)."""
    frame = getattr(flowable, "_frame", None)
    return frame is not None and frame._atTop


def _finish(canv: Any, runs: Sequence[Run], rules: Sequence[tuple[float, float, float, float]]) -> None:
    """The plain text, then the rules, each in one go."""
    if runs:
        draw_runs(canv, runs)
    if rules:
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.lines(rules)


def _stacked(flowables: Sequence[Flowable], heights: Sequence[float]) -> float:
    """The height of flowables stacked in a cell, with the space between them."""
    return (sum(heights) + sum(f.getSpaceBefore() for f in flowables[1:])
            + sum(f.getSpaceAfter() for f in flowables[:-1]))


@dataclass(frozen=True)
class Border:
    """A box's border: `lines` lines (2 = double) of `width`, `gap` apart, solid or dashed."""

    colour: Color
    width: float
    lines: int = 1
    dash: tuple[float, ...] | None = None
    gap: float = 1.6

    @property
    def inset(self) -> float:
        """How far the border reaches into the box from its edge."""
        return self.lines * self.width + (self.lines - 1) * self.gap

    def draw(self, canv: Any, width: float, height: float) -> None:
        """Inside the box, so that the lines of a double border join at the corners and no
        line leaves the frame."""
        canv.setStrokeColor(self.colour)
        canv.setLineWidth(self.width)
        if self.dash:
            canv.setDash(list(self.dash))
        for line in range(self.lines):
            inset = self.width / 2 + line * (self.width + self.gap)
            canv.rect(inset, inset, width - 2 * inset, height - 2 * inset, stroke=1, fill=0)
        if self.dash:
            canv.setDash([])


class BoxedRows(Flowable):
    """Rows in a box (the flags of one severity): a rule between two rows, coloured per
    column, and the border around them all. Splits between rows; each part gets its box.

    The rows' widths must leave `border.inset` free on each side."""

    def __init__(self, rows: Sequence[Row], border: Border, separators: Sequence[Color]) -> None:
        super().__init__()
        self.rows, self.border, self.separators = list(rows), border, tuple(separators)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = sum(row.wrap(available_width, available_height)[1] for row in self.rows) + (
            2 * self.border.inset)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fitting = _fitting(self.rows, available_height - 2 * self.border.inset)
        if fitting == 0:
            if _at_top(self):  # one row taller than a page: keep the text
                return [flowable for row in self.rows for cell in row.cells for flowable in cell]
            return []
        return [BoxedRows(self.rows[:fitting], self.border, self.separators),
                BoxedRows(self.rows[fitting:], self.border, self.separators)]

    def draw(self) -> None:
        canv, inset = self.canv, self.border.inset
        y, between = self.height - inset, []
        for row in self.rows:
            y -= row.height
            row.drawOn(canv, inset, y)
            between.append(y)
        canv.setLineWidth(0.4)
        x = inset
        for width, colour in zip(self.rows[0].widths, self.separators, strict=True):
            canv.setStrokeColor(colour)
            canv.lines([(x, y, x + width, y) for y in between[:-1]])
            x += width
        self.border.draw(canv, self.width, self.height)


class Framed(Flowable):
    """One flowable (the drawn signature) in a thin frame, `padding` from its edges."""

    def __init__(self, content: Flowable, width: float, padding: float = 4) -> None:
        super().__init__()
        self.content, self.frame_width, self.padding = content, width, padding
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, height = self.content.wrap(self.frame_width - 2 * self.padding, available_height)
        self.width, self.height = self.frame_width, height + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        self.content.drawOn(self.canv, self.padding, self.padding)
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.6)
        self.canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)


def qa_flowables(qas: Sequence[QA], widths: Sequence[float], heading: Flowable | None = None,
                 *, shade_question: bool = False) -> list[Flowable]:
    """Questions and answers side by side, after `heading`, which stays with the first row."""
    story: list[Flowable] = []
    rows: list[Row] = []
    for qa in qas:
        rows.append(Row([qa.question, qa.answer], widths, rule=not qa.flow,
                        shade=(0,) if shade_question else ()))
        if qa.flow:  # the answer continues below its row: no gap, and the rule after it
            story += [Rows(rows, heading), *qa.flow,
                      HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=CELL_PADDING + 1,
                                 spaceAfter=0)]
            rows, heading = [], None
    if rows:
        story.append(Rows(rows, heading))
    elif heading is not None:
        story.append(heading)
    return story


class Keep(KeepTogether):
    """KeepTogether, measured without copying the frame each time (reportlab does that in
    case a member makes page breaks of its own; these members do not). The document uses
    it for headings kept with what follows them (`keepWithNext` styles) too."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        if any(hasattr(f, "frameAction") or getattr(f, "locChanger", False) for f in self._content):
            return super().wrap(aW, aH)
        # reportlab's _listWrapOn, less the frame copy: adjacent spaces overlap, the space
        # before the first member and after the last one are not counted.
        heights, total, after, first = [], 0.0, 0.0, True
        for flowable in self._content:
            height = flowable.wrap(aW, _UNBOUNDED)[1]
            heights.append(height)
            if height <= _FUZZ:
                continue
            total += height
            if not first:
                total += max(flowable.getSpaceBefore() - after, 0)
            first = False
            after = flowable.getSpaceAfter()
            total += after
        self._H = total - after
        self._H0 = heights[0] if heights else 0
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF  # as KeepTogether: always asked to split, into its members


_UNBOUNDED = 0xFFFFFFF


class Grid(Flowable):
    """A bordered table of light rows (the treatments) whose header row is repeated on
    every page it spans; splits between any two rows."""

    def __init__(self, header: Row, rows: Sequence[Row], rows_height: float | None = None) -> None:
        """`rows_height`: the rows' total height when the caller knows it (a split)."""
        super().__init__()
        self.header, self.rows = header, list(rows)
        self._rows_height = rows_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = sum(self.header.widths)
        self.height = (self.header.wrap(available_width, available_height)[1]
                       + _rows_height(self, available_width, available_height))
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fitting = _fitting(self.rows, available_height - self.header.height)
        if fitting == 0:
            if not _at_top(self):
                return []
            # a row taller than a page: it goes on its own, and splits once at a page top
            rest = self._rows_height - self.rows[0].height
            return [self.header, self.rows[0],
                    *([Grid(self.header, self.rows[1:], rest)] if len(self.rows) > 1 else [])]
        placed = sum(row.height for row in self.rows[:fitting])
        return [Grid(self.header, self.rows[:fitting], placed),
                Grid(self.header, self.rows[fitting:], self._rows_height - placed)]

    def draw(self) -> None:
        canv = self.canv
        runs: list[Run] = []
        y, edges = self.height, [self.height]
        for row in (self.header, *self.rows):
            y -= row.height
            row.draw_at(canv, y, runs, [])
            edges.append(y)
        _finish(canv, runs, [])
        x, columns = 0.0, [0.0]
        for width in self.header.widths:
            x += width
            columns.append(x)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.lines([(0, y, self.width, y) for y in edges]
                   + [(x, 0, x, self.height) for x in columns])


def grid_table(header: list[Flowable], rows: Sequence[Sequence[Sequence[Flowable]]],
               widths: Sequence[float]) -> Grid:
    """A bordered table, the header row shaded and repeated on every page it spans."""
    padding = (CELL_PADDING, CELL_PADDING, CELL_PADDING + 1, CELL_PADDING)
    return Grid(Row([[cell] for cell in header], widths, rule=False, shade=range(len(widths)),
                    padding=padding),
                [Row(cells, widths, rule=False, padding=padding) for cells in rows])


def banner(flowables: list[Flowable], width: float, background, border=None) -> Table:
    """A full-width box (draft and withdrawn notices, the no-flags statement)."""
    table = Table([[flowables]], colWidths=[width])
    commands: list[tuple] = [("BACKGROUND", (0, 0), (-1, -1), background),
                             # A table cell sets its style's font, reportlab's Helvetica
                             # unless told: an unembedded font in the file.
                             ("FONTNAME", (0, 0), (-1, -1), FONT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 7),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                             ("TOPPADDING", (0, 0), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    if border is not None:
        commands.append(("BOX", (0, 0), (-1, -1), 1, border))
    table.setStyle(TableStyle(commands))
    return table


def gap(height: float) -> Spacer:
    return Spacer(1, height)


def room(height: float) -> CondPageBreak:
    """Start a new page unless `height` is left: keeps headings off the bottom of a page."""
    return CondPageBreak(height)
