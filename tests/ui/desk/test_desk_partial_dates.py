"""Issue 15, "Dates as people know them", at the desk: a coordinator corrects the last
relapse to the month the candidate remembers (no day); it is saved as `YYYY-MM`, audited,
shown as the month, and the flags are judged on any day of it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from screening_app.engine.session import Session
from screening_app.i18n import Translator
from tests.ui.desk.conftest import sign_in
from tests.ui.desk.test_desk_submission import history_cell, tree_paths


def test_a_date_is_corrected_to_a_month_at_the_desk(qtbot, make_desk, seeded_store, dialogs, shipped):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    sid = next(r.id for r in seeded_store.list_submissions(status="submitted", limit=200)
               if Session(shipped, seeded_store.answers(r.id)).is_applicable("last_relapse_date"))
    submitted = seeded_store.get_submission(sid).submitted_at[:7]  # the month it was judged in
    view = window.workspace.open_submission(sid)
    view.answers.select_path("last_relapse_date")
    view.buttons["edit"].click()
    dialog = view.edit_dialog
    widget = dialog.widget
    assert widget.captions[0].text() == "Day (optional)"
    widget.day.selectAll()
    qtbot.keyClick(widget.day, Qt.Key.Key_Delete)
    year, month = submitted.split("-")
    widget.year.selectAll()
    qtbot.keyClicks(widget.year, year)
    qtbot.keyClicks(widget.month, month)  # "11": typed as its number
    assert dialog.value() == submitted and dialog.save_button.isEnabled()
    dialogs.answer("ask_text", "Candidate remembers only the month")
    dialog.save_button.click()
    assert seeded_store.answers(sid)["last_relapse_date"] == submitted
    entry = [e for e in seeded_store.audit_history(sid) if e.action == "answer_edited"][-1]
    assert (entry.item, entry.new_value) == ("last_relapse_date", submitted)
    shown = tree_paths(view)["last_relapse_date"].text(1)
    assert shown == f"{Translator('en')(f'month.{int(month)}')} {year}"  # "Nov 2026"
    corrected = next(row for row in range(view.history.rowCount())
                     if history_cell(view, row, "what") == "Answer corrected")
    assert history_cell(view, corrected, "change").endswith(f"→ {shown}")
    # A relapse in the month the questionnaire was submitted is within any washout.
    assert "R07_recent_relapse" in {f.rule for f in seeded_store.flags(sid)}
