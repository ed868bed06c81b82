"""The submission view: answers by step, flags, key facts, history; edit with a reason,
check or review, withdraw; every store refusal shown in plain words."""

from __future__ import annotations

import pytest

from tests.ui.desk.conftest import sign_in
from ui.desk.panels import PATH_ROLE, HistoryTable


def history_cell(view, row: int, column: str) -> str:
    return view.history.item(row, HistoryTable.COLUMNS.index(column)).text()


def open_view(qtbot, make_desk, store, status="submitted", username="demo-coordinator", **filters):
    window = make_desk(store)
    sign_in(qtbot, window, username)
    row = store.list_submissions(status=status, limit=1, **filters)[0]
    view = window.workspace.open_submission(row.id)
    assert view is not None
    return window, view


def tree_paths(view) -> dict[str, object]:
    return {node.data(0, PATH_ROLE): node for node in view.answers._walk()
            if node.data(0, PATH_ROLE)}


def test_the_view_shows_answers_by_step_flags_facts_and_history(qtbot, make_desk, seeded_store):
    _window, view = open_view(qtbot, make_desk, seeded_store, severity="exclusion")
    snapshot = seeded_store.snapshot(view.submission_id)
    top = [view.answers.topLevelItem(i).text(0) for i in range(view.answers.topLevelItemCount())]
    assert top[0] == "About you" and len(top) == 10
    nodes = tree_paths(view)
    assert nodes["first_name"].text(1) == snapshot.answers["first_name"]
    assert view.name.text() == f"{snapshot.answers['first_name']} {snapshot.answers['last_name']}"
    assert "Submitted" in view.status.text()
    flags_text = view.flags.text()
    for flag in snapshot.flags:
        assert flag.rule in flags_text
    assert "EXCLUSION" in flags_text
    # Answers that raised a flag say so in words in their own column.
    evidence = {e.path for f in snapshot.flags for e in f.evidence if e.path in nodes}
    assert evidence and all(nodes[p].text(2) for p in evidence)
    assert "Age and sex" in view.facts.text()
    history = seeded_store.audit_history(view.submission_id)
    assert view.history.rowCount() == len(history)
    newest = {"flags_computed": "Flags computed", "submitted": "Submitted",
              "answer_edited": "Answer corrected"}[history[-1].action]
    assert history_cell(view, 0, "what") == newest  # newest first
    assert view.answers.accessibleName() == "Answers"
    assert view.flags.accessibleDescription()


def test_not_applicable_answers_are_shown_as_such(qtbot, make_desk, seeded_store, shipped):
    from screening_app.engine.session import Session

    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    target = None
    for row in seeded_store.list_submissions(status="submitted", limit=200):
        snap = seeded_store.snapshot(row.id)
        if Session(shipped, snap.answers).not_applicable():
            target = row.id
            break
    assert target is not None, "the demo data has kept, not-applicable answers"
    view = window.workspace.open_submission(target)
    path = view.session.not_applicable()[0]
    node = tree_paths(view)[path]
    assert node.text(1).startswith("Not applicable")


