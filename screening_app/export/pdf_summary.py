"""Assembly of the clinician summary: `SummaryData` in, PDF bytes out.

Order (issue 4): header block, screening flags, key facts, all answers step by step,
consent and signature; every page carries the running header and the numbered footer
(`pdf_pages`). Looks come from `pdf_styles`, escaping and flowing tables from `pdf_flow`,
answer wording from `screening_app.engine.display` and the key facts from
`screening_app.engine.key_facts`, so the desk and every export read the same words.

Decisions:
- Flags are the submission's *stored* flags (the store recomputes them after an edit).
  A submission that was never submitted has none: they are computed here with a Session
  over the pinned definition and the summary says so, in the header and the flags box.
- Date-based rules and the age shown are judged on the submission's reference date (the
  day it was submitted), as the store does; for a draft, the day the summary is made.
- Texts are in the language the candidate used (`record.lang`), unless the clinic chose
  one language for all summaries (the `summary_language` setting), for clinicians who
  read only that one; the header always says which language the candidate used.
- Nothing here draws a conclusion: there is no eligibility wording, only flags, facts and
  answers, with a line saying that flags support the clinician's judgement.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import reportlab
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from screening_app.engine.answers import is_empty, parse_date
from screening_app.engine.definition import SEVERITIES, Questionnaire
from screening_app.engine.display import (
    answer_line,
    format_answer,
    format_date,
    format_timestamp,
    given_as,
    item_at,
)
from screening_app.engine.key_facts import key_facts
from screening_app.engine.session import Session
from screening_app.engine.validation import Problem
from screening_app.export.pdf_answers import AnswerSections
from screening_app.export.pdf_flow import (
    QA,
    Border,
    BoxedRows,
    Keep,
    Row,
    Rows,
    banner,
    gap,
    qa_flowables,
)
from screening_app.export.pdf_history import CORRECTED, history_flowables
from screening_app.export.pdf_pages import PageTexts, numbered_canvas
from screening_app.export.pdf_styles import (
    BANNER,
    FONT,
    HEADER_COLUMNS,
    KEY_FACT_COLUMNS,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZE,
    RULE,
    SEVERITY_COLUMN,
    SEVERITY_LOOKS,
    SEVERITY_PADDING,
    SHADE,
    register_fonts,
    severity_styles,
    styles,
)
from screening_app.export.pdf_text import para, printable
from screening_app.i18n import LANGUAGE_NAMES, Translator
from screening_app.store.candidates import identity_of
from screening_app.store.records import AuditEntry, StoredFlag, SubmissionRecord
from screening_app.version import app_name_and_version, app_version

HEADER_VALUE_MAX = 160  # longer identity values are shortened in the header block only


@dataclass(frozen=True)
class SummaryData:
    """Everything one summary shows, read from the store in one go."""

    record: SubmissionRecord
    questionnaire: Questionnaire        # the definition the submission is pinned to
    answers: Mapping[str, Any]
    confirmed: frozenset[str]
    flags: tuple[StoredFlag, ...]       # as stored; empty for a submission never submitted
    clinic_name: str
    study_name: str
    generated_at: datetime
    history: tuple[AuditEntry, ...] = ()  # the submission's audit trail, oldest first
    summary_lang: str | None = None       # the clinic's choice; None: the candidate's language
    names: Mapping[str, str] = field(default_factory=dict)  # user name (lower) -> full name

    @property
    def lang(self) -> str:
        return self.summary_lang or self.record.lang


def gather(store: Any, submission_id: int, generated_at: datetime | None = None) -> SummaryData:
    """Read one submission and what its summary needs (raises the store's NotFound)."""
    snapshot = store.snapshot(submission_id)
    record = snapshot.record
    return SummaryData(
        record=record,
        questionnaire=store.questionnaire_for(submission_id),
        answers=dict(snapshot.answers),
        confirmed=frozenset(snapshot.confirmed),
        flags=tuple(snapshot.flags),
        clinic_name=str(store.get_setting("clinic_name") or ""),
        study_name=str(store.get_setting("study_name") or ""),
        generated_at=generated_at or datetime.now(UTC),
        history=tuple(store.audit_history(submission_id)),
        summary_lang=summary_language(store),
        names={user.username.lower(): user.display_name for user in store.list_users()},
    )


def summary_language(store: Any) -> str | None:
    """The `summary_language` setting: `en` or `es` prints every summary in that language
    (the clinicians' own); unset or `candidate`, each in the language the candidate used.
    What a person typed is printed as typed either way."""
    chosen = store.get_setting("summary_language")
    return chosen if chosen in LANGUAGE_NAMES else None


def build_summary(data: SummaryData) -> bytes:
    """The summary as PDF bytes."""
    register_fonts()
    summary = _Summary(data)
    out = io.BytesIO()
    width, height = PAGE_SIZE
    doc = BaseDocTemplate(
        out, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, lang=data.lang,
        displayDocTitle=1, **summary.metadata(),
        # Every page's canvas starts in our font: reportlab's default (Helvetica) put an
        # unembedded font object on every page although no text used it.
        initialFontName=FONT,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.keepTogetherClass = Keep  # headings with what follows them, measured cheaply
    doc.build(summary.story(), canvasmaker=numbered_canvas(summary.page_texts()))
    return out.getvalue()


class _Summary(AnswerSections):
    """One summary being assembled: the session over the answers, and the sections."""

    def __init__(self, data: SummaryData) -> None:
        self.data = data
        self.record = data.record
        self.q = data.questionnaire
        self.t = Translator(data.lang)
        self.s = styles()
        self.width = PAGE_SIZE[0] - 2 * MARGIN_X
        self.submitted = self.record.submitted_at is not None
        self.reference = (date.fromisoformat(self.record.reference_date) if self.record.reference_date
                          else data.generated_at.astimezone().date())
        self.session = Session(self.q, data.answers, lang=data.lang, today=self.reference,
                               confirmed=data.confirmed)
        self.answers = self.session.answers
        self.steps = self.session.review()
        self.problems: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.session.problems():
            self.problems[problem.path].append(problem)
        self.corrections: dict[str, list[AuditEntry]] = defaultdict(list)
        for entry in data.history:
            if entry.action == CORRECTED and entry.item:
                self.corrections[entry.item].append(entry)

    # ------------------------------------------------------------ texts used everywhere

    def answer(self, path: str) -> Any:
        """The applicable, non-empty answer at `path`, else None."""
        value = self.answers.get(path)
        return None if is_empty(value) or not self.session.is_applicable(path) else value

    def candidate_name(self) -> str:
        """The name answered in this submission, read as the work list and the FHIR
        Patient read it (never the person record, which other submissions share)."""
        said = identity_of(self.answers)
        return " ".join(part for part in (said["first_name"], said["last_name"]) if part) or (
            self.t("pdf.no_name"))

    def status_text(self) -> str:
        status = self.record.status
        if status == "withdrawn" and self.record.withdrawn_at:
            text = self.t("pdf.status.withdrawn_on", time=format_timestamp(self.record.withdrawn_at, self.t))
            reasons = [e.reason for e in self.data.history if e.action == "withdrawn" and e.reason]
            return self.t("pdf.status.withdrawn_reason", status=text, reason=reasons[-1]) if reasons else text
        return self.t(f"pdf.status.{status}")

    def metadata(self) -> dict[str, str]:
        """PDF title, author and subject: no patient name, so file indexes hold no PHI."""
        t, q = self.t, self.q
        return {
            "title": t("pdf.meta.title", id=self.record.id, code=self.record.code),
            "author": self.data.clinic_name or t("pdf.meta.author"),
            "subject": t("pdf.meta.subject", questionnaire=q.id, version=q.version),
            "creator": t("pdf.meta.creator", version=app_version()),
            "producer": f"{app_name_and_version()} (ReportLab {reportlab.Version})",
        }

    def page_texts(self) -> PageTexts:
        t = self.t
        mark = {"draft": t("pdf.mark.draft"), "withdrawn": t("pdf.mark.withdrawn")}
        return PageTexts(
            candidate=printable(self.candidate_name()),
            submission=t("pdf.page.submission", id=self.record.id, code=self.record.code),
            confidential=t("pdf.page.confidential"),
            status_mark=mark.get(self.record.status, ""),
            generated=t("pdf.page.generated",
                        time=format_timestamp(self.data.generated_at, t)),
            version=t("pdf.page.version", questionnaire=self.q.id, version=self.q.version),
            page=t("pdf.page.number"),
        )

    # ------------------------------------------------------------ the document

    def story(self) -> list[Flowable]:
        return [*self.header_block(), *self.flags_section(), *self.key_facts_section(),
                *self.answers_section(), *self.consent_section(), *self.history_section()]

    # 1. header block

    def header_block(self) -> list[Flowable]:
        s, t, record = self.s, self.t, self.record
        story: list[Flowable] = []
        names = [text for text in (self.data.clinic_name, self.data.study_name) if text.strip()]
        if names:  # one line where they fit: page 1 keeps room for the key facts
            story.append(para(" · ".join(names), s.clinic))
        story.append(para(t("pdf.title"), s.title))
        if record.status in ("draft", "withdrawn"):
            key = "pdf.banner.draft" if not self.submitted else "pdf.banner.withdrawn"
            if record.status == "withdrawn" and not self.submitted:
                key = "pdf.banner.withdrawn_draft"
            story += [banner([para(t(key), s.banner)], self.width, BANNER), gap(4)]

        left = [(t("pdf.header.candidate"), self.candidate_name_line(), True),
                (t("pdf.header.date_of_birth"), self.birth_line(), False),
                (t("pdf.header.sex_at_birth"), self.item_text("sex_at_birth"), False),
                (t("pdf.header.email"), self.item_text("email"), False),
                # Last: the one row without a right-hand pair, so its value has the rest of
                # the width. A phone number never breaks (display.unbroken), and the longest
                # one the check takes (20 digits) did not fit one column: reportlab split it.
                (t("pdf.header.phone"), self.item_text("phone"), False)]
        q = self.q
        right = [(t("pdf.header.submission"), t("pdf.header.submission_value", id=record.id,
                                                 code=record.code), True),
                 (t("pdf.header.questionnaire"), t("pdf.header.questionnaire_value",
                                                    id=q.id, version=q.version), False),
                 (t("pdf.header.language"), LANGUAGE_NAMES.get(record.lang, record.lang), False),
                 (t("pdf.header.submitted"), format_timestamp(record.submitted_at, t)
                  if record.submitted_at else t("pdf.header.not_submitted"), False)]
        # The status and the sign-offs (also when withdrawn later: they happened) each take
        # the whole width, read together: in the right-hand column they wrapped over three
        # lines each and pushed the key facts off page 1.
        whole = [(t("pdf.header.status"), self.status_text(), True),
                 *self.signoff_header_rows()]
        widths = [share * self.width for share in HEADER_COLUMNS]
        wide = [widths[0], self.width - widths[0]]

        def pair(label: str, value: str, bold: bool) -> list[list[Flowable]]:
            return [[para(label, s.label)], [para(self.shorten(value), s.value, bold=bold)]]

        rows = []
        for index in range(max(len(left), len(right))):
            paired = index < len(right)  # else the value takes the right-hand room too
            cells = (pair(*left[index]) if index < len(left) else [[], []]) + (
                pair(*right[index]) if paired else [])
            rows.append(Row(cells, widths if paired else wide, rule=False, rule_above=index == 0,
                            shade=(0, 2) if paired else (0,)))
        for index, row in enumerate(whole):
            rows.append(Row(pair(*row), wide, rule=index == len(whole) - 1, shade=(0,)))
        return [*story, Rows(rows)]

    def shorten(self, text: str) -> str:
        if len(text) <= HEADER_VALUE_MAX:
            return text
        return text[:HEADER_VALUE_MAX].rstrip() + "… " + self.t("pdf.header.shortened")

    def candidate_name_line(self) -> str:
        name = self.candidate_name()
        preferred = self.answer("preferred_name")
        return self.t("pdf.header.preferred", name=name, preferred=preferred) if preferred else name

    def item_text(self, item_id: str) -> str:
        item = self.q.items_by_id.get(item_id)
        if item is None:
            return self.t("answer.unanswered")
        return format_answer(item, self.answer(item_id), self.t)

    def birth_line(self) -> str:
        born = self.answer("date_of_birth")
        when = parse_date(born) if born is not None else None
        if when is None:
            return self.item_text("date_of_birth")
        age = self.session.computed().get("age")
        text = format_date(when, self.t)
        if age is None:
            return text
        return self.t("pdf.header.birth_value", date=text, age=age,
                      on=format_date(self.reference, self.t))

    # 2. flags

    def flag_list(self) -> list[Any]:
        flags: Sequence[Any] = self.data.flags if self.submitted else self.session.flags()
        order = {rule.id: index for index, rule in enumerate(self.q.rules)}
        rank = {severity: index for index, severity in enumerate(SEVERITIES)}
        return sorted(flags, key=lambda f: (rank.get(f.severity, len(rank)),
                                            order.get(f.rule, len(order)), f.rule))

    def flags_section(self) -> list[Flowable]:
        s, t = self.s, self.t
        flags = self.flag_list()
        heading = para(t("pdf.flags.title"), s.section)
        if self.submitted and self.corrections:
            note = t("pdf.flags.recomputed", date=format_date(self.reference, t))
        elif self.submitted:
            note = t("pdf.flags.stored", date=format_date(self.reference, t))
        else:
            note = t("pdf.flags.computed", date=format_date(self.reference, t))
        story: list[Flowable] = [heading, para(note, s.note)]
        if any(given_as(item_at(self.q, e.path), e.value) for f in flags for e in f.evidence):
            story.append(para(t("pdf.flags.partial_dates"), s.note))
        story.append(gap(3))
        if not flags:
            none = t("pdf.flags.none") if self.submitted else t("pdf.flags.none_draft")
            story.append(banner([para(none, s.criterion)], self.width, SHADE, border=RULE))
        else:
            counts = {sev: sum(1 for f in flags if f.severity == sev) for sev in SEVERITIES}
            story.append(para(" · ".join(t("pdf.flags.count", severity=t(f"pdf.severity.{sev}.name"),
                                           count=counts[sev]) for sev in SEVERITIES), s.value_bold))
            story.append(gap(4))
            # Severities in reading order; one the app does not know (never expected: the
            # loader checks them) is still shown, under its own name, last.
            boxes = [self.severity_box(severity, chosen)
                     for severity in [*SEVERITIES, *sorted({f.severity for f in flags} - set(SEVERITIES))]
                     if (chosen := [f for f in flags if f.severity == severity])]
            for box in boxes:
                story += [box, gap(4)] if box is not boxes[-1] else [box]  # the line below has its space
        story.append(para(t("pdf.flags.disclaimer"), s.disclaimer))
        return story

    def severity_box(self, severity: str, flags: Sequence[Any]) -> BoxedRows:
        s, t = self.s, self.t
        known = severity in SEVERITY_LOOKS
        look = SEVERITY_LOOKS[severity if known else "review"]
        word = t(f"pdf.severity.{severity}") if known else severity.upper()
        word_style, meaning_style = severity_styles(severity if known else "review")
        border = Border(look.ink, look.border, look.lines, look.dash)
        widths = [SEVERITY_COLUMN - border.inset, self.width - SEVERITY_COLUMN - border.inset]
        rows = []
        for index, flag in enumerate(flags):
            left: list[Flowable] = [para(word, word_style)]
            if index == 0 and known:
                left.append(para(t(f"pdf.severity.{severity}.meaning"), meaning_style))
            right: list[Flowable] = [para(self.criterion(flag), s.criterion)]
            for evidence in flag.evidence:
                text = answer_line(self.q, evidence.path, evidence.value, self.answers, self.t)
                given = given_as(item_at(self.q, evidence.path), evidence.value)
                if given:  # "Sep 2026 (a month: any of its days counts)"
                    text += " " + t(f"pdf.flags.any_day_of_{given}")
                right.append(para(f"• {text}", s.evidence))
            rows.append(Row([left, right], widths, rule=False, shade=(0,), fill=look.background,
                            padding=SEVERITY_PADDING))
        return BoxedRows(rows, border, separators=(look.word_ink, RULE))

    def criterion(self, flag: Any) -> str:
        """The rule's criterion in the summary's language (stored flags carry the
        candidate's); the stored text when the pinned definition lacks the rule."""
        rule = next((r for r in self.q.rules if r.id == flag.rule), None)
        return rule.criterion.get(self.data.lang) if rule is not None else flag.criterion

    # 3. key facts

    def key_facts_section(self) -> list[Flowable]:
        s = self.s
        qas = []
        facts = key_facts(self.session, self.t)
        if not facts:  # another questionnaire, without the items the key facts are made of
            return []
        for fact in facts:
            style = s.value_bold if fact.asked else s.not_applicable
            qas.append(QA([para(fact.label, s.label)], [para(fact.text, style)]))
        heading = para(self.t("pdf.key_facts.title"), s.section)
        widths = [share * self.width for share in KEY_FACT_COLUMNS]
        # A handful of rows, read as one block: never a fact alone at the top of a page.
        return [Keep(qa_flowables(qas, widths, heading, shade_question=True))]


    # 6. history

    def history_section(self) -> list[Flowable]:
        return history_flowables(self.q, self.data.history, self.answers, self.t, self.s,
                                 self.width, self.data.names)
