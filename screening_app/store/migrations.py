"""The declared schema, as a list of named migrations.

Each migration is a function that applies its DDL (and any data changes) on a
connection that already holds a write transaction; the runner commits it together with
the new `PRAGMA user_version` and a row in `schema_migrations`, so a migration either
happens completely or not at all. Each also has its PostgreSQL version (`postgres`: the
server's DDL, in store/migrations_postgres.py, run by `init-server` through
store/backends/postgres_setup.py); tests/store/test_server_schema.py fails for a
migration without one. `user_version` is the number of migrations applied. A
database whose number is higher than the app knows was written by a newer version and is
refused rather than guessed at. Never edit a migration that has shipped: add a new one.

Decisions recorded here:

- `application_id` marks the file as this app's, so `--db` pointed at somebody else's
  SQLite file is refused instead of having our tables added to it.
- `answers` keeps one row per path (a cleared answer is a deleted row, its history is in
  `audit_log`). It is an ordinary rowid table because signature answers are large.
- `candidate_search_terms` holds every word of the normalised (case-folded, accent-free)
  first and last names, and every suffix (4+ digits) of the phone digits marked with `#`;
  a search by name fragment or phone digits is a prefix range scan on its primary key,
  which stays fast at hundreds of thousands of candidates without FTS.
- `audit_log` and `questionnaires` refuse UPDATE, DELETE and an INSERT over an existing
  key (REPLACE) through triggers: history and pinned definitions are append-only. The
  app's own connection also refuses DDL (DROP TRIGGER...) once migrated (guard.py).
  Someone editing the file with other tools is caught by the audit hash chain
  (audit_chain.py) and kept out by the encryption.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import migrations_postgres as pg
from .errors import DatabaseDamaged, DatabaseTooNew, ErrorCode

APPLICATION_ID = 0x4D534353  # "MSCS"


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[sqlite3.Connection], None]
    postgres: str | None = None  # the same change for a server database (its DDL script)
    # Data the migration computes in Python, on either backend after its DDL, in the same
    # transaction: called with anything that executes the Store's SQL (`?` parameters).
    fill: Callable[[Any], None] | None = None


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute `script` statement by statement inside the current transaction.

    (`executescript` would commit first, breaking the migration's atomicity.)
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError("incomplete SQL statement at the end of a migration script")


INITIAL_SCHEMA = """
CREATE TABLE schema_migrations (
    number INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    applied_at TEXT NOT NULL
);

CREATE TABLE questionnaires (
    id INTEGER PRIMARY KEY,
    questionnaire_id TEXT NOT NULL,
    version TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),
    source_text TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE TRIGGER questionnaires_no_update BEFORE UPDATE ON questionnaires
BEGIN SELECT RAISE(ABORT, 'pinned questionnaire definitions cannot be changed'); END;
CREATE TRIGGER questionnaires_no_delete BEFORE DELETE ON questionnaires
BEGIN SELECT RAISE(ABORT, 'pinned questionnaire definitions cannot be deleted'); END;

CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    first_name TEXT,
    last_name TEXT,
    date_of_birth TEXT,
    sex_at_birth TEXT,
    phone TEXT,
    email TEXT,
    first_name_norm TEXT NOT NULL DEFAULT '',
    last_name_norm TEXT NOT NULL DEFAULT '',
    phone_digits TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX candidates_by_identity
    ON candidates (last_name_norm, first_name_norm, date_of_birth);
CREATE INDEX candidates_by_birth ON candidates (date_of_birth);

CREATE TABLE candidate_search_terms (
    term TEXT NOT NULL,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
    PRIMARY KEY (term, candidate_id)
) WITHOUT ROWID;
CREATE INDEX candidate_search_terms_by_candidate ON candidate_search_terms (candidate_id);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    questionnaire_pk INTEGER NOT NULL REFERENCES questionnaires (id),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'reviewed', 'withdrawn')),
    lang TEXT NOT NULL,
    current_step TEXT,
    reference_date TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    reviewed_at TEXT,
    reviewed_by TEXT,
    review_meaning TEXT,
    withdrawn_at TEXT,
    CHECK (status NOT IN ('submitted', 'reviewed') OR submitted_at IS NOT NULL),
    CHECK (status != 'reviewed' OR (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)),
    CHECK (status != 'withdrawn' OR withdrawn_at IS NOT NULL)
);
CREATE INDEX submissions_by_updated ON submissions (updated_at, id);
CREATE INDEX submissions_by_status_updated ON submissions (status, updated_at, id);
CREATE INDEX submissions_by_candidate ON submissions (candidate_id);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    path TEXT NOT NULL,
    value_json TEXT NOT NULL CHECK (json_valid(value_json)),
    confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    updated_at TEXT NOT NULL,
    UNIQUE (submission_id, path)
);

CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('exclusion', 'review', 'info')),
    criterion TEXT NOT NULL,
    evidence_json TEXT NOT NULL CHECK (json_valid(evidence_json)),
    computed_at TEXT NOT NULL,
    UNIQUE (submission_id, rule_id)
);
CREATE INDEX flags_by_submission_severity ON flags (submission_id, severity);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL CHECK (length(actor) > 0),
    action TEXT NOT NULL,
    submission_id INTEGER REFERENCES submissions (id),
    item TEXT,
    old_value TEXT,
    new_value TEXT,
    reason TEXT
);
CREATE INDEX audit_log_by_submission ON audit_log (submission_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) > 0),
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'clinician', 'admin')),
    secret_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_sign_in_at TEXT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL CHECK (json_valid(value_json)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
"""


def _initial_schema(conn: sqlite3.Connection) -> None:
    run_script(conn, INITIAL_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


LIST_ORDER_INDEXES = """
CREATE INDEX submissions_by_started ON submissions (started_at, id);
"""


def _list_order_indexes(conn: sqlite3.Connection) -> None:
    """The desk's work list sorts by "Started" too: without an index a page deep in that
    order sorted every submission (a third of a second at 100,000)."""
    run_script(conn, LIST_ORDER_INDEXES)


APPEND_ONLY_INSERTS = """
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log
WHEN NEW.chain_hash IS NULL OR length(NEW.chain_hash) != 64
BEGIN SELECT RAISE(ABORT, 'audit rows carry their chain hash: write them through the app'); END;
CREATE TRIGGER questionnaires_no_replace BEFORE INSERT ON questionnaires
WHEN EXISTS (SELECT 1 FROM questionnaires WHERE id = NEW.id OR content_hash = NEW.content_hash)
BEGIN SELECT RAISE(ABORT, 'pinned questionnaire definitions cannot be changed'); END;
"""


def _audit_chain(conn: sqlite3.Connection) -> None:
    """Hash-chain the audit trail (existing rows once, in id order) and close the
    REPLACE hole: `INSERT OR REPLACE`/`REPLACE INTO` delete the old row without firing
    the DELETE trigger, so a BEFORE INSERT trigger refuses an insert whose key exists."""
    from .audit_chain import CONTENT_COLUMNS, GENESIS, chained

    conn.execute("ALTER TABLE audit_log ADD COLUMN chain_hash TEXT")
    conn.execute("DROP TRIGGER audit_log_no_update")  # for the one-time fill below
    columns = ", ".join(CONTENT_COLUMNS)
    previous, last_id = GENESIS, 0
    while rows := conn.execute(f"SELECT id, {columns} FROM audit_log WHERE id > ?"
                               " ORDER BY id LIMIT 10000", (last_id,)).fetchall():
        hashed = chained(previous, [row[1:] for row in rows])
        conn.executemany("UPDATE audit_log SET chain_hash = ? WHERE id = ?",
                         [(h[-1], row[0]) for h, row in zip(hashed, rows, strict=True)])
        previous, last_id = hashed[-1][-1], rows[-1][0]
    run_script(conn, """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
""" + APPEND_ONLY_INSERTS)


SUBMISSION_ORIGINS = """
CREATE TABLE submission_origins (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    authored TEXT,
    origin_json TEXT NOT NULL CHECK (json_valid(origin_json)),
    imported_at TEXT NOT NULL
);
"""


def _submission_origins(conn: sqlite3.Connection) -> None:
    """What another system said about an imported response (when it was answered, whom it
    is about, who wrote it): kept so that the FHIR export says it again (store/origins.py)."""
    run_script(conn, SUBMISSION_ORIGINS)


SUBMISSION_IDENTITY = """
ALTER TABLE submissions ADD COLUMN first_name TEXT;
ALTER TABLE submissions ADD COLUMN last_name TEXT;
ALTER TABLE submissions ADD COLUMN date_of_birth TEXT;
ALTER TABLE submissions ADD COLUMN first_name_norm TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN last_name_norm TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_by_name ON submissions (last_name_norm, first_name_norm, id);
CREATE INDEX submissions_by_birth ON submissions (date_of_birth, id);
"""


def _submission_identity(conn: sqlite3.Connection) -> None:
    """Each submission lists the name and date of birth answered in it, not the person
    record's (which another submission's answers used to rewrite). Filled from the answers
    each submission holds; the search terms of a person gain every spelling their
    submissions use."""
    from .normalise import from_json, normalise_name, search_terms

    run_script(conn, SUBMISSION_IDENTITY)
    said: dict[int, dict[str, str]] = {}
    for submission_id, path, value_json in conn.execute(
            "SELECT submission_id, path, value_json FROM answers"
            " WHERE path IN ('first_name', 'last_name', 'date_of_birth', 'phone')"):
        value = from_json(value_json)
        if isinstance(value, str) and value.strip():
            said.setdefault(submission_id, {})[path] = value.strip()
    conn.executemany(
        "UPDATE submissions SET first_name = ?, last_name = ?, date_of_birth = ?,"
        " first_name_norm = ?, last_name_norm = ? WHERE id = ?",
        [(v.get("first_name"), v.get("last_name"), v.get("date_of_birth"),
          normalise_name(v.get("first_name")), normalise_name(v.get("last_name")), sid)
         for sid, v in said.items()])
    owners = dict(conn.execute("SELECT id, candidate_id FROM submissions"))
    conn.executemany(
        "INSERT OR IGNORE INTO candidate_search_terms (term, candidate_id) VALUES (?, ?)",
        [(term, owners[sid]) for sid, v in said.items() if sid in owners
         for term in search_terms(v.get("first_name"), v.get("last_name"), v.get("phone"))])
SIGNOFFS = """
CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    kind TEXT NOT NULL CHECK (kind IN ('checked', 'clinical_review')),
    signed_at TEXT NOT NULL,
    username TEXT NOT NULL,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    decision TEXT CHECK (decision IS NULL OR decision IN ('invite', 'not_eligible',
                                                          'more_information')),
    note TEXT NOT NULL,
    out_of_date_at TEXT,
    CHECK (kind = 'clinical_review' OR decision IS NULL)
);
CREATE INDEX signoffs_by_submission ON signoffs (submission_id, kind, out_of_date_at);
"""


def _two_signoffs(conn: sqlite3.Connection) -> None:
    """A coordinator's check and a clinician's review become two sign-offs (signoffs.py).

    Before, one "Mark reviewed" served both and printed as a clinician's review. Each
    earlier review is kept by who signed it: a user whose role is clinician made a
    clinical review (its decision was never asked: left empty, shown as not recorded);
    anyone else (a coordinator, an administrator, a name no longer among the users) made
    a check, and its submission reads `checked` instead of `reviewed`. Reviews that a
    correction had reopened come from the audit trail, out of date since that correction.
    The meaning each reviewer wrote becomes the note. Nothing is deleted; the audit trail
    keeps the original "reviewed" rows.
    """
    from .normalise import from_json

    run_script(conn, SIGNOFFS)
    users = {str(name).lower(): (display, role) for name, display, role in conn.execute(
        "SELECT username, display_name, role FROM users")}

    def signoff(submission_id: int, at: str, username: str, meaning: str | None,
                out_of_date_at: str | None) -> tuple:
        full_name, role = users.get(username.lower(), (username, ""))
        kind = "clinical_review" if role == "clinician" else "checked"
        return (submission_id, kind, at, username, full_name, role, meaning or "",
                out_of_date_at)

    rows, open_reviews = [], {}
    for at, actor, action, submission_id, new_value in conn.execute(
            "SELECT at, actor, action, submission_id, new_value FROM audit_log"
            " WHERE action IN ('reviewed', 'review_reopened') ORDER BY id"):
        if action == "reviewed":
            open_reviews[submission_id] = (at, actor, from_json(new_value))
        elif submission_id in open_reviews:
            earlier_at, reviewer, meaning = open_reviews.pop(submission_id)
            rows.append(signoff(submission_id, earlier_at, reviewer,
                                meaning if isinstance(meaning, str) else None, at))
    rows += [signoff(*row, None) for row in conn.execute(
        "SELECT id, reviewed_at, reviewed_by, review_meaning FROM submissions"
        " WHERE reviewed_by IS NOT NULL ORDER BY id")]
    rows.sort(key=lambda row: (row[2], row[0]))  # signed order, as new ones are
    conn.executemany(
        "INSERT INTO signoffs (submission_id, kind, signed_at, username, full_name, role, note,"
        " out_of_date_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute(
        "UPDATE submissions SET status = CASE status WHEN 'reviewed' THEN 'submitted'"
        " ELSE status END, reviewed_at = NULL, reviewed_by = NULL, review_meaning = NULL"
        " WHERE id IN (SELECT submission_id FROM signoffs WHERE kind = 'checked'"
        " AND out_of_date_at IS NULL)")


DRAFT_DISPLAY = """
ALTER TABLE submissions ADD COLUMN text_size TEXT NOT NULL DEFAULT 'normal'
    CHECK (text_size IN ('normal', 'larger', 'largest'));
