"""Inactivity: after `seconds` without a touch, a key or a mouse movement, `idle` fires.

The filter sits on the kiosk's native window (QWindow), which receives every touch, key
and mouse event before any widget does, so no page can hide activity from it; and it is
not called for the thousands of internal events of building a page, as an application-
wide filter would be (that cost ~7 ms per step). The window decides what idle means on
each page.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from shiboken6 import isValid

ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
    QEvent.Type.TabletPress, QEvent.Type.InputMethod,
})


POINTER = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.TabletPress})
# While the voice reads a page aloud, at least this long before `idle` (the thank-you page's
# 20 s would cut its own reading short); counted again from the end of the reading. Not
# longer: a voice that never says it has finished must not keep a page on screen.
LISTENING_SECONDS = 60


class IdleWatcher(QObject):
    """Also tells whether the person is using a keyboard (`keyboard`), so that the focus
    ring is moved to the first field for keyboard users only (like CSS :focus-visible)."""

    idle = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # To the millisecond (a coarse timer may be 5 % late or early: 6 s of 120).
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.idle)
        self._seconds = seconds
        self._listening = False
        self.set_seconds(seconds)
        self._armed = False
        self.keyboard = False
        self._watched: QObject | None = None

    def watch(self, window: QObject | None) -> None:
        """Count input to this native window (call once it exists, i.e. when shown)."""
        if window is None or window is self._watched:
            return
        if self._watched is not None and isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = window
        window.installEventFilter(self)

    def set_seconds(self, seconds: float) -> None:
        self._seconds = seconds
        if self._listening:
            seconds = max(seconds, LISTENING_SECONDS)
        self._timer.setInterval(max(1, round(seconds * 1000)))

    def listening(self, on: bool) -> None:
        """The voice started (True) or stopped reading: like a touch, and while it reads
        `idle` waits at least LISTENING_SECONDS."""
        self._listening = on
        self.set_seconds(self._seconds)
        self.poke()

    @property
    def seconds(self) -> float:
        return self._timer.interval() / 1000

    @property
    def remaining(self) -> float | None:
        """Seconds left before `idle` fires; None when inactivity is not counted."""
        return self._timer.remainingTime() / 1000 if self._timer.isActive() else None

    def arm(self, armed: bool) -> None:
        """Count inactivity (True) or not (False, e.g. on the welcome page)."""
        self._armed = armed
        if armed:
            self._timer.start()
        else:
            self._timer.stop()

    def poke(self) -> None:
        if self._armed:
            self._timer.start()

    def stop(self) -> None:
        self.arm(False)
        if self._watched is not None and isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY:
            if self._armed:
                self._timer.start()
            if kind == QEvent.Type.KeyPress:
                self.keyboard = True
            elif kind in POINTER:
                self.keyboard = False
        return False
