"""The audit trail and pinned definitions cannot be rewritten: not through the app's
connection in any statement form, and not outside it without the hash chain showing it.
(The statement forms here are SQLite's; a server's are in test_server_append_only.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import raw

from screening_app.cli import main
from screening_app.store import ErrorCode, Store, StoreError
from screening_app.store.audit_chain import GENESIS, chain_hash
from screening_app.store.driver import dbapi
from screening_app.store.migrations import MIGRATIONS, migrate

ROOT = Path(__file__).resolve().parents[2]
HASH = "a" * 64

AUDIT_ATTACKS = [
    f"INSERT OR REPLACE INTO audit_log (id, at, actor, action, chain_hash)"
    f" VALUES (1, 'x', 'mallory', 'nothing', '{HASH}')",
    f"REPLACE INTO audit_log (id, at, actor, action, chain_hash)"
    f" VALUES (1, 'x', 'mallory', 'nothing', '{HASH}')",
    f"INSERT INTO audit_log (id, at, actor, action, chain_hash)"
    f" VALUES (1, 'x', 'mallory', 'nothing', '{HASH}')"
    " ON CONFLICT (id) DO UPDATE SET actor = 'mallory'",
    f"INSERT OR IGNORE INTO audit_log (id, at, actor, action, chain_hash)"
    f" VALUES (1, 'x', 'mallory', 'nothing', '{HASH}')",
    "INSERT INTO audit_log (at, actor, action) VALUES ('x', 'mallory', 'unchained')",
    "UPDATE audit_log SET actor = 'mallory'",
    "UPDATE OR REPLACE audit_log SET id = 2 WHERE id = 1",
    "DELETE FROM audit_log",
    "DELETE FROM AUDIT_LOG WHERE id = 1",
    "DROP TRIGGER audit_log_no_update",
    "DROP TRIGGER audit_log_no_replace",
    "DROP TABLE audit_log",
    "ALTER TABLE audit_log RENAME TO old_log",
    "ALTER TABLE audit_log ADD COLUMN note TEXT",
    "CREATE TEMP TRIGGER t BEFORE INSERT ON audit_log BEGIN SELECT 1; END",
    "CREATE TABLE IF NOT EXISTS audit_copy AS SELECT * FROM audit_log",
    "PRAGMA writable_schema = ON",
    "PRAGMA user_version = 1",
    "ATTACH DATABASE ':memory:' AS other",
]

DEFINITION_ATTACKS = [
    "INSERT OR REPLACE INTO questionnaires (id, questionnaire_id, version, content_hash,"
    f" source_text, registered_at) VALUES (1, 'x', '9', '{HASH}', 'evil', 'now')",
    "REPLACE INTO questionnaires (questionnaire_id, version, content_hash, source_text,"
    " registered_at) SELECT 'x', '9', content_hash, 'evil', 'now' FROM questionnaires",
    "INSERT INTO questionnaires (questionnaire_id, version, content_hash, source_text,"
    " registered_at) SELECT 'x', '9', content_hash, 'evil', 'now' FROM questionnaires"
    " WHERE true ON CONFLICT (content_hash) DO UPDATE SET source_text = 'evil'",
    "UPDATE questionnaires SET source_text = 'evil'",
    "DELETE FROM questionnaires",
    "DROP TRIGGER questionnaires_no_update",
    "DROP TABLE questionnaires",
]


# Statements that would leave a file the app can no longer open, or that changes the
# process's later connections: the encryption's settings, the lock, and the record of
# migrations that the schema's version is checked against.
FILE_ATTACKS = [
    "PRAGMA cipher_plaintext_header_size = 32",  # page 1 written with a plain header
    "PRAGMA cipher_default_use_hmac = OFF",  # every later connection of this process
    "PRAGMA cipher_migrate",
    "PRAGMA cipher_use_hmac = OFF",
    "PRAGMA cipher_page_size = 1024",
    "PRAGMA cipher_kdf_iter = 1",
    "PRAGMA cipher_hmac_algorithm = HMAC_SHA1",
    "PRAGMA cipher_salt = \"x'00112233445566778899aabbccddeeff'\"",
    "PRAGMA Cipher_Compatibility = 3",
    "PRAGMA locking_mode = EXCLUSIVE",
    "DELETE FROM schema_migrations",
    "INSERT INTO schema_migrations VALUES (99, 'x', 'y')",
    "UPDATE schema_migrations SET number = 99 WHERE number = 1",
]


def audit_rows(store: Store) -> list[tuple]:
    return [tuple(r.values()) for r in store._rows("SELECT * FROM audit_log ORDER BY id")]


def definition_rows(store: Store) -> list[tuple]:
    return [tuple(r.values()) for r in store._rows("SELECT * FROM questionnaires ORDER BY id")]


@pytest.fixture
def busy_store(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    store.save_answer(sid, "last_name", "Ruiz", actor="kiosk")
    return store


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement", AUDIT_ATTACKS)
def test_no_statement_through_the_apps_connection_rewrites_the_audit_trail(busy_store, statement):
    before = audit_rows(busy_store)
    with pytest.raises(dbapi.DatabaseError):  # by a trigger or by the connection's authorizer
        busy_store._conn.execute(statement)
    assert audit_rows(busy_store) == before
    assert busy_store.verify_audit().intact
    schema = busy_store._rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    assert {"audit_log_no_update", "audit_log_no_delete", "audit_log_no_replace",
            "audit_log_chained"} <= {row["name"] for row in schema}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement", DEFINITION_ATTACKS)
def test_no_statement_through_the_apps_connection_rewrites_a_pinned_definition(busy_store,
                                                                               statement):
    before = definition_rows(busy_store)
    with pytest.raises(dbapi.DatabaseError):
        busy_store._conn.execute(statement)
    assert definition_rows(busy_store) == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement", [s for s in AUDIT_ATTACKS + DEFINITION_ATTACKS
                                       if "REPLACE" in s or "ON CONFLICT" in s])
def test_the_file_itself_refuses_replace_to_other_tools_too(busy_store, db_path, statement):
    """The triggers live in the file: a SQLite tool without the app's authorizer meets them."""
    before = audit_rows(busy_store), definition_rows(busy_store)
    conn = raw(db_path)
    try:
        with pytest.raises(dbapi.IntegrityError, match=r"append-only|cannot be changed"):
            conn.execute(statement)
    finally:
        conn.close()
    assert (audit_rows(busy_store), definition_rows(busy_store)) == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("statement", FILE_ATTACKS)
def test_no_statement_through_the_apps_connection_leaves_a_file_the_app_cannot_open(
        busy_store, db_path, clock, statement):
    with pytest.raises(dbapi.DatabaseError, match="not authorized"):
        busy_store._conn.execute(statement).fetchall()
    sid = busy_store.list_submissions()[0].id
    busy_store.save_answer(sid, "first_name", "Ana María", actor="kiosk")  # pages written after
    busy_store.close()
    with Store.open(db_path, clock=clock) as again:  # in this process, and with quick_check
        assert again.encrypted and again.answers(sid)["first_name"] == "Ana María"
        assert again.verify_audit().intact
    assert not db_path.read_bytes().startswith(b"SQLite format 3")


def test_every_change_is_chained_and_verifies(busy_store, small_questionnaire):
    sid = busy_store.start_submission(small_questionnaire, "es", actor="coördinator ✓")
    busy_store.save_answers(sid, {"first_name": "Zoë 𝒜", "treatments[0]": True,
                                  "treatments[0].drug": 'a "b"\n\\c'}, actor="kiosk")
    busy_store.create_user("admin", "Admin", "admin", "secret-12")
    check = busy_store.verify_audit()
    rows = busy_store._rows("SELECT * FROM audit_log ORDER BY id")
    assert check.intact and check.rows == len(rows) >= 8
    previous = GENESIS
    for row in rows:  # the documented serialisation, recomputed here
        content = [row[c] for c in ("at", "actor", "action", "submission_id", "item",
                                    "old_value", "new_value", "reason")]
        previous = chain_hash(previous, content)
        assert row["chain_hash"] == previous
    assert check.head == previous


