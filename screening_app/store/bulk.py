"""Bulk loading of finished records, for demo and benchmark databases (`main.py demo`).

Written by the desk engineer as a separate module (no change to the Store's mixins): it
takes an open Store and writes many candidates and submissions in large transactions,
each batch all-or-nothing. The caller supplies values that are already valid for the
questionnaire (the demo seeder computes them with a Session); this module only stores
them, with the same search terms, codes, flags and audit rows the service methods would
write. It is not for patient data: there is no duplicate check and no validation here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from .base import insert_audit_rows
from .candidates import CANDIDATE_FIELDS, LISTED_FIELDS, identity_of
from .normalise import digits, from_json, new_code, normalise_name, search_terms, to_json
from .service import Store


@dataclass(frozen=True)
class BulkAudit:
    at: str
    actor: str
    action: str
    item: str | None = None
    old_json: str | None = None  # canonical JSON text (normalise.to_json), or None
    new_json: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BulkFlag:
    rule: str
    severity: str
    criterion: str
    evidence: Sequence[Mapping[str, Any]]  # [{"path": ..., "value": ...}] (JSON-ready)
    computed_at: str


@dataclass(frozen=True)
class BulkSignOff:
    """A check or a clinical review (see signoffs.py), as signed."""

    kind: str  # "checked" or "clinical_review"
    signed_at: str
    username: str
    full_name: str
    role: str
    note: str
    decision: str | None = None


@dataclass(frozen=True)
class BulkSubmission:
    candidate: Mapping[str, str | None]  # keys of CANDIDATE_FIELDS
    status: str
    lang: str
    started_at: str
    updated_at: str
    answers: Mapping[str, str]  # path -> canonical JSON text (normalise.to_json)
    current_step: str | None = None
    reference_date: str | None = None
    submitted_at: str | None = None
    reviewed_at: str | None = None
    reviewed_by: str | None = None
    review_meaning: str | None = None
    withdrawn_at: str | None = None
    flags: Sequence[BulkFlag] = ()
    audit: Sequence[BulkAudit] = field(default_factory=tuple)
    signoffs: Sequence[BulkSignOff] = ()


def bulk_load(store: Store, questionnaire: Any, submissions: Iterable[BulkSubmission],
              batch: int = 2000) -> list[int]:
    """Store every submission (with a new candidate each); return their ids in order.

    Each batch is one transaction; ids are given out inside it (the write lock is held),
    so each table gets one `executemany` per batch.
    """
    questionnaire_pk = store.register_questionnaire(questionnaire)
    with store._read() as db:
        used = {row["code"] for row in db.query("SELECT code FROM submissions")}
    ids: list[int] = []
    iterator = iter(submissions)
    backend = store._backend
    with backend.bulk_mode():
        while chunk := list(islice(iterator, batch)):
            with store._write() as db:
                batch_ids = _insert_batch(backend, db, questionnaire_pk, chunk, used)
                store._changed.update(batch_ids)  # their applicable answers, as _audit does
                ids += batch_ids
    return ids


def _insert_batch(backend: Any, db: Any, questionnaire_pk: int, chunk: list[BulkSubmission],
                  used: set[str]) -> list[int]:
    candidate_ids = iter(backend.reserve_ids("candidates", len(chunk)))
    submission_ids = iter(backend.reserve_ids("submissions", len(chunk)))
    candidates, terms, submissions, answers, flags, audit, ids = [], [], [], [], [], [], []
    signoffs = []
    for sub in chunk:
        candidate_id = next(candidate_ids)
        submission_id = next(submission_ids)
        person = {key: sub.candidate.get(key) for key in CANDIDATE_FIELDS}
        candidates.append((candidate_id, *person.values(), normalise_name(person["first_name"]),
                           normalise_name(person["last_name"]), digits(person["phone"]),
                           sub.started_at, sub.updated_at))
        terms += [(term, candidate_id) for term in sorted(search_terms(
            person["first_name"], person["last_name"], person["phone"]))]
        code = new_code()
        while code in used:
            code = new_code()
        used.add(code)
        said = identity_of({f: from_json(sub.answers.get(f)) for f in LISTED_FIELDS})
        submissions.append((submission_id, code, candidate_id, questionnaire_pk, sub.status,
                            sub.lang, sub.current_step, sub.reference_date, sub.started_at,
                            sub.updated_at, sub.submitted_at, sub.reviewed_at, sub.reviewed_by,
                            sub.review_meaning, sub.withdrawn_at, said["first_name"],
                            said["last_name"], said["date_of_birth"],
                            normalise_name(said["first_name"]), normalise_name(said["last_name"])))
        answers += [(submission_id, path, text, sub.started_at) for path, text in sub.answers.items()]
        flags += [(submission_id, f.rule, f.severity, f.criterion, to_json(list(f.evidence)),
                   f.computed_at) for f in sub.flags]
        audit += [(a.at, a.actor, a.action, submission_id, a.item, a.old_json, a.new_json, a.reason)
                  for a in sub.audit]
        signoffs += [(submission_id, s.kind, s.signed_at, s.username, s.full_name, s.role,
                      s.decision, s.note) for s in sub.signoffs]
        ids.append(submission_id)
    db.executemany(
        "INSERT INTO candidates (id, first_name, last_name, date_of_birth, sex_at_birth, phone,"
        " email, first_name_norm, last_name_norm, phone_digits, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", candidates)
    db.executemany("INSERT INTO candidate_search_terms (term, candidate_id) VALUES (?, ?)", terms)
    db.executemany(
        "INSERT INTO submissions (id, code, candidate_id, questionnaire_pk, status, lang,"
        " current_step, reference_date, started_at, updated_at, submitted_at, reviewed_at,"
        " reviewed_by, review_meaning, withdrawn_at, first_name, last_name, date_of_birth,"
        " first_name_norm, last_name_norm)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", submissions)
    db.executemany("INSERT INTO answers (submission_id, path, value_json, updated_at)"
                   " VALUES (?, ?, ?, ?)", answers)
    db.executemany("INSERT INTO flags (submission_id, rule_id, severity, criterion,"
                   " evidence_json, computed_at) VALUES (?, ?, ?, ?, ?, ?)", flags)
    db.executemany("INSERT INTO signoffs (submission_id, kind, signed_at, username,"
                   " full_name, role, decision, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", signoffs)
    insert_audit_rows(db, audit)
    return ids

