"""Listing, filtering, searching and paging submissions."""

from __future__ import annotations

import pytest
from store_helpers import COMPLETE_SMALL, TODAY

from screening_app.store import Store


@pytest.fixture
def people(store: Store, small_questionnaire) -> dict[str, int]:
    """Four submissions, created in this order (so the last is the newest)."""
    ids = {}
    rows = [
        ("jose", {"first_name": "José", "last_name": "Núñez García", "date_of_birth": "1980-05-17",
                  "phone": "+34 91 555 0101"}, "submit"),
        ("ana", {"first_name": "Ana", "last_name": "Ejemplo", "date_of_birth": "1975-02-03",
                 "smoker": "yes", "phone": "555-0199"}, "submit"),
        ("nuria", {"first_name": "Nuria", "last_name": "Santos"}, "draft"),
        ("empty", {}, "draft"),
    ]
    for key, answers, action in rows:
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        if action == "submit":
            store.save_answers(sid, {**COMPLETE_SMALL, **answers}, actor="kiosk")
            store.submit(sid, actor="kiosk", today=TODAY)
        elif answers:
            store.save_answers(sid, answers, actor="kiosk")
        ids[key] = sid
    return ids


def test_newest_first_with_names_and_flag_counts(store: Store, people):
    rows = store.list_submissions()
    assert [r.id for r in rows] == [people["empty"], people["nuria"], people["ana"],
                                    people["jose"]]
    ana = rows[2]
    assert ana.candidate == "Ana Ejemplo"
    assert ana.status == "submitted"
    assert ana.flags == {"exclusion": 0, "review": 1, "info": 0}
    assert rows[0].candidate == ""
    assert rows[0].updated_at > rows[1].updated_at > rows[2].updated_at


def test_an_edit_moves_a_submission_to_the_top(store: Store, people):
    store.save_answer(people["jose"], "phone", "+34 91 555 0102", actor="desk", reason="new")
    assert store.list_submissions(limit=1)[0].id == people["jose"]


def test_filter_by_status_and_severity(store: Store, people):
    assert {r.id for r in store.list_submissions(status="draft")} == {people["nuria"],
                                                                      people["empty"]}
    assert {r.id for r in store.list_submissions(status=["submitted", "reviewed"])} == {
        people["ana"], people["jose"]}
    assert [r.id for r in store.list_submissions(severity="review")] == [people["ana"]]
    assert store.list_submissions(severity="exclusion") == []
    assert store.count_submissions(status="draft") == 2
    with pytest.raises(ValueError):
        store.list_submissions(status="approved")


@pytest.mark.parametrize(("search", "expected"), [
    ("nun", {"jose"}),            # accent-insensitive prefix of a last-name word
    ("NÚÑEZ", {"jose"}),
    ("garc", {"jose"}),           # second word of a compound surname
    ("jos nun", {"jose"}),        # every word must match
    ("jos santos", set()),
    ("nu", {"jose", "nuria"}),    # first or last name
    ("ez", set()),                # prefixes, not arbitrary substrings
    ("1975-02-03", {"ana"}),      # date of birth
    ("17/05/1980", {"jose"}),     # ... as day/month/year, the order of an ID card
    ("17.5.1980", {"jose"}),
    ("17-05-1980", {"jose"}),     # dashes too
    ("05/17/1980", {"jose"}),     # month/day/year, when only that order is a date
    ("02/03/1975", {"ana"}),      # either order: 2 March or 3 February
    ("31/02/1975", set()),        # no such day
    ("ana 03/02/1975", {"ana"}),
    ("5550101", {"jose"}),        # phone digits, however they were typed
    ("555 0199", {"ana"}),        # a phone number typed with spaces is one number
    ("555", set()),               # too few digits for a phone search
    ("0199", {"ana"}),
    ("9155", {"jose"}),           # digits from the middle of the number
])
def test_search(store: Store, people, search, expected):
    found = {r.id for r in store.list_submissions(search=search)}
    assert found == {people[k] for k in expected}
    assert store.count_submissions(search=search) == len(expected)


def test_search_by_id_and_code(store: Store, people):
    code = store.get_submission(people["ana"]).code
    assert [r.id for r in store.list_submissions(search=code.lower())] == [people["ana"]]
    assert people["nuria"] in {r.id for r in store.list_submissions(search=str(people["nuria"]))}


def test_paging_and_ordering(store: Store, people):
    everything = [r.id for r in store.list_submissions()]
    pages = [r.id for r in store.list_submissions(limit=2)] + [
        r.id for r in store.list_submissions(limit=2, offset=2)]
    assert pages == everything
    assert [r.id for r in store.list_submissions(order_by="id", descending=False)] == sorted(
        everything)
    by_name = [r.candidate for r in store.list_submissions(order_by="candidate",
                                                           descending=False)]
    assert by_name[-2:] == ["José Núñez García", "Nuria Santos"]
    by_birth = [r.id for r in store.list_submissions(order_by="date_of_birth", descending=True)]
    assert by_birth[:2] == [people["jose"], people["ana"]]  # born 1980, then 1975
    with pytest.raises(ValueError):
        store.list_submissions(order_by="value_json; DROP TABLE answers")


