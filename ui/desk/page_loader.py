"""Loads pages of the work list in a thread of its own, with its own Store connection.

SQLite connections belong to one thread, and a page deep in a large list (OFFSET 50,000)
can take a tenth of a second, so the UI thread never runs these queries: it asks for
pages and gets them back as signals. Requests are served newest first (what the person
looks at now) and only the last few are kept, so dragging the scroll bar from top to
bottom does not queue every page in between. A page past the middle of the list is read
backwards from the end (the reversed order with a small OFFSET), which halves the worst
case.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from screening_app.store import Store, StoreError

COUNT = -1  # the job that counts the rows of a query
MAX_PENDING = 4


@dataclass(frozen=True)
class ListQuery:
    """What the work list shows: a search, filters and an order."""

    search: str = ""
    status: str | None = None
    severity: str | None = None
    order_by: str = "updated_at"
    descending: bool = True

    def filters(self) -> dict[str, str | None]:
        return {"search": self.search.strip() or None, "status": self.status,
                "severity": self.severity}


class PageLoader(QThread):
    counted = Signal(int, int)  # generation, total rows
    loaded = Signal(int, int, object)  # generation, page number, list[SubmissionRow]
    dropped = Signal(int, int)  # generation, page number no longer going to be loaded
    failed = Signal(int, str)  # generation, a plain message from the store

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

    # -- called from the UI thread ---------------------------------------------------

    def set_query(self, generation: int, query: ListQuery) -> None:
        with self._lock:
            self._generation, self._query, self._total = generation, query, None
            self._pending = [0, COUNT]  # newest last: count first, then the first page
            self._lock.notify()

    def want(self, generation: int, page: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            if page in self._pending:
                self._pending.remove(page)
            self._pending.append(page)
            dropped = []
            while len([p for p in self._pending if p != COUNT]) > MAX_PENDING:
                oldest = next(p for p in self._pending if p != COUNT)
                self._pending.remove(oldest)
                dropped.append(oldest)
            self._lock.notify()
        for page in dropped:
            self.dropped.emit(generation, page)

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
                store = store or Store.open(self.db_path)
                if job == COUNT:
                    total = store.count_submissions(**query.filters())
                    with self._lock:
                        if generation == self._generation:
                            self._total = total
                    self.counted.emit(generation, total)
                else:
                    self.loaded.emit(generation, job, self._page(store, query, job, total))
            except StoreError as error:
                self.failed.emit(generation, error.message)
        if store is not None:
            store.close()

    def _page(self, store: Store, query: ListQuery, page: int, total: int | None) -> list:
        offset = page * self.page_size
        if total is not None and offset > total // 2:
            # Read from the far end: the same rows, in reverse, with a small OFFSET.
            end = min(total, offset + self.page_size)
            rows = store.list_submissions(
                **query.filters(), order_by=query.order_by, descending=not query.descending,
                limit=end - offset, offset=total - end)
            return rows[::-1]
        return store.list_submissions(**query.filters(), order_by=query.order_by,
                                      descending=query.descending, limit=self.page_size,
                                      offset=offset)
