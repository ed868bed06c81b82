"""Correct the person's details: the one way the person record changes, with a reason,
showing each of the person's questionnaires and what the correction does to it."""

from __future__ import annotations

from tests.ui.desk.conftest import sign_in


def type_into(widget, text: str) -> None:
    widget.edit.setText(text)
    widget.edit.textEdited.emit(text)  # as typed (QTest types ASCII only)


def test_correcting_the_person_with_a_reason_touches_only_the_ticked_questionnaires(
        qtbot, make_desk, seeded_store, shipped):
    row = seeded_store.list_submissions(status="reviewed", limit=1)[0]
    person = seeded_store.get_candidate(row.candidate_id)
    typed = {"first_name": person.first_name, "last_name": person.last_name,
             "date_of_birth": person.date_of_birth}
    later = seeded_store.start_for_person(shipped, "en", "demo-coordinator", person.id, typed)
    gone = seeded_store.start_for_person(shipped, "en", "demo-coordinator", person.id, typed)
    seeded_store.withdraw(gone, "demo-coordinator", "Started twice by mistake")

    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    view = window.workspace.open_submission(row.id)
    view.buttons["person"].click()
    dialog = view.person_dialog
    assert dialog is not None and dialog.isVisible()
    assert set(dialog.ticks) == {row.id, later, gone} | {
        s.id for s in seeded_store.person_submissions(person.id)}
    assert dialog.ticks[row.id].isChecked()  # the questionnaire it was opened from
    assert not dialog.ticks[later].isChecked()
    assert not dialog.ticks[gone].isEnabled() and "cannot change" in dialog.effects[gone].text()
    assert not dialog.save_button.isEnabled()  # nothing changed yet

    new_last = f"{person.last_name} García"
    type_into(dialog.widgets["last_name"], new_last)
    assert f"{person.last_name} → {new_last}" in dialog.effects[row.id].text()
    assert "stays as answered" in dialog.effects[later].text()
    assert not dialog.save_button.isEnabled()  # no reason yet
    dialog.reason.setText("Second surname, read from her ID card")
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert not dialog.isVisible()

    assert seeded_store.get_candidate(person.id).last_name == new_last
    assert seeded_store.answers(row.id)["last_name"] == new_last
    assert seeded_store.get_submission(row.id).status == "submitted"  # the review covered the old
    edit = [e for e in seeded_store.audit_history(row.id) if e.action == "answer_edited"][-1]
    assert (edit.item, edit.actor, edit.reason) == ("last_name", "demo-coordinator",
                                                    "Second surname, read from her ID card")
    assert seeded_store.answers(later)["last_name"] == person.last_name  # not ticked
    assert new_last in view.name.text()
    shown = [(view.history.item(r, 1).text(), view.history.item(r, 4).text())
             for r in range(view.history.rowCount())]
    assert ("Answer corrected", "Second surname, read from her ID card") in shown


def test_a_date_of_birth_the_questionnaire_refuses_cannot_be_saved(qtbot, make_desk,
                                                                   seeded_store):
    row = seeded_store.list_submissions(status="submitted", limit=1)[0]
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    view = window.workspace.open_submission(row.id)
    view.buttons["person"].click()
    dialog = view.person_dialog
    born = dialog.widgets["date_of_birth"]
    born.year.clear()
    qtbot.keyClicks(born.year, "2099")
    born.finish_edit()
    dialog.reason.setText("Typo")
    assert born.problem() is not None and not dialog.save_button.isEnabled()
    dialog.reject()
    person = seeded_store.get_candidate(row.candidate_id)
    assert not person.date_of_birth.startswith("2099")
