"""Branching updates the page at once; the treatments list is added to, edited and trimmed."""

from __future__ import annotations

import pytest

from tests.ui.kiosk_driver import Driver, settle


@pytest.fixture
def person(qtbot, kiosk) -> Driver:
    driver = Driver(qtbot, kiosk)
    driver.start("en")
    return driver


def test_a_branch_is_shown_and_hidden_as_answers_change(person, kiosk, store):
    kiosk.flow.show_step("diagnosis")
    settle()
    assert not person.shown("ms_type")
    person.choose("ms_diagnosed", "yes")
    assert person.shown("ms_type") and person.shown("diagnosis_year")
    person.choose("ms_type", "spms")
    assert person.shown("spms_conversion_year")
    person.choose("ms_diagnosed", "no")
    assert not person.shown("ms_type") and not person.shown("spms_conversion_year")
    # A hidden answer is kept (not applicable, not deleted) and comes back with the branch.
    assert store.answers(kiosk.controller.submission_id)["ms_type"] == "spms"
    person.choose("ms_diagnosed", "yes")
    assert person.widget("ms_type").options["spms"].isChecked()


def test_a_branch_follows_typing_before_the_field_is_left(person):
    assert not person.shown("neurologist_phone")
    person.type("neurologist_name", "Dr. Who", leave=False)
    settle()
    assert person.shown("neurologist_phone")


def step_label(kiosk) -> str:
    return kiosk.flow_page.step_label.text()


def test_the_step_total_counts_what_may_still_come_and_never_grows_by_itself(person, kiosk):
    # Before the sex at birth is known the pregnancy step may come: it is counted.
    assert not person.session.step_shown("pregnancy")
    assert step_label(kiosk) == "Step 1 of 10"
    person.fill_step({"first_name": "Ana", "last_name": "Ejemplo", "date_of_birth": "1980-05-17",
                      "sex_at_birth": "male", "phone": "555 010 2030"})
    person.next()
    assert step_label(kiosk) == "Step 2 of 9"  # ruled out by an answer: one step fewer
    person.back()
    assert step_label(kiosk) == "Step 1 of 9"
    person.choose("sex_at_birth", "female")  # the answer changed back: the step comes again
    assert person.session.step_shown("pregnancy")
    person.next()
    assert step_label(kiosk) == "Step 2 of 10"


def test_the_last_step_is_always_the_total(person, kiosk, complete):
    for sex, total in (("female", 10), ("male", 9)):
        answers = {p: v for p, v in complete.items() if p != "signature"}
        answers["sex_at_birth"] = sex
        for path, value in answers.items():
            person.session.set_answer(path, value)
        kiosk.flow.show_step("consent")
        assert step_label(kiosk) == f"Step {total} of {total}"


def test_treatments_are_added_edited_and_removed(person, kiosk, store):
    sid = kiosk.controller.submission_id
    kiosk.flow.show_step("treatments")
    settle()
    assert not person.shown("treatments")
    person.choose("ever_treated", "yes")
    group = person.form.widgets["treatments"]
    person.click(group.add_button)
    assert group.rows() == [0]
    assert group.card(0).title.text() == "Entry 1"
    person.choose("treatments[0].drug", "natalizumab")
    assert group.card(0).title.text() == "Natalizumab (Tysabri)"
    assert person.shown("treatments[0].infusion_reaction")  # an infusion
    assert not person.shown("treatments[0].last_dose_date")
    person.choose("treatments[0].still_taking", "no")
    assert person.shown("treatments[0].last_dose_date")
    person.date("treatments[0].last_dose_date", "2026-10-01")
    person.click(group.card(0).done_button)
    settle()
    assert not group.card(0).body.isVisible()

    person.click(group.add_button)
    person.choose("treatments[1].drug", "other")
    assert person.shown("treatments[1].drug_other")
    person.type("treatments[1].drug_other", "Something new")
    person.click(group.card(1).done_button)

    # Edit the first row again.
    person.click(group.card(0).edit_button)
    settle()
    assert group.card(0).body.isVisible()
    person.choose("treatments[0].drug", "ocrelizumab")
    assert group.card(0).title.text() == "Ocrelizumab (Ocrevus)"
    assert store.answers(sid)["treatments[0].drug"] == "ocrelizumab"

    # Remove asks first, then deletes the row and its answers.
    person.click(group.card(0).remove_button)
    settle()
    assert group.card(0).confirm_bar.isVisible()
    person.click(group.card(0).remove_no)
    assert group.rows() == [0, 1]
    person.click(group.card(0).remove_button)
    person.click(group.card(0).remove_yes)
    settle()
    assert group.rows() == [1]
    stored = store.answers(sid)
    assert not [p for p in stored if p.startswith("treatments[0]")]
    assert stored["treatments[1].drug_other"] == "Something new"
    # The natalizumab questions of the infections step went with the row.
    assert not any(item.id == "pml_history" for item in person.session.visible_items("infections"))
    # A new row gets a new number, never the removed one.
    person.click(group.add_button)
    assert group.rows() == [1, 2]