def test_edit_an_answer_with_a_reason_writes_the_audit_and_recomputes_flags(
        qtbot, make_desk, seeded_store, dialogs, shipped):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    sid = next(r.id for r in seeded_store.list_submissions(status="submitted", limit=200)
               if seeded_store.answers(r.id).get("steroids_30_days") == "no")
    view = window.workspace.open_submission(sid)
    view.answers.select_path("steroids_30_days")
    view.buttons["edit"].click()
    dialog = view.edit_dialog
    assert dialog is not None and not dialog.save_button.isEnabled()  # nothing changed yet
    yes = dialog.widget.inputs()[0]
    yes.click()
    assert dialog.value() == "yes" and dialog.save_button.isEnabled()
    dialogs.answer("ask_text", "Candidate remembered a prednisone course at the desk")
    dialog.save_button.click()
    assert seeded_store.answers(sid)["steroids_30_days"] == "yes"
    entry = [e for e in seeded_store.audit_history(sid) if e.action == "answer_edited"][-1]
    assert (entry.item, entry.old_value, entry.new_value) == ("steroids_30_days", "no", "yes")
    assert entry.reason == "Candidate remembered a prednisone course at the desk"
    assert entry.actor == "demo-coordinator"
    assert "R08_steroids" in {f.rule for f in seeded_store.flags(sid)}
    assert "R08_steroids" in view.flags.text()  # the view shows the recomputed flags
    assert tree_paths(view)["steroids_30_days"].text(1) == "Yes"
    # The message names the flags as the clinician reads them, not by rule id.
    rule = next(r for r in shipped.rules if r.id == "R08_steroids")
    [message] = [m for m in dialogs.messages("info") if "recomputed" in m]
    severity = {"exclusion": "Exclusion", "review": "Review", "info": "Info"}[rule.severity]
    assert f"• {severity}: {rule.criterion.get('en')}" in message
    assert "R08_steroids" not in message
    corrected = next(row for row in range(view.history.rowCount())
                     if history_cell(view, row, "what") == "Answer corrected")
    assert history_cell(view, corrected, "reason") == entry.reason
    assert history_cell(view, corrected, "change") == "No → Yes"
    assert history_cell(view, corrected, "when").endswith("\nDemo Coordinator")  # the person


def test_cancelling_the_reason_changes_nothing(qtbot, make_desk, seeded_store, dialogs):
    _window, view = open_view(qtbot, make_desk, seeded_store)
    path = "current_infection"
    view.answers.select_path(path)
    before = seeded_store.answers(view.submission_id)[path]
    history = seeded_store.audit_history(view.submission_id)
    view.edit_selected()
    other = next(w for w in view.edit_dialog.widget.inputs()
                 if w.property("code") != before) if before else None
    (other or view.edit_dialog.widget.inputs()[1]).click()
    dialogs.answer("ask_text", None)  # the person pressed Cancel
    view.edit_dialog.save_button.click()
    assert seeded_store.answers(view.submission_id)[path] == before
    assert seeded_store.audit_history(view.submission_id) == history


@pytest.mark.parametrize(("username", "check", "review"), [
    ("demo-coordinator", True, False), ("demo-admin", True, False),
    ("demo-clinician", False, True)])
def test_each_role_sees_the_signoff_it_may_give(qtbot, make_desk, seeded_store, username,
                                                check, review):
    _window, view = open_view(qtbot, make_desk, seeded_store, username=username)
    assert (view.buttons["check"].isVisibleTo(view), view.buttons["review"].isVisibleTo(view)) \
        == (check, review)


def test_a_coordinators_check_is_not_a_clinical_review(qtbot, make_desk, seeded_store, dialogs):
    window, view = open_view(qtbot, make_desk, seeded_store)
    assert view.buttons["check"].isEnabled()
    dialogs.answer("ask_text", "Answers checked for completeness and plausibility")
    view.buttons["check"].click()
    shown = dialogs.shown[-1]
    assert shown.kind == "ask_text" and "Demo Coordinator" in shown.text
    assert "not a clinical review" in shown.text
    record = seeded_store.get_submission(view.submission_id)
    assert record.status == "checked" and record.reviewed_by is None
    assert view.status.text() == "Checked"
    assert "Checked by Demo Coordinator (coordinator)" in view.details.text()
    assert "demo-coordinator" not in view.details.text()  # the person, not the login
    assert not view.buttons["check"].isEnabled()
    history = view.history
    assert history.item(0, 1).text() == "Answers checked"
    assert history.item(0, 0).text().endswith("Demo Coordinator")
    qtbot.waitUntil(lambda: not window.workspace.worklist.model.loading)


def test_a_clinician_records_a_decision_and_a_note(qtbot, make_desk, seeded_store, dialogs):
    window, view = open_view(qtbot, make_desk, seeded_store, username="demo-clinician")
    assert view.buttons["review"].isEnabled()
    dialogs.answer("ask_decision", ("more_information", "Ask for the last MRI report"))
    view.buttons["review"].click()
    shown = dialogs.shown[-1]
    assert shown.kind == "ask_decision" and "Dr. Demo Clinician" in shown.text
    record = seeded_store.get_submission(view.submission_id)
    assert record.status == "reviewed"
    review = record.signoff("clinical_review")
    assert (review.decision, review.note, review.full_name, review.role) == (
        "more_information", "Ask for the last MRI report", "Dr. Demo Clinician", "clinician")
    assert view.status.text() == "Clinically reviewed"
    assert ("Clinically reviewed by Dr. Demo Clinician (clinician)" in view.details.text()
            and "Decision: Needs more information" in view.details.text())
    assert not view.buttons["review"].isEnabled()
    qtbot.waitUntil(lambda: not window.workspace.worklist.model.loading)


