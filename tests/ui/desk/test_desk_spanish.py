"""The desk in Spanish says everything in Spanish: its own buttons, Qt's file dialogs,
and the store's refusals (mapped to the desk's texts by their type and words)."""

from __future__ import annotations

import re

import pytest
import yaml
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from screening_app.demo import DEMO_PIN
from screening_app.i18n import TRANSLATIONS, Translator
from screening_app.store import DatabaseBusy, PossibleDuplicate, StoreError, SubmissionIncomplete
from screening_app.store.connection import BUSY_MESSAGE, translate_os_error
from tests.ui.desk.conftest import sign_in
from ui.desk import store_text
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


def test_the_stores_messages_have_spanish_words():
    es = yaml.safe_load((TRANSLATIONS / "desk.es.yaml").read_text(encoding="utf-8"))
    keys = {*store_text.EXACT.values(), *(k for _p, k in store_text.PATTERNS),
            *(k for _t, k in store_text.BY_TYPE), "incomplete", "duplicate", "other"}
    keys |= {f"{k}_at" for k in ("damaged", "read_only", "cannot_open", "network_drive")}
    assert all(f"desk.store.{key}" in es for key in keys), keys
    for english in store_text.EXACT:
        assert store_message(StoreError(english), ES) != english
    assert store_message(DatabaseBusy(BUSY_MESSAGE), ES).startswith("La base de datos está ocupada")
    assert store_message(DatabaseBusy(BUSY_MESSAGE), Translator("en")) == BUSY_MESSAGE
    assert "3 respuestas" in store_message(SubmissionIncomplete([1, 2, 3]), ES)
    assert "#" not in store_message(PossibleDuplicate([]), ES)
    read_only = translate_os_error(PermissionError(13, "denied"), "/data/x.db", "The database")
    assert "/data/x.db" in store_message(read_only, ES) and "solo lectura" in store_message(
        read_only, ES)
    assert re.search(r"al menos 4 caracteres", store_message(
        StoreError("The PIN or password needs at least 4 characters."), ES))


def test_store_reads_that_fail_are_said_not_raised(qtbot, make_desk, seeded_store, dialogs,
                                                   monkeypatch):
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]

    def busy(*args, **kwargs):
        raise DatabaseBusy(BUSY_MESSAGE)

    monkeypatch.setattr(seeded_store, "list_users", busy)
    users = window.open_users()
    assert users.message.text() == BUSY_MESSAGE and users.users == []
    users.close()
    monkeypatch.setattr(seeded_store, "answers", busy)
    assert window.workspace.show_handoff(draft.id) is None
    assert dialogs.messages("error") == [BUSY_MESSAGE]
    monkeypatch.setattr(seeded_store, "get_setting", busy)
    window.sign_out()  # the sign-in page reads the clinic's name: it says why it cannot
    assert window.current_page() is window.sign_in_page
    assert BUSY_MESSAGE in window.sign_in_page.message.text()
