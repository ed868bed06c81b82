"""After a real kiosk session and a backup, a stolen disk gives nothing away: no name,
phone or e-mail in the database, its WAL or the backup, and plain sqlite3 reads none."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from screening_app.store.cipher import PLAIN_HEADER
from tests.ui.kiosk_driver import Driver

PERSON = {"first_name": "Quetzalina", "last_name": "Vondrakova",
          "phone": "+1 (555) 867-5309", "email": "qv.private@example.net"}
NEEDLES = ("Quetzalina", "Vondrakova", "867-5309", "8675309", "qv.private@example.net")


def assert_no_needle(path: Path) -> None:
    data = path.read_bytes()
    assert data and not data.startswith(PLAIN_HEADER)
    for needle in NEEDLES:
        for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
            assert encoded not in data, f"{needle!r} in {path.name}"


def assert_plain_sqlite_cannot_read(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def test_a_kiosk_session_and_its_backup_are_unreadable_without_the_key(qtbot, kiosk, store,
                                                                       complete, db_path,
                                                                       tmp_path):
    person = Driver(qtbot, kiosk)
    person.start("en")
    answers = {**{p: v for p, v in complete.items() if p not in {"signature", "signer_name"}},
               **PERSON}
    while not kiosk.flow.in_review:
        person.fill_step(answers)
        person.next()
    person.next()
    person.fill_step({k: complete[k] for k in ("consent_contact", "consent_records",
                                               "attest_true")})
    person.sign("signature")
    sid = kiosk.controller.submission_id
    person.next()
    assert kiosk.current_page() is kiosk.thanks_page
    assert store.answers(sid)["email"] == PERSON["email"]  # it was all stored

    wal = Path(f"{db_path}-wal")
    assert wal.stat().st_size > 0  # the session is (at least partly) still in the WAL
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copyfile(db_path, stolen / "kiosk.db")
    shutil.copyfile(wal, stolen / "kiosk.db-wal")
    backup = store.backup(tmp_path / "backup.db")
    for path in (wal, db_path, stolen / "kiosk.db-wal", stolen / "kiosk.db", backup):
        assert_no_needle(path)
    # Plain sqlite3 only on the copies: closing it folds (and removes) a WAL beside the file.
    for path in (stolen / "kiosk.db", backup):
        assert_plain_sqlite_cannot_read(path)