def tamper(db, *statements: str) -> None:
    """Someone with the file (and the key) and a SQLite tool, outside the app; on a server,
    its owner in psql, who can switch the triggers off."""
    conn = raw(db)
    try:
        if isinstance(db, Path):
            conn.execute("DROP TRIGGER audit_log_no_update")
            conn.execute("DROP TRIGGER audit_log_no_delete")
            conn.execute("DROP TRIGGER audit_log_chained")
        else:
            conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            conn.execute("ALTER TABLE audit_log DROP CONSTRAINT audit_log_chained")
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize(("statements", "broken"), [
    (["UPDATE audit_log SET new_value = '\"Eve\"' WHERE id = 2"], 2),
    (["UPDATE audit_log SET actor = 'someone' WHERE id = 1"], 1),
    (["DELETE FROM audit_log WHERE id = 2"], 3),
    (["INSERT INTO audit_log (id, at, actor, action, chain_hash) VALUES (100, 'x', 'y', 'z',"
      " NULL)"], 100),
    ([f"UPDATE audit_log SET chain_hash = '{HASH}' WHERE id = 3"], 3),
])
def test_verify_audit_names_the_first_row_changed_outside_the_app(busy_store, db, capsys,
                                                                   statements, broken):
    busy_store.close()
    assert main(["verify-audit", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("intact: 3 audit rows")
    tamper(db, *statements)
    assert main(["verify-audit", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"broken at audit row {broken}:")


def test_verify_audit_command_runs_as_a_process(busy_store, db):
    busy_store.close()
    tamper(db, "UPDATE audit_log SET reason = 'covered up' WHERE id = 1")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-audit", "--db",
                           str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "broken at audit row 1" in done.stdout and "Traceback" not in done.stderr


def test_a_pinned_definition_changed_outside_the_app_is_found_and_never_used(busy_store, db,
                                                                           capsys, tmp_path):
    """Seen in the audit of issue 12: a criterion's words (or a rule's threshold) changed in
    `questionnaires.source_text` with a SQLite tool went into the clinician's PDF and the
    flags, and verify-audit said "intact"."""
    sid = busy_store.list_submissions()[0].id
    busy_store.close()
    conn = raw(db)
    try:
        if isinstance(db, Path):
            conn.execute("DROP TRIGGER questionnaires_no_update")
        else:
            conn.execute("ALTER TABLE questionnaires DISABLE TRIGGER USER")
        conn.execute("UPDATE questionnaires SET source_text = replace(source_text,"
                     " 'Age outside the protocol range', 'Age fine, do not exclude')")
    finally:
        conn.close()
    assert main(["verify-audit", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("changed outside the app: pinned questionnaire definition 1 ")
    with Store.open(db) as store:
        check = store.verify_audit()
        assert check.broken_id is None and check.changed_definitions == (1,)
        with pytest.raises(StoreError) as caught:
            store.questionnaire_for(sid)
        assert caught.value.code is ErrorCode.DEFINITION_CHANGED
    out_pdf = tmp_path / "summary.pdf"
    assert main(["export", str(sid), "--format", "pdf", "--out", str(out_pdf), "--db",
                 str(db)]) == 2
    assert "changed outside the app" in capsys.readouterr().err and not out_pdf.exists()


def test_an_existing_database_is_chained_once_by_its_migration(db_path, clock,
                                                               small_questionnaire):
    db_path.parent.mkdir()
    conn = raw(db_path)
    try:
        migrate(conn, lambda: "2026-01-01T00:00:00+00:00", MIGRATIONS[:2])
        conn.executemany(
            "INSERT INTO audit_log (at, actor, action, item, new_value) VALUES (?, ?, ?, ?, ?)",
            [(f"2026-01-01T00:00:0{i}+00:00", "kiosk", "answer_saved", "x", f'"{i}"')
             for i in range(5)])
    finally:
        conn.close()
    with Store.open(db_path, clock=clock) as store:
        check = store.verify_audit()
        assert check.intact and check.rows == 5
        store.register_questionnaire(small_questionnaire)
        store.start_submission(small_questionnaire, "en", actor="kiosk")
        assert store.verify_audit().rows == 6
    conn = raw(db_path)
    try:  # the update trigger came back after the one-time fill
        with pytest.raises(dbapi.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET actor = 'x'")
    finally:
        conn.close()


def test_demo_data_is_chained(tmp_path):
    from datetime import UTC, datetime

    from screening_app.demo import seed_demo

    with Store.open(tmp_path / "demo.db") as store:
        seed_demo(store, 30, seed=3, now=datetime(2026, 3, 1, tzinfo=UTC))
        check = store.verify_audit()
    assert check.intact and check.rows > 100
