"""Desk figures on a 100,000-submission database: window open -> list shown, search
keystroke -> list updated, scrolling to the far end, and the peak memory of the process.

    python benchmarks/bench_desk.py [--count 100000] [--db EXISTING.db] [--searches 20] [--keep]

The database is made by the demo seeder (`main.py demo`) in a child process, so the peak
memory printed is the desk's own. Each figure is printed next to a baseline measured in
the same run: the store's own queries for the same thing, without Qt. "List updated" is
the time from the search being applied (the 150 ms typing pause has passed) to the new
rows being painted; the keystroke-to-screen time is that plus the deliberate pause.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# What a coordinator types: part of a surname or first name (the demo's "Test-"/"Demo-"
# markers are left out, as no real name has them), two words, phone digits, a date of
# birth, an ID, a resume code.
SEARCHES = ("garc", "martínez", "ana", "núñez", "lucía gar", "smith", "0142", "555 0142",
            "1980-05-17", "12345", "ok", "lop", "tanaka", "sof", "ram", "müller", "ivan",
            "priya", "0199 7", "walker")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def make_db(path: Path, count: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--count", str(count),
                    "--db", str(path)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def baseline(db: Path, searches: list[str]) -> dict[str, float]:
    from screening_app.store import Store

    with Store.open(db) as store:
        def first_screen(search: str | None) -> float:
            started = time.perf_counter()
            store.count_submissions(search=search)
            store.list_submissions(search=search, limit=200)
            return time.perf_counter() - started

        first_screen(None)
        opening = median([first_screen(None) for _ in range(5)])
        search = median([first_screen(s) for s in searches])
        started = time.perf_counter()
        total = store.count_submissions()
        store.list_submissions(limit=200, offset=0, descending=False)  # the far end, reversed
        far = time.perf_counter() - started
        return {"open": opening, "search": search, "far": far, "total": total}


def desk_figures(db: Path, searches: list[str]) -> dict[str, object]:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from screening_app.definition import load_questionnaire, shipped_questionnaire_path
    from screening_app.i18n import Translator
    from screening_app.store import Store
    from ui.desk.window import DeskWindow
    from ui.dialogs import ScriptedDialogs

    _app = QApplication.instance() or QApplication([])  # keeps Qt alive while we measure

    def run_until(done, limit: float = 30.0) -> None:
        """Run the event loop (idle in C++, as the app is) until `done()`; no busy spinning,
        which would hold the GIL and slow the loader thread down."""
        if done():
            return
        loop = QEventLoop()
        check = QTimer()
        check.setInterval(1)
        check.timeout.connect(lambda: done() and loop.quit())
        QTimer.singleShot(int(limit * 1000), loop.quit)
        check.start()
        loop.exec()
        check.stop()

    questionnaire = load_questionnaire(shipped_questionnaire_path())
    scratch = Path(tempfile.mkdtemp())
    figures: dict[str, object] = {}
    with Store.open(db) as store:
        user = store.get_user("demo-coordinator")
        settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
        started = time.perf_counter()
        window = DeskWindow(store, ScriptedDialogs(strict=False), settings, Translator("en"),
                            questionnaire_loader=lambda: questionnaire)
        window.resize(1366, 768)
        window.show()
        window.signed_in(user)  # the PIN check (scrypt) is timed apart below
        page = window.workspace.worklist
        model = page.model
        run_until(lambda: not model.loading and model.rowCount() > 0)
        page.table.viewport().repaint()
        figures["open"] = time.perf_counter() - started
        figures["rows"] = model.rowCount()
        started = time.perf_counter()
        store.authenticate("demo-coordinator", "2468")
        figures["pin"] = time.perf_counter() - started

        updates = []
        for text in searches:
            page.search.setText(text)  # starts the 150 ms typing pause
            page._timer.stop()
            started = time.perf_counter()
            page.apply_filters()  # what the pause's end does
            run_until(lambda: not model.loading)
            page.table.viewport().repaint()
            updates.append(time.perf_counter() - started)
        figures["search"] = updates
        page.search.setText("")
        page.apply_filters()
        run_until(lambda: not model.loading)

        started = time.perf_counter()
        last = model.rowCount() - 1
        page.table.scrollToBottom()
        page.table.viewport().repaint()
        run_until(lambda: model.row_at(last) is not None)
        page.table.viewport().repaint()
        figures["far"] = time.perf_counter() - started

        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        window.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="use this database (no seeding)")
    parser.add_argument("--searches", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    searches = [SEARCHES[i % len(SEARCHES)] for i in range(args.searches)]
    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    db = args.db
    try:
        if db is None:
            db = folder / "desk.db"
            seconds = make_db(db, args.count)
            print(f"demo database: {args.count:,} submissions in {seconds:.1f} s "
                  f"({db.stat().st_size / 1e6:.0f} MB)")
        base = baseline(db, searches)
        desk = desk_figures(db, searches)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        searched = desk["search"]
        print(f"rows in the list: {desk['rows']:,} (store count {base['total']:,})")
        print(f"window open -> list shown     {ms(desk['open'])}   "
              f"baseline store count + first page {ms(base['open'])}")
        print(f"search applied -> list shown  median {ms(median(searched))}  "
              f"max {ms(max(searched))}  (n={len(searched)})   "
              f"baseline store count + page {ms(base['search'])}")
        print(f"keystroke -> list shown       median {ms(median(searched) + 0.150)} "
              "(includes the deliberate 150 ms typing pause)")
        print(f"scroll to the far end         {ms(desk['far'])}   "
              f"baseline store count + reversed page {ms(base['far'])}")
        print(f"sign-in PIN check (scrypt)    {ms(desk['pin'])}")
        print(f"peak RSS of this process      {peak_mb:8.1f} MB")
    finally:
        if args.keep and args.db is None:
            print(f"kept {db}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