ALTER TABLE submissions ADD COLUMN high_contrast INTEGER NOT NULL DEFAULT 0
    CHECK (high_contrast IN (0, 1));
"""


def _draft_display(conn: sqlite3.Connection) -> None:
    """The text size and contrast a person chose stay with their draft, so that they come
    back with it after "Continue with a code" (every existing draft: the normal look)."""
    run_script(conn, DRAFT_DISPLAY)


APPLICABLE_ANSWERS = """
CREATE TABLE applicable_answers (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    audit_id INTEGER NOT NULL,
    judged_on TEXT NOT NULL,
    answers_json TEXT NOT NULL CHECK (json_valid(answers_json))
);
"""


def _fill_applicable(conn: Any) -> None:
    from .applicable import fill_applicable

    fill_applicable(conn)


def _applicable_answers(conn: sqlite3.Connection) -> None:
    """What the study exports read of each submitted questionnaire, kept beside its answers
    (store/applicable.py), filled for every submission that has a judging day."""
    run_script(conn, APPLICABLE_ANSWERS)
    _fill_applicable(conn)


# A person's search terms by person and term: a search that matches most rows checks
# each row of the list for a term in order (listing.py's dense form), which the index on
# the person alone answered only after reading every term of that person.
SEARCH_TERMS_BY_CANDIDATE = """
DROP INDEX candidate_search_terms_by_candidate;
CREATE INDEX candidate_search_terms_by_candidate
    ON candidate_search_terms (candidate_id, term);
