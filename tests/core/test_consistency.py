"""Answers checked against each other (the definition's `consistency` rules): each raises a
review flag naming the answers that do not fit, only when they apply. Seen: a wheelchair
user's EDSS corrected from 7.5 to 4.5 silently dropped the EDSS flag; a treatment started
before the diagnosis year, symptom onset after diagnosis, and relapses with primary
progressive MS all passed without a word.

Base answers: tests/fixtures/complete_answers.json (born 1980; onset 2013, diagnosed 2015,
RRMS; mobility 3, EDSS 4.0; one relapse in 24 months, 2025-08-15; ocrelizumab since
2019-03, glatiramer since 2015-06) raise none of them."""

from __future__ import annotations

import copy

import pytest

from screening_app.engine.definition import Rule
from screening_app.engine.session import Session
from tests.core.helpers import (
    complete_answers,
    load_dict,
    minimal_definition,
    problems_of,
    session_for,
    text,
)
from tests.shared import TODAY, shipped

CASES = [
    # EDSS against mobility: the wheelchair user whose EDSS was corrected to 4.5
    ("C01_edss_mobility", {"mobility_level": "6", "edss_score": 7.5}, False),
    ("C01_edss_mobility", {"mobility_level": "6", "edss_score": 4.5}, True),
    ("C01_edss_mobility", {"mobility_level": "4", "edss_score": 3.5}, True),
    ("C01_edss_mobility", {"mobility_level": "4", "edss_score": 6.0}, False),
    ("C01_edss_mobility", {"mobility_level": "1", "edss_score": 7.5}, True),
    ("C01_edss_mobility", {"edss_score": 7.5}, True),  # "sometimes a cane": the sample's correction
    ("C01_edss_mobility", {"mobility_level": "4", "edss_score": 7.0}, True),
    ("C01_edss_mobility", {"mobility_level": "5", "edss_score": 7.0}, False),  # a walker: close
    ("C01_edss_mobility", {"mobility_level": "6", "edss_score": 4.5, "edss_known": "no"}, False),
    # onset <= diagnosis <= treatment start; last relapse after onset
    ("C02_onset_after_diagnosis", {"symptom_onset_year": 2016}, True),
    ("C02_onset_after_diagnosis", {"symptom_onset_year": 2015}, False),
    ("C03_treatment_before_diagnosis", {"treatments": [{"drug": "glatiramer",
                                                        "start_date": "2014-11",
                                                        "still_taking": "yes"}]}, True),
    ("C03_treatment_before_diagnosis", {"treatments": [{"drug": "glatiramer",
                                                        "start_date": "2015-01",
                                                        "still_taking": "yes"}]}, False),
    ("C04_relapse_before_onset", {"last_relapse_date": "2012-06-01",
                                  "relapses_24_months": 1}, True),
    ("C04_relapse_before_onset", {"symptom_onset_year": None}, False),
    # relapses with primary progressive MS
    ("C05_relapses_with_ppms", {"ms_type": "ppms"}, True),
    ("C05_relapses_with_ppms", {"ms_type": "ppms", "relapses_24_months": 0,
                                "last_relapse_date": None}, False),
    ("C05_relapses_with_ppms", {"ms_type": "spms", "spms_conversion_year": 2020}, False),
    # age against years since diagnosis
    ("C06_diagnosed_in_childhood", {"diagnosis_year": 1989, "symptom_onset_year": 1988}, True),
    ("C06_diagnosed_in_childhood", {"diagnosis_year": 1990, "symptom_onset_year": 1988}, False),
]


def changed(changes):
    answers = complete_answers()
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


