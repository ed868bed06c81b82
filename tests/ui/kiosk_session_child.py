"""A whole kiosk session in a child process, through the app's own entry point:

    python -m tests.ui.kiosk_session_child ANSWERS.json -- --kiosk --db postgresql://...

`ui.app.run_app` opens the store and the kiosk window as `main.py --kiosk` does (through
the window that reaches the server first, ui/connect.py). Once the kiosk shows, it is
driven as a person would (QTest): every step with the answers in ANSWERS.json (flat
paths), the signature, Submit, and finally the staff exit with the coordinator's PIN
(the window closes, run_app returns). Prints `submitted<TAB>ID` once the thank-you page
shows, and `exit<TAB>CODE` at the end.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STAFF = ("coordinator", "246810")


def drive(answers: dict) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tests.ui.kiosk_driver import Driver, settle
    from ui.kiosk.window import KioskWindow

    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow))
    person = Driver(QTest, window)
    person.start()
    while not window.flow.in_review:
        person.fill_step(answers)
        person.next()
    person.next()  # the review: on to consent
    person.fill_step({k: v for k, v in answers.items() if k != "signer_name"})
    person.sign("signature")
    submission_id = window.controller.submission_id
    person.next()
    settle()
    if window.current_page() is not window.thanks_page:
        print("not-submitted", flush=True)
    else:
        print(f"submitted\t{submission_id}", flush=True)
    window.open_staff_exit()
    window.staff_page.username.setText(STAFF[0])
    window.staff_page.pin.setText(STAFF[1])
    person.click(window.staff_page.confirm)


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import run_app
    from ui.kiosk.window import KioskWindow

    answers = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    app = QApplication(sys.argv[:1])
    waiting = QTimer()  # the kiosk's window opens once the server was reached (ui/connect.py)

    def when_open() -> None:
        if any(isinstance(w, KioskWindow) and w.isVisible() for w in app.topLevelWidgets()):
            waiting.stop()
            drive(answers)

    waiting.timeout.connect(when_open)
    waiting.start(50)
    code = run_app(argv[2:])
    app.processEvents()
    print(f"exit\t{code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
