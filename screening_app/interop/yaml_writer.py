"""Write a definition (plain dicts and lists) as YAML in the shipped file's style, with comments.

PyYAML's dumper cannot place comments, and a converted definition needs them: where each
item came from and what was not converted. Scalars are written as JSON (a subset of YAML),
so quoting and escaping are exact; texts and attrs are flow mappings (`{en: "...", es: "..."}`).
A mapping may carry comment lines under the key `"#"`; they are written above it.
"""

from __future__ import annotations

import json
import re
from typing import Any

FLOW_KEYS = frozenset({"title", "description", "intro", "label", "help", "pattern_message",
                       "message", "criterion", "attrs"})
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PLAIN_VALUE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
_SINGLE_QUOTABLE = re.compile(r"[^'\x00-\x1f\x7f]*\Z")
# Words YAML 1.1 (PyYAML) reads as booleans or null when unquoted.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def render(document: dict[str, Any], header: list[str] = ()) -> str:
    lines = [f"# {line}".rstrip() for line in header]
    if lines:
        lines.append("")
    _mapping(document, 0, lines, None)
    return "\n".join(lines) + "\n"


def _mapping(mapping: dict[str, Any], indent: int, lines: list[str], first: str | None) -> None:
    pad = " " * indent
    for number, (key, value) in enumerate((k, v) for k, v in mapping.items() if k != "#"):
        prefix = first if number == 0 and first is not None else pad
        name = _key(key)
        if key in FLOW_KEYS or _is_flat(value):
            lines.append(f"{prefix}{name}: {_flow(value)}")
        elif isinstance(value, dict):
            lines.append(f"{prefix}{name}:")
            _mapping(value, indent + 2, lines, None)
        else:  # a list of mappings
            lines.append(f"{prefix}{name}:")
            for element in value:
                lines.extend(f"{pad}  # {comment}".rstrip() for comment in element.get("#", ()))
                _mapping(element, indent + 4, lines, f"{pad}  - ")


def _is_flat(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return not isinstance(value, dict)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return f"{value:.1f}"
        text = repr(value)
        # PyYAML reads 1e-05 (no dot) as a string; write such numbers out in full.
        return f"{value:.15f}".rstrip("0") if "e" in text else text
    text = str(value)
    if _PLAIN_VALUE.match(text) and text.lower() not in _RESERVED:
        return text
    if '"' in text and _SINGLE_QUOTABLE.match(text) and text == text.strip():
        return f"'{text}'"  # expressions read better without escaped quotes
    return json.dumps(text, ensure_ascii=False)


def _key(key: Any) -> str:
    text = str(key)
    if _PLAIN_KEY.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)