def test_withdraw_keeps_the_answers_and_makes_them_read_only(qtbot, make_desk, seeded_store,
                                                             dialogs):
    _window, view = open_view(qtbot, make_desk, seeded_store)
    answers = seeded_store.answers(view.submission_id)
    dialogs.answer("ask_text", None)
    view.buttons["withdraw"].click()
    assert seeded_store.get_submission(view.submission_id).status == "submitted"
    dialogs.answer("ask_text", "Candidate asked to stop")
    view.buttons["withdraw"].click()
    assert seeded_store.get_submission(view.submission_id).status == "withdrawn"
    assert seeded_store.answers(view.submission_id) == answers
    entry = [e for e in seeded_store.audit_history(view.submission_id) if e.action == "withdrawn"]
    assert entry[-1].reason == "Candidate asked to stop"
    assert not view.buttons["withdraw"].isEnabled() and not view.buttons["edit"].isEnabled()
    assert "Withdrawn" in view.details.text()


def test_store_refusals_are_shown_in_plain_words(qtbot, make_desk, seeded_store, dialogs):
    _window, view = open_view(qtbot, make_desk, seeded_store)
    # Someone else withdraws it meanwhile; this desk still shows the old state.
    seeded_store.withdraw(view.submission_id, "demo-admin", "Entered twice")
    dialogs.answer("ask_text", "Checked")
    view.mark_checked()
    errors = dialogs.messages("error")
    assert errors == ["Only a submitted questionnaire can be checked or clinically reviewed."]
    assert "Traceback" not in errors[0]
    assert "Withdrawn" in view.status.text()  # the view reloaded itself


