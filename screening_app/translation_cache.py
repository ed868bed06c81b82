"""The translation files as the app last read them, kept so that a start reads them
without PyYAML: importing it and parsing one file cost the kiosk ~10-15 ms before its
welcome page could be painted (issue 17). The YAML files stay the only copy anyone edits;
this is what Python's __pycache__ is to a module.

One cache file per translation file, in the per-user cache folder, in a folder of its own
for each place the app runs from (`~/.cache/msc-screening/translations/1a2b3c4d/kiosk.en.json`
on Linux: a bundle and a source tree, or two versions, each keep theirs instead of
rewriting each other's): a first line, a JSON object with the format, the YAML file's size
and CRC-32 and the CRC-32 of the rest; then the texts, one JSON object of strings.

It is used only when every one of those matches (the YAML file as it is now, the texts
as they were written) and the texts are strings by strings; anything else (no file, an
older YAML file, a truncated, damaged, edited or foreign file, one too large) is ignored,
and the YAML file is read and the cache written again. Writing is best effort: a cache
folder that cannot be written costs the time saved, never a text. Like __pycache__, it is
as trusted as the person's own folders: the checks catch a stale, damaged or edited file,
not someone who can write the person's files and recompute the checksums.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from pathlib import Path

from screening_app.version import DISTRIBUTION

FORMAT = 1
MAX_BYTES = 1024 * 1024  # the largest translation file's texts are ~40 KB


def folder() -> Path:
    """The per-user cache folder's `msc-screening/translations`. On Linux, where kiosks run,
    found as platformdirs finds it ($XDG_CACHE_HOME, else ~/.cache) without importing it:
    that import costs ~6 ms, which the kiosk's first paint now does without. Only this
    cache lives there, so a rule that ever differed from platformdirs' would only move it."""
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / DISTRIBUTION / "translations"
    import platformdirs

    return Path(platformdirs.user_cache_dir(DISTRIBUTION, appauthor=False)) / "translations"


def cache_path(source: Path) -> Path:
    """`source`'s cache file: kiosk.en.yaml -> <folder>/<CRC-32 of its folder's path>/kiosk.en.json."""
    place = zlib.crc32(os.fsencode(source.parent))
    return folder() / f"{place:08x}" / f"{source.stem}.json"


def load(source: Path, data: bytes) -> dict[str, str] | None:
    """The texts kept for the translation file `source` whose bytes are `data`, or None
    when there are none that can be trusted to be its texts."""
    try:
        kept = _read_regular_file(cache_path(source))
    except (OSError, ValueError):  # none, unreadable, a folder; ValueError: a NUL in a path
        return None
    if len(kept) > MAX_BYTES:
        return None
    first, _, body = kept.partition(b"\n")
    try:
        header = json.loads(first)
        if header != _header(data, body):
            return None
        texts = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError)
        return None
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        return None
    try:  # JSON may spell a lone surrogate ("\ud800"), which no YAML file holds
        "".join(texts.values()).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return texts


def _read_regular_file(path: Path) -> bytes:
    """At most MAX_BYTES + 1 of a regular file: a FIFO or a device put in the cache's place
    would block or never end the read before the kiosk's first paint (OSError then)."""
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(f"not a regular file: {path.name}")
        with os.fdopen(handle, "rb", closefd=False) as file:
            return file.read(MAX_BYTES + 1)
    finally:
        os.close(handle)


def keep(source: Path, data: bytes, texts: dict[str, str]) -> None:
    """Write the cache for `source` (its bytes `data`, its `texts`); quietly not, when the
    cache folder cannot be written."""
    from screening_app.files import write_bytes

    body = json.dumps(texts, ensure_ascii=False, sort_keys=True).encode("utf-8")
    header = json.dumps(_header(data, body)).encode("utf-8")
    try:
        target = cache_path(source)
        os.makedirs(target.parent, mode=0o700, exist_ok=True)
        write_bytes(target, header + b"\n" + body)
    except (OSError, ValueError):
        pass


def _header(data: bytes, body: bytes) -> dict[str, int]:
    return {"format": FORMAT, "size": len(data), "crc32": zlib.crc32(data),
            "texts_crc32": zlib.crc32(body)}
