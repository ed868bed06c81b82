"""Answer paths and values: the flat path -> value model shared by session, store and exports.

A top-level item's path is its id; a group field's path is `group[n].field`, where `n` is
a row number that never changes while the row lives (rows are not renumbered when one is
removed, so a stored answer never moves to another row). A row exists while its marker
path `group[n]` holds `true`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.dates import date_value, first_day
from screening_app.engine.definition import Item, Questionnaire

_PATH = re.compile(r"(?P<item>[a-z][a-z0-9_]*)(?:\[(?P<row>\d+)\](?:\.(?P<field>[a-z][a-z0-9_]*))?)?\Z")


@dataclass(frozen=True)
class Path:
    item: str
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        if self.row is None:
            return self.item
        return f"{self.item}[{self.row}]" + (f".{self.field}" if self.field else "")

    @property
    def is_row_marker(self) -> bool:
        return self.row is not None and self.field is None


def parse_path(text: str) -> Path | None:
    """The parts of a path, or None when the text is not a path."""
    match = _PATH.match(text) if isinstance(text, str) else None
    if not match:
        return None
    row = match.group("row")
    return Path(match.group("item"), int(row) if row is not None else None, match.group("field"))


def row_path(group: str, row: int, field: str | None = None) -> str:
    return str(Path(group, row, field))


def item_for_path(q: Questionnaire, path: str) -> Item | None:
    """The item (or group field) a path answers, or None for an unknown path."""
    parts = parse_path(path)
    if parts is None or parts.item not in q.items_by_id:
        return None
    item = q.item(parts.item)
    if parts.row is None:
        return item
    if item.type != "group":
        return None
    return item if parts.field is None else item.field(parts.field)


def row_numbers(answers: Mapping[str, Any], group: str) -> list[int]:
    """The rows of a group that exist, in order."""
    return all_rows(answers).get(group, [])


def all_rows(answers: Mapping[str, Any]) -> dict[str, list[int]]:
    """Every group's existing rows, in order, found in one pass (what `row_numbers` gives
    for one group; for exports, which need them all for many submissions)."""
    rows: dict[str, list[int]] = {}
    for path, value in answers.items():
        if value is True and path[-1:] == "]":
            parts = parse_path(path)
            if parts is not None and parts.is_row_marker:
                rows.setdefault(parts.item, []).append(parts.row)
    for numbers in rows.values():
        numbers.sort()
    return rows


def sort_key(q: Questionnaire, path: str) -> tuple[int, int, int]:
    """Questionnaire reading order for a path (unknown paths last)."""
    parts = parse_path(path)
    if parts is None:
        return (len(q.order) + 1, 0, 0)
    top = q.order.get(parts.item, len(q.order))
    field = q.order.get(f"{parts.item}.{parts.field}", -1) if parts.field else -1
    return (top, parts.row if parts.row is not None else -1, field)


def flatten_answers(q: Questionnaire, nested: Mapping[str, Any]) -> dict[str, Any]:
    """The `evaluate` input format (group answers as lists of row objects) -> flat paths.

    Keys that are not items are kept as they are, so validation can report them.
    """
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        item = q.items_by_id.get(key)
        if item is not None and item.type == "group" and isinstance(value, list):
            for number, row in enumerate(value):
                flat[row_path(key, number)] = True
                if isinstance(row, Mapping):
                    for field, field_value in row.items():
                        flat[row_path(key, number, str(field))] = field_value
                else:
                    flat[row_path(key, number, "?")] = row
        else:
            flat[str(key)] = value
    return flat


def nest_answers(q: Questionnaire, flat: Mapping[str, Any]) -> dict[str, Any]:
    """Flat paths -> the nested format (inverse of flatten_answers, rows in order)."""
    nested: dict[str, Any] = {}
    groups: dict[str, dict[int, dict[str, Any]]] = {}
    for path, value in flat.items():
        parts = parse_path(path)
        if parts is None or parts.row is None:
            nested[path] = value
            continue
        rows = groups.setdefault(parts.item, {})
        if parts.field is None:
            if value is True:
                rows.setdefault(parts.row, {})
        else:
            rows.setdefault(parts.row, {})[parts.field] = value
    for group, rows in groups.items():
        live = row_numbers(flat, group)
        nested[group] = [rows[n] for n in live]
    return nested


def is_empty(value: Any) -> bool:
    """An answer that says nothing: missing, blank text or an empty selection."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def parse_date(value: Any, precision: str = "day") -> date | None:
    """An ISO date, or the first day of a month (`YYYY-MM`) or a year (`YYYY`) where the
    precision allows it; None when not a real date. (engine/dates.date_value keeps a
    partial date whole, as a span of days.)"""
    found = date_value(value, precision)
    return None if found is None else first_day(found)
