"""Generate a realistic database with many submissions, for the storage benchmarks.

    python benchmarks/make_big_db.py OUT.db [--submissions 100000] [--seed 1]

The schema comes from the app's own migrations (Store.open); rows are inserted in large
transactions with `synchronous=OFF` (a benchmark fixture, not patient data). Each
submitted questionnaire carries the answers of `tests/fixtures/complete_answers.json`
with its own identity fields and a 4 KB signature, one chained audit row per answer (as
autosave writes them), and 0-4 flags; drafts carry about half the answers.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from screening_app.engine.answers import flatten_answers
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.store import Store, keys
from screening_app.store.base import insert_audit_rows
from screening_app.store.cipher import open_connection
from screening_app.store.normalise import (
    digits,
    new_code,
    normalise_name,
    search_terms,
    to_json,
    utc_timestamp,
)

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "José María Ana Lucía Carmen Juan Luis Sofía Valentina Mateo Isabel Pedro Núria "
    "Íñigo Elena Javier Marta Andrés Raúl Inés Pilar Tomás Rocío Álvaro Beatriz James "
    "Mary John Linda Robert Patricia Michael Jennifer William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew "
    "Lisa Anthony Betty Mark Sandra Paul Ashley Steven Emily Kevin Donna Brian "
    "Michelle Amara Chen Priya Yusuf Fatima Olga Dmitri Aiko Kwame Zoë Søren Björn"
)
LAST = _words(
    "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín "
    "Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro "
    "Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Núñez Ortega "
    "Castillo Iglesias Peña Smith Johnson Williams Brown Jones Miller Davis Wilson "
    "Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark "
    "Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson "
    "Hill Campbell Mitchell Okafor Nguyen Kowalski Müller Schröder Dubois Rossi "
    "Ivanova Tanaka Haddad Øvergaard"
)
IDENTITY = ("first_name", "last_name", "date_of_birth", "sex_at_birth", "phone", "email",
            "signer_name", "signature")
STATUS_WEIGHTS = {"submitted": 70, "reviewed": 15, "draft": 10, "withdrawn": 5}
FLAG_RULES = (("R09_immunosuppressant", "review"), ("R25_activity", "info"),
              ("R04_edss", "review"), ("R11_prior_cell_therapy", "exclusion"),
              ("R22_mri_barrier", "review"), ("R26_unsure_answers", "info"))


def template_answers() -> dict[str, object]:
    q = load_questionnaire(shipped_questionnaire_path())
    raw = json.loads((ROOT / "tests" / "fixtures" / "complete_answers.json").read_text("utf-8"))
    return {k: v for k, v in flatten_answers(q, raw).items() if k not in IDENTITY}


def make_big_db(path: Path, submissions: int = 100_000, seed: int = 1) -> float:
    """Fill a new database at `path`; return the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    questionnaire = load_questionnaire(shipped_questionnaire_path())
    with Store.open(path) as store:
        questionnaire_pk = store.register_questionnaire(questionnaire)
    conn = open_connection(path, keys.find_key(), 30.0)  # encrypted, as the app made it
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("CREATE TEMP TABLE template (seq INTEGER, path TEXT, value_json TEXT)")
    template = [(i, p, to_json(v)) for i, (p, v) in enumerate(template_answers().items())]
    conn.executemany("INSERT INTO template VALUES (?, ?, ?)", template)
    epoch = datetime(2023, 1, 1, tzinfo=UTC)
    codes: set[str] = set()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    batch = 10_000
    for first_id in range(1, submissions + 1, batch):
        candidates, words, subs, answers, audit, flags = [], [], [], [], [], []
        signoffs = []
        for sid in range(first_id, min(first_id + batch, submissions + 1)):
            first = rng.choice(FIRST)
            last = rng.choice(LAST) + (f" {rng.choice(LAST)}" if rng.random() < 0.3 else "")
            dob = f"{rng.randint(1950, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            phone = f"+1 (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}"
            started_at = epoch + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
            updated_at = started_at + timedelta(minutes=rng.randint(8, 30))
            start_ts, update_ts = utc_timestamp(started_at), utc_timestamp(updated_at)
            status = rng.choices(statuses, weights)[0]
            code = new_code()
            while code in codes:
                code = new_code()
            codes.add(code)
            candidates.append((sid, first, last, dob, "female", phone, f"p{sid}@example.org",
                               normalise_name(first), normalise_name(last), digits(phone),
                               start_ts, update_ts))
            words.extend((t, sid) for t in search_terms(first, last, phone))
            done = status != "draft"
            subs.append((sid, code, sid, questionnaire_pk, status, rng.choice(("en", "es")),
                         "consent" if done else "mri", update_ts[:10] if done else None,
                         start_ts, update_ts, update_ts if done else None,
                         update_ts if status == "reviewed" else None,
                         "dr.lee" if status == "reviewed" else None,
                         "Reviewed for candidacy" if status == "reviewed" else None,
                         update_ts if status == "withdrawn" else None))
            if status == "reviewed":
                signoffs.append((sid, "clinical_review", update_ts, "dr.lee", "Dr. Lee",
                                 "clinician", "invite", "Reviewed for candidacy"))
            signature = {"png": base64.b64encode(rng.randbytes(3000)).decode(),
                         "signed_at": update_ts}
            identity = {"first_name": first, "last_name": last, "date_of_birth": dob,
                        "sex_at_birth": "female", "phone": phone,
                        "email": f"p{sid}@example.org", "signer_name": f"{first} {last}",
                        "signature": signature}
            for item, value in identity.items():
                if done or item in ("first_name", "last_name", "date_of_birth"):
                    answers.append((sid, item, to_json(value), start_ts))
                    audit.append((start_ts, "kiosk", "answer_saved", sid, item, None,
                                  to_json(value), None))
            audit.append((start_ts, "kiosk", "submission_started", sid, None, None, None, None))
            audit += [(start_ts, "kiosk", "answer_saved", sid, path, None, text, None)
                      for seq, path, text in template if done or seq < 25]
            if done:
                audit.append((update_ts, "kiosk", "submitted", sid, None, None, '"submitted"',
                              None))
                for rule, severity in rng.sample(FLAG_RULES, rng.randint(0, 4)):
                    flags.append((sid, rule, severity, rule.split("_", 1)[1],
                                  '[{"path":"edss_score","value":4.0}]', update_ts))
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO candidates (id, first_name, last_name, date_of_birth,"
                         " sex_at_birth, phone, email, first_name_norm, last_name_norm,"
                         " phone_digits, created_at, updated_at)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", candidates)
        conn.executemany("INSERT INTO candidate_search_terms (term, candidate_id) VALUES (?, ?)",
                         words)
        conn.executemany("INSERT INTO submissions (id, code, candidate_id, questionnaire_pk,"
                         " status, lang, current_step, reference_date, started_at, updated_at,"
                         " submitted_at, reviewed_at, reviewed_by, review_meaning, withdrawn_at)"
                         " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", subs)
        conn.executemany("INSERT INTO answers (submission_id, path, value_json, updated_at)"
                         " VALUES (?,?,?,?)", answers)
        conn.executemany("INSERT INTO signoffs (submission_id, kind, signed_at, username,"
                         " full_name, role, decision, note) VALUES (?,?,?,?,?,?,?,?)", signoffs)
        insert_audit_rows(conn, audit)  # chained, as the app writes them
        conn.executemany("INSERT INTO flags (submission_id, rule_id, severity, criterion,"
                         " evidence_json, computed_at) VALUES (?,?,?,?,?,?)", flags)
        # The rest of the answers from the template, in SQL (their audit rows are above).
        bounds = (first_id, first_id + batch - 1)
        conn.execute("INSERT INTO answers (submission_id, path, value_json, updated_at)"
                     " SELECT s.id, t.path, t.value_json, s.started_at FROM submissions s,"
                     " template t WHERE s.id BETWEEN ? AND ?"
                     " AND (s.status != 'draft' OR t.seq < 25) ORDER BY s.id, t.seq", bounds)
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; choose a new file")
    seconds = make_big_db(args.out, args.submissions, args.seed)
    print(f"{args.submissions} submissions in {seconds:.1f} s -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
