"""Exports through the real command, in real processes: a killed CSV export, a full disk
during a FHIR export, and the owner-only mode of every file written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from screening_app.cli import main as cli_main
from screening_app.files import TEMP_SUFFIX
from tests.export.helpers import complete_answers, submit

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))


def partial_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def test_a_killed_csv_export_leaves_the_previous_files_and_its_leftovers_go_at_the_next_start(
        tmp_path):
    db = tmp_path / "demo.db"
    assert cli_main(["demo", "--count", "2500", "--db", str(db)]) == 0
    out = tmp_path / "exports"
    out.mkdir()
    study = out / "study.csv"
    study.write_text("the previous export\n", encoding="utf-8")
    study.chmod(0o644)
    child = subprocess.Popen([sys.executable, MAIN, "export", "--all", "--format", "csv",
                              "--out", str(study), "--db", str(db)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Killed once the main file is being filled (its temporary file has data).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            main_part = [p for p in partial_files(out) if p.name.startswith(".study.csv.")]
            if main_part and main_part[0].stat().st_size > 0:
                break
            time.sleep(0.005)
        assert child.poll() is None, "the export finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stderr.close()
    left = partial_files(out)
    assert left, "a kill in the middle leaves the temporary files"
    assert all(mode(p) == 0o600 for p in left)  # private even while half written
    assert study.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["study.csv"]

    # The next start of the app (any command) removes exactly those files.
    done = subprocess.run([sys.executable, MAIN, "list", "--db", str(db), "--status", "reviewed"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert partial_files(out) == []
    assert study.read_text(encoding="utf-8") == "the previous export\n"

    # And an export run to the end replaces the files, owner-only.
    done = subprocess.run([sys.executable, MAIN, "export", "--all", "--format", "csv",
                           "--out", str(study), "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    written = [p for p in out.iterdir()]
    assert len(written) == 4 and all(mode(p) == 0o600 for p in written)
    assert study.read_text(encoding="utf-8-sig").startswith("submission_id,")


FULL_DISK = textwrap.dedent("""
    import os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit: EFBIG, as ENOSPC
    limit = int(os.environ.get("FULL_DISK_AT", "1000"))  # bytes a file may hold
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.path.insert(0, sys.argv[1])
    from main import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.parametrize("fmt", ["fhir", "pdf"])
def test_a_full_disk_during_an_export_leaves_the_previous_file(store, db_path, tmp_path, fmt):
    """A full disk during the FHIR export left a 0-byte file over the previous export."""
    sid = submit(store, complete_answers())
    store.answers(sid)  # this connection stays open: the child only reads the database
    target = tmp_path / f"previous.{fmt}"
    target.write_bytes(b"the previous export")
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(ROOT), "export", str(sid),
                           "--format", fmt, "--out", str(target), "--db", str(db_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"error: cannot write {target}: File too large\n"
    assert target.read_bytes() == b"the previous export"
    assert partial_files(tmp_path) == []


@pytest.mark.parametrize(("command", "written"), [
    (["export", "--all", "--format", "csv"], "study.csv"),
    (["export", "--all", "--format", "redcap"], "study_data.csv"),
    (["backup"], "study.db"),
])
def test_a_full_disk_during_a_study_export_or_a_backup_is_one_line_and_keeps_the_previous_file(
        store, db_path, tmp_path, command, written):
    """The bulk exports said so, then printed an 'Exception ignored' traceback (the disk
    filled while they read the submissions, and their reading generator was closed after
    the database); a backup was 'an unexpected problem'."""
    from screening_app.demo import seed_demo

    seed_demo(store, 150, seed=3)
    target = tmp_path / written
    target.write_bytes(b"the previous file")
    out = target if command[0] == "backup" or "csv" in command else tmp_path / "study"
    # Room for the dictionaries and the first rows, not for 150 submissions.
    env = {**os.environ, "FULL_DISK_AT": "40000"}
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(ROOT), *command,
                           "--out", str(out), "--db", str(db_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    assert "unexpected" not in done.stderr
    assert target.read_bytes() == b"the previous file"
    assert partial_files(tmp_path) == []


@pytest.mark.parametrize("fmt", ["fhir", "pdf"])
def test_single_exports_are_owner_only_whatever_the_umask(store, tmp_path, fmt):
    sid = submit(store, complete_answers())
    target = tmp_path / f"out.{fmt}"
    previous = os.umask(0o000)
    try:
        assert cli_main(["export", str(sid), "--format", fmt, "--out", str(target),
                         "--db", str(store.path)]) == 0
    finally:
        os.umask(previous)
    assert mode(target) == 0o600 and target.stat().st_size > 1000


def test_definition_files_are_written_whole_and_private(tmp_path, capsys):
    out = tmp_path / "questionnaire.json"
    previous = os.umask(0o002)
    try:
        assert cli_main(["export-definition", "--format", "fhir", "--out", str(out)]) == 0
        yaml_out = tmp_path / "definition.yaml"
        assert cli_main(["import-definition", str(out), "--out", str(yaml_out)]) in (0, 1)
    finally:
        os.umask(previous)
    assert mode(out) == 0o600 and mode(yaml_out) == 0o600
    assert partial_files(tmp_path) == []


def test_a_failed_import_definition_leaves_the_previous_output(tmp_path):
    """A failed `import-definition` truncated the existing output to 0 bytes. (Its message
    for a lone surrogate is interop's: only what happens to the files is checked here.)"""
    source = tmp_path / "questionnaire.json"
    assert cli_main(["export-definition", "--format", "fhir", "--out", str(source)]) == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('"title": "', '"title": "\\ud800', 1), encoding="utf-8")
    out = tmp_path / "definition.yaml"
    out.write_text("the previous definition\n", encoding="utf-8")
    subprocess.run([sys.executable, MAIN, "import-definition", str(source), "--out", str(out)],
                   cwd=ROOT, capture_output=True, timeout=120)
    assert out.read_text(encoding="utf-8") == "the previous definition\n"
    assert partial_files(tmp_path) == []
