"""The check before Qt starts: which system libraries Qt's xcb platform lacks, and the
packages that bring them (Debian/Ubuntu and Fedora), exit 2. Run against fake library
lists, against the installed plugin (the list must cover what `ldd` says it loads), and
for real through main.py."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.system_libraries import (
    XCB_LIBRARIES,
    check_before_qt,
    explain,
    loadable,
    missing_libraries,
    starts_qt,
    uses_xcb,
)

ROOT = Path(__file__).resolve().parents[2]
ABSENT = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}  # what a fresh Debian desktop lacked


def fake_system(absent: set[str]):
    return lambda soname: soname not in absent


def test_missing_libraries_are_named_with_their_packages(capsys):
    code = check_before_qt({"DISPLAY": ":0"}, fake_system(ABSENT), platform="linux")
    err = capsys.readouterr().err
    assert code == 2
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in err
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1\n" in err
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms\n" in err


def test_a_package_is_named_once_even_for_several_libraries():
    missing = missing_libraries(fake_system({"libxcb-shm.so.0", "libxcb-sync.so.1",
                                             "libglib-2.0.so.0", "libgthread-2.0.so.0"}))
    text = explain(missing)
    assert re.search(r"apt install libxcb-shm0 libxcb-sync1 libglib2.0-0$", text, re.M)
    assert re.search(r"dnf install libxcb glib2$", text, re.M)


def test_nothing_is_said_when_everything_is_there(capsys):
    assert check_before_qt({}, fake_system(set()), platform="linux") == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(("environ", "platform", "expected"), [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),  # xcb only if Wayland fails
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"XDG_SESSION_TYPE": "wayland"}, "linux", True),  # no compositor to talk to: xcb
    ({"XDG_SESSION_TYPE": "x11"}, "linux", True),
    ({}, "win32", False),
    ({}, "darwin", False),
])
def test_only_when_qt_would_use_xcb(environ, platform, expected, capsys):
    assert uses_xcb(environ, platform) is expected
    everything_missing = fake_system({library.soname for library in XCB_LIBRARIES})
    assert check_before_qt(environ, everything_missing, platform) == (2 if expected else 0)


@pytest.mark.parametrize(("argv", "expected"), [
    ([], True), (["--kiosk"], True), (["--db", "x.db", "--kiosk"], True),
    (["list"], False), (["check-definition", "q.yaml"], False),
    (["--version"], False), (["--help"], False), (["--kiosk", "-h"], False),
])
def test_only_a_run_that_opens_a_window_is_checked(argv, expected):
    assert starts_qt(argv) is expected


def ldd(path: Path | str) -> dict[str, str | None]:
    """soname -> resolved path (None: "not found"), as the dynamic loader sees `path`."""
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
    found: dict[str, str | None] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
        if match:
            found[match.group(1)] = None if match.group(2) == "not found" else match.group(3)
    return found


@pytest.fixture(scope="module")
def xcb_plugin() -> Path:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file()
    assert shutil.which("ldd"), "ldd (glibc's libc-bin) is on every Linux this runs on"
    return plugin


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_list_covers_what_the_installed_plugin_loads(xcb_plugin):
    needed = ldd(xcb_plugin)
    ours = {library.soname for library in XCB_LIBRARIES}
    qt_folder = str(xcb_plugin.parents[3])
    covered = set(ours)  # a listed library's own dependencies come with its package
    for library in ours:
        if needed.get(library):
            covered |= set(ldd(needed[library]))
    base = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
            "libgcc_s.so.1", "libstdc++.so.6"}
    uncovered = sorted(soname for soname, path in needed.items()
                       if soname not in covered | base
                       and not (path or "").startswith(qt_folder))
    assert uncovered == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_the_check_agrees_with_the_dynamic_loader(xcb_plugin):
    not_found = {soname for soname, path in ldd(xcb_plugin).items() if path is None}
    assert {library.soname for library in missing_libraries()} == not_found
    assert loadable("libc.so.6") and not loadable("libnot-a-library-of-anyone.so.7")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_main_says_what_is_missing_before_qt_starts(tmp_path):
    environ = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99"}
    environ.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, "main.py", "--kiosk", "--db", str(tmp_path / "k.db")],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60)
    missing = missing_libraries()
    if missing:  # this machine lacks some: the real message, exit 2, no Qt error
        assert done.returncode == 2
        assert explain(missing) in done.stderr and "qt.qpa" not in done.stderr
    else:  # all there: Qt itself starts (and fails for want of a display at :99)
        assert done.returncode != 2 and "sudo apt install" not in done.stderr
    assert not (tmp_path / "k.db").exists()  # nothing was created before the check


def test_the_readme_lists_every_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    apt = re.search(r"^sudo apt install (.+)$", readme, re.M)
    dnf = re.search(r"^sudo dnf install (.+?)(?:\s+#.*)?$", readme, re.M)
    assert apt and set(apt.group(1).split()) == {library.debian for library in XCB_LIBRARIES}
    assert dnf and set(dnf.group(1).split()) == {library.fedora for library in XCB_LIBRARIES}
