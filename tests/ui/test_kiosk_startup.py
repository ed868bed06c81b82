"""The kiosk's start: the welcome page is painted first and the store opened just after it
(ui/app.py run_kiosk_on_file, KioskWindow.open_store). Nothing can be started, resumed
or answered before the store is open and checked; a store that cannot be used is said
as it was when it was opened before any window; what else waited for the first paint
(the clinic's name, leftover temporary files) comes right after it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from screening_app import errorlog, files
from screening_app.store import Store, StoreError
from screening_app.store.errors import REFUSED_AS_INPUT
from tests.shared import TODAY
from ui.app import open_database, run_app
from ui.kiosk.window import KioskWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staffed_db(tmp_path):
    db = tmp_path / "kiosk.db"
    with Store.open(db) as store:
        store.create_user("coordinator", "Coordinator", "coordinator", "246810")
        store.set_setting("clinic_name", "Clínica Norte", actor="coordinator")
    return db


@pytest.fixture
def late_kiosk(qtbot, staffed_db, shipped):
    """A kiosk whose store opens after its first paint, as main.py --kiosk makes it."""
    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(open_database(staffed_db, kiosk=True))
        return opened[-1]

    window = KioskWindow(None, open_store=open_store, questionnaire_loader=lambda: shipped,
                         voice_engine="mock")
    window.resize(1280, 800)
    yield window, opened
    window.shutdown()
    window.deleteLater()
    for store in opened:
        store.close()


def drafts(db) -> int:
    with Store.open(db, existing=True) as store:
        return len(store.list_submissions())


def test_start_and_continue_wait_for_the_store_opened_after_the_first_paint(qtbot, late_kiosk,
                                                                             staffed_db):
    window, opened = late_kiosk
    window.show()  # not yet painted: the store is not open
    assert not window.store_open and opened == []
    window.welcome.start.click()
    window.welcome.resume.click()
    assert window.current_page() is window.welcome and window.controller.session is None
    assert window.welcome.clinic.text() == ""  # no setting is read before the store is open
    qtbot.waitUntil(lambda: window.store_open, timeout=10_000)  # once painted
    assert len(opened) == 1 and window.controller.store is opened[0]
    assert drafts(staffed_db) == 0  # the early taps started nothing
    assert window.welcome.clinic.text() == "Clínica Norte"
    assert window.top_bar.name.text() == "Clínica Norte"
    window.welcome.start.click()
    assert window.current_page() is window.flow_page and window.controller.session is not None
    assert drafts(staffed_db) == 1


def test_the_staff_exit_before_the_store_is_open_is_refused_in_words(qtbot, late_kiosk):
    window, _opened = late_kiosk
    window.open_staff_exit()
    window._staff_exit("coordinator", "246810")
    assert window.current_page() is window.staff_page and not window.store_open
    assert window.staff_page.status.message() == window.t("kiosk.staff.unavailable")


def broken_databases(tmp_path):
    no_staff = tmp_path / "no-staff.db"
    Store.open(no_staff).close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    return {"no staff": no_staff, "junk": junk, "missing": tmp_path / "typo" / "kiosk.db"}


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
@pytest.mark.parametrize("case", ["no staff", "junk", "missing"])
def test_a_store_that_cannot_be_used_is_said_as_before_and_nothing_starts(qtbot, tmp_path, capsys,
                                                                           case):
    """The words of the StoreError the store gives (what ui/app.py said before any window
    when it opened the store first), in a message box and on the command line, and the
    same exit code; the kiosk window is gone before the message shows."""
    db = broken_databases(tmp_path)[case]
    with pytest.raises(StoreError) as expected:
        open_database(db, kiosk=True)
    shown: list[tuple[str, list]] = []

    def close_the_message() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close_the_message)
            return
        kiosks = [w for w in QApplication.topLevelWidgets()
                  if isinstance(w, KioskWindow) and w.isVisible()]
        shown.append((box.text(), kiosks))
        box.close()

    QTimer.singleShot(20, close_the_message)
    code = run_app(["--kiosk", "--db", str(db)])
    assert code == (2 if expected.value.code in REFUSED_AS_INPUT else 1)
    assert shown == [(expected.value.message, [])]
    assert f"error: {expected.value.message}" in capsys.readouterr().err
    if case == "missing":
        assert not db.parent.exists()  # the kiosk never makes a database


def test_leftover_temporary_files_go_once_the_welcome_page_is_painted(qtbot, late_kiosk, tmp_path):
    """main.py no longer removes them before the kiosk's window: the kiosk does, just after."""
    leftover = tmp_path / f".summary.pdf.{'a1' * 6}{files.TEMP_SUFFIX}"
    leftover.write_bytes(b"half a PDF of a killed export")
    folder = files.pending_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "killed.note").write_bytes(os.fsencode(str(leftover)))
    window, _opened = late_kiosk
    window.show()
    assert leftover.exists()
    qtbot.waitUntil(lambda: not leftover.exists(), timeout=20_000)
    assert not (folder / "killed.note").exists()


def test_only_the_welcome_page_is_made_before_the_first_paint_and_the_rest_just_after(qtbot,
                                                                                       late_kiosk):
    window, _opened = late_kiosk
    assert window.pages == (window.welcome,)
    assert window.stack.count() == 1
    window.show()
    qtbot.waitUntil(lambda: window.controller._questionnaire is not None, timeout=20_000)
    assert len(window.pages) == 7 and window.stack.count() == 7
    # Made after the store opened: the thank-you page names the clinic's setting.
    assert window.thanks_page.title.text() == window.t("kiosk.thanks.title")
    days = window.controller.contact_days()
    assert window.thanks_page.contact.text() == window.t.plural("kiosk.thanks.contact", days)


