"""Key facts: the few answers a clinician reads first (questionnaire spec, "Key facts").

Data, not code: each fact lists the items (or computed values) it is made of, by their ids
in the definition. A part is shown only when it applies and is answered, as a short phrase
from the translations (`key_facts.part.<id>`, where `{value}` is the readable answer and
`{code}` the stored one). Two facts are read from the treatments group's rows (therapies
still taken; the most recent last dose of an immunosuppressant, by the drug's `class`
attribute). A fact whose items the definition does not have is left out, so another
questionnaire gets the facts it can answer. No Qt: the desk shows the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from screening_app.engine.answers import is_empty, row_path
from screening_app.engine.dates import DateSpan, date_value, last_day
from screening_app.engine.display import answer_parts, format_answer, format_date, format_number
from screening_app.engine.session import Session
from screening_app.i18n import Translator, catalog


@dataclass(frozen=True)
class Part:
    name: str                   # an item or computed id
    only: tuple[str, ...] = ()  # show only when the answer is one of these codes


@dataclass(frozen=True)
class KeyFact:
    id: str
    label: str
    parts: tuple[str, ...]   # readable phrases; ("—",) when nothing applicable was answered
    paths: tuple[str, ...]   # the answers (or computed values) the phrases were read from
    asked: bool = True       # False: the questions were not asked (e.g. pregnancy, men)

    @property
    def text(self) -> str:
        return " · ".join(self.parts)


Builder = Callable[[Session, Translator], tuple[list[str], list[str]]]


@dataclass(frozen=True)
class FactSpec:
    id: str
    parts: tuple[Part, ...] = ()
    build: Builder | None = None
    needs: tuple[str, ...] = ()  # item ids a builder reads
    step: str | None = None      # "where asked": when this step is not shown, say so


TREATMENTS, DRUG, STILL_TAKING, LAST_DOSE = "treatments", "drug", "still_taking", "last_dose_date"
IMMUNOSUPPRESSANT = "immunosuppressant"


def _drug_name(session: Session, row: int) -> str:
    """The row's drug label; for "other", the name the person typed."""
    group = session.questionnaire.item(TREATMENTS)
    drug = session.answers.get(row_path(TREATMENTS, row, DRUG))
    other = row_path(TREATMENTS, row, "drug_other")
    if drug == "other" and session.is_applicable(other) and not is_empty(session.answers.get(other)):
        return str(session.answers[other])
    return format_answer(group.field(DRUG), drug, session.t)


def _rows(session: Session) -> list[int]:
    return session.rows(TREATMENTS) if session.is_applicable(TREATMENTS) else []


def _current_therapies(session: Session, t: Translator) -> tuple[list[str], list[str]]:
    if not session.is_applicable(TREATMENTS):
        ever = session.answers.get("ever_treated")
        if session.is_applicable("ever_treated") and ever == "no":
            return [t("key_facts.never_treated")], ["ever_treated"]
        return [], []
    rows = _rows(session)
    if not rows:
        return [], []
    taken = [row for row in rows
             if session.answers.get(row_path(TREATMENTS, row, STILL_TAKING)) == "yes"]
    paths = [row_path(TREATMENTS, row, STILL_TAKING) for row in taken]
    if not taken:
        return [t("key_facts.none")], paths
    return [_drug_name(session, row) for row in taken], paths


