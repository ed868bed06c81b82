"""The right database, and a sound one: nothing makes a database by accident, files that
are not ours are refused untouched, a damaged or tampered file is refused before a write."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import FIXTURES, raw

from screening_app.store import DatabaseDamaged, Store, StoreError
from screening_app.store.errors import ErrorCode
from screening_app.store.target import database_target, describe
from ui.app import open_database

ROOT = Path(__file__).resolve().parents[2]


def main_py(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# -- the kiosk and the desk --------------------------------------------------------------


def test_the_kiosk_never_makes_a_database(tmp_path):
    missing = tmp_path / "typo" / "screenig.db"
    with pytest.raises(StoreError) as caught:
        open_database(missing, kiosk=True)
    assert caught.value.code is ErrorCode.NO_DATABASE
    assert not missing.parent.exists()


@pytest.mark.parametrize("users", [[], [("dr", "clinician")], [("admin", "admin"),
                                                                ("amy", "coordinator")]])
def test_the_kiosk_needs_an_enabled_coordinator_or_administrator(db, users):
    """On a server too: its connect window says it and tries again (ui/connect.py)."""
    with Store.open(db) as store:
        for name, role in users:
            store.create_user(name, name, role, "24681357")
        if users and users[0][1] == "admin":
            store.set_user_disabled("amy", True, actor="admin")
    target = database_target(str(db))
    staffed = any(role == "admin" for _, role in users)
    if staffed:
        open_database(target, kiosk=True).close()
        return
    with pytest.raises(StoreError) as caught:
        open_database(target, kiosk=True)
    assert caught.value.code is ErrorCode.NO_STAFF and describe(target) in caught.value.message


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_kiosk_app_says_why_and_exits_2(qtbot, tmp_path, capsys):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import run_app

    def close_the_message() -> None:  # the message box runs its own loop; read it, close it
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close_the_message)
            return
        shown.append(box.text())
        box.close()

    db = tmp_path / "empty-clinic.db"
    Store.open(db).close()  # a database with no users at all
    shown: list[str] = []
    QTimer.singleShot(20, close_the_message)
    assert run_app(["--kiosk", "--db", str(db)]) == 2
    assert "no enabled coordinator or administrator" in shown[0]
    assert "no enabled coordinator or administrator" in capsys.readouterr().err


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_desk_makes_a_database_only_when_asked_on_its_first_run_screen(qtbot, tmp_path):
    from PySide6.QtWidgets import QDialog

    from screening_app.i18n import Translator
    from ui.desk.new_database import NewDatabaseDialog

    missing = tmp_path / "clinic" / "screening.db"
    assert open_database(missing, kiosk=False, confirm_new=lambda path: False) is None
    assert not missing.parent.exists()
    dialog = NewDatabaseDialog(missing, Translator("en"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path_label.text() == str(missing)  # it shows where
    assert dialog.quit.isDefault()  # Enter does not make a database
    dialog.quit.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    dialog.open()
    dialog.create.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    asked = []
    store = open_database(missing, kiosk=False, confirm_new=lambda path: asked.append(path) or True)
    with store:
        assert asked == [missing] and store.encrypted and not store.has_users()


@pytest.mark.parametrize("command", ["import-responses", "demo"])
def test_commands_that_may_make_a_database_say_so_first(tmp_path, command):
    db = tmp_path / "new" / "screening.db"
    argv = ([command, str(FIXTURES / "complete_answers.json")] if command == "import-responses"
            else [command, "--count", "3"])
    done = main_py(*argv, "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert f"Created a new database at {db}" in done.stderr
    again = main_py(*argv, "--db", str(db), *(["--allow-duplicates"] if command ==
                                               "import-responses" else []))
    assert again.returncode == 0 and "Created" not in again.stderr


# -- files that are not ours -------------------------------------------------------------


def test_an_empty_file_is_refused_untouched(tmp_path):
    db = tmp_path / "screening.db"
    db.touch()
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(db)
    assert caught.value.code is ErrorCode.EMPTY_FILE
    done = main_py("import-responses", str(FIXTURES / "complete_answers.json"), "--db", str(db))
    assert done.returncode == 2 and "is empty" in done.stderr and "Traceback" not in done.stderr
    assert db.stat().st_size == 0 and siblings(db) == ["screening.db"]


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    db = tmp_path / "photos.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
    conn.commit()
    conn.close()
    before = digest(db)
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(db)
    assert caught.value.code is ErrorCode.NOT_OURS
    done = main_py("import-responses", str(FIXTURES / "complete_answers.json"), "--db", str(db))
    assert done.returncode == 2 and "another program" in done.stderr
    assert digest(db) == before and siblings(db) == ["photos.db"]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched
    finally:
        conn.close()


@pytest.mark.parametrize(("size", "words"), [(8192, "the key on this computer does not open it"),
                                            (5000, "not a database of this app")])
def test_random_bytes_are_refused_untouched(tmp_path, size, words):
    db = tmp_path / "screening.db"
    db.write_bytes(os.urandom(size))
    before = digest(db)
    with pytest.raises(StoreError, match=words):
        Store.open(db)
    assert digest(db) == before and siblings(db) == ["screening.db"]


# -- a damaged or tampered database ------------------------------------------------------


def responses(count: int) -> list[dict]:
    complete = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    return [{**complete, "last_name": f"Ejemplo{i}"} for i in range(count)]


def test_8_kb_of_random_bytes_are_caught_before_1000_imports_are_accepted(tmp_path):
    db = tmp_path / "screening.db"
    first = tmp_path / "first.json"
    first.write_text(json.dumps(responses(40)), encoding="utf-8")
    assert main_py("import-responses", str(first), "--db", str(db)).returncode == 0
    size = db.stat().st_size
    assert size > 64 * 1024
    with open(db, "r+b") as file:  # 8 KB of noise in the middle of the file
        file.seek(size // 2)
        file.write(os.urandom(8192))
    before = digest(db)
    more = tmp_path / "more.json"
    more.write_text(json.dumps(responses(1000)), encoding="utf-8")
    done = main_py("import-responses", str(more), "--db", str(db))
    assert done.returncode == 2 and "Traceback" not in done.stderr  # the file given: refused
    assert "is damaged" in done.stderr and "Restore the newest backup" in done.stderr
    assert done.stdout == ""  # not one submission accepted
    assert digest(db) == before


def test_a_hand_set_user_version_is_a_clear_refusal(tmp_path, clock):
    db = tmp_path / "screening.db"
    Store.open(db, clock=clock).close()
    conn = raw(db)
    try:
        conn.execute("PRAGMA user_version = 1")
    finally:
        conn.close()
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(db, clock=clock)
    assert caught.value.code is ErrorCode.SCHEMA_MISMATCH
    done = main_py("import-responses", str(FIXTURES / "complete_answers.json"), "--db", str(db))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "schema version was changed outside the app" in done.stderr
    assert "already exists" not in done.stderr
