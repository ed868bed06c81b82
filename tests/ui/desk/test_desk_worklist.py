"""The work list on a seeded database: counts, search as you type, filters, sorting, paging."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.desk.conftest import SEED_COUNT, sign_in, wait_list
from ui.desk.list_model import FLAGS_ROLE, PAGE_SIZE, ROW_ROLE, SubmissionTableModel


def shown_ids(model) -> list[int]:
    return [model.index(row, 0).data(ROW_ROLE).id for row in range(model.rowCount())]


def column(name: str) -> int:
    return SubmissionTableModel.COLUMNS.index(name)


def test_the_list_shows_every_submission_newest_change_first(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    model = page.model
    assert model.rowCount() == SEED_COUNT
    assert page.count.text().startswith(f"{SEED_COUNT} submissions · updated ")
    expected = [r.id for r in seeded_store.list_submissions(limit=SEED_COUNT)]
    assert shown_ids(model) == expected
    # Every row says its status in words and its flags as "2 exclusion, 1 review".
    for row in range(model.rowCount()):
        record = model.index(row, 0).data(ROW_ROLE)
        status = model.index(row, column("status")).data()
        if record.status == "draft":  # where it resumes
            steps = [s.id for s in window.questionnaire.steps]
            assert status == (f"Draft, step {steps.index(record.current_step) + 1} of "
                              f"{len(steps)}")
        else:
            assert status == {"submitted": "Submitted", "checked": "Checked",
                              "reviewed": "Clinically reviewed",
                              "withdrawn": "Withdrawn"}[record.status]
        flags = model.index(row, column("flags")).data()
        if record.submitted_at is None:
            assert flags == "—"
        elif record.flags["exclusion"]:
            assert flags.startswith(f"{record.flags['exclusion']} exclusion")
        submitted, counts = model.index(row, column("flags")).data(FLAGS_ROLE)
        assert counts == record.flags and submitted == (record.submitted_at is not None)
    assert page.table.accessibleName() == "Submissions"
    assert page.search.accessibleName() == "Search submissions"


def test_search_as_you_type_by_name_phone_id_and_code(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    target = seeded_store.list_submissions(status="submitted", limit=1)[0]
    candidate = seeded_store.get_candidate(target.candidate_id)
    surname = candidate.last_name.split()[0].removeprefix("Demo-")
    window.menu_actions["search"].trigger()
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, f"demo-{surname[:3].lower()}")
    # No typing pause: the query of the last key was asked for at the keystroke.
    assert page.model.query.search == f"demo-{surname[:3].lower()}"
    wait_list(qtbot, window)
    expected = seeded_store.list_submissions(search=f"demo-{surname[:3].lower()}", limit=500)
    assert shown_ids(page.model) == [r.id for r in expected]
    assert target.id in shown_ids(page.model)
    year, month, day = candidate.date_of_birth.split("-")
    for text in (candidate.phone[-4:], str(target.id), target.code.lower(), candidate.date_of_birth,
                 f"{day}/{month}/{year}"):  # as on an ID card, and as the placeholder says
        page.search.setText(text)
        wait_list(qtbot, window)
        assert target.id in shown_ids(page.model), text
        assert page.model.rowCount() == seeded_store.count_submissions(search=text)
    page.search.setText("zzzz-nobody")
    wait_list(qtbot, window)
    assert page.model.rowCount() == 0
    assert page.count.text().startswith("0 submissions")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # Esc clears the search
    wait_list(qtbot, window)
    assert page.model.rowCount() == SEED_COUNT


def test_filters_by_status_and_severity(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    for status in ("draft", "submitted", "reviewed", "withdrawn"):
        page.status.setCurrentIndex(page.status.findData(status))
        wait_list(qtbot, window)
        assert page.model.rowCount() == seeded_store.count_submissions(status=status) > 0
        assert {page.model.index(r, 0).data(ROW_ROLE).status
                for r in range(page.model.rowCount())} == {status}
    page.status.setCurrentIndex(page.status.findData("submitted"))
    page.severity.setCurrentIndex(page.severity.findData("exclusion"))
    wait_list(qtbot, window)
    expected = seeded_store.list_submissions(status="submitted", severity="exclusion", limit=500)
    assert shown_ids(page.model) == [r.id for r in expected] and expected
    assert all(page.model.index(r, 0).data(ROW_ROLE).flags["exclusion"]
               for r in range(page.model.rowCount()))


def test_sorting_by_column_uses_the_store_order(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    header = page.table.horizontalHeader()
    header.setSortIndicator(column("name"), Qt.SortOrder.AscendingOrder)
    wait_list(qtbot, window)
    expected = seeded_store.list_submissions(order_by="candidate", descending=False, limit=500)
    assert shown_ids(page.model) == [r.id for r in expected]
    header.setSortIndicator(column("date_of_birth"), Qt.SortOrder.AscendingOrder)  # eldest first
    wait_list(qtbot, window)
    births = [page.model.index(r, 0).data(ROW_ROLE).date_of_birth
              for r in range(page.model.rowCount())]
    assert births == sorted(births) and births[0] < births[-1]
    header.setSortIndicator(column("id"), Qt.SortOrder.DescendingOrder)
    wait_list(qtbot, window)
    assert shown_ids(page.model) == sorted(shown_ids(page.model), reverse=True)
    # A column the store cannot sort by keeps the previous order and says nothing.
    header.setSortIndicator(column("flags"), Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == column("id")
    assert page.current_query().order_by == "id"


def test_keyboard_search_then_enter_opens_and_double_click_opens(qtbot, make_desk, seeded_store):
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    first = page.model.row_at(0)
    page.focus_search()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.workspace.count() == 2
    assert window.workspace.currentWidget().submission_id == first.id
    window.menu_actions["worklist"].trigger()
    assert window.workspace.currentIndex() == 0
    second = page.model.index(1, column("name"))
    rect = page.table.visualRect(second)
    # A real double-click is press, release, double-press, release.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.count() == 3
    # Opening an open submission again goes to its tab instead of a new one.
    page._open_row(0)
    assert window.workspace.count() == 3
    window.menu_actions["close_tab"].trigger()
    assert window.workspace.count() == 2


def test_pages_load_in_the_background_as_you_scroll(qtbot, make_desk, seeded_store, monkeypatch):
    import ui.desk.list_model as list_model
    import ui.desk.worklist as worklist

    small = 10
    monkeypatch.setattr(list_model, "PAGE_SIZE", small)
    original = worklist.SubmissionTableModel.__init__

    def small_pages(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.loader.page_size = small

    monkeypatch.setattr(worklist.SubmissionTableModel, "__init__", small_pages)
    window = make_desk(seeded_store)
    sign_in(qtbot, window)
    model = window.workspace.worklist.model
    assert model.rowCount() == SEED_COUNT
    last = model.rowCount() - 1
    assert model.row_at(last) is None  # not read yet: a placeholder, and a request
    assert model.index(last, column("name")).data() == "…"
    qtbot.waitUntil(lambda: model.row_at(last) is not None, timeout=3000)
    expected = seeded_store.list_submissions(limit=SEED_COUNT)
    assert model.row_at(last).id == expected[-1].id  # read from the far end, same row
    middle = SEED_COUNT // 2 + 3
    qtbot.waitUntil(lambda: model.row_at(middle) is not None, timeout=3000)
    assert model.row_at(middle).id == expected[middle].id
    assert PAGE_SIZE == 200
