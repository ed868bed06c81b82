"""A server's schema: every named migration has its PostgreSQL version, init-server applies
them as the owner (once, all or nothing), the two backends declare the same tables and
columns, and a station refuses a database that is not ready for this app."""

from __future__ import annotations

import pytest

from screening_app.cli import main
from screening_app.store import DatabaseDamaged, DatabaseTooNew, ErrorCode, Store, StoreError
from screening_app.store.backends.postgres_setup import init_server
from screening_app.store.migrations import MIGRATIONS, Migration
from screening_app.store.migrations_postgres import STATION_PRIVILEGES
from screening_app.store.target import server_address
from tests.pg_server import OWNER, STATION, STATION_GROUP
from tests.shared import OwnerConnection

NOW = lambda: "2026-11-23T09:00:00.000000+00:00"  # noqa: E731


def test_every_migration_has_its_postgresql_version():
    """Others add SQLite migrations at the end: each needs the server's DDL too."""
    missing = [m.name for m in MIGRATIONS if not (isinstance(m.postgres, str) and m.postgres.strip())]
    assert missing == []


def test_both_backends_declare_the_same_tables_and_columns(tmp_path, pg_server):
    name = pg_server.new_database()
    try:
        with Store.open(tmp_path / "file.db") as file, Store.open(pg_server.url(name)) as server:
            tables = file._backend.tables()
            assert tables == server._backend.tables()
            for table in tables:
                assert file._backend.table_columns(table) == server._backend.table_columns(table), table
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def empty_db(pg_server):
    """A database as an administrator makes it (docs/server.md), before init-server."""
    name = pg_server.new_database(empty=True)
    yield name
    pg_server.drop_database(name)


def test_init_server_applies_every_migration_once_as_the_owner(pg_server, empty_db, capsys):
    owner_url = pg_server.url(empty_db, OWNER)
    assert main(["init-server", "--db", owner_url]) == 0
    out = capsys.readouterr().out
    assert f"ready ({len(MIGRATIONS)} migrations; applied {len(MIGRATIONS)}" in out
    assert f"members of the role {STATION_GROUP}" in out
    conn = OwnerConnection(pg_server.url(empty_db))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY number")]
        owners = {r[0] for r in conn.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'screening'")}
    finally:
        conn.close()
    assert names == [m.name for m in MIGRATIONS]
    assert owners == {OWNER}  # the stations own nothing
    assert main(["init-server", "--db", owner_url]) == 0
    assert "already up to date" in capsys.readouterr().out
    with Store.open(pg_server.url(empty_db)) as store:  # and a station can work on it
        store.create_user("admin", "Admin", "admin", "secret-12")


@pytest.mark.postgres_only
def test_the_station_group_may_do_what_the_list_says_and_no_more(db):
    conn = OwnerConnection(db)
    try:
        granted: dict[str, set[str]] = {}
        for table, privilege in conn.execute(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants"
                " WHERE grantee = ? AND table_schema = 'screening'", (STATION_GROUP,)):
            granted.setdefault(table, set()).add(privilege)
        owns_or_creates = conn.execute(
            "SELECT has_schema_privilege(?, 'screening', 'CREATE'),"
            " has_schema_privilege(?, 'public', 'CREATE')", (STATION, STATION)).fetchone()
    finally:
        conn.close()
    assert granted == {table: set(privileges) for table, privileges in STATION_PRIVILEGES.items()}
    assert owns_or_creates == (False, False)


def test_init_server_needs_the_station_role_and_the_owner(pg_server, empty_db, capsys):
    code = main(["init-server", "--db", pg_server.url(empty_db, OWNER), "--station-role", "kiosks"])
    err = capsys.readouterr().err
    assert code == 2 and "no role kiosks for the stations" in err
    code = main(["init-server", "--db", pg_server.url(empty_db, STATION)])  # not the owner
    err = capsys.readouterr().err
    assert code == 1 and "does not let this user do that" in err
    code = main(["init-server", "--db", "clinic.db"])
    assert code == 2 and "must be a postgresql:// address" in capsys.readouterr().err
    conn = OwnerConnection(pg_server.url(empty_db))
    try:  # nothing was made by the refused runs
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'screening'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_a_failing_migration_leaves_no_trace(pg_server, empty_db):
    broken = Migration("0099_broken", lambda conn: None,
                       "CREATE TABLE half_done (id integer); ALTER TABLE answers ADD COLUMN note"
                       " text; SELECT 1 / 0;")
    address = server_address(pg_server.url(empty_db, OWNER))
    init_server(address, NOW, STATION_GROUP)
    with pytest.raises(Exception, match="division by zero"):
        init_server(address, NOW, STATION_GROUP, (*MIGRATIONS, broken))
    conn = OwnerConnection(pg_server.url(empty_db))
    try:
        assert conn.execute("SELECT max(number) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT to_regclass('screening.half_done')").fetchone()[0] is None
        columns = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns"
                                              " WHERE table_name = 'answers'")}
    finally:
        conn.close()
    assert "note" not in columns
    Store.open(pg_server.url(empty_db)).close()  # and the stations still open it


