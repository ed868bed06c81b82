"""In CI a skipped test fails the run (tests/conftest.py): a skip there is a test that
never ran, which must not pass for green."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(folder: Path, ci: bool) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ["PYTHONPATH"] = str(ROOT)
    if ci:
        environ["CI"] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
                          cwd=folder, env=environ, capture_output=True, text=True, timeout=120)


def test_a_skip_fails_the_run_in_ci_only(tmp_path):
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_sessionfinish  # noqa: F401\n")
    (tmp_path / "test_sample.py").write_text(
        "import pytest\n\ndef test_missing():\n    pytest.skip('no voices')\n\ndef test_fine():\n    pass\n")
    assert run_pytest(tmp_path, ci=False).returncode == 0
    done = run_pytest(tmp_path, ci=True)
    assert done.returncode == 1
    assert "CI: 1 test(s) skipped" in done.stdout and "test_missing: Skipped: no voices" in done.stdout


def test_a_run_without_skips_passes_in_ci(tmp_path):
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_sessionfinish  # noqa: F401\n")
    (tmp_path / "test_sample.py").write_text("def test_fine():\n    pass\n")
    assert run_pytest(tmp_path, ci=True).returncode == 0
