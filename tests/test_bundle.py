"""The one-folder app that `python3 dev.py bundle` builds works on its own: its --version,
check-definition on the questionnaire it ships, a PDF exported from a demo database (read
back), the kiosk's welcome page painted offscreen, and the launchers beside it. Slow (the
build takes minutes); CI runs it like every other test."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(ROOT / "dev.py"), "bundle", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    app = out / "msc-screening"
    assert (app / "msc-screening").is_file()
    return app


@pytest.fixture
def run(bundle, tmp_path):
    """Run the bundled executable as a clinic computer would: from another folder, with a
    home of its own (its data, key and log folders), and none of this source tree."""
    home = tmp_path / "home"
    home.mkdir()
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("PYTHON", "VIRTUAL_ENV", "XDG_"))}
    environ.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")

    def call(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bundle / "msc-screening"), *args], cwd=tmp_path,
                              env={**environ, **extra}, capture_output=True, text=True,
                              timeout=300)

    return call


def test_the_bundle_says_its_version(run):
    done = run("--version")
    assert (done.returncode, done.stdout) == (0, f"msc-screening {VERSION}\n")


def test_the_bundle_checks_the_questionnaire_it_ships(run, bundle):
    shipped = next(bundle.rglob("resources/questionnaires/msc-ms-onboarding.yaml"))
    done = run("check-definition", str(shipped))
    assert done.returncode == 0 and done.stdout.startswith("OK msc-ms-onboarding"), done.stderr


def test_the_bundle_exports_a_pdf_from_a_demo_database(run, tmp_path):
    db, pdf = tmp_path / "demo.db", tmp_path / "summary.pdf"
    assert run("demo", "--count", "3", "--db", str(db)).returncode == 0
    done = run("export", "1", "--format", "pdf", "--out", str(pdf), "--db", str(db))
    assert done.returncode == 0, done.stderr
    reader = PdfReader(pdf)
    assert reader.metadata["/Creator"] == f"MSC screening app {VERSION}"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Test-" in text  # a demo candidate's name, in the bundled fonts
    assert len(reader.pages) >= 2


def test_the_bundle_paints_the_kiosk_welcome_page_offscreen(run, tmp_path):
    db = tmp_path / "demo.db"
    assert run("demo", "--count", "1", "--db", str(db)).returncode == 0
    done = run("--kiosk", "--db", str(db), KIOSK_BENCH_EXIT="1")
    assert done.returncode == 0, done.stderr
    # The page, then the page with the clinic's words once the store has opened, then ready.
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["painted", "named", "ready"]


def test_the_launchers_come_with_the_bundle(bundle):
    for name in ("msc-screening-desk.desktop", "msc-screening-kiosk.desktop"):
        entry = configparser.ConfigParser(interpolation=None)
        entry.optionxform = str  # keys are case-sensitive in .desktop files
        entry.read(bundle / name, encoding="utf-8")
        desktop = entry["Desktop Entry"]
        assert desktop["Type"] == "Application" and desktop["Name"] and desktop["Name[es]"]
        assert desktop["Exec"].split()[0] == "/opt/msc-screening/msc-screening"
    assert "--kiosk" in (bundle / "msc-screening-kiosk.desktop").read_text(encoding="utf-8")
    assert os.access(bundle / "msc-kiosk-session", os.X_OK)
    assert (bundle / "msc-kiosk.service").is_file()
