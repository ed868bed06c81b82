"""Counts of one in the singular, in English and Spanish: the automatic sign-out's minute,
the folder for one PDF summary, the study export of one submission. (The work list's count
and the key facts' years have theirs in test_desk_filters.py and test_pdf_key_facts.py.)"""

from __future__ import annotations

import pytest

from screening_app.demo import ensure_demo_users
from tests.export.helpers import complete_answers, submit
from tests.ui.desk.conftest import sign_in
from tests.ui.desk.test_desk_export import select_rows

IDLE = {"en": "You were signed out after 1 minute without activity.",
        "es": "Se cerró la sesión tras 1 minuto sin actividad."}
FOLDER = {"en": "Choose a folder for 1 PDF summary", "es": "Elija una carpeta para 1 resumen PDF"}
SAVED = {"en": "The answers of 1 submission were saved", "es": "Las respuestas de 1 cuestionario se"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_one_minute_and_one_pdf_summary_are_singular(qtbot, make_desk, seeded_store, dialogs,
                                                     lang):
    seeded_store.set_setting("desk_idle_minutes", 1, actor="test")
    window = make_desk(seeded_store, lang=lang)
    sign_in(qtbot, window)
    select_rows(window.workspace.worklist, 1)
    dialogs.answer("choose_directory", None)
    window.workspace.worklist.export_button.click()
    assert dialogs.shown[-1].kind == "choose_directory"
    assert dialogs.shown[-1].title == FOLDER[lang]
    window.idle.start(0.002)  # as if the minute had passed
    qtbot.waitUntil(lambda: window.workspace is None, timeout=3000)
    assert window.sign_in_page.message.text().startswith(IDLE[lang])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_study_export_of_one_submission_is_singular(qtbot, make_desk, empty_store, dialogs,
                                                        tmp_path, lang):
    ensure_demo_users(empty_store)
    submit(empty_store, complete_answers())
    window = make_desk(empty_store, lang=lang)
    sign_in(qtbot, window)
    dialogs.answer("choose_save_path", tmp_path / "study.csv")
    with qtbot.waitSignal(window.workspace.exported, timeout=60_000) as blocker:
        window.workspace.export_study("csv")
    assert blocker.args[0].total == 1 and not blocker.args[0].failed
    [message] = dialogs.messages("info")
    assert message.startswith(SAVED[lang]), message
