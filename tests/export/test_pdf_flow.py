"""The building blocks: escaping and the cutting of long answers lose nothing, and the
summary's cheaper paragraphs take the room and look of reportlab's own."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Paragraph, SimpleDocTemplate

from screening_app.export.pdf_flow import (
    HEAD_LINES,
    Border,
    BoxedRows,
    FlowPlace,
    Row,
    Rows,
    answer_column,
    answer_text,
    grid_table,
    typed_pieces,
)
from screening_app.export.pdf_styles import RULE, styles
from screening_app.export.pdf_text import laid_out_pieces, markup, para


def test_markup_escapes_everything_that_reportlab_would_read():
    assert markup('<b>&amp;</b> "q" \'s\'') == "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; &#39;s&#39;"
    assert markup("a\r\nb\rc\nd") == "a<br/>b<br/>c<br/>d"
    assert markup("x\x00y\x1bz\ud800") == "x\ufffdy\ufffdz\ufffd"


@given(st.text(alphabet=st.sampled_from("ab .;,\n\r\tЖω"), max_size=3000),
       st.integers(min_value=10, max_value=400))
def test_typed_pieces_cut_only_at_the_persons_own_line_breaks(text, size):
    pieces = typed_pieces(text, size)
    assert "\n".join(pieces) == text.replace("\r\n", "\n").replace("\r", "\n")
    for piece in pieces:  # several lines only while they fit; one longer line stays whole
        assert "\n" not in piece or len(piece) + 1 <= size


def test_a_long_answer_continues_below_its_row_without_a_break_it_did_not_have(tmp_path):
    """The row holds the first lines as laid out; the rest goes on in the answer column with
    the same line breaks a single paragraph of that width would have."""
    s = styles()
    widths = (150, 250)
    offset, width = answer_column(widths)
    place = FlowPlace(offset, width, "Question (continued)", s.label, widths[0])
    text = " ".join(f"word{n}." for n in range(400))
    head, rest = answer_text(text, s.value, place)
    assert len(head) == 1 and rest
    whole = para(text, s.value)
    whole.wrap(width, 100_000)
    expected = [" ".join(words) for _, words in whole.blPara.lines]
    head[0].wrap(width, 100_000)
    lines = [" ".join(words) for _, words in head[0].blPara.lines]
    assert len(lines) == HEAD_LINES
    for part in rest:
        part.wrap(400, 100_000)
        lines += [" ".join(words) for _, words in part.paragraph.blPara.lines]
    assert lines == expected
    path = tmp_path / "long.pdf"
    SimpleDocTemplate(str(path), pagesize=(440, 300)).build(
        [Rows([Row([[para("Question", s.label)], head], widths, rule=False)]), *rest])
    pages = PdfReader(path).pages
    assert len(pages) > 2
    printed = " ".join(page.extract_text() for page in pages).split()
    assert [w for w in printed if w not in ("Question", "(continued)")] == text.split()
    assert printed.count("(continued)") == len(pages) - 1  # the question on every later page


def test_a_line_of_a_megabyte_is_laid_out_in_pieces_with_the_breaks_of_one_paragraph():
    """Seen: a 1 MB text answer took more than 300 s (one paragraph, laid out again from
    every page's split). In pieces that end where the whole line ends a line, each laid out
    once, it reads with the same line breaks."""
    style, width = styles().value, 250
    line = " ".join(f"w{n % 97}{'x' * (n % 7)}" for n in range(3000))
    pieces = laid_out_pieces(line, style, width, 2000)
    assert len(pieces) > 5 and all(len(p) < 2600 for p in pieces)
    assert " ".join(pieces).split() == line.split()  # every word, in order
    whole = para(line, style)
    whole.wrap(width, 10_000_000)
    lines = []
    for piece in pieces:
        laid = para(piece, style)
        laid.wrap(width, 10_000_000)
        lines += [" ".join(words) for _, words in laid.blPara.lines]
    assert lines == [" ".join(words) for _, words in whole.blPara.lines]
    unbroken = "x" * 5000  # no space to end a piece at: one piece, nothing lost
    assert laid_out_pieces(unbroken, style, width, 2000) == [unbroken]


def test_a_split_at_a_line_break_does_not_start_the_next_page_with_an_empty_line():
    style = styles().value
    paragraph = para("one & a\ntwo\nthree\nfour", style)  # markup characters: the parser's way
    _, height = paragraph.wrap(200, 1000)
    first, second = paragraph.split(200, 2 * style.leading + 1)
    assert first.wrap(200, 1000)[1] == 2 * style.leading
    assert second.wrap(200, 1000)[1] == height - 2 * style.leading  # "three", "four": no blank line


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab W.,;-Жω\u00a0"), min_size=1, max_size=120),
       st.integers(min_value=20, max_value=400))
def test_text_takes_the_room_reportlabs_paragraph_takes(text, width):
    style = styles().bullet  # indented, with a negative first-line indent
    ours, theirs = para(text, style), Paragraph(markup(text), style)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)


def test_text_looks_exactly_like_reportlabs_paragraph(tmp_path):
    """The one-line way and the plain runs inside a row draw what reportlab's own
    Paragraph draws: the same pixels."""
    s = styles()
    texts = [("Yes", s.value), ("17 May 1980", s.value_bold), ("Not applicable", s.not_applicable),
             ("• Phone call", s.bullet), ("Жанна Кузнецова-Щукина Ølsen", s.value),
             ("In the past 30 days, have you had corticosteroids (steroids), for example for a "
              "relapse?", s.label), ("a\u00a0b  c", s.value), ("x" * 150, s.cell)]
    widths = (200, 260)

    def render(make) -> bytes:
        story = [Row([[make(text, style)], [make(text, style)]], widths) for text, style in texts]
        story += [make(text, style) for text, style in texts]
        path = tmp_path / "page.pdf"
        SimpleDocTemplate(str(path), pagesize=(500, 1200), leftMargin=20, rightMargin=20,
                          topMargin=20, bottomMargin=20).build(story)
        page = pdfium.PdfDocument(path)[0]
        return page.render(scale=2).to_pil().tobytes()

    ours = render(para)
    theirs = render(lambda text, style: Paragraph(markup(text), style))
    assert ours == theirs


def test_a_box_of_rows_splits_between_rows_and_each_part_keeps_its_border():
    s = styles()
    border = Border(RULE, 1.6, lines=2)
    widths = [80 - border.inset, 320 - border.inset]
    rows = [Row([[para(f"Flag {n}", s.value)], [para("Criterion " * 8, s.value)]], widths, rule=False)
            for n in range(6)]
    box = BoxedRows(rows, border, separators=(RULE, RULE))
    _, height = box.wrap(400, 10_000)
    row = rows[0].height
    first, second = box.split(400, 2 * border.inset + 2.5 * row)
    assert (len(first.rows), len(second.rows)) == (2, 4)
    assert first.wrap(400, 10_000)[1] + second.wrap(400, 10_000)[1] == height + 2 * border.inset
    assert box.split(400, 2 * border.inset + 0.5 * row) == []  # not even one row: next page


def test_rows_split_between_rows_and_keep_their_heading_with_the_first():
    s = styles()
    rows = [Row([[para(f"Question {n}", s.label)], [para("Answer", s.value)]], (150, 250)) for n in range(5)]
    heading = para("1. About you", s.step)
    block = Rows(rows, heading)
    _, height = block.wrap(400, 10_000)
    lead = heading.height + heading.getSpaceAfter()
    first, second = block.split(400, lead + 2.5 * rows[0].height)
    assert (first.heading, len(first.rows), second.heading, len(second.rows)) == (heading, 2, None, 3)
    assert first.wrap(400, 10_000)[1] + second.wrap(400, 10_000)[1] == height
    assert block.split(400, lead + 0.5 * rows[0].height) == []  # heading and first row move on


def test_a_row_taller_than_a_page_still_prints_all_its_text(tmp_path):
    s = styles()
    long_answer = " ".join(f"w{n}" for n in range(4000))
    rows = [Row([[para("Question", s.label)], [para(long_answer, s.value)]], (150, 250)),
            Row([[para("Next question", s.label)], [para("Next answer", s.value)]], (150, 250))]
    path = tmp_path / "tall.pdf"
    SimpleDocTemplate(str(path), pagesize=(440, 600)).build([Rows(rows, para("Heading", s.step))])
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert all(f"w{n}" in text.split() for n in range(4000))
    assert "Next answer" in text


def test_a_grid_repeats_its_header_row_on_every_page_it_spans():
    s = styles()
    widths = (100, 100, 100)
    grid = grid_table([para(name, s.table_head) for name in ("Medicine", "Started", "Last dose")],
                      [[[para(f"Drug {n}", s.cell)], [para("Mar 2019", s.cell)], [para("—", s.cell)]]
                       for n in range(8)], widths)
    _, height = grid.wrap(300, 10_000)
    header, row = grid.header.height, grid.rows[0].height
    first, second = grid.split(300, header + 3.5 * row)
    assert (len(first.rows), len(second.rows)) == (3, 5)
    assert first.header is second.header is grid.header
    assert first.wrap(300, 10_000)[1] + second.wrap(300, 10_000)[1] == height + header
    assert grid.split(300, header + 0.5 * row) == []


@pytest.mark.parametrize("table", ["grid", "rows"])
def test_a_long_table_adds_up_its_rows_a_bounded_number_of_times(tmp_path, monkeypatch, table):
    """Seen: 250 treatment rows 1.3 s, 1,000 rows 11.6 s, 10,000 more than 300 s - each
    page's split added up the height of every row left. Each row is now asked for its
    height a bounded number of times, however many pages the table spans."""
    s = styles()
    asked = []
    original = Row.wrap

    def counted(row, width, height):
        asked.append(row)
        return original(row, width, height)

    monkeypatch.setattr(Row, "wrap", counted)
    counts = {}
    for number in (200, 2000):
        cells = [[[para(f"Drug {n}", s.cell)], [para("Mar 2019", s.cell)]] for n in range(number)]
        flowable = (grid_table([para("Medicine", s.table_head), para("Started", s.table_head)],
                               cells, (150, 150)) if table == "grid"
                    else Rows([Row(c, (150, 150)) for c in cells], para("Treatments", s.step)))
        asked.clear()
        SimpleDocTemplate(str(tmp_path / f"{table}-{number}.pdf"), pagesize=(340, 400)).build([flowable])
        counts[number] = len(asked) / number
    assert counts[2000] < 1.5 * counts[200] and counts[2000] < 10, counts