def _last_immunosuppressant(session: Session, t: Translator) -> tuple[list[str], list[str]]:
    """Immunosuppressants still taken (their exposure is ongoing), then the most recent last
    dose of one that was stopped; "None reported" only when there is neither."""
    if not session.is_applicable(TREATMENTS):
        return _current_therapies(session, t)  # never treated (or not answered yet)
    if not _rows(session):
        return [], []
    drug_item = session.questionnaire.item(TREATMENTS).field(DRUG)
    dose_item = session.questionnaire.item(TREATMENTS).field(LAST_DOSE)
    precision = dose_item.precision if dose_item is not None else "day"
    latest: tuple[date | DateSpan, int] | None = None
    parts: list[str] = []
    paths: list[str] = []
    for row in _rows(session):
        choice = drug_item.choice(session.answers.get(row_path(TREATMENTS, row, DRUG)) or "")
        if not (choice and choice.attrs.get("class") == IMMUNOSUPPRESSANT):
            continue
        if session.answers.get(row_path(TREATMENTS, row, STILL_TAKING)) == "yes":
            parts.append(t("key_facts.still_taking", drug=_drug_name(session, row)))
            paths += [row_path(TREATMENTS, row, DRUG), row_path(TREATMENTS, row, STILL_TAKING)]
            continue
        dose_path = row_path(TREATMENTS, row, LAST_DOSE)
        when = (date_value(session.answers.get(dose_path), precision)
                if session.is_applicable(dose_path) else None)
        # A dose given as a month counts by its last day: the latest it can have been.
        if when and (latest is None or last_day(when) > last_day(latest[0])):
            latest = (when, row)
    if latest is not None:
        when, row = latest
        parts.append(t("key_facts.last_dose", drug=_drug_name(session, row), date=format_date(when, t)))
        paths += [row_path(TREATMENTS, row, DRUG), row_path(TREATMENTS, row, LAST_DOSE)]
    return (parts, paths) if parts else ([t("key_facts.none_reported")], [])


KEY_FACTS: tuple[FactSpec, ...] = (
    FactSpec("age_sex", (Part("age"), Part("sex_at_birth"))),
    FactSpec("ms", (Part("ms_diagnosed", only=("no", "not_sure")), Part("ms_type"),
                    Part("diagnosis_year"), Part("disease_years"))),
    FactSpec("mobility", (Part("mobility_level"),)),
    FactSpec("edss", (Part("edss_known", only=("no",)), Part("edss_score"), Part("edss_date"))),
    FactSpec("relapses", (Part("relapses_12_months"), Part("relapses_24_months"),
                          Part("last_relapse_date"))),
    FactSpec("current_therapies", build=_current_therapies,
             needs=(TREATMENTS, "ever_treated")),
    FactSpec("last_immunosuppressant", build=_last_immunosuppressant, needs=(TREATMENTS,)),
    FactSpec("pregnancy", (Part("pregnant"), Part("breastfeeding"), Part("planning_pregnancy"),
                           Part("contraception")), step="pregnancy"),
)


def _known(session: Session, name: str) -> bool:
    q = session.questionnaire
    return name in q.items_by_id or name in q.computed


def _part_text(session: Session, part: Part, computed: dict, t: Translator) -> str | None:
    q = session.questionnaire
    if part.name in q.computed:
        value = computed.get(part.name)
        if value is None:
            return None
        shown, code = (format_number(value) if isinstance(value, int | float) else str(value)), value
        if isinstance(value, int) and f"key_facts.part.{part.name}.one" in catalog(t.lang):
            return t.plural(f"key_facts.part.{part.name}", value, value=shown)  # "1 year ..."
    else:
        if not session.is_applicable(part.name):
            return None
        item = q.item(part.name)
        code = session.answers.get(part.name)
        if is_empty(code):  # a required question not answered yet (drafts) says so
            if not item.required or part.only:
                return None
            return t("key_facts.not_answered_yet")
        if part.only and code not in part.only:
            return None
        shown = "; ".join(answer_parts(item, code, t))
    return t(f"key_facts.part.{part.name}", value=shown, code=code)


def key_facts(session: Session, t: Translator | None = None) -> list[KeyFact]:
    """The key facts of the session's answers, in the spec's order."""
    t = t or session.t
    computed = session.computed()
    facts: list[KeyFact] = []
    for spec in KEY_FACTS:
        names = [p.name for p in spec.parts] + list(spec.needs)
        if not all(_known(session, name) for name in names):
            continue
        label = t(f"key_facts.{spec.id}")
        q = session.questionnaire
        if spec.step and spec.step in {s.id for s in q.steps} and not session.step_shown(spec.step):
            facts.append(KeyFact(spec.id, label, (t("key_facts.not_asked"),), (), asked=False))
            continue
        if spec.build is not None:
            parts, paths = spec.build(session, t)
        else:
            parts, paths = [], []
            for part in spec.parts:
                text = _part_text(session, part, computed, t)
                if text is not None and not (parts and text == parts[-1]):  # one "not yet"
                    parts.append(text)
                    paths.append(part.name)
        facts.append(KeyFact(spec.id, label, tuple(parts) or (t("answer.unanswered"),), tuple(paths)))
    return facts
