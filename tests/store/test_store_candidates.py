"""Possible duplicate candidates, ignoring case and accents."""

from __future__ import annotations

import pytest

from screening_app.store import PossibleDuplicate, Store
from screening_app.store.normalise import normalise_name


@pytest.mark.parametrize(("text", "expected"), [
    ("José Núñez", "jose nunez"),
    ("  JOSÉ   núñez-García ", "jose nunez garcia"),
    ("O'Brien", "o brien"),
    ("Øyvind Łukasz Straße", "oyvind lukasz strasse"),
    ("", ""),
    (None, ""),
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


def test_duplicates_ignore_case_and_accents(store: Store):
    first = store.create_candidate(actor="desk", first_name="José", last_name="Núñez",
                                   date_of_birth="1980-05-17")
    matches = store.find_possible_duplicates("jose", "NUNEZ", "1980-05-17")
    assert [m.id for m in matches] == [first]
    assert matches[0].first_name == "José"  # the record keeps what was typed
    assert store.find_possible_duplicates("jose", "nunez", "1980-05-18") == []
    assert store.find_possible_duplicates("josefa", "nunez", "1980-05-17") == []
    assert store.find_possible_duplicates("jose", "nunez", None) == []


def test_swapped_first_and_last_name_is_reported(store: Store):
    first = store.create_candidate(actor="desk", first_name="José", last_name="Núñez",
                                   date_of_birth="1980-05-17")
    assert [m.id for m in store.find_possible_duplicates("Nuñez", "Jose", "1980-05-17")] == [first]


def test_create_candidate_reports_duplicates_before_creating(store: Store):
    store.create_candidate(actor="desk", first_name="José", last_name="Núñez",
                           date_of_birth="1980-05-17")
    with pytest.raises(PossibleDuplicate) as caught:
        store.create_candidate(actor="desk", first_name="jose", last_name="nunez",
                               date_of_birth="1980-05-17")
    assert len(caught.value.matches) == 1
    assert "José" not in caught.value.message and "Núñez" not in caught.value.message
    assert store._rows("SELECT count(*) AS n FROM candidates") == [{"n": 1}]
    second = store.create_candidate(actor="desk", first_name="jose", last_name="nunez",
                                    date_of_birth="1980-05-17", allow_duplicate=True)
    assert store.get_candidate(second).first_name == "jose"


def test_candidate_filled_by_answers_is_found_and_can_exclude_itself(store: Store,
                                                                      small_questionnaire):
    sid = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answers(sid, {"first_name": "Ana", "last_name": "Pérez",
                             "date_of_birth": "1990-01-02"}, actor="kiosk")
    own = store.get_submission(sid).candidate_id
    assert [m.id for m in store.find_possible_duplicates("ana", "perez", "1990-01-02")] == [own]
    assert store.find_possible_duplicates("ana", "perez", "1990-01-02",
                                          exclude_candidate_id=own) == []
    assert store.possible_duplicates_of(own) == []
    other = store.start_submission(small_questionnaire, "en", actor="kiosk")
    store.save_answers(other, {"first_name": "ANA", "last_name": "Perez",
                               "date_of_birth": "1990-01-02"}, actor="kiosk")
    assert [m.id for m in store.possible_duplicates_of(own)] == [
        store.get_submission(other).candidate_id]


def test_creation_is_audited(store: Store):
    cid = store.create_candidate(actor="desk", first_name="Ana", last_name="Pérez")
    rows = store._rows("SELECT actor, action, item FROM audit_log")
    assert rows == [{"actor": "desk", "action": "candidate_created", "item": f"candidate:{cid}"}]
