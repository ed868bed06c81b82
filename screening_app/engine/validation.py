"""Built-in validation of one answer against its item: type, bounds, format.

Any JSON value may arrive here (a patient's keystrokes, an import, a hand-edited file);
each gives either a typed value for expressions or a message, never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.answers import is_empty, item_for_path, row_numbers
from screening_app.engine.dates import date_value, first_day
from screening_app.engine.definition import TEXT_TYPES, Item, Questionnaire
from screening_app.engine.expressions import UNKNOWN
from screening_app.i18n import Translator

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+\Z")
# Characters no answer may hold: control characters (a terminal would ring, erase or
# recolour on them: BEL, backspace, ANSI escapes, NUL), the bidirectional embeddings,
# overrides and isolates (they reverse the text shown after them), and halves of UTF-16
# surrogate pairs (not characters at all; the database cannot store them). A tab is
# whitespace anywhere; line breaks only in answers of several lines (in a name they would
# forge a line of `list`).
_REFUSED_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                               "\ud800-\udfff]")
_REFUSED_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                            "\ud800-\udfff]")


def refused_characters(text: str, several_lines: bool = False) -> bool:
    """Whether `text` holds a character no answer may hold (see above)."""
    return (_REFUSED_LINES if several_lines else _REFUSED_ONE_LINE).search(text) is not None
PHONE_CHARS = re.compile(r"[0-9 +\-()]+\Z")


@dataclass(frozen=True)
class Problem:
    """A message about one answer: an `error` blocks leaving the step, a `warning` asks to confirm."""

    path: str
    code: str
    severity: str
    message: str
    confirmed: bool = False


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def typed_value(item: Item, value: Any) -> Any:
    """The value an expression sees for a stored answer; UNKNOWN when it is not usable."""
    if is_empty(value):
        return UNKNOWN
    kind = item.type
    if kind in {"text", "long_text", "email", "phone"}:
        return value if isinstance(value, str) else UNKNOWN
    if kind in {"integer", "year"}:
        return value if _is_int(value) else UNKNOWN
    if kind == "decimal":
        return value if _is_number(value) else UNKNOWN
    if kind == "date":
        found = date_value(value, item.precision)  # a partial date: a span of days
        return UNKNOWN if found is None else found
    if kind == "multi_choice":
        if not isinstance(value, list):
            return UNKNOWN
        codes = [c for c in value if isinstance(c, str) and item.choice(c) is not None]
        return codes if len(codes) == len(value) else UNKNOWN
    if kind in {"yes_no", "yes_no_unsure", "single_choice"}:
        if not isinstance(value, str) or item.choice(value) is None:
            return UNKNOWN
        return int(value) if item.ordinal else value
    if kind == "consent":
        return True if value is True else UNKNOWN
    if kind == "signature":
        return True if isinstance(value, dict) and isinstance(value.get("png"), str) else UNKNOWN
    return UNKNOWN


def _fmt(number: float) -> str:
    return f"{number:g}"


def check_value(item: Item, value: Any, t: Translator, today: date) -> list[tuple[str, str]]:
    """Built-in problems of a non-empty answer: (code, message) pairs, all errors."""
    kind = item.type
    if kind in {"text", "long_text", "email", "phone"}:
        if not isinstance(value, str):
            return [("not_text", t("validation.not_text"))]
        return _check_text(item, value, t)
    if kind in {"integer", "decimal", "year"}:
        return _check_number(item, value, t, today)
    if kind == "date":
        return _check_date(item, value, t, today)
    if kind == "multi_choice":
        if not isinstance(value, list) or not all(isinstance(c, str) and item.choice(c) for c in value):
            return [("bad_choice", t("validation.bad_choice"))]
        exclusive = [c for c in value if item.choice(c).exclusive]
        if exclusive and len(set(value)) > 1:
            label = item.choice(exclusive[0]).label.get(t.lang)
            return [("exclusive", t("validation.exclusive", choice=label))]
        return []
    if kind in {"yes_no", "yes_no_unsure", "single_choice"}:
        ok = isinstance(value, str) and item.choice(value) is not None
        return [] if ok else [("bad_choice", t("validation.bad_choice"))]
    if kind == "consent" and value is not True:
        return [("consent_required", t("validation.consent_required"))]
    if kind == "signature" and typed_value(item, value) is UNKNOWN:
        return [("not_signed", t("validation.not_signed"))]
    return []


def _check_text(item: Item, value: str, t: Translator) -> list[tuple[str, str]]:
    if len(value) > item.text_limit:
        return [("too_long", t("validation.too_long", max=item.text_limit, length=len(value)))]
    if refused_characters(value, several_lines=item.type == "long_text"):
        return [("refused_characters", t("validation.refused_characters"))]
    text = value.strip()
    if item.type == "email" and not EMAIL.match(text):
        return [("bad_email", t("validation.bad_email"))]
    if item.type == "phone":
        digits = sum(ch.isdigit() for ch in text)
        if not PHONE_CHARS.match(text) or not 7 <= digits <= 20:
            return [("bad_phone", t("validation.bad_phone"))]
    if item.pattern is not None and not re.fullmatch(item.pattern, text):
        message = item.pattern_message.get(t.lang) if item.pattern_message else t("validation.pattern")
        return [("pattern", message)]
    return []


def _check_number(item: Item, value: Any, t: Translator, today: date) -> list[tuple[str, str]]:
    year = item.type == "year"
    if item.type in {"integer", "year"} and not _is_int(value):
        return [("not_integer", t("validation.not_year" if year else "validation.not_integer"))]
    if not _is_number(value):
        return [("not_number", t("validation.not_number"))]
    if year and not 1000 <= value <= 9999:
        return [("not_year", t("validation.not_year"))]
    if item.min is not None and value < item.min:
        return [("below_min", t("validation.year_below_min" if year else "validation.below_min",
                                min=_fmt(item.min)))]
    if item.max is not None and value > item.max:
        return [("above_max", t("validation.year_above_max" if year else "validation.above_max",
                                max=_fmt(item.max)))]
    if year and item.not_future and value > today.year:
        return [("future_year", t("validation.future_year"))]
    if item.step:
        base = item.min or 0
        ratio = (value - base) / item.step
        if abs(ratio - round(ratio)) > 1e-9:
            example = _fmt(base + item.step * (math.floor(ratio) + 1))
            return [("not_step", t("validation.not_step", step=_fmt(item.step), example=example))]
    return []


def _check_date(item: Item, value: Any, t: Translator, today: date) -> list[tuple[str, str]]:
    when = date_value(value, item.precision)
    if when is None:
        return [("not_date", t(NOT_DATE[item.precision]))]
    if item.not_future and first_day(when) > today:  # this month is not in the future
        return [("future_date", t("validation.future_date"))]
    return []


def refusals(q: Questionnaire, answers: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, why) for each answer that cannot be taken in at all: a number that is not
    finite (`1e400` reads as infinity), characters no answer may hold, a text longer or a
    group with more rows than its item allows. An import refuses the whole entry for any
    of them. The reasons are English words for the command line and never hold the value."""
    found: list[tuple[str, str]] = []
    for path, value in answers.items():
        item = item_for_path(q, path)
        several_lines = item is not None and item.type == "long_text"
        pending = [value]
        while pending:
            part = pending.pop()
            if isinstance(part, float) and not math.isfinite(part):
                found.append((path, "not a finite number"))
            elif isinstance(part, str) and refused_characters(part, several_lines):
                found.append((path, "holds control, text-direction or surrogate characters"))
            elif isinstance(part, list):
                pending += part
            elif isinstance(part, dict):
                pending += [*part.keys(), *part.values()]
        if item is not None and item.type in TEXT_TYPES and isinstance(value, str) \
                and len(value) > item.text_limit:
            found.append((path, f"longer than {item.text_limit} characters"))
    for group in (i for i in q.items_by_id.values() if i.type == "group"):
        rows = len(row_numbers(answers, group.id))
        if rows > group.row_limit:
            found.append((group.id, f"{rows} rows, more than the {group.row_limit} allowed"))
    return found


