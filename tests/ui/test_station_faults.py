"""Faults of a clinic server, at the screen of the desk and of the kiosk (and once on the
command line): a server down at start, a database that does not exist, TLS required but
refused, a refused password, a connection the server drops, a server killed in the middle
of a transaction, a full disk on the server. Each is said in words, nothing is written
half, and the station carries on by itself when the cause is gone. A PostgreSQL server of
this module's own (tests/pg_server.py), stopped, killed and filled on purpose."""

from __future__ import annotations

import os
import subprocess
import threading

import pytest
from PySide6.QtCore import QSettings

from screening_app.i18n import Translator
from screening_app.store import Store
from screening_app.store.backends.postgres import WRITE_LOCK
from screening_app.store.target import server_address
from tests.pg_server import OWNER, PASSWORDS, STATION, TEMPLATE
from tests.ui.kiosk_driver import settle
from ui.app import open_database
from ui.connect import ConnectWindow
from ui.desk.window import DeskWindow
from ui.dialogs import ScriptedDialogs

STATIONS = ["desk", "kiosk"]
# The offscreen platform says this each time a card's layout changes its size limits.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def database(own_pg_server):
    """A new database with a coordinator (a kiosk needs one), and its station address."""
    name = own_pg_server.new_database()
    with Store.open(own_pg_server.url(name)) as store:
        store.create_user("coordinator", "Coordinator", "coordinator", "246810")
    yield name
    own_pg_server.drop_database(name)


def connect(qtbot, url: str, station: str) -> ConnectWindow:
    kiosk = station == "kiosk"
    window = ConnectWindow(server_address(url), Translator("en"), kiosk=kiosk,
                           open_store=lambda address: open_database(address, kiosk),
                           retry_ms=200)
    qtbot.addWidget(window)
    window.show()
    return window


def said(qtbot, window: ConnectWindow, code: str, words: str, capfd) -> None:
    """The screen says it (and that it tries again), the command line says it once."""
    qtbot.waitUntil(lambda: window.attempts >= 3, timeout=30_000)
    assert window.error is not None and window.error.code == code
    assert words in window.card.message.text()
    assert "tries again by itself" in window.card.message.text()
    printed = capfd.readouterr().err.splitlines()
    assert len(printed) == 1 and printed[0].startswith("error: ") and words in printed[0]


@pytest.mark.parametrize("station", STATIONS)
def test_a_server_down_at_start_is_said_and_the_station_starts_when_it_is_back(
        qtbot, own_pg_server, database, station, capfd):
    own_pg_server.stop()
    try:
        window = connect(qtbot, own_pg_server.url(database), station)
        said(qtbot, window, "server_unreachable", "cannot be reached", capfd)
    finally:
        own_pg_server.pg_ctl_start()
    with qtbot.waitSignal(window.connected, timeout=30_000) as opened:
        pass
    with opened.args[0] as store:
        assert store.has_staff()
    window.finish()


@pytest.mark.parametrize("station", STATIONS)
def test_a_database_that_does_not_exist_is_said_until_it_is_made(qtbot, own_pg_server, station,
                                                                 capfd):
    name = f"made_later_{station}"
    window = connect(qtbot, own_pg_server.url(name), station)
    said(qtbot, window, "server_no_database", "has no database of that name", capfd)
    own_pg_server.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {OWNER}")
    try:
        with Store.open(own_pg_server.url(name)) as store:
            store.create_user("coordinator", "Coordinator", "coordinator", "246810")
        with qtbot.waitSignal(window.connected, timeout=30_000) as opened:
            pass
        opened.args[0].close()
        window.finish()
    finally:
        own_pg_server.drop_database(name)


@pytest.mark.parametrize("station", STATIONS)
def test_tls_required_but_refused_is_said_and_nothing_is_sent(qtbot, own_pg_server, database,
                                                              station, capfd):
    """The embedded server is built without TLS (it answers as a server with `ssl = off`
    does): it refuses, and the station says so. A server with TLS, the cure (docs/server.md),
    is tested in tests/store/test_server_tls.py."""
    window = connect(qtbot, own_pg_server.url(database, tcp=True, sslmode="require"), station)
    qtbot.waitUntil(lambda: window.attempts >= 3, timeout=30_000)
    assert window.error.code == "server_tls"
    assert "encrypted connection (TLS)" in window.card.message.text()
    printed = capfd.readouterr().err.splitlines()
    assert len(printed) == 1 and "needs TLS (sslmode=require)" in printed[0]
    assert not window.password.isVisible()  # nothing was sent, no password asked
    window.finish()


def test_a_kiosk_refused_its_password_starts_once_the_password_file_has_it(
        qtbot, own_pg_server, database, tmp_path, monkeypatch, capfd):
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{own_pg_server.port}:*:{STATION}:wrong-password\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    window = connect(qtbot, own_pg_server.url(database, tcp=True), "kiosk")
    said(qtbot, window, "server_login", "refused the sign-in", capfd)
    assert not window.password.isVisible()
    passfile.write_text(f"127.0.0.1:{own_pg_server.port}:*:{STATION}:{PASSWORDS[STATION]}\n")
    with qtbot.waitSignal(window.connected, timeout=30_000) as opened:
        pass
    opened.args[0].close()
    window.finish()


# -- a kiosk at work ------------------------------------------------------------------------


@pytest.fixture
def kiosk_at_work(own_pg_server, database, make_kiosk_on):
    window, person, store = make_kiosk_on(own_pg_server.url(database))
    person.start()
    person.type("first_name", "Ana")
    assert window.controller.waiting is None and not window.controller.changes
    return window, person, store


