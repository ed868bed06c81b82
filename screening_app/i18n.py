"""The translation layer: every text a person sees, in English and Spanish.

Texts live in `resources/translations/<area>.<lang>.yaml` (one file per part of the app:
core, kiosk, desk, pdf, ...) as `key: text` with `{name}` placeholders; keys are unique
across files. The questionnaire carries its own texts; these are the app's own words.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# The catalogues are read before the first window shows: `resources`, not the
# questionnaire loader (and its expression language); and from the translation cache when
# it has them, without PyYAML (translation_cache.py).
from screening_app import translation_cache
from screening_app.resources import RESOURCES
from screening_app.version import app_command

LANGUAGES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
TRANSLATIONS = RESOURCES / "translations"


@cache
def catalog(lang: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob(f"*.{lang}.yaml")):
        texts.update(_read(path))
    return texts


@cache
def _area(lang: str, area: str) -> dict[str, str]:
    """The file named after a key's first part (`kiosk.welcome.title`: kiosk.<lang>.yaml),
    read alone: the kiosk's welcome page needs 5 KB of the 60 KB of each language."""
    path = TRANSLATIONS / f"{area}.{lang}.yaml"
    return _read(path) if area.isidentifier() and path.is_file() else {}


def _read(path) -> dict[str, str]:
    data = path.read_bytes()
    texts = translation_cache.load(path, data)
    if texts is None:
        texts = _parse(data)
        translation_cache.keep(path, data, texts)
    return texts


def _parse(data: bytes) -> dict[str, str]:
    import yaml

    from screening_app.resources import SAFE_LOADER

    parsed = yaml.load(data.decode("utf-8"), Loader=SAFE_LOADER) or {}
    return {str(k): str(v) for k, v in parsed.items()}


def _text(lang: str, key: str) -> str | None:
    # Keys are unique across the files (a test checks), so a key found in its area's
    # file is the one the whole catalogue holds.
    return _area(lang, key.partition(".")[0]).get(key) or catalog(lang).get(key)


def tr(lang: str, key: str, /, **params: Any) -> str:
    """The text for `key` in `lang` (English when missing there; the key itself as a last resort)."""
    text = _text(lang, key) or _text("en", key) or key
    if "{command}" in text:  # "Run {command} verify-audit": the bundle or the source tree's way
        params = {"command": app_command(), **params}
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


class Translator:
    """`tr` bound to one language, passed to whoever shows text."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else LANGUAGES[0]

    def __call__(self, key: str, /, **params: Any) -> str:
        return tr(self.lang, key, **params)

    def plural(self, key: str, count: int, /, **params: Any) -> str:
        """`key.one` for a count of one, else `key.other` (English and Spanish both say
        "1 año", "0 años", "2 años"); `{count}` is the count unless params write it another
        way (e.g. "2,473")."""
        form = "one" if count == 1 else "other"
        return tr(self.lang, f"{key}.{form}", **{"count": count, **params})
