"""The kiosk as the app opens it, on a real display, reporting where its window ended up.

    python tests/ui/kiosk_screen_child.py --kiosk --db FILE

Started by tests/ui/test_kiosk_screen.py under Xvfb (with and without a window manager)
and under cage (through packaging/linux/msc-kiosk-session). Opens the kiosk as ui/app.py
does (`start_kiosk`, `show`), waits until the window is exposed and its geometry has
settled, then prints one JSON line (platform, window and screen geometry, X window id)
and quits.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", action="store_true")
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from screening_app.store import Store
    from ui.kiosk.window import start_kiosk

    app = QApplication(sys.argv[:1])
    store = Store.open(args.db)
    window = start_kiosk(store)
    window.show()
    seen: list[tuple[int, int, int, int]] = []

    def look() -> None:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            seen.append(window.geometry().getRect())
        if (len(seen) >= 6 and len(set(seen[-6:])) == 1) or len(seen) > 200:  # settled: 300 ms
            timer.stop()
            print(json.dumps({"platform": app.platformName(),
                              "window": window.geometry().getRect(),
                              "frame": window.frameGeometry().getRect(),
                              "screen": window.screen().geometry().getRect(),
                              "full_screen": window.isFullScreen(),
                              "win_id": int(window.winId())}), flush=True)
            window.shutdown()
            app.quit()

    timer = QTimer(interval=50, timeout=look)
    timer.start()
    code = app.exec()
    store.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
