"""`estimated_minutes`: how long a questionnaire takes, said on the kiosk's welcome page.

The welcome page said "about ten minutes" for any definition, a nine-question PHQ-9 too.
The time now comes from the definition, and a definition that gives none claims none."""

from __future__ import annotations

import pytest
import yaml

from screening_app.cli import main
from screening_app.engine.loader import DefinitionError, load_questionnaire, load_text
from screening_app.resources import RESOURCES
from tests.core.helpers import load_dict, minimal_definition, mutated, problems_of


def with_minutes(value):
    return mutated(lambda d: d.update(estimated_minutes=value))


def test_a_definition_may_say_how_many_minutes_it_takes():
    assert load_dict(with_minutes(7)).estimated_minutes == 7
    assert load_dict(with_minutes(1)).estimated_minutes == 1
    assert load_dict(with_minutes(120)).estimated_minutes == 120


def test_without_it_nothing_is_claimed():
    assert load_dict(minimal_definition()).estimated_minutes is None


def test_the_shipped_onboarding_takes_about_ten_minutes_as_its_spec_says_and_phq9_says_nothing():
    # docs/questionnaire-spec.md: "this onboarding questionnaire (about 10 minutes)"
    assert load_questionnaire(RESOURCES / "questionnaires" / "msc-ms-onboarding.yaml").estimated_minutes == 10
    # Converted from LHC-Forms, which says nothing of time: the clinic adds it after timing it.
    assert load_questionnaire(RESOURCES / "questionnaires" / "phq-9.yaml").estimated_minutes is None


@pytest.mark.parametrize("value", [0, -5, 2.5, 10.0, True, "ten", "10", 121, 600, 10**30, [10], {"a": 1},
                                   float("inf"), float("nan")],
                         ids=repr)
def test_anything_but_a_whole_number_from_1_to_120_is_refused_with_a_coded_problem(value):
    [problem] = problems_of(with_minutes(value))
    assert (problem.code, problem.path) == ("E_SCHEMA", "estimated_minutes")
    assert "whole number of minutes from 1 to 120" in problem.message
    assert len(problem.message) < 120  # a huge value is cut short, not printed whole


@pytest.mark.parametrize("written", ["0x" + "f" * 5000, "1" + "0" * 5000, "2020-13-45"])
def test_a_value_python_cannot_make_is_a_yaml_problem_not_a_traceback(written):
    text = yaml.safe_dump(minimal_definition()) + f"estimated_minutes: {written}\n"
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "huge.yaml")
    [problem] = caught.value.problems
    assert problem.code == "E_YAML"
    assert "set_int_max_str_digits" not in problem.message and len(problem.message) < 120


def test_check_definition_names_the_bad_value(tmp_path, capsys):
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(with_minutes("about ten")), encoding="utf-8")
    assert main(["check-definition", str(path)]) == 2
    out = capsys.readouterr().out
    assert "E_SCHEMA estimated_minutes" in out and "'about ten'" in out and "Traceback" not in out