def possible_problems(item: Item, t: Translator) -> list[Problem]:
    """Every message this item can show a person, as far as it can be known before any
    answer: the kiosk keeps room for the tallest under the question, so that a message
    coming or going never moves the answers below it (a message it did not foresee still
    shows, and then takes the room it needs)."""
    if not item.is_input:
        return []
    texts: list[tuple[str, str, str]] = []  # (code, severity, message)

    def add(code: str, key: str, **params: Any) -> None:
        texts.append((code, "error", t(key, **params)))

    if item.type == "group":
        if item.required:
            add("required", "validation.required_group")
        return [Problem(item.id, code, severity, message) for code, severity, message in texts]
    if item.required:
        add("required", {"consent": "validation.consent_required",
                         "signature": "validation.not_signed"}.get(item.type, "validation.required"))
    kind = item.type
    if kind == "email":
        add("bad_email", "validation.bad_email")
    if kind == "phone":
        add("bad_phone", "validation.bad_phone")
    if kind in {"text", "long_text", "email", "phone"}:
        if item.pattern is not None:
            texts.append(("pattern", "error", item.pattern_message.get(t.lang) if item.pattern_message
                          else t("validation.pattern")))
        add("too_long", "validation.too_long", max=item.text_limit, length=item.text_limit * 10)
        add("refused_characters", "validation.refused_characters")
    if kind in NUMBER_KINDS:
        year = kind == "year"
        add("not_integer", "validation.not_year" if year else (
            "validation.not_integer" if kind == "integer" else "validation.not_number"))
        if item.min is not None:
            add("below_min", "validation.year_below_min" if year else "validation.below_min",
                min=_fmt(item.min))
        if item.max is not None:
            add("above_max", "validation.year_above_max" if year else "validation.above_max",
                max=_fmt(item.max))
        if year and item.not_future:
            add("future_year", "validation.future_year")
        if item.step:
            add("not_step", "validation.not_step", step=_fmt(item.step), example=_fmt(item.max or 9999))
    if kind == "date":
        add("not_date", NOT_DATE[item.precision])
        if item.not_future:
            add("future_date", "validation.future_date")
    if kind == "multi_choice" and any(c.exclusive for c in item.choices):
        longest = max((c for c in item.choices if c.exclusive), key=lambda c: len(c.label.get(t.lang)))
        add("exclusive", "validation.exclusive", choice=longest.label.get(t.lang))
    texts += [(check.id, check.severity, check.message.get(t.lang)) for check in item.checks]
    return [Problem(item.id, code, severity, message) for code, severity, message in texts]


NUMBER_KINDS = frozenset({"integer", "decimal", "year"})
# What a date that cannot be read asks for, by the least the item accepts.
NOT_DATE = {"day": "validation.not_date", "month": "validation.not_month", "year": "validation.not_date_year"}
