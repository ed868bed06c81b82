"""Shared test set-up: Qt runs offscreen, so no test ever needs a display."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The per-user data directory (notes of pending writes, the default database) is a fresh
# folder: no test reads or writes the real user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="msc-test-data-")
# The same for the config folder (the default key file), and the database key: one key
# file for the whole run, never the user's own key or credential store; child processes
# inherit all three. Tests of the key's own lookup change them for themselves.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="msc-test-config-")
# And the cache folder (the translation cache): the tests read what they wrote.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="msc-test-cache-")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["SCREENING_KEY_FILE"] = os.path.join(tempfile.mkdtemp(prefix="msc-test-key-"),
                                                "test.key")
os.environ.setdefault("QT_ACCESSIBILITY", "1")  # so accessible names/descriptions are queryable
# A station's default database (docs/server.md) must not reach the tests.
os.environ.pop("SCREENING_DB", None)


def _server():
    from tests.pg_server import TestServer

    server = TestServer.start()
    try:
        server.prepare_template()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def pg_server():
    """One real PostgreSQL server for the whole run (tests/pg_server.py), with the
    template database that init-server prepared. A test that needs it and cannot start
    it fails with the server's own words: it is never skipped."""
    yield from _server()


@pytest.fixture(scope="module")
def own_pg_server():
    """A PostgreSQL server of the module's own, for tests that stop, restart or reconfigure
    it (the run's `pg_server` serves every other test meanwhile)."""
    yield from _server()


def pytest_sessionfinish(session, exitstatus):
    """In CI (.ci/run sets CI) a skipped test fails the run: every test there has what it
    needs installed, so a skip would be a test that never ran counted as a pass."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    from tests.shared import in_ci

    if in_ci() and skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write("\n")  # after the progress line
        reporter.write_sep("=", f"CI: {len(skipped)} test(s) skipped; each must run here", red=True)
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
