"""Answers drawn at random from each item's own domain (its codes, its range, plausible
dates), for any definition: used to show that every rule of a definition can fire."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from screening_app.engine.answers import row_path
from screening_app.engine.dates import PRECISIONS
from screening_app.engine.definition import Item, Questionnaire


def random_value(item: Item, rng: random.Random, today: date) -> Any:
    kind = item.type
    if kind in ("single_choice", "yes_no", "yes_no_unsure"):
        return rng.choice(item.choices).code
    if kind == "multi_choice":
        codes = [c.code for c in item.choices]
        picked = rng.sample(codes, rng.randint(1, min(3, len(codes))))
        exclusive = [c.code for c in item.choices if getattr(c, "exclusive", False)]
        return [rng.choice(picked)] if any(code in exclusive for code in picked) else picked
    if kind in ("integer", "decimal"):
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else 10
        step = item.step or (1 if kind == "integer" else 0.5)
        value = low + step * rng.randint(0, int((high - low) / step))
        return int(value) if kind == "integer" else float(value)
    if kind == "year":
        return rng.randint(today.year - 40, today.year)
    if kind == "date":
        back = rng.choice([rng.randint(0, 120), rng.randint(0, 3650), rng.randint(6570, 27000)])
        day = (today - timedelta(days=back)).isoformat()
        # As much of it as people give where the item allows less than the day.
        given = rng.choice(PRECISIONS[:PRECISIONS.index(item.precision) + 1])
        return day[:{"day": 10, "month": 7, "year": 4}[given]]
    if kind == "consent":
        return True
    if kind == "signature":
        return {"png": "", "signed_at": f"{today.isoformat()}T10:00:00+00:00"}
    if kind in ("email",):
        return "someone@example.org"
    if kind == "phone":
        return "555 010 2030"
    if kind in ("text", "long_text"):
        return "some text"
    return None


def random_answers(q: Questionnaire, rng: random.Random, today: date) -> dict[str, Any]:
    """Flat answers: every input item answered (hidden ones too; the session ignores them)."""
    answers: dict[str, Any] = {}
    for item in q.all_items():
        if item.type == "group":
            for row in range(rng.randint(0, 3)):
                answers[f"{item.id}[{row}]"] = True
                for field in item.items:
                    value = random_value(field, rng, today)
                    if value is not None:
                        answers[row_path(item.id, row, field.id)] = value
        elif item.is_input:
            value = random_value(item, rng, today)
            if value is not None and rng.random() < 0.95:
                answers[item.id] = value
    return answers
