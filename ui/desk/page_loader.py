"""Loads pages of the work list in a thread of its own, with its own Store connection.

SQLite connections belong to one thread, and a page deep in a large list can take a tenth
of a second, so the UI thread never runs these queries: it asks for pages and gets them
back as signals. Requests are served newest first (what the person looks at now) and only
the last few are kept, so dragging the scroll bar from top to bottom does not queue every
page in between; a new query replaces whatever the old one still had queued, so typing
fast runs the query of the latest text as soon as the one running has finished. A page
past the middle of the list is read backwards from the end (the reversed order with a
small OFFSET), which halves the worst case.

Every failure is reported back (`failed`), never left to end the thread: a refusal of the
store with its message, anything else without one (its type and place go to the log,
never its text, which may hold what was typed). The next query runs as usual.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from screening_app.store import Store, StoreError
from screening_app.store.normalise import normalise_code

log = logging.getLogger(__name__)

CODE_LOOK = re.compile(r"\w{4}[\s-]+\w{4}")
COUNT = -1  # the job that counts the rows of a query
POLL = -2  # the job that asks whether the file changed since the last look
MAX_PENDING = 4


def seeks_one_record(search: str) -> bool:
    """A submission ID (digits only) or a resume code ("K7M2-QX9D", which has digits): the
    person wants that one record, whatever the filters say (searching ID 668 under a
    forgotten "Submitted" filter said "0 submissions")."""
    text = search.strip()
    if text.isascii() and text.isdigit():
        return len(text) < 10
    # A code has digits, or is written as one ("MXVT-VWPY"); a name is a word.
    return normalise_code(text) is not None and (
        any(ch.isdigit() for ch in text) or CODE_LOOK.fullmatch(text) is not None)


@dataclass(frozen=True)
class ListQuery:
    """What the work list shows: a search, filters and an order."""

    search: str = ""
    status: str | None = None
    severity: str | None = None  # a severity, or NO_FLAGS
    order_by: str = "updated_at"
    descending: bool = True
    candidate_id: int | None = None  # one person's submissions
    person: str = ""  # that person's name, as the filter is shown

    def filtered(self) -> bool:
        """Whether the filters apply to this search (not to an ID or a code)."""
        return (self.status is not None or self.severity is not None
                or self.candidate_id is not None) and not seeks_one_record(self.search)

    def filters(self) -> dict[str, str | int | None]:
        search = self.search.strip() or None
        if not self.filtered():
            return {"search": search}
        return {"search": search, "status": self.status, "severity": self.severity,
                "candidate_id": self.candidate_id}


class PageLoader(QThread):
    counted = Signal(int, int)  # generation, total rows
    loaded = Signal(int, int, object)  # generation, page number, list[SubmissionRow]
    dropped = Signal(int, int)  # generation, page number no longer going to be loaded
    failed = Signal(int, int, object)  # generation, job, the StoreError (None: unexpected)
    changed = Signal()  # another connection committed since the last poll

    def __init__(self, db_path: Path, page_size: int) -> None:
        super().__init__()
        self.db_path = db_path
        self.page_size = page_size
        self._lock = threading.Condition()
        self._generation = 0
        self._query = ListQuery()
        self._total: int | None = None
        self._pending: list[int] = []
        self._stopping = False
        self._version: int | None = None

    # -- called from the UI thread ---------------------------------------------------

    def set_query(self, generation: int, query: ListQuery, pages: tuple[int, ...] = ()) -> None:
        """Start over with `query`: count, the first page, then `pages` (a refresh keeps
        what is on screen)."""
        with self._lock:
            self._generation, self._query, self._total = generation, query, None
            polling = [POLL] if POLL in self._pending else []
            # Newest last: the count first, then the first page, then the others.
            self._pending = [*polling, *reversed([p for p in pages if p != 0]), 0, COUNT]
            self._lock.notify()

    def want(self, generation: int, page: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if page in self._pending:
                self._pending.remove(page)
            self._pending.append(page)
            dropped = []
            while len([p for p in self._pending if p >= 0]) > MAX_PENDING:
                oldest = next(p for p in self._pending if p >= 0)
                self._pending.remove(oldest)
                dropped.append(oldest)
            self._lock.notify()
        for page in dropped:
            self.dropped.emit(generation, page)

    def poll(self) -> None:
        """Look whether the file changed (cheap); `changed` says so. Waits behind reads."""
        with self._lock:
            if POLL not in self._pending:
                self._pending.insert(0, POLL)
                self._lock.notify()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify()
        self.wait()

    # -- the loader thread -----------------------------------------------------------

    def run(self) -> None:
        store: Store | None = None
        while True:
            with self._lock:
                while not self._stopping and not self._pending:
                    self._lock.wait()
                if self._stopping:
                    break
                job = self._pending.pop()
                generation, query, total = self._generation, self._query, self._total
            try:
                if store is None:
                    store = Store.open(self.db_path, existing=True, check=False)  # the window checked it
                    self._version = store.data_version()  # changes are counted from here
                self._run_job(store, job, generation, query, total)
            except StoreError as error:
                self.failed.emit(generation, job, error)
            except Exception as error:  # a bug: say so, keep serving the next query
                log.error("work list query failed: %s\n%s", type(error).__name__,
                          "".join(traceback.format_tb(error.__traceback__)))
                self.failed.emit(generation, job, None)
        if store is not None:
            store.close()

    def _run_job(self, store: Store, job: int, generation: int, query: ListQuery,
                 total: int | None) -> None:
        if job == POLL:
            version = store.data_version()
            if version != self._version:
                self._version = version
                self.changed.emit()
        elif job == COUNT:
            total = store.count_submissions(**query.filters())
            with self._lock:
                if generation == self._generation:
                    self._total = total
            self.counted.emit(generation, total)
        else:
            self.loaded.emit(generation, job, self._page(store, query, job, total))

    def _page(self, store: Store, query: ListQuery, page: int, total: int | None) -> list:
        offset = page * self.page_size
        if total is not None and offset > total // 2:
            # Read from the far end: the same rows, in reverse, with a small OFFSET.
            end = min(total, offset + self.page_size)
            rows = store.list_submissions(
                **query.filters(), order_by=query.order_by, descending=not query.descending,
                limit=end - offset, offset=total - end, total=total)
            return rows[::-1]
        return store.list_submissions(**query.filters(), order_by=query.order_by,
                                      descending=query.descending, limit=self.page_size,
                                      offset=offset, total=total)
