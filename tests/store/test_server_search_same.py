"""The desk's search finds the same submissions, in the same order, on a server as in a
file with the same records: names with accents and in other scripts, phone digits, dates
of birth, resume codes and ids, every order, counted and paged both ways (the set of
candidates, and the dense walk a common search takes).

The server writes some conditions its own way (backends/postgres.py `in_list`: an array
read once, so an index finds the rows), so the file is the reference: the records are
made there and moved onto the server by `copy-database`, ids and all.
"""

from __future__ import annotations

import pytest

from screening_app.store import Store
from screening_app.store.listing import ORDER_COLUMNS
from screening_app.store.server_commands import copy_database
from tests.pg_server import OWNER

pytestmark = pytest.mark.postgres_only

PEOPLE = [  # first name, last name, date of birth, phone
    ("José", "Núñez García", "1980-05-17", "+34 91 555 0101"),
    ("Lucía", "García López", "1975-02-03", "555-0199"),
    ("Íñigo", "Núñez", "1980-05-17", "+34 600 000 017"),
    ("Zoë", "Øvergaard", "1990-12-01", "+47 22 33 44 55"),
    ("Søren", "Müller", "2001-06-05", "+49 30 1234 0142"),
    ("Anna", "Muller", "1966-01-31", "0142 7788"),
    ("Ольга", "Иванова", "1985-07-08", "+7 495 000 0001"),
    ("陈", "伟", "1999-09-09", "+86 10 5555 0123"),
    ("María José", "de la Peña", "1980-05-17", ""),
    ("Mateo", "Garcia", "1958-11-30", "(555) 014-2000"),
]


@pytest.fixture(scope="module")
def both(pg_server, tmp_path_factory, small_questionnaire):
    """The same records in a file and in a server database (as a station reads it)."""
    path = tmp_path_factory.mktemp("same") / "records.db"
    with Store.open(path) as store:
        for round_ in range(3):  # three of each person: a common search pages in order
            for n, (first, last, born, phone) in enumerate(PEOPLE):
                sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
                answers = {"first_name": f"{first} {'Ma' if (n + round_) % 2 else ''}".strip(),
                           "last_name": last, "date_of_birth": born, "phone": phone}
                store.save_answers(sid, {k: v for k, v in answers.items() if v}, actor="kiosk")
        codes = [store.get_submission(sid).code for sid in (3, 17)]
    name = pg_server.new_database()
    copy_database(path, pg_server.url(name, OWNER))
    with Store.open(path) as file, Store.open(pg_server.url(name)) as server:
        yield file, server, codes
    pg_server.drop_database(name)


SEARCHES = [
    "nun", "NÚÑEZ", "garc", "García", "lucía gar", "jos nun", "ma", "m", "a", "ma garc",
    "zoe", "øver", "overg", "soren", "muller", "müller", "ольга", "иван", "陈",
    "de la pe", "maria jose", "1980-05-17", "17/05/1980", "05/06/2001", "5/6/2001",
    "555 0101", "0199", "0142", "0017", "017", "17", "1", "+34", "9155", "0123",
    "ez", "", "   ", "x" * 300, "\u202egarc", "a b c d e f g h i j",
]


def _found(store: Store, search: str, order_by: str, descending: bool) -> dict:
    total = store.count_submissions(search=search)
    paged = []
    for offset in range(0, max(total, 1), 4):  # small pages: a common search goes dense
        paged += store.list_submissions(search=search, order_by=order_by,
                                        descending=descending, limit=4, offset=offset,
                                        total=total)
    return {"total": total, "paged": paged,
            "whole": store.list_submissions(search=search, order_by=order_by,
                                            descending=descending, limit=500),
            "ids": store.submission_ids(search=search, order_by=order_by,
                                        descending=descending)}


@pytest.mark.parametrize("search", SEARCHES)
def test_a_search_finds_the_same_rows_in_the_same_order_on_both(both, search):
    file, server, _codes = both
    for order_by in ORDER_COLUMNS:
        for descending in (True, False):
            assert _found(server, search, order_by, descending) == _found(
                file, search, order_by, descending), (search, order_by, descending)


def test_resume_codes_and_ids_or_phone_digits_are_found_alike(both):
    """The searches whose options are joined by OR (an id or phone digits, a code or the
    words it spells) find what each option finds, on both."""
    file, server, codes = both
    for code in codes:
        for typed in (code, code.lower(), code.replace("-", " ")):
            assert _found(server, typed, "updated_at", True) == _found(
                file, typed, "updated_at", True)
    # "0017": submission 17, and the person whose phone ends in 000 017
    ids = set(file.submission_ids(search="0017"))
    assert 17 in ids and len(ids) > 1
    assert set(server.submission_ids(search="0017")) == ids
    # "0142": in the phone numbers of three people (three submissions each), no id 142
    assert len(server.submission_ids(search="0142")) == 9


def test_a_common_search_reads_its_pages_the_dense_way_on_both(both):
    file, server, _codes = both
    total = server.count_submissions(search="m")
    assert total > 10 and server._dense("m", total, 4) and file._dense("m", total, 4)


def test_every_text_column_of_a_server_compares_code_points(both):
    """Prefix ranges (`term >= 'garc' AND term < 'garc' || U+10FFFF`) mean "starts with"
    and orders follow SQLite's only under code-point order: every text column is
    COLLATE "C", whatever collation the server's database was made with."""
    _file, server, _codes = both
    rows = server._rows(
        "SELECT c.relname AS tab, a.attname AS col, coalesce(l.collname, '') AS coll"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " LEFT JOIN pg_collation l ON l.oid = a.attcollation"
        " WHERE n.nspname = 'screening' AND c.relkind IN ('r', 'i') AND a.attnum > 0"
        " AND a.atttypid = 'text'::regtype")
    assert rows and {(r["tab"], r["col"]) for r in rows if r["coll"] != "C"} == set()
    assert ("candidate_search_terms_by_candidate", "term") in {(r["tab"], r["col"]) for r in rows}
