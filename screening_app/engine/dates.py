"""Dates as people know them: a whole date, or one given as a month or a year, and the
ranges that follow from it.

A date answered as "September 2026" is any day of September 2026: a `DateSpan` from its
first to its last day. What is computed from it is a range too (the days since it, the
age at it: a `NumberSpan`), and a condition on it may hold for some of its days and not
for others: `MAYBE`.

How each reader takes MAYBE (screening_app/engine/session.py):
- a screening rule is raised when any day of the range would raise it (true or MAYBE);
  its evidence shows the date as it was given ("Sep 2026"), and the summary says how
  such dates are read, so a clinician checks the exact day in the records;
- a question's `shown_when` shows it when it may apply (true or MAYBE);
- a check on an answer shows its message only when every day would (true): nobody is
  told that a date is wrong because of a day they did not give.

Logic with MAYBE, beside the UNKNOWN of missing answers: `not MAYBE` is MAYBE; `x and
MAYBE` is false when x is false, MAYBE when x is true or MAYBE, unknown otherwise; `x or
MAYBE` is true when x is true, and MAYBE otherwise (true or MAYBE, whatever x is).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

PRECISIONS = ("day", "month", "year")  # finest to coarsest
_STORED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Marker:
    """A value that is no value (UNKNOWN, MAYBE): one object each, compared with `is`, and
    never taken for true or false by accident."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __bool__(self) -> bool:
        raise TypeError(f"{self._name} has no truth value; compare with `is {self._name}`")

    def __copy__(self) -> Marker:
        return self

    def __deepcopy__(self, memo: dict) -> Marker:
        return self


# True for some of the days a partial date can be, false for others.
MAYBE: Any = Marker("MAYBE")


@dataclass(frozen=True)
class DateSpan:
    """A date given as a month (`2026-09`) or a year (`2026`): every day from first to last."""

    first: date
    last: date

    @property
    def given(self) -> str:
        """How much of the date was given: "month" or "year"."""
        return "month" if self.first.month == self.last.month else "year"

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}" if self.given == "month" else f"{self.first:%Y}"


@dataclass(frozen=True)
class NumberSpan:
    """A number known to lie from `low` to `high` (both included)."""

    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g}"


def number_span(low: float, high: float) -> Any:
    """The range from low to high, or the number itself when they are the same."""
    low, high = min(low, high), max(low, high)
    return low if low == high else NumberSpan(low, high)


