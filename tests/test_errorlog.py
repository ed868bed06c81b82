"""The error log holds what support needs (type, place, version) and nothing about anyone:
not the exception's text, not its arguments, not local variables, not a home folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from screening_app import errorlog
from screening_app.version import app_version

ROOT = Path(__file__).resolve().parents[1]
NAME = "Test-Ana Ejemplo-García"
PHONE = "555-0142"


def fail_with_a_patient_in_hand() -> None:
    patient = {"name": NAME, "phone": PHONE}  # a local variable holding health data
    try:
        {}[patient["name"]]
    except KeyError as missing:
        raise ValueError(f"cannot save {patient['name']} ({patient['phone']})") from missing


def crash(target: Path, where: str = "desk") -> Path | None:
    try:
        fail_with_a_patient_in_hand()
    except ValueError as error:
        return errorlog.record(type(error), error, error.__traceback__, where, target)
    raise AssertionError("no error")


def test_an_entry_has_type_place_and_version_and_no_patient(tmp_path):
    target = tmp_path / "log" / "errors.log"
    assert crash(target) == target
    text = target.read_text(encoding="utf-8")
    assert f"msc-screening {app_version()} desk: builtins.ValueError" in text
    assert "  at tests/test_errorlog.py:" in text and " in fail_with_a_patient_in_hand" in text
    assert "  caused by builtins.KeyError" in text
    for secret in (NAME, "Ana", PHONE, "cannot save", str(Path.home()), "patient["):
        assert secret not in text, secret
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_the_log_is_rotated_and_keeps_three_older_files(tmp_path, monkeypatch):
    monkeypatch.setattr(errorlog, "MAX_BYTES", 2000)
    target = tmp_path / "errors.log"
    for _ in range(60):
        crash(target)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["errors.log", "errors.log.1", "errors.log.2", "errors.log.3"]
    assert all(p.stat().st_size <= 2000 for p in tmp_path.iterdir())


def test_a_log_that_cannot_be_written_is_no_second_failure(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert crash(blocked / "errors.log") is None  # its folder is a file


def run_python(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=60)


def logged(tmp_path: Path) -> str:
    return (tmp_path / "state" / "msc-screening" / "log" / "errors.log").read_text(encoding="utf-8")


def test_a_bug_in_a_command_is_one_line_and_an_entry(tmp_path):
    done = run_python(f"""
        import sys
        import main
        from screening_app import cli

        def broken(argv):
            patient = {NAME!r}
            raise RuntimeError("lost " + patient)

        cli.main = broken
        sys.exit(main.main(["list"]))
    """, tmp_path)
    assert done.returncode == 1
    assert "unexpected problem (RuntimeError)" in done.stderr and "errors.log" in done.stderr
    assert NAME not in done.stderr and "Traceback" not in done.stderr
    text = logged(tmp_path)
    assert "cli: builtins.RuntimeError" in text and NAME not in text


def test_the_kiosk_logs_errors_of_any_thread_instead_of_printing_them(tmp_path):
    done = run_python(f"""
        import threading
        from screening_app.errorlog import install

        assert install("kiosk")
        def answer():
            raise ValueError({NAME!r})
        worker = threading.Thread(target=answer)
        worker.start()
        worker.join()
        answer()
    """, tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("kiosk: an unexpected problem (ValueError)") == 2
    assert NAME not in done.stderr and "Traceback" not in done.stderr
    text = logged(tmp_path)
    assert text.count("kiosk: builtins.ValueError") == 2 and NAME not in text