def test_a_page_asked_for_before_the_warm_up_is_made_once_wired_and_worded(qtbot, kiosk):
    page = kiosk.break_page
    assert kiosk.break_page is page and kiosk.stack.indexOf(page) >= 0
    assert page.title.text() == kiosk.t("kiosk.break.title")
    kiosk.show_break("ABCD-EFGH")
    page.finish.click()
    assert kiosk.current_page() is kiosk.welcome


def logged() -> str:
    log = errorlog.log_file()
    return log.read_text(encoding="utf-8") if log.exists() else ""


def damage_a_page_of_answers(db) -> int:
    """Change one byte in the page where the `answers` table starts (its root page) of an
    encrypted file: SQLCipher's HMAC of that page no longer matches. The kiosk's own reads
    at start (the schema, its staff, its settings) never touch that page, so only the
    integrity check can catch it. Returns the page's number."""
    with Store.open(db, existing=True) as store:
        assert store.encrypted
        page_size = int(store._conn.execute("PRAGMA page_size").fetchone()[0])
        page = int(store._conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'answers'").fetchone()[0])
    assert not Path(f"{db}-wal").exists()  # closed: every page is in the file itself
    with open(db, "r+b") as file:
        file.seek((page - 1) * page_size + page_size // 2)
        byte = file.read(1)
        file.seek(-1, os.SEEK_CUR)
        file.write(bytes([byte[0] ^ 0xFF]))
    return page


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_a_damaged_encrypted_database_is_refused_with_the_restore_instructions(
        qtbot, staffed_db, shipped, tmp_path, capsys):
    """Issue 12: the kiosk runs quick_check when it opens a file and refuses a damaged one
    with the restore instructions, exit 2 (docs/storage.md, "Exit codes": a refusal of the
    file given), before anything is written to it. Started as main.py starts it."""
    with Store.open(staffed_db, existing=True) as store:
        store.import_submission(shipped, {"first_name": "Ana", "last_name": "Ejemplo"},
                                "desk", today=TODAY)
    damage_a_page_of_answers(staffed_db)
    # Without the check the damage goes unseen: a copy opens and its staff are read.
    unchecked = tmp_path / "copy" / staffed_db.name
    unchecked.parent.mkdir()
    shutil.copyfile(staffed_db, unchecked)
    with Store.open(unchecked, existing=True, check=False) as store:
        assert store.has_staff()
    before = hashlib.sha256(staffed_db.read_bytes()).hexdigest()
    folder_before = sorted(p.name for p in staffed_db.parent.iterdir())
    logged_before = logged()
    shown: list[tuple[str, list]] = []

    def close_the_message() -> None:  # the message box runs its own loop; read it, close it
        box = QApplication.activeModalWidget()
        kiosks = [w for w in QApplication.topLevelWidgets()
                  if isinstance(w, KioskWindow) and w.isVisible()]
        if box is None:
            if any(kiosk.store_open for kiosk in kiosks):  # it took the file: no box will come
                QApplication.exit(99)
                return
            QTimer.singleShot(20, close_the_message)
            return
        shown.append((box.text(), kiosks))
        box.close()

    from main import main

    QTimer.singleShot(20, close_the_message)
    code = main(["--kiosk", "--db", str(staffed_db)])
    err = capsys.readouterr().err
    words = (f"The database at {staffed_db} is damaged: its integrity check failed, so nothing "
             "was written to it. Restore the newest backup: close every window of the app, "
             "move this file aside (keep it), copy the backup in its place and start again "
             "(README, \"Restoring a backup\").")
    assert code == 2
    assert shown == [(words, [])]  # said once, and no kiosk window is left behind it
    assert f"error: {words}" in err.splitlines()
    assert "Traceback" not in err
    assert logged() == logged_before  # no bug logged either (the kiosk logs those)
    assert hashlib.sha256(staffed_db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in staffed_db.parent.iterdir()) == folder_before  # no -wal left


# What the welcome page is painted without (issue 17: each of these cost the first paint
# milliseconds that a person waits for): the questionnaire model and its expression
# language, the Store and SQLite, PyYAML (the translation cache has the texts),
# platformdirs, OpenSSL's hashes. Each comes just after the first paint.
NOT_BEFORE_THE_FIRST_PAINT = ("yaml", "platformdirs", "screening_app.engine.definition",
                              "screening_app.store.service", "sqlite_utils", "sqlcipher3",
                              "hashlib")

MODULES_AT_PAINT = """\
import sys
from ui.kiosk.window import KioskWindow
stamp = KioskWindow._stamp
def noted(window, moment):
    if moment == "painted":
        print("modules", " ".join(sorted(sys.modules)), flush=True)
    stamp(window, moment)
KioskWindow._stamp = noted
from ui.app import run_app
sys.exit(run_app(["--kiosk", "--db", sys.argv[1]]))
"""


def modules_at_the_first_paint(db, cache) -> set[str]:
    """The modules loaded when the kiosk's welcome page has been painted, in a fresh
    process started as main.py --kiosk starts it (the benchmark's exit once ready)."""
    env = {**os.environ, "KIOSK_BENCH_EXIT": "1", "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, "-c", MODULES_AT_PAINT, str(db)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("modules ")]
    assert len(lines) == 1, out.stdout
    return set(lines[0].split()[1:])


def test_the_welcome_page_is_painted_before_the_store_the_questionnaire_and_yaml(staffed_db,
                                                                                   tmp_path):
    cache = tmp_path / "cache"
    first = modules_at_the_first_paint(staffed_db, cache)
    assert "yaml" in first  # a first start reads the translation files (and keeps them)
    again = modules_at_the_first_paint(staffed_db, cache)
    assert "ui.kiosk.pages.welcome" in again
    assert sorted(again & set(NOT_BEFORE_THE_FIRST_PAINT)) == []
