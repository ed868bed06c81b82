"""Demo data: realistic, clearly fake candidates and submissions, for demos and benchmarks.

    python main.py demo --count 500 [--db PATH] [--seed 1]

Every name is marked as fake ("Test-Ana Demo-García"), phone numbers are in the 555-01xx
range reserved for fiction and e-mail addresses are at example.org. Submissions cover
every status (draft, submitted, checked, clinically reviewed, withdrawn) and every mix of flags.

The answers are valid for the shipped questionnaire: a pool of clinical profiles
(`demo_answers`) is evaluated once with a `Session` (checks and flags), then each
submission places a profile on its own day of answering and adds a person. Flags and
evidence are those the Session computed; tests/test_demo.py re-evaluates seeded
submissions to prove the placement changes nothing. Rows are written with the store's
bulk loader (about 75-100 s for 100,000 on a two-core laptop-class machine).

When the database has no users yet, three demo users are created (PIN `246810`) and the
clinic and study names are set, so the desk opens on its sign-in page.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import random
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from screening_app.commands import command
from screening_app.demo.answers import Profile, birth_date, make_profile, materialise
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.engine.session import Session
from screening_app.store import Store
from screening_app.store.bulk import BulkAudit, BulkFlag, BulkSignOff, BulkSubmission, bulk_load
from screening_app.store.normalise import normalise_name, to_json, utc_timestamp
from screening_app.store.review import plain

DEMO_PIN = "246810"
DEMO_USERS = (("demo-admin", "Demo Admin", "admin"),
              ("demo-coordinator", "Demo Coordinator", "coordinator"),
              ("demo-clinician", "Dr. Demo Clinician", "clinician"))
CHECK_NOTE = "Answers checked for completeness and plausibility by the intake coordinator"
# A clinician's decisions, with how often the demo makes each and the notes it writes.
DECISION_NOTES = {
    "invite": (5, ("Flags read with the medical records; invite to the screening visit.",)),
    "more_information": (3, ("Ask the neurologist for the last MRI report and EDSS.",
                             "Confirm the MS type with the records before deciding.")),
    "not_eligible": (2, ("Exclusion criterion confirmed in the records.",)),
}
CHECKED_SHARE = {"submitted": 0.45, "reviewed": 0.7}  # how many of each were checked first
STATUS_WEIGHTS = {"draft": 12, "submitted": 50, "reviewed": 30, "withdrawn": 8}
WITHDRAW_REASONS = ("Candidate asked to stop", "Moved away from the area",
                    "Entered twice by mistake", "Chose another study")
PROFILE_POOL = 400
# Some submitted answers were corrected at the desk afterwards (an audited edit with a
# reason), as happens in a real clinic: the history, the "amended" FHIR status and the
# desk's edit trail then have something to show.
CORRECTION_SHARE = 0.12
CORRECTIONS = (("country", "Typo in the country, corrected with the candidate at the desk"),
               ("phone", "The candidate read the phone number back; one digit was wrong"))
_CHECK_DAY = date(2026, 6, 15)  # profiles are evaluated on this day, then placed elsewhere

FIRST = ("Ana", "María", "José", "Lucía", "Carmen", "Juan", "Luis", "Sofía", "Valentina",
         "Mateo", "Isabel", "Pedro", "Núria", "Íñigo", "Elena", "Javier", "Marta", "Andrés",
         "Raúl", "Inés", "Pilar", "Tomás", "Rocío", "Álvaro", "Beatriz", "James", "Mary",
         "John", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "Sarah", "Emily",
         "David", "Karen", "Daniel", "Lisa", "Amara", "Chen", "Priya", "Yusuf", "Fatima",
         "Olga", "Aiko", "Kwame", "Zoë", "Søren", "Björn")
LAST = ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez",
        "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
        "Muñoz", "Álvarez", "Romero", "Navarro", "Torres", "Ramos", "Núñez", "Ortega",
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
        "Taylor", "Thomas", "Moore", "Clark", "Lewis", "Walker", "Young", "King", "Okafor",
        "Nguyen", "Kowalski", "Müller", "Dubois", "Rossi", "Ivanova", "Tanaka", "Haddad")


@dataclass(frozen=True)
class EvaluatedProfile:
    profile: Profile
    flags: tuple[Any, ...]  # session Flags, evaluated on _CHECK_DAY
    computed: dict[str, Any]
    fixed_json: dict[str, str]  # answers that do not depend on the day, already encoded
    relative: dict[str, Any]  # answers that do (DaysAgo, MonthsAgo, YearsAgo)


def _identity(rng: random.Random, number: int) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    family = f"Demo-{last}" + (f" {rng.choice(LAST)}" if rng.random() < 0.25 else "")
    phone = f"+1 555 01{rng.randint(0, 99):02d} {rng.randint(1000, 9999)}"
    plain = normalise_name(first).replace(" ", "")
    email = f"test.{plain}.{number}@example.org"
    return {"first_name": f"Test-{first}", "last_name": family, "phone": phone,
            "email": email}


def evaluate_profiles(q: Questionnaire, rng: random.Random, count: int) -> list[EvaluatedProfile]:
    """`count` profiles that a Session accepts (no errors) with their flags."""
    found: list[EvaluatedProfile] = []
    while len(found) < count:
        profile = make_profile(rng)
        answers = {path: materialise(v, _CHECK_DAY) for path, v in profile.answers.items()}
        answers.update(_identity(rng, 0), date_of_birth=birth_date(profile.age, 100, _CHECK_DAY))
        answers.update(signer_name="Test Demo", signature={"png": "x", "signed_at": "x"})
        session = Session(q, answers, today=_CHECK_DAY)
        if session.errors():
            raise AssertionError(f"demo profile is not valid: {session.errors()[:3]}")
        relative = {p: v for p, v in profile.answers.items() if materialise(v, _CHECK_DAY) != v}
        fixed = {p: to_json(v) for p, v in profile.answers.items() if p not in relative}
        found.append(EvaluatedProfile(profile, tuple(session.flags()), session.computed(),
                                      fixed, relative))
    return found


def signature_png() -> str:
    """A small drawn-looking squiggle (grey on white), as base64 PNG."""
    width, height = 240, 70
    rows = [bytearray(b"\xff" * width) for _ in range(height)]
    for x in range(10, 230):
        y = int(35 + 18 * math.sin(x / 11.0) * math.cos(x / 37.0))
        for dy in (0, 1):
            rows[min(height - 1, y + dy)][x] = 40
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    return base64.b64encode(png).decode()


class DemoBuilder:
    """Makes BulkSubmissions one by one from a seeded random generator."""

    def __init__(self, q: Questionnaire, seed: int, now: datetime) -> None:
        self.q = q
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now
        self.pool = evaluate_profiles(q, self.rng, PROFILE_POOL)
        self.signature = signature_png()
        self.step_ids = [s.id for s in q.steps]

    def build(self, number: int) -> BulkSubmission:
        rng = self.rng
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        withdrawn_draft = status == "withdrawn" and rng.random() < 0.4
        draft = status == "draft" or withdrawn_draft
        recent = status == "draft" or rng.random() < 0.05
        started = self.now - timedelta(minutes=rng.randint(5, 600) if recent and rng.random() < 0.5
                                       else rng.randint(60, 540 * 24 * 60))
        finished = started + timedelta(minutes=rng.randint(7, 35))
        day = (started if draft else finished).astimezone().date()
        evaluated = rng.choice(self.pool)
        profile = evaluated.profile
        person = _identity(rng, number)
        person["date_of_birth"] = birth_date(profile.age, rng.randint(20, 340), day)
        person["sex_at_birth"] = profile.sex
        lang = "es" if rng.random() < 0.35 else "en"
        answers = dict(evaluated.fixed_json)
        answers.update({p: to_json(materialise(v, day)) for p, v in evaluated.relative.items()})
        answers.update({k: to_json(v) for k, v in person.items()})
        if rng.random() < 0.2:
            answers["preferred_name"] = to_json(person["first_name"].removeprefix("Test-")[:3])
        done_ts = utc_timestamp(finished)
        answers["signer_name"] = to_json(f"{person['first_name']} {person['last_name']}")
        answers["signature"] = to_json({"png": self.signature, "signed_at": done_ts})
        start_ts = utc_timestamp(started)
        actor = "kiosk" if rng.random() < 0.7 else "demo-coordinator"
        current = self.step_ids[-1]
        if draft:
            reached = rng.randint(1, len(self.step_ids) - 1)
            keep = set(self.step_ids[:reached])
            answers = {p: v for p, v in answers.items()
                       if self.q.step_of.get(p.split("[")[0]) in keep}
            current = self.step_ids[reached]
        audit = [BulkAudit(start_ts, actor, "submission_started",
                           new_json=to_json({"questionnaire": self.q.id,
                                             "version": self.q.version, "lang": lang}))]
        correction = (self._correction(number, answers)
                      if status in ("submitted", "reviewed") else None)
        saved = dict(answers)
        if correction is not None:  # the answer first stored was the mistaken one
            saved[correction[0]] = correction[1]
        audit += [BulkAudit(start_ts, actor, "answer_saved", item=p, new_json=v)
                  for p, v in sorted(saved.items())]
        fields: dict[str, Any] = {}
        flags: list[BulkFlag] = []
        last = started
        if not draft:
            fields.update(reference_date=day.isoformat(), submitted_at=done_ts)
            audit.append(BulkAudit(done_ts, actor, "submitted", old_json='"draft"',
                                   new_json='"submitted"'))
            flags = self._flags(evaluated, answers, lang, done_ts)
            if flags:
                audit.append(BulkAudit(done_ts, actor, "flags_computed", old_json="[]",
                                       new_json=to_json(sorted(f.rule for f in flags))))
            last = finished
        if correction is not None:
            path, mistaken, reason, delay = correction
            last = self._later(finished, delay)
            audit.append(BulkAudit(utc_timestamp(last), "demo-coordinator", "answer_edited",
                                   item=path, old_json=mistaken, new_json=answers[path],
                                   reason=reason))
        signoffs: list[BulkSignOff] = []
        if status in ("submitted", "reviewed"):
            review_at = (self._later(last, timedelta(hours=rng.randint(2, 240)))
                         if status == "reviewed" else None)
            last = self._signoffs(number, status, last, review_at, audit, signoffs, fields)
        if status == "withdrawn":
            last = self._later(last, timedelta(hours=rng.randint(1, 300)))
            ts = utc_timestamp(last)
            fields["withdrawn_at"] = ts
            audit.append(BulkAudit(ts, "demo-coordinator", "withdrawn",
                                   old_json='"draft"' if draft else '"submitted"',
                                   new_json='"withdrawn"', reason=rng.choice(WITHDRAW_REASONS)))
        return BulkSubmission(candidate=person, status=status, lang=lang, started_at=start_ts,
                              updated_at=utc_timestamp(last), answers=answers,
                              current_step=current, flags=flags, audit=audit, signoffs=signoffs,
                              **fields)

    def _signoffs(self, number: int, status: str, last: datetime, review_at: datetime | None,
                  audit: list[BulkAudit], signoffs: list[BulkSignOff],
                  fields: dict[str, Any]) -> datetime:
        """A coordinator's check (some of them) and, for `reviewed`, a clinician's review at
        `review_at`; the time of the last. From a generator of its own, as corrections."""
        rng = random.Random(self.seed * 2_000_003 + number)
        state = '"submitted"'
        if rng.random() < CHECKED_SHARE[status]:
            end = review_at or self._later(last, timedelta(hours=72))
            last = last + (end - last) * rng.uniform(0.1, 0.6)
            ts = utc_timestamp(last)
            signoffs.append(BulkSignOff("checked", ts, "demo-coordinator", "Demo Coordinator",
                                        "coordinator", CHECK_NOTE))
            audit.append(BulkAudit(ts, "demo-coordinator", "checked", old_json=state,
                                   new_json=to_json({"note": CHECK_NOTE})))
            state = '"checked"'
        if review_at is not None:
            last = review_at
            ts = utc_timestamp(last)
            weights = {d: weight for d, (weight, _) in DECISION_NOTES.items()}
            decision = rng.choices(list(weights), list(weights.values()))[0]
            note = rng.choice(DECISION_NOTES[decision][1])
            signoffs.append(BulkSignOff("clinical_review", ts, "demo-clinician",
                                        "Dr. Demo Clinician", "clinician", note, decision))
            fields.update(reviewed_at=ts, reviewed_by="demo-clinician", review_meaning=note)
            audit.append(BulkAudit(ts, "demo-clinician", "clinically_reviewed", old_json=state,
                                   new_json=to_json({"decision": decision, "note": note})))
        return last

    def _correction(self, number: int, answers: dict[str, str]
                    ) -> tuple[str, str, str, timedelta] | None:
        """(path, the mistaken answer as JSON, reason, delay after submitting), or None.

        From a generator of its own, so the rest of the data stays what the seed made it.
        """
        rng = random.Random(self.seed * 1_000_003 + number)
        if rng.random() >= CORRECTION_SHARE:
            return None
        path, reason = rng.choice(CORRECTIONS)
        value = json.loads(answers[path]) if path in answers else None
        if not isinstance(value, str) or len(value) < 5:
            return None
        if path == "phone":  # one digit wrong
            last = value[-1]
            mistaken = value[:-1] + str((int(last) + rng.randint(1, 8)) % 10)
        else:  # two neighbouring letters swapped
            at = rng.randint(1, len(value) - 3)
            mistaken = value[:at] + value[at + 1] + value[at] + value[at + 2:]
        if mistaken == value:
            return None
        return path, to_json(mistaken), reason, timedelta(minutes=rng.randint(3, 3 * 24 * 60))

    def _later(self, moment: datetime, delay: timedelta) -> datetime:
        """`moment + delay`, or a moment between `moment` and now when that is in the future."""
        if moment + delay <= self.now:
            return moment + delay
        room = max(0.0, (self.now - moment).total_seconds())
        return moment + timedelta(seconds=self.rng.uniform(0.2, 0.9) * room)

    def _evidence_value(self, evaluated: EvaluatedProfile, answers: dict[str, str], evidence: Any) -> Any:
        """As stored for this candidate (names and dates are theirs); a multiple choice as
        the Session narrowed it to the choices the rule names."""
        if evidence.path in self.q.computed:
            return evaluated.computed.get(evidence.path)
        if isinstance(evidence.value, list):
            return evidence.value
        return json.loads(answers[evidence.path])

    def _flags(self, evaluated: EvaluatedProfile, answers: dict[str, str], lang: str,
               at: str) -> list[BulkFlag]:
        result = []
        for flag in evaluated.flags:
            evidence = [{"path": e.path, "value": plain(self._evidence_value(evaluated, answers, e))}
                        for e in flag.evidence]
            rule = next(r for r in self.q.rules if r.id == flag.rule)
            result.append(BulkFlag(flag.rule, flag.severity, rule.criterion.get(lang), evidence, at))
        return result


def ensure_demo_users(store: Store) -> bool:
    """Demo users and clinic names on a database without users; True when created."""
    if store.has_users():
        return False
    for username, name, role in DEMO_USERS:
        store.create_user(username, name, role, DEMO_PIN, actor="demo")
    store.set_setting("clinic_name", "Demo Clinic (fake data)", actor="demo")
    store.set_setting("study_name", "MSC infusion in MS — demo", actor="demo")
    return True


BATCH = 2000  # submissions per transaction


def seed_demo(store: Store, count: int, *, seed: int = 1, now: datetime | None = None,
              progress: Callable[[int], None] | None = None) -> list[int]:
    """Add `count` demo submissions (and demo users when there are none); return their ids.

    (Building in worker processes was tried: on a two-core machine it was slower, the
    rows' writing being the larger part; see the figures in docs/desk.md.)
    """
    q = load_questionnaire(shipped_questionnaire_path())
    ensure_demo_users(store)
    builder = DemoBuilder(q, seed, now or datetime.now(UTC))

    def generate() -> Iterator[BulkSubmission]:
        for number in range(1, count + 1):
            if progress is not None and number % BATCH == 0:
                progress(number)
            yield builder.build(number)

    return bulk_load(store, q, generate(), batch=BATCH)


def _demo_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=200, help="how many submissions to add")
    from screening_app.store.commands import add_db_argument

    add_db_argument(parser)
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")


@command("demo", "add realistic, clearly fake demo candidates and submissions", _demo_args)
def demo_command(args: argparse.Namespace) -> int:
    if args.count < 0:
        print("error: --count must be 0 or more")
        return 2
    started = time.perf_counter()
    from screening_app.store.commands import announce_new_database

    announce_new_database(args.db)
    with Store.open(args.db) as store:
        created_users = not store.has_users()
        seed_demo(store, args.count, seed=args.seed, progress=lambda n: (
            print(f"  {n:,} ...", flush=True) if n % 20_000 == 0 else None))
        path = store.location
    print(f"Added {args.count} demo submissions to {path} in {time.perf_counter() - started:.1f} s.")
    if created_users:
        print("Demo users (PIN " + DEMO_PIN + "): " + ", ".join(u for u, _, _ in DEMO_USERS))
    return 0
