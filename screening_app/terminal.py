"""What a command prints goes to a terminal: nothing in it may act on the terminal.

A name typed with a BEL, a backspace, an ANSI escape (`ESC[2J` clears the screen, others
recolour or retitle it), a NUL or a right-to-left override would ring, erase, recolour or
reverse what `list` showed after it. While a command runs, its standard output and error
are wrapped so that every character that is not printable is written as an escape
instead: `\\u001b`, `\\u202e`, and a character beyond the Basic Multilingual Plane as
its surrogate pair (`\\udb40\\udc01`). Line breaks and tabs stay. The escapes are JSON's
own, so `list --json` stays valid JSON. Half of a surrogate pair (which cannot be
written as UTF-8 at all) is escaped the same way, instead of ending the command with an
encoding error.
"""

from __future__ import annotations

import contextlib
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO

_KEPT = frozenset("\n\t")
# Unicode's "Other" categories (control, format such as bidi overrides, surrogate, private
# use, unassigned) and the line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _unsafe(character: str) -> bool:
    return character not in _KEPT and unicodedata.category(character) in _UNSAFE_CATEGORIES


def escape_unprintable(text: str) -> str:
    """`text` with each character a terminal could act on written as an escape."""
    if text.isprintable() or not any(_unsafe(c) for c in text):
        return text
    out = []
    for character in text:
        if not _unsafe(character):
            out.append(character)
            continue
        code = ord(character)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


class EscapingStream:
    """A text stream that writes through `escape_unprintable` (everything else is the
    wrapped stream's: fileno, encoding, isatty...)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(escape_unprintable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """Standard output and error escape what a terminal could act on, while inside."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
