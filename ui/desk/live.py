"""The desk hears other stations' changes as they are committed (a clinic server), and
says when the server cannot be reached.

On a server the store gives a `ChangeListener` (LISTEN/NOTIFY,
store/backends/postgres_changes.py); `LiveChanges` waits on it in a thread of its own and
emits `changed` for each committed change of anyone, and `reachable` when the server goes
away or comes back. `Coalesce` turns a burst of changes (a kiosk saving as the person
types) into at most one refresh a second, the first at once. On a SQLite file there is
no listener: the work list asks the file whether it changed from time to time
(worklist.REFRESH_MS), as before.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from screening_app.store import StoreError

log = logging.getLogger(__name__)

WAIT_S = 5.0  # a wait ends at least this often (a stop wakes it at once anyway)
RETRY_S = 3.0  # between attempts to reach a server that went away
MIN_INTERVAL_MS = 1000  # between two refreshes caused by other stations' changes


class LiveChanges(QThread):
    changed = Signal()  # someone committed a change (or may have, while unreachable)
    reachable = Signal(object)  # None: the server answers again; a StoreError: why not

    def __init__(self, listener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener = listener
        self._stopping = False

    def run(self) -> None:
        down: str | None = None  # the code of the failure being shown
        retried = False  # the connection just failed and was tried again at once
        while not self._stopping:
            try:
                changed = self.listener.wait(WAIT_S)
            except StoreError as error:
                if down is None and not retried:
                    retried = True  # a connection the server ended: a new one, at once
                    continue
                if error.code != down:
                    down = error.code
                    log.warning("clinic server: %s", error.code)
                    self.reachable.emit(error)
                self.listener.pause(RETRY_S)
                continue
            except Exception as error:  # a bug: logged without its words; try again later
                log.error("change listener failed: %s", type(error).__name__)
                self.listener.pause(RETRY_S)
                continue
            retried = False
            if down is not None:
                down = None
                self.reachable.emit(None)
            if changed and not self._stopping:
                self.changed.emit()
        self.listener.close()

    def stop(self) -> None:
        self._stopping = True
        self.listener.wake()
        self.wait()


class Coalesce(QObject):
    """`poke()` as often as you like; `fire` at once, then at most every `interval_ms`
    (a poke in between is answered when the interval is over, never dropped)."""

    fire = Signal()

    def __init__(self, interval_ms: int = MIN_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self._last = float("-inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def poke(self) -> None:
        if self._timer.isActive():
            return
        wait_ms = self._last + self.interval_ms - time.monotonic() * 1000
        if wait_ms <= 0:
            self._fire()
        else:
            self._timer.start(round(wait_ms))

    def _fire(self) -> None:
        self._last = time.monotonic() * 1000
        self.fire.emit()
