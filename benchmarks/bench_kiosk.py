"""Kiosk figures: start-up against a bare PySide6 window, and Next -> next step painted.

    python benchmarks/bench_kiosk.py [--runs 7] [--passes 5] [--startup-only] [--bundle DIR]

1. Start-up: `main.py --kiosk --db DB` in a fresh process (offscreen) with KIOSK_BENCH_EXIT=1,
   which prints a timestamp when the welcome page has painted ("painted"), again when it
   has painted with the clinic's name, which the store (opened just after the first
   paint) holds ("named"; the database has one, as a clinic's does), loads the
   questionnaire (what Start needs: "ready"), prints again and quits. The same is done for
   a bare PySide6 window that prints when it has painted. Runs alternate; medians; ratio.
   Target: painted under 1.5 x the bare window. A clinic without a name set sees the
   whole page at "painted"; one with a name sees its name join at "named".
   With --bundle DIR (a folder `python3 dev.py bundle --out DIR` made), the bundle's kiosk
   is measured in the same runs against a bare PySide6 window bundled the same way
   (PyInstaller, one folder; built here once), and against the bare window from source.
   Two ways: "cold", with Python told not to keep compiled bytecode (PYTHONDONTWRITEBYTECODE,
   as on this workplace's machines: every start compiles every module of the app again),
   and "warm", the app's modules compiled once beforehand (compileall), as on a clinic's
   computer from the second start on. PySide6's own modules are compiled by pip at install
   time either way, so the bare window pays no compilation in either.
2. Next -> painted: in this process, offscreen at 1280x800, the sample answers loaded; for
   each step (and the review) the time from the Next click to the new page's first paint.
   The page that Next will open is prepared while the person reads the current one, so
   the benchmark waits 0.2 s on each page, as a person would (at the very least).
   Target: median and worst under 50 ms. Also printed: the CPU time of the same work
   (on a shared, busy machine the wall time includes waiting for a CPU).
3. For the record of the threading decision: `save_answer` on the same disk.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = textwrap.dedent("""\
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication(sys.argv[:1])
    class Window(QWidget):
        done = False
        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.done:
                self.done = True
                QTimer.singleShot(0, self.report)
        def report(self):
            print(f"painted {time.time():.6f} {time.process_time():.6f}", flush=True)
            app.quit()
    window = Window()
    window.resize(1280, 800)
    window.show()
    app.exec()