def test_renaming_updates_the_search_index(store: Store, people):
    store.save_answer(people["nuria"], "last_name", "Zamora", actor="kiosk")
    assert store.list_submissions(search="santos") == []
    assert [r.id for r in store.list_submissions(search="zam")] == [people["nuria"]]


@pytest.mark.parametrize("search", ["²", "¹²³", "٣", "17/0²/1980", "1980-0²-17", "²²²²", "①"])
def test_any_text_is_a_search_unicode_digits_are_not_numbers(store: Store, people, search):
    """int() on "²" raised ValueError; only ASCII digits are digits."""
    assert store.list_submissions(search=search) == []
    assert store.count_submissions(search=search) == 0
    assert store.submission_ids(search=search) == []


def test_a_pasted_paragraph_is_searched_by_its_first_words(store: Store, people):
    """A thousand words made SQLite refuse the query ("Expression tree is too large")."""
    paragraph = " ".join(["nu"] + [f"word{i}" for i in range(1000)])
    assert store.list_submissions(search=paragraph) == []
    assert store.count_submissions(search=paragraph) == 0
    # Only the first words count: the rest are ignored, never an error.
    assert {r.id for r in store.list_submissions(search="nu " + "nu " * 999)} == {
        people["jose"], people["nuria"]}
    hyphenated = "-".join(["jos"] * 2000)  # one "word" that normalises to two thousand
    assert [r.id for r in store.list_submissions(search=hyphenated)] == [people["jose"]]


def test_submission_ids_are_the_whole_filtered_list_in_its_order(store: Store, people):
    everything = [r.id for r in store.list_submissions(limit=100)]
    assert store.submission_ids() == everything
    assert store.submission_ids(status="draft") == [people["empty"], people["nuria"]]
    assert store.submission_ids(search="nu", order_by="id", descending=False) == sorted(
        [people["jose"], people["nuria"]])
    assert store.submission_ids(limit=2, offset=1) == everything[1:3]


def test_a_common_search_reads_its_page_in_order_with_the_same_rows(store: Store,
                                                                    small_questionnaire):
    """A search most rows match reads its page walking the list's order (EXISTS), one few
    rows match by the set of candidates (IN); both forms give the same rows."""
    for n in range(30):
        sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
        store.save_answers(sid, {"first_name": f"Ana{n}" if n % 3 else "Bea",
                                 "last_name": "Common"}, actor="kiosk")
    for search in ("common", "ana", "bea common", "ana1"):
        total = store.count_submissions(search=search)
        for offset in (0, 3):
            plain = store.list_submissions(search=search, limit=5, offset=offset)
            counted = store.list_submissions(search=search, limit=5, offset=offset, total=total)
            assert [r.id for r in counted] == [r.id for r in plain], search
    assert store._dense("common", 30, 5) and not store._dense("ana1", 11, 5)


def test_data_version_changes_when_another_connection_commits(store: Store, people, db):
    before = store.data_version()
    assert store.data_version() == before  # reading changes nothing
    with Store.open(db) as other:
        other.save_answer(people["nuria"], "last_name", "Zamora", actor="kiosk")
    assert store.data_version() != before


@pytest.mark.sqlite_only
def test_a_page_deep_in_a_sorted_list_uses_an_index(store: Store, people):
    """The "Started" order has an index of its own (migration 0002)."""
    indexes = {row["name"] for row in store._rows(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'submissions'")}
    assert "submissions_by_started" in indexes
    plan = " ".join(str(row["detail"]) for row in store._rows(
        "EXPLAIN QUERY PLAN SELECT s.id FROM submissions s ORDER BY s.started_at, s.id"
        " LIMIT 10 OFFSET 5"))
    assert "submissions_by_started" in plan and "TEMP B-TREE" not in plan
    by_started = [r.id for r in store.list_submissions(order_by="started_at", descending=False)]
    assert by_started == [people[k] for k in ("jose", "ana", "nuria", "empty")]


def test_the_submissions_of_one_candidate(store: Store, people, small_questionnaire):
    ana = store.get_submission(people["ana"]).candidate_id
    again = store.start_submission(small_questionnaire, "en", actor="desk", candidate_id=ana)
    assert [r.id for r in store.list_submissions(candidate_id=ana)] == [again, people["ana"]]
    assert [r.status for r in store.list_submissions(candidate_id=ana)] == ["draft", "submitted"]
    assert store.list_submissions(candidate_id=ana, status="draft")[0].id == again
