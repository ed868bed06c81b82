"""On a server, a station cannot rewrite history: its role may only SELECT and INSERT the
audit trail and the pinned definitions, owns nothing and may create nothing. Tried here
with every statement form through the station's own connection (the one the Store
uses), then through the Store, then as the owner (whom triggers still stop)."""

from __future__ import annotations

import psycopg
import pytest

from screening_app.store import ErrorCode, Store, StoreError
from tests.pg_server import OWNER
from tests.shared import OwnerConnection

pytestmark = pytest.mark.postgres_only

HASH = "a" * 64

AUDIT_ATTACKS = [
    "UPDATE audit_log SET actor = 'mallory'",
    "UPDATE audit_log SET new_value = NULL WHERE id = (SELECT max(id) FROM audit_log)",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
    "TRUNCATE audit_log",
    "TRUNCATE audit_log CASCADE",
    f"INSERT INTO audit_log (id, at, actor, action, chain_hash) VALUES (1, 'x', 'mallory',"
    f" 'nothing', '{HASH}') ON CONFLICT (id) DO UPDATE SET actor = 'mallory'",
    "MERGE INTO audit_log a USING (SELECT 1 AS id) s ON a.id = s.id"
    " WHEN MATCHED THEN UPDATE SET actor = 'mallory'",
    "DROP TABLE audit_log",
    "DROP TABLE audit_log CASCADE",
    "ALTER TABLE audit_log RENAME TO old_log",
    "ALTER TABLE audit_log ADD COLUMN note text",
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "ALTER TABLE audit_log DROP CONSTRAINT audit_log_chained",
    "DROP TRIGGER audit_log_no_change ON audit_log",
    "CREATE TRIGGER sneak BEFORE INSERT ON audit_log FOR EACH ROW"
    " EXECUTE FUNCTION refuse_change('x')",
    "CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN RETURN NEW; END $$",
    "CREATE TABLE audit_copy AS SELECT * FROM audit_log",
    "CREATE TABLE public.audit_copy AS SELECT * FROM audit_log",
    "CREATE RULE no_more AS ON INSERT TO audit_log DO INSTEAD NOTHING",
    f"SET ROLE {OWNER}",
    "SET session_replication_role = replica",
    "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), 1)",
    "INSERT INTO audit_log (at, actor, action) VALUES ('x', 'mallory', 'unchained')",
]

DEFINITION_ATTACKS = [
    "UPDATE questionnaires SET source_text = 'evil'",
    "DELETE FROM questionnaires",
    "TRUNCATE questionnaires CASCADE",
    "INSERT INTO questionnaires (questionnaire_id, version, content_hash, source_text,"
    " registered_at) SELECT 'x', '9', content_hash, 'evil', 'now' FROM questionnaires"
    " ON CONFLICT (content_hash) DO UPDATE SET source_text = 'evil'",
    "DROP TRIGGER questionnaires_no_change ON questionnaires",
    "DROP TABLE questionnaires CASCADE",
    "ALTER TABLE questionnaires DISABLE TRIGGER ALL",
]


def rows(store: Store, table: str) -> list[tuple]:
    return [tuple(r.values()) for r in store._rows(f"SELECT * FROM {table} ORDER BY id")]


@pytest.fixture
def busy_store(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    store.save_answer(sid, "last_name", "Ruiz", actor="kiosk")
    return store


def refused_on_the_stations_connection(store: Store, statement: str) -> psycopg.Error:
    conn = store._conn  # the station role's own connection, outside the Store's methods
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement)
    return caught.value


@pytest.mark.parametrize("statement", AUDIT_ATTACKS)
def test_the_station_role_cannot_rewrite_the_audit_trail(busy_store, statement):
    before = rows(busy_store, "audit_log")
    error = refused_on_the_stations_connection(busy_store, statement)
    # a missing privilege, or (a row without its hash) the table's own check
    assert error.sqlstate in ("42501", "23514"), (statement, error)
    assert rows(busy_store, "audit_log") == before
    assert busy_store.verify_audit().intact


@pytest.mark.parametrize("statement", DEFINITION_ATTACKS)
def test_the_station_role_cannot_rewrite_a_pinned_definition(busy_store, statement):
    before = rows(busy_store, "questionnaires")
    error = refused_on_the_stations_connection(busy_store, statement)
    assert error.sqlstate == "42501", (statement, error)
    assert rows(busy_store, "questionnaires") == before


def test_a_station_cannot_grant_itself_more(busy_store):
    conn = busy_store._conn
    conn.execute("GRANT UPDATE, DELETE ON audit_log TO PUBLIC")  # PostgreSQL: only a warning
    error = refused_on_the_stations_connection(busy_store, "UPDATE audit_log SET actor = 'x'")
    assert error.sqlstate == "42501"


def test_through_the_store_it_is_a_refusal_in_words(busy_store):
    before = rows(busy_store, "audit_log")
    with pytest.raises(StoreError) as caught, busy_store._write() as sql:
        sql.execute("DELETE FROM audit_log")
    assert caught.value.code is ErrorCode.SERVER_PERMISSION
    assert rows(busy_store, "audit_log") == before
    busy_store.save_answer(busy_store.list_submissions()[0].id, "first_name", "Ana María",
                           actor="kiosk")  # and the station carries on
    assert busy_store.verify_audit().intact


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log",
    "UPDATE questionnaires SET source_text = 'evil'", "DELETE FROM questionnaires",
])
def test_even_the_owner_meets_the_triggers(busy_store, db, statement):
    """The owner could switch them off (a change the hash chain then shows); a slip in psql
    cannot rewrite history."""
    before = rows(busy_store, "audit_log"), rows(busy_store, "questionnaires")
    conn = OwnerConnection(db)
    try:
        with pytest.raises(psycopg.Error, match="cannot be changed or deleted") as caught:
            conn.execute(statement)
    finally:
        conn.close()
    assert caught.value.sqlstate == "42501"
    assert (rows(busy_store, "audit_log"), rows(busy_store, "questionnaires")) == before
