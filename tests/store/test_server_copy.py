"""copy-database: a one-computer clinic moves to its server and back, everything kept and
proved equal (row counts and digests of both sides); only into an empty database;
nothing half-written. And a server's backup: one snapshot, in an encrypted file that
this app opens anywhere."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.demo import seed_demo
from screening_app.store import ErrorCode, Store, StoreError
from screening_app.store.migrations import MIGRATIONS, migrate
from screening_app.store.streaming import iter_applicable
from screening_app.store.transfer import COPIED_TABLES, OWN_TABLES, copy_records, database_digest
from tests.shared import FakeClock, OwnerConnection

ROOT = Path(__file__).resolve().parents[2]


def fill(store: Store, questionnaire, shipped) -> None:
    """A clinic's records of every kind: demo submissions (with flags, sign-offs and
    users), an import with its origin, a withdrawal, settings, and awkward text."""
    seed_demo(store, 12, seed=5, now=datetime(2026, 3, 1, tzinfo=UTC))
    store.import_submission(shipped, {"first_name": "Zoë 𝒜", "last_name": "O'Brien \"Q\"\n",
                                      "date_of_birth": "1980-02-29"}, "cli", submit=False,
                            origin={"authored": "2026-02-01T10:00:00+01:00",
                                    "subject": {"reference": "Patient/7"}})
    sid = store.start_submission(questionnaire, "es", actor="kiosk")
    store.save_answers(sid, {"first_name": "Núñez", "treatments[0]": True,
                             "treatments[0].drug": "a\tb\\c"}, actor="kiosk")
    store.withdraw(sid, actor="demo-admin", reason="asked to stop")
    store.set_setting("clinic_name", "Clínica Norte", actor="demo-admin")
    store.set_setting("kiosk_idle_seconds", 300, actor="demo-admin")


def snapshot_of(store: Store) -> tuple:
    """What the app shows of a database: lists, answers, flags, histories, users, settings."""
    rows = store.list_submissions(limit=1000)
    return (rows, [store.snapshot(r.id) for r in rows], [store.audit_history(r.id) for r in rows],
            store.list_users(), store.all_settings(), [store.signoffs(r.id) for r in rows],
            [store.origin(r.id) for r in rows])


@pytest.fixture
def clinic_file(tmp_path, small_questionnaire, shipped) -> Path:
    path = tmp_path / "clinic.db"
    with Store.open(path, clock=FakeClock()) as store:
        fill(store, small_questionnaire, shipped)
    return path


@pytest.fixture
def server_db(pg_server):
    """An empty server database, as init-server leaves it, and its owner's address."""
    name = pg_server.new_database()
    yield pg_server.url(name, "screening_owner")
    pg_server.drop_database(name)


def test_copied_tables_are_every_table_of_the_schema(tmp_path, pg_server, server_db):
    with Store.open(tmp_path / "x.db") as file, Store.open(server_db) as server:
        for store in (file, server):
            assert set(store._backend.tables()) == set(COPIED_TABLES) | set(OWN_TABLES)


def test_a_clinic_moves_to_its_server_and_back_with_everything(clinic_file, server_db, tmp_path,
                                                               capsys):
    code = main(["copy-database", "--from", str(clinic_file), "--to", server_db])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["table", "source", "target"]
    counts = {line.split()[0]: line.split()[1:] for line in lines[1:len(COPIED_TABLES) + 1]}
    assert set(counts) == set(COPIED_TABLES)
    assert all(source == target for source, target in counts.values())
    assert int(counts["audit_log"][0]) > 100 and int(counts["signoffs"][0]) > 0
    assert int(counts["submission_origins"][0]) == 1 and int(counts["users"][0]) == 3
    assert int(counts["applicable_answers"][0]) > 0  # with their audit ids: still current
    source_digest = lines[len(COPIED_TABLES) + 1].split()[-1]
    assert lines[len(COPIED_TABLES) + 2].split()[-1] == source_digest
    assert "counts and digests match" in lines[-1]

    back = tmp_path / "back" / "clinic.db"
    assert main(["copy-database", "--from", server_db, "--to", str(back)]) == 0
    assert f"target digest {source_digest}" in capsys.readouterr().out
    with Store.open(clinic_file) as original, Store.open(server_db) as server, \
            Store.open(back) as returned:
        assert snapshot_of(server) == snapshot_of(original) == snapshot_of(returned)
        for store in (original, server, returned):
            assert database_digest(store).source_digest == source_digest
            assert store.verify_audit().intact
            assert [s.applicable for s in iter_applicable(store)] == [
                s.applicable for s in iter_applicable(original)]
        assert returned.encrypted
        # the copies keep working: ids go on from the copied ones
        sid = server.start_submission(server.questionnaire_for(1), "en", actor="kiosk")
        assert sid > max(r.id for r in original.list_submissions(limit=1000))
        assert server.verify_audit().intact


