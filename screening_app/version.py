"""The app's version, from one source: `version` in pyproject.toml.

Installed (`pip install -e .`, as dev.py does) or bundled (the PyInstaller spec copies the
package's metadata), it is read from the package metadata. Run from a source tree that was
never installed, it is read from pyproject.toml itself. Shown by `main.py --version`, the
desk's About, the PDF's Creator and Producer, and the FHIR exports' `meta.tag`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DISTRIBUTION = "msc-screening"
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


@cache
def app_version() -> str:
    # Imported here: importlib.metadata costs ~40 ms, which the kiosk's start-up (the error
    # log is set up before its window) must not pay for a version it may never write.
    import tomllib
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        with PYPROJECT.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def app_command() -> str:
    """How a person starts this app's commands where they read a message: the bundle's
    program (`msc-screening verify-audit`), or `python main.py` from the source tree."""
    import sys

    return DISTRIBUTION if getattr(sys, "frozen", False) else "python main.py"


def app_name_and_version() -> str:
    return f"{DISTRIBUTION} {app_version()}"
