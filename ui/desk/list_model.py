"""The work list as a Qt model over paged SQL: 100,000 rows without reading them all.

`rowCount` is the true number of rows (so the scroll bar is honest); rows are read in
pages of 200 by the PageLoader thread and kept in a small least-recently-used cache. A
row whose page is not there yet shows "…" and asks for its page. A new search or filter
keeps the old rows on screen until the new count and first page have both arrived, then
swaps them in with one reset (no flicker of empty rows while typing). A refresh of the
same query (someone else changed the file) also waits for the pages on screen, so the
list can be put back where it was.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from screening_app.i18n import Translator
from screening_app.store.records import SubmissionRow
from ui.desk import formatting as fmt
from ui.desk.page_loader import COUNT, ListQuery, PageLoader
from ui.desk.store_text import store_message

PAGE_SIZE = 200
MAX_CACHED_PAGES = 50
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 1  # (submitted, {severity: count}) for the delegate
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the SubmissionRow, or None while loading

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, ROW_ROLE,
                    FLAGS_ROLE, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole})
_GREY = QColor("#6b6f75")
_ITALIC = QFont()
_ITALIC.setItalic(True)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SubmissionTableModel(QAbstractTableModel):
    COLUMNS = ("id", "name", "date_of_birth", "status", "flags", "started", "updated")
    SORT_KEYS: ClassVar[dict[str, str]] = {"id": "id", "name": "candidate", "status": "status",
                 "date_of_birth": "date_of_birth", "started": "started_at",
                 "updated": "updated_at"}

    total_changed = Signal(int)
    shown = Signal()  # the first page of the current query is on screen
    failed = Signal(str)
    stale = Signal()  # the file changed since the rows on screen were read

    def __init__(self, db_path: Path, t: Translator, parent: Any = None,
                 steps: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.t = t
        self.steps = steps  # the questionnaire's step ids: "Draft, step 4 of 10"
        self.query = ListQuery()
        self._generation = 0
        self._total = 0
        self._pages: OrderedDict[int, list[SubmissionRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._formatted: dict[int, tuple[SubmissionRow, tuple[str, ...]]] = {}
        self._incoming_total: int | None = None
        self._incoming: dict[int, list[SubmissionRow]] = {}
        self._expected: tuple[int, ...] = (0,)
        self.loading = False
        self.shown_at: datetime | None = None  # when the rows on screen were read
        self.loader = PageLoader(db_path, PAGE_SIZE)
        self.loader.counted.connect(self._counted)
        self.loader.loaded.connect(self._loaded)
        self.loader.dropped.connect(self._dropped)
        self.loader.failed.connect(self._failed)
        self.loader.changed.connect(self.stale)
        self.loader.start()

    def close(self) -> None:
        self.loader.stop()

    # -- queries ------------------------------------------------------------------------

    def set_query(self, query: ListQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self, keep_rows: tuple[int, ...] = ()) -> None:
        """Read the current query again (after a change), keeping the rows until it is in;
        with `keep_rows`, the pages holding those rows are read before the swap too."""
        self._generation += 1
        pages = tuple(sorted({0, *(row // PAGE_SIZE for row in keep_rows)}))
        self._incoming_total, self._incoming, self._expected = None, {}, pages
        self.loading = True
        self.loader.set_query(self._generation, self.query, pages)

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._incoming_total = total
            self._swap_in()

    def _loaded(self, generation: int, page: int, rows: list[SubmissionRow]) -> None:
        if generation != self._generation:
            return
        if self.loading and page in self._expected:
            self._incoming[page] = rows
            self._swap_in()
            return
        self._requested.discard(page)
        self._pages[page] = rows
        self._trim()
        first = page * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))

    def _swap_in(self) -> None:
        total = self._incoming_total
        if total is None:
            return
        needed = [p for p in self._expected if p == 0 or p * PAGE_SIZE < total]
        if any(p not in self._incoming for p in needed):
            return
        self.beginResetModel()
        self._total = total
        self._pages = OrderedDict((p, self._incoming[p]) for p in needed)
        self._requested.clear()
        self.loading = False
        self.shown_at = datetime.now()
        self.endResetModel()
        self.total_changed.emit(self._total)
        self.shown.emit()

    def _dropped(self, generation: int, page: int) -> None:
        if generation == self._generation:
            self._requested.discard(page)

    def _failed(self, generation: int, job: int, error: object) -> None:
        if generation != self._generation:
            return
        self._requested.discard(job)
        if self.loading and (job == COUNT or job in self._expected):
            self.loading = False  # the old rows stay; the next query starts afresh
        self.failed.emit(store_message(error, self.t) if error is not None
                         else self.t("desk.list.unexpected"))

    def _trim(self) -> None:
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    # -- rows ---------------------------------------------------------------------------

    def positions(self) -> dict[int, int]:
        """Submission id -> row, for the rows read."""
        return {record.id: page * PAGE_SIZE + offset for page, rows in self._pages.items()
                for offset, record in enumerate(rows)}

    def known_ids(self, first: int, last: int) -> list[tuple[int, int, list[int] | None]]:
        """Rows `first`..`last` by page: (first, last, their ids or None when not read)."""
        parts = []
        row = first
        while row <= last:
            page = row // PAGE_SIZE
            end = min(last, (page + 1) * PAGE_SIZE - 1)
            rows = self._pages.get(page)
            start = row - page * PAGE_SIZE
            if rows is not None and end - page * PAGE_SIZE < len(rows):
                parts.append((row, end, [r.id for r in rows[start:end - page * PAGE_SIZE + 1]]))
            else:
                parts.append((row, end, None))
            row = end + 1
        return parts

    def cached(self, row: int) -> SubmissionRow | None:
        """The row if it was read, without asking for its page."""
        rows = self._pages.get(row // PAGE_SIZE) if 0 <= row < self._total else None
        offset = row % PAGE_SIZE
        return rows[offset] if rows is not None and offset < len(rows) else None

    def row_at(self, row: int) -> SubmissionRow | None:
        if not 0 <= row < self._total:
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if page not in self._requested and not self.loading:
                self._requested.add(page)
                self.loader.want(self._generation, page)
            return None
        self._pages.move_to_end(page)
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self._total

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.t(f"desk.column.{self.COLUMNS[section]}")
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            key = self.COLUMNS[section]
            return self.t("desk.column.sortable") if key in self.SORT_KEYS else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks every visible cell for about ten roles: the ones this model has
        # nothing for return at once, and a row's texts are formatted once (see _texts).
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row_at(index.row())
        if role == ROW_ROLE:
            return row
        column = self.COLUMNS[index.column()]
        if row is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.t("desk.list.loading_row") if column == "name" else ""
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts(row)[index.column()]
        if role == FLAGS_ROLE:
            return (row.submitted_at is not None, row.flags) if column == "flags" else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == "withdrawn":
                return _GREY
            return fmt.STATUS_COLOURS.get(row.status) if column == "status" else None
        if role == Qt.ItemDataRole.FontRole:
            return _ITALIC if column == "status" and row.status == "draft" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "flags" and row.submitted_at is None:
                return self.t("desk.flags.not_submitted_tip")
            if column in ("started", "updated"):  # with the time, also for another year
                return fmt.when(row.started_at if column == "started" else row.updated_at, self.t)
            return self._texts(row)[index.column()] if column in ("name", "flags") else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "id":
            return _RIGHT
        return None

    def _texts(self, row: SubmissionRow) -> tuple[str, ...]:
        texts = self._formatted.get(row.id)
        if texts is None or texts[0] is not row:
            texts = (row, tuple(self._text(row, column) for column in self.COLUMNS))
            self._formatted[row.id] = texts
            if len(self._formatted) > 4 * PAGE_SIZE:  # rows on screen, not the whole list
                self._formatted.pop(next(iter(self._formatted)))
        return texts[1]

    def _text(self, row: SubmissionRow, column: str) -> str:
        t = self.t
        if column == "id":
            return str(row.id)
        if column == "name":  # a draft keeps what was typed: a bidi override shown as such
            return fmt.shown_name(row.candidate, t)
        if column == "date_of_birth":
            return fmt.birth(row.date_of_birth, t)
        if column == "status":
            if row.status == "draft" and row.current_step in self.steps:
                return t("desk.status.draft_step", step=self.steps.index(row.current_step) + 1,
                         total=len(self.steps))
            return fmt.status_label(row.status, t)
        if column == "flags":
            return fmt.flags_text(row.flags, row.submitted_at is not None, t)
        if column == "started":
            return fmt.when(row.started_at, t, compact=True)
        return fmt.when(row.updated_at, t, compact=True)
