"""Fixtures for the storage tests: a real database of each backend (a SQLite file in
tmp_path, a fresh database on the run's PostgreSQL server), a controllable clock.

`db` is what `--db` would be: a file's path, or a server URI of the station role (so
every store test also proves that a station's privileges are enough). Tests that use
`db` or `store` run once per backend, `[sqlite]` and `[postgres]`; a test of something
only a SQLite file has is marked `sqlite_only` (only a server: `postgres_only`), and
`db_path` is always a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import FIXTURES, SMALL_DEFINITION, FakeClock

from screening_app.engine.answers import flatten_answers
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, parse_questionnaire, shipped_questionnaire_path
from screening_app.store import Store


@pytest.fixture(scope="session")
def small_questionnaire() -> Questionnaire:
    return parse_questionnaire(SMALL_DEFINITION, "store-test.yaml")


@pytest.fixture(scope="session")
def shipped() -> Questionnaire:
    return load_questionnaire(shipped_questionnaire_path())


@pytest.fixture(scope="session")
def complete_shipped_answers(shipped: Questionnaire) -> dict:
    raw = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    return flatten_answers(shipped, raw)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "screening.db"


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker
        backends = ["sqlite", "postgres"]
        if marked("sqlite_only"):
            backends = ["sqlite"]
        elif marked("postgres_only"):
            backends = ["postgres"]
        metafunc.parametrize("backend", backends)


@pytest.fixture
def db(backend: str, request, db_path: Path):
    """The database under test: a SQLite file, or a new server database (station role)."""
    if backend == "sqlite":
        yield db_path
        return
    server = request.getfixturevalue("pg_server")
    name = server.new_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def store(db, clock: FakeClock):
    with Store.open(db, clock=clock) as opened:
        yield opened
