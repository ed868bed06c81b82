"""Each screening rule, fired and not fired, with the boundary values of its parameters.

Base answers: tests/fixtures/complete_answers.json on 2026-11-23 (born 1980-05-17, age 46;
diagnosed 2015; ocrelizumab last dose 2026-09-10; glatiramer stopped 2019).
"""

from __future__ import annotations

import pytest

from screening_app.engine.answers import flatten_answers
from screening_app.engine.session import Session
from tests.core.helpers import complete_answers, session_for
from tests.shared import TODAY

OCR = {"drug": "ocrelizumab", "still_taking": "no", "last_dose_date": "2026-01-01"}


def rows(*rows):
    return {"treatments": list(rows)}


CASES = [
    # R01 age: min 18, max 65 (today 2026-11-23)
    ("R01_age", {"date_of_birth": "2008-11-24"}, True),    # 17, a day short of 18
    ("R01_age", {"date_of_birth": "2008-11-23"}, False),   # 18 today
    ("R01_age", {"date_of_birth": "1961-11-23"}, False),   # 65 today
    ("R01_age", {"date_of_birth": "1960-11-23"}, True),    # 66
    ("R01_age", {"date_of_birth": None}, False),           # unknown does not fire
    ("R02_no_diagnosis", {"ms_diagnosed": "no"}, True),
    ("R02_no_diagnosis", {"ms_diagnosed": "not_sure"}, True),
    ("R02_no_diagnosis", {"ms_diagnosed": "yes"}, False),
    ("R03_cis", {"ms_type": "cis"}, True),
    ("R03_cis", {"ms_type": "not_sure"}, True),
    ("R03_cis", {"ms_type": "spms"}, False),
    ("R03_cis", {"ms_type": "cis", "ms_diagnosed": "no"}, False),  # hidden: not applicable
    ("R04_edss", {"edss_score": 2.5}, True),
    ("R04_edss", {"edss_score": 3.0}, False),
    ("R04_edss", {"edss_score": 6.5}, False),
    ("R04_edss", {"edss_score": 7.0}, True),
    ("R04_edss", {"edss_score": 2.0, "edss_known": "no"}, False),  # kept but not applicable
    ("R05_mobility", {"mobility_level": "5"}, False),
    ("R05_mobility", {"mobility_level": "6"}, True),
    ("R05_mobility", {"mobility_level": "7"}, True),
    ("R06_duration", {"diagnosis_year": 2024}, False),     # 2 years
    ("R06_duration", {"diagnosis_year": 2025}, True),      # 1 year
    ("R06_duration", {"diagnosis_year": 2006}, False),     # 20 years
    ("R06_duration", {"diagnosis_year": 2005}, True),      # 21 years
    ("R07_recent_relapse", {"last_relapse_date": "2026-09-24"}, True),   # 60 days ago: within
    ("R07_recent_relapse", {"last_relapse_date": "2026-09-23"}, False),  # 61 days ago
    ("R07_recent_relapse", {"last_relapse_date": "2026-11-01", "relapses_24_months": 0,
                            "relapses_12_months": 0}, False),  # not applicable
    ("R08_steroids", {"steroids_30_days": "yes"}, True),
    ("R08_steroids", {"steroids_30_days": "no"}, False),
    ("R09_immunosuppressant", rows({"drug": "fingolimod", "still_taking": "yes"}), True),
    ("R09_immunosuppressant", rows({**OCR, "last_dose_date": "2026-08-23"}), True),   # exactly 3 months
    ("R09_immunosuppressant", rows({**OCR, "last_dose_date": "2026-08-22"}), False),  # 3 months + 1 day
    ("R09_immunosuppressant", rows({"drug": "glatiramer", "still_taking": "yes"}), False),
    ("R09_immunosuppressant", {"ever_treated": "no"}, False),  # rows kept, group not applicable
    ("R10_injectable", rows({"drug": "interferon_beta", "still_taking": "yes"}), True),
    ("R10_injectable", rows({"drug": "glatiramer", "still_taking": "no",
                             "last_dose_date": "2026-10-24"}), True),   # 30 days ago
    ("R10_injectable", rows({"drug": "glatiramer", "still_taking": "no",
                             "last_dose_date": "2026-10-23"}), False),  # 31 days ago
    ("R11_prior_cell_therapy", {"prior_cell_therapy": ["msc"]}, True),
    ("R11_prior_cell_therapy", {"prior_cell_therapy": ["hsct", "other_cell"]}, True),
    ("R11_prior_cell_therapy", {"prior_cell_therapy": ["none"]}, False),
    ("R12_investigational", {"investigational_24_months": "yes"}, True),
    ("R12_investigational", {"investigational_24_months": "no"}, False),
    ("R13_hiv_hepatitis", {"infections_known": ["hepatitis_c"]}, True),
    ("R13_hiv_hepatitis", {"infections_known": ["tuberculosis"]}, False),
    ("R14_tuberculosis", {"infections_known": ["tuberculosis"]}, True),
    ("R14_tuberculosis", {"infections_known": ["none"]}, False),
    ("R15_current_infection", {"current_infection": "yes"}, True),
    ("R15_current_infection", {"current_infection": "no"}, False),
    ("R16_cancer", {"cancer_history": "yes", "cancer_type": "breast", "cancer_year": 2022,
                    "cancer_basal_cell_only": "no"}, True),    # 4 years
    ("R16_cancer", {"cancer_history": "yes", "cancer_type": "breast", "cancer_year": 2021,
                    "cancer_basal_cell_only": "no"}, False),   # 5 years
    ("R16_cancer", {"cancer_history": "yes", "cancer_type": "skin", "cancer_year": 2025,
                    "cancer_basal_cell_only": "yes"}, False),
    ("R17_pregnancy", {"pregnant": "yes"}, True),
    ("R17_pregnancy", {"breastfeeding": "yes"}, True),
    ("R17_pregnancy", {"pregnant": "yes", "sex_at_birth": "male"}, False),  # step not shown
    ("R17_pregnancy", {"pregnant": "yes", "date_of_birth": "1966-01-01"}, False),  # age 60
    ("R17_pregnancy", {"pregnant": "yes", "date_of_birth": "1966-11-24"}, True),   # age 59
    ("R18_planning_pregnancy", {"planning_pregnancy": "within_1_year"}, True),
    ("R18_planning_pregnancy", {"planning_pregnancy": "within_3_years"}, True),
    ("R18_planning_pregnancy", {"planning_pregnancy": "later"}, False),
    ("R19_no_contraception", {"contraception": "no"}, True),
    ("R19_no_contraception", {"contraception": "no", "pregnant": "yes"}, False),  # hidden
    ("R20_bleeding", {"blood_thinners": "yes"}, True),
    ("R20_bleeding", {"conditions": ["clotting_disorder"]}, True),
    ("R20_bleeding", {"conditions": ["diabetes"]}, False),
    ("R21_organ", {"conditions": ["kidney", "diabetes"]}, True),
    ("R21_organ", {"conditions": ["psychiatric"]}, False),
    ("R22_mri_barrier", {"mri_barriers": ["claustrophobia"]}, True),
    ("R22_mri_barrier", {"mri_barriers": ["none"]}, False),
    ("R23_pml", {"pml_history": "yes", **rows({"drug": "natalizumab", "still_taking": "yes"})}, True),
    ("R23_pml", {"pml_history": "yes"}, False),  # not asked without natalizumab
    ("R24_immune", {"serious_infections": "yes"}, True),
    ("R24_immune", {"conditions": ["immune_deficiency"]}, True),
    ("R24_immune", {"conditions": ["none"]}, False),
    ("R25_activity", {"relapses_12_months": 1, "relapses_24_months": 1}, True),
    ("R25_activity", {"mri_new_activity": "yes"}, True),
    ("R25_activity", {"worsened_12_months": "yes"}, True),
    ("R25_activity", {}, False),
    ("R26_unsure_answers", {"optic_neuritis": "not_sure", "worsened_12_months": "not_sure"}, False),
    ("R26_unsure_answers", {"optic_neuritis": "not_sure", "worsened_12_months": "not_sure",
                            "mri_contrast": "not_sure"}, True),
]


