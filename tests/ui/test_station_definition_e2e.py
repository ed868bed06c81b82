"""`--definition FILE` end to end: the kiosk and the desk started as `main.py` starts them
(ui/app.py `run_app`, its event loop and all) on a questionnaire that `import-definition`
converted from a public FHIR example, a question answered, and the answer read back from
the database after the app has ended. Only the refusal of a bad definition was tested
through `run_app` before (test_kiosk_definition.py); a window given the questionnaire by
hand skips the path a clinic takes (parse the arguments, load and check the file, choose
the languages, open the store, show the window)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from screening_app.cli import main as cli_main
from screening_app.store import Store
from tests.interop.helpers import FIXTURES
from tests.ui.kiosk_driver import Driver, settle

BLUEBOOK = FIXTURES / "fhir" / "r4b-questionnaire-example-bluebook.json"  # the NSW "blue book"
STAFF = ("coordinator", "246810")
WATCHDOG_MS = 60_000  # a window left waiting (a failed step, a dialog) must not hang the suite


@pytest.fixture
def definition(tmp_path: Path) -> Path:
    out = tmp_path / "bluebook.yaml"
    assert cli_main(["import-definition", str(BLUEBOOK), "--out", str(out)]) == 0
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.db"
    with Store.open(path) as store:
        store.create_user(STAFF[0], "Coordinator", "coordinator", STAFF[1])
    return path


def run_driven(argv: list[str], window_class: type, drive: Callable[[QWidget], None]) -> int:
    """`run_app(argv)` with `drive(window)` run once its window shows; a failure in
    `drive` ends the app and is raised here, so it fails the test instead of hanging it."""
    from ui.app import run_app

    app = QApplication.instance()
    failed: list[BaseException] = []
    waiting = QTimer()

    def when_shown() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, window_class) and w.isVisible()]
        if not windows:
            return
        waiting.stop()
        try:
            drive(windows[0])
        except BaseException as error:  # raised again once the loop has ended
            failed.append(error)
            for widget in app.topLevelWidgets():
                widget.close()
            app.exit(99)

    def give_up() -> None:
        failed.append(TimeoutError(f"the app was still running after {WATCHDOG_MS} ms"))
        for widget in app.topLevelWidgets():
            widget.close()
        app.exit(98)

    waiting.timeout.connect(when_shown)
    waiting.start(50)
    QTimer.singleShot(WATCHDOG_MS, give_up)
    code = run_app(argv)
    waiting.stop()
    if failed:
        raise failed[0]
    return code


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_kiosk_started_with_an_imported_definition_stores_the_answers(qtbot, definition, db):
    from ui.kiosk.window import KioskWindow

    seen: dict[str, object] = {}

    def drive(window: KioskWindow) -> None:
        qtbot.waitUntil(lambda: window.store_open, timeout=10_000)
        assert list(window.welcome.language_buttons) == ["en"]  # the definition's one language
        person = Driver(qtbot, window)
        person.start("en")
        seen["questionnaire"] = person.session.questionnaire.id
        seen["submission"] = window.controller.submission_id
        person.type("nameofchild", "Baby Example")
        person.choose("sex", "f")
        settle()
        window.open_staff_exit()
        window.staff_page.username.setText(STAFF[0])
        window.staff_page.pin.setText(STAFF[1])
        person.click(window.staff_page.confirm)  # the window closes, run_app returns

    code = run_driven(["--kiosk", "--definition", str(definition), "--db", str(db)], KioskWindow, drive)
    assert code == 0
    assert seen["questionnaire"] == "bb"  # the imported one, not the shipped onboarding
    with Store.open(db, existing=True) as store:
        [row] = store.list_submissions()
        assert row.id == seen["submission"]
        assert store.questionnaire_for(row.id).id == "bb"
        assert store.answers(row.id) == {"nameofchild": "Baby Example", "sex": "f"}


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_desk_started_with_an_imported_definition_takes_an_intake_and_stores_the_answer(
        qtbot, definition, db):
    """The definition has no name or date of birth of its own (the blue book asks for the
    child's name as text): New intake still records the person, and the questionnaire is
    filled in at the desk."""
    from tests.ui.desk.conftest import sign_in
    from tests.ui.desk.test_desk_intake import type_person
    from ui.desk.window import DeskWindow

    seen: dict[str, object] = {}

    def drive(window: DeskWindow) -> None:
        qtbot.waitExposed(window)
        sign_in(qtbot, window, *STAFF)
        window.menu_actions["new_intake"].trigger()
        dialog = window.workspace.intake
        type_person(qtbot, dialog, "Alex", "Example", "1990-04-02")
        dialog.check_duplicates()
        qtbot.waitUntil(dialog.desk_button.isEnabled, timeout=5000)
        dialog.desk_button.click()
        fill = window.workspace.fill
        assert fill is not None and fill.isVisible()
        seen["submission"] = fill.submission_id
        seen["questionnaire"] = fill.session.questionnaire.id
        form = fill.forms[fill.current]
        edit = form.answer_widget("nameofchild").edit
        edit.setText("Baby Example")
        edit.textEdited.emit("Baby Example")
        edit.editingFinished.emit()
        fill.flush()
        fill.close()
        window.close()  # the last window: the app's loop ends

    code = run_driven(["--definition", str(definition), "--db", str(db)], DeskWindow, drive)
    assert code == 0
    assert seen["questionnaire"] == "bb"
    with Store.open(db, existing=True) as store:
        [row] = store.list_submissions()
        assert row.id == seen["submission"]
        assert store.questionnaire_for(row.id).id == "bb"
        assert store.answers(row.id) == {"nameofchild": "Baby Example"}  # no stray identity answers
        person = store.get_candidate(row.candidate_id)
        assert (person.first_name, person.last_name, person.date_of_birth) == \
            ("Alex", "Example", "1990-04-02")