def test_a_station_refuses_a_database_not_ready_for_this_app(pg_server, empty_db):
    url = pg_server.url(empty_db)
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.code is ErrorCode.SERVER_NOT_READY
    assert "init-server" in caught.value.message and "pass" not in caught.value.message
    init_server(server_address(pg_server.url(empty_db, OWNER)), NOW, STATION_GROUP)
    conn = OwnerConnection(url)
    try:
        conn.execute("DELETE FROM schema_migrations WHERE number = ?", (len(MIGRATIONS),))
        with pytest.raises(StoreError) as caught:
            Store.open(url)
        assert caught.value.code is ErrorCode.SERVER_SCHEMA_OLD
        assert caught.value.params["needed"] == len(MIGRATIONS)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'x', 'now'), (?, 'y', 'now')",
                     (len(MIGRATIONS), len(MIGRATIONS) + 1))
        with pytest.raises(DatabaseTooNew):
            Store.open(url)
    finally:
        conn.close()


def test_another_programs_tables_are_not_taken_over(pg_server, empty_db, capsys):
    conn = OwnerConnection(pg_server.url(empty_db))
    try:
        conn.execute("CREATE SCHEMA screening")
        conn.execute("CREATE TABLE screening.invoices (id integer)")
    finally:
        conn.close()
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(pg_server.url(empty_db, OWNER))
    assert caught.value.code is ErrorCode.NOT_OURS
    with pytest.raises(StoreError) as caught:  # a station is not even let in
        Store.open(pg_server.url(empty_db))
    assert caught.value.code is ErrorCode.SERVER_PERMISSION
    assert main(["init-server", "--db", pg_server.url(empty_db, OWNER)]) == 2
    assert "another program" in capsys.readouterr().err


@pytest.mark.postgres_only
def test_check_constraints_refuse_unknown_status_and_severity(store, db, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    conn = OwnerConnection(db)
    try:
        for statement in ("UPDATE submissions SET status = 'approved' WHERE id = ?",
                          "INSERT INTO flags (submission_id, rule_id, severity, criterion,"
                          " evidence_json, computed_at) VALUES (?, 'R', 'fatal', 'c', '[]', 'now')",
                          "INSERT INTO answers (submission_id, path, value_json, updated_at)"
                          " VALUES (?, 'x', 'not json', 'now')"):
            with pytest.raises(Exception) as caught:
                conn.execute(statement, (sid,))
            assert caught.value.sqlstate in ("23514", "22P02"), statement
    finally:
        conn.close()


@pytest.mark.postgres_only
def test_a_page_deep_in_a_sorted_list_can_use_its_index(store, db):
    conn = OwnerConnection(db)
    try:
        conn.execute("SET enable_sort = off")
        plan = " ".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT s.id FROM submissions s ORDER BY s.started_at, s.id LIMIT 10 OFFSET 5"))
        birth = " ".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT s.id FROM submissions s ORDER BY s.date_of_birth DESC NULLS LAST,"
            " s.id DESC LIMIT 10"))
    finally:
        conn.close()
    assert "submissions_by_started" in plan and "Sort" not in plan
    assert "submissions_by_birth" in birth and "Sort" not in birth


def test_the_administrators_sql_in_docs_server_md_works(pg_server, tmp_path, monkeypatch, capsys):
    """docs/server.md's SQL, run as written (names made unique, `\\password` as psql sends
    it), then init-server as the owner and a station over TCP with its password file."""
    import re
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "server.md").read_text(encoding="utf-8")
    sql = re.search(r"```sql\n(.*?)```", docs, re.S).group(1)
    for old, new in (("screening_owner", "doc_owner"), ("screening_station", "doc_station"),
                     ("kiosk_", "doc_kiosk_"), ("desk_1", "doc_desk_1"),
                     ("DATABASE screening", "DATABASE doc_screening")):
        sql = sql.replace(old, new)
    statements = [line.strip() for line in sql.splitlines() if line.strip()]
    with pg_server.connect() as admin:
        for statement in statements:
            if statement.startswith("\\password "):  # what psql sends: the role's new secret
                role = statement.split()[1]
                admin.execute(f"ALTER ROLE {role} PASSWORD 'pw-{role}'")
            else:
                admin.execute(statement)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("".join(f"127.0.0.1:{pg_server.port}:doc_screening:{role}:pw-{role}\n"
                              for role in ("doc_owner", "doc_kiosk_1")))
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    owner = f"postgresql://doc_owner@127.0.0.1:{pg_server.port}/doc_screening?sslmode=disable"
    assert main(["init-server", "--db", owner, "--station-role", "doc_station"]) == 0
    assert "members of the role doc_station" in capsys.readouterr().out
    kiosk = owner.replace("doc_owner", "doc_kiosk_1")
    try:
        with Store.open(kiosk) as store:
            store.create_user("ana", "Ana", "admin", "secret-12")
            with pytest.raises(StoreError) as caught, store._write() as sql_:
                sql_.execute("UPDATE audit_log SET actor = 'x'")
            assert caught.value.code is ErrorCode.SERVER_PERMISSION
            assert store.verify_audit().intact
    finally:
        with pg_server.connect() as admin:
            admin.execute("DROP DATABASE doc_screening WITH (FORCE)")
            for role in ("doc_kiosk_1", "doc_kiosk_2", "doc_desk_1", "doc_station", "doc_owner"):
                admin.execute(f"DROP ROLE {role}")