def answers_with(changes):
    answers = complete_answers()
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


@pytest.mark.parametrize(("rule", "changes", "fires"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(rule, changes, fires):
    fired = {flag.rule for flag in session_for(answers_with(changes)).flags()}
    assert (rule in fired) is fires


@pytest.mark.parametrize(("years", "flagged"), [
    (1, {"within_1_year"}),
    (2, {"within_1_year", "within_3_years"}),
    (3, {"within_1_year", "within_3_years"}),      # the protocol's default
    (4, {"within_1_year", "within_3_years", "later"}),
])
def test_the_pregnancy_planning_window_is_the_parameter(years, flagged):
    """The investigator changes `pregnancy_planning_years` in the definition, not the code:
    an answer band is flagged when any of it can fall inside the window."""
    from screening_app.engine.loader import load_text, shipped_questionnaire_path

    text = shipped_questionnaire_path().read_text(encoding="utf-8")
    assert "pregnancy_planning_years: {value: 3," in text
    q = load_text(text.replace("pregnancy_planning_years: {value: 3,",
                               f"pregnancy_planning_years: {{value: {years},"), "changed.yaml")
    fired = set()
    for band in ("no", "within_1_year", "within_3_years", "later", "not_sure"):
        answers = flatten_answers(q, answers_with({"planning_pregnancy": band}))
        if "R18_planning_pregnancy" in {f.rule for f in Session(q, answers, today=TODAY).flags()}:
            fired.add(band)
    assert fired == flagged


def test_every_shipped_rule_has_a_case_that_fires_it():
    from tests.core.helpers import shipped

    fired_somewhere = {rule for rule, _, fires in CASES if fires}
    assert fired_somewhere == {r.id for r in shipped().rules if r.kind == "screening"}


def test_base_answers_raise_only_the_recent_ocrelizumab():
    flags = session_for(complete_answers()).flags()
    assert [f.rule for f in flags] == ["R09_immunosuppressant"]
    evidence = {e.path: e.value for e in flags[0].evidence}
    assert evidence == {"treatments[0].drug": "ocrelizumab", "treatments[0].last_dose_date": "2026-09-10"}


def test_a_flag_names_only_the_answers_that_made_it_true():
    flags = session_for(answers_with({"worsened_12_months": "yes"})).flags()
    activity = next(f for f in flags if f.rule == "R25_activity")
    assert [e.path for e in activity.evidence] == ["worsened_12_months"]


def test_multiple_choice_evidence_names_only_the_choices_the_rule_asks_about():
    flags = session_for(answers_with({"conditions": ["heart", "bleeding_disorder", "diabetes"],
                                      "infections_known": ["hiv", "tuberculosis"],
                                      "mri_barriers": ["claustrophobia"]})).flags()
    evidence = {f.rule: {e.path: e.value for e in f.evidence} for f in flags}
    assert evidence["R20_bleeding"] == {"conditions": ["bleeding_disorder"]}
    assert evidence["R21_organ"] == {"conditions": ["heart"]}
    assert evidence["R13_hiv_hepatitis"] == {"infections_known": ["hiv"]}
    assert evidence["R14_tuberculosis"] == {"infections_known": ["tuberculosis"]}
    assert evidence["R22_mri_barrier"] == {"mri_barriers": ["claustrophobia"]}


def test_computed_evidence_names_itself_and_its_source():
    flags = session_for(answers_with({"diagnosis_year": 2025})).flags()
    duration = next(f for f in flags if f.rule == "R06_duration")
    assert [(e.path, e.value) for e in duration.evidence] == [("disease_years", 1), ("diagnosis_year", 2025)]


def test_criterion_text_is_in_the_session_language():
    flags = session_for(answers_with({"steroids_30_days": "yes"}), lang="es").flags()
    steroid = next(f for f in flags if f.rule == "R08_steroids")
    assert steroid.criterion != "Corticosteroids within the washout window"
    assert steroid.severity == "review"