def test_a_plain_file_of_an_older_version_moves_too(tmp_path, server_db, small_questionnaire,
                                                    capsys):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, lambda: "2026-01-01T00:00:00+00:00", MIGRATIONS[:2])
    finally:
        conn.close()
    with Store.open(path) as store:
        assert not store.encrypted
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answer(sid, "first_name", "Ana", actor="kiosk")
    assert main(["copy-database", "--from", str(path), "--to", server_db]) == 0
    capsys.readouterr()
    with Store.open(server_db) as server:
        assert server.answers(sid) == {"first_name": "Ana"}
        assert server.verify_audit().intact


def test_only_into_an_empty_database(clinic_file, server_db, tmp_path, small_questionnaire, capsys):
    with Store.open(server_db) as server:
        server.create_user("admin", "Admin", "admin", "secret-12")
        before = database_digest(server).source_digest
    code = main(["copy-database", "--from", str(clinic_file), "--to", server_db])
    err = capsys.readouterr().err
    assert code == 2 and "already holds records" in err
    with Store.open(server_db) as server:
        assert database_digest(server).source_digest == before
    used = tmp_path / "used.db"
    with Store.open(used) as store:
        store.start_submission(small_questionnaire, "en", actor="kiosk")
    code = main(["copy-database", "--from", str(clinic_file), "--to", str(used)])
    assert code == 2 and "already holds records" in capsys.readouterr().err
    code = main(["copy-database", "--from", str(clinic_file), "--to", str(clinic_file)])
    assert code == 2 and "the same database" in capsys.readouterr().err
    code = main(["copy-database", "--from", str(tmp_path / "typo.db"), "--to", server_db])
    assert code == 2 and "There is no database" in capsys.readouterr().err


def test_a_copy_that_does_not_read_back_the_same_is_undone(clinic_file, server_db, capsys):
    """A target that changes what it is given (here a trigger someone left on the server)
    fails the digest check: the copy is undone, the target stays empty."""
    conn = OwnerConnection(server_db)
    try:
        conn.execute("CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$"
                     " BEGIN NEW.display_name := upper(NEW.display_name); RETURN NEW; END $$")
        conn.execute("CREATE TRIGGER shout BEFORE INSERT ON users FOR EACH ROW"
                     " EXECUTE FUNCTION shout()")
    finally:
        conn.close()
    code = main(["copy-database", "--from", str(clinic_file), "--to", server_db])
    err = capsys.readouterr().err
    assert code == 1 and "does not match its source (tables users)" in err
    with Store.open(server_db) as server:
        assert all(t.source_rows == 0 for t in database_digest(server).tables)


def test_a_servers_backup_is_one_snapshot_in_an_encrypted_file(pg_server, server_db, tmp_path,
                                                              small_questionnaire, shipped):
    with Store.open(server_db, clock=FakeClock()) as server:
        fill(server, small_questionnaire, shipped)
    with Store.open(server_db) as server, Store.open(server_db) as station:
        with server._read():  # the backup's snapshot starts here...
            expected = snapshot_of(server)
            sid = station.start_submission(small_questionnaire, "en", actor="kiosk")  # ...
            station.save_answer(sid, "first_name", "Later", actor="kiosk")  # committed now
            out = server.backup(tmp_path / "backups" / "server.db")
        assert out.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted
        assert not Path(f"{out}-wal").exists()
        with Store.open(out) as restored:
            assert snapshot_of(restored) == expected  # without the later change
            assert restored.verify_audit().intact
    # ...and it opens anywhere: another process, with the key file only
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "Núñez" not in done.stderr, done.stderr
    assert len(done.stdout.splitlines()) == len(expected[0])


def test_copy_records_refuses_a_target_with_records(tmp_path, small_questionnaire):
    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        b.register_questionnaire(small_questionnaire)
        with pytest.raises(StoreError) as caught:
            copy_records(a, b)
    assert caught.value.code is ErrorCode.NOT_EMPTY


def test_the_judging_day_and_the_flags_survive_the_move(clinic_file, server_db, capsys):
    assert main(["copy-database", "--from", str(clinic_file), "--to", server_db]) == 0
    capsys.readouterr()
    with Store.open(clinic_file) as original, Store.open(server_db) as server:
        for row in original.list_submissions(status="submitted", limit=1000):
            assert server.get_submission(row.id).reference_date == \
                original.get_submission(row.id).reference_date
            assert server.flags(row.id) == original.flags(row.id)
        assert date.fromisoformat(server.list_submissions(status="submitted")[0].submitted_at[:10])
