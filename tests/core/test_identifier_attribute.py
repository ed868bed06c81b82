"""`identifier: true`: a definition says which of its items identify the person (issue 12),
so that de-identified exports leave them out whatever their type."""

from __future__ import annotations

import pytest

from tests.core.helpers import load_dict, mutated, problems_of
from tests.shared import shipped


def item(d, step=0, index=0):
    return d["steps"][step]["items"][index]


def test_an_item_is_not_an_identifier_unless_its_definition_says_so():
    q = load_dict(mutated(lambda d: None))
    assert not any(i.identifier for i in q.all_items())
    assert not q.item("meds").items[0].identifier


@pytest.mark.parametrize("position", [(0, 0), (0, 1), (1, 0)], ids=["date", "single_choice", "text"])
def test_an_input_item_may_be_marked(position):
    step, index = position
    q = load_dict(mutated(lambda d: item(d, step, index).update(identifier=True)))
    marked = [i.id for i in q.all_items() if i.identifier]
    assert marked == [item(mutated(lambda d: None), step, index)["id"]]


def test_a_group_field_may_be_marked():
    q = load_dict(mutated(lambda d: item(d, 0, 2)["items"][0].update(identifier=True)))
    assert q.item("meds").items[0].identifier
    assert not q.item("meds").identifier


@pytest.mark.parametrize("value", ["yes", 1, "true", None, ["x"]], ids=repr)
def test_anything_but_true_or_false_is_refused_with_its_path(value):
    problems = problems_of(mutated(lambda d: item(d, 0, 1).update(identifier=value)))
    assert [(p.code, p.path) for p in problems] == [("E_SCHEMA", "steps[0].items[1].identifier")]
    assert "true or false" in problems[0].message


def test_false_is_accepted_and_means_not_an_identifier():
    q = load_dict(mutated(lambda d: item(d, 0, 1).update(identifier=False)))
    assert not q.item("ms_type").identifier


def test_a_group_or_an_info_item_cannot_be_marked():
    """An info item has no answer; a group's fields are marked one by one."""
    def change(d):
        item(d, 0, 2).update(identifier=True)
        d["steps"][1]["items"].append({"id": "about", "type": "info", "label": {"en": "A", "es": "A"},
                                       "identifier": True})
    problems = problems_of(mutated(change))
    assert sorted((p.code, p.path) for p in problems) == [
        ("E_PROPERTY", "steps[0].items[2].identifier"), ("E_PROPERTY", "steps[1].items[1].identifier")]


def test_a_misspelt_key_is_refused_with_a_hint():
    problems = problems_of(mutated(lambda d: item(d, 0, 1).update(identifer=True)))
    assert [(p.code, p.hint) for p in problems] == [("E_UNKNOWN_KEY", "did you mean `identifier`?")]


def test_the_shipped_questionnaire_marks_exactly_the_persons_identity():
    """The items the exports knew by id before the attribute (first_name, last_name,
    date_of_birth, phone, email): the ids are a contract, only the mark is new."""
    assert {i.id for i in shipped().all_items() if i.identifier} == {
        "first_name", "last_name", "date_of_birth", "phone", "email"}
    assert not any(f.identifier for i in shipped().all_items() for f in i.items)
