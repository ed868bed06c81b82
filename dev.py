#!/usr/bin/env python3
"""Set up the project's virtual environment when needed, then run the app or the tests.

    python3 dev.py run [APP ARGS...]     start the app (desk by default; --kiosk for the kiosk)
    python3 dev.py test [PYTEST ARGS...] run the test suite and ruff
    python3 dev.py bundle [--out DIR]    build the one-folder app: DIR/msc-screening/ (default dist/)

Only Python 3.11+ with pip is needed; everything else is installed into ./.venv from
pyproject.toml, again whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".pyproject.sha256"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    """Create .venv and install the project, redoing it when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    python = venv_python()
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != wanted:
        target = f".[{extras}]" if extras else "."
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", target], cwd=ROOT,
                       check=True)
        STAMP.write_text(wanted)
    return python


def bundle(python: Path, args: list[str]) -> int:
    """PyInstaller on packaging/msc-screening.spec, then the launchers beside the app."""
    import argparse
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(prog="dev.py bundle")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where msc-screening/ goes")
    out = parser.parse_args(args).out.absolute()
    with tempfile.TemporaryDirectory(prefix="msc-bundle-") as work:
        code = subprocess.call([str(python), "-m", "PyInstaller", "--noconfirm", "--clean",
                                "--log-level", "WARN", "--distpath", str(out), "--workpath", work,
                                str(ROOT / "packaging" / "msc-screening.spec")], cwd=ROOT)
    if code:
        return code
    app = out / "msc-screening"
    for launcher in sorted((ROOT / "packaging" / "linux").iterdir()):
        shutil.copy2(launcher, app / launcher.name)
    print(f"built {app / 'msc-screening'}")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bundle"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        sys.path.insert(0, str(ROOT))
        from ui.system_libraries import check_before_qt, starts_qt

        # Before the environment is made (minutes of downloads): can Qt open a window here?
        if starts_qt(rest) and (code := check_before_qt(os.environ)):
            return code
    # One environment for every command: the extras are small and save a second venv.
    python = ensure_venv("test,bundle")
    if command == "bundle":
        return bundle(python, rest)
    if command == "run":
        return subprocess.call([str(python), str(ROOT / "main.py"), *rest], cwd=ROOT)
    code = subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)
    lint = subprocess.call([str(python), "-m", "ruff", "check", "."], cwd=ROOT)
    return code or lint


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