def stored(own_pg_server, database: str, submission_id: int) -> tuple[dict, list, bool]:
    with Store.open(own_pg_server.url(database)) as check:
        saved = [(e.item, e.new_value) for e in check.audit_history(submission_id)
                 if e.action == "answer_saved"]
        return check.answers(submission_id), saved, check.verify_audit().intact


def test_a_connection_the_server_drops_is_replaced_without_a_word(qtbot, own_pg_server, database,
                                                                  kiosk_at_work):
    window, person, store = kiosk_at_work
    with own_pg_server.connect() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._conn.info.backend_pid,))
    person.type("last_name", "Ruiz")
    settle()
    assert window.controller.waiting is None and not window.controller.changes
    assert window.flow_page.status.message() == ""
    answers, saved, intact = stored(own_pg_server, database, window.controller.submission_id)
    assert answers == {"first_name": "Ana", "last_name": "Ruiz"} and intact
    assert saved == [("first_name", "Ana"), ("last_name", "Ruiz")]


def test_a_server_killed_in_the_middle_of_a_transaction_loses_nothing(qtbot, own_pg_server, database,
                                                                      kiosk_at_work):
    window, person, _store = kiosk_at_work
    holder = own_pg_server.connect(database)  # another station, in the middle of its change
    holder.execute("BEGIN")
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
    # The kiosk's save waits for its turn inside its transaction; the server dies meanwhile.
    killer = threading.Timer(1.0, own_pg_server.stop, kwargs={"mode": "immediate"})
    killer.start()
    try:
        person.type("last_name", "Ruiz")
        settle()
        killer.join()
        assert window.controller.waiting is not None
        assert window.flow_page.status.message() == window.t("kiosk.saving.paused")
        person.choose("sex_at_birth", "female")  # the person carries on
    finally:
        killer.join()
        holder.close()
        own_pg_server.pg_ctl_start()
    qtbot.waitUntil(lambda: window.controller.waiting is None and not window.controller.changes,
                    timeout=30_000)
    assert window.flow_page.status.message() == ""
    answers, saved, intact = stored(own_pg_server, database, window.controller.submission_id)
    assert answers == {"first_name": "Ana", "last_name": "Ruiz", "sex_at_birth": "female"}
    assert saved == [("first_name", "Ana"), ("last_name", "Ruiz"), ("sex_at_birth", "female")]
    assert intact


# -- a full disk on the server ----------------------------------------------------------------


@pytest.fixture
def tiny_disk(own_pg_server):
    """A 16 MB file system (tmpfs) for a tablespace, in the server's own folder (which its
    system user can reach): mounting needs root, which CI is."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system for the server needs root (CI runs as root)")
    mount = own_pg_server.root / "tiny"
    mount.mkdir()
    owner = own_pg_server.system_user or "root"
    import pwd

    entry = pwd.getpwnam(owner)
    subprocess.run(["mount", "-t", "tmpfs", "-o",
                    f"size=16m,mode=0700,uid={entry.pw_uid},gid={entry.pw_gid}", "tmpfs",
                    str(mount)], check=True, capture_output=True)
    try:
        (mount / "space").mkdir()
        os.chown(mount / "space", entry.pw_uid, entry.pw_gid)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)
        mount.rmdir()


def test_a_full_disk_on_the_server_is_said_and_saving_goes_on_when_space_is_freed(
        qtbot, own_pg_server, tiny_disk, shipped, make_kiosk_on, tmp_path):
    name = "on_a_tiny_disk"
    own_pg_server.admin(f"CREATE TABLESPACE tiny OWNER {OWNER} LOCATION '{tiny_disk / 'space'}'",
                        f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {OWNER} TABLESPACE tiny")
    try:
        url = own_pg_server.url(name)
        window, person, _store = make_kiosk_on(url)
        person.start()
        filler = tiny_disk / "filler"  # every byte left on the server's disk
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        person.type("first_name", "Ana")  # the first answer needs a new page: none left
        settle()
        assert window.controller.waiting is not None
        assert window.controller.waiting.code == "server_disk_full"
        assert window.flow_page.status.message() == window.t("kiosk.error.save")
        person.choose("sex_at_birth", "female")  # carries on, kept in memory
        # The desk says it too: its first run makes the first account (a new page).
        desk = DeskWindow(Store.open(url), ScriptedDialogs(),
                          QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
                          Translator("en"), questionnaire_loader=lambda: shipped)
        qtbot.addWidget(desk)
        desk.show()
        first_run = desk.first_run
        for field, text in ((first_run.clinic, "Clinic"), (first_run.study, "Study"),
                            (first_run.username, "admin"), (first_run.secret, "13572468"),
                            (first_run.repeat, "13572468")):
            field.setText(text)
        first_run.create.click()
        assert desk.workspace is None
        assert "disk is full" in first_run.message.text()
        filler.unlink()  # the administrator freed space
        qtbot.waitUntil(lambda: window.controller.waiting is None and not window.controller.changes,
                        timeout=30_000)
        assert window.flow_page.status.message() == ""
        first_run.secret.setText("13572468")
        first_run.repeat.setText("13572468")
        first_run.create.click()
        assert desk.workspace is not None, first_run.message.text()
        desk.close()
        desk.store.close()
        answers, saved, intact = stored(own_pg_server, name, window.controller.submission_id)
        assert answers == {"first_name": "Ana", "sex_at_birth": "female"} and intact
        assert saved == [("first_name", "Ana"), ("sex_at_birth", "female")]
    finally:
        (tiny_disk / "filler").unlink(missing_ok=True)
        own_pg_server.drop_database(name)
        own_pg_server.admin("DROP TABLESPACE IF EXISTS tiny")
