"""Fixtures for the PDF tests: a real store in tmp_path with a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.store import Store
from tests.export.helpers import FakeClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "screening.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path, clock=FakeClock()) as opened:
        opened.set_setting("clinic_name", "Example Neurology Clinic", actor="test")
        opened.set_setting("study_name", "MSC infusion in MS", actor="test")
        yield opened
