"""`users` and `settings` from the command line: the PIN never an argument (asked without
echo, or from standard input), every setting checked by the registry, refusals said
plainly with exit 2, every change audited as `cli:<login>`."""

from __future__ import annotations

import io
import json
import os
import pty
import sys
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.i18n import LANGUAGES, catalog
from screening_app.store import ErrorCode, Store, StoreError
from screening_app.store.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse's own refusals
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(db) -> str:
    """The database of each backend (conftest.py), as --db takes it."""
    return str(db)


@pytest.fixture
def admin(capsys, monkeypatch, db) -> str:
    code, _out, err = run(capsys, monkeypatch, "users", "add", "ana", "--role", "admin",
                          "--name", "Ana Núñez", "--pin-stdin", "--db", db, stdin="246813\n")
    assert code == 0, err
    return "ana"


def test_add_list_disable_enable_and_reset(capsys, monkeypatch, db, admin):
    code, out, _ = run(capsys, monkeypatch, "users", "add", "lee", "--name", "Dr Lee", "--role",
                       "clinician", "--pin-stdin", "--db", db, stdin="135790\n")
    assert (code, out) == (0, "added lee (clinician)\n")
    code, out, _ = run(capsys, monkeypatch, "users", "list", "--db", db)
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["USER", "ROLE", "STATE"], ["ana", "admin", "enabled"], ["lee", "clinician", "enabled"]]
    assert out.splitlines()[1].endswith("Ana Núñez")
    assert run(capsys, monkeypatch, "users", "disable", "lee", "--db", db)[0] == 0
    with Store.open(db) as store:
        assert store.get_user("lee").disabled
    assert run(capsys, monkeypatch, "users", "enable", "lee", "--db", db)[0] == 0
    code, _, _ = run(capsys, monkeypatch, "users", "reset-pin", "lee", "--pin-stdin", "--db", db,
                     stdin="975310\n")
    assert code == 0
    with Store.open(db) as store:
        assert not store.get_user("lee").disabled
        assert store.authenticate("lee", "975310").username == "lee"
        actors = {row["actor"] for row in store._rows(
            "SELECT actor FROM audit_log WHERE action IN ('user_created', 'user_disabled',"
            " 'user_enabled', 'secret_reset')")}
    assert actors and all(actor.startswith("cli") for actor in actors)


def test_the_pin_is_never_an_argument(capsys, monkeypatch, db):
    code, _, err = run(capsys, monkeypatch, "users", "add", "kim", "246813", "--db", db)
    assert code == 2 and "unrecognized arguments: 246813" in err
    assert not Path(db).exists()


@pytest.mark.parametrize(("argv", "stdin", "says"), [
    (("users", "add", "kim", "--pin-stdin"), "12\n", "at least"),  # the store's own minimum
    (("users", "add", "kim", "--pin-stdin"), "", "standard input is empty"),
    (("users", "add", "ana", "--pin-stdin"), "975310\n", "already exists"),
    (("users", "add", " ", "--pin-stdin"), "975310\n", "Enter a user name"),
    (("users", "add", "kim", "--role", "superuser", "--pin-stdin"), "975310\n", "invalid choice"),
    (("users", "reset-pin", "nobody", "--pin-stdin"), "975310\n", "no user with that name"),
    (("users", "disable", "ana"), "", "At least one administrator"),
    (("users", "frobnicate"), "", "invalid choice"),
    # Shown on the desk, in the audit trail and on signed PDFs: ESC, BEL and U+202E were taken.
    (("users", "add", "evil\x1b[31mred", "--pin-stdin"), "975310\n", "without control"),
    (("users", "add", "kim", "--name", "Kim \u202eevil\x07", "--pin-stdin"), "975310\n",
     "without control"),
    (("users", "add", "kim", "--name", "Kim\nAdmin", "--pin-stdin"), "975310\n", "one line"),
    (("users", "add", "k" * 65, "--pin-stdin"), "975310\n", "at most 64 characters"),
    (("users", "add", "kim", "--name", "K" * 201, "--pin-stdin"), "975310\n", "at most 200"),
])
def test_refusals_are_said_with_exit_2(capsys, monkeypatch, db, admin, argv, stdin, says):
    code, _out, err = run(capsys, monkeypatch, *argv, "--db", db, stdin=stdin)
    assert code == 2 and says in err and "Traceback" not in err
    with Store.open(db) as store:
        assert [u.username for u in store.list_users()] == ["ana"]


