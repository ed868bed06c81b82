"""The building blocks: escaping and the cutting of long answers lose nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from screening_app.export.pdf_flow import HEAD_CHARS, markup, split_text


def test_markup_escapes_everything_that_reportlab_would_read():
    assert markup('<b>&amp;</b> "q" \'s\'') == "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; &#39;s&#39;"
    assert markup("a\r\nb\rc\nd") == "a<br/>b<br/>c<br/>d"
    assert markup("x\x00y\x1bz\ud800") == "x\ufffdy\ufffdz\ufffd"


@given(st.text(alphabet=st.sampled_from("ab .;,\n\tЖω"), max_size=3000),
       st.integers(min_value=10, max_value=400), st.one_of(st.none(), st.integers(1, 8)))
def test_split_text_keeps_every_character_but_the_separator(text, size, lines):
    head, rest = split_text(text, size, lines)
    assert len(head) <= max(size, 0) or head == text
    joined = text.replace("\r\n", "\n").replace("\r", "\n")
    assert joined.startswith(head)
    dropped = len(joined) - len(head) - len(rest)
    assert dropped in (0, 1)
    assert joined.endswith(rest)
    if dropped:
        assert joined[len(head)] in " \n"


def test_split_text_prefers_line_breaks_then_sentence_ends():
    head, rest = split_text("one\ntwo\nthree\nfour\nfive", 100, 2)
    assert (head, rest) == ("one\ntwo", "three\nfour\nfive")
    text = "First sentence here. " + "word " * 100
    head, rest = split_text(text, 36)
    assert head == "First sentence here." and rest.startswith("word")
    assert split_text("x" * 1000, HEAD_CHARS)[0] == "x" * HEAD_CHARS
