"""Schema, PRAGMAs, file permissions and the environment errors, on real files."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from screening_app.store import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseUnavailable,
    ErrorCode,
    Store,
    StoreError,
)
from screening_app.store.driver import dbapi
from screening_app.store.migrations import APPLICATION_ID, MIGRATIONS, Migration, migrate
from tests.shared import raw_connection

EXPECTED_TABLES = {
    "schema_migrations", "questionnaires", "candidates", "candidate_search_terms", "submissions",
    "answers", "flags", "audit_log", "users", "settings", "submission_origins", "signoffs",
    "applicable_answers",
}


def raw(path: Path):
    """A plain connection, as someone poking at the file with a SQLite tool would use."""
    return raw_connection(path)


@pytest.mark.sqlite_only
def test_open_creates_declared_schema_and_records_migrations(store: Store, db_path: Path):
    conn = raw(db_path)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        assert tables == EXPECTED_TABLES
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY number")]
        assert names == [m.name for m in MIGRATIONS]
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_a_whole_workflow_creates_no_undeclared_table(store: Store, db_path: Path, tmp_path,
                                                       small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answers(sid, {"first_name": "Ana", "last_name": "Ruiz",
                             "date_of_birth": "1980-01-01", "diagnosis_year": 2015,
                             "smoker": "yes"}, actor="kiosk")
    store.submit(sid, actor="kiosk")
    store.create_user("admin", "Admin", "admin", "secret-1")
    store.mark_checked(sid, actor="admin", note="Complete")
    store.authenticate("admin", "secret-1")
    store.set_setting("clinic_name", "North", actor="admin")
    store.backup(tmp_path / "copy.db")
    store.list_submissions(search="ana")
    conn = raw(db_path)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    finally:
        conn.close()
    assert tables == EXPECTED_TABLES


def test_a_failing_migration_leaves_no_trace(db_path: Path, clock):
    Store.open(db_path, clock=clock).close()

    def broken(conn) -> None:
        conn.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        conn.execute("ALTER TABLE answers ADD COLUMN note TEXT")
        raise RuntimeError("the migration failed half-way")

    conn = raw(db_path)
    try:
        with pytest.raises(RuntimeError):
            migrate(conn, lambda: "2026-11-23T00:00:00+00:00",
                    (*MIGRATIONS, Migration("0002_broken", broken)))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"
                            ).fetchone()[0] == 0
        columns = [r[1] for r in conn.execute("PRAGMA table_info(answers)")]
        assert "note" not in columns
    finally:
        conn.close()
    Store.open(db_path, clock=clock).close()  # and the app still opens it


@pytest.mark.sqlite_only
def test_connection_pragmas_are_durable(store: Store):
    conn = store._db.conn
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_reopening_does_not_migrate_again(db_path: Path, clock):
    Store.open(db_path, clock=clock).close()
    with Store.open(db_path, clock=clock) as again:
        rows = again._rows("SELECT count(*) AS n FROM schema_migrations")
    assert rows == [{"n": len(MIGRATIONS)}]


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
    "UPDATE audit_log SET new_value = NULL WHERE id = (SELECT max(id) FROM audit_log)",
])
@pytest.mark.sqlite_only
def test_audit_log_cannot_be_altered_through_sql(store: Store, db_path: Path, small_questionnaire,
                                                 statement: str):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    before = store.audit_history(sid)
    assert len(before) == 2
    conn = raw(db_path)
    try:
        with pytest.raises(dbapi.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()
    assert store.audit_history(sid) == before


@pytest.mark.sqlite_only
def test_pinned_definitions_cannot_be_changed(store: Store, db_path: Path, small_questionnaire):
    store.register_questionnaire(small_questionnaire)
    conn = raw(db_path)
    try:
        with pytest.raises(dbapi.IntegrityError, match="cannot be changed"):
            conn.execute("UPDATE questionnaires SET source_text = 'x'")
        with pytest.raises(dbapi.IntegrityError, match="cannot be deleted"):
            conn.execute("DELETE FROM questionnaires")
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_check_constraints_refuse_unknown_status_and_severity(store: Store, db_path: Path,
                                                              small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    conn = raw(db_path)
    try:
        with pytest.raises(dbapi.IntegrityError, match="CHECK"):
            conn.execute("UPDATE submissions SET status = 'approved' WHERE id = ?", (sid,))
        with pytest.raises(dbapi.IntegrityError, match="CHECK"):
            conn.execute("INSERT INTO flags (submission_id, rule_id, severity, criterion,"
                         " evidence_json, computed_at) VALUES (?, 'R', 'fatal', 'c', '[]', 'now')",
                         (sid,))
    finally:
        conn.close()


# -- files ---------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_database_and_backup_files_are_owner_only(tmp_path: Path, small_questionnaire, clock):
    old_umask = os.umask(0o022)  # a typical permissive umask must not leak into our files
    try:
        db_path = tmp_path / "new-folder" / "screening.db"
        with Store.open(db_path, clock=clock) as store:
            store.start_submission(small_questionnaire, "en", actor="kiosk")
            wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
            assert wal.exists() and shm.exists()
            assert mode(db_path) == 0o600
            assert mode(wal) == 0o600
            assert mode(shm) == 0o600
            assert mode(db_path.parent) == 0o700
            backup = store.backup(tmp_path / "backups" / "copy.db")
        assert mode(backup) == 0o600
        assert not list(backup.parent.glob(".*.tmp"))
    finally:
        os.umask(old_umask)


def test_newer_schema_is_refused_with_plain_message(db_path: Path, clock):
    Store.open(db_path, clock=clock).close()
    conn = raw(db_path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(DatabaseTooNew) as caught:
        Store.open(db_path, clock=clock)
    assert caught.value.code is ErrorCode.TOO_NEW
    assert "newer version of the app" in caught.value.message
    assert isinstance(caught.value, StoreError)


def test_corrupt_file_is_refused_with_plain_message(tmp_path: Path, clock):
    path = tmp_path / "screening.db"
    path.write_bytes(b"this is a spreadsheet, not a database\n" * 200)
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(path, clock=clock)
    assert caught.value.code is ErrorCode.DAMAGED and caught.value.params == {"path": str(path)}
    assert "not a database of this app, or it is damaged" in caught.value.message
    assert "Traceback" not in caught.value.message
    # Refusing changed nothing.
    assert path.read_bytes().startswith(b"this is a spreadsheet")


def test_damaged_pages_are_reported_as_damage_not_a_crash(db_path: Path, clock,
                                                          small_questionnaire):
    with Store.open(db_path, clock=clock) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 6] = b"\xff" * (4096 * 5)  # overwrite the pages after the header page
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged), Store.open(db_path, clock=clock) as store:
        store.get_submission(sid)


def test_other_programs_database_is_not_taken_over(tmp_path: Path, clock):
    path = tmp_path / "other.db"
    conn = raw(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(DatabaseDamaged, match="another program"):
        Store.open(path, clock=clock)
    conn = raw(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert tables == {"invoices"}


class ReadOnlyDirectory:
    """Make a directory unwritable, also for root (who ignores permission bits)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.immutable = False

    def __enter__(self) -> Path:
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(self.path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("running as root without chattr: cannot make a folder read-only")
            self.immutable = True
        else:
            self.path.chmod(0o500)
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.immutable:
            subprocess.run(["chattr", "-i", str(self.path)], check=True)
        else:
            self.path.chmod(0o700)


@pytest.mark.skipif(os.name == "nt" or not hasattr(os, "geteuid"), reason="POSIX only")
def test_new_database_in_read_only_directory(tmp_path: Path, clock):
    folder = tmp_path / "locked"
    folder.mkdir()
    with ReadOnlyDirectory(folder), pytest.raises(DatabaseUnavailable) as caught:
        Store.open(folder / "screening.db", clock=clock)
    assert caught.value.code is ErrorCode.READ_ONLY
    assert "read-only" in caught.value.message
    assert not (folder / "screening.db").exists()


@pytest.mark.skipif(os.name == "nt" or not hasattr(os, "geteuid"), reason="POSIX only")
def test_existing_database_in_read_only_directory(tmp_path: Path, clock, small_questionnaire):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "screening.db"
    with Store.open(path, clock=clock) as store:
        store.start_submission(small_questionnaire, "en", actor="kiosk")
    # SQLite needs to create the -wal and -shm files beside the database.
    with (
        ReadOnlyDirectory(folder),
        pytest.raises(StoreError) as caught,
        Store.open(path, clock=clock) as store,
    ):
        store.start_submission(small_questionnaire, "en", actor="kiosk")
    assert isinstance(caught.value, DatabaseUnavailable)
    assert "cannot be" in caught.value.message


@pytest.mark.sqlite_only
def test_disk_full_is_reported_and_nothing_is_half_written(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    audit_before = store.audit_history(sid)
    conn = store._db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
    big = "x" * 200_000
    with pytest.raises(DatabaseUnavailable) as caught:
        store.save_answer(sid, "last_name", big, actor="kiosk")
    assert caught.value.code is ErrorCode.DISK_FULL
    assert "disk is full" in caught.value.message
    assert big not in caught.value.message
    assert store.answers(sid) == {"first_name": "Ana"}
    assert store.audit_history(sid) == audit_before


def test_busy_database_is_a_plain_error_after_retries(db_path: Path, small_questionnaire):
    with Store.open(db_path, busy_timeout_ms=50, busy_retries=2) as store:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        other = raw(db_path)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            with pytest.raises(DatabaseBusy) as caught:
                store.save_answer(sid, "first_name", "Ana", actor="kiosk")
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert caught.value.code is ErrorCode.BUSY
        assert "busy" in caught.value.message
        assert "Ana" not in caught.value.message
        assert store.answers(sid) == {}
        assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True


def test_error_messages_never_carry_answer_values(store: Store, small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.withdraw(sid, actor="desk", reason="asked to stop")
    with pytest.raises(StoreError) as caught:
        store.save_answer(sid, "last_name", "Núñez-Secret", actor="desk", reason="fix")
    assert "Núñez" not in caught.value.message and "Secret" not in str(caught.value)
