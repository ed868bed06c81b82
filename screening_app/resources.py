"""Where the app's own files are: questionnaires, translations, fonts and icons.

Kept apart from `definition` so that what only needs a path (the translation layer, a
window's theme) can be imported without the questionnaire model and its expression
language, which a window does not need before its first page is on screen.
"""

from __future__ import annotations

from pathlib import Path

import yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# libyaml's loader when PyYAML was built with it (several times faster), else PyYAML's own.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