def month_span(year: int, month: int) -> DateSpan:
    return DateSpan(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def year_span(year: int) -> DateSpan:
    return DateSpan(date(year, 1, 1), date(year, 12, 31))


def date_value(value: Any, precision: str = "day") -> date | DateSpan | None:
    """A stored answer as a date (`2026-09-17`), or a span when the item's precision allows
    it to be given as a month (`2026-09`) or a year (`2026`); None when it is neither."""
    match = _STORED.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    given = "day" if day is not None else ("month" if month is not None else "year")
    if PRECISIONS.index(given) > PRECISIONS.index(precision if precision in PRECISIONS else "day"):
        return None
    try:
        if day is not None:
            return date(year, month, day)
        return month_span(year, month) if month is not None else year_span(year)
    except ValueError:
        return None


def first_day(value: date | DateSpan) -> date:
    return value.first if isinstance(value, DateSpan) else value


def last_day(value: date | DateSpan) -> date:
    return value.last if isinstance(value, DateSpan) else value


def given(value: date | DateSpan) -> str:
    """"day", "month" or "year": how much of a date was given."""
    return value.given if isinstance(value, DateSpan) else "day"


def is_span(value: Any) -> bool:
    return isinstance(value, DateSpan | NumberSpan)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def bounds(value: Any) -> tuple[Any, Any, str] | None:
    """(lowest, highest, family) of a date, a number or a span of either; None otherwise."""
    if isinstance(value, DateSpan):
        return value.first, value.last, "date"
    if isinstance(value, date):
        return value, value, "date"
    if isinstance(value, NumberSpan):
        return value.low, value.high, "number"
    if _is_number(value):
        return value, value, "number"
    return None


def _three(certain: bool, impossible: bool) -> Any:
    return True if certain else (False if impossible else MAYBE)


def compare(op: str, a: Any, b: Any) -> Any:
    """A comparison where a span takes part: true when it holds for every value of the
    ranges, false when for none, MAYBE in between; None when the two cannot be compared
    (a date with a number)."""
    left, right = bounds(a), bounds(b)
    if left is None or right is None or left[2] != right[2]:
        return None
    (a_low, a_high, _), (b_low, b_high, _) = left, right
    if op in {">", ">="}:
        op = "<" if op == ">" else "<="
        (a_low, a_high), (b_low, b_high) = (b_low, b_high), (a_low, a_high)
    if op == "<":
        return _three(a_high < b_low, a_low >= b_high)
    if op == "<=":
        return _three(a_high <= b_low, a_low > b_high)
    equal = _three(a_low == a_high == b_low == b_high, a_high < b_low or b_high < a_low)
    if op == "=":
        return equal
    return equal if equal is MAYBE else not equal


def contained(value: Any, choices: list[Any]) -> Any:
    """`value in choices` for a span: MAYBE when some choice lies in its range, else false."""
    low, high, family = bounds(value)
    return MAYBE if any(bounds(c) is not None and bounds(c)[2] == family and low <= c <= high
                        for c in choices) else False


def arithmetic(op: str, a: Any, b: Any) -> Any:
    """+ - * / where a number span takes part (interval arithmetic); None when not numbers,
    or a division by a range that holds 0."""
    left, right = bounds(a), bounds(b)
    if left is None or right is None or left[2] != "number" or right[2] != "number":
        return None
    (a_low, a_high, _), (b_low, b_high, _) = left, right
    if op == "+":
        return number_span(a_low + b_low, a_high + b_high)
    if op == "-":
        return number_span(a_low - b_high, a_high - b_low)
    if op == "/":
        if b_low <= 0 <= b_high:
            return None
        b_low, b_high = 1 / b_high, 1 / b_low
    products = [x * y for x in (a_low, a_high) for y in (b_low, b_high)]
    return number_span(min(products), max(products))


def negate(value: NumberSpan) -> Any:
    return number_span(-value.high, -value.low)


def of_date(function: Callable[[date], Any], value: Any) -> Any:
    """A function of a date that only ever grows or only ever shrinks as the date goes on
    (an age, a year, the days since it), applied to a span: the range between its values
    on the first and on the last day."""
    if isinstance(value, DateSpan):
        return number_span(function(value.first), function(value.last))
    return function(value)


def _overlaps(value: Any, start: date, end: date, start_possible: date) -> Any:
    """Whether a date (or span) lies from `start` to `end`: true when all of it does, false
    when none of it can (not even from the earlier `start_possible`), MAYBE in between."""
    low, high, _ = bounds(value)
    return _three(start <= low and high <= end, high < start_possible or low > end)


def whole_years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def whole_months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _number_bounds(value: Any) -> tuple[float, float]:
    found = bounds(value)
    if found is None or found[2] != "number":
        raise TypeError("not a number")
    return found[0], found[1]


def within_days(today: date, value: date | DateSpan, days: Any) -> Any:
    """From `days` days ago to today (of a partial date, any of its days: MAYBE for some)."""
    fewest, most = _number_bounds(days)
    if most < 0:
        return False
    return _overlaps(value, today - timedelta(days=max(fewest, 0)), today, today - timedelta(days=most))


def within_months(today: date, value: date | DateSpan, months: Any) -> Any:
    fewest, most = _number_bounds(months)
    if most < 0:
        return False
    return _overlaps(value, months_before(today, int(max(fewest, 0))), today,
                     months_before(today, int(most)))
