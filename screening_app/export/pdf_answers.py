"""The answer sections of the clinician summary: all answers step by step, and consent
and signature (with the clinician's review).

A mixin of `pdf_summary._Summary`, which holds the context these methods read: the
session over the answers (`session`, `answers`, `problems`), the translator `t`, the
styles `s`, the record and the page width.

- Every item of every step is listed with its question, in the questionnaire's order: an
  answer, "—" when an optional question was left empty, or "Not applicable" when branching
  did not ask it (an answer kept from before is then not shown: it does not apply).
- A group (the treatments) is a table, one row per entry, columns in the definition's
  order with short headings from the translations (`pdf.column.<group>.<field>`); a text
  field that only exists for one answer of the field before it (`drug_other`) is printed
  in that field's cell. A group whose cells are too long for a table is listed entry by
  entry instead.
- Warnings shown to the candidate are marked under the answer, with whether they were
  confirmed; a draft also shows its errors (e.g. required questions not answered yet).
- The steps that hold a signature item form the consent section instead.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable
from reportlab.platypus import Image as ImageFlowable

from screening_app.engine.answers import is_empty
from screening_app.engine.definition import TEXT_TYPES, Item
from screening_app.engine.display import (
    answer_line,
    answer_parts,
    format_answer,
    format_date,
    format_timestamp,
    format_value_at,
    given_as,
    item_at,
    question_label,
    row_name,
)
from screening_app.export.pdf_flow import (
    QA,
    FlowPlace,
    Framed,
    Keep,
    answer_column,
    answer_text,
    gap,
    grid_table,
    qa_flowables,
    room,
)
from screening_app.export.pdf_styles import QA_COLUMNS
from screening_app.export.pdf_text import para
from screening_app.signoff_words import decision_label, role_label

GROUP_CELL_MAX = 300       # a group whose cells are longer is shown entry by entry instead
SIGNATURE_BOX = (70 * mm, 26 * mm)
SIGNATURE_MAX_BYTES = 5_000_000
SIGNATURE_MAX_PIXELS = 20_000_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class AnswerSections:
    """Sections 4 (all answers) and 5 (consent and signature) of the summary."""

    # Provided by _Summary.
    data: Any
    record: Any
    session: Any
    steps: Sequence[Any]          # session.review(), read once
    answers: Mapping[str, Any]
    problems: Mapping[str, list[Any]]
    corrections: Mapping[str, list[Any]]  # path -> the audit entries that corrected it
    s: Any
    t: Any
    width: float
    submitted: bool

    def signer(self, signoff: Any) -> str:
        """"Dr. Lee Ortiz (clinician)": the full name and role as they were when signing."""
        return self.t("pdf.signoffs.who", name=signoff.full_name,
                      role=role_label(signoff.role, self.t))

    def signoff_header_rows(self) -> list[tuple[str, str, bool]]:
        """The header's lines for the check and the clinical review that happened."""
        t, rows = self.t, []
        for kind, label in (("checked", "pdf.header.checked_by"),
                            ("clinical_review", "pdf.header.reviewed_by")):
            signoff = self.record.signoff(kind)
            if signoff is None:
                continue
            # The day only: the time of signing is in the Sign-offs section.
            day = datetime.fromisoformat(signoff.signed_at).astimezone().date()
            values = {"name": signoff.full_name, "role": role_label(signoff.role, t),
                      "time": format_date(day, t)}
            text = (t("pdf.header.checked_value", **values) if kind == "checked" else
                    t("pdf.header.reviewed_value", decision=decision_label(signoff.decision, t),
                      **values))
            if not signoff.current:  # the Sign-offs section says when and why
                text += " — " + t("pdf.header.out_of_date")
            rows.append((t(label), text, False))
        return rows

    def qa_widths(self) -> list[float]:
        return [share * self.width for share in QA_COLUMNS]

    def answers_section(self) -> list[Flowable]:
        s, t = self.s, self.t
        story: list[Flowable] = [room(60 * mm), para(t("pdf.answers.title"), s.section),
                                 para(t("pdf.answers.legend"), s.note)]
        if not self.submitted:
            story.append(para(t("pdf.answers.legend_draft"), s.note))
        if any(given_as(item_at(self.session.questionnaire, path), value)
               for path, value in self.answers.items()):
            story.append(para(t("pdf.answers.legend_partial_dates"), s.note))
        story.append(gap(2))
        number = 0
        for step in self.steps:
            number += 1
            if any(entry.item.type == "signature" for entry in step.entries):
                continue  # the consent step has a section of its own
            title = f"{number}. {step.step.title.get(self.data.lang)}"
            if not step.shown:  # one line, not a "Not applicable" row per question
                story += [para(title, s.step), para(self.not_asked(step.step), s.not_applicable)]
                continue
            # The step's heading is kept with its first row: no page break before it.
            story += self.step_blocks(step.entries, para(title, s.step))
        return story

    def not_asked(self, step: Any) -> str:
        """Why a step was not shown: the answers its condition read ("because of: Sex
        assigned at birth: Male · Age: 46"), or that those were not given."""
        t, q = self.t, self.session.questionnaire
        condition = step.shown_when
        names = sorted((n for n in (condition.names if condition else ()) if n not in q.parameters),
                       key=lambda n: q.order.get(n, len(q.order)))
        computed = self.session.computed()
        known, unknown = [], []
        for name in names:
            value = computed.get(name) if name in q.computed else self.answer(name)
            if value is None:
                unknown.append(question_label(q, name, self.answers, t))
            else:
                known.append(answer_line(q, name, value, self.answers, t))
        if known:
            return t("pdf.answers.not_asked", answers=" · ".join(known))
        if unknown:
            return t("pdf.answers.not_asked_unknown", questions="; ".join(unknown))
        return t("pdf.answers.step_not_asked")

    def step_blocks(self, entries: Sequence[Any], heading: Flowable | None) -> list[Flowable]:
        story: list[Flowable] = []
        pending: list[QA] = []

        def flush() -> None:
            nonlocal heading
            if pending:
                story.extend(qa_flowables(pending, self.qa_widths(), heading))
                heading = None
                pending.clear()

        for entry in entries:
            item = entry.item
            if item.type == "info":
                continue
            if item.type == "group" and entry.applicable and entry.rows:
                flush()
                story.extend(self.group_blocks(entry, heading))
                heading = None
            else:
                pending.append(self.qa_for(item, entry.path, entry.value, entry.applicable))
        flush()
        if heading is not None:
            story.append(heading)
        return story

    def qa_for(self, item: Item, path: str, value: Any, applicable: bool) -> QA:
        s = self.s
        qa = QA([para(item.label.get(self.data.lang), s.label)])
        if not applicable:
            qa.answer = [para(self.t("answer.not_applicable"), s.not_applicable)]
            return qa
        qa.place = self.continued(item.label.get(self.data.lang))
        qa.answer, qa.flow = self.answer_flowables(item, value, qa.place)
        qa.add_notes(self.notes(path))
        return qa

    def continued(self, question: str) -> FlowPlace:
        widths = self.qa_widths()
        offset, width = answer_column(widths)
        return FlowPlace(offset, width, self.t("pdf.answers.continued", question=question),
                         self.s.label, widths[0])

    def answer_flowables(self, item: Item, value: Any, place: FlowPlace) -> tuple[
            list[Flowable], list[Flowable]]:
        """(the answer's cell, paragraphs continuing a long answer below the row)."""
        s, t = self.s, self.t
        if item.type == "group":
            rows = self.session.rows(item.id)
            return [para(t.plural("pdf.answers.rows", len(rows)) if rows else t("answer.unanswered"),
                         s.value)], []
        if is_empty(value):
            return [para(t("answer.unanswered"), s.value)], []
        if item.type == "multi_choice" and isinstance(value, list):
            return [para(f"• {part}", s.bullet) for part in answer_parts(item, value, t)], []
        text = value if item.type in TEXT_TYPES and isinstance(value, str) else format_answer(item, value, t)
        return answer_text(text, s.value, place)

    def notes(self, path: str) -> list[Flowable]:
        """What is marked under an answer: warnings and errors, and corrections after submission."""
        return [*self.problem_notes(path), *self.correction_notes(path)]

    def correction_notes(self, path: str) -> list[Flowable]:
        t, q, names = self.t, self.data.questionnaire, self.data.names
        return [para("✎ " + t("pdf.corrected", time=format_timestamp(entry.at, t),
                              actor=names.get(entry.actor.lower(), entry.actor),
                              old=format_value_at(q, path, entry.old_value, t),
                              reason=entry.reason or "—"), self.s.warning)
                for entry in self.corrections.get(path, [])]

    def problem_notes(self, path: str) -> list[Flowable]:
        notes = []
        for problem in self.problems.get(path, []):
            if problem.severity == "warning":
                key = "pdf.warning.confirmed" if problem.confirmed else "pdf.warning.unconfirmed"
            elif problem.code == "required":
                key = "pdf.error.required"
            else:
                key = "pdf.error.other"
            notes.append(para(f"⚠ {self.t(key, message=problem.message)}", self.s.warning))
        return notes

    def group_blocks(self, entry: Any, heading: Flowable | None) -> list[Flowable]:
        """A group as a table (one row per entry), or entry by entry when cells are long."""
        s, lang = self.s, self.data.lang
        group: Item = entry.item
        title = para(group.label.get(lang), s.subheading)
        folded = _folded_fields(group)
        columns = [f for f in group.items if f.id not in folded and f.is_input]
        long_cells = any(isinstance(field.value, str) and len(field.value) > GROUP_CELL_MAX
                         for _, fields in entry.rows for field in fields)
        if long_cells:
            story: list[Flowable] = [heading] if heading else []
            story.append(title)
            for index, (row, fields) in enumerate(entry.rows, start=1):
                label = self.row_title(group, row, index)
                qas = [self.qa_for(f.item, f.path, f.value, f.applicable) for f in fields
                       if f.item.is_input]
                story += qa_flowables(qas, self.qa_widths(), para(label, s.subheading))
            return story
        header = [para(self.column_label(group, f), s.table_head) for f in columns]
        body, notes = [], []
        for index, (row, fields) in enumerate(entry.rows, start=1):
            by_id = {f.item.id: f for f in fields}
            cells = []
            for column in columns:
                cell = [para(self.cell_text(by_id[column.id], by_id, folded),
                             s.cell if by_id[column.id].applicable else s.cell_not_applicable)]
                cells.append(cell)
            body.append(cells)
            for field in fields:
                for note in self.notes(field.path):
                    notes.append((self.row_title(group, row, index), field, note))
        first = 0.3 * self.width
        rest = (self.width - first) / max(1, len(columns) - 1)
        widths = [first] + [rest] * (len(columns) - 1) if len(columns) > 1 else [self.width]
        table = grid_table(header, body, widths)
        # The headings' keepWithNext keeps them with the table (moved whole to the next
        # page when it does not fit on this one); `room` starts no heading at a page end.
        story = [room(40 * mm), *([heading] if heading else []), title, table]
        for row_title, field, note in notes:
            story.append(para(f"{row_title} — {field.item.label.get(lang)}:", s.note))
            story.append(note)
        return story

    def row_title(self, group: Item, row: int, index: int) -> str:
        name = row_name(group, row, self.answers, self.t)
        entry = self.t("pdf.answers.entry", number=index)
        return f"{entry}: {name}" if name else entry

    def column_label(self, group: Item, field: Item) -> str:
        key = f"pdf.column.{group.id}.{field.id}"
        text = self.t(key)
        return field.label.get(self.data.lang) if text == key else text

    def cell_text(self, field: Any, by_id: Mapping[str, Any], folded: Mapping[str, str]) -> str:
        t = self.t
        if not field.applicable:
            return t("answer.not_applicable")
        text = format_answer(field.item, field.value, t)
        for extra_id, parent in folded.items():
            extra = by_id.get(extra_id)
            if parent == field.item.id and extra and extra.applicable and not is_empty(extra.value):
                text = f"{text}: {format_answer(extra.item, extra.value, t)}"
        return text

    # 5. consent and signature

    def consent_section(self) -> list[Flowable]:
        s, t, lang = self.s, self.t, self.data.lang
        story: list[Flowable] = []
        heading: Flowable | None = para(t("pdf.consent.title"), s.section)
        for step in self.steps:
            if not any(entry.item.type == "signature" for entry in step.entries):
                continue
            qas = []
            for entry in step.entries:
                item = entry.item
                if item.type == "info":
                    qas.append(QA([para(t("pdf.consent.shown"), s.label)],
                                  [para(item.label.get(lang), s.not_applicable)]))
                elif item.type == "signature":
                    qas.append(QA([para(t("pdf.consent.signature"), s.label)],
                                  self.signature_flowables(entry.value if entry.applicable else None)))
                elif item.type == "consent" and entry.applicable:
                    qa = self.qa_for(item, entry.path, entry.value, True)
                    qa.answer = [para(format_answer(item, entry.value, t), s.value_bold),
                                 *self.notes(entry.path)]
                    qas.append(qa)
                else:
                    qas.append(self.qa_for(item, entry.path, entry.value, entry.applicable))
            story += qa_flowables(qas, self.qa_widths(), heading)
            heading = None
        if heading is not None:  # a questionnaire without a consent step says so
            story += [heading, para(t("pdf.consent.none"), s.value), gap(4)]
        # The section's heading stays with its first row; the rows break between them where
        # the page ends (kept whole, the block left half a page empty before it).
        return [*story, *self.signoffs_block()]

    def signature_flowables(self, value: Any) -> list[Flowable]:
        s, t = self.s, self.t
        if not isinstance(value, dict) or not value.get("png"):
            return [para(t("pdf.consent.no_signature"), s.value_bold)]
        signed_at = value.get("signed_at")
        try:
            when = format_timestamp(signed_at, t) if isinstance(signed_at, str) else None
        except ValueError:
            when = None
        signed = para(t("pdf.consent.signed_at", time=when) if when else t("pdf.consent.signed_no_time"),
                      s.value)
        image = _signature_image(value.get("png"))
        if image is None:  # the time of signing is still worth knowing
            return [para(t("pdf.consent.unreadable_signature"), s.value_bold), signed]
        return [Framed(image, SIGNATURE_BOX[0] + 8), gap(2), signed]

    def signoffs_block(self) -> list[Flowable]:
        """The coordinator's check and the clinician's review: who (full name and role),
        when and what each means, or that it has not happened (or is out of date)."""
        s, t = self.s, self.t
        story: list[Flowable] = [para(t("pdf.signoffs.title"), s.step)]
        for kind in ("checked", "clinical_review"):
            heading = para(t(f"pdf.signoffs.{kind}"), s.value_bold)
            signoff = self.record.signoff(kind)
            if signoff is None:
                story += [Keep([heading, para(t(f"pdf.signoffs.none.{kind}"), s.value)]), gap(4)]
                continue
            if not signoff.current:
                text = t("pdf.signoffs.out_of_date", name=signoff.full_name,
                         role=role_label(signoff.role, t),
                         time=format_timestamp(signoff.signed_at, t),
                         corrected=format_timestamp(signoff.out_of_date_at, t))
                story += [Keep([heading, para(text, s.value)]), gap(4)]
                continue
            qas = [QA([para(t("pdf.signoffs.by"), s.label)], [para(self.signer(signoff), s.value_bold)]),
                   QA([para(t("pdf.signoffs.at"), s.label)],
                      [para(format_timestamp(signoff.signed_at, t), s.value)])]
            if kind == "clinical_review":
                qas.append(QA([para(t("pdf.signoffs.decision"), s.label)],
                              [para(decision_label(signoff.decision, t), s.value_bold)]))
            qas.append(QA([para(t("pdf.signoffs.note"), s.label)],
                          *answer_text(signoff.note or "—", s.value,
                                       self.continued(t("pdf.signoffs.note")))))
            if kind == "checked":
                qas.append(QA([], [para(t("pdf.signoffs.check_meaning"), s.not_applicable)]))
            story += [*qa_flowables(qas, self.qa_widths(), heading), gap(4)]
        return [Keep(story[:3]), *story[3:]]


