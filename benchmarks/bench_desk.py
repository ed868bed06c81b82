"""Desk figures on a 100,000-submission database: window open -> list shown, keystroke in
the search field -> list updated, scrolling to the far end and deep in the name order, and
the peak memory of the process.

    python benchmarks/bench_desk.py [--db EXISTING.db] [--count 100000] [--interval 150]

Without --db a database is made by `benchmarks/make_big_db.py` in a child process (a few
minutes; under the system's temporary folder), so the peak memory printed is the desk's
own. A database without desk users gets the demo users (PIN 24681010).

"Keystroke -> list updated" is measured from the key press (a real key event into the
search field) to the moment the list has painted the rows of that text
or of a later one (a newer keystroke supersedes an older query). Two ways of typing:

- one key: the search text minus its last letter is settled, then the last key is typed;
- typing: every search typed letter by letter, one key every --interval ms (150 ms is a
  quick typist); each key's time counts, including keys whose query had to wait for the
  one before it.

Each figure is printed next to a baseline measured in the same run: the store's own
queries for the same thing, without Qt.
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

# What a coordinator types: part of a surname or first name, two words, phone digits, a
# date of birth, an ID, a resume code's start.
SEARCHES = ("garc", "martínez", "ana", "núñez", "lucía gar", "smith", "0142", "555 0142",
            "1980-05-17", "12345", "ok", "lop", "tanaka", "sof", "ram", "müller", "ivan",
            "priya", "0199 7", "walker")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def spread(samples: list[float]) -> str:
    return f"median {ms(statistics.median(samples))}  worst {ms(max(samples))}  (n={len(samples)})"


def make_db(path: Path, count: int) -> float:
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_big_db.py"), str(path),
                    "--submissions", str(count)], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def baseline(db: Path, searches: list[str]) -> dict[str, float]:
    from screening_app.store import Store

    with Store.open(db) as store:
        def first_screen(search: str | None) -> float:
            started = time.perf_counter()
            total = store.count_submissions(search=search)
            store.list_submissions(search=search, limit=200, total=total)
            return time.perf_counter() - started

        first_screen(None)
        opening = statistics.median([first_screen(None) for _ in range(5)])
        search = statistics.median([first_screen(s) for s in searches])
        started = time.perf_counter()
        total = store.count_submissions()
        store.list_submissions(limit=200, offset=0, descending=False)  # the far end, reversed
        far = time.perf_counter() - started
        started = time.perf_counter()
        store.list_submissions(order_by="candidate", limit=200, offset=total // 2, total=total)
        by_name = time.perf_counter() - started
        return {"open": opening, "search": search, "far": far, "by_name": by_name,
                "total": total}


def press(widget, char: str) -> None:
    """A key press and release carrying `char`, as the keyboard sends them (QTest's
    keyClick garbles letters outside ASCII)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    key = Qt.Key(ord(char.upper())) if char.isascii() else Qt.Key.Key_unknown
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


class Desk:
    """The real desk window, signed in, and a clock on what its list paints."""

    def __init__(self, store, questionnaire, scratch: Path) -> None:
        from PySide6.QtCore import QSettings

        from screening_app.i18n import Translator
        from ui.desk.window import DeskWindow
        from ui.dialogs import ScriptedDialogs

        settings = QSettings(str(scratch / "s.ini"), QSettings.Format.IniFormat)
        self.window = DeskWindow(store, ScriptedDialogs(strict=False), settings,
                                 Translator("en"), questionnaire_loader=lambda: questionnaire)
        self.window.resize(1366, 768)
        self.window.show()
        self.shown: list[tuple[float, str]] = []  # (when painted, the search it shows)

    def sign_in(self, user) -> None:
        self.window.signed_in(user)  # the PIN check (scrypt) is timed apart
        self.page = self.window.workspace.worklist
        self.model = self.page.model
        self.model.shown.connect(self._painted)

    def _painted(self) -> None:
        self.page.table.viewport().repaint()  # the rows on screen, drawn
        self.shown.append((time.perf_counter(), self.model.query.search))

    def run_until(self, done, limit: float = 60.0) -> None:
        """Run the event loop (idle in C++, as the app is) until `done()`; no busy spinning,
        which would hold the GIL and slow the loader thread down."""
        from PySide6.QtCore import QEventLoop, QTimer

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

    def settle(self, text: str) -> None:
        self.page.search.setText(text)
        self.run_until(lambda: not self.model.loading)

    def type_keys(self, text: str, interval: float) -> list[float]:
        """Type `text` after what is in the field, a key every `interval` s; each key's
        time to the first paint of its text or a later one."""
        pressed: list[tuple[float, str]] = []
        start = time.perf_counter()
        for n, key in enumerate(text):
            self.run_until(lambda n=n: time.perf_counter() >= start + n * interval)
            pressed.append((time.perf_counter(), self.page.search.text() + key))
            press(self.page.search, key)
        final = self.page.search.text()
        self.run_until(lambda: not self.model.loading and self.model.query.search == final)
        latencies = []
        for n, (when, _typed) in enumerate(pressed):
            this_or_later = {typed for _, typed in pressed[n:]}
            painted = next(t for t, shown in self.shown if t >= when and shown in this_or_later)
            latencies.append(painted - when)
        return latencies


