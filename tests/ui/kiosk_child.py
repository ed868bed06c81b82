"""A kiosk in a child process, for the kill -9 test: answers a few questions, then waits.

    python -m tests.ui.kiosk_child DB

Runs the real window offscreen and drives it through its widgets (QTest). Prints
`code<TAB>K7M2-QX9D` once started, `saved<TAB>path<TAB>json` after each save has returned
from the store, `step<TAB>id` after each step change was stored, and finally `ready`; then
it waits, with typing still in progress, to be killed.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from screening_app.store import Store
    from tests.ui.kiosk_driver import Driver
    from ui.kiosk.window import KioskWindow

    app = QApplication(sys.argv[:1])
    store = Store.open(argv[0])
    window = KioskWindow(store, idle_seconds=3600, save_delay_ms=300, voice_engine="mock")
    window.resize(1280, 800)
    window.show()

    def report(batch: dict) -> None:
        for path, value in batch.items():
            print(f"saved\t{path}\t{json.dumps(value)}", flush=True)

    window.controller.saved.connect(report)
    person = Driver(QTest, window)
    person.start("es")
    print(f"code\t{window.controller.code}", flush=True)
    person.fill_step({"first_name": "Ana", "last_name": "Núñez", "date_of_birth": "1980-05-17",
                      "sex_at_birth": "female", "phone": "555 010 2030",
                      "preferred_contact": ["phone", "email"]})
    person.next()
    print(f"step\t{person.step}", flush=True)
    person.choose("ms_diagnosed", "yes")
    person.choose("ms_type", "rrms")
    person.type("diagnosis_year", "2015", leave=False)  # saved by the 300 ms debounce
    QTimer.singleShot(1000, lambda: (person.type("symptom_onset_year", "201", leave=False),
                                     print("ready", flush=True)))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
