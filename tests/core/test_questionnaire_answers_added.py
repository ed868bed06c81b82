"""Issue 15, "The questionnaire itself": "I cannot walk", and a text field for every "Other"
answer, whose text names the treatment's card; the rules still read the same."""

from __future__ import annotations

import pytest

from screening_app.engine.answers import flatten_answers
from screening_app.engine.display import question_label, row_name
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from tests.core.helpers import complete_answers, session_for
from tests.shared import TODAY, shipped


@pytest.mark.parametrize(("lang", "words"), [("en", "I cannot walk"), ("es", "No puedo caminar")])
def test_walking_distance_offers_i_cannot_walk_in_both_languages(lang, words):
    item = shipped().item("walking_distance")
    assert item.choice("cannot_walk").label.get(lang) == words
    # The codes of the contract are still there, in their order, before the new one.
    assert [c.code for c in item.choices] == ["over_500m", "100_500m", "20_100m", "under_20m", "cannot_walk"]


@pytest.mark.parametrize(("item_id", "other_id"), [
    ("referral_source", "referral_other"), ("treatments.stop_reason", "treatments.stop_reason_other"),
    ("treatments.drug", "treatments.drug_other"),
])
def test_every_other_answer_has_its_own_text_field_shown_only_for_other(item_id, other_id):
    q = shipped()
    group, _, field = item_id.partition(".")
    item = q.item(group) if not field else q.item(group).field(field)
    other = q.item(other_id) if "." not in other_id else q.item(group).field(other_id.split(".")[1])
    assert item.choice("other").attrs["named_by"] == other.id
    assert other.type == "text" and other.shown_when.text == f'{item.id} = "other"'
    assert all(other.label.get(lang).strip() for lang in q.languages)


def test_the_typed_name_of_an_other_medicine_names_its_card_and_its_questions():
    q = shipped()
    answers = flatten_answers(q, {"treatments": [{"drug": "other", "drug_other": "Ampyra",
                                                  "still_taking": "no", "last_dose_date": "2026-01-05"}]})
    t = Translator("en")
    assert row_name(q.item("treatments"), 0, answers, t) == "Ampyra"
    assert question_label(q, "treatments[0].last_dose_date", answers, t) .startswith("Ampyra")
    # Before the name is typed, the choice's own words stand in.
    del answers["treatments[0].drug_other"]
    assert row_name(q.item("treatments"), 0, answers, t) == "Other (please name it)"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_person_who_cannot_walk_raises_the_same_flags_as_before(lang):
    """The new answer is a walking distance like any other: no rule reads it, none breaks."""
    nested = complete_answers()
    before = {f.rule for f in session_for(nested, lang).flags()}
    nested["walking_distance"] = "cannot_walk"
    nested["referral_source"] = "other"
    nested["referral_other"] = "A poster in the clinic"
    session = session_for(nested, lang)
    assert session.errors() == []
    assert {f.rule for f in session.flags()} == before


def test_other_text_is_not_applicable_unless_other_is_chosen():
    q = shipped()
    nested = complete_answers()
    nested["referral_source"] = "neurologist"
    nested["referral_other"] = "left over from an earlier answer"
    session = Session(q, flatten_answers(q, nested), today=TODAY)
    assert not session.is_applicable("referral_other")