""")


# What ui/app.py does before it calls start_kiosk (import and open the store), then the
# same bare window: the floor any kiosk window starts from with today's entry point.
FLOOR = BARE.replace("app = QApplication(sys.argv[:1])",
                     "from screening_app.store import Store\n"
                     "app = QApplication(sys.argv[:1])\n"
                     "store = Store.open(sys.argv[1])")


def run(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """ms from process start to each stamp ("painted", "ready"), and the process's own CPU
    time up to it ("painted cpu"): on a shared machine the wall time includes waiting."""
    started = time.time()
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    stamps = {}
    for line in out.stdout.splitlines():
        name, _, values = line.partition(" ")
        if name in {"painted", "named", "ready"}:
            wall, _, cpu = values.partition(" ")
            stamps[name] = (float(wall) - started) * 1000
            if cpu:
                stamps[f"{name} cpu"] = float(cpu) * 1000
    if "painted" not in stamps:
        raise SystemExit(f"no timestamp from {command}: {out.stderr}")
    return stamps


def startup(runs: int, bundle: Path | None) -> None:
    import compileall

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_BENCH_EXIT": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory() as folder:
        db = kiosk_database(Path(folder) / "kiosk.db")
        startup_with(runs, env, db, {}, "cold: the app's modules compiled at every start")
        for package in ("screening_app", "ui"):
            compileall.compile_dir(ROOT / package, quiet=1)
        warm = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
        bundled = {}
        if bundle is not None:
            bare_app = bundle_bare_window(Path(folder))
            bundled = {"bundle: bare window": [str(bare_app)],
                       "bundle: kiosk welcome": [str(bundle / "msc-screening" / "msc-screening"),
                                                 "--kiosk", "--db", str(db)]}
        startup_with(runs, warm, db, bundled,
                     "warm: the app's modules compiled once, as from the second start on")


def kiosk_database(db: Path) -> Path:
    """A database the kiosk opens: it never makes one, and wants a staff member."""
    from screening_app.store import Store

    with Store.open(db) as store:
        store.create_user("bench", "Bench", "coordinator", "24681357", actor="bench")
        store.set_setting("clinic_name", "Clínica del Estudio", actor="bench")
    return db


def bundle_bare_window(folder: Path) -> Path:
    """The bare window, frozen as the app is (PyInstaller one-folder): the fair baseline."""
    script = folder / "bare.py"
    script.write_text(BARE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir",
                    "--log-level", "WARN", "--distpath", str(folder / "dist"),
                    "--workpath", str(folder / "build"), "--specpath", str(folder), str(script)],
                   cwd=folder, check=True, capture_output=True)
    return folder / "dist" / "bare" / "bare"


def startup_with(runs: int, env: dict[str, str], db: Path, bundled: dict[str, list[str]],
                 title: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder) / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        floor_script = Path(folder) / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        commands = {"bare PySide6 window": [sys.executable, str(bare_script)],
                    "+ store import/open": [sys.executable, str(floor_script), str(db)],
                    "kiosk welcome": [sys.executable, "main.py", "--kiosk", "--db", str(db)],
                    **bundled}
        for command in commands.values():
            run(command, env)  # warms the disk cache
        times: dict[str, list[dict[str, float]]] = {label: [] for label in commands}
        for _ in range(runs):  # alternating, so a busy spell hits every command alike
            for label, command in commands.items():
                times[label].append(run(command, env))

    def median(label: str, key: str) -> float:
        return statistics.median(t[key] for t in times[label])

    bare, bare_cpu = median("bare PySide6 window", "painted"), median("bare PySide6 window", "painted cpu")
    print(f"start-up, {title}; median of {runs} runs (process start -> painted; CPU: the process's own):")
    print(f"  bare PySide6 window     {bare:7.1f} ms            CPU {bare_cpu:6.1f} ms")
    rows = [("+ store import/open", "painted", "  (bare window, store opened first)"),
            ("kiosk welcome", "painted", " (target < 1.5)"),
            ("kiosk welcome", "named", "  (painted again with the clinic's name)"),
            ("kiosk welcome", "ready", "  (ready for Start)")]
    for label, key, note in rows:
        wall, cpu = median(label, key), median(label, f"{key} cpu")
        print(f"  {label:23s} {wall:7.1f} ms ratio {wall / bare:.2f}"
              f"   CPU {cpu:6.1f} ms ratio {cpu / bare_cpu:.2f}{note}")
    if bundled:
        frozen = median("bundle: bare window", "painted")
        frozen_cpu = median("bundle: bare window", "painted cpu")
        print(f"  bundle: bare window     {frozen:7.1f} ms ratio {frozen / bare:.2f}"
              f"   CPU {frozen_cpu:6.1f} ms  (against the bare window from source)")
        for key, note in (("painted", "target < 1.5; "), ("named", "with the clinic's name; ")):
            wall = median("bundle: kiosk welcome", key)
            cpu = median("bundle: kiosk welcome", f"{key} cpu")
            print(f"  bundle: kiosk {key:9s} {wall:7.1f} ms ratio {wall / frozen:.2f}"
                  f"   CPU {cpu:6.1f} ms ratio {cpu / frozen_cpu:.2f} (against the bundled bare"
                  f" window; {note}{wall / bare:.2f} against source's)")


def next_to_painted(passes: int, large: bool) -> tuple[list[float], list[float]]:
    """(wall-clock times, this thread's CPU times) in ms; on a busy machine the CPU time
    shows the kiosk's own work, the wall time what a person would have waited."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from screening_app.engine.answers import flatten_answers
    from screening_app.store import Store
    from ui.kiosk.window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])

    class PaintSpy(QObject):
        """Notes the moment the new page has been painted (just after its Paint event)."""

        target = None
        painted = False
        at = (0.0, 0.0)

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched is self.target and not self.painted:
                QTimer.singleShot(0, self.note)
            return False

        def note(self):
            self.at = (time.perf_counter(), time.thread_time())
            self.painted = True

    spy = PaintSpy()
    app.installEventFilter(spy)
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "b.db") as store:
        window = KioskWindow(store, idle_seconds=3600)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        sample = json.loads((ROOT / "tests/fixtures/complete_answers.json").read_text("utf-8"))
        for _ in range(passes):
            window.start("en")
            if large:
                window.set_theme(text="larger")
            session = window.controller.session
            answers = flatten_answers(session.questionnaire, sample)
            for path, value in answers.items():
                session.set_answer(path, value)
            window.controller.record(answers, True)
            window.flow.show_step(session.visible_steps()[0].id)
            reading = QEventLoop()
            QTimer.singleShot(300, reading.quit)
            reading.exec()
            while window.flow.step_id != session.visible_steps()[-1].id:
                spy.painted = False
                started, started_cpu = time.perf_counter(), time.thread_time()
                window.flow_page.next_button.click()
                spy.target = window.flow_page.scroll.widget()
                while not spy.painted:
                    app.processEvents()
                times.append((spy.at[0] - started) * 1000)
                cpu.append((spy.at[1] - started_cpu) * 1000)
                # The person reads the page before the next tap (~0.2 s at the very least):
                # the event loop deletes the old page and prepares the next one meanwhile.
                app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                reading = QEventLoop()
                QTimer.singleShot(200, reading.quit)
                reading.exec()
            window.reset()
            app.processEvents()
        window.shutdown()
    app.removeEventFilter(spy)
    return times, cpu


def saves(count: int = 200) -> list[float]:
    from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
    from screening_app.store import Store

    questionnaire = load_questionnaire(shipped_questionnaire_path())
    times = []
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "s.db") as store:
        sid = store.start_submission(questionnaire, "en", "bench")
        for i in range(count):
            started = time.perf_counter()
            store.save_answer(sid, "first_name", f"Ana {i}", "bench")
            times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--startup-only", action="store_true", help="only the start-up figures")
    parser.add_argument("--bundle", type=Path, default=None,
                        help="a folder `dev.py bundle --out` made: its kiosk too")
    args = parser.parse_args(argv)
    startup(args.runs, args.bundle)
    if args.startup_only:
        return 0
    for large in (False, True):
        times, cpu = next_to_painted(args.passes, large)
        label = "larger text" if large else "normal text"
        print(f"Next -> painted, {label}, {len(times)} page changes:"
              f" median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms (target < 50);"
              f" CPU median {statistics.median(cpu):.1f}, worst {max(cpu):.1f} ms")
    save_times = saves()
    print(f"save_answer (synchronous=FULL): median {statistics.median(save_times):.2f} ms,"
          f" worst {max(save_times):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