"""


def _search_terms_by_candidate(conn: sqlite3.Connection) -> None:
    """The same index as before on a file (the table is WITHOUT ROWID, so an index on
    candidate_id already held each term, the key's other column); a server needed it
    (migrations_postgres.py), and both keep one schema."""
    run_script(conn, SEARCH_TERMS_BY_CANDIDATE)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_initial_schema", _initial_schema, pg.INITIAL_SCHEMA),
    Migration("0002_list_order_indexes", _list_order_indexes, pg.LIST_ORDER_INDEXES),
    Migration("0003_audit_chain_and_no_replace", _audit_chain, pg.AUDIT_CHAIN),
    Migration("0004_submission_origins", _submission_origins, pg.SUBMISSION_ORIGINS),
    Migration("0005_submission_identity", _submission_identity, pg.SUBMISSION_IDENTITY),
    Migration("0006_two_signoffs", _two_signoffs, pg.SIGNOFFS),
    Migration("0007_draft_display", _draft_display, pg.DRAFT_DISPLAY),
    Migration("0008_applicable_answers", _applicable_answers, pg.APPLICABLE_ANSWERS,
              fill=_fill_applicable),
    Migration("0009_search_terms_by_candidate", _search_terms_by_candidate,
              pg.SEARCH_TERMS_BY_CANDIDATE),
)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_identity(conn: sqlite3.Connection, known: int | None = None) -> int:
    """Refuse files that are not ours or come from a newer app; return the version."""
    known = len(MIGRATIONS) if known is None else known
    version = schema_version(conn)
    application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if version > known:
        raise DatabaseTooNew(ErrorCode.TOO_NEW)
    if application_id != APPLICATION_ID:
        has_tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if version or has_tables:
            raise DatabaseDamaged(ErrorCode.NOT_OURS)
    elif _recorded_version(conn) != version:
        # user_version was set by hand (e.g. `PRAGMA user_version=1` on a current file):
        # migrating again would fail half-way ("index ... already exists"); refuse instead.
        raise DatabaseDamaged(ErrorCode.SCHEMA_MISMATCH, version=version,
                              recorded=_recorded_version(conn))
    return version


def _recorded_version(conn: sqlite3.Connection) -> int:
    """The last migration `schema_migrations` records (0 when it has none or is missing)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    return int(conn.execute("SELECT coalesce(max(number), 0) FROM schema_migrations").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    now: Callable[[], str],
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> int:
    """Apply the migrations this database lacks, each in its own transaction.

    `conn` must be in autocommit mode (isolation_level=None). Returns the final version.
    """
    check_identity(conn, len(migrations))
    for number, migration in enumerate(migrations, start=1):
        if schema_version(conn) >= number:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if check_identity(conn, len(migrations)) < number:
                migration.apply(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    (number, migration.name, now()),
                )
                conn.execute(f"PRAGMA user_version = {int(number)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
