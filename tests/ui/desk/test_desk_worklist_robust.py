"""An unusual search never breaks the work list, and an unexpected error anywhere is shown
on the GUI thread, once, without its text reaching the log."""

from __future__ import annotations

import logging
import threading

from PySide6.QtWidgets import QApplication, QLabel

from screening_app.i18n import Translator
from screening_app.store import Store
from tests.ui.desk.conftest import SEED_COUNT, sign_in, wait_list
from ui.desk.crash import CrashReporter


def type_search(qtbot, window, text: str) -> None:
    page = window.workspace.worklist
    page.search.setText(text)
    wait_list(qtbot, window)


def test_unicode_digits_and_a_pasted_paragraph_are_plain_searches(qtbot, make_desk,
                                                                  seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    for text in ("²", "٣/٠٥/١٩٨٠", " ".join(f"word{i}" for i in range(1000))):
        type_search(qtbot, window, text)
        assert page.model.rowCount() == 0
        assert page.count.text().startswith("0 submissions"), page.count.text()
    type_search(qtbot, window, "")
    assert page.model.rowCount() == SEED_COUNT


def test_a_failing_query_is_reported_and_the_next_search_works(qtbot, make_desk, seeded_store,
                                                               monkeypatch, caplog):
    """The loader thread used to die on anything but a store error: "Loading…" forever."""
    original = Store.count_submissions
    secret = "Zyx-Private-Name"

    def broken(self, **filters):
        if filters.get("search") == secret:
            raise ValueError(f"a bug that quotes the search {secret}")
        return original(self, **filters)

    monkeypatch.setattr(Store, "count_submissions", broken)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    caplog.set_level(logging.ERROR)
    page.search.setText(secret)
    qtbot.waitUntil(lambda: "could not be read" in page.count.text(), timeout=5000)
    assert "unexpected problem" in page.count.text()
    assert not page.model.loading
    assert "ValueError" in caplog.text and secret not in caplog.text  # no typed text logged
    type_search(qtbot, window, "demo")
    assert page.model.rowCount() == seeded_store.count_submissions(search="demo") > 0
    assert page.count.text().startswith(f"{page.model.rowCount()} submissions")


def test_an_error_on_another_thread_is_shown_on_the_gui_thread_once(qtbot, tmp_path):
    reporter = CrashReporter(Translator("en"), log_file=tmp_path / "desk-errors.log")
    private = "Test-Ana Demo-García, 555-0142"

    def fail() -> None:
        try:
            raise RuntimeError(private)
        except RuntimeError as error:
            reporter.handle(type(error), error, error.__traceback__)

    for _ in range(3):  # a loader failing again and again must not stack message boxes
        worker = threading.Thread(target=fail)
        worker.start()
        worker.join()
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: reporter.suppressed == 2, timeout=3000)
    box = reporter.box
    assert box.thread() is QApplication.instance().thread()
    assert box.windowTitle() == "Something went wrong" and str(tmp_path) in box.text()
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crash-box"
             and w.isVisible()]
    assert boxes == [box]
    log = (tmp_path / "desk-errors.log").read_text(encoding="utf-8")
    assert log.count("builtins.RuntimeError") == 3 and "555-0142" not in log
    assert "test_desk_worklist_robust.py:" in log and " in fail" in log  # where, for support
    box.close()
    qtbot.waitUntil(lambda: reporter.box is None, timeout=3000)


def test_a_draft_name_with_control_or_direction_characters_is_shown_as_typed(qtbot, make_desk,
                                                                               seeded_store,
                                                                               shipped):
    """A draft keeps every keystroke (the field says the name is refused, but nothing is
    lost): a right-to-left override in it turned "Ana" + U+202E + "ziuR Evil" into a name
    read backwards in the work list. The list shows such characters as escapes."""
    sid = seeded_store.start_submission(shipped, "en", actor="kiosk")
    seeded_store.save_answers(sid, {"first_name": "Ana\u202eziuR", "last_name": "Evil\x1b[2J\x07"},
                              actor="kiosk")
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    type_search(qtbot, window, str(sid))
    page = window.workspace.worklist
    [row] = [r for r in range(page.model.rowCount())
             if page.model.data(page.model.index(r, 0)) == str(sid)]
    shown = page.model.data(page.model.index(row, page.model.COLUMNS.index("name")))
    assert shown == "Ana\\u202eziuR Evil\\u001b[2J\\u0007"
    # ... and so does every other place the desk names the person: tab, header, hand-over
    view = window.workspace.open_submission(sid)
    assert view.name.text() == shown
    assert window.workspace.tabText(window.workspace.indexOf(view)) == shown
    dialog = window.workspace.show_handoff(sid)
    assert shown in " ".join(label.text() for label in dialog.findChildren(QLabel))
    dialog.close()
