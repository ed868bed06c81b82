"""The password of a clinic server comes from libpq's own password file, or from a prompt
at the desk for the first connection, held in memory only (ui/connect.py): never in the
database, a log, standard error or the command line. Over TCP to the run's server, where
every role signs in with SCRAM (pg_hba: scram-sha-256)."""

from __future__ import annotations

import logging
import os
import sys

import pytest

from screening_app.i18n import Translator
from screening_app.store import Store
from screening_app.store.target import server_address
from tests.pg_server import PASSWORDS, STATION
from tests.shared import OwnerConnection
from tests.ui.desk.conftest import sign_in
from ui.app import open_database
from ui.connect import ConnectWindow

PASSWORD = PASSWORDS[STATION]


@pytest.fixture
def tcp_db(pg_server, monkeypatch, tmp_path):
    """A server database with a coordinator, its TCP address, and no password file."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    name = pg_server.new_database()
    with Store.open(pg_server.url(name)) as store:  # the socket: no password needed
        store.create_user("coord", "Coordinator", "coordinator", "246813")
    try:
        yield name, pg_server.url(name, tcp=True)
    finally:
        pg_server.drop_database(name)


def connect_window(qtbot, url: str) -> ConnectWindow:
    window = ConnectWindow(server_address(url), Translator("en"), kiosk=False,
                           open_store=lambda address: open_database(address, kiosk=False),
                           retry_ms=200)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_desk_asks_for_the_servers_password_and_keeps_it_in_memory_only(
        qtbot, tcp_db, pg_server, make_desk, caplog, capfd):
    name, url = tcp_db
    caplog.set_level(logging.DEBUG)
    window = connect_window(qtbot, url)
    qtbot.waitUntil(window.password.isVisible, timeout=15_000)
    assert "asks for a password" in window.card.intro.text()
    assert window.error.code == "server_login"

    window.password.setText("not-the-password")
    window.button.click()
    qtbot.waitUntil(lambda: window.card.message.text() == window.t("desk.connect.refused_password"),
                    timeout=15_000)
    assert window.password.text() == "" and window.password.isVisible()

    window.password.setText(PASSWORD)
    with qtbot.waitSignal(window.connected, timeout=15_000) as opened:
        window.password.returnPressed.emit()
    store = opened.args[0]
    window.finish()
    try:
        assert store.backend_kind == "postgres"
        desk = make_desk(store)
        sign_in(qtbot, desk, "coord", "246813")
        # The connection is ended by the server: the desk's next change connects again
        # with the password it holds in memory (and its list thread has its own).
        with pg_server.connect() as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE datname = %s AND usename = %s", (name, STATION))
        store.set_setting("clinic_name", "Clinic after reconnecting", actor="coord")
        assert store.get_setting("clinic_name") == "Clinic after reconnecting"
        desk.close()
    finally:
        store.close()

    # Nowhere but in memory: not in the database, the log, what was printed, the command line.
    owner = OwnerConnection(pg_server.url(name, user="screening_owner"))
    try:
        tables = [row[0] for row in owner.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'screening'").fetchall()]
        for table in tables:
            rows = owner.execute(f"SELECT t::text FROM screening.{table} t").fetchall()
            assert not any(PASSWORD in row[0] for row in rows), table
    finally:
        owner.close()
    printed = capfd.readouterr()
    assert PASSWORD not in printed.out + printed.err
    assert PASSWORD not in caplog.text
    assert PASSWORD not in " ".join(sys.argv)
    assert PASSWORD not in "".join(os.environ.values())


def test_a_password_file_is_used_and_nothing_is_asked(qtbot, tcp_db, tmp_path, monkeypatch,
                                                      pg_server):
    _name, url = tcp_db
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_server.port}:*:{STATION}:{PASSWORD}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    window = connect_window(qtbot, url)
    with qtbot.waitSignal(window.connected, timeout=15_000) as opened:
        pass
    opened.args[0].close()
    assert not window.password.isVisible()
    window.finish()


def test_the_kiosk_never_asks_for_a_password(qtbot, tcp_db):
    _name, url = tcp_db
    window = ConnectWindow(server_address(url), Translator("en"), kiosk=True,
                           open_store=lambda address: open_database(address, kiosk=True),
                           retry_ms=200)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.error is not None, timeout=15_000)
    assert not window.password.isVisible() and not window.quit_button.isVisible()
    assert "refused the sign-in" in window.card.message.text()
    assert "tries again by itself" in window.card.message.text()
    window.finish()
