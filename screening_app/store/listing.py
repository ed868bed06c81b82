"""The desk's list of submissions: filter, search, sort and page in SQL.

Each row shows the name and date of birth answered in that submission (copied onto its
row as they are saved), never another submission's. Search text is split into words;
every word must match one of: a word of a first or last name recorded for the person (the
person record's, or one of their submissions') starting with it (case and accents
ignored: "nun" finds "Núñez"), the date of birth answered in the submission
(`YYYY-MM-DD`, or day/month/year as on an ID card: `17/05/1980`, `17.05.1980`,
`17-05-1980`; when day and month could be either way round, `05/06/1980`, both dates are
searched), digits of a phone number recorded for the person (four or more), the
submission id, or the resume code. Names and phone digits are prefix ranges on
`candidate_search_terms` (which holds name words and phone-digit suffixes), so they stay
index lookups at hundreds of thousands of candidates. A search that is entirely a phone
number ("+34 91 555 0101") is taken as one number, not as four words.

Any text is a valid search: only ASCII digits count as digits ("²" is not a number), and
only the first `MAX_SEARCH_WORDS` words are used (a pasted paragraph must not become a
thousand-term query that SQLite refuses).

A page is read in two steps: the ids of the page, in order, from the narrow indexes
(OFFSET skips index entries, not whole rows with their flag counts), then those rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import date
from typing import Any

from .base import StoreBase
from .normalise import MIN_PHONE_DIGITS, PHONE_TERM, digits, normalise_code, normalise_name
from .records import NO_FLAGS, SEVERITIES, SubmissionRow
from .signoffs import status_sql, status_where

ORDER_COLUMNS = {
    "updated_at": ("s.updated_at", "s.id"),
    "started_at": ("s.started_at", "s.id"),
    "submitted_at": ("s.submitted_at", "s.id"),
    "id": ("s.id",),
    "status": ("s.status", "s.updated_at", "s.id"),
    "candidate": ("s.last_name_norm", "s.first_name_norm", "s.id"),
    "date_of_birth": ("s.date_of_birth", "s.id"),
}

NULLABLE_ORDER_COLUMNS = frozenset({"s.submitted_at", "s.date_of_birth"})

# `column` is one of the values a subquery returns: the backend's best form of it
# (backends/sqlite.py, backends/postgres.py: `in_list`).
InList = Callable[[str, str], str]

MAX_SEARCH_WORDS = 8
NO_LIMIT = 2**62

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})", re.ASCII)
_PHONE = re.compile(r"[0-9+()\-. ]+")
# Above every character that can appear in a normalised name word.
_PREFIX_END = "\U0010ffff"

_FLAG_COUNTS = ", ".join(
    f"(SELECT count(*) FROM flags f WHERE f.submission_id = s.id AND f.severity = '{sev}')"
    f" AS flags_{sev}" for sev in SEVERITIES
)


def _prefix(params: dict[str, Any], name: str, prefix: str, in_list: InList,
            dense: bool = False) -> str:
    """Candidates with a search term starting with `prefix` (parameter `name`).

    Two forms of the same condition: the set of matching candidates (best when few match,
    and for counting), or a lookup of each submission's own terms (`dense`: best for a page
    of a search most rows match, "a" or a marker every name carries; the rows come in the
    list's order and the query stops at the page's end instead of sorting every match).
    """
    params[name] = prefix
    params[f"{name}_end"] = prefix + _PREFIX_END
    if dense:
        return (f"EXISTS (SELECT 1 FROM candidate_search_terms t WHERE t.candidate_id ="
                f" s.candidate_id AND t.term >= :{name} AND t.term < :{name}_end)")
    return in_list("s.candidate_id", "SELECT candidate_id FROM candidate_search_terms"
                   f" WHERE term >= :{name} AND term < :{name}_end")


def _birth_dates(token: str) -> list[str]:
    """The ISO dates a day/month/year token can mean (month/day/year too when it fits)."""
    match = _DAY_MONTH_YEAR.fullmatch(token)
    if match is None:
        return []
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    found = set()
    for day, month in ((first, second), (second, first)):
        with suppress(ValueError):  # not a day of the calendar in this order
            found.add(date(year, month, day).isoformat())
    return sorted(found)


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _search_clauses(search: str, params: dict[str, Any], in_list: InList,
                    dense: bool) -> list[str]:
    clauses = []
    text = search.strip()
    # "+34 91 555 0101" is one phone number, not four words; "k7m2 qx9d" one code.
    whole = (_PHONE.fullmatch(text) and len(digits(text)) >= MIN_PHONE_DIGITS) or (
        " " in text and normalise_code(text))
    tokens = [text] if whole else text.replace(",", " ").split()
    words_left = MAX_SEARCH_WORDS
    for n, token in enumerate(tokens[:MAX_SEARCH_WORDS]):
        if _DATE.fullmatch(token):
            params[f"dob{n}"] = token
            clauses.append(f"s.date_of_birth = :dob{n}")
            continue
        options = []
        for m, day in enumerate(_birth_dates(token)):
            params[f"dob{n}_{m}"] = day
            options.append(f"s.date_of_birth = :dob{n}_{m}")
        if _is_number(token) and len(token) < 19:  # beyond SQLite's 64-bit integers
            params[f"id{n}"] = int(token)
            options.append(f"s.id = :id{n}")
        if _PHONE.fullmatch(token) and len(digits(token)) >= MIN_PHONE_DIGITS:
            options.append(_prefix(params, f"phone{n}", PHONE_TERM + digits(token), in_list,
                                   dense))
        code = normalise_code(token)
        if code:
            params[f"code{n}"] = code
            options.append(f"s.code = :code{n}")
        words = normalise_name(token).split()[:max(words_left, 1)]
        if words and not _PHONE.fullmatch(token):
            words_left -= len(words)
            options.append("(" + " AND ".join(
                _prefix(params, f"w{n}_{m}", word, in_list, dense)
                for m, word in enumerate(words)) + ")")
        clauses.append("(" + " OR ".join(options) + ")" if options else "1 = 0")
        if words_left <= 0:
            break
    return clauses


def _where(
    status: str | Sequence[str] | None, search: str | None, severity: str | None,
    in_list: InList, dense: bool = False, candidate_id: int | None = None,
) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if candidate_id is not None:
        params["candidate_id"] = int(candidate_id)
        clauses.append("s.candidate_id = :candidate_id")
    if status is not None:
        clauses.append(status_where(status))
    if severity == NO_FLAGS:  # submitted without a flag (a draft has none computed yet)
        clauses.append("s.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM flags f"
                       " WHERE f.submission_id = s.id)")
    elif severity is not None:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        params["severity"] = severity
        clauses.append("EXISTS (SELECT 1 FROM flags f WHERE f.submission_id = s.id"
                       " AND f.severity = :severity)")
    if search and search.strip():
        clauses.extend(_search_clauses(search, params, in_list, dense))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _row(row: dict[str, Any]) -> SubmissionRow:
    name = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
    return SubmissionRow(
        id=row["id"], code=row["code"], candidate_id=row["candidate_id"], candidate=name,
        date_of_birth=row["date_of_birth"], status=row["status"], lang=row["lang"],
        flags={sev: row[f"flags_{sev}"] for sev in SEVERITIES},
        started_at=row["started_at"], updated_at=row["updated_at"],
        submitted_at=row["submitted_at"], current_step=row["current_step"],
    )


def _order(order_by: str, descending: bool) -> str:
    if order_by not in ORDER_COLUMNS:
        raise ValueError(f"cannot order by {order_by!r}")
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{column} {direction}{_nulls(column, descending)}"
                     for column in ORDER_COLUMNS[order_by])


def _nulls(column: str, descending: bool) -> str:
    """Where empty values go, said outright: SQLite puts NULL first (last when descending),
    PostgreSQL the other way round; both follow SQLite's order and keep their indexes."""
    if column not in NULLABLE_ORDER_COLUMNS:
        return ""
    return " NULLS LAST" if descending else " NULLS FIRST"


