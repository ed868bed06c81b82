"""The translation cache (screening_app/translation_cache.py): a start reads the texts
without PyYAML when the cache matches the YAML file as it is now; a changed YAML file is
read again and the cache rewritten; a cache that is damaged, foreign, edited or cannot be
written costs time, never a crash or a wrong text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app import i18n, translation_cache

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def translations(tmp_path, monkeypatch):
    """A translation folder of the test's own with one file, `demo.en.yaml`, and a cache
    folder of its own; the catalogues read before and after the test are forgotten."""
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "demo.en.yaml").write_text('demo.greeting: "Hello, {name}"\ndemo.bye: Goodbye\n',
                                         encoding="utf-8")
    monkeypatch.setattr(i18n, "TRANSLATIONS", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget()
    yield folder
    forget()


def forget() -> None:
    """As a new process would start: nothing read yet."""
    i18n._area.cache_clear()
    i18n.catalog.cache_clear()


def cache_file(folder: Path) -> Path:
    return translation_cache.cache_path(folder / "demo.en.yaml")


def test_the_cache_folder_is_where_platformdirs_puts_the_users_cache(monkeypatch, tmp_path):
    import platformdirs

    for cache_home in (str(tmp_path / "xdg"), "", "  "):
        monkeypatch.setenv("XDG_CACHE_HOME", cache_home)
        expected = Path(platformdirs.user_cache_dir("msc-screening", appauthor=False)) / "translations"
        assert translation_cache.folder() == expected
    monkeypatch.delenv("XDG_CACHE_HOME")
    expected = Path(platformdirs.user_cache_dir("msc-screening", appauthor=False)) / "translations"
    assert translation_cache.folder() == expected


def test_a_start_with_the_cache_reads_no_yaml_and_says_the_same_words():
    script = ("import sys\nfrom screening_app.i18n import tr\n"
              "print(tr('es', 'kiosk.welcome.start'), '|', 'yaml' in sys.modules)")

    def start() -> str:
        return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, check=True, env=os.environ).stdout.strip()

    first = start()  # the conftest's cache folder may already hold it: one start to be sure
    again = start()
    assert again.rsplit("|", 1)[1].strip() == "False"
    words = again.rsplit("|", 1)[0].strip()
    assert words == first.rsplit("|", 1)[0].strip()
    assert words == i18n._parse((i18n.TRANSLATIONS / "kiosk.es.yaml").read_bytes())[
        "kiosk.welcome.start"]


def test_the_cache_is_written_once_read_and_used_while_the_file_is_unchanged(translations):
    assert i18n.tr("en", "demo.greeting", name="Ana") == "Hello, Ana"
    kept = cache_file(translations)
    assert kept.is_file()
    assert translation_cache.load(translations / "demo.en.yaml",
                                  (translations / "demo.en.yaml").read_bytes()) == {
        "demo.greeting": "Hello, {name}", "demo.bye": "Goodbye"}
    written = kept.stat().st_mtime_ns
    forget()
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    assert kept.stat().st_mtime_ns == written  # read, not written again


def test_a_changed_translation_file_is_read_again_and_the_cache_rewritten(translations):
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    source = translations / "demo.en.yaml"
    stat = source.stat()
    # The same size and the same modification time: only the content tells.
    source.write_text(source.read_text(encoding="utf-8").replace("Goodbye", "Farewel"),
                      encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert source.stat().st_size == stat.st_size
    forget()
    assert i18n.tr("en", "demo.bye") == "Farewel"
    assert "Farewel" in cache_file(translations).read_text(encoding="utf-8")


def test_two_places_the_app_runs_from_keep_a_cache_each(translations, tmp_path):
    """A bundle and a source tree (or two versions) with different words under the same
    file name: each reads its own, and neither rewrites the other's at every start."""
    other = tmp_path / "another version" / "translations"
    other.mkdir(parents=True)
    (other / "demo.en.yaml").write_text("demo.bye: See you\n", encoding="utf-8")
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    forget()
    i18n.TRANSLATIONS = other  # the fixture's monkeypatch puts it back
    assert i18n.tr("en", "demo.bye") == "See you"
    written = {path: path.stat().st_mtime_ns
               for path in (cache_file(translations), cache_file(other))}
    assert len(written) == 2
    for folder, words in ((translations, "Goodbye"), (other, "See you")) * 2:
        forget()
        i18n.TRANSLATIONS = folder
        assert i18n.tr("en", "demo.bye") == words
    assert {path: path.stat().st_mtime_ns for path in written} == written


def crafted(header_of: bytes, texts_body: bytes) -> bytes:
    """A cache file whose checksums match `header_of` (the YAML file's bytes) and the body."""
    header = json.dumps(translation_cache._header(header_of, texts_body)).encode()
    return header + b"\n" + texts_body


def hostile_caches(source: bytes) -> dict[str, bytes]:
    right = crafted(source, json.dumps({"demo.bye": "Goodbye"}).encode())
    return {
        "empty": b"",
        "garbage": os.urandom(4096),
        "not UTF-8": b"\xff\xfe\x00" * 100,
        "truncated": right[: len(right) - 9],
        "texts edited, checksum kept": right.replace(b"Goodbye", b"Go away"),
        "another YAML file's": crafted(source + b"x: y\n", json.dumps({"demo.bye": "Go away"}).encode()),
        "an older format": right.replace(b'"format": 1', b'"format": 0'),
        "texts not an object": crafted(source, json.dumps(["demo.bye", "Go away"]).encode()),
        "a text not a string": crafted(source, json.dumps({"demo.bye": ["Go away"]}).encode()),
        "nested a million deep": crafted(source, b"[" * 1_000_000),
        "too large": crafted(source, json.dumps({"demo.bye": "x" * 2_000_000}).encode()),
        "header not an object": b"[1, 2]\n" + right.partition(b"\n")[2],
        "NUL bytes": b"\x00" * 500,
        "a lone surrogate": crafted(source, b'{"demo.bye": "Go\\ud800away"}'),
    }


@pytest.mark.parametrize("case", list(hostile_caches(b"")))
def test_a_cache_that_cannot_be_trusted_is_ignored_and_rewritten(translations, case):
    source = translations / "demo.en.yaml"
    kept = cache_file(translations)
    kept.parent.mkdir(parents=True)
    kept.write_bytes(hostile_caches(source.read_bytes())[case])
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    assert i18n.tr("en", "demo.greeting", name="Ana") == "Hello, Ana"
    forget()  # rewritten: the next start reads it
    assert translation_cache.load(source, source.read_bytes()) == {
        "demo.greeting": "Hello, {name}", "demo.bye": "Goodbye"}


def test_a_fifo_where_the_cache_file_goes_is_ignored_not_waited_on(translations):
    """A named pipe in the cache file's place: reading it would block the kiosk before its
    first paint, waiting for a writer that never comes."""
    kept = cache_file(translations)
    kept.parent.mkdir(parents=True)
    os.mkfifo(kept)
    assert translation_cache.load(translations / "demo.en.yaml", b"") is None  # at once
    assert i18n.tr("en", "demo.bye") == "Goodbye"


def test_a_folder_where_the_cache_file_goes_is_ignored(translations):
    cache_file(translations).mkdir(parents=True)
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    forget()
    assert i18n.tr("en", "demo.bye") == "Goodbye"


def test_a_cache_folder_that_cannot_be_made_costs_nothing_but_time(translations, tmp_path,
                                                                   monkeypatch):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert i18n.tr("en", "demo.bye") == "Goodbye"
    assert not translation_cache.folder().exists()
    forget()
    assert i18n.tr("en", "demo.greeting", name="Ana") == "Hello, Ana"

