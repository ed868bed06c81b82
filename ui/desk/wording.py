"""Questions and answers in one line, as the desk shows them in flags, history and edits.

`display.describe_evidence` joins a question and its answer with ": ", which reads
"Which sentence best describes you?: I am in bed…", and names a treatment's row in
brackets after the question, "Are you still on this medicine? (Rituximab (Rituxan;
off-label)): Yes". At the desk the row comes first, "Rituximab (Rituxan; off-label) —
Are you still on this medicine? Yes", and a question ending in "?" or ":" is followed by
its answer with nothing in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening_app.answers import is_empty, parse_path
from screening_app.definition import Questionnaire
from screening_app.display import format_answer, format_value_at, path_label
from screening_app.i18n import Translator

_ENDS_ITSELF = ("?", ":", "…")


def question_label(q: Questionnaire, path: str, answers: Mapping[str, Any], t: Translator) -> str:
    """The question behind `path`; a group field is named after its row first."""
    parts = parse_path(path)
    item = q.items_by_id.get(parts.item) if parts is not None and path not in q.computed else None
    field = item.field(parts.field) if item is not None and parts.field else None
    if field is not None and item.row_label and parts.field != item.row_label:
        row_item = item.field(item.row_label)
        row_name = answers.get(f"{parts.item}[{parts.row}].{item.row_label}")
        if row_item is not None and not is_empty(row_name):
            return t("desk.answer.in_row", row=format_answer(row_item, row_name, t),
                     question=field.label.get(t.lang))
    return path_label(q, path, answers, t)


def answer_line(q: Questionnaire, path: str, value: Any, answers: Mapping[str, Any],
                t: Translator) -> str:
    """"Has your disability worsened in the past 12 months? Yes"; "Age: 71"."""
    question = question_label(q, path, answers, t)
    answer = format_value_at(q, path, value, t)
    key = "desk.answer.after_question" if question.rstrip().endswith(_ENDS_ITSELF) else (
        "desk.answer.after_label")
    return t(key, question=question.rstrip(), answer=answer)
