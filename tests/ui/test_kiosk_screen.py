"""The kiosk covers the whole screen on a real display: under Xvfb with no window manager
(where it once opened as a 618x533 window), under Xvfb with a window manager, and under
cage started by the kiosk session launcher (packaging/linux/msc-kiosk-session). The
launcher's syntax and arguments are checked with a stand-in for cage.

These need Xvfb, openbox and cage; .ci/run installs them, and in CI a missing one fails
the test instead of skipping it."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.shared import missing_system_package

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "ui" / "kiosk_screen_child.py"
LAUNCHER = ROOT / "packaging" / "linux" / "msc-kiosk-session"
SERVICE = ROOT / "packaging" / "linux" / "msc-kiosk.service"
SCREEN = (1366, 768)


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        missing_system_package(f"{program} is not installed (.ci/run installs it)")
    return found


def clean_environ(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"}}
    return {**environ, **extra}


@pytest.fixture
def xvfb():
    """A fresh X server of SCREEN size on a free display number; yields ':N'."""
    read, write = os.pipe()
    server = subprocess.Popen([need("Xvfb"), "-displayfd", str(write), "-nolisten", "tcp",
                               "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def run_child(environ: dict[str, str], tmp_path: Path) -> dict:
    done = subprocess.run([sys.executable, str(CHILD), "--kiosk", "--db", str(tmp_path / "k.db")],
                          env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_window_manager_the_kiosk_covers_the_screen(xvfb, tmp_path):
    report = run_child(clean_environ(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb"), tmp_path)
    assert report["platform"] == "xcb"
    assert report["screen"] == [0, 0, *SCREEN]
    assert report["window"] == report["screen"] and report["full_screen"]


def test_with_a_window_manager_the_kiosk_covers_the_screen_without_a_frame(xvfb, tmp_path):
    manager = subprocess.Popen([need("openbox")], env=clean_environ(DISPLAY=xvfb),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        report = run_child(clean_environ(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb"), tmp_path)
    finally:
        manager.terminate()
        manager.wait(timeout=10)
    assert report["window"] == report["frame"] == [0, 0, *SCREEN] and report["full_screen"]


def test_the_launcher_is_valid_shell_and_passes_its_arguments_to_the_kiosk(tmp_path):
    subprocess.run(["sh", "-n", str(LAUNCHER)], check=True)
    assert os.access(LAUNCHER, os.X_OK)
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "cage").write_text('#!/bin/sh\nprintf "%s\\n" "$QT_QPA_PLATFORM" "$@"\n')
    (stand_in / "cage").chmod(0o755)
    app = tmp_path / "msc screening"  # a space in the path stays one argument
    app.write_text("#!/bin/sh\n")
    app.chmod(0o755)
    environ = {"PATH": f"{stand_in}:/usr/bin:/bin", "MSC_SCREENING_APP": str(app)}
    done = subprocess.run([str(LAUNCHER), "--db", "/var/lib/msc screening/s.db"], env=environ,
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["wayland", "-d", "--", str(app), "--kiosk", "--db",
                                        "/var/lib/msc screening/s.db"]


def test_the_launcher_says_what_is_missing(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    no_cage = subprocess.run([str(LAUNCHER)], env={"PATH": str(empty)}, capture_output=True,
                             text=True)
    assert no_cage.returncode == 2 and "sudo apt install cage" in no_cage.stderr
    (empty / "cage").write_text("#!/bin/sh\nexit 0\n")
    (empty / "cage").chmod(0o755)
    no_app = subprocess.run([str(LAUNCHER)], env={"PATH": f"{empty}:/usr/bin:/bin",
                                                  "MSC_SCREENING_APP": str(tmp_path / "none")},
                            capture_output=True, text=True)
    assert no_app.returncode == 2 and str(tmp_path / "none") in no_app.stderr


def test_the_service_starts_the_launcher_on_tty1_as_the_kiosk_user(tmp_path):
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read_string(SERVICE.read_text(encoding="utf-8"))
    service = unit["Service"]
    assert service["ExecStart"].split()[0].endswith("/msc-kiosk-session")
    assert (service["User"], service["TTYPath"], service["Restart"]) == (
        "kiosk", "/dev/tty1", "on-failure")
    assert "getty@tty1.service" in unit["Unit"]["Conflicts"]
    analyze = shutil.which("systemd-analyze")
    if analyze:  # systemd's own reading of the unit, with the launcher where it points
        copy = tmp_path / SERVICE.name
        copy.write_text(SERVICE.read_text(encoding="utf-8").replace(
            "/opt/msc-screening/msc-kiosk-session", str(LAUNCHER)))
        done = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def as_another_user() -> list[str]:
    """cage refuses to run as root: run it as `nobody` when we are root."""
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] \
        if os.geteuid() == 0 else []


def test_under_cage_the_launcher_shows_the_kiosk_full_screen():
    need("cage")
    # A folder the kiosk user may write (the tests' tmp_path is root's own when run as root).
    work = Path(tempfile.mkdtemp(prefix="msc-cage-"))
    runtime = work / "runtime"
    runtime.mkdir(mode=0o700)
    app = work / "app"
    app.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{CHILD}" "$@"\n')
    app.chmod(0o755)
    if os.geteuid() == 0:
        for path in (work, runtime, app):
            shutil.chown(path, "nobody", "nogroup")
    environ = clean_environ(MSC_SCREENING_APP=str(app), XDG_RUNTIME_DIR=str(runtime),
                            HOME=str(work), WLR_BACKENDS="headless", WLR_RENDERER="pixman",
                            WLR_LIBINPUT_NO_DEVICES="1",
                            SCREENING_KEY_FILE=str(work / "kiosk.key"))  # the kiosk user's own
    try:
        done = subprocess.run([*as_another_user(), str(LAUNCHER), "--db", str(work / "k.db")],
                              env=environ, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stdout + done.stderr
    report = json.loads(lines[-1])
    assert report["platform"] == "wayland"
    # cage sizes its one window to the output itself (it does not report a full-screen state)
    assert report["window"] == report["screen"] and report["screen"][2:] >= [640, 480]