def test_an_edit_that_leaves_required_answers_missing_cannot_be_saved(qtbot, make_desk,
                                                                      seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    sid = next(r.id for r in seeded_store.list_submissions(status="submitted", limit=200)
               if seeded_store.answers(r.id).get("ever_treated") == "no"
               and not any(p.startswith("treatments[") for p in seeded_store.answers(r.id)))
    view = window.workspace.open_submission(sid)
    view.answers.select_path("ever_treated")
    view.edit_selected()
    dialog = view.edit_dialog
    dialog.widget.inputs()[0].click()  # "yes" needs at least one treatment row
    assert not dialog.save_button.isEnabled()
    assert dialog.note.isVisible() and "Your MS treatments" in dialog.note.text()
    dialog.reject()


def test_a_database_held_by_another_program_is_said_in_plain_words(qtbot, make_desk, seeded_db,
                                                                   dialogs):
    from screening_app.store import Store
    from tests.shared import raw_connection

    with Store.open(seeded_db, busy_timeout_ms=50, busy_retries=1) as store:
        window = make_desk(store)
        sign_in(qtbot, window)
        row = store.list_submissions(status="submitted", limit=1)[0]
        view = window.workspace.open_submission(row.id)
        other = raw_connection(seeded_db)  # e.g. a backup tool
        other.execute("BEGIN EXCLUSIVE")
        try:
            dialogs.answer("ask_text", "Checked")
            view.buttons["check"].click()
        finally:
            other.execute("ROLLBACK")
            other.close()
        [message] = dialogs.messages("error")
        assert "busy" in message.lower() or "another program" in message.lower(), message
        assert "Traceback" not in message and "sqlite" not in message.lower()
        assert store.get_submission(row.id).status == "submitted"
        dialogs.answer("ask_text", "Checked")  # once the other program lets go, it works
        view.buttons["check"].click()
        assert store.get_submission(row.id).status == "checked"
        window.close()


def test_a_one_line_answer_is_edited_in_a_compact_dialog(qtbot, make_desk, seeded_store):
    """The question, its help and the field stay together at the top (they were spread
    over the dialog's height), and the dialog is no taller than it needs."""
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    sid = next(r.id for r in seeded_store.list_submissions(status="submitted", limit=200)
               if "edss_score" in seeded_store.answers(r.id))
    view = window.workspace.open_submission(sid)
    view.answers.select_path("edss_score")
    view.edit_selected()
    dialog = view.edit_dialog
    qtbot.waitExposed(dialog)
    assert dialog.widget.height() <= dialog.widget.sizeHint().height() + 2
    em = dialog.fontMetrics().horizontalAdvance("M")
    assert dialog.height() < 30 * em
    dialog.reject()
    view.answers.select_path("mobility_level")  # a long list of choices keeps its room
    view.edit_selected()
    assert view.edit_dialog.height() >= 30 * em
    view.edit_dialog.reject()


def test_the_history_names_flags_by_their_criterion_and_wraps_them(qtbot, make_desk,
                                                                   seeded_store, settings):
    """Rule ids ("R09_immunosuppressant") could not wrap and were cut at 125/150 %."""
    import re

    settings.setValue("desk/text_scale", 150)
    _window, view = open_view(qtbot, make_desk, seeded_store, severity="exclusion")
    view.left_tabs.setCurrentWidget(view.history)
    qtbot.waitUntil(view.history.isVisible)
    column = HistoryTable.COLUMNS.index("change")
    width = view.history.horizontalHeader().sectionSize(column)
    metrics = view.history.fontMetrics()
    rows = [row for row in range(view.history.rowCount())
            if history_cell(view, row, "what") == "Flags computed"]
    assert rows
    for row in rows:
        text = history_cell(view, row, "change")
        assert text.startswith("+ ") and not re.search(r"\bR\d\d_", text), text
        assert all(metrics.horizontalAdvance(word) < width for word in text.split())
        assert view.history.rowHeight(row) >= metrics.height() * len(text.splitlines())


def test_tab_goes_through_the_view_top_to_bottom(qtbot, make_desk, seeded_store):
    """Tab used to go from the answers to the panels on the right, then to two scroll
    areas that showed nothing, and never to the action buttons."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QScrollArea

    window, view = open_view(qtbot, make_desk, seeded_store)
    workspace_tabs = window.workspace.tabBar()
    workspace_tabs.setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    buttons = [b for b in view.buttons.values() if b.isVisible() and b.isEnabled()]
    expected = [*buttons, view.left_tabs.tabBar(), view.answers, view.facts, view.flags]
    assert seen[:len(expected)] == expected
    assert seen[len(expected)] is workspace_tabs  # and round again
    assert not any(isinstance(w, QScrollArea) for w in seen)
    view.left_tabs.setCurrentWidget(view.history)
    view.left_tabs.tabBar().setFocus()
    qtbot.keyClick(view.left_tabs.tabBar(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.history


def test_evidence_reads_as_a_question_and_its_answer(qtbot, make_desk, seeded_store, settings):
    """"Which sentence best describes you?: …" and "(Rituximab (Rituxan; off-label)): Yes"
    read naturally now; and at 150 % the Key facts keep room for more than two facts."""
    settings.setValue("desk/text_scale", 150)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    rows = seeded_store.list_submissions(status="submitted", limit=200)
    with_row = next((r for r in rows if any("[" in e.path for f in seeded_store.flags(r.id)
                                            for e in f.evidence)), None)
    view = window.workspace.open_submission(with_row.id if with_row else rows[0].id)
    text = view.flags.accessibleDescription()
    assert "?:" not in text and ")):" not in text
    if with_row is not None:  # a treatment's row is named first, then the question
        assert " — " in text
    qtbot.waitUntil(lambda: view.side.isVisible())
    facts, flags = view.side.sizes()
    if view.snapshot.flags:
        assert facts >= 0.44 * (facts + flags)


def test_the_wording_of_a_group_answer_and_a_question(shipped):
    from screening_app.engine.display import answer_line, question_label
    from screening_app.i18n import Translator

    t = Translator("en")
    group = next(i for s in shipped.steps for i in s.items if i.type == "group" and i.row_label)
    field = next(f for f in group.items if f.id != group.row_label and f.type == "yes_no")
    row_item = group.field(group.row_label)
    choice = row_item.choices[0]
    answers = {f"{group.id}[0].{group.row_label}": choice.code}
    path = f"{group.id}[0].{field.id}"
    label = question_label(shipped, path, answers, t)
    assert label == f"{choice.label.get('en')} — {field.label.get('en')}"
    line = answer_line(shipped, path, "yes", answers, t)
    assert line == f"{label} Yes" if label.endswith("?") else f"{label}: Yes"
    question = next(i for s in shipped.steps for i in s.items
                    if i.type == "yes_no" and i.label.get("en").endswith("?"))
    assert answer_line(shipped, question.id, "no", {}, t) == f"{question.label.get('en')} No"


def test_a_signoff_before_a_correction_is_shown_as_out_of_date(qtbot, make_desk, seeded_store,
                                                               dialogs):
    _window, view = open_view(qtbot, make_desk, seeded_store, username="demo-coordinator")
    dialogs.answer("ask_text", "Complete")
    view.buttons["check"].click()
    assert view.status.text() == "Checked"
    seeded_store.save_answer(view.submission_id, "country", "Portugal", "demo-coordinator",
                             reason="Candidate moved")
    view.reload()
    assert view.status.text() == "Submitted"
    assert "Out of date: checked by Demo Coordinator (coordinator)" in view.details.text()
    assert "answers were corrected afterwards" in view.details.text()
    assert view.buttons["check"].isEnabled()  # it can be checked again


def test_answers_that_do_not_fit_are_marked_while_the_coordinator_checks(qtbot, make_desk,
                                                                         seeded_store, dialogs):
    """Seen: a wheelchair user's EDSS corrected from 7.5 to 4.5 silently dropped the EDSS
    flag. Now the correction raises "does not fit" on both answers, the desk says which
    flag appeared, and the check dialog says it before the coordinator signs."""
    from tests.export.helpers import complete_answers, submit

    answers = complete_answers()
    answers.update({"mobility_level": "6", "edss_score": 7.5})
    sid = submit(seeded_store, answers)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    view = window.workspace.open_submission(sid)
    assert "C01_edss_mobility" not in {f.rule for f in view.snapshot.flags}
    view.answers.select_path("edss_score")
    view.buttons["edit"].click()
    field = view.edit_dialog.widget.edit
    field.setText("4.5")
    field.textEdited.emit("4.5")
    dialogs.answer("ask_text", "The neurologist's letter says 4.5")
    view.edit_dialog.save_button.click()
    [message] = [m for m in dialogs.messages("info") if "recomputed" in m]
    assert "• Review: Self-reported EDSS does not fit the mobility described" in message
    paths = tree_paths(view)
    for path in ("edss_score", "mobility_level"):  # a soft warning on both answers
        assert "Does not fit" in paths[path].text(2), path
    assert "REVIEW: ANSWERS DO NOT FIT" in view.flags.text()
    dialogs.answer("ask_text", None)
    view.buttons["check"].click()
    assert dialogs.shown[-1].text.startswith(
        "Checking the answers against each other found 1 thing that does not fit")


def test_a_phone_number_never_wraps_in_the_middle(qtbot, make_desk, seeded_store):
    """Seen: "+1" at the end of one line and "555 0148 7008" on the next, in the History."""
    from PySide6.QtCore import QRect, Qt

    _window, view = open_view(qtbot, make_desk, seeded_store)
    node = tree_paths(view)["phone"]
    phone = seeded_store.answers(view.submission_id)["phone"]
    assert node.text(1) == phone.replace(" ", "\u00a0")
    metrics = view.answers.fontMetrics()
    narrow = metrics.horizontalAdvance(phone) * 2 // 3  # too narrow for the whole number
    lines = metrics.boundingRect(QRect(0, 0, narrow, 1000), int(Qt.TextFlag.TextWordWrap),
                                 f"Was {node.text(1)} before").height() // metrics.lineSpacing()
    assert lines == 3  # "Was" / the number (overflowing, unbroken) / "before"
