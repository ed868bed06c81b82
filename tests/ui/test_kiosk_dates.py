"""Issue 15, "Dates as people know them", at the kiosk: the last relapse given as a month
(the day left out, the month typed as its number), saved as `YYYY-MM`, with no message,
and read back on the review page as the month."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.kiosk_driver import settle
from tests.ui.test_kiosk_touch import opened


def test_a_relapse_month_is_typed_and_kept_without_its_day(qtbot, kiosk, store, complete, shipped):
    step = shipped.step_of["last_relapse_date"]
    person = opened(qtbot, kiosk, complete, step)
    widget = person.widget("last_relapse_date")
    assert widget.captions[0].text() == "Day (optional)"
    person.click(widget.day)
    widget.day.selectAll()
    qtbot.keyClick(widget.day, Qt.Key.Key_Delete)  # "2025-08-15" loses its day
    qtbot.keyClick(widget.day, Qt.Key.Key_Tab)     # on to Month
    assert widget.month.hasFocus()
    qtbot.keyClicks(widget.month, "9")             # September, typed as a number
    qtbot.keyClick(widget.month, Qt.Key.Key_Tab)
    widget.year.selectAll()
    qtbot.keyClicks(widget.year, "2026")
    qtbot.keyClick(widget.year, Qt.Key.Key_Tab)
    settle()
    assert person.session.answers["last_relapse_date"] == "2026-09"
    assert not widget.message.isVisibleTo(kiosk)
    sid = kiosk.controller.submission_id
    qtbot.waitUntil(lambda: store.answers(sid).get("last_relapse_date") == "2026-09", timeout=3000)
    person.next()
    assert person.step != step  # nothing to fix: the month is enough
    kiosk.flow.show_review()
    settle()
    shown = [label.text() for label in kiosk.flow_page.content.findChildren(QLabel)]
    assert "Sep 2026" in shown
