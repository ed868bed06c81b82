"""Answers as people read them: choice labels instead of codes, unambiguous dates.

One place for this, used by the kiosk's review page, the desk and every export that
shows text to a person, so "2026-09-10" reads "10 Sep 2026" everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from screening_app.engine.answers import is_empty, parse_path, row_path
from screening_app.engine.dates import DateSpan, date_value
from screening_app.engine.definition import Item, Questionnaire
from screening_app.i18n import Translator

MONTH_KEYS = tuple(f"month.{n}" for n in range(1, 13))


def format_date(value: date | DateSpan, t: Translator, precision: str = "day") -> str:
    """`10 Sep 2026`, or as much as was given (`Sep 2026`, `2026`): the month spelled out,
    so day and month never swap."""
    if isinstance(value, DateSpan):
        value, precision = value.first, value.given
    if precision == "year":
        return str(value.year)
    month = t(MONTH_KEYS[value.month - 1])
    return f"{month} {value.year}" if precision == "month" else f"{value.day} {month} {value.year}"


def format_timestamp(value: str | datetime, t: Translator) -> str:
    """A stored UTC timestamp in the computer's local time, with its zone."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = moment.astimezone()
    zone = local.tzname() or f"{local:%z}"
    return f"{format_date(local.date(), t)} {local:%H:%M} {zone}"


def format_number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def choice_label(item: Item, code: Any, t: Translator) -> str:
    choice = item.choice(code) if isinstance(code, str) else None
    return choice.label.get(t.lang) if choice else str(code)


def answer_parts(item: Item, value: Any, t: Translator) -> list[str]:
    """An answer as a list of readable parts (one per selected choice for multi_choice)."""
    if is_empty(value):
        return []
    kind = item.type
    if kind == "multi_choice" and isinstance(value, list):
        return [choice_label(item, code, t) for code in value]
    if kind in {"single_choice", "yes_no", "yes_no_unsure"}:
        return [choice_label(item, value, t)]
    if kind == "date":
        when = date_value(value, item.precision)
        return [format_date(when, t) if when else str(value)]
    if kind == "consent":
        return [t("answer.agreed") if value is True else t("answer.not_agreed")]
    if kind == "signature":
        return [t("answer.signed")] if isinstance(value, dict) else [str(value)]
    if isinstance(value, bool):
        return [t("answer.yes") if value else t("answer.no")]
    if isinstance(value, int | float):
        return [format_number(value)]
    if kind == "phone" and isinstance(value, str):
        return [unbroken(value)]
    return [str(value)]


def unbroken(text: str) -> str:
    """Spaces that never end a line: a phone number wrapped as "+1" / "555 0148 7008" in
    the desk's history and the summary, and reads as two numbers."""
    return text.replace(" ", "\u00a0")


def given_as(item: Item | None, value: Any) -> str | None:
    """"month" or "year" when a date answer was given without its day (or month): such a
    date is read as any of its days (engine/dates.py); None for anything else."""
    if item is None or item.type != "date":
        return None
    found = date_value(value, item.precision)
    return found.given if isinstance(found, DateSpan) else None


def format_answer(item: Item, value: Any, t: Translator) -> str:
    """One line of text for an answer ("—" when unanswered)."""
    parts = answer_parts(item, value, t)
    return "; ".join(parts) if parts else t("answer.unanswered")


def row_name(group: Item, row: int, answers: Mapping[str, Any], t: Translator) -> str | None:
    """What a group's row is called: its `row_label` answer ("Ocrelizumab (Ocrevus)"), or,
    when the chosen choice says which field names it (`attrs: {named_by: drug_other}`),
    the name typed there ("Ampyra" rather than "Other (please name it)"); None when unanswered."""
    field = group.field(group.row_label) if group.row_label else None
    value = answers.get(row_path(group.id, row, field.id)) if field is not None else None
    if field is None or is_empty(value):
        return None
    choice = field.choice(value) if isinstance(value, str) else None
    named_by = choice.attrs.get("named_by") if choice is not None else None
    typed = answers.get(row_path(group.id, row, named_by)) if named_by else None
    if isinstance(typed, str) and typed.strip():
        return typed.strip()
    return format_answer(field, value, t)


def path_label(q: Questionnaire, path: str, answers: Mapping[str, Any], t: Translator) -> str:
    """The question behind a path; a group field names its row: `Last dose (Ocrelizumab (Ocrevus))`."""
    if path in q.computed:
        return q.computed[path].label.get(t.lang)
    parts = parse_path(path)
    if parts is None or parts.item not in q.items_by_id:
        return path
    item = q.item(parts.item)
    if parts.field is None or item.field(parts.field) is None:
        return item.label.get(t.lang)
    field = item.field(parts.field)
    label = field.label.get(t.lang)
    name = row_name(item, parts.row, answers, t)
    if name is not None and parts.field != item.row_label:
        return f"{label} ({name})"
    return f"{label} ({t('answer.row', number=parts.row + 1)})" if parts.field != item.row_label else label


def item_at(q: Questionnaire, path: str) -> Item | None:
    """The item an answer's path holds (a group's field for `treatments[0].drug`)."""
    parts = parse_path(path)
    item = q.items_by_id.get(parts.item) if parts else None
    if item is not None and parts.field:
        item = item.field(parts.field) or item
    return item


def format_value_at(q: Questionnaire, path: str, value: Any, t: Translator) -> str:
    """An answer (or a computed value) at `path` as one line of text."""
    if path in q.computed:
        return format_number(value) if isinstance(value, int | float) else str(value)
    item = item_at(q, path)
    return format_answer(item, value, t) if item is not None else str(value)


_ENDS_ITSELF = ("?", ":", "…")


def question_label(q: Questionnaire, path: str, answers: Mapping[str, Any], t: Translator) -> str:
    """The question behind `path`; a group field is named after its row first:
    `Ocrelizumab (Ocrevus) — Date of your last dose`."""
    parts = parse_path(path)
    item = q.items_by_id.get(parts.item) if parts is not None and path not in q.computed else None
    field = item.field(parts.field) if item is not None and parts.field else None
    if field is not None and parts.field != item.row_label:
        name = row_name(item, parts.row, answers, t)
        if name is not None:
            return t("answer.in_row", row=name, question=field.label.get(t.lang))
    return path_label(q, path, answers, t)


def answer_line(q: Questionnaire, path: str, value: Any, answers: Mapping[str, Any],
                t: Translator) -> str:
    """A question and its answer on one line, for flags' evidence, histories and edits:
    `Has your disability worsened in the past 12 months? Yes`, `Age: 71` (a question
    keeps its own question mark, with no `?:`)."""
    question = question_label(q, path, answers, t)
    answer = format_value_at(q, path, value, t)
    key = "answer.after_question" if question.rstrip().endswith(_ENDS_ITSELF) else "answer.after_label"
    return t(key, question=question.rstrip(), answer=answer)
