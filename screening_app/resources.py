"""Where the app's own files are: questionnaires, translations, fonts and icons.

Kept apart from `definition` so that what only needs a path (the translation layer, a
window's theme) can be imported without the questionnaire model and its expression
language, which a window does not need before its first page is on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def __getattr__(name: str) -> Any:
    """SAFE_LOADER, made when first asked for (PEP 562): the translation layer imports this
    module before the kiosk's first paint and reads its cache without PyYAML."""
    if name != "SAFE_LOADER":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import yaml

    # libyaml's loader when PyYAML was built with it (several times faster), else PyYAML's own.
    loader = globals()["SAFE_LOADER"] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader
