"""Naming a server and reaching it: `--db postgresql://...` (or `postgres://`, or
SCREENING_DB) wherever --db is taken; passwords only from libpq's password file; and
each way a connection can fail said in words, with exit 2, nothing written, no password
and no address text repeated. Connections here go over TCP to 127.0.0.1, where the
test server asks every role for its password (SCRAM)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.store import ErrorCode, Store, StoreError
from screening_app.store.target import DB_ENV, database_target, server_address
from tests.pg_server import PASSWORDS, STATION, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = PASSWORDS[STATION]


@pytest.fixture
def server_db(pg_server):
    name = pg_server.new_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def passfile(tmp_path, monkeypatch, pg_server):
    """The station's password where libpq looks for it (PGPASSFILE, mode 0600)."""
    path = tmp_path / "pgpass"

    def write(password: str = SECRET, port: int | None = None) -> Path:
        path.write_text(f"127.0.0.1:{port or pg_server.port}:*:{STATION}:{password}\n")
        path.chmod(0o600)
        return path

    write()
    monkeypatch.setenv("PGPASSFILE", str(path))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_password_file_lets_a_station_in_over_tcp(pg_server, server_db, passfile, capsys):
    url = pg_server.url(server_db, tcp=True, sslmode="disable")
    code, out, err = run(capsys, "list", "--db", url.replace("postgresql://", "postgres://"))
    assert code == 0 and out.strip() == "No submissions.", err
    with Store.open(url) as store:
        assert store.location == f"station@127.0.0.1:{pg_server.port}/{server_db}"
        assert store.list_users() == []


@pytest.mark.parametrize("url", [
    "postgresql://station:{secret}@127.0.0.1/clinic",
    "postgres://station:{secret}@127.0.0.1/clinic",
    "postgresql://station@127.0.0.1/clinic?password={secret}",
])
def test_a_password_in_the_address_is_refused_before_connecting(url, capsys, monkeypatch, tmp_path):
    url = url.format(secret="hunter2-Secret")
    code, out, err = run(capsys, "list", "--db", url)
    assert code == 2 and out == ""
    assert "holds a password" in err and ".pgpass" in err
    assert "hunter2" not in err
    monkeypatch.setenv(DB_ENV, url)  # the same from a launcher's environment
    code, out, err = run(capsys, "list")
    assert code == 2 and "holds a password" in err and "hunter2" not in err


@pytest.mark.parametrize("url", [
    "postgresql://station@127.0.0.1:notaport/clinic",
    "postgresql://station@[::1/clinic",
    "postgresql://station@127.0.0.1/clinic?nosuchoption=1",
    "postgresql://" + "x" * 10_000,
    "postgresql://station@127.0.0.1/clinic\x00secret",
])
def test_an_address_libpq_cannot_read_is_refused_without_repeating_it(url, capsys):
    code, out, err = run(capsys, "list", "--db", url)
    assert code == 2 and out == ""
    assert "not a PostgreSQL connection URI that can be read" in err
    assert "notaport" not in err and "nosuchoption" not in err and "secret" not in err
    assert "Traceback" not in err


def test_screening_db_is_a_stations_default(pg_server, server_db, monkeypatch, capsys):
    monkeypatch.setenv(DB_ENV, pg_server.url(server_db))
    assert isinstance(database_target(None), type(server_address(pg_server.url(server_db))))
    code, out, err = run(capsys, "list")
    assert code == 0 and out.strip() == "No submissions.", err
    code, out, err = run(capsys, "settings", "set", "clinic_name", "North Clinic")
    assert code == 0, err
    with Store.open(pg_server.url(server_db)) as store:
        assert store.get_setting("clinic_name") == "North Clinic"


def refused(capsys, url: str, code_expected: ErrorCode) -> str:
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.code is code_expected, caught.value.message
    code, out, err = run(capsys, "list", "--db", url)
    assert code == 2 and out == "" and "Traceback" not in err
    assert caught.value.message in err
    return err


def test_a_server_that_is_down_is_said(capsys):
    err = refused(capsys, f"postgresql://station@127.0.0.1:{free_port()}/clinic",
                  ErrorCode.SERVER_UNREACHABLE)
    assert "cannot be reached" in err and "station@127.0.0.1:" in err


def test_a_wrong_or_missing_password_is_said_and_never_shown(pg_server, server_db, passfile,
                                                              capsys):
    url = pg_server.url(server_db, tcp=True, sslmode="disable")
    passfile("not-the-password")
    err = refused(capsys, url, ErrorCode.SERVER_LOGIN)
    assert "refused the sign-in" in err and "not-the-password" not in err
    passfile("whatever", port=1)  # no line for this server: libpq has no password to give
    err = refused(capsys, url, ErrorCode.SERVER_LOGIN)
    with pytest.raises(StoreError) as caught:  # a password typed at the desk, wrong
        Store.open(url, password="typed-at-desk")
    assert caught.value.code is ErrorCode.SERVER_LOGIN
    assert "typed-at-desk" not in caught.value.message
    with Store.open(url, password=SECRET) as store:  # and right: kept in memory only
        assert store.list_users() == []
        assert SECRET not in repr(store.path) and SECRET not in str(store.path)


