"""The Qt binding must not corrupt Python's own objects.

PySide6 6.12.0 on Python 3.11 lowers the reference count of True on every Signal.emit()
and of None on every empty QVariant it hands back; the process then aborts with
"Fatal Python error: bool_dealloc". pyproject.toml keeps that release out; this test
fails if a release with the same fault comes back in.
"""

import sys

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal


class _Emitter(QObject):
    fired = Signal()


def test_signal_emit_keeps_true_alive(qapp):
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit()
    assert sys.getrefcount(True) >= before - 5


def test_empty_variant_keeps_none_alive(qapp):
    model = QStringListModel(["row"])
    before = sys.getrefcount(None)
    for _ in range(200):
        assert model.index(0).data(Qt.ItemDataRole.DecorationRole) is None
    assert sys.getrefcount(None) >= before - 5
