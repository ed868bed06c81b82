"""Session behaviour: branching, not-applicable answers, validation, navigation, progress."""

from __future__ import annotations

from screening_app.engine.answers import flatten_answers
from screening_app.engine.session import Session
from tests.core.helpers import TODAY, complete_answers, session_for, shipped


def empty(lang="en") -> Session:
    return Session(shipped(), {}, lang=lang, today=TODAY)


def test_branch_hides_and_brings_back_an_answer_without_losing_it():
    s = session_for(complete_answers())
    assert "ms_type" in [i.id for i in s.visible_items("diagnosis")]
    s.set_answer("ms_diagnosed", "no")
    assert "ms_type" not in [i.id for i in s.visible_items("diagnosis")]
    assert s.answers["ms_type"] == "rrms"              # kept
    assert "ms_type" in s.not_applicable()             # but not applicable
    assert s.computed()["disease_years"] is None       # hidden diagnosis_year reads unknown
    s.set_answer("ms_diagnosed", "yes")
    assert "ms_type" in [i.id for i in s.visible_items("diagnosis")]
    assert "ms_type" not in s.not_applicable()


def test_pregnancy_step_depends_on_sex_and_computed_age():
    s = session_for(complete_answers())
    assert "pregnancy" in [st.id for st in s.visible_steps()]
    s.set_answer("sex_at_birth", "male")
    assert "pregnancy" not in [st.id for st in s.visible_steps()]
    assert s.next_step("infections") == "consent"
    assert s.previous_step("consent") == "infections"


def test_group_field_branching_per_row():
    s = session_for(complete_answers())
    assert [f.id for f in s.visible_fields("treatments", 1)] == [
        "drug", "start_date", "still_taking", "last_dose_date", "stop_reason"]  # glatiramer: no infusion
    assert "infusion_reaction" in [f.id for f in s.visible_fields("treatments", 0)]  # ocrelizumab


def test_rows_keep_their_numbers_when_one_is_removed():
    s = empty()
    s.set_answer("ever_treated", "yes")
    first, second = s.add_row("treatments"), s.add_row("treatments")
    s.set_answer(f"treatments[{second}].drug", "fingolimod")
    cleared = s.remove_row("treatments", first)
    assert cleared == [f"treatments[{first}]"]
    assert s.rows("treatments") == [second]
    assert s.answers[f"treatments[{second}].drug"] == "fingolimod"
    assert s.add_row("treatments") == second + 1     # numbers are never reused


def test_required_messages_are_plain_and_translated():
    problems = {p.path: p for p in empty().problems("about_you")}
    assert problems["first_name"].message == "Please answer this question."
    assert problems["first_name"].severity == "error"
    spanish = {p.path: p for p in empty("es").problems("about_you")}
    assert spanish["first_name"].message.startswith("Por favor")


def test_bad_input_gets_a_message_and_is_kept():
    s = empty()
    for path, value, code in [
        ("phone", "call me", "bad_phone"),
        ("phone", "12345", "bad_phone"),
        ("email", "ana@", "bad_email"),
        ("date_of_birth", "2026-02-30", "not_date"),
        ("date_of_birth", "2030-01-01", "future_date"),
        ("first_name", "x" * 101, "too_long"),
        ("sex_at_birth", "other", "bad_choice"),
    ]:
        s.set_answer(path, value)
        codes = [p.code for p in s.problems() if p.path == path]
        assert codes == [code], (path, value, codes)
        assert s.answers[path] == value  # nothing silently dropped


def test_numeric_bounds_steps_and_cross_checks():
    s = session_for(complete_answers())
    s.set_answer("edss_score", 4.25)
    assert [p.code for p in s.problems("mobility") if p.path == "edss_score"] == ["not_step"]
    s.set_answer("edss_score", 10.5)
    assert [p.code for p in s.problems("mobility") if p.path == "edss_score"] == ["above_max"]
    s.set_answer("relapses_12_months", 3)
    s.set_answer("relapses_24_months", 2)
    errors = [p for p in s.problems("relapses") if p.path == "relapses_24_months"]
    assert len(errors) == 1 and errors[0].severity == "error"
    assert not s.can_leave("relapses")


