"""Issue 15, "Dates as people know them": a date item says how much of a date it needs
(day, month or year); a date given as a month is the range of its days, a rule is raised
when any of those days would raise it, and a check on an answer only when all would.

Base answers: tests/fixtures/complete_answers.json on 2026-11-23 (a 60-day relapse
washout starts on 2026-09-24)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from screening_app.engine.dates import MAYBE, DateSpan, NumberSpan, date_value
from screening_app.engine.display import answer_line, format_answer
from screening_app.engine.expressions import UNKNOWN, evaluate, parse
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from tests.core.helpers import complete_answers, load_dict, minimal_definition, problems_of, session_for
from tests.core.test_expressions import Answers
from tests.shared import TODAY, shipped

SEPTEMBER = DateSpan(date(2026, 9, 1), date(2026, 9, 30))


@pytest.mark.parametrize(("stored", "precision", "expected"), [
    ("2026-09-17", "day", date(2026, 9, 17)),
    ("2026-09-17", "month", date(2026, 9, 17)),   # the day is optional, not refused
    ("2026-09", "month", SEPTEMBER),
    (" 2026-09 ", "month", SEPTEMBER),
    ("2024-02", "year", DateSpan(date(2024, 2, 1), date(2024, 2, 29))),
    ("2026", "year", DateSpan(date(2026, 1, 1), date(2026, 12, 31))),
    ("2026-09", "day", None),                     # the day is needed
    ("2026", "month", None),                      # the month is needed
    ("2026-13", "month", None),
    ("2026-02-30", "day", None),
    ("2026-9", "month", None),
    ("2026--17", "month", None),                  # a day without its month
    ("2026-09-", "month", None),
    (202609, "month", None),
    (None, "year", None),
])
def test_a_stored_date_is_read_as_far_as_its_item_allows(stored, precision, expected):
    assert date_value(stored, precision) == expected


def test_a_span_says_what_was_given():
    assert SEPTEMBER.given == "month" and str(SEPTEMBER) == "2026-09"
    assert date_value("2026", "year").given == "year" and str(date_value("2026", "year")) == "2026"


@pytest.mark.parametrize(("precision", "accepted"), [("day", True), ("month", True), ("year", True),
                                                     ("week", False), (3, False)])
def test_the_definition_says_which_precision_a_date_accepts(precision, accepted):
    raw = minimal_definition()
    raw["steps"][0]["items"][0]["precision"] = precision
    if accepted:
        assert load_dict(raw).item("date_of_birth").precision == precision
    else:
        assert any(p.path.endswith("precision") and "`year`" in p.message for p in problems_of(raw))


def test_the_shipped_questionnaire_asks_the_month_of_its_dates():
    q = shipped()
    months = {"edss_date", "last_relapse_date", "mri_last_date"}
    assert {i.id for i in q.all_items() if i.type == "date" and i.precision == "month"} == months
    treatments = q.item("treatments")
    assert treatments.field("start_date").precision == treatments.field("last_dose_date").precision == "month"
    assert q.item("date_of_birth").precision == "day"


# -- rules: any day of the month ------------------------------------------------------------

def relapse(stored, today=TODAY):
    return session_for({**complete_answers(), "last_relapse_date": stored}, today=today)


def raised(session, rule):
    return next((f for f in session.flags() if f.rule == rule), None)


@pytest.mark.parametrize(("stored", "today", "flagged"), [
    ("2026-09", TODAY, True),                  # 24-30 September are within 60 days
    ("2026-10", TODAY, True),                  # all of October is
    ("2026-08", TODAY, False),                 # none of August is
    ("2026-09", date(2026, 11, 29), True),     # the washout starts on 30 September
    ("2026-09", date(2026, 11, 30), False),    # ... on 1 October
    ("2026-09-23", TODAY, False),              # a whole date, as before: 61 days
    ("2026-09-24", TODAY, True),               # 60 days
])
def test_a_relapse_given_as_a_month_is_flagged_when_some_day_of_it_is_within_the_washout(
        stored, today, flagged):
    assert (raised(relapse(stored, today), "R07_recent_relapse") is not None) is flagged


def test_the_flags_evidence_shows_the_month_as_it_was_given():
    session = relapse("2026-09")
    flag = raised(session, "R07_recent_relapse")
    assert [(e.path, e.value) for e in flag.evidence] == [("last_relapse_date", "2026-09")]
    q, answers = session.questionnaire, session.answers
    assert answer_line(q, "last_relapse_date", "2026-09", answers, Translator("en")) == \
        "When did your most recent relapse start? Sep 2026"
    assert answer_line(q, "last_relapse_date", "2026-09", answers, Translator("es")) == \
        "¿Cuándo comenzó su brote más reciente? sept 2026"


@pytest.mark.parametrize(("last_dose", "flagged"), [
    ("2026-08", True),    # three months back reach 23 August
    ("2026-07", False),
])
def test_a_last_dose_given_as_a_month_is_read_the_same_way(last_dose, flagged):
    answers = complete_answers()
    answers["treatments"] = [{"drug": "fingolimod", "start_date": "2019-03", "still_taking": "no",
                              "last_dose_date": last_dose, "stop_reason": "side_effects"}]
    session = session_for(answers)
    flag = raised(session, "R09_immunosuppressant")
    assert (flag is not None) is flagged
    if flagged:
        assert "treatments[0].last_dose_date" in [e.path for e in flag.evidence]


# -- checks on an answer: only when every day would show them --------------------------------

@pytest.mark.parametrize(("start", "last_dose", "error"), [
    ("2019-03", "2019-03", False),      # the same month: the dose may be later in it
    ("2019-03-15", "2019-03", False),
    ("2019-03", "2019-03-10", False),
    ("2019-03", "2019-02", True),       # every day of February is before March
    ("2019-03", "2019-02-28", True),
    ("2019-03-15", "2019-03-14", True),
])
def test_a_check_on_an_answer_fires_only_when_every_day_of_a_partial_date_would(start, last_dose, error):
    answers = complete_answers()
    answers["treatments"][0].update(start_date=start, last_dose_date=last_dose)
    codes = {p.code for p in session_for(answers).problems("treatments")}
    assert ("last_dose_before_start" in codes) is error


@pytest.mark.parametrize(("stored", "codes"), [
    ("2026-11", set()),                   # this month is not the future
    ("2026-12", {"future_date"}),
    ("2026-11-24", {"future_date"}),
    ("2026", {"not_date"}),               # the month is needed
    ("2026--03", {"not_date"}),
])
def test_a_month_is_checked_as_a_month(stored, codes):
    session = relapse(stored)
    assert {p.code for p in session.problems() if p.path == "last_relapse_date"} == codes


def test_what_a_date_needs_is_said_by_its_precision():
    t = Translator("en")
    raw = minimal_definition()
    raw["steps"][0]["items"][0]["precision"] = "year"
    q = load_dict(raw)
    messages = {value: [p.message for p in Session(q, {"date_of_birth": value}, today=TODAY).problems()
                        if p.path == "date_of_birth"]
                for value in ("1980", "1980-05", "1980-05-17", "1980--17")}
    assert messages["1980"] == messages["1980-05"] == messages["1980-05-17"] == []
    assert messages["1980--17"] == [t("validation.not_date_year")]
    assert relapse("2026").problems()[0].message == t("validation.not_month")


# -- how a partial date reads --------------------------------------------------------------

@pytest.mark.parametrize(("lang", "stored", "shown"), [
    ("en", "2026-09", "Sep 2026"), ("en", "2026-09-17", "17 Sep 2026"), ("en", "2026", "2026"),
    ("es", "2026-09", "sept 2026"), ("es", "2026", "2026"),
])
def test_a_partial_date_is_shown_as_it_was_given(lang, stored, shown):
    item = replace(shipped().item("treatments").field("start_date"), precision="year")
    assert format_answer(item, stored, Translator(lang)) == shown


# -- the expression language with ranges ---------------------------------------------------

def value(expression, **answers):
    return evaluate(parse(expression), Answers(**answers))[0]


@pytest.mark.parametrize(("expression", "expected"), [
    ("d < x", MAYBE),                              # x: 15 September
    ("d <= e", True), ("d >= e", False), ("d > e", False),  # e: October
    ("d = x", MAYBE), ("d != x", MAYBE), ("d = e", False), ("d != e", True),
    ("days_since(d) < 60", MAYBE),                 # 54 to 83 days on 23 November
    ("days_since(d) < 90", True),
    ("days_since(d) < 50", False),
    ("year(d) = 2026", True),                      # exact: one year
    ("age(born) >= 18", MAYBE),                    # born in 2008: 17 or 18
    ("age(born) + 1 >= 18", True),
    ("-age(born) < -16", True),
    ("age(born) in [17]", MAYBE), ("age(born) in [20]", False), ("age(born) not in [20]", True),
    ("within_days(d, 60)", MAYBE), ("within_months(d, 1)", False),
    ("within_days(d, 100)", True), ("within_months(d, 2)", MAYBE),
    ("not within_days(d, 60)", MAYBE),
    ("within_days(d, 60) and flag", MAYBE), ("within_days(d, 60) and not flag", False),
    ("within_days(d, 60) or flag", True), ("within_days(d, 60) or not flag", MAYBE),
    ("within_days(d, 60) or missing", MAYBE), ("within_days(d, 60) and missing", None),
    ("any(rows, within_days(when, 60))", MAYBE), ("all(rows, within_days(when, 100))", True),
    ("all(rows, within_days(when, 60))", False),  # 20 September is 64 days ago
    ("all(rows, within_days(when, 64))", MAYBE), ("any(rows, within_days(when, 30))", False),
])
def test_ranges_in_the_expression_language(expression, expected):
    october = DateSpan(date(2026, 10, 1), date(2026, 10, 31))
    got = value(expression, d=SEPTEMBER, e=october, x=date(2026, 9, 15), flag=True,
                born=DateSpan(date(2008, 1, 1), date(2008, 12, 31)),
                rows=[{"when": SEPTEMBER}, {"when": date(2026, 9, 20)}])
    assert got is (UNKNOWN if expected is None else expected)


def test_a_number_computed_from_a_partial_date_is_a_range():
    assert value("age(born)", born=DateSpan(date(2008, 1, 1), date(2008, 12, 31))) == NumberSpan(17, 18)
    assert value("days_since(d)", d=SEPTEMBER) == NumberSpan(54, 83)
    assert value("days_since(d) * 2 - 8", d=SEPTEMBER) == NumberSpan(100, 158)
    ratio = value("100 / days_since(d)", d=SEPTEMBER)
    assert (ratio.low, ratio.high) == (pytest.approx(100 / 83), pytest.approx(100 / 54))


def test_a_computed_range_is_shown_and_stored_as_text():
    raw = minimal_definition()
    raw["steps"][0]["items"][0]["precision"] = "year"
    q = load_dict(raw)
    session = Session(q, {"date_of_birth": "2008"}, today=TODAY)
    assert session.computed()["age"] == "17–18"
    [flag] = session.flags()  # R01: age < 18 for some day of 2008
    assert [(e.path, e.value) for e in flag.evidence] == [("age", "17–18"), ("date_of_birth", "2008")]


def test_a_question_is_shown_when_it_may_apply():
    raw = minimal_definition()
    raw["steps"][0]["items"][0]["precision"] = "month"
    raw["steps"][1]["items"][0]["shown_when"] = "days_since(date_of_birth) < 60"
    q = load_dict(raw)
    def shown(born):
        return Session(q, {"date_of_birth": born}, today=TODAY).is_applicable("note")
    assert shown("2026-09")         # some of September is within 60 days
    assert not shown("2026-08")
    assert shown("2026-10-01")
