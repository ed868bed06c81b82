"""Sections and follow-ups inside a group's rows (issue 14, for repeating groups): a row
field may have `items` as a step's item may, each knowing its `parent` in the row."""

from __future__ import annotations

import pytest

from screening_app.engine.loader import DefinitionError, load_text

ROWS = """
id: rows
version: "1"
languages: [en]
title: {en: Rows}
steps:
  - id: only
    title: {en: Only}
    items:
      - id: meds
        type: group
        label: {en: Medications}
        items:
          - {id: name, type: text, label: {en: Name}}
          - id: dose
            type: info
            label: {en: Dose}
            items:
              - {id: amount, type: decimal, label: {en: Amount}}
          - id: effects
            type: yes_no
            label: {en: Side effects}
            items:
              - {id: which, type: text, label: {en: Which}, shown_when: 'effects = "yes"'}
"""


def test_a_row_field_holds_its_section_items_and_follow_ups():
    q = load_text(ROWS, "rows.yaml")
    group = q.item("meds")
    assert [(f.id, f.parent) for f in group.items] == [
        ("name", None), ("dose", None), ("amount", "dose"), ("effects", None), ("which", "effects")]
    assert [f.id for f in group.fields_under("dose")] == ["amount"]
    assert "amount" not in q.items_by_id  # row fields stay the group's, not the step's


@pytest.mark.parametrize("text", [
    ROWS.replace("label: {en: Side effects}",
                 "label: {en: Side effects}\n            shown_when: answered(which)")
        .replace(", shown_when: 'effects = \"yes\"'", ""),
    ROWS.replace("label: {en: Dose}", "label: {en: Dose}\n            shown_when: answered(amount)"),
])
def test_a_condition_on_what_stands_under_it_is_a_cycle(text):
    """`which` applies only once `effects` is answered: `effects` shown only when `which`
    is answered could never be decided (the session would recurse without end)."""
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "cycle.yaml")
    assert [p.code for p in caught.value.problems] == ["E_CYCLE"]


def test_a_question_of_a_step_shown_only_when_its_follow_up_is_answered_is_a_cycle():
    text = """
id: steps
version: "1"
languages: [en]
title: {en: S}
steps:
  - id: only
    title: {en: Only}
    items:
      - id: smoker
        type: yes_no
        label: {en: Smoker}
        shown_when: answered(packs)
        items:
          - {id: packs, type: integer, label: {en: Packs}}
"""
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "cycle.yaml")
    assert [p.code for p in caught.value.problems] == ["E_CYCLE"]


def test_groups_in_rows_are_still_refused():
    text = ROWS.replace("          - {id: name, type: text, label: {en: Name}}\n",
                        "          - {id: name, type: text, label: {en: Name}}\n"
                        "          - {id: inner, type: group, label: {en: In}, items: "
                        "[{id: x, type: text, label: {en: X}}]}\n")
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "nested.yaml")
    assert "groups cannot be nested" in str(caught.value)
