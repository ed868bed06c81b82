"""The work list fits a 1366 x 768 screen at 100, 125 and 150 % text, in English and
Spanish: no sideways scrolling, "Last change" (the default order) in view, long names
elided with the whole name in the tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.desk.conftest import sign_in
from ui.desk.list_model import SubmissionTableModel


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("scale", [100, 125, 150])
def test_the_columns_share_the_width_without_scrolling_sideways(qtbot, make_desk, seeded_store,
                                                                settings, scale, lang):
    settings.setValue("desk/text_scale", scale)
    window = make_desk(seeded_store, lang=lang)
    sign_in(qtbot, window)
    table = window.workspace.worklist.table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: table.verticalScrollBar().isVisible())
    qtbot.wait(20)
    assert header.length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    updated = SubmissionTableModel.COLUMNS.index("updated")
    assert header.sectionViewportPosition(updated) + header.sectionSize(updated) <= (
        table.viewport().width())
    metrics = table.fontMetrics()
    model = table.model()
    for key in ("id", "date_of_birth", "status", "started", "updated"):  # never cut
        column = SubmissionTableModel.COLUMNS.index(key)
        widest = max(metrics.horizontalAdvance(str(model.index(row, column).data()))
                     for row in range(model.rowCount()))
        assert header.sectionSize(column) > widest, key
    name = SubmissionTableModel.COLUMNS.index("name")
    assert header.sectionSize(name) >= 10 * metrics.horizontalAdvance("M")
    for row in range(model.rowCount()):
        index = model.index(row, name)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()  # the whole name
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
