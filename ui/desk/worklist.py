"""The work list: every submission, searchable as you type, filtered, sorted, paged.

A search runs at the keystroke (no typing pause): the loader thread runs the latest text
as soon as the query before it is done, and results of superseded texts are dropped.
Every REFRESH_MS the loader asks whether anyone (a kiosk, another desk) changed the file;
only then is the list read again, keeping the selection, the current row and the scroll
position, and the count line says when the rows were read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator
from screening_app.store.records import NO_FLAGS, SEVERITIES, STATUSES
from ui.desk import formatting as fmt
from ui.desk.flag_chips import FlagChipsDelegate
from ui.desk.list_model import SubmissionTableModel
from ui.desk.page_loader import ListQuery
from ui.desk.selection import RowSelection, merge
from ui.desk.worklist_columns import FLEXIBLE, natural_widths, share

REFRESH_MS = 20_000
MAX_KEPT_ROWS = 1000  # a refresh reads again the pages of at most this many selected rows


class SubmissionTable(QTableView):
    """Enter opens the current row; Down from the search field lands here. Typing a letter
    or digit here goes to the search field (Qt's own type-ahead jumped to whichever row's
    first column started with it: after Ctrl+F failed, typing selected a random row)."""

    activated_row = Signal(int)
    typed = Signal(str)
    empty_text = ""  # said in the empty table: why it is empty and what to do

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()

    def say_when_empty(self, text: str) -> None:
        self.empty_text = text
        self.setAccessibleDescription(text)
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        text = event.text()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier
                                         | Qt.KeyboardModifier.MetaModifier)
        if plain and text and text.isprintable() and not text.isspace():
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """No jumping to a row by its first letters (see the class)."""


class SearchField(QLineEdit):
    move_down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_down.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class WorkListPage(QWidget):
    open_requested = Signal(int)  # submission id
    new_intake_requested = Signal()
    export_requested = Signal(object)  # a RowSelection

    def __init__(self, db_path: Path, t: Translator, parent: QWidget | None = None,
                 steps: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.t = t
        self.model = SubmissionTableModel(db_path, t, self, steps)
        self.model.total_changed.connect(self._show_count)
        self.model.failed.connect(self._show_failure)
        self.model.stale.connect(self.refresh)
        self._kept: dict | None = None  # what a refresh puts back (see refresh)

        self.search = SearchField(self)
        self.search.setPlaceholderText(t("desk.list.search_placeholder"))
        self.search.setAccessibleName(t("desk.list.search"))
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("search")
        self.status = self._combo("status", t("desk.list.status_filter"),
                                  [(None, t("desk.list.all_statuses"))]
                                  + [(s, t(f"desk.status.{s}")) for s in STATUSES])
        self.severity = self._combo("severity", t("desk.list.severity_filter"),
                                    [(None, t("desk.list.any_flags"))]
                                    + [(s, t(f"desk.list.with_{s}")) for s in SEVERITIES]
                                    + [(NO_FLAGS, t("desk.list.no_flags"))])
        self.person: tuple[int, str] | None = None  # (candidate id, name): one person's list
        self.count = QLabel(t("desk.list.loading"), self)
        self.count.setObjectName("count")
        # A long message (a failure) wraps instead of widening the window past the screen.
        self.count.setWordWrap(True)
        self.count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.count.setAccessibleName(t("desk.list.count_name"))

        self.table = SubmissionTable(self)
        self.table.setObjectName("worklist")
        self.table.setAccessibleName(t("desk.list.table"))
        self.table.setModel(self.model)
        # After the view's and the selection model's own reset handlers (connected by
        # setModel): what _after_reset selects must not be cleared by them.
        self.model.modelReset.connect(self._after_reset)
        self.table.setItemDelegateForColumn(SubmissionTableModel.COLUMNS.index("flags"),
                                            FlagChipsDelegate(t, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(SubmissionTableModel.COLUMNS.index("updated"),
                                Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setStretchLastSection(False)
        self._header_restored = False
        self._sized = False
        self._fitting = False  # resizing Name and Flags ourselves
        self._flexible: dict[str, tuple[int, int]] = {}
        header.sectionResized.connect(self._section_resized)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.activated_row.connect(self._open_row)

        self.new_button = QPushButton(t("desk.list.new_intake"), self)
        self.new_button.setObjectName("new-intake")
        self.new_button.clicked.connect(self.new_intake_requested)
        self.open_button = QPushButton(t("desk.list.open"), self)
        self.open_button.clicked.connect(self._open_current)
        self.export_button = QPushButton(t("desk.list.export_selected"), self)
        self.export_button.setObjectName("export-selected")
        self.export_button.clicked.connect(self._export_selected)
        self.person_button = QPushButton(t("desk.list.same_person"), self)
        self.person_button.setObjectName("same-person")
        self.person_button.setToolTip(t("desk.list.same_person_tip"))
        self.person_button.clicked.connect(self.show_same_person)
        self.filters_note = QLabel(self)
        self.filters_note.setObjectName("filters")
        self.filters_note.setWordWrap(True)
        self.filters_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.clear_button = QPushButton(t("desk.list.clear_filters"), self)
        self.clear_button.setObjectName("clear-filters")
        self.clear_button.clicked.connect(self.clear_filters)

        filters = QHBoxLayout()
        search_label = QLabel(t("desk.list.search_label"), self)
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 3)
        for label_key, combo in (("desk.list.status_label", self.status),
                                 ("desk.list.severity_label", self.severity)):
            label = QLabel(t(label_key), self)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.count, 2)
        actions.addWidget(self.filters_note, 3)
        actions.addWidget(self.clear_button)
        actions.addWidget(self.open_button)
        actions.addWidget(self.person_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(lambda _text: self.apply_filters())
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(REFRESH_MS)
        self.poll_timer.timeout.connect(self.model.loader.poll)
        self.poll_timer.start()
        self.search.move_down.connect(self._focus_table)
        self.status.currentIndexChanged.connect(self.apply_filters)
        self.severity.currentIndexChanged.connect(self.apply_filters)
        # Ctrl+F and F5 are the window's Work menu actions (a second binding here made
        # each ambiguous: Qt then does nothing at all).
        self.table.typed.connect(self._type_into_search)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.severity)
        self.setTabOrder(self.severity, self.clear_button)
        self.setTabOrder(self.clear_button, self.open_button)
        self.setTabOrder(self.open_button, self.person_button)
        self.setTabOrder(self.person_button, self.export_button)
        self.setTabOrder(self.export_button, self.new_button)
        self.setTabOrder(self.new_button, self.table)

    def _combo(self, name: str, accessible: str, entries: list[tuple[str | None, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value, text in entries:
            combo.addItem(text, value)
        return combo

    def restore_header(self, state) -> None:
        """Column widths and order as the person left them. Name and Flags are fitted to
        the window again anyway (at every start and resize): restored as they were saved,
        they stayed squeezed to their least, with half the table empty."""
        self._header_restored = self.table.horizontalHeader().restoreState(state)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self.rescale(columns=False)
            self._size_columns(keep=self._header_restored)

    def rescale(self, columns: bool = True) -> None:
        """Row height (and column widths) for the current text size."""
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(int(metrics.height() * 1.5) + 4)
        if columns:
            self._size_columns()

    def _size_columns(self, keep: bool = False) -> None:
        """Columns as wide as their texts, sharing the table's width (worklist_columns);
        `keep`: the other columns keep the widths they were given (restored: the person's)."""
        widths = natural_widths(self.table, SubmissionTableModel.COLUMNS, self.t)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(self.table.fontMetrics().horizontalAdvance("0000"))
        fixed = {key: header.sectionSize(column) if keep else widths[key][0]
                 for column, key in enumerate(SubmissionTableModel.COLUMNS) if key not in FLEXIBLE}
        self._fitting = True
        for column, key in enumerate(SubmissionTableModel.COLUMNS):
            if key not in FLEXIBLE:
                header.resizeSection(column, fixed[key])
        self._fitting = False
        self._flexible = {key: widths[key] for key in FLEXIBLE}
        self._fit_columns()

    def _room(self) -> int:
        room = self.table.viewport().width()
        bar = self.table.verticalScrollBar()
        if not bar.isVisible():  # it will be, once the rows are in
            room -= bar.sizeHint().width()
        return room

    def _fit_columns(self) -> None:
        """Name and Flags share what the other columns leave."""
        if not self._flexible or self._fitting:  # not sized yet, or fitting now
            return
        header = self.table.horizontalHeader()
        keys = SubmissionTableModel.COLUMNS
        widths = {key: (header.sectionSize(column),) * 2 for column, key in enumerate(keys)
                  if key not in FLEXIBLE} | self._flexible
        sizes = share(widths, self._room())
        self._fitting = True
        for key in FLEXIBLE:
            header.resizeSection(keys.index(key), sizes[key])
        self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        """The person widened or narrowed a column: Name and Flags take up the difference."""
        if SubmissionTableModel.COLUMNS[column] not in FLEXIBLE:
            self._fit_columns()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._sized:
            self._fit_columns()

    # -- queries ------------------------------------------------------------------------

    def current_query(self) -> ListQuery:
        header = self.table.horizontalHeader()
        key = SubmissionTableModel.COLUMNS[header.sortIndicatorSection()]
        person_id, person = self.person or (None, "")
        return ListQuery(search=self.search.text(), status=self.status.currentData(),
                         severity=self.severity.currentData(),
                         order_by=SubmissionTableModel.SORT_KEYS.get(key, "updated_at"),
                         descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
                         candidate_id=person_id, person=person)

    def apply_filters(self) -> None:
        query = self.current_query()
        self._show_filters(query)
        if query != self.model.query or not self.model.rowCount():
            self._kept = None
            self.count.setText(self.t("desk.list.loading"))
            self.table.say_when_empty("")  # until this query is counted
            self.model.set_query(query)

    def _show_filters(self, query: ListQuery) -> None:
        """The filters in force, in words next to the count, with one button to clear them;
        a search by ID or code says that they do not apply to it."""
        t = self.t
        named = [combo.currentText() for combo in (self.status, self.severity)
                 if combo.currentData() is not None]
        if query.candidate_id is not None:
            named.append(t("desk.list.person", name=query.person))
        if named and not query.filtered():
            self.filters_note.setText(t("desk.list.filters_ignored"))
        else:
            self.filters_note.setText(t("desk.list.filtered", filters=", ".join(named))
                                      if named else "")
        self.filters_note.setToolTip(", ".join(named))
        self.clear_button.setVisible(bool(named))

    def clear_filters(self) -> None:
        self.person = None
        for combo in (self.status, self.severity):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.apply_filters()

    def show_same_person(self) -> None:
        """Every submission of the selected row's person, together (filters and search
        give way: the person's own list is what is asked for)."""
        record = self.model.row_at(self.table.currentIndex().row()) \
            if self.table.currentIndex().isValid() else None
        if record is None:
            return
        self.person = (record.candidate_id, fmt.shown_name(record.candidate, self.t))
        for combo in (self.status, self.severity):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def refresh(self) -> None:
        """Read the list again, then put back the selection, current row and scroll."""
        table, model = self.table, self.model
        ranges = merge([(r.top(), r.bottom()) for r in table.selectionModel().selection()])
        count = sum(last - first + 1 for first, last in ranges)
        everything = bool(count) and count == model.rowCount()
        keep = [] if everything else [row for first, last in ranges
                                      for row in range(first, last + 1)][:MAX_KEPT_ROWS]
        current, top = table.currentIndex(), table.rowAt(0)
        rows = [row for row in (top, table.rowAt(table.viewport().height() - 1),
                                current.row()) if row >= 0]

        def id_at(row: int) -> int | None:
            record = model.cached(row)
            return record.id if record is not None else None

        self._kept = {
            "everything": everything,
            "selected": [i for i in map(id_at, keep) if i is not None],
            "current": id_at(current.row()), "column": max(current.column(), 0),
            "top": id_at(top), "scroll": table.verticalScrollBar().value(),
        }
        model.refresh(tuple(rows + keep))

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        key = SubmissionTableModel.COLUMNS[section]
        if key not in SubmissionTableModel.SORT_KEYS:
            # Not a column the store can sort by: put the indicator back.
            previous = self.model.query
            column = next(c for c, k in SubmissionTableModel.SORT_KEYS.items()
                          if k == previous.order_by)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(SubmissionTableModel.COLUMNS.index(column),
                                    Qt.SortOrder.DescendingOrder if previous.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            return
        self.apply_filters()

    def _show_count(self, total: int) -> None:
        """The count beside the filters; an empty list says why it is empty (a first day's
        coordinator saw a blank table) and what to do."""
        query = self.model.query
        empty = ""
        if not total:
            narrowed = bool(query.search.strip()) or query.filtered()
            empty = self.t("desk.list.empty_matches" if narrowed else "desk.list.empty_none")
        self.table.say_when_empty(empty)
        shown = self.model.shown_at
        self.count.setText(self.t.plural("desk.list.count_at", total, count=f"{total:,}",
                                         time=f"{shown:%H:%M}") if shown else
                           self.t.plural("desk.list.count", total, count=f"{total:,}"))

    def _show_failure(self, message: str) -> None:
        self.count.setText(self.t("desk.list.failed", message=message))

    def _after_reset(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None:
            self._put_back(kept)
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 1))
            self.table.clearSelection()

    def _put_back(self, kept: dict) -> None:
        """After a refresh: the same submissions selected and current, the same one on top."""
        table, model = self.table, self.model
        rows = model.positions()
        selection = table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        if kept["current"] in rows:
            selection.setCurrentIndex(model.index(rows[kept["current"]], kept["column"]),
                                      flags.NoUpdate)
        if kept["everything"]:
            table.selectAll()
        else:
            chosen = QItemSelection()
            for row in (rows[i] for i in kept["selected"] if i in rows):
                chosen.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
            selection.select(chosen, flags.ClearAndSelect)
        if kept["top"] in rows:
            table.scrollTo(model.index(rows[kept["top"]], 0),
                           QAbstractItemView.ScrollHint.PositionAtTop)
        else:
            table.verticalScrollBar().setValue(kept["scroll"])

    # -- actions ------------------------------------------------------------------------

    def _type_into_search(self, text: str) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.insert(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _focus_table(self) -> None:
        self.apply_filters()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.model.rowCount():
            index = self.model.index(max(0, self.table.currentIndex().row()), 1)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _open_row(self, row: int) -> None:
        record = self.model.row_at(row)
        if record is not None:
            self.open_requested.emit(record.id)

    def _open_current(self) -> None:
        index: QModelIndex = self.table.currentIndex()
        if index.isValid():
            self._open_row(index.row())

    def selection(self) -> RowSelection:
        """The rows selected, as the person chose them: every row of the current search and
        filters after Ctrl+A, including rows the list has not read yet."""
        ranges = merge([(r.top(), r.bottom()) for r in self.table.selectionModel().selection()])
        count = sum(last - first + 1 for first, last in ranges)
        query = self.model.query
        if count and count == self.model.rowCount():
            return RowSelection(query, count, everything=True)
        parts = [(first, last, tuple(ids) if ids is not None else None)
                 for a, b in ranges for first, last, ids in self.model.known_ids(a, b)]
        return RowSelection(query, count, parts=tuple(parts))

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows the list has read."""
        return self.selection().known_ids()

    def _export_selected(self) -> None:
        self.export_requested.emit(self.selection())
