"""New intake: duplicate warning, hand-off to a kiosk, filling in at the desk."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.desk.conftest import sign_in


def type_person(qtbot, dialog, first: str, last: str, dob: str) -> None:
    """Type like a coordinator: names, then day, month (keyboard), year."""
    for item_id, text in (("first_name", first), ("last_name", last)):
        edit = dialog.widgets[item_id].edit
        edit.setText(text)  # QTest types ASCII only; emit as a keystroke would
        edit.textEdited.emit(text)
    year, month, day = dob.split("-")
    date = dialog.widgets["date_of_birth"]
    qtbot.keyClicks(date.day, str(int(day)))
    date.month.setCurrentIndex(int(month))
    date.month.activated.emit(int(month))
    qtbot.keyClicks(date.year, year)


def open_intake(qtbot, make_desk, store):
    window = make_desk(store)
    sign_in(qtbot, window)
    window.menu_actions["new_intake"].trigger()
    dialog = window.workspace.intake
    assert dialog is not None and dialog.isVisible()
    return window, dialog


def offer_a_draft(qtbot, make_desk, store):
    """New intake for a person who has a draft, typed and chosen as the same person: the
    dialog now offers that draft."""
    draft = store.list_submissions(status="draft", limit=1)[0]
    person = store.get_candidate(draft.candidate_id)
    window, dialog = open_intake(qtbot, make_desk, store)
    type_person(qtbot, dialog, person.first_name, person.last_name, person.date_of_birth)
    dialog.check_duplicates()
    dialog.same_person.setChecked(True)
    return window, dialog, draft


def test_a_possible_duplicate_is_shown_and_must_be_decided(qtbot, make_desk, seeded_store):
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    existing = seeded_store.get_candidate(seeded_store.list_submissions(status="reviewed",
                                                                        limit=1)[0].candidate_id)
    # Different case and no accents still match (the store normalises the names).
    type_person(qtbot, dialog, existing.first_name.upper(), existing.last_name.lower(),
                existing.date_of_birth)
    qtbot.waitUntil(lambda: dialog.duplicates.isVisible(), timeout=2000)
    assert "Possible duplicate" in dialog.duplicate_text.text()
    # The person's submissions as the work list names them, not a candidate number.
    listed = dialog.person_rows[0].text()
    for row in seeded_store.list_submissions(candidate_id=existing.id):
        status = {"checked": "Checked", "reviewed": "Clinically reviewed"}.get(row.status, "")
        assert f"Submission {row.id} · code {row.code} · {status}" in listed
    assert f"#{existing.id}" not in listed and existing.display_name in listed
    assert existing.display_name in dialog.same_person.accessibleName()
    assert not dialog.desk_button.isEnabled() and not dialog.kiosk_button.isEnabled()
    before = seeded_store.count_submissions()

    dialog.same_person.setChecked(True)
    # Spelled differently: both spellings are shown and one must be chosen.
    typed = f"{existing.first_name.upper()} {existing.last_name.lower()}"
    assert dialog.spelling.isVisible()
    assert "Spelled differently" in dialog.spelling_text.text()
    assert dialog.spelling_recorded.text() == f"As recorded: {existing.display_name}"
    assert dialog.spelling_typed.text() == f"As typed now: {typed}"
    assert not dialog.kiosk_button.isEnabled()
    dialog.spelling_typed.setChecked(True)
    assert dialog.kiosk_button.isEnabled()
    dialog.kiosk_button.click()
    assert not dialog.isVisible()
    assert seeded_store.count_submissions() == before + 1
    view = window.workspace.currentWidget()
    record = seeded_store.get_submission(view.submission_id)
    assert record.candidate_id == existing.id  # the same person, a new questionnaire
    assert record.status == "draft"
    # Seen: choosing "same person" renamed the stored person, and with it the name the
    # work list showed for their reviewed submission. Now neither changes.
    assert seeded_store.get_candidate(existing.id).display_name == existing.display_name
    reviewed = seeded_store.list_submissions(candidate_id=existing.id, status="reviewed")
    assert reviewed and all(row.candidate == existing.display_name for row in reviewed)
    assert seeded_store.answers(record.id)["first_name"] == existing.first_name.upper()
    [link] = [e for e in seeded_store.audit_history(record.id) if e.item == f"candidate:{existing.id}"]
    assert link.action == "same_person_typed_spelling" and link.actor == "demo-coordinator"
    assert link.old_value["first_name"] == existing.first_name
    assert link.new_value["first_name"] == existing.first_name.upper()
    handoff = window.workspace.handoff
    assert handoff is not None and handoff.code_label.text() == record.code
    handoff.close()


def test_a_different_person_with_the_same_names_gets_a_new_candidate(qtbot, make_desk,
                                                                      seeded_store, dialogs):
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    existing = seeded_store.get_candidate(seeded_store.list_submissions(limit=1)[0].candidate_id)
    type_person(qtbot, dialog, existing.first_name, existing.last_name, existing.date_of_birth)
    dialog.check_duplicates()
    dialog.other_person.setChecked(True)
    dialog.kiosk_button.click()
    record = seeded_store.get_submission(window.workspace.currentWidget().submission_id)
    assert record.candidate_id != existing.id
    assert seeded_store.possible_duplicates_of(record.candidate_id)  # flagged, not merged
    answers = seeded_store.answers(record.id)
    assert answers["first_name"] == existing.first_name
    assert answers["date_of_birth"] == existing.date_of_birth
    started = [e for e in seeded_store.audit_history(record.id) if e.action == "submission_started"]
    assert started[0].actor == "demo-coordinator"


def test_no_duplicate_and_a_future_date_of_birth_is_refused(qtbot, make_desk, seeded_store):
    _, dialog = open_intake(qtbot, make_desk, seeded_store)
    type_person(qtbot, dialog, "Test-Nueva", "Demo-Persona", "2099-01-05")
    dialog.check_duplicates()
    assert not dialog.duplicates.isVisible()
    assert not dialog.desk_button.isEnabled()
    assert dialog.widgets["date_of_birth"].problem() is not None
    date = dialog.widgets["date_of_birth"]
    date.year.clear()
    qtbot.keyClicks(date.year, "1985")
    dialog.check_duplicates()
    assert dialog.desk_button.isEnabled() and not dialog.duplicates.isVisible()


def test_fill_in_at_the_desk_saves_each_answer_as_the_signed_in_user(qtbot, make_desk,
                                                                     seeded_store):
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    type_person(qtbot, dialog, "Test-Lola", "Demo-Desk", "1984-03-09")
    dialog.lang_group.buttons()[1].setChecked(True)  # Spanish questions
    dialog.check_duplicates()
    dialog.desk_button.click()
    fill = window.workspace.fill
    assert fill is not None and fill.isVisible()
    sid = fill.submission_id
    assert fill.session.lang == "es"
    form = fill.forms["about_you"]
    form.answer_widget("sex_at_birth").set_value(None)
    radio = form.answer_widget("sex_at_birth").inputs()[0]  # "female"
    radio.click()
    phone = form.answer_widget("phone").edit
    qtbot.keyClicks(phone, "555 0101 2323")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)  # leaving the field saves it
    qtbot.waitUntil(lambda: seeded_store.answers(sid).get("phone") == "555 0101 2323", timeout=2000)
    assert seeded_store.answers(sid)["sex_at_birth"] == "female"
    saved = [e for e in seeded_store.audit_history(sid) if e.action == "answer_saved"]
    assert {e.actor for e in saved} == {"demo-coordinator"}
    assert [e.item for e in saved].count("phone") == 1  # one audit row, not one per key

    fill.next.click()
    assert fill.current == "diagnosis"
    assert seeded_store.get_submission(sid).current_step == "diagnosis"
    fill.close_button.click()
    assert not fill.isVisible()
    view = window.workspace.view(sid)
    assert view is not None and view.snapshot.answers["phone"] == "555 0101 2323"
    # The draft can be continued later where it was left.
    view.buttons["fill"].click()
    assert window.workspace.fill.current == "diagnosis"
    window.workspace.fill.reject()


def test_handing_a_draft_to_a_kiosk_shows_its_code_and_how(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    view = window.workspace.open_submission(draft.id)
    assert view.buttons["handoff"].isVisible()
    view.buttons["handoff"].click()
    handoff = window.workspace.handoff
    assert handoff.code_label.text() == draft.code
    text = " ".join(label.text() for label in handoff.findChildren(type(handoff.code_label)))
    # The kiosk may show either language on its first screen: both names of the button.
    first, second = (("Continuar con un código", "Continue with a code") if draft.lang == "es"
                     else ("Continue with a code", "Continuar con un código"))
    assert f"“{first} / {second}”" in text
    handoff.close()


def test_signing_out_mid_fill_saves_the_typing_and_closes_everything(qtbot, make_desk,
                                                                    seeded_store):
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    type_person(qtbot, dialog, "Test-Rosa", "Demo-Idle", "1979-07-21")
    dialog.check_duplicates()
    dialog.desk_button.click()
    fill = window.workspace.fill
    sid = fill.submission_id
    qtbot.keyClicks(fill.forms["about_you"].answer_widget("country").edit, "Chile")
    window.sign_out(idle=True)  # still typing: nothing was saved yet
    assert not fill.isVisible()
    assert window.workspace is None and window.current_page() is window.sign_in_page
    assert seeded_store.answers(sid)["country"] == "Chile"


def test_a_kiosk_draft_is_continued_at_the_desk_and_submitted(qtbot, make_desk, seeded_store,
                                                              shipped):
    """Resume: a draft left by the kiosk on its last step, finished and submitted at the desk."""
    source = seeded_store.list_submissions(status="submitted", limit=1)[0]
    record = seeded_store.get_submission(source.id)
    sid = seeded_store.start_submission(shipped, record.lang, "kiosk",
                                        candidate_id=source.candidate_id)
    seeded_store.save_answers(sid, seeded_store.answers(source.id), "kiosk",
                              confirmed=seeded_store.confirmed_paths(source.id))
    last_step = shipped.steps[-1].id
    seeded_store.set_current_step(sid, last_step)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    page.search.setText(seeded_store.get_submission(sid).code)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == 1, timeout=5000)
    page.focus_search()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    view = window.workspace.currentWidget()
    assert view.submission_id == sid and view.buttons["fill"].isVisible()
    view.buttons["fill"].click()
    fill = window.workspace.fill
    assert fill.current == last_step  # where the kiosk left it
    assert fill.next.text().replace("&", "") == "Submit"
    fill.next.click()
    submitted = seeded_store.get_submission(sid)
    assert submitted.status == "submitted" and not fill.isVisible()
    assert [e.actor for e in seeded_store.audit_history(sid) if e.action == "submitted"] == [
        "demo-coordinator"]
    assert {f.rule for f in seeded_store.flags(sid)}  # flags computed at submission
    assert "Submitted" in view.status.text() and not view.buttons["fill"].isVisible()


def test_an_existing_draft_is_offered_instead_of_a_second_one(qtbot, make_desk, seeded_store,
                                                              shipped):
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    person = seeded_store.get_candidate(draft.candidate_id)
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    type_person(qtbot, dialog, person.first_name, person.last_name, person.date_of_birth)
    dialog.check_duplicates()
    assert f"Submission {draft.id} · code {draft.code} · Draft" in dialog.person_rows[0].text()
    assert not dialog.open_draft_button.isVisible()  # not before choosing the person
    dialog.same_person.setChecked(True)
    assert dialog.open_draft_button.isVisible()
    assert f"submission {draft.id}" in dialog.open_draft_button.text()
    before = seeded_store.count_submissions()
    dialog.open_draft_button.click()
    assert seeded_store.count_submissions() == before  # nothing new was started
    assert window.workspace.currentWidget().submission_id == draft.id
    assert window.workspace.fill is None and window.workspace.handoff is None


def test_several_matching_people_are_each_a_choice(qtbot, make_desk, seeded_store):
    row = seeded_store.list_submissions(status="submitted", limit=1)[0]
    person = seeded_store.get_candidate(row.candidate_id)
    twin = seeded_store.create_candidate(
        actor="desk", allow_duplicate=True, first_name=person.first_name,
        last_name=person.last_name, date_of_birth=person.date_of_birth)
    window, dialog = open_intake(qtbot, make_desk, seeded_store)
    type_person(qtbot, dialog, person.first_name, person.last_name, person.date_of_birth)
    dialog.check_duplicates()
    assert {m.id for m in dialog.matches} == {person.id, twin}
    assert len(dialog.person_radios) == 2
    second = dialog.person_radios[[m.id for m in dialog.matches].index(twin)]
    assert "No questionnaire yet" in dialog.person_rows[dialog.person_radios.index(second)].text()
    second.setChecked(True)
    dialog.kiosk_button.click()
    record = seeded_store.get_submission(window.workspace.currentWidget().submission_id)
    assert record.candidate_id == twin  # the one chosen, not the first listed
    window.workspace.handoff.close()


def test_the_questionnaire_language_defaults_to_the_desks(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store, lang="es")
    sign_in(qtbot, window)
    dialog = window.workspace.new_intake()
    assert dialog.lang_group.checkedButton().property("lang") == "es"
    dialog.reject()


def test_while_a_draft_is_offered_the_desk_and_the_kiosk_carry_it_on(qtbot, make_desk,
                                                                      seeded_store):
    """Seen: with the person's draft offered, "Give to a kiosk" and "Fill in at the desk"
    started a second draft unasked."""
    window, dialog, draft = offer_a_draft(qtbot, make_desk, seeded_store)
    assert dialog.open_draft_button.isDefault()  # Enter on it: the draft as it is
    assert dialog.kiosk_button.text().replace("&", "") == "Give the draft to a kiosk"
    assert dialog.desk_button.text().replace("&", "") == "Continue the draft at the desk"
    before = seeded_store.count_submissions()
    dialog.kiosk_button.click()
    assert seeded_store.count_submissions() == before  # nothing new was started
    assert window.workspace.handoff is not None and draft.code in window.workspace.handoff.code
    window.workspace.handoff.close()


def test_while_a_draft_is_offered_continuing_at_the_desk_opens_that_draft(qtbot, make_desk,
                                                                          seeded_store):
    """The desk half of the case above, clicked (the test above only read its label):
    "Continue the draft at the desk" fills in the person's draft, and starts no second one."""
    window, dialog, draft = offer_a_draft(qtbot, make_desk, seeded_store)
    assert dialog.desk_button.text().replace("&", "") == "Continue the draft at the desk"
    before = seeded_store.count_submissions()
    drafts_before = seeded_store.count_submissions(status="draft")
    dialog.desk_button.click()
    assert seeded_store.count_submissions() == before  # nothing new was started
    assert seeded_store.count_submissions(status="draft") == drafts_before
    fill = window.workspace.fill
    assert fill is not None and fill.isVisible() and fill.submission_id == draft.id
    assert window.workspace.currentWidget().submission_id == draft.id
    assert window.workspace.handoff is None
    fill.reject()


def test_the_new_intake_dialog_has_a_default_button(qtbot, make_desk, seeded_store):
    _window, dialog = open_intake(qtbot, make_desk, seeded_store)
    assert dialog.desk_button.isDefault()
    type_person(qtbot, dialog, "Test-Nueva", "Demo-Persona", "1990-04-02")
    dialog.check_duplicates()
    assert dialog.desk_button.isDefault() and dialog.desk_button.isEnabled()
    dialog.reject()