def desk_figures(db: Path, searches: list[str], interval: float) -> dict[str, object]:
    from PySide6.QtWidgets import QApplication

    from screening_app.demo import ensure_demo_users
    from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path
    from screening_app.store import Store

    _app = QApplication.instance() or QApplication([])  # keeps Qt alive while we measure
    import ui.desk.window  # noqa: F401  (imported before the clock starts, as at startup)

    questionnaire = load_questionnaire(shipped_questionnaire_path())
    scratch = Path(tempfile.mkdtemp())
    figures: dict[str, object] = {}
    with Store.open(db) as store:
        ensure_demo_users(store)
        user = store.get_user("demo-coordinator")
        started = time.perf_counter()
        desk = Desk(store, questionnaire, scratch)
        desk.sign_in(user)
        desk.run_until(lambda: not desk.model.loading and desk.model.rowCount() > 0)
        desk.page.table.viewport().repaint()
        figures["open"] = time.perf_counter() - started
        figures["rows"] = desk.model.rowCount()
        started = time.perf_counter()
        store.authenticate("demo-coordinator", "246810")
        figures["pin"] = time.perf_counter() - started

        one_key = []
        for text in searches:
            desk.settle(text[:-1])
            desk.shown.clear()
            one_key += desk.type_keys(text[-1], interval)
        figures["one_key"] = one_key
        typing = []
        for text in searches:
            desk.settle("")
            desk.shown.clear()
            typing += desk.type_keys(text, interval)
        figures["typing"] = typing
        desk.settle("")

        model, table = desk.model, desk.page.table
        started = time.perf_counter()
        last = model.rowCount() - 1
        table.scrollToBottom()
        table.viewport().repaint()
        desk.run_until(lambda: model.cached(last) is not None)
        table.viewport().repaint()
        figures["far"] = time.perf_counter() - started

        from PySide6.QtCore import Qt

        from ui.desk.list_model import SubmissionTableModel

        header = table.horizontalHeader()
        header.setSortIndicator(SubmissionTableModel.COLUMNS.index("name"),
                                Qt.SortOrder.AscendingOrder)
        desk.run_until(lambda: not model.loading)
        middle = model.rowCount() // 2
        started = time.perf_counter()
        table.scrollTo(model.index(middle, 0))
        table.viewport().repaint()
        desk.run_until(lambda: model.cached(middle) is not None)
        table.viewport().repaint()
        figures["by_name"] = time.perf_counter() - started
        desk.window.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="use this database (no seeding)")
    parser.add_argument("--searches", type=int, default=20)
    parser.add_argument("--interval", type=float, default=150, help="ms between typed keys")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    searches = [SEARCHES[i % len(SEARCHES)] for i in range(args.searches)]
    folder = Path(tempfile.mkdtemp(prefix="bench-desk-"))
    db = args.db
    try:
        if db is None:
            db = folder / "desk.db"
            seconds = make_db(db, args.count)
            print(f"database: {args.count:,} submissions in {seconds:.1f} s "
                  f"({db.stat().st_size / 1e6:.0f} MB)")
        base = baseline(db, searches)
        desk = desk_figures(db, searches, args.interval / 1000)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"rows in the list: {desk['rows']:,} (store count {base['total']:,})")
        print(f"window open -> list shown            {ms(desk['open'])}   "
              f"baseline store count + first page {ms(base['open'])}")
        print(f"keystroke -> list updated, one key   {spread(desk['one_key'])}   "
              f"baseline store count + page (median) {ms(base['search'])}")
        print(f"keystroke -> list updated, typing    {spread(desk['typing'])}   "
              f"(a key every {args.interval:g} ms)")
        print(f"scroll to the far end                {ms(desk['far'])}   "
              f"baseline store count + reversed page {ms(base['far'])}")
        print(f"row 50,000 in name order shown       {ms(desk['by_name'])}   "
              f"baseline store page {ms(base['by_name'])}")
        print(f"sign-in PIN check (scrypt)           {ms(desk['pin'])}")
        print(f"peak RSS of this process             {peak_mb:7.1f} MB")
    finally:
        if args.keep and args.db is None:
            print(f"kept {db}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
