"""Fixtures of the desk tests: a real database file (empty or seeded with demo data), a
temporary QSettings file, answering dialogs, and the real desk window, offscreen."""

from __future__ import annotations

import contextlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from screening_app.demo import DEMO_PIN, seed_demo
from screening_app.i18n import Translator
from screening_app.store import Store
from ui.dialogs import ScriptedDialogs

SEED_COUNT = 80
BIG_COUNT = 2500  # more rows than the list reads at once (pages of 200)
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _seeded(folder: Path, count: int, seed: int) -> Path:
    path = folder / "demo.db"
    with Store.open(path) as store:
        seed_demo(store, count, seed=seed, now=NOW)
    return path


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """One demo database for the session; each test gets its own copy."""
    return _seeded(tmp_path_factory.mktemp("desk-template"), SEED_COUNT, 3)


@pytest.fixture(scope="session")
def big_template(tmp_path_factory) -> Path:
    return _seeded(tmp_path_factory.mktemp("desk-big"), BIG_COUNT, 5)


@pytest.fixture
def big_store(big_template: Path, tmp_path: Path):
    target = tmp_path / "big.db"
    shutil.copyfile(big_template, target)
    with Store.open(target) as store:
        yield store


@pytest.fixture
def seeded_db(seeded_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "desk.db"
    shutil.copyfile(seeded_template, target)
    return target


@pytest.fixture
def seeded_store(seeded_db: Path):
    with Store.open(seeded_db) as store:
        yield store


@pytest.fixture
def empty_store(tmp_path: Path):
    with Store.open(tmp_path / "empty.db") as store:
        yield store


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs(strict=True)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk-settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_desk(qtbot, dialogs, settings, shipped):
    """Build the real desk window on a store; closed (threads stopped) at the end."""
    from ui.desk.window import DeskWindow

    windows = []

    def build(store: Store, lang: str = "en", real_dialogs=None) -> DeskWindow:
        """`real_dialogs`: a QtDialogs (message boxes that run their own loop) instead of
        the scripted answers."""
        window = DeskWindow(store, real_dialogs or dialogs, settings, Translator(lang),
                            questionnaire_loader=lambda: shipped)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()
        window.deleteLater()
    qtbot.wait(10)  # let the deletions happen while the test's objects are still alive


@contextlib.contextmanager
def demo_on_server(server, count: int):
    """A new database on `server` (tests/pg_server.py) with `count` demo submissions and
    the demo accounts; its station address, dropped afterwards."""
    name = server.new_database()
    url = server.url(name)
    with Store.open(url) as store:
        seed_demo(store, count, seed=3, now=NOW)
    try:
        yield url
    finally:
        server.drop_database(name)


def sign_in(qtbot, window, username: str = "demo-coordinator", pin: str = DEMO_PIN) -> None:
    page = window.sign_in_page
    page.username.setText(username)
    page.secret.setText(pin)
    page.button.click()
    assert window.workspace is not None, page.message.text()
    wait_list(qtbot, window)


def wait_list(qtbot, window) -> None:
    """Until the work list shows the current query (count and first page)."""
    model = window.workspace.worklist.model
    page = window.workspace.worklist
    page.apply_filters()
    qtbot.waitUntil(lambda: not model.loading, timeout=5000)


def pytest_collection_modifyitems(items):
    """The offscreen platform cannot pass a window's size limits on and says so each time a
    layout changes them; on a real desktop that is routine, so it is not a failure here."""
    for item in items:
        if "tests/ui/desk/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))
