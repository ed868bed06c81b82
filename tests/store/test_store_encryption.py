"""Encrypted at rest: the database, its WAL and its backups are SQLCipher files that plain
sqlite3 cannot read; the key is found where it is kept; a wrong or missing key says so."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from store_helpers import COMPLETE_SMALL

from screening_app.store import Store, StoreError, keys
from screening_app.store.cipher import PLAIN_HEADER, WrongKey
from screening_app.store.errors import ErrorCode
from screening_app.store.migrations import MIGRATIONS, migrate

ROOT = Path(__file__).resolve().parents[2]
WRONG_KEY_WORDS = "This database is encrypted; the key on this computer does not open it"
SECRETS = ("Quetzalina", "Vondrakova", "8675309")


@pytest.fixture(autouse=True)
def fresh_key_cache():
    keys.forget_cached_keys()
    yield
    keys.forget_cached_keys()


def use_key(monkeypatch, path: Path) -> None:
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(path))
    keys.forget_cached_keys()


def fill(store: Store, questionnaire) -> int:
    sid = store.start_submission(questionnaire, "en", actor="kiosk")
    store.save_answers(sid, {**COMPLETE_SMALL, "first_name": "Quetzalina",
                             "last_name": "Vondrakova", "phone": "+1 555 867 5309"},
                       actor="kiosk")
    return sid


def assert_unreadable(path: Path) -> None:
    data = path.read_bytes()
    assert data and not data.startswith(PLAIN_HEADER)
    for secret in SECRETS:
        assert secret.encode() not in data, f"{secret} readable in {path.name}"
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def test_database_wal_and_backup_hold_no_readable_answer(tmp_path, small_questionnaire):
    db = tmp_path / "screening.db"
    with Store.open(db) as store:
        fill(store, small_questionnaire)
        wal = Path(f"{db}-wal")
        assert wal.stat().st_size > 0  # the answers are in the WAL now, not yet in the file
        for secret in SECRETS:
            assert secret.encode() not in wal.read_bytes()
        frozen = tmp_path / "frozen"  # the file and its WAL as a thief would copy them
        frozen.mkdir()
        shutil.copyfile(db, frozen / "screening.db")
        shutil.copyfile(wal, frozen / "screening.db-wal")
        backup = store.backup(tmp_path / "backups" / "copy.db")
    assert_unreadable(frozen / "screening.db")
    assert_unreadable(db)
    assert_unreadable(backup)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with Store.open(backup) as restored:  # the same key opens the backup
        assert restored.encrypted and restored.count_submissions() == 1


@pytest.mark.parametrize("key_file", ["other computer", "none at all"])
def test_a_wrong_or_missing_key_says_so_and_changes_nothing(tmp_path, monkeypatch,
                                                            small_questionnaire, key_file):
    db = tmp_path / "screening.db"
    with Store.open(db) as store:
        fill(store, small_questionnaire)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    if key_file == "other computer":
        other = tmp_path / "other.key"
        keys.write_key_file(other, os.urandom(32))
        use_key(monkeypatch, other)
    else:  # no key file named, none in the config folder, no credential store
        monkeypatch.delenv(keys.KEY_FILE_ENV)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty-config"))
        keys.forget_cached_keys()
    with pytest.raises(WrongKey) as caught:
        Store.open(db)
    assert caught.value.code is ErrorCode.WRONG_KEY
    assert caught.value.message.startswith(WRONG_KEY_WORDS)
    assert "damaged" not in caught.value.message
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("screening")) == [
        "screening.db"]
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr  # the file given: refused
    assert WRONG_KEY_WORDS in done.stderr and "damaged" not in done.stderr


@pytest.mark.parametrize("named", ["a typo", "/dev/urandom", "a pipe", "100 MB", "a folder"])
def test_a_key_file_named_that_is_no_key_file_says_so_at_once(tmp_path, small_questionnaire,
                                                              named):
    """`--key-file` naming no file said "the key on this computer does not open it" (start
    with --key-file, it went on); /dev/urandom was read for ever, and a pipe blocked."""
    db = tmp_path / "screening.db"
    with Store.open(db) as store:
        fill(store, small_questionnaire)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    path = {"a typo": str(tmp_path / "clinic.kye"), "/dev/urandom": "/dev/urandom",
            "a pipe": str(tmp_path / "pipe"), "100 MB": str(tmp_path / "big.key"),
            "a folder": str(tmp_path)}[named]
    if named == "a pipe":
        os.mkfifo(path)
    if named == "100 MB":
        with open(path, "wb") as file:
            file.truncate(100 * 1024 * 1024)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db),
                           "--key-file", path], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    words = "There is no key file at" if named == "a typo" else "cannot be read or is not a key"
    assert words in done.stderr and path in done.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not Path(tmp_path / "clinic.kye").exists()  # no key made while opening


def test_a_backup_moves_to_another_computer_with_its_key_file(tmp_path, monkeypatch,
                                                              small_questionnaire):
    """The README's restore section, step by step, with processes."""
    with Store.open(tmp_path / "clinic.db") as store:
        fill(store, small_questionnaire)
        store.backup(tmp_path / "usb" / "backup.db")
    shutil.copyfile(keys.chosen_key_file(), tmp_path / "usb" / "clinic.key")
    new_computer = tmp_path / "new"
    new_computer.mkdir()
    shutil.copyfile(tmp_path / "usb" / "backup.db", new_computer / "screening.db")
    env = {**os.environ, keys.KEY_FILE_ENV: str(tmp_path / "new-computer.key")}
    keys.write_key_file(tmp_path / "new-computer.key", os.urandom(32))  # its own key
    argv = [sys.executable, str(ROOT / "main.py"), "list", "--db",
            str(new_computer / "screening.db")]
    refused = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env,
                             timeout=60)
    assert refused.returncode == 2 and WRONG_KEY_WORDS in refused.stderr
    opened = subprocess.run([*argv, "--key-file", str(tmp_path / "usb" / "clinic.key")],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert opened.returncode == 0, opened.stderr
    assert "Quetzalina Vondrakova" in opened.stdout


def test_a_new_key_is_made_once_0600_in_the_config_folder_without_a_credential_store(
        tmp_path, monkeypatch, small_questionnaire):
    monkeypatch.delenv(keys.KEY_FILE_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    keys.forget_cached_keys()
    expected = tmp_path / "config" / "msc-screening" / "database.key"
    assert keys.default_key_file() == expected and keys.find_key() is None
    with Store.open(tmp_path / "a.db") as store:
        fill(store, small_questionnaire)
    text = expected.read_text()
    assert len(text.strip()) == 64 and stat.S_IMODE(expected.stat().st_mode) == 0o600
    assert stat.S_IMODE(expected.parent.stat().st_mode) == 0o700
    with Store.open(tmp_path / "b.db"):  # a second database: the same key, not a new one
        pass
    assert expected.read_text() == text
    keys.forget_cached_keys()
    with Store.open(tmp_path / "a.db") as again:
        assert again.count_submissions() == 1


def test_the_key_goes_to_the_credential_store_when_there_is_one(tmp_path, monkeypatch,
                                                                small_questionnaire):
    """No OS credential store runs here, so a minimal keyring backend stands in for one;
    what is tested is that the app uses keyring's API and then writes no key file."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        stored: ClassVar[dict] = {}

        def get_password(self, service, username):
            return self.stored.get((service, username))

        def set_password(self, service, username, password):
            self.stored[(service, username)] = password

        def delete_password(self, service, username):
            self.stored.pop((service, username), None)

    monkeypatch.delenv(keys.KEY_FILE_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        keys.forget_cached_keys()
        with Store.open(tmp_path / "a.db") as store:
            fill(store, small_questionnaire)
        assert keys.parse_key(MemoryKeyring.stored[("msc-screening", "database-key")])
        assert not (tmp_path / "config").exists()
        keys.forget_cached_keys()
        with Store.open(tmp_path / "a.db") as again:
            assert again.count_submissions() == 1
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("content", ["", "not a key\n", "ab" * 31, "zz" * 32])
def test_a_bad_key_file_is_a_clear_message(tmp_path, monkeypatch, content):
    key_file = tmp_path / "bad.key"
    key_file.write_text(content)
    use_key(monkeypatch, key_file)
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "new.db")
    assert caught.value.code is ErrorCode.KEY_FILE_UNREADABLE
    assert not (tmp_path / "new.db").exists()


def make_plain_database(path: Path, store_questionnaire) -> None:
    """A database as the versions before encryption wrote it: plain SQLite, WAL."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, lambda: "2026-01-01T00:00:00+00:00", MIGRATIONS[:2])
    finally:
        conn.close()
    with Store.open(path) as store:  # it opens (and is migrated) as it is
        assert not store.encrypted
        fill(store, store_questionnaire)


def test_encrypt_database_converts_a_plain_one_checked(tmp_path, small_questionnaire):
    db = tmp_path / "old.db"
    make_plain_database(db, small_questionnaire)
    assert b"Quetzalina" in db.read_bytes()
    with Store.open(db) as store:
        counts = store.count_submissions(), store.verify_audit()
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "encrypt-database", "--db",
                           str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "audit trail intact" in done.stdout and "Traceback" not in done.stderr
    assert_unreadable(db)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["old.db"]  # no plain copy, no leftovers
    with Store.open(db) as store:
        assert store.encrypted
        assert (store.count_submissions(), store.verify_audit()) == counts
    again = subprocess.run([sys.executable, str(ROOT / "main.py"), "encrypt-database", "--db",
                            str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert again.returncode == 0 and "already encrypted" in again.stdout


def test_a_plain_database_opens_with_a_warning_on_the_command_line(tmp_path,
                                                                   small_questionnaire):
    db = tmp_path / "old.db"
    make_plain_database(db, small_questionnaire)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and "Quetzalina" in done.stdout
    assert f"python main.py encrypt-database --db {db}" in done.stderr


def test_encrypt_database_refuses_while_the_app_has_the_file_open(tmp_path,
                                                                  small_questionnaire):
    db = tmp_path / "old.db"
    make_plain_database(db, small_questionnaire)
    with Store.open(db) as running_desk:
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "encrypt-database",
                               "--db", str(db)], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
        assert done.returncode == 1 and "Close every window" in done.stderr
        assert running_desk.count_submissions() == 1
    assert db.read_bytes().startswith(PLAIN_HEADER)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_encrypt_database_leaves_the_plain_file_whole(tmp_path, small_questionnaire):
    import signal
    import time

    from screening_app.files import TEMP_SUFFIX

    db = tmp_path / "old.db"
    make_plain_database(db, small_questionnaire)
    with Store.open(db) as store:  # big enough that the export takes a moment
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answers(sid, {f"treatments[{i}].drug": "x" * 3000 for i in range(3000)},
                           actor="kiosk")
        expected = store.answers(sid)
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "encrypt-database",
                              "--db", str(db)], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(TEMP_SUFFIX) and p.stat().st_size > 0
                      for p in tmp_path.iterdir()):
            assert child.poll() is None, "the export ended before it could be caught"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        os.kill(child.pid, signal.SIGKILL)  # mid-export: the copy is being written
    finally:
        child.wait(timeout=30)
    assert db.read_bytes().startswith(PLAIN_HEADER)
    # The next start removes the half-written copy, and the plain file is all there.
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "verify-audit", "--db",
                           str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.db"]
    with Store.open(db) as store:
        assert not store.encrypted and store.answers(sid) == expected


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL")
def test_killed_backups_leave_nothing_after_the_next_start(tmp_path, small_questionnaire):
    """Seen: 5 killed backups left .tmp and -journal files (2.5 GB). Each is killed while
    its copy is being written; the next start of any command removes the app's own
    temporary files (and their -journal), and nothing else."""
    import signal
    import time

    from screening_app.files import TEMP_SUFFIX

    db = tmp_path / "screening.db"
    with Store.open(db) as store:  # a few MB, so the copy takes a moment
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answers(sid, {f"treatments[{i}].drug": os.urandom(1500).hex()
                                 for i in range(3000)}, actor="kiosk")
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "notes.tmp").write_text("somebody else's file")  # not ours: kept
    caught = 0
    for _ in range(5):
        child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "backup", "--db",
                                  str(db), "--out", str(backups / "copy.db")], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while child.poll() is None and time.monotonic() < deadline:
                if any(p.name.endswith(TEMP_SUFFIX) and p.stat().st_size > 0
                       for p in backups.iterdir()):
                    os.kill(child.pid, signal.SIGKILL)
                    caught += 1
                    break
                time.sleep(0.002)
        finally:
            child.wait(timeout=30)
    assert caught >= 3, "the backups should mostly have been killed mid-copy"
    assert any(p.name.endswith(TEMP_SUFFIX) for p in backups.iterdir())
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    left = sorted(p.name for p in backups.iterdir())
    assert left in (["notes.tmp"], ["copy.db", "notes.tmp"])  # a backup that finished stays
