"""The desk in Spanish says everything in Spanish: its own buttons, Qt's file dialogs,
and the store's refusals (the desk's text for each error's code)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from screening_app.demo import DEMO_PIN
from screening_app.i18n import Translator
from screening_app.store import (
    DatabaseBusy,
    ErrorCode,
    PossibleDuplicate,
    StoreError,
    SubmissionIncomplete,
)
from screening_app.store.connection import translate_os_error
from tests.ui.desk.conftest import sign_in
from ui.desk.store_text import store_message
from ui.dialogs import QtDialogs, install_qt_translations

ES = Translator("es")


@pytest.fixture(autouse=True)
def english_qt_afterwards():
    yield
    install_qt_translations("en")


def texts_of(widget) -> set[str]:
    return ({b.text().replace("&", "") for b in widget.findChildren(QAbstractButton)}
            | {label.text() for label in widget.findChildren(QLabel)})


def while_open(run, look) -> set[str]:
    """Run a real dialog; `look` reads it while it is up, then it is cancelled."""
    seen: set[str] = set()

    def inspect() -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:
            seen.update(look(modal))
            modal.reject()
        else:
            QTimer.singleShot(20, inspect)

    QTimer.singleShot(20, inspect)
    run()
    return seen


def test_every_button_of_the_desk_is_in_spanish(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store, lang="es")
    assert "Bienvenida" not in window.first_run.title.text()
    sign_in(qtbot, window, "demo-admin")
    users = window.open_users()
    assert users.close_button.text() == "Cerrar"
    users.close()
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    handoff = window.workspace.show_handoff(draft.id)
    assert handoff.close_button.text() == "Cerrar"
    handoff.close()
    dialogs = QtDialogs(ES)
    asked = while_open(lambda: dialogs.ask_text(window, "Motivo", "¿Por qué?"), texts_of)
    assert {"Aceptar", "Cancelar"} <= asked and "Cancel" not in asked
    told = while_open(lambda: dialogs.info(window, "Exportar", "Hecho"), texts_of)
    assert "Aceptar" in told and "OK" not in told
    confirmed = while_open(lambda: dialogs.confirm(window, "¿Seguro?", "Texto"), texts_of)
    assert {"Aceptar", "Cancelar"} <= confirmed


def test_the_file_dialogs_use_qts_spanish(qtbot, make_desk, seeded_store, tmp_path):
    assert install_qt_translations("es")
    window = make_desk(seeded_store, lang="es")
    dialogs = QtDialogs(ES)
    shown = while_open(lambda: dialogs.choose_directory(window, "Carpeta", tmp_path), texts_of)
    # Qt's own Spanish, as far as qtbase_es.qm goes (it has no "&Look in:").
    assert {"Cancelar", "Seleccionar", "Directorio:"} <= shown and "Cancel" not in shown


def test_a_refused_sign_in_and_a_lock_in_spanish(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store, lang="es")
    page = window.sign_in_page
    page.username.setText("nadie-con-este-nombre")
    page.secret.setText("0000")
    page.button.click()
    assert page.message.text().startswith("Inicio de sesión rechazado")
    assert "bloqueada" not in page.message.text()  # an unknown name is never "locked"
    page.username.setText("demo-coordinator")
    for _ in range(5):
        page.secret.setText("0000")
        page.button.click()
    page.secret.setText(DEMO_PIN)  # even the right PIN: the account is locked for a while
    page.button.click()
    assert "bloqueada unos minutos" in page.message.text()
    assert "administrador" in page.message.text()


def test_the_desk_chooses_its_words_from_the_stores_code():
    read_only = translate_os_error(PermissionError(13, "denied"), Path("/data/x.db"))
    assert store_message(read_only, ES) == ES("desk.store.read_only", path="/data/x.db")
    assert "/data/x.db" in store_message(read_only, ES)
    assert "solo lectura" in store_message(read_only, ES)
    assert store_message(DatabaseBusy(ErrorCode.BUSY), ES).startswith("La base de datos está ocupada")
    assert store_message(SubmissionIncomplete([1, 2, 3]), ES).endswith(": 3.")
    duplicate = PossibleDuplicate([SimpleNamespace(id=7)])
    assert "#7" in duplicate.message and "#" not in store_message(duplicate, ES)
    short = StoreError(ErrorCode.SECRET_SHORT, count=6)
    assert "al menos 6 caracteres" in store_message(short, ES)
    assert "at least 6 characters" in store_message(short, Translator("en"))


def test_store_reads_that_fail_are_said_not_raised(qtbot, make_desk, seeded_store, dialogs,
                                                   monkeypatch):
    busy_words = Translator("en")("desk.store.busy")
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]

    def busy(*args, **kwargs):
        raise DatabaseBusy(ErrorCode.BUSY)

    monkeypatch.setattr(seeded_store, "list_users", busy)
    users = window.open_users()
    assert users.message.text() == busy_words and users.users == []
    users.close()
    monkeypatch.setattr(seeded_store, "answers", busy)
    assert window.workspace.show_handoff(draft.id) is None
    assert dialogs.messages("error") == [busy_words]
    monkeypatch.setattr(seeded_store, "get_setting", busy)
    window.sign_out()  # the sign-in page reads the clinic's name: it says why it cannot
    assert window.current_page() is window.sign_in_page
    assert busy_words in window.sign_in_page.message.text()