def test_exclusive_none_refuses_other_choices():
    s = session_for(complete_answers())
    s.set_answer("conditions", ["none", "heart"])
    assert [p.code for p in s.problems("health") if p.path == "conditions"] == ["exclusive"]


def test_soft_warning_must_be_confirmed_to_leave_and_confirmation_resets_on_change():
    s = session_for(complete_answers())
    s.set_answer("symptom_onset_year", 2017)  # after diagnosis in 2015
    warnings = [p for p in s.problems("diagnosis") if p.severity == "warning"]
    assert [w.path for w in warnings] == ["symptom_onset_year"]
    assert not s.can_leave("diagnosis")
    s.confirm_warning("symptom_onset_year")
    assert s.can_leave("diagnosis")
    assert [p.confirmed for p in s.problems("diagnosis")] == [True]
    s.set_answer("symptom_onset_year", 2018)
    assert not s.can_leave("diagnosis")


def test_progress_counts_required_visible_items():
    s = empty()
    done, total = s.progress()
    assert done == 0 and total > 10
    s.set_answer("first_name", "Ana")
    assert s.progress() == (1, total)
    assert session_for(complete_answers()).progress()[0] == session_for(complete_answers()).progress()[1]


def test_complete_answers_have_no_problems():
    assert session_for(complete_answers()).problems() == []


def test_unknown_answer_keys_are_reported_not_dropped():
    answers = complete_answers() | {"favourite_colour": "blue"}
    problems = session_for(answers).problems()
    assert [(p.path, p.code) for p in problems] == [("favourite_colour", "unknown_item")]


def test_signer_name_prefill_joins_the_names():
    s = session_for(complete_answers())
    assert s.prefill(shipped().item("signer_name")) == "Ana Ejemplo"


def test_navigation_walks_visible_steps_in_order():
    s = session_for(complete_answers())
    step, seen = s.next_step(None), []
    while step:
        seen.append(step)
        step = s.next_step(step)
    assert seen == [st.id for st in shipped().steps]


def test_review_marks_not_applicable_items():
    s = session_for(complete_answers())
    s.set_answer("edss_known", "no")
    mobility = next(r for r in s.review() if r.step.id == "mobility")
    entries = {e.path: e for e in mobility.entries}
    assert entries["edss_score"].value == 4.0 and not entries["edss_score"].applicable
    assert entries["mobility_level"].applicable


def test_a_group_given_as_something_other_than_rows_is_an_error():
    from tests.core.helpers import complete_answers, session_for

    answers = complete_answers()
    answers["treatments"] = "abc"
    problems = [p for p in session_for(answers).problems() if p.path == "treatments"]
    assert {p.code for p in problems} == {"not_rows", "required"}


def test_a_groups_rows_are_found_once_per_state_of_the_answers(monkeypatch):
    """Seen: a summary of 1,000 treatment rows looked for the group's rows once for every
    path it showed, each time reading every answer (quadratic: 250 rows 1.3 s, 1,000 rows
    11.6 s). Found once per state of the answers now, however many paths ask."""
    import screening_app.engine.session as session_module

    answers = flatten_answers(shipped(), complete_answers())
    drug = answers["treatments[0].drug"]
    for n in range(2, 400):
        answers[f"treatments[{n}]"] = True
        answers[f"treatments[{n}].drug"] = drug
    looked = []
    original = session_module.row_numbers
    monkeypatch.setattr(session_module, "row_numbers",
                        lambda found, group: looked.append(group) or original(found, group))
    session = Session(shipped(), answers, today=TODAY)
    session.review()
    assert len(session.rows("treatments")) == 400
    assert looked.count("treatments") <= 2, len(looked)  # the session's and the evaluation's
    session.set_answer("treatments[400]", True)
    assert len(session.rows("treatments")) == 401  # a change is seen