def _folded_fields(group: Item) -> dict[str, str]:
    """Text fields shown only for one answer of the field before them (`drug_other` after
    `drug = "other"`): printed in that field's cell instead of a column of their own."""
    folded = {}
    for previous, field in zip(group.items, group.items[1:], strict=False):
        if (field.type in TEXT_TYPES and field.shown_when is not None
                and field.shown_when.names == frozenset({previous.id})):
            folded[field.id] = previous.id
    return folded


def _signature_image(encoded: Any) -> ImageFlowable | None:
    """The drawn signature (a PNG) scaled into its box; None when it is not a readable PNG.

    The size is read from the PNG header before anything is decoded, so a hostile
    "signature" of a billion pixels is refused cheaply; the image is then decoded once in
    full, so a truncated or corrupt one is caught here and not half-way through the PDF."""
    if not isinstance(encoded, str) or len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        return None
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 24 or not raw.startswith(PNG_MAGIC) or raw[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", raw[16:24])
    if not (0 < width * height <= SIGNATURE_MAX_PIXELS):
        return None
    try:
        ImageReader(io.BytesIO(raw)).getRGBData()
    except (OSError, ValueError, SyntaxError):
        return None
    # At most 1 point per pixel (a pad's pixels are about that size) and within the box.
    scale = min(1.0, SIGNATURE_BOX[0] / width, SIGNATURE_BOX[1] / height)
    return ImageFlowable(io.BytesIO(raw), width=width * scale, height=height * scale, mask="auto")
