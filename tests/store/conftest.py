"""Fixtures for the storage tests: real SQLite files in tmp_path, a controllable clock."""

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


@pytest.fixture
def store(db_path: Path, clock: FakeClock):
    with Store.open(db_path, clock=clock) as opened:
        yield opened
