"""Start the Qt application: the desk by default, the patient kiosk with --kiosk."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="MSC-in-MS screening: desk or kiosk")
    parser.add_argument("--kiosk", action="store_true", help="open the full-screen patient kiosk")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: per-user data dir)")
    from screening_app.store.keys import add_key_file_argument

    add_key_file_argument(parser)
    return parser.parse_args(argv)


def run_app(argv: list[str]) -> int:
    args = parse_args(argv)
    from ui.system_libraries import check_before_qt

    if code := check_before_qt(os.environ):  # before Qt says only "could not load xcb"
        return code
    from PySide6.QtWidgets import QApplication

    from screening_app.store import Store, StoreError
    from screening_app.store.keys import use_key_file
    from screening_app.store.paths import default_db_path

    use_key_file(args.key_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        store = Store.open(args.db or default_db_path())
    except StoreError as error:
        from ui.dialogs import show_fatal

        show_fatal(error.message)
        return 1
    with store:
        if args.kiosk:
            from ui.kiosk.window import start_kiosk

            window = start_kiosk(store)
        else:
            from ui.desk.window import start_desk

            window = start_desk(store)
        window.show()
        return app.exec()