def test_a_database_that_does_not_exist_is_said(pg_server, capsys):
    err = refused(capsys, pg_server.url("no_such_clinic"), ErrorCode.SERVER_NO_DATABASE)
    assert "has no database of that name" in err


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_tls_required_but_refused_is_said_and_nothing_is_sent(pg_server, server_db, passfile,
                                                               capsys, mode):
    """The test server is built without TLS (it answers as a server with `ssl = off` does):
    a station that insists gets no connection. TLS that works, and certificates refused:
    test_server_tls.py."""
    url = pg_server.url(server_db, tcp=True, sslmode=mode)
    err = refused(capsys, url, ErrorCode.SERVER_TLS)
    assert f"sslmode={mode}" in err


def test_a_multi_host_address_whose_first_host_is_down_uses_the_second(pg_server, server_db,
                                                                        passfile, capsys):
    """libpq's failover list, as with streaming replication (docs/server.md): the first
    host does not answer, the second (writable) one is used."""
    down = free_port()
    passfile()
    url = (f"postgresql://{STATION}@127.0.0.1:{down},127.0.0.1:{pg_server.port}/{server_db}"
           "?target_session_attrs=read-write&sslmode=disable&connect_timeout=5")
    code, out, err = run(capsys, "list", "--db", url)
    assert code == 0 and out.strip() == "No submissions.", err
    with Store.open(url) as store:
        assert store._conn.info.port == pg_server.port
        assert store.location == f"{STATION}@127.0.0.1:{down},127.0.0.1:{pg_server.port}/{server_db}"


def test_faults_leave_nothing_half_written(pg_server, server_db, passfile, tmp_path, capsys):
    answers = tmp_path / "answers.json"
    answers.write_text('[{"first_name": "Eva", "last_name": "Luna"}]', encoding="utf-8")
    passfile("not-the-password")
    url = pg_server.url(server_db, tcp=True, sslmode="disable")
    code, _out, err = run(capsys, "import-responses", str(answers), "--db", url)
    assert code == 2 and "refused the sign-in" in err
    code, _out, err = run(capsys, "copy-database", "--from", url, "--to", str(tmp_path / "c.db"))
    assert code == 2 and not (tmp_path / "c.db").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".c.db")]
    with Store.open(pg_server.url(server_db)) as store:  # the socket's way in
        assert store.count_submissions() == 0
        assert store._rows("SELECT count(*) AS n FROM audit_log") == [{"n": 0}]


def test_main_py_says_it_in_one_line_without_a_traceback(tmp_path):
    env = {**os.environ, "PGCONNECT_TIMEOUT": "5"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-audit", "--db",
                           f"postgresql://station@127.0.0.1:{free_port()}/clinic"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("error: The database server station@127.0.0.1:")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


@pytest.mark.postgres_only
def test_a_nul_character_a_server_cannot_hold_is_refused_in_words(store, small_questionnaire):
    """A file keeps it; a server's text cannot (psycopg refuses it before sending)."""
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    with pytest.raises(StoreError) as caught:
        store.save_answers(sid, {"first_name": "Ana\x00", "last_name": "Ruiz"}, actor="kiosk")
    assert caught.value.code is ErrorCode.REFUSED_ANSWER
    assert store.answers(sid) == {}
    assert store.save_answer(sid, "first_name", "Ana", actor="kiosk") is True


def test_the_kiosk_and_the_desk_take_a_servers_address(pg_server, server_db):
    """What `main.py [--kiosk] --db ADDRESS` opens (ui/app.py): the kiosk needs staff who
    can close it, as with a file; the desk opens a prepared server without its first-run
    question about making a file."""
    from ui.app import open_database

    target = database_target(pg_server.url(server_db))
    with pytest.raises(StoreError) as caught:
        open_database(target, kiosk=True)
    assert caught.value.code is ErrorCode.NO_STAFF
    assert f"station@{pg_server.root}:{pg_server.port}/{server_db}" in caught.value.message

    def never_asked(_path):
        raise AssertionError("a server's database is not made by the desk")

    with open_database(target, kiosk=False, confirm_new=never_asked) as desk:
        desk.create_user("coord", "Coordinator", "coordinator", "246813")
    with open_database(target, kiosk=True) as kiosk:
        assert kiosk.backend_kind == "postgres" and kiosk.has_staff()
