"""Before Qt starts on Linux: are the system libraries of Qt's xcb platform there?

Qt's pip wheels carry Qt itself but not the X11 libraries its `xcb` platform plugin
loads. When one is missing Qt only says "could not load the Qt platform plugin xcb", so
we look first and name the packages. The list comes from `ldd` on the plugin
(PySide6/Qt/plugins/platforms/libqxcb.so); tests/ui/test_system_libraries.py checks it
against the installed plugin, so a new PySide6 that needs more fails a test, not a clinic.

Pure standard library: dev.py imports this before the environment exists.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import NamedTuple


class Library(NamedTuple):
    soname: str
    debian: str  # Debian and Ubuntu package
    fedora: str  # Fedora (and RHEL) package


XCB_LIBRARIES = (
    Library("libxcb.so.1", "libxcb1", "libxcb"),
    Library("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    Library("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    Library("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    Library("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    Library("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    Library("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    Library("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    Library("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    Library("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    Library("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    Library("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    Library("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    Library("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    Library("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    Library("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    Library("libX11.so.6", "libx11-6", "libX11"),
    Library("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    Library("libGL.so.1", "libgl1", "libglvnd-glx"),
    Library("libEGL.so.1", "libegl1", "libglvnd-egl"),
    Library("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    Library("libfreetype.so.6", "libfreetype6", "freetype"),
    Library("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)

# Platforms Qt can be asked for that do not load the xcb plugin.
_OTHER_PLATFORMS = {"offscreen", "minimal", "wayland", "wayland-egl", "eglfs", "linuxfb", "vnc",
                    "vkkhrdisplay", "minimalegl"}


def starts_qt(argv: list[str]) -> bool:
    """Whether `main.py argv` opens a window (not a command-line action, help or version)."""
    if argv and not argv[0].startswith("-"):
        return False
    return not {"-h", "--help", "--version"} & set(argv)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt would load its xcb plugin first: on Linux, unless QT_QPA_PLATFORM (or, when
    it is unset, a Wayland session) chooses another platform."""
    if not platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        first = requested.split(";")[0].split(":")[0].strip().lower()
        return first not in _OTHER_PLATFORMS
    return environ.get("XDG_SESSION_TYPE", "").lower() != "wayland" or not environ.get(
        "WAYLAND_DISPLAY")


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads this library (what Qt will ask of it)."""
    import ctypes  # only when Qt would use xcb: the kiosk's first paint need not wait for it

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(can_load: Callable[[str], bool] = loadable) -> list[Library]:
    return [library for library in XCB_LIBRARIES if not can_load(library.soname)]


def explain(missing: list[Library]) -> str:
    debian = " ".join(dict.fromkeys(library.debian for library in missing))
    fedora = " ".join(dict.fromkeys(library.fedora for library in missing))
    names = ", ".join(library.soname for library in missing)
    return (
        f"The app cannot open its window: Qt needs system libraries that are missing ({names}).\n"
        "Install them, then start the app again:\n"
        f"  Debian, Ubuntu:  sudo apt install {debian}\n"
        f"  Fedora:          sudo dnf install {fedora}\n"
        "(The command-line actions and the tests need none of these.)"
    )


def check_before_qt(environ: Mapping[str, str], can_load: Callable[[str], bool] = loadable,
                    platform: str = sys.platform) -> int:
    """0 when Qt can start (or will not use xcb); otherwise print what is missing and return 2."""
    if not uses_xcb(environ, platform):
        return 0
    missing = missing_libraries(can_load)
    if not missing:
        return 0
    print(explain(missing), file=sys.stderr)
    return 2
