"""A desk on a clinic server says when the server cannot be reached and carries on by
itself when it is back: the banner goes, and what other stations did meanwhile shows.
The real desk on a PostgreSQL server of this module's own, stopped and started again."""

from __future__ import annotations

import pytest

from screening_app.store import Store
from tests.ui.desk.conftest import demo_on_server, sign_in


@pytest.fixture
def server_url(own_pg_server):
    with demo_on_server(own_pg_server, 8) as url:
        yield url


def test_the_desk_says_the_server_is_away_and_recovers_by_itself(qtbot, make_desk, server_url,
                                                                 own_pg_server, shipped):
    with Store.open(server_url) as store:
        window = make_desk(store)
        sign_in(qtbot, window)
        model = window.workspace.worklist.model
        before = model.rowCount()
        assert not window.server_banner.isVisible()
        own_pg_server.stop()
        try:
            qtbot.waitUntil(window.server_banner.isVisible, timeout=15_000)
            assert "cannot be reached just now" in window.server_banner.text()
            assert "carries on by itself" in window.server_banner.text()
            window.workspace.worklist.refresh()  # F5 meanwhile: said, nothing breaks
            qtbot.waitUntil(lambda: not model.loading or bool(window.workspace.worklist.count.text()),
                            timeout=15_000)
        finally:
            own_pg_server.pg_ctl_start()
        qtbot.waitUntil(lambda: not window.server_banner.isVisible(), timeout=15_000)
        with Store.open(server_url) as kiosk:
            new = kiosk.start_submission(shipped, "en", actor="kiosk")
        qtbot.waitUntil(lambda: model.rowCount() == before + 1 and model.row_at(0) is not None
                        and model.row_at(0).id == new, timeout=15_000)
        # The desk's own connection came back too: a change from the desk is saved.
        view = window.workspace.open_submission(new)
        assert view is not None
        window.close()
