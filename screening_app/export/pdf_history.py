"""Section 6 of the clinician summary: what happened to the record after it was begun.

A clinician reading a summary must know when an answer was changed after the candidate
submitted it, by whom and why, and whether a review was reopened or the submission
withdrawn. Each answer corrected at the desk is also marked where it is printed (see
`pdf_answers`); this table is the whole story in order, from the audit trail.

Listed: start, submission, answers corrected after submission, flags recomputed after a
correction, checks and clinical reviews (and the reviews of before the two sign-offs),
sign-offs made out of date by a correction, withdrawal. Who: the person's full name. Not
listed: each answer saved while the draft was filled in (that is the filling itself, and
would be hundreds of lines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from screening_app.engine.definition import Questionnaire
from screening_app.engine.display import format_timestamp, format_value_at, path_label
from screening_app.export.pdf_flow import grid_table, room
from screening_app.export.pdf_text import para
from screening_app.i18n import Translator
from screening_app.signoff_words import decision_label
from screening_app.store.records import AuditEntry

CORRECTED = "answer_edited"
LISTED = ("submission_started", "submitted", CORRECTED, "flags_computed", "checked",
          "clinically_reviewed", "reviewed", "check_reopened", "review_reopened", "withdrawn")
COLUMN_SHARES = (0.15, 0.19, 0.42, 0.24)  # when, by, what, reason


def history_flowables(q: Questionnaire, entries: Sequence[AuditEntry], answers: Mapping[str, Any],
                      t: Translator, s: Any, width: float,
                      names: Mapping[str, str] | None = None) -> list[Flowable]:
    """The section's heading and table; nothing when there is nothing to list. `names`:
    user name (lower case) -> full name."""
    names = names or {}
    rows = []
    submitted_at = None
    for entry in entries:
        if entry.action not in LISTED:
            continue
        if entry.action == "submitted":
            submitted_at = entry.at
        if entry.action == "flags_computed" and entry.at in (submitted_at, None):
            continue  # the flags of the submission itself: the flags section shows them
        who = names.get(entry.actor.lower(), entry.actor)
        rows.append([[para(format_timestamp(entry.at, t), s.cell)], [para(_breakable(who), s.cell)],
                     [para(_what(q, entry, answers, t), s.cell)],
                     [para(entry.reason or "", s.cell)]])
    if not rows:
        return []
    header = [para(t(f"pdf.history.{column}"), s.table_head) for column in ("when", "by", "what", "reason")]
    table = grid_table(header, rows, [share * width for share in COLUMN_SHARES])
    return [room(30 * mm), para(t("pdf.history.title"), s.section),
            para(t("pdf.history.legend"), s.note), table]


def _what(q: Questionnaire, entry: AuditEntry, answers: Mapping[str, Any], t: Translator) -> str:
    action = entry.action
    if action == CORRECTED and entry.item:
        return t("pdf.history.corrected", question=path_label(q, entry.item, answers, t),
                 old=format_value_at(q, entry.item, entry.old_value, t),
                 new=format_value_at(q, entry.item, entry.new_value, t))
    if action == "flags_computed":
        old, new = set(entry.old_value or ()), set(entry.new_value or ())
        return t("pdf.history.flags", raised=_criteria(q, new - old, t),
                 dropped=_criteria(q, old - new, t))
    if action == "reviewed":
        return t("pdf.history.reviewed", meaning=entry.new_value or "—")
    if action in ("checked", "clinically_reviewed"):
        signed = entry.new_value if isinstance(entry.new_value, dict) else {}
        return t(f"pdf.history.{action}", note=signed.get("note") or "—",
                 decision=decision_label(signed.get("decision"), t))
    return t(f"pdf.history.{action}")


def _criteria(q: Questionnaire, rule_ids: set[str], t: Translator) -> str:
    by_id = {rule.id: rule for rule in q.rules}
    names = [by_id[r].criterion.get(t.lang) if r in by_id else r for r in sorted(rule_ids)]
    return "; ".join(names) or "—"


def _breakable(name: str) -> str:
    """A user name that may wrap after its hyphens ("demo-coordinator"), not mid-word."""
    return name.replace("-", "-\u200b")
