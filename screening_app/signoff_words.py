"""The words for a sign-off's role and decision (core.*.yaml, `signoff.*`), one function for
the desk and the PDF, so both say the same."""

from __future__ import annotations

from screening_app.i18n import Translator
from screening_app.store.records import DECISIONS, ROLES


def role_label(role: str, t: Translator) -> str:
    """"clinician"; "role not recorded" for a review from before roles were kept."""
    return t(f"signoff.role.{role}") if role in ROLES else t("signoff.role.unknown")


def decision_label(decision: str | None, t: Translator) -> str:
    """"Invite to a screening visit"; a review from before decisions says so."""
    return t(f"signoff.decision.{decision}") if decision in DECISIONS else t("signoff.decision.none")
