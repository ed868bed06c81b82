"""Issue 17: the kiosk's thank-you words on the desk's "Users and settings": a box that
wraps the one line so it can be read whole, the built-in words shown while it is empty,
saved with an audit row, refused with the store's words when they do not fit."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QRect, Qt

from tests.ui.desk.conftest import sign_in
from ui.desk.settings_form import WrappedLine

WORDS = "Maria from the study team will call you within two weeks. Questions? Call 555-0100."


def open_settings(qtbot, make_desk, store):
    window = make_desk(store)
    sign_in(qtbot, window, "demo-admin")
    return window.open_users()


def changes_of(store, key: str) -> list:
    return store._rows("SELECT actor, old_value, new_value FROM audit_log"
                       " WHERE action = 'setting_changed' AND item = ? ORDER BY id", (key,))


def test_the_words_are_saved_with_an_audit_row_and_read_back(qtbot, make_desk, seeded_store):
    seeded_store.set_setting("kiosk_contact_working_days", 3, actor="test")
    dialog = open_settings(qtbot, make_desk, seeded_store)
    english = dialog.settings_box.inputs["kiosk_thank_you_en"]
    spanish = dialog.settings_box.inputs["kiosk_thank_you_es"]
    assert isinstance(english, WrappedLine) and english.text() == ""
    # Empty shows what the patient will read instead, in that language, with the days.
    assert english.placeholderText() == "The study team will contact you within 3 working days."
    assert spanish.placeholderText() == (
        "El equipo del estudio se comunicará con usted en un plazo de 3 días hábiles.")
    assert "When empty, the kiosk says: The study team" in english.accessibleDescription()
    english.setFocus()
    qtbot.keyClicks(english, "Maria will call you.")
    qtbot.keyClick(english, Qt.Key.Key_Return)  # one line: Enter is no line break
    qtbot.keyClicks(english, " Questions? Call 555-0100.")
    assert english.text() == "Maria will call you. Questions? Call 555-0100."
    english.setText(WORDS)
    dialog.save_settings.click()
    assert dialog.message.text() == dialog.t("desk.users.settings_saved")
    assert seeded_store.get_setting("kiosk_thank_you_en") == WORDS
    assert seeded_store.get_setting("kiosk_thank_you_es") == ""
    assert [(c["actor"], c["new_value"]) for c in changes_of(seeded_store, "kiosk_thank_you_en")] == [
        ("demo-admin", f'"{WORDS}"')]
    assert changes_of(seeded_store, "kiosk_thank_you_es") == []  # unchanged: no row
    dialog.close()
    again = open_settings(qtbot, make_desk, seeded_store)
    assert again.settings_box.inputs["kiosk_thank_you_en"].text() == WORDS


def test_pasted_line_breaks_become_spaces(qtbot, make_desk, seeded_store):
    dialog = open_settings(qtbot, make_desk, seeded_store)
    box = dialog.settings_box.inputs["kiosk_thank_you_es"]
    pasted = QMimeData()
    pasted.setText("Gracias.\nLe llamaremos\r\nen dos semanas.")
    box.insertFromMimeData(pasted)
    assert box.text() == "Gracias. Le llamaremos en dos semanas."


def test_words_that_do_not_fit_are_refused_said_and_not_written(qtbot, make_desk, seeded_store):
    dialog = open_settings(qtbot, make_desk, seeded_store)
    box = dialog.settings_box.inputs["kiosk_thank_you_en"]
    for refused in ("x" * 401, "You \u202equalify", "Thanks\x1b[2J"):
        box.setText(refused)
        dialog.save_settings.click()
        assert dialog.message.text() == dialog.t("desk.store.setting_text", count=400)
        assert box.text() == refused  # kept for correcting: nothing typed is lost
    assert seeded_store.get_setting("kiosk_thank_you_en") == ""
    assert changes_of(seeded_store, "kiosk_thank_you_en") == []


def test_saving_what_was_not_changed_writes_no_audit_row(qtbot, make_desk, seeded_store):
    before = len(seeded_store._rows("SELECT id FROM audit_log WHERE action = 'setting_changed'"))
    dialog = open_settings(qtbot, make_desk, seeded_store)
    dialog.save_settings.click()  # the desk saves every setting; none was changed
    assert dialog.message.text() == dialog.t("desk.users.settings_saved")
    after = len(seeded_store._rows("SELECT id FROM audit_log WHERE action = 'setting_changed'"))
    assert after == before


def test_on_a_short_screen_at_150_percent_the_settings_scroll_and_the_buttons_stay(
        qtbot, make_desk, seeded_store, settings):
    """Seen rendered: two boxes of a few lines pushed Save and Close off a 1366x768 screen
    at 150 % text; the settings now scroll down (never across) between buttons that stay."""
    settings.setValue("desk/text_scale", 150)
    seeded_store.set_setting("kiosk_thank_you_en", WORDS * 4, actor="test")
    window = make_desk(seeded_store)
    window.resize(1366, 768)
    sign_in(qtbot, window, "demo-admin")
    dialog = window.open_users()
    qtbot.waitExposed(dialog)
    inside = dialog.rect()
    for button in (dialog.save_settings, dialog.close_button):
        assert button.isVisible()
        assert inside.contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))
    assert dialog.height() <= 768
    scroll = dialog.settings_scroll
    assert scroll.verticalScrollBar().maximum() > 0  # there is more below: it scrolls
    assert scroll.widget().width() <= scroll.viewport().width()  # nothing cut at the right
    box = dialog.settings_box.inputs["kiosk_thank_you_en"]
    box.setFocus()  # a keyboard user reaching the box sees it
    scroll.ensureWidgetVisible(box)
    top_left = box.mapTo(scroll.viewport(), box.rect().topLeft())
    assert scroll.viewport().rect().contains(top_left)
