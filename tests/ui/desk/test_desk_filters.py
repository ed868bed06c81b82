"""Filters in words next to the count, one "Clear filters", a search by ID or code that
finds its record whatever the filters, a "No flags" filter, "Checked" apart from
submitted and clinically reviewed, and one person's submissions together. Seen: filters
stayed on during a search without any sign, so searching ID 668 gave "0 submissions"."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from tests.ui.desk.conftest import sign_in, wait_list


def listed_ids(page) -> list[int]:
    return [page.model.row_at(row).id for row in range(page.model.rowCount())]


def choose(page, combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_a_search_by_id_or_code_finds_its_record_whatever_the_filters(qtbot, make_desk,
                                                                      seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    assert not page.clear_button.isVisible() and page.filters_note.text() == ""
    choose(page, page.status, "submitted")
    choose(page, page.severity, "exclusion")
    wait_list(qtbot, window)
    assert page.filters_note.text() == "Filtered: Submitted, With an exclusion flag"
    assert page.clear_button.isVisible()
    draft = seeded_store.list_submissions(status="draft", limit=1)[0]
    for search in (str(draft.id), draft.code.lower().replace("-", " ")):
        page.search.setText(search)
        wait_list(qtbot, window)
        assert listed_ids(page) == [draft.id], search
        assert page.count.text().startswith("1 submission ·")  # one, not "1 submissions"
        assert page.filters_note.text().startswith("Filters not applied: an ID or a code")
    page.search.setText("demo")  # a name: the filters apply again
    wait_list(qtbot, window)
    assert page.filters_note.text() == "Filtered: Submitted, With an exclusion flag"
    assert all(page.model.row_at(r).status == "submitted" and page.model.row_at(r).flags[
        "exclusion"] for r in range(page.model.rowCount()))
    page.clear_button.click()
    wait_list(qtbot, window)
    assert (page.status.currentData(), page.severity.currentData()) == (None, None)
    assert page.filters_note.text() == "" and not page.clear_button.isVisible()
    assert page.model.rowCount() == seeded_store.count_submissions(search="demo")


def test_the_no_flags_filter_lists_submitted_questionnaires_without_any_flag(qtbot, make_desk,
                                                                             seeded_store):
    from tests.export.helpers import complete_answers, submit

    answers = complete_answers()
    answers["treatments[0].last_dose_date"] = "2025-01-10"  # out of the washout: no flag
    quiet = submit(seeded_store, answers)
    assert seeded_store.flags(quiet) == []
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    choose(page, page.severity, "none")
    wait_list(qtbot, window)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    expected = [r for r in seeded_store.list_submissions(limit=500)
                if r.submitted_at is not None and not any(r.flags.values())]
    assert quiet in [r.id for r in rows] and [r.id for r in rows] == [r.id for r in expected]
    assert page.filters_note.text() == "Filtered: No flags"


def test_one_persons_submissions_are_shown_together(qtbot, make_desk, seeded_store, shipped):
    row = seeded_store.list_submissions(status="submitted", limit=1)[0]
    said = {"first_name": row.candidate.split()[0], "last_name": row.candidate.split()[1],
            "date_of_birth": row.date_of_birth}
    later = seeded_store.start_for_person(shipped, "en", "demo-coordinator", row.candidate_id, said)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    choose(page, page.status, "submitted")  # a filter the person's list gives way to
    wait_list(qtbot, window)
    position = listed_ids(page).index(row.id)
    page.table.selectionModel().setCurrentIndex(
        page.model.index(position, 1), QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    page.person_button.click()
    wait_list(qtbot, window)
    assert sorted(listed_ids(page)) == sorted([row.id, later])
    assert page.filters_note.text() == f"Filtered: {row.candidate}'s submissions"
    assert page.status.currentData() is None
    page.clear_button.click()
    wait_list(qtbot, window)
    assert page.model.rowCount() == seeded_store.count_submissions()


def test_the_checked_status_filter_lists_only_checked_submissions(qtbot, make_desk, seeded_store):
    """The desk's side of the two sign-offs in the list (the store's own test is
    tests/store/test_store_signoffs.py): "Checked" in the status filter shows checked
    submissions, not submitted or clinically reviewed ones, and says so in words."""
    newly = seeded_store.list_submissions(status="submitted", limit=1)[0].id
    seeded_store.mark_checked(newly, "demo-coordinator", "Answers checked")
    checked = {r.id for r in seeded_store.list_submissions(status="checked", limit=500)}
    others = {r.id for r in seeded_store.list_submissions(status=["submitted", "reviewed"],
                                                          limit=500)}
    assert newly in checked and others  # the filter has something to leave out
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    choose(page, page.status, "checked")
    assert page.status.currentText() == "Checked"
    wait_list(qtbot, window)
    shown = listed_ids(page)
    assert set(shown) == checked and len(shown) == len(checked)
    status_column = page.model.COLUMNS.index("status")
    assert {page.model.index(r, status_column).data() for r in range(page.model.rowCount())} == {
        "Checked"}
    assert page.filters_note.text() == "Filtered: Checked"
    assert page.count.text().startswith(f"{len(checked)} submissions")