def _from(where: str, order: str = "") -> str:
    """The submissions: every column a filter or an order needs is on their own rows."""
    return "FROM submissions s"


class ListingMixin(StoreBase):
    def list_submissions(
        self,
        *,
        status: str | Sequence[str] | None = None,
        search: str | None = None,
        severity: str | None = None,
        limit: int = 100,
        offset: int = 0,
        order_by: str = "updated_at",
        descending: bool = True,
        total: int | None = None,
        candidate_id: int | None = None,
    ) -> list[SubmissionRow]:
        """One page of submissions with candidate names and flag counts by severity.

        `total`: how many rows these filters match, when the caller has counted them (the
        desk counts first); a search that matches many rows then reads its page differently.
        `candidate_id`: only that person's submissions.
        """
        order = _order(order_by, descending)
        where, params = _where(status, search, severity, self._backend.in_list,
                               self._dense(search, total, int(limit) + int(offset)),
                               candidate_id)
        params.update(limit=int(limit), offset=int(offset))
        rows = self._rows(
            "SELECT s.id, s.code, s.candidate_id, s.first_name, s.last_name, s.date_of_birth,"
            f" {status_sql('s')} AS status, s.lang, s.started_at, s.updated_at, s.submitted_at,"
            f" s.current_step, {_FLAG_COUNTS}"
            f" FROM (SELECT s.id AS page_id {_from(where, order)}{where}"
            f" ORDER BY {order} LIMIT :limit OFFSET :offset) page"
            " JOIN submissions s ON s.id = page.page_id"
            f" ORDER BY {order}",
            params,
        )
        return [_row(row) for row in rows]

    def submission_ids(
        self,
        *,
        status: str | Sequence[str] | None = None,
        search: str | None = None,
        severity: str | None = None,
        order_by: str = "updated_at",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        candidate_id: int | None = None,
    ) -> list[int]:
        """The ids of every submission the filters match (or of `limit` from `offset`), in
        the list's order: what "select all" in a filtered list means."""
        order = _order(order_by, descending)
        where, params = _where(status, search, severity, self._backend.in_list,
                               candidate_id=candidate_id)
        # No limit: a number beyond any table (SQLite has no LIMIT ALL, PostgreSQL no LIMIT -1)
        params.update(limit=NO_LIMIT if limit is None else int(limit), offset=int(offset))
        rows = self._rows(f"SELECT s.id {_from(where, order)}{where} ORDER BY {order}"
                          " LIMIT :limit OFFSET :offset", params)
        return [int(row["id"]) for row in rows]

    def count_submissions(
        self,
        *,
        status: str | Sequence[str] | None = None,
        search: str | None = None,
        severity: str | None = None,
        candidate_id: int | None = None,
    ) -> int:
        where, params = _where(status, search, severity, self._backend.in_list,
                               candidate_id=candidate_id)
        row = self._one(f"SELECT count(*) AS n {_from(where)}{where}", params)
        return int(row["n"]) if row else 0

    def _dense(self, search: str | None, total: int | None, reach: int) -> bool:
        """Whether walking the list in order finds the page sooner than sorting every match:
        `reach` rows are needed and about one in (all / total) rows matches."""
        if not search or not search.strip() or not total:
            return False
        # How many submissions there are, about: the largest id (ids are never reused and
        # submissions never deleted) is one index lookup, where count(*) read an index of
        # every submission: 10 ms on each page of a search at 100,000 on PostgreSQL.
        row = self._one("SELECT max(id) AS n FROM submissions")
        about = int(row["n"] or 0) if row else 0
        return total * total > reach * about

    def change_listener(self) -> Any:
        """On a server, a `ChangeListener` that hears every other station's committed
        change as it happens (store/backends/postgres_changes.py; it connects when first
        used, in the thread that waits on it); on a file, None: ask `data_version`."""
        return self._backend.change_listener()

    def reachable(self) -> bool:
        """Whether the database would take a change now, asked without this Store's own
        connection (any thread may ask, e.g. while the window waits for a server that went
        away). A file: always True (trying the change is the test)."""
        return self._backend.reachable()

    def data_version(self) -> int:
        """A number that changes whenever another connection (another window, the kiosk, a
        worker thread) committed a change to the file: a cheap "is the list still current?"."""
        with self._backend.translated():
            return self._backend.data_version()