def test_the_pin_is_asked_twice_without_echo(db):
    """Through a real terminal (a pty): the PIN typed never comes back on the screen."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its controlling terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "main.py", "users", "add", "kim", "--db", db])
    seen = b""

    def read_until(prompt: bytes) -> None:
        nonlocal seen
        while prompt not in seen:
            seen += os.read(terminal, 1024)

    read_until(b"New PIN or password: ")
    os.write(terminal, b"864213\n")
    read_until(b"The same again: ")
    os.write(terminal, b"864213\n")
    while True:
        try:
            chunk = os.read(terminal, 1024)
        except OSError:  # the child has gone: the terminal is closed
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert b"added kim (coordinator)" in seen and b"864213" not in seen
    with Store.open(db) as store:
        assert store.authenticate("kim", "864213").username == "kim"


def test_settings_list_get_and_set(capsys, monkeypatch, db, admin):
    code, out, _ = run(capsys, monkeypatch, "settings", "list", "--db", db)
    assert code == 0
    assert [line.split(" = ")[0] for line in out.splitlines()] == list(SETTINGS)
    assert "kiosk_idle_seconds = 180    (30..1800; default 180)" in out
    assert run(capsys, monkeypatch, "settings", "set", "kiosk_idle_seconds", "600",
               "--db", db)[:2] == (0, "kiosk_idle_seconds = 600\n")
    assert run(capsys, monkeypatch, "settings", "set", "clinic_name", "Clínica Norte",
               "--db", db)[0] == 0
    assert run(capsys, monkeypatch, "settings", "get", "clinic_name", "--db", db)[1] == (
        "Clínica Norte\n")
    with Store.open(db) as store:
        assert store.get_setting("kiosk_idle_seconds") == 600
        changes = store._rows("SELECT actor, item, new_value FROM audit_log"
                              " WHERE action = 'setting_changed' ORDER BY id")
    assert [(c["item"], c["new_value"]) for c in changes] == [
        ("kiosk_idle_seconds", "600"), ("clinic_name", '"Clínica Norte"')]
    assert all(c["actor"].startswith("cli") for c in changes)


@pytest.mark.parametrize(("key", "value", "says"), [
    ("kiosk_idle_seconds", "29", "between 30 and 1800"),
    ("kiosk_idle_seconds", "1801", "between 30 and 1800"),
    ("kiosk_idle_seconds", "1e400", "whole number"),
    ("kiosk_idle_seconds", "99999999999999999999", "whole number"),
    ("kiosk_idle_seconds", "sixty", "whole number"),
    ("kiosk_idle_seconds", "", "whole number"),
    ("kiosk_idle_seconds", "٣٠", "whole number"),  # Arabic-Indic digits are not ours
    ("summary_language", "fr", "one of: candidate, en, es"),
    ("clinic_name", "x" * 201, "at most 200"),
    ("clinic_name", "North\x1b[2Jclinic", "control characters"),
    ("clinic_name", "North\u202eclinic", "control characters"),  # a bidi override
    ("clinic_name", "North\ud800", "control characters"),  # a lone surrogate
    ("no_such_setting", "1", "There is no setting called no_such_setting"),
    # The kiosk's thank-you words (issue 17): one line of at most 400 characters.
    ("kiosk_thank_you_en", "x" * 401, "at most 400"),
    ("kiosk_thank_you_es", "Gracias.\nLe llamaremos.", "one line"),
    ("kiosk_thank_you_en", "Thanks\x1b[2J, you qualify", "control characters"),
    ("kiosk_thank_you_es", "Gracias \u202eson 555-0100", "control characters"),
    ("kiosk_thank_you_en", "Thanks\u200b", "control characters"),  # a zero-width space
    ("kiosk_thank_you_en", "Thanks\ud800", "control characters"),
    ("kiosk_thank_you_fr", "Merci", "There is no setting called kiosk_thank_you_fr"),
])
def test_a_wrong_setting_is_refused_and_nothing_changes(capsys, monkeypatch, db, admin, key,
                                                       value, says):
    code, _, err = run(capsys, monkeypatch, "settings", "set", key, value, "--db", db)
    assert code == 2 and says in err and "Traceback" not in err
    with Store.open(db) as store:
        assert store._rows("SELECT * FROM settings") == []


def test_an_unknown_key_is_said_before_any_database_is_needed(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, monkeypatch, "settings", "get", "idle", "--db",
                       str(tmp_path / "none.db"))
    assert code == 2 and "There is no setting called idle. The settings are: clinic_name" in err


def test_settings_need_an_existing_database(capsys, monkeypatch, tmp_path):
    missing = tmp_path / "typo.db"
    code, _, err = run(capsys, monkeypatch, "settings", "list", "--db", str(missing))
    assert code == 2 and "There is no database at" in err and not missing.exists()


def test_a_stored_value_that_no_longer_fits_reads_as_the_default(db, admin):
    with Store.open(db) as store, store._write() as tx:  # as an older version could have left it
        tx.execute("INSERT INTO settings (key, value_json, updated_at, updated_by)"
                   " VALUES ('kiosk_idle_seconds', '5', '2026-01-01T00:00:00+00:00', 'old')")
    with Store.open(db) as store:
        assert store.get_setting("kiosk_idle_seconds") == 180


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_setting_has_its_desk_words(lang):
    texts = catalog(lang)
    for key, spec in SETTINGS.items():
        assert f"desk.settings.{key}" in texts
        if spec.is_number:
            assert f"desk.settings.{key}.suffix" in texts
        for choice in spec.choices:
            assert f"desk.settings.{key}.{choice}" in texts


def test_the_thank_you_words_set_get_list_and_clear(capsys, monkeypatch, db, admin):
    words = "Gracias. María le llamará en dos semanas; ¿preguntas? 555-0100. " * 6
    words = words[:400].strip()
    code, out, err = run(capsys, monkeypatch, "settings", "set", "kiosk_thank_you_es", words,
                         "--db", db)
    assert (code, out) == (0, f"kiosk_thank_you_es = {words}\n"), err
    assert run(capsys, monkeypatch, "settings", "get", "kiosk_thank_you_es", "--db", db)[1] == (
        words + "\n")
    assert run(capsys, monkeypatch, "settings", "get", "kiosk_thank_you_en", "--db", db)[1] == "\n"
    out = run(capsys, monkeypatch, "settings", "list", "--db", db)[1]
    assert 'kiosk_thank_you_en = ""    (text, up to 400; default "")' in out
    assert "kiosk_thank_you_es = \"Gracias. María" in out
    assert run(capsys, monkeypatch, "settings", "set", "kiosk_thank_you_es", "  ", "--db", db)[0] == 0
    with Store.open(db) as store:
        assert store.get_setting("kiosk_thank_you_es") == ""  # empty: the built-in words again
        changes = store._rows("SELECT actor, old_value, new_value FROM audit_log WHERE"
                              " action = 'setting_changed' AND item = 'kiosk_thank_you_es' ORDER BY id")
    assert [(c["old_value"], c["new_value"]) for c in changes] == [
        ('""', json.dumps(words, ensure_ascii=False)), (json.dumps(words, ensure_ascii=False), '""')]
    assert all(c["actor"].startswith("cli") for c in changes)


def test_the_thank_you_words_must_be_text(db, admin):
    with Store.open(db) as store:
        for value in (42, None, ["Thanks"], {"en": "Thanks"}):
            with pytest.raises(StoreError) as refused:
                store.set_setting("kiosk_thank_you_en", value, actor="admin")
            assert refused.value.code == ErrorCode.SETTING_NOT_TEXT
        assert store._rows("SELECT * FROM settings") == []


def test_every_kiosk_language_has_its_thank_you_words():
    """The kiosk reads `kiosk_thank_you_<lang>` for the session's language: each must exist."""
    assert {f"kiosk_thank_you_{lang}" for lang in LANGUAGES} <= set(SETTINGS)
