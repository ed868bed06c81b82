"""How the desk writes dates, statuses and flag counts (texts from desk.*.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from PySide6.QtGui import QColor

from screening_app.engine.answers import parse_date
from screening_app.engine.definition import Questionnaire
from screening_app.engine.display import format_date
from screening_app.i18n import Translator
from screening_app.signoff_words import decision_label, role_label
from screening_app.store.records import SEVERITIES, STATUSES, SubmissionRecord
from screening_app.terminal import escape_unprintable

# Colours chosen for contrast on white (WCAG AA for text) and never the only signal:
# every coloured thing also says what it is in words.
SEVERITY_COLOURS = {"exclusion": QColor("#b3261e"), "review": QColor("#8a5a00"),
                    "info": QColor("#37474f")}
SEVERITY_BACKGROUNDS = {"exclusion": QColor("#fde7e5"), "review": QColor("#fff1d6"),
                        "info": QColor("#eceff1")}
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
STATUS_COLOURS = {"draft": QColor("#5f6368"), "submitted": QColor("#0b57d0"),
                  "checked": QColor("#6a1b9a"), "reviewed": QColor("#146c2e"),
                  "withdrawn": QColor("#80868b")}


def shown_name(name: str | None, t: Translator) -> str:
    """A person's name as the desk shows it everywhere (list, tab, header, hand-over): a
    draft keeps what was typed, so a right-to-left override or a control character in it
    is shown as an escape ("Ana\\u202e..."), never obeyed to read the name backwards."""
    return escape_unprintable(name) if name else t("desk.list.no_name")


def answers_name(answers: Mapping[str, object], t: Translator) -> str:
    """The name a submission's own answers give (first and last), shown as above."""
    return shown_name(" ".join(str(answers[k]) for k in ("first_name", "last_name") if answers.get(k)), t)


def when(value: str | None, t: Translator, today: date | None = None, compact: bool = False) -> str:
    """A stored UTC timestamp in local time: `Today 14:05`, `Yesterday 09:12`, `3 Nov 2026 10:00`
    (`compact`, as the work list writes it: `3 Nov 2025`, no time for another year)."""
    if not value:
        return ""
    local = datetime.fromisoformat(value).astimezone()
    today = today or date.today()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return t("desk.when.today", time=clock)
    if (today - local.date()).days == 1:
        return t("desk.when.yesterday", time=clock)
    if local.year == today.year:  # "3 Nov 10:00": the year only when it is not this one
        return f"{format_date(local.date(), t).rsplit(' ', 1)[0]} {clock}"
    return format_date(local.date(), t) if compact else f"{format_date(local.date(), t)} {clock}"


def birth(value: str | None, t: Translator) -> str:
    parsed = parse_date(value) if value else None
    return format_date(parsed, t) if parsed else (value or "")


def status_label(status: str, t: Translator) -> str:
    return t(f"desk.status.{status}") if status in STATUSES else status


def signoff_lines(record: SubmissionRecord, t: Translator) -> list[str]:
    """The sign-offs as the header says them: the check and the clinical review, each by
    full name and role, when, and what it means; one that a correction made out of date
    says so (when no newer one of its kind replaced it)."""
    lines = []
    for kind in ("checked", "clinical_review"):
        signoff = record.signoff(kind)
        if signoff is None:
            continue
        who = {"who": signoff.full_name, "role": role_label(signoff.role, t),
               "when": when(signoff.signed_at, t)}
        if not signoff.current:
            lines.append(t("desk.view.out_of_date", what=t(f"desk.view.what.{kind}"),
                           corrected=when(signoff.out_of_date_at, t), **who))
        elif kind == "checked":
            lines.append(t("desk.view.checked", note=signoff.note, **who))
        else:
            lines.append(t("desk.view.reviewed", decision=decision_label(signoff.decision, t),
                           note=signoff.note, **who))
    return lines


def severity_label(severity: str, t: Translator) -> str:
    return t(f"desk.severity.{severity}") if severity in SEVERITIES else severity


def rule_text(q: Questionnaire, rule_id: str, t: Translator) -> str:
    """A flag as a person reads it: "Review: Severe mobility restriction" (the rule's id
    only when the questionnaire no longer has that rule)."""
    rule = next((r for r in q.rules if r.id == rule_id), None)
    if rule is None:
        return rule_id
    return t("desk.flags.line", severity=severity_label(rule.severity, t),
             criterion=rule.criterion.get(t.lang))


def rule_lines(q: Questionnaire, rule_ids: Iterable[str], t: Translator, mark: str = "•") -> list[str]:
    """One line per flag, most severe first."""
    rules = {r.id: r for r in q.rules}
    ordered = sorted(rule_ids, key=lambda r: (SEVERITY_RANK.get(
        rules[r].severity if r in rules else "", 9), r))
    return [f"{mark} {rule_text(q, rule_id, t)}" for rule_id in ordered]


def flag_parts(flags: dict[str, int], t: Translator) -> list[tuple[str, str]]:
    """[(severity, "2 exclusion"), ...] for the severities that have flags, most severe first."""
    return [(sev, t(f"desk.flags.count.{sev}", count=flags[sev])) for sev in SEVERITIES
            if flags.get(sev)]


def flags_text(flags: dict[str, int], submitted: bool, t: Translator) -> str:
    """Flags exist from submission on; before that there is nothing to count yet."""
    if not submitted:
        return t("desk.flags.not_submitted")
    parts = flag_parts(flags, t)
    return ", ".join(text for _, text in parts) if parts else t("desk.flags.none")
