"""Fixtures of the interoperability tests: a real store in tmp_path with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.store import Store
from tests.interop.helpers import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "screening.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path, clock=FakeClock()) as opened:
        yield opened
