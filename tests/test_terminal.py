"""screening_app.terminal: what a command prints can ring, erase, recolour or reverse
nothing, and JSON stays JSON."""

from __future__ import annotations

import io
import json

import pytest

from screening_app.terminal import EscapingStream, escape_unprintable


@pytest.mark.parametrize(("text", "shown"), [
    ("Ana Núñez 山田 Ωμέγα", "Ana Núñez 山田 Ωμέγα"),
    ("two\nlines\tand a tab", "two\nlines\tand a tab"),
    ("bell\x07 back\x08 esc\x1b[2J nul\x00 del\x7f csi\x9b", "bell\\u0007 back\\u0008 esc\\u001b[2J "
     "nul\\u0000 del\\u007f csi\\u009b"),
    ("\u202eright to left\u202c \u2066isolate\u2069", "\\u202eright to left\\u202c \\u2066isolate\\u2069"),
    ("tag\U000e0041 half\ud800", "tag\\udb40\\udc41 half\\ud800"),
    ("line\u2028separator", "line\\u2028separator"),
])
def test_what_a_terminal_acts_on_is_written_as_an_escape(text, shown):
    assert escape_unprintable(text) == shown


def test_json_through_the_stream_stays_json_with_the_same_text():
    value = {"name": "Ana\u202e\x7f\U000e0041\x9b", "n": 1}
    out = io.StringIO()
    EscapingStream(out).write(json.dumps(value, ensure_ascii=False))
    assert json.loads(out.getvalue()) == value
    assert "\u202e" not in out.getvalue()
