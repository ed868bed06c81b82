"""What the audit of the desk found on screen: text that must fit at 125/150 %, Alt+letter
keys that must each do one thing, and an automatic sign-out while the desk is asking a
question in a real (modal) dialog."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QWidget

from tests.ui.desk.conftest import sign_in
from ui.desk.panels import HistoryTable

MNEMONIC = re.compile(r"&([^&])")


def alt_letters(top: QWidget) -> dict[str, list[str]]:
    """Alt+letter keys of what is on screen in one window: menu titles, buttons, tabs and
    labels that lead to a field."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str) -> None:
        match = MNEMONIC.search(text.replace("&&", ""))
        if match:
            found[match.group(1).lower()].append(text)

    if hasattr(top, "menuBar"):
        for action in top.menuBar().actions():
            if action.isVisible():
                add(action.text())
    for widget in top.findChildren(QWidget):
        if widget.window() is not top or not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QAbstractButton) or (
                isinstance(widget, QLabel) and widget.buddy() is not None):
            add(widget.text())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index))
    return found


def clashes(top: QWidget) -> dict[str, list[str]]:
    return {key: texts for key, texts in alt_letters(top).items() if len(texts) > 1}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_alt_letter_does_one_thing(qtbot, make_desk, seeded_store, lang):
    window = make_desk(seeded_store, lang=lang)
    sign_in(qtbot, window, "demo-admin")  # the Admin menu is there too
    assert clashes(window) == {}
    assert len(alt_letters(window)) > 8
    workspace = window.workspace
    for status in ("draft", "submitted"):  # a draft also has "continue at the desk", "kiosk"
        row = seeded_store.list_submissions(status=status, limit=1)[0]
        workspace.open_submission(row.id)
        assert clashes(window) == {}, status
    intake = workspace.new_intake()
    assert clashes(intake) == {}
    intake.reject()
    draft = seeded_store.list_submissions(status="draft", limit=1)[0].id
    fill = workspace.fill_at_desk(draft)
    assert clashes(fill) == {}
    fill.reject()
    users = window.open_users()
    assert clashes(users) == {}
    users.close()


@pytest.mark.parametrize("scale", [125, 150])
def test_first_run_and_sign_in_grow_with_the_text(qtbot, make_desk, empty_store, seeded_store,
                                                  settings, scale):
    settings.setValue("desk/text_scale", scale)
    window = make_desk(empty_store)
    page = window.first_run
    page.clinic.setText("Clínica Demo Norte")
    em = page.clinic.fontMetrics().horizontalAdvance("M")
    assert em >= 10 * scale / 100  # the larger text is in effect
    assert page.card.width() >= 40 * em
    # The whole name shows in the field (with its frame and padding), nothing scrolled away.
    assert page.clinic.fontMetrics().horizontalAdvance(page.clinic.text()) + em < page.clinic.width()

    again = make_desk(seeded_store)
    card = again.sign_in_page.card
    assert card.width() >= 40 * card.fontMetrics().horizontalAdvance("M")


def test_history_shows_every_column_whole_at_150_percent(qtbot, make_desk, seeded_store,
                                                          settings):
    settings.setValue("desk/text_scale", 150)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    corrected = next(r.id for r in seeded_store.list_submissions(status="submitted", limit=200)
                     if any(e.action == "answer_edited"
                            for e in seeded_store.audit_history(r.id)))
    edit = next(e for e in seeded_store.audit_history(corrected) if e.action == "answer_edited")
    view = window.workspace.open_submission(corrected)
    view.left_tabs.setCurrentWidget(view.history)
    table = view.history
    qtbot.waitUntil(table.isVisible)
    header = table.horizontalHeader()
    em = table.fontMetrics().horizontalAdvance("M")
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert sum(widths) <= table.viewport().width()  # no sideways scrolling to find the reason
    assert min(widths) >= 6 * em, widths
    reason = HistoryTable.COLUMNS.index("reason")
    row = next(r for r in range(table.rowCount()) if table.item(r, reason).text() == edit.reason)
    # The wrapped reason gets the height it needs: nothing is cut off at the bottom.
    needed = table.fontMetrics().boundingRect(
        QRect(0, 0, widths[reason] - 8, 10_000), int(Qt.TextFlag.TextWordWrap), edit.reason)
    assert table.rowHeight(row) >= needed.height()
    when = table.item(row, HistoryTable.COLUMNS.index("when")).text()
    assert when.endswith("\nDemo Coordinator")  # the person, not the login


def test_automatic_sign_out_closes_a_question_the_desk_is_asking(qtbot, seeded_store, settings,
                                                                 shipped):
    """A reason dialog left open (a real, modal one) is closed by the idle sign-out: the
    person's name in it does not stay on screen, and nothing is stored."""
    from screening_app.i18n import Translator
    from ui.desk.window import DeskWindow
    from ui.dialogs import QtDialogs

    window = DeskWindow(seeded_store, QtDialogs(), settings, Translator("en"),
                        questionnaire_loader=lambda: shipped)
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window)
    row = seeded_store.list_submissions(status="submitted", limit=1)[0]
    view = window.workspace.open_submission(row.id)
    asked = []

    def look() -> None:
        asked.append(QApplication.activeModalWidget())

    rescue = []

    def last_resort() -> None:  # only so that a failure cannot hang the test run
        modal = QApplication.activeModalWidget()
        if modal is not None:
            rescue.append(modal)
            modal.close()

    QTimer.singleShot(50, look)
    QTimer.singleShot(10_000, last_resort)
    window.idle.start(0.004)  # about a quarter of a second without input
    view.withdraw()  # blocks in the dialog until something closes it
    assert asked and asked[0] is not None  # the reason dialog was up
    assert not rescue
    assert window.workspace is None and window.current_page() is window.sign_in_page
    assert seeded_store.get_submission(row.id).status == "submitted"
    qtbot.wait(20)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert shown == []
    window.close()


def test_the_idle_minutes_spin_box_has_buttons_that_can_be_seen(qtbot, make_desk, seeded_store,
                                                                settings):
    """The style sheet's border on spin boxes had left their up/down buttons as slivers
    without arrows; they are now a finger wide with chevrons."""
    from PySide6.QtWidgets import QStyle, QStyleOptionSpinBox

    settings.setValue("desk/text_scale", 150)
    window = make_desk(seeded_store)
    sign_in(qtbot, window, "demo-admin")
    spin = window.open_users().settings_box.inputs["desk_idle_minutes"]
    option = QStyleOptionSpinBox()
    option.initFrom(spin)
    option.subControls = QStyle.SubControl.SC_All
    em = spin.fontMetrics().horizontalAdvance("M")
    for part in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        button = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part, spin)
        assert button.width() >= 1.5 * em, button
    for match in re.findall(r'url\("([^"]+)"\)', window.styleSheet()):
        assert Path(match).is_file(), match
    window.users_dialog.close()
