"""An empty work list says why it is empty and what to do: on a clinic's first day the
coordinator saw a blank table under "0 submissions"."""

from __future__ import annotations

import pytest

from screening_app.demo import ensure_demo_users
from screening_app.i18n import tr
from tests.export.helpers import complete_answers, submit
from tests.ui.desk.conftest import sign_in, wait_list


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_empty_list_says_how_to_start_and_a_search_without_match_says_so(qtbot, make_desk,
                                                                             empty_store, lang):
    ensure_demo_users(empty_store)
    window = make_desk(empty_store, lang=lang)
    sign_in(qtbot, window)
    page = window.workspace.worklist
    assert page.model.rowCount() == 0
    assert page.table.empty_text == tr(lang, "desk.list.empty_none")
    assert page.table.accessibleDescription() == page.table.empty_text  # for screen readers
    blank = page.table.viewport().grab().toImage()

    submit(empty_store, complete_answers())
    page.refresh()
    wait_list(qtbot, window)
    assert page.model.rowCount() == 1 and page.table.empty_text == ""

    page.search.setText("Zzyzx")
    wait_list(qtbot, window)
    assert page.model.rowCount() == 0
    assert page.table.empty_text == tr(lang, "desk.list.empty_matches")
    # The words are painted in the table, not only stored.
    painted = page.table.viewport().grab().toImage()
    assert painted != blank
    dark = sum(1 for x in range(0, painted.width(), 3) for y in range(0, min(painted.height(), 120), 3)
               if painted.pixelColor(x, y).lightness() < 200)
    assert dark > 20