@pytest.mark.parametrize(("rule", "changes", "fires"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_consistency_rule(rule, changes, fires):
    session = session_for(changed(changes))
    assert not session.errors()  # the answers themselves are valid
    assert (rule in {flag.rule for flag in session.flags()}) is fires
    # Never a problem the kiosk shows the candidate: flags are for the desk and the clinician.
    assert not [p for p in session.problems() if p.code == rule]


def test_every_consistency_rule_has_a_case_that_fires_it():
    consistency = {r.id for r in shipped().rules if r.kind == "consistency"}
    assert consistency == {rule for rule, _, fires in CASES if fires}
    assert all(r.severity == "review" for r in shipped().rules if r.kind == "consistency")


def test_base_answers_raise_no_consistency_flag():
    assert not [f for f in session_for(complete_answers()).flags() if f.rule.startswith("C")]


@pytest.mark.parametrize(("changes", "rule", "paths"), [
    ({"mobility_level": "6", "edss_score": 4.5}, "C01_edss_mobility",
     {"mobility_level", "edss_score"}),
    ({"symptom_onset_year": 2016}, "C02_onset_after_diagnosis",
     {"symptom_onset_year", "diagnosis_year"}),
    ({"treatments": [{"drug": "glatiramer", "start_date": "2014-11", "still_taking": "yes"}]},
     "C03_treatment_before_diagnosis", {"diagnosis_year", "treatments[0].start_date"}),
    ({"ms_type": "ppms"}, "C05_relapses_with_ppms", {"ms_type", "relapses_24_months"}),
])
def test_the_flag_names_the_answers_that_do_not_fit(changes, rule, paths):
    flag = next(f for f in session_for(changed(changes)).flags() if f.rule == rule)
    assert flag.severity == "review"
    assert {e.path for e in flag.evidence} == paths


def test_answers_that_no_longer_apply_raise_nothing():
    """Kept but hidden (no MS diagnosis any more): the years do not count."""
    answers = changed({"symptom_onset_year": 2016, "ms_type": "ppms"})
    answers["ms_diagnosed"] = "no"
    session = session_for(answers)
    assert session.answers["symptom_onset_year"] == 2016  # kept ...
    fired = {f.rule for f in session.flags()}
    assert not fired & {"C02_onset_after_diagnosis", "C05_relapses_with_ppms"}  # ... not counted


def definition_with(consistency) -> dict:
    doc = copy.deepcopy(minimal_definition())
    doc["consistency"] = consistency
    return doc


def test_a_consistency_rule_is_a_review_rule_of_its_own_kind():
    doc = definition_with([{"id": "C1_two", "criterion": text("Two answers disagree"),
                            "when": "age < 18 and ms_type = \"spms\""}])
    q = load_dict(doc)
    rule = q.rules[-1]
    assert isinstance(rule, Rule) and (rule.id, rule.kind, rule.severity) == (
        "C1_two", "consistency", "review")


@pytest.mark.parametrize(("rule", "code"), [
    ({"id": "C1_one", "criterion": text("One answer"), "when": "age < 18"}, "E_SCHEMA"),
    ({"id": "C1_sev", "severity": "exclusion", "criterion": text("x"),
      "when": "age < 18 and ms_type = \"spms\""}, "E_UNKNOWN_KEY"),
    ({"id": "R01", "criterion": text("x"), "when": "age < 18 and ms_type = \"spms\""},
     "E_DUPLICATE_ID"),
])
def test_a_consistency_rule_that_cannot_compare_is_refused(rule, code):
    assert code in {p.code for p in problems_of(definition_with([rule]))}


def test_a_consistency_rule_on_partial_dates_fires_only_when_certain():
    """A treatment started "in 2015" may well have started after a diagnosis in June 2015:
    "does not fit" is said only when no day of the month or year fits; a screening rule on
    the same dates is raised when any day would raise it."""
    doc = definition_with([{"id": "C1_started_before", "criterion": text("Started before"),
                            "when": "started < diagnosed"}])
    items = doc["steps"][1]["items"]
    items += [{"id": "diagnosed", "type": "date", "precision": "month", "label": text("Diagnosed")},
              {"id": "started", "type": "date", "precision": "year", "label": text("Started")}]
    doc["rules"].append({"id": "R02", "severity": "review", "criterion": text("Maybe before"),
                         "when": "started < diagnosed"})
    q = load_dict(doc)

    def fired(started, diagnosed):
        answers = {"date_of_birth": "1980-01-01", "started": started, "diagnosed": diagnosed}
        return {f.rule for f in Session(q, answers, lang="en", today=TODAY).flags()}

    assert fired("2015", "2015-06") == {"R02"}                  # may be before: review only
    assert fired("2014", "2015-06") == {"R02", "C1_started_before"}  # certainly before
    assert fired("2016", "2015-06") == set()


@pytest.mark.parametrize(("change", "path", "code", "message"), [
    # treatment start <= last dose: a check on the answer (the definition's `checks`)
    ({"start_date": "2019-03", "last_dose_date": "2019-02-28"}, "treatments[0].last_dose_date",
     "last_dose_before_start", "The last dose cannot be before the date you started."),
    # last dose <= today (and a start <= today): the items' `not_future`
    ({"last_dose_date": "2026-12"}, "treatments[0].last_dose_date",
     "future_date", "This date is in the future. Please check it."),
    ({"start_date": "2026-12", "still_taking": "yes", "last_dose_date": None},
     "treatments[0].start_date", "future_date", "This date is in the future. Please check it."),
])
def test_the_date_chain_ends_in_errors_at_entry_not_flags(change, path, code, message):
    """Issue 16's chain onset <= diagnosis <= treatment start <= last dose <= today: the first
    links are consistency flags (C02, C03), the last two are refused where they are typed,
    with a message next to the field, and so never reach the desk as a flag."""
    answers = complete_answers()
    treatment = answers["treatments"][0]
    for key, value in change.items():
        if value is None:
            treatment.pop(key, None)
        else:
            treatment[key] = value
    session = session_for(answers)
    refused = [p for p in session.errors() if p.code == code]
    assert [(p.path, p.message) for p in refused] == [(path, message)]
    assert not session.can_leave("treatments")  # the kiosk stays on the step
    assert not [f for f in session.flags() if f.rule.startswith("C")]
