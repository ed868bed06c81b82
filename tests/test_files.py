"""screening_app.files: every file the app writes is private, whole or not written at all,
and what a killed writer leaves is removed at the next start (real processes, real kills)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from screening_app import files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path, monkeypatch):
    """Each test its own pending-writes folder (the children inherit it)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if files.TEMP_SUFFIX in p.name)


def mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277])
def test_written_files_are_owner_only_whatever_the_umask(tmp_path, umask):
    target = tmp_path / "summary.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    previous = os.umask(umask)
    try:
        files.write_text(target, "new")
    finally:
        os.umask(previous)
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_a_failure_leaves_the_previous_file_untouched(tmp_path):
    target = tmp_path / "study.csv"
    target.write_bytes(b"previous export")
    with pytest.raises(RuntimeError), files.replacing(target) as temporary:
        temporary.write_bytes(b"half a")
        assert mode(temporary) == 0o600
        raise RuntimeError("the writer failed half-way")
    assert target.read_bytes() == b"previous export"
    assert leftovers(tmp_path) == []
    assert list(files.pending_folder().glob("*.note")) == []  # the note went too


def test_a_text_that_cannot_be_encoded_writes_nothing(tmp_path):
    target = tmp_path / "definition.yaml"
    target.write_text("kept", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        files.write_text(target, "first_name: \ud800")
    assert target.read_text(encoding="utf-8") == "kept" and leftovers(tmp_path) == []


def test_a_folder_in_the_way_is_an_oserror_and_nothing_is_left(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    with pytest.raises(OSError):
        files.write_bytes(tmp_path / "out.pdf", b"%PDF")
    assert leftovers(tmp_path) == []


# -- a full disk, for real: a child process with a file-size limit ----------------------

FULL_DISK_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from screening_app import files
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
    try:
        files.write_bytes(Path(sys.argv[1]), b"x" * 5000)
    except OSError as error:
        print(error.__class__.__name__, error.errno)
        sys.exit(3)
""")


def test_a_full_disk_leaves_the_previous_file_and_no_temporary(tmp_path):
    target = tmp_path / "response.json"
    target.write_bytes(b"the previous export")
    done = subprocess.run([sys.executable, "-c", FULL_DISK_CHILD, str(target)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert done.stdout.split() == ["OSError", str(errno.EFBIG)]
    assert target.read_bytes() == b"the previous export"
    assert leftovers(tmp_path) == []


# -- leftovers of a killed writer --------------------------------------------------------

HOLDING_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from screening_app import files
    with files.replacing(Path(sys.argv[1])) as temporary:
        temporary.write_bytes(b"being written")
        print(temporary, flush=True)
        sys.stdin.readline()  # hold until told (or killed)
""")


def start_holding(target: Path) -> tuple[subprocess.Popen, Path]:
    child = subprocess.Popen([sys.executable, "-c", HOLDING_CHILD, str(target)], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    temporary = Path(child.stdout.readline().strip())
    assert temporary.exists(), "the child did not start writing"
    return child, temporary


def test_a_running_writer_keeps_its_file_and_a_killed_ones_is_removed(tmp_path):
    target = tmp_path / "copy.db"
    target.write_bytes(b"previous backup")
    child, temporary = start_holding(target)
    try:
        Path(f"{temporary}-journal").write_bytes(b"sqlite's journal of the copy")
        assert files.remove_leftovers() == 0  # another window starting: the writer lives
        assert temporary.exists()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.stdin.close()
        child.stdout.close()
    assert temporary.exists() and mode(temporary) == 0o600  # what a kill leaves
    assert files.remove_leftovers() == 1
    assert leftovers(tmp_path) == [] and not Path(f"{temporary}-journal").exists()
    assert target.read_bytes() == b"previous backup"
    assert list(files.pending_folder().glob("*.note")) == []


def test_a_writer_that_finishes_after_a_start_renames_as_usual(tmp_path):
    target = tmp_path / "export.json"
    child, temporary = start_holding(target)
    assert files.remove_leftovers() == 0
    child.communicate("\n", timeout=30)
    assert child.returncode == 0
    assert target.read_bytes() == b"being written" and not temporary.exists()


def test_only_the_apps_own_temporary_names_are_ever_removed(tmp_path):
    """A note that names any other file (tampered, or a bug) deletes nothing."""
    precious = tmp_path / "screening.db"
    precious.write_bytes(b"the database")
    folder = files.pending_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "forged.note").write_bytes(os.fsencode(str(precious)))
    lookalike = tmp_path / ".study.csv.part"
    lookalike.write_bytes(b"not ours")
    (folder / "lookalike.note").write_bytes(os.fsencode(str(lookalike)))
    assert files.remove_leftovers() == 0
    assert precious.read_bytes() == b"the database" and lookalike.exists()
    assert list(folder.glob("*.note")) == []


def test_an_empty_note_is_left_until_it_is_old(tmp_path):
    folder = files.pending_folder()
    folder.mkdir(parents=True, exist_ok=True)
    note = folder / "empty.note"
    note.write_bytes(b"")
    files.remove_leftovers()
    assert note.exists()  # perhaps a writer between creating its note and filling it
    old = time.time() - files.STALE_NOTE_SECONDS - 5
    os.utime(note, (old, old))
    files.remove_leftovers()
    assert not note.exists()
