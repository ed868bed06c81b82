"""A desk on a clinic server hears other stations' changes as they are committed
(LISTEN/NOTIFY, store/backends/postgres_changes.py; ui/desk/live.py), without polling:
a kiosk's submission appears in the work list, and an open submission that someone else
changed is read again. Two real stores on the run's PostgreSQL server, the real desk."""

from __future__ import annotations

import pytest

from screening_app.demo import DEMO_PIN
from screening_app.store import Store
from tests.ui.desk.conftest import demo_on_server, sign_in


@pytest.fixture
def server_db(pg_server):
    with demo_on_server(pg_server, 12) as url:
        yield url


@pytest.fixture
def desk_on_server(qtbot, make_desk, server_db):
    store = Store.open(server_db)
    window = make_desk(store)
    sign_in(qtbot, window, pin=DEMO_PIN)
    yield window
    window.close()
    store.close()


def test_a_kiosks_submission_appears_at_the_desk_when_it_is_committed(qtbot, desk_on_server,
                                                                       server_db, shipped,
                                                                       complete):
    window = desk_on_server
    page = window.workspace.worklist
    model = page.model
    assert window.live is not None and window.live.isRunning()
    assert not page.poll_timer.isActive()  # heard, not polled
    submitted_before = window.workspace.store.count_submissions(status="submitted")
    with Store.open(server_db) as kiosk:  # another station: its own connection
        draft = kiosk.start_submission(shipped, "en", actor="kiosk")
        kiosk.save_answers(draft, complete, actor="kiosk")
        with qtbot.waitSignal(window.live.changed, timeout=10_000):
            kiosk.submit(draft, actor="kiosk")
    # The list is read again by itself: the new submission is on top, submitted.
    qtbot.waitUntil(lambda: not model.loading and model.row_at(0) is not None
                    and model.row_at(0).id == draft and model.row_at(0).status == "submitted",
                    timeout=10_000)
    assert page.count.text().startswith(f"{model.rowCount()} submissions")
    assert window.workspace.store.count_submissions(status="submitted") == submitted_before + 1
    assert not window.server_banner.isVisible()


def test_an_open_submission_changed_at_another_station_is_read_again(qtbot, desk_on_server,
                                                                     server_db, shipped):
    window = desk_on_server
    with Store.open(server_db) as other:
        draft = other.start_submission(shipped, "en", actor="kiosk")
        other.save_answer(draft, "first_name", "Before", actor="kiosk")
    view = window.workspace.open_submission(draft)
    assert view.name.text().startswith("Before")
    with Store.open(server_db) as other:
        other.save_answer(draft, "first_name", "Renamed-Elsewhere", actor="kiosk")
    qtbot.waitUntil(lambda: view.name.text().startswith("Renamed-Elsewhere"), timeout=10_000)
    tab = window.workspace.tabText(window.workspace.indexOf(view))
    assert tab.startswith("Renamed-Elsewhere")


def test_a_change_rolled_back_is_never_announced(qtbot, desk_on_server, server_db, shipped):
    """NOTIFY is part of the transaction: a change that failed tells nobody."""
    window = desk_on_server
    heard = []
    window.live.changed.connect(lambda: heard.append(1))
    with Store.open(server_db) as other:
        draft = other.start_submission(shipped, "en", actor="kiosk")
        qtbot.waitUntil(lambda: bool(heard), timeout=10_000)  # the start was heard
        heard.clear()
        with pytest.raises(ValueError), other._write():
            other._db.execute("UPDATE submissions SET current_step = 'x' WHERE id = ?", (draft,))
            raise ValueError("the change fails half-way")
        # A committed change after it is heard once; the failed one never was.
        with qtbot.waitSignal(window.live.changed, timeout=10_000):
            other.set_current_step(draft, shipped.steps[1].id)
    qtbot.wait(200)
    assert heard == [1]
    with Store.open(server_db) as check:
        assert check.get_submission(draft).current_step == shipped.steps[1].id
