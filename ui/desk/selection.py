"""Rows chosen in the work list, resolved to submission ids where it is safe to ask the store.

The list reads its rows 200 at a time, so a selection (Ctrl+A on 2,473 rows, or Shift+End)
covers rows that were never read. The selection is kept as what the person chose: every
row of the current search and filters, or row ranges with the ids already known; the
export worker resolves the rest with its own store connection, so no row is dropped and
the UI thread never waits for SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening_app.store import Store
from ui.desk.page_loader import ListQuery

# (first row, last row, their ids when the list has read them, else None)
Part = tuple[int, int, tuple[int, ...] | None]


@dataclass(frozen=True)
class RowSelection:
    query: ListQuery
    count: int  # rows selected, as the list showed them
    everything: bool = False  # every row the query matches (Ctrl+A)
    parts: tuple[Part, ...] = ()

    @classmethod
    def of_ids(cls, ids: list[int]) -> RowSelection:
        return cls(ListQuery(), len(ids), parts=((0, len(ids) - 1, tuple(ids)),) if ids else ())

    def known_ids(self) -> list[int]:
        return [i for _first, _last, ids in self.parts if ids is not None for i in ids]

    def resolve(self, store: Store) -> list[int]:
        """The submission ids, in the list's order (each once)."""
        query = self.query
        order = {"order_by": query.order_by, "descending": query.descending}
        if self.everything:
            return store.submission_ids(**query.filters(), **order)
        ids: list[int] = []
        for first, last, known in self.parts:
            ids.extend(known if known is not None else store.submission_ids(
                **query.filters(), **order, limit=last - first + 1, offset=first))
        return list(dict.fromkeys(ids))


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching row ranges as one."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
