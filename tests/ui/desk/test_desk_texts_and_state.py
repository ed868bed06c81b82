"""Texts (English and Spanish complete, every key used exists), window state, text size,
keyboard reach and accessible names."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

from screening_app.i18n import TRANSLATIONS
from tests.ui.desk.conftest import sign_in

DESK = Path(__file__).resolve().parents[3] / "ui" / "desk"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalog(lang: str) -> dict[str, str]:
    return yaml.safe_load((TRANSLATIONS / f"desk.{lang}.yaml").read_text(encoding="utf-8"))


def test_spanish_is_complete_with_the_same_placeholders():
    en, es = catalog("en"), catalog("es")
    assert set(en) == set(es)
    assert all(key.startswith("desk.") for key in en)
    for key, text in en.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(es[key])), key
        assert es[key].strip(), key


def test_every_key_the_desk_uses_exists():
    en = catalog("en")
    used = set()
    for path in DESK.glob("*.py"):
        used |= set(re.findall(r'"(desk\.[a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    missing = {key for key in used - set(en)  # t.plural's keys have .one and .other
               if not {f"{key}.one", f"{key}.other"} <= set(en)}
    assert used and not missing, sorted(missing)
    for prefix, names in (("desk.status.", ("draft", "submitted", "checked", "reviewed",
                                            "withdrawn")),
                          ("desk.role.", ("coordinator", "clinician", "admin")),
                          ("desk.flags.count.", ("exclusion", "review", "info")),
                          ("desk.list.with_", ("exclusion", "review", "info")),
                          ("desk.lang.", ("en", "es"))):
        assert all(prefix + name in en for name in names), prefix


def test_the_desk_in_spanish(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store, lang="es")
    assert window.sign_in_page.button.text() == "Iniciar sesión"
    sign_in(qtbot, window)
    assert "solicitudes · actualizada a las " in window.workspace.worklist.count.text()
    assert window.workspace.tabText(0) == "Lista de trabajo"


def test_window_state_and_text_size_are_remembered(qtbot, make_desk, seeded_store, settings,
                                                   dialogs, shipped):
    from screening_app.i18n import Translator
    from ui.desk.window import DeskWindow

    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    window.resize(760, 560)  # the offscreen screen is 800 x 600; restoring fits it
    header = window.workspace.worklist.table.horizontalHeader()
    header.resizeSection(2, 222)
    window.menu_actions["text_150"].trigger()
    assert "15.0pt" in window.styleSheet()
    window.close()
    assert settings.value("desk/text_scale") in (150, "150")

    again = DeskWindow(seeded_store, dialogs, settings, Translator("en"),
                       questionnaire_loader=lambda: shipped)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 560)  # restored before it is shown
    again.show()
    assert again.text_scale == 150 and "15.0pt" in again.styleSheet()
    assert again.menu_actions["text_150"].isChecked()
    sign_in(qtbot, again)
    assert again.workspace.worklist.table.horizontalHeader().sectionSize(2) == 222
    again.set_text_scale(100)
    again.close()


def test_inputs_have_accessible_names_and_are_reachable_by_tab(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    for widget in page.findChildren(QLineEdit) + page.findChildren(QComboBox):
        assert widget.accessibleName(), widget.objectName()
    chain, widget = [], page.search
    for _ in range(12):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & widget.focusPolicy().TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
    for target in (page.status, page.severity, page.export_button, page.new_button, page.table):
        assert target in chain, target.objectName()
    window.menu_actions["new_intake"].trigger()
    dialog = window.workspace.intake
    for widget in dialog.findChildren(QLineEdit) + dialog.findChildren(QAbstractButton):
        if widget.isVisible():
            assert widget.accessibleName() or widget.text(), widget.objectName()
    dialog.reject()


def test_the_desk_language_is_chosen_in_the_view_menu_for_the_next_start(
        qtbot, make_desk, seeded_store, settings, dialogs, monkeypatch):
    from ui.desk import window as window_module

    window = make_desk(seeded_store)
    assert window.menu_actions["lang_en"].isChecked()
    assert window.menu_actions["lang_es"].isEnabled()  # also before signing in
    window.menu_actions["lang_es"].trigger()
    assert settings.value("desk/lang") == "es"
    assert "in Spanish from the next time" in dialogs.messages("info")[-1]
    assert window.sign_in_page.button.text() == "Sign in"  # this window stays as it is
    window.close()

    monkeypatch.setattr(window_module, "install_crash_handler", lambda t: False)
    again = window_module.start_desk(seeded_store, dialogs=dialogs, settings=settings)
    qtbot.addWidget(again)
    assert again.t.lang == "es" and again.sign_in_page.button.text() == "Iniciar sesión"
    assert again.menu_actions["lang_es"].isChecked()
    settings.setValue("desk/lang", "fr")  # nothing the desk has: English
    third = window_module.start_desk(seeded_store, dialogs=dialogs, settings=settings)
    qtbot.addWidget(third)
    assert third.t.lang == "en"
