"""Fixtures of the UI tests: a real store file per test and the real kiosk window, offscreen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.engine.answers import flatten_answers
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
from screening_app.store import Store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def shipped() -> Questionnaire:
    return load_questionnaire(shipped_questionnaire_path())


@pytest.fixture(scope="session")
def complete(shipped) -> dict:
    """The sample answers, flat (`treatments[0].drug`), as a person would give them."""
    raw = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    return flatten_answers(shipped, raw)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.db"


@pytest.fixture
def store(db_path: Path, shipped):
    with Store.open(db_path) as opened:
        opened.create_user("coordinator", "Coordinator", "coordinator", "246810")
        yield opened


@pytest.fixture
def make_kiosk(qtbot, store, shipped):
    """Build a kiosk window (short timers by default) that is closed for real at the end."""
    windows = []

    def build(**options):
        from ui.kiosk.window import KioskWindow

        settings = {"questionnaire_loader": lambda: shipped, "idle_seconds": 600,
                    "thanks_seconds": 600, "save_delay_ms": 30,
                    # Qt's own test engine: it speaks English (and Nordic languages) without
                    # a sound; tests of the machine's voices name no engine.
                    "voice_engine": "mock", **options}
        window = KioskWindow(store, **settings)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        # As a person finds it: warmed up after its first paint, the voice known (the steps
        # then offer "Read aloud"; a test that taps Start sooner raced the voice's thread).
        qtbot.waitUntil(lambda: window.voice.known, timeout=30_000)
        return window

    yield build
    for window in windows:
        window.shutdown()
        window.deleteLater()


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk()


@pytest.fixture
def make_kiosk_on(qtbot, shipped):
    """The real kiosk on a server database, a person at it (closed at the end)."""
    from tests.ui.kiosk_driver import Driver
    from ui.kiosk.window import KioskWindow

    made = []

    def build(url: str):
        store = Store.open(url)
        window = KioskWindow(store, questionnaire_loader=lambda: shipped, idle_seconds=600,
                             thanks_seconds=600, save_delay_ms=30)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        made.append((window, store))
        return window, Driver(qtbot, window), store

    yield build
    for window, store in made:
        window.shutdown()
        window.deleteLater()
        store.close()
