"""De-identified study exports: HIPAA Safe Harbor (45 CFR 164.514(b)(2)), one policy for
every format (CSV, REDCap).

Safe Harbor removes 18 kinds of identifier. For this questionnaire's exports that means:

- no identifier item and no free text: an item the definition marks `identifier: true`
  (the shipped questionnaire's names, date of birth, phone and e-mail; a clinic's record
  number, zip code or date of admission, whatever its type: a date that identifies is
  left out, not reduced to its year), the signature and every text item (free text can
  hold any identifier, so none is kept) are left out as columns, and so is every item
  shown only as an identifying answer's value allows (`left_out`: where it is filled
  would tell that value);
- only values valid for their item's type: a draft may hold anything (a name typed where
  a number belongs, an e-mail in a choice's place); a value that is not a valid answer of
  its item (its type, its codes, its range) is written blank and counted, so a value that
  is not what the column says never carries an identifier out;
- dates reduced to the year (every date item, and the submission's own times); the date
  of birth becomes the age in whole years on the answering day, `90+` from 90 on (ages
  over 89 are an identifier of their own);
- the submission's id replaced by a random one, new in each export (the app's ids would
  link the file back to the database; a random id links rows of one export together).

Every column and what happens to it is listed in docs/interop.md (CSV, `--deidentify`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screening_app.engine.answers import parse_date
from screening_app.engine.definition import Item, Questionnaire
from screening_app.engine.expressions import UNKNOWN, Binary, Call, Expression, ListOf, Name, Node, Unary
from screening_app.engine.validation import check_value, typed_value
from screening_app.i18n import Translator

FREE_TEXT_TYPES = frozenset({"text", "long_text", "email", "phone", "signature"})
# The one item known by its id: its answer becomes the age rather than being left out.
DATE_OF_BIRTH = "date_of_birth"
AGE_COLUMN = "age"
AGE_TOP_CODE = 90
DAY_DEPENDENT_TYPES = frozenset({"date", "integer", "decimal", "year"})
MEMO_LIMIT = 20_000  # (item, value) verdicts kept: some 2 MB at most


def identifying(item: Item) -> bool:
    """Whether an item's answer may identify the person: one its definition marks
    `identifier: true`, free text (any identifier can be typed into it) or the date of
    birth. REDCap's "Identifier?" column says `y` for these."""
    return item.identifier or item.type in FREE_TEXT_TYPES or item.id == DATE_OF_BIRTH


def dropped(item: Item) -> bool:
    """An item a de-identified export leaves out: every identifying one but the date of
    birth, which is replaced by the age."""
    return identifying(item) and item.id != DATE_OF_BIRTH


def left_out(q: Questionnaire) -> frozenset[int]:
    """The items and row fields (by `id()`: row fields' ids may repeat) a de-identified
    export of `q` leaves out: the identifying ones (`dropped`), and every one shown only as
    an identifying answer's value allows (its condition, its section's or question's above
    it, or its step's). Where the column is filled would tell that value: a field shown
    only when `zip_code = "02139"` gives the zip code of every row that has it. Whether an
    identifying item was answered (`answered(neurologist_name)`) tells no value, so it
    leaves nothing out."""
    by_name: dict[str, list[Item]] = {}
    for item in q.all_items():
        for each in (item, *item.items):
            by_name.setdefault(each.id, []).append(each)
    hidden = {id(each) for found in by_name.values() for each in found if dropped(each)}

    def reads_hidden(expression: Expression | None, seen: set[str]) -> bool:
        if expression is None:
            return False
        for name in _values_read(expression.tree):
            if any(id(each) in hidden for each in by_name.get(name, ())):
                return True
            computed = q.computed.get(name)
            if computed is not None and name not in seen:
                seen.add(name)
                if reads_hidden(computed.expr, seen):
                    return True
        return False

    def chain_reads_hidden(item: Item, above: Any) -> bool:
        while True:
            if reads_hidden(item.shown_when, set()):
                return True
            if item.parent is None:
                return False
            item = above(item.parent)

    out = set(hidden)
    for step in q.steps:
        whole_step = reads_hidden(step.shown_when, set())
        for item in step.items:
            if whole_step or chain_reads_hidden(item, q.item):
                out.add(id(item))
            for sub in item.items:
                if id(item) in out or chain_reads_hidden(sub, item.field):
                    out.add(id(sub))
    return frozenset(out)


def _values_read(node: Node) -> set[str]:
    """The names whose values an expression reads (not those it only asks `answered`)."""
    match node:
        case Name(name):
            return {name}
        case Call("answered", _):
            return set()
        case Call(_, args) | ListOf(args):
            return set().union(*(_values_read(arg) for arg in args))
        case Binary(_, left, right):
            return _values_read(left) | _values_read(right)
        case Unary(_, operand):
            return _values_read(operand)
    return set()


def age_in_years(value: Any, today: date) -> str:
    """Whole years from a date of birth to `today`, `90+` from 90 on; "" when not a date."""
    born = parse_date(value)
    if born is None or born > today:
        return ""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{AGE_TOP_CODE}+" if years >= AGE_TOP_CODE else str(years)


def year_of(timestamp: str | None) -> str:
    """The year of an ISO date or timestamp ("" when there is none)."""
    return timestamp[:4] if isinstance(timestamp, str) and timestamp[:4].isdigit() else ""


@dataclass
class Deidentifier:
    """One de-identified export: random ids, and a count of the values left blank."""

    blanked: int = 0
    _ids: dict[int, str] = field(default_factory=dict)
    _t: Translator = field(default_factory=lambda: Translator("en"))
    # Whether (item, value) is a valid answer, for the values that repeat across
    # submissions (codes, numbers, dates): checked once, not once per submission. Bounded,
    # so memory stays flat however many submissions an export holds.
    _valid: dict[tuple[int, Any, date | None], bool] = field(default_factory=dict)

    def record_id(self, submission_id: int) -> str:
        """A random id for this submission, the same for all its rows in this export."""
        if submission_id not in self._ids:
            self._ids[submission_id] = secrets.token_hex(8)
        return self._ids[submission_id]

    def _is_valid(self, item: Item, raw: Any, today: date) -> bool:
        # A date or a number is judged against the submission's own day ("not in the
        # future"); a choice is not, so its verdict serves every submission.
        day = today if item.type in DAY_DEPENDENT_TYPES else None
        # By the item itself: a row field's id may be another item's too (and so its checks).
        key = (id(item), tuple(raw) if isinstance(raw, list) else raw, day)
        try:
            return self._valid[key]
        except KeyError:
            pass
        except TypeError:  # not hashable (a dict, a list of lists): checked each time
            return typed_value(item, raw) is not UNKNOWN and not check_value(item, raw, self._t, today)
        valid = typed_value(item, raw) is not UNKNOWN and not check_value(item, raw, self._t, today)
        if len(self._valid) >= MEMO_LIMIT:
            self._valid.clear()
        self._valid[key] = valid
        return valid

    def forget(self, submission_id: int) -> None:
        """Its rows are written: memory stays flat whatever the number of submissions."""
        self._ids.pop(submission_id, None)

    def value(self, item: Item, raw: Any, today: date) -> Any:
        """The answer as the export may show it (dates as the year), or None when it is not
        a valid answer of its item (then counted)."""
        if raw is None or raw == "" or raw == []:
            return None
        if item.id == DATE_OF_BIRTH:
            age = age_in_years(raw, today)
            if not age:
                self.blanked += 1
            return age or None
        if not self._is_valid(item, raw, today):
            self.blanked += 1
            return None
        if item.type == "date":
            return raw.strip()[:4]
        return raw
