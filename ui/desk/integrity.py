"""The desk's start-up checks, in a thread of their own: the file's `quick_check`, then the
audit trail's hash chain.

The thread opens its own Store (connections belong to one thread), with `quick_check`,
and reports the outcome as a signal. On a large database the two take many seconds
(docs/storage.md, Figures), so they never block the window: the desk opens its Store
without the check and with writes held (`Store.hold_writes`), shows the sign-in page at
once, and lets nobody sign in (a sign-in is a write) before the check has passed. A
damaged file keeps everything held and says how to restore it; a broken chain is shown
to administrators.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from screening_app.store import Store, StoreError

log = logging.getLogger(__name__)


class AuditCheckThread(QThread):
    checked = Signal(object)  # the AuditCheck, or the StoreError that stopped it

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def run(self) -> None:
        try:
            with Store.open(self.db_path, existing=True, check=True) as store:
                result: object = store.verify_audit()
        except StoreError as error:
            result = error
        except Exception as error:  # a bug: logged without its text (it may hold data)
            log.error("audit check failed: %s", type(error).__name__)
            result = None
        self.checked.emit(result)
