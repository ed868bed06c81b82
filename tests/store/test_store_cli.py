"""The storage subcommands, run through screening_app.cli.main (on a file and a server)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import FIXTURES

from screening_app.cli import main
from screening_app.store import Store


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    complete = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    partial = {"first_name": "José", "last_name": "Núñez", "date_of_birth": "1979-01-31"}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([complete, partial], ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_list(db, answers_file: Path, capsys):
    db = str(db)
    code, out, err = run(capsys, "import-responses", str(answers_file), "--db", db,
                         "--today", "2026-11-23")
    assert code == 0, err
    lines = out.splitlines()
    first, second = lines[0].split(), lines[1].split()
    assert first[0] == "1" and first[2] == "submitted"
    assert second[0] == "2" and second[2] == "draft"
    assert "    sex_at_birth: Please answer this question." in lines
    assert not any("Ana" in line or "José" in line for line in lines)

    code, out, _ = run(capsys, "list", "--db", db, "--json")
    assert code == 0
    listed = json.loads(out)
    assert [(r["id"], r["candidate"], r["status"]) for r in listed] == [
        (2, "José Núñez", "draft"), (1, "Ana Ejemplo", "submitted")]
    assert listed[1]["flags"] == {"exclusion": 0, "review": 1, "info": 0}
    assert listed[0]["updated_at"] > listed[1]["updated_at"]

    code, out, _ = run(capsys, "list", "--db", db, "--status", "draft")
    assert code == 0 and "José Núñez" in out and "Ana Ejemplo" not in out

    code, out, _ = run(capsys, "list", "--db", db, "--search", "nunez", "--json")
    assert [r["id"] for r in json.loads(out)] == [2]


def test_import_refuses_duplicates_and_bad_entries_without_half_storing(
        db, tmp_path: Path, answers_file: Path, capsys):
    db = str(db)
    assert run(capsys, "import-responses", str(answers_file), "--db", db)[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"first_name": "jose", "last_name": "NUNEZ",
                                "date_of_birth": "1979-01-31"},
                               "not an object",
                               {"first_name": "Eva", "favourite_colour": "blue"},
                               {"first_name": "Eva", "last_name": "Luna"}]), encoding="utf-8")
    code, out, err = run(capsys, "import-responses", str(bad), "--db", db)
    assert code == 1
    assert "entry 1: not stored: A candidate with the same names" in err
    assert "entry 2: not stored" in err
    assert "entry 3: not stored: unknown items: favourite_colour" in err
    assert "jose" not in err.lower() and "nunez" not in err.lower()  # no patient data
    assert out.split()[2] == "draft"  # entry 4 was stored
    with Store.open(db) as store:
        assert store.count_submissions() == 3
        assert store.count_submissions(search="eva") == 1
    code, out, err = run(capsys, "import-responses", str(bad), "--db", db, "--allow-duplicates")
    assert "entry 1: not stored" not in err


def test_import_single_object_and_unreadable_file(db, tmp_path: Path, capsys):
    db = str(db)
    single = tmp_path / "one.json"
    single.write_text('{"first_name": "Eva"}', encoding="utf-8")
    code, out, _ = run(capsys, "import-responses", str(single), "--db", db)
    assert code == 0 and out.split()[2] == "draft"
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "import-responses", str(broken), "--db", db)
    assert code == 2 and "not valid JSON" in err
    with Store.open(db) as store:
        assert store.count_submissions() == 1  # the broken file added nothing


def test_backup_is_a_restorable_copy(db, tmp_path: Path, answers_file: Path, capsys):
    """On a server too: its records, in one snapshot, as an encrypted file (test_server_copy)."""
    run(capsys, "import-responses", str(answers_file), "--db", str(db))
    out_file = tmp_path / "backups" / "screening-backup.db"
    code, out, _ = run(capsys, "backup", "--out", str(out_file), "--db", str(db))
    assert code == 0 and "Backup written" in out
    assert not Path(f"{out_file}-wal").exists()
    with Store.open(db) as live, Store.open(out_file) as restored:
        assert restored.list_submissions() == live.list_submissions()
        assert restored.answers(1) == live.answers(1)
        assert restored.audit_history(1) == live.audit_history(1)


@pytest.mark.parametrize("command", [["list"], ["backup", "--out", "copy.db"],
                                     ["export", "1", "--format", "pdf", "--out", "x.pdf"]])
def test_reading_commands_refuse_a_database_that_does_not_exist(tmp_path: Path, capsys, command):
    """A mistyped --db must not look like an empty clinic (nor make an empty backup)."""
    missing = tmp_path / "typo" / "screening.db"
    argv = [part if part not in ("copy.db", "x.pdf") else str(tmp_path / part) for part in command]
    code, out, err = run(capsys, *argv, "--db", str(missing))
    assert code == 2 and out == ""  # the --db given is refused, as any input
    assert f"There is no database at {missing}" in err
    assert not missing.parent.exists() and not (tmp_path / "copy.db").exists()


def test_import_refuses_nan_with_a_message_and_stores_nothing(db, backend, tmp_path: Path, capsys):
    path = tmp_path / "nan.json"
    path.write_text('[{"first_name": "Nan", "last_name": "Case", "edss_score": NaN}]', encoding="utf-8")
    code, _, err = run(capsys, "import-responses", str(path), "--db", str(db))
    assert code == 2 and "NaN" in err and "Traceback" not in err
    if backend == "sqlite":
        assert not db.exists()  # not even a new file
    else:
        with Store.open(db) as store:
            assert store.count_submissions() == 0
            assert store._rows("SELECT count(*) AS n FROM audit_log") == [{"n": 0}]


def test_backup_refuses_to_overwrite_the_database(tmp_path: Path, capsys):
    db = tmp_path / "screening.db"
    Store.open(db).close()
    code, _, err = run(capsys, "backup", "--out", str(db), "--db", str(db))
    assert code == 1 and "cannot replace the database itself" in err


def test_a_damaged_file_is_a_plain_message_with_exit_code_2(tmp_path: Path, capsys):
    """A refusal of the file given, like any other input refused (docs/storage.md)."""
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"\x00garbage" * 1000)
    code, out, err = run(capsys, "list", "--db", str(corrupt))
    assert code == 2 and out == ""
    assert "not a database of this app, or it is damaged" in err
    assert "Traceback" not in err


def test_main_py_prints_plain_message_without_traceback(tmp_path: Path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"\x00garbage" * 1000)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(root / "main.py"), "list", "--db", str(corrupt)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "damaged" in done.stderr


def test_every_storage_command_takes_db(capsys):
    for name in ("import-responses", "list", "backup"):
        with pytest.raises(SystemExit):
            main([name, "--help"])
        assert "--db PATH" in capsys.readouterr().out


def test_list_into_a_reader_that_stops_early_is_not_an_error(db, tmp_path: Path):
    """`list | head -1`: the closed pipe ends the command quietly, without a traceback."""
    db = str(db)
    many = tmp_path / "many.json"  # more lines than a pipe's buffer holds (64 KiB)
    people = [{"first_name": f"Test-{n}", "last_name": "Demo-Pipe", "date_of_birth": "1979-01-31"}
              for n in range(1200)]
    many.write_text(json.dumps(people), encoding="utf-8")
    assert main(["import-responses", str(many), "--db", db, "--today", "2026-11-23"]) == 0
    root = Path(__file__).resolve().parents[2]
    lister = subprocess.Popen([sys.executable, str(root / "main.py"), "list", "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=root)
    assert lister.stdout.readline()
    lister.stdout.close()
    _, err = lister.communicate(timeout=60)
    assert b"Traceback" not in err
    assert lister.returncode == 0
