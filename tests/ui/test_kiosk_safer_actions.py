"""Issue 15, "Safer actions": the safe choice is the default and the destructive button is
at least 24 px from it; a cleared signature comes back until the page is left; focus has a
look of its own, never the warning colour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_touch import opened
from ui.kiosk.theme import HIGH_CONTRAST, NORMAL, Theme

MIN_GAP = 24


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def gap(a: QRect, b: QRect) -> int:
    """The empty space between two rectangles (0 when they touch or overlap)."""
    horizontal = max(b.left() - a.right() - 1, a.left() - b.right() - 1)
    vertical = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1)
    return max(horizontal, vertical, 0)


@pytest.mark.parametrize("large", [False, True])
def test_remove_asks_with_the_safe_choice_first_focused_and_far_from_the_destructive_one(
        qtbot, make_kiosk, large):
    kiosk = make_kiosk()
    kiosk.resize(1024, 768)
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.set_theme(text="larger" if large else "normal")
    person.session.set_answer("ever_treated", "yes")
    kiosk.flow.show_step("treatments")
    group = person.widget("treatments")
    person.click(group.add_button)
    card = group.card(group.rows()[0])
    person.click(card.done_button)
    person.click(card.remove_button)
    settle()
    safe, destructive = card.remove_no, card.remove_yes
    assert safe.isVisible() and destructive.isVisible()
    assert QApplication.focusWidget() is safe  # Enter or a stray tap on the focus keeps it
    safe_at, destructive_at = window_rect(safe, kiosk), window_rect(destructive, kiosk)
    assert safe_at.left() < destructive_at.left()
    assert gap(safe_at, destructive_at) >= MIN_GAP
    assert card.focus_chain().index(safe) < card.focus_chain().index(destructive)
    # Remove itself is as far from Edit/Done on the card's header.
    person.click(safe)
    assert gap(window_rect(card.edit_button, kiosk), window_rect(card.remove_button, kiosk)) >= MIN_GAP
    assert group.rows() == [0]


def signed_consent(qtbot, kiosk, complete):
    person = opened(qtbot, kiosk, complete, "consent")
    widget = person.widget("signature")
    widget.pad.add_stroke([QPoint(20, 40), QPoint(300, 120), QPoint(500, 60)])
    widget.pad.stroke_finished.emit()
    settle()
    return person, widget


def test_clear_signature_is_far_from_the_pad_and_a_cleared_signature_comes_back(qtbot, kiosk, complete,
                                                                                 store):
    person, widget = signed_consent(qtbot, kiosk, complete)
    sid = kiosk.controller.submission_id
    assert gap(window_rect(widget.pad, kiosk), window_rect(widget.clear_button, kiosk)) >= MIN_GAP
    signed = person.session.answers["signature"]
    assert not widget.undo_button.isVisible()
    clear_at = window_rect(widget.clear_button, kiosk)
    person.click(widget.clear_button)
    settle()
    kiosk.controller.flush()
    assert widget.pad.is_empty() and store.answers(sid).get("signature") is None
    assert widget.undo_button.isVisible()
    assert window_rect(widget.clear_button, kiosk) == clear_at  # nothing moved under the finger
    person.click(widget.undo_button)
    settle()
    kiosk.controller.flush()
    back = store.answers(sid)["signature"]
    assert back["signed_at"] == signed["signed_at"]
    assert not widget.pad.is_empty() and not widget.undo_button.isVisible()


def test_a_cleared_signature_cannot_come_back_once_the_page_was_left(qtbot, kiosk, complete):
    person, widget = signed_consent(qtbot, kiosk, complete)
    person.click(widget.clear_button)
    assert widget.undo_button.isVisible()
    person.back()
    person.next()  # the review, then the consent step again: a new page
    settle()
    if kiosk.flow.step_id != "consent":
        person.next()
    settle()
    again = person.widget("signature")
    assert again is not widget
    assert again.pad.is_empty() and not again.undo_button.isVisible()


def test_a_new_stroke_after_clear_is_the_signature_and_undo_goes(qtbot, kiosk, complete):
    _person, widget = signed_consent(qtbot, kiosk, complete)
    widget.clear_button.click()
    widget.pad.add_stroke([QPoint(40, 40), QPoint(200, 90)])
    widget.pad.stroke_finished.emit()
    assert not widget.undo_button.isVisibleTo(widget)


@pytest.mark.parametrize("colours", [NORMAL, HIGH_CONTRAST], ids=["normal", "contrast"])
def test_focus_never_uses_the_warning_or_error_colours(colours):
    alarm = {colours.warning.lower(), colours.warning_fill.lower(), colours.error.lower()}
    assert colours.focus.lower() not in alarm
    assert colours.focus_fill.lower() not in alarm
    # Not even close: amber and yellow hues (30-60 degrees) are the warning's.
    for colour in (colours.focus, colours.focus_fill):
        hue = QColor(colour).hslHue()
        assert hue == -1 or not 25 <= hue <= 65, colour


def colours_in(widget: QWidget) -> set[str]:
    image = widget.grab().toImage()
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)}


@pytest.mark.parametrize("contrast", [False, True])
def test_a_focused_button_and_a_tapped_option_do_not_look_like_a_warning(qtbot, make_kiosk, contrast):
    kiosk = make_kiosk()
    person = Driver(qtbot, kiosk)
    person.start()
    kiosk.set_theme(contrast=contrast)
    colours = Theme(contrast=contrast).colours
    # (In high contrast the warning's fill is the page's own black.)
    warning = {colours.warning, colours.warning_fill} - {colours.background, colours.surface}
    option = person.widget("sex_at_birth").options["female"]
    person.click(option)
    settle()
    assert option.hasFocus()
    assert not colours_in(option) & warning
    kiosk.flow_page.next_button.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    assert not colours_in(kiosk.flow_page.next_button) & warning
    assert colours.focus_fill in colours_in(kiosk.flow_page.next_button)
