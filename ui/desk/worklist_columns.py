"""How the work list's columns share the width of the table.

Every column has a natural width (its longest likely text, or its title) and the least it
can do with. Name and Flags are the flexible ones: Name elides (its tooltip holds the
whole name) and Flags shows the chips that fit, then "+N" (its tooltip lists them all).
When the natural widths do not fit, Name gives up room first (down to its least), then
Flags, so that the flags stay in words as long as possible; the other columns keep
theirs, and "Last change", the default order, is never pushed behind a horizontal scroll
bar at 1366 px, even with 150 % text.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from screening_app.i18n import Translator
from screening_app.store.records import SEVERITIES, STATUSES
from ui.desk import formatting as fmt

FLEXIBLE = ("name", "flags")
NAME_LEAST_EM = 11
NAME_NATURAL = "Test-Valentina Demo-Fernández"  # a long name, as the demo writes them


def _widest_when(t: Translator) -> list[str]:
    """The longest forms the list writes: another year's date, and "Yesterday" with a time."""
    last_year = datetime.now().astimezone().replace(month=9, day=28, hour=14, minute=5)
    last_year = last_year.replace(year=last_year.year - 1)
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    return [fmt.when(moment.isoformat(), t, compact=True) for moment in (last_year, yesterday)]


def natural_widths(table: QTableView, columns: tuple[str, ...], t: Translator
                   ) -> dict[str, tuple[int, int]]:
    """column key -> (natural width, least width), in pixels, for the table's fonts."""
    header = table.horizontalHeader()
    cell, title = table.fontMetrics(), header.fontMetrics()
    pad = cell.height()
    chip = max(4, cell.height() // 4)
    chips = [cell.horizontalAdvance(t(f"desk.flags.count.{s}", count=2)) + 2 * chip
             for s in SEVERITIES]
    samples = {
        "id": ["100000"],
        "date_of_birth": [fmt.birth("1990-09-28", t)],
        "status": [t(f"desk.status.{s}") for s in STATUSES]
                  + [t("desk.status.draft_step", step=10, total=10)],
        "started": _widest_when(t),
        "updated": _widest_when(t),
    }
    widths = {}
    for index, key in enumerate(columns):
        # The title, and room for the sort indicator (any column can show it).
        heading = title.horizontalAdvance(
            str(table.model().headerData(index, Qt.Orientation.Horizontal))) + 2 * pad
        if key == "name":
            natural = cell.horizontalAdvance(NAME_NATURAL) + pad
            least = cell.horizontalAdvance("M") * NAME_LEAST_EM
        elif key == "flags":  # the chips as FlagChipsDelegate draws them
            natural = sum(chips) + 2 * chip + pad
            least = max(chips) + cell.horizontalAdvance("…") + 3 * chip
        else:
            natural = max(cell.horizontalAdvance(text) for text in samples[key]) + pad
            least = natural
        widths[key] = (max(natural, heading), max(least, min(heading, natural)))
    return widths


def share(widths: dict[str, tuple[int, int]], room: int) -> dict[str, int]:
    """Natural widths when they fit (Name takes what is left over); otherwise Name, then
    Flags, shrink toward their least until they do (or can shrink no more)."""
    sizes = {key: natural for key, (natural, _least) in widths.items()}
    extra = room - sum(sizes.values())
    if extra >= 0:
        sizes["name"] += extra
        return sizes
    short = -extra
    for key in FLEXIBLE:  # in this order: Name first, then Flags
        cut = min(short, widths[key][0] - widths[key][1])
        sizes[key] -= cut
        short -= cut
    return sizes
