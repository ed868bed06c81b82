"""One version, from pyproject.toml: `main.py --version`, the PDF's Creator and Producer
(the FHIR exports' meta: tests/interop; the desk's About: tests/ui/desk/test_desk_about.py)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from screening_app import version
from screening_app.store import Store
from tests.export.helpers import complete_answers, export, submit

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"]["version"]


def test_main_says_its_version():
    for flag in ("--version", "-V"):
        done = subprocess.run([sys.executable, "main.py", flag], cwd=ROOT, capture_output=True,
                              text=True, check=True)
        assert done.stdout == f"msc-screening {PYPROJECT_VERSION}\n"


def test_without_package_metadata_the_version_comes_from_pyproject(monkeypatch):
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    version.app_version.cache_clear()
    try:
        assert version.app_version() == PYPROJECT_VERSION
        monkeypatch.setattr(version, "PYPROJECT", ROOT / "no-such-pyproject.toml")
        version.app_version.cache_clear()
        assert version.app_version() == "unknown"
    finally:
        version.app_version.cache_clear()


def test_the_pdf_names_the_app_and_its_version(tmp_path):
    with Store.open(tmp_path / "v.db") as store:
        pdf = export(store, submit(store, complete_answers()), tmp_path / "summary.pdf")
    assert pdf.metadata["/Creator"] == f"MSC screening app {PYPROJECT_VERSION}"
    assert pdf.metadata["/Producer"].startswith(f"msc-screening {PYPROJECT_VERSION} (ReportLab ")


def test_messages_name_the_command_as_the_person_runs_it(monkeypatch):
    """A clinic that installed the bundle has no main.py: the desk's warnings and the
    store's refusals name `msc-screening verify-audit`, a source tree `python main.py ...`."""
    from screening_app.i18n import tr
    from screening_app.store.errors import ErrorCode, StoreError

    def said() -> tuple[str, str, str]:
        return (tr("en", "desk.integrity.broken", row=7),
                tr("es", "desk.store.not_encrypted", path="x.db"),
                StoreError(ErrorCode.NOT_ENCRYPTED, path="x.db").message)

    assert all("python main.py" in text for text in said())
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    desk_en, desk_es, store = said()
    assert '"msc-screening verify-audit"' in desk_en and "main.py" not in desk_en
    assert "msc-screening encrypt-database --db x.db" in desk_es
    assert "run: msc-screening encrypt-database --db x.db" in store
