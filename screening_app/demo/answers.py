"""Clinical answer profiles for demo data: varied, valid, and relative to the day of answering.

A profile holds answers whose dates are written relative to the day the candidate answered
(`DaysAgo(40)`, `YearsAgo(6)`), so one profile can be evaluated once and then placed on any
day: every date rule of the questionnaire (`within_days`, `within_months`, whole years
since a year, age) compares an answer with that same day, so moving both together keeps
every flag and every check as they were. Offsets keep a margin from every threshold so
that month lengths never tip a flag (tests/test_demo.py re-evaluates seeded submissions
to prove it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class DaysAgo:
    days: int


@dataclass(frozen=True)
class MonthsAgo:
    """A month-precision date (`YYYY-MM`)."""

    months: int


@dataclass(frozen=True)
class YearsAgo:
    years: int


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def materialise(value: Any, day: date) -> Any:
    """The value as stored for a candidate who answered on `day`."""
    if isinstance(value, DaysAgo):
        return (day - timedelta(days=value.days)).isoformat()
    if isinstance(value, MonthsAgo):
        month = day.year * 12 + day.month - 1 - value.months
        return f"{month // 12:04d}-{month % 12 + 1:02d}"
    if isinstance(value, YearsAgo):
        return day.year - value.years
    return value


def birth_date(age: int, day_offset: int, day: date) -> str:
    """A date of birth giving exactly `age` whole years on `day` (offset 20..340 days)."""
    return (years_before(day, age) - timedelta(days=day_offset)).isoformat()


def _remembered(days: int, fewest: int, most: int = 1000) -> DaysAgo | MonthsAgo:
    """A date `days` ago as a person gives it: about a third only remember the month
    (the EDSS, the last relapse, the MRI and a last dose accept that), placed `fewest` to
    `most` months back so that no flag depends on the day the profile is placed on (a
    month counts as all of its days: one 2 months back reaches 29 to 62 days back).

    Which third is read from `days` itself, not drawn: the generator gives every other
    answer of a seed as before (tests and screenshots name demo people)."""
    if days % 3:
        return DaysAgo(days)
    return MonthsAgo(min(most, max(fewest, round(days / 30.44))))


def _pick(rng: random.Random, weighted: dict[Any, float]) -> Any:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def _yes(rng: random.Random, chance: float) -> str:
    return "yes" if rng.random() < chance else "no"


def _unsure(rng: random.Random, yes: float, unsure: float) -> str:
    roll = rng.random()
    return "yes" if roll < yes else "not_sure" if roll < yes + unsure else "no"


def _some(rng: random.Random, codes: list[str], none_chance: float, most: int = 2) -> list[str]:
    if rng.random() < none_chance:
        return ["none"]
    return sorted(rng.sample(codes, rng.randint(1, most)))


DRUGS = {
    "interferon_beta": 10, "glatiramer": 10, "dimethyl_fumarate": 12, "teriflunomide": 8,
    "fingolimod": 8, "siponimod": 4, "cladribine": 5, "natalizumab": 8, "ocrelizumab": 14,
    "ofatumumab": 8, "ublituximab": 2, "rituximab": 4, "alemtuzumab": 2, "mitoxantrone": 1,
    "cyclophosphamide": 1, "other": 3,
}
INFUSIONS = {"natalizumab", "ocrelizumab", "ublituximab", "rituximab", "alemtuzumab",
             "mitoxantrone", "cyclophosphamide"}
OTHER_DRUGS = ("Demo-trial tablet", "Compounded biotin (demo)", "Unnamed infusion (demo)")
COUNTRIES = ("United States", "Spain", "Mexico", "Colombia", "Argentina", "Canada", "Chile")
MEDICATIONS = ("Vitamin D 2000 IU daily", "Baclofen 10 mg three times a day",
               "Gabapentin 300 mg at night", "Fampridine 10 mg twice a day", "",
               "Omeprazole 20 mg", "Sertraline 50 mg")
ALLERGIES = ("", "", "Penicillin", "Sulfa drugs", "Latex", "Iodine contrast", "None known")
CANCERS = ("Basal cell carcinoma", "Breast cancer", "Thyroid cancer", "Melanoma",
           "Cervical cancer")
EDSS_BY_MOBILITY = {"0": 1.5, "1": 2.5, "2": 3.5, "3": 4.5, "4": 6.0, "5": 6.5, "6": 7.5,
                    "7": 8.5}


@dataclass(frozen=True)
class Profile:
    """The clinical part of one questionnaire: everything but who the person is."""

    sex: str
    age: int
    answers: dict[str, Any]  # path -> value, dates as DaysAgo / MonthsAgo / YearsAgo


def make_profile(rng: random.Random) -> Profile:
    sex = _pick(rng, {"female": 64, "male": 34, "intersex": 1, "prefer_not_to_say": 1})
    age = _pick(rng, {"adult": 90, "young": 4, "old": 6})
    age = {"adult": rng.randint(22, 64), "young": rng.randint(16, 17),
           "old": rng.randint(66, 74)}[age]
    a: dict[str, Any] = {"sex_at_birth": sex}
    a.update(_about(rng))
    diagnosed = _pick(rng, {"yes": 92, "not_sure": 4, "no": 4})
    a["ms_diagnosed"] = diagnosed
    years = 0
    if diagnosed == "yes":
        years = _diagnosis(rng, a, age)
    elif rng.random() < 0.4:  # changed their mind: the earlier answer is kept, not applicable
        a["ms_type"] = "rrms"
    _mobility(rng, a)
    if diagnosed == "yes":
        _relapses(rng, a)
    a["steroids_30_days"] = _yes(rng, 0.06)
    _treatments(rng, a, years)
    a["prior_cell_therapy"] = [_pick(rng, {"none": 93, "hsct": 3, "msc": 2, "other_cell": 2})]
    a["investigational_24_months"] = _yes(rng, 0.05)
    _mri(rng, a)
    _health(rng, a, age)
    _infections(rng, a)
    if sex == "female" and age < 60:
        _pregnancy(rng, a)
    a.update({"consent_contact": True, "consent_records": _yes(rng, 0.9), "attest_true": True})
    return Profile(sex, age, a)


def _about(rng: random.Random) -> dict[str, Any]:
    a: dict[str, Any] = {
        "preferred_contact": sorted(rng.sample(["phone", "email", "text_message"],
                                               rng.randint(1, 2))),
        "country": rng.choice(COUNTRIES),
        "referral_source": _pick(rng, {"neurologist": 40, "web_search": 25,
                                       "social_media": 15, "friend_family": 15, "other": 5}),
    }
    if rng.random() < 0.7:
        a["neurologist_name"] = f"Dr. Demo-{rng.choice(('Sample', 'Ejemplo', 'Prueba', 'Test'))}"
        if rng.random() < 0.6:
            a["neurologist_phone"] = f"555 01{rng.randint(0, 99):02d} {rng.randint(1000, 9999)}"
    return a


def _diagnosis(rng: random.Random, a: dict[str, Any], age: int) -> int:
    kind = _pick(rng, {"rrms": 55, "spms": 20, "ppms": 12, "cis": 8, "not_sure": 5})
    span = _pick(rng, {"new": 8, "window": 80, "long": 12})
    years = {"new": rng.randint(0, 1), "window": rng.randint(2, 20),
             "long": rng.randint(21, 30)}[span]
    # Diagnosed at 12 or later, so the consistency rule on an age at diagnosis under 10
    # gives the same answer whichever day the profile is placed on.
    years = max(0, min(age - 12, years))
    a.update({"ms_type": kind, "diagnosis_year": YearsAgo(years),
              "csf_tested": _unsure(rng, 0.6, 0.15), "optic_neuritis": _unsure(rng, 0.3, 0.1)})
    if rng.random() < 0.7:  # at least 2 years ago: before any relapse the profile reports
        a["symptom_onset_year"] = YearsAgo(min(age - 1, max(years, 2) + rng.randint(0, 3)))
    if kind == "spms":
        a["spms_conversion_year"] = YearsAgo(rng.randint(0, years))
    if a["csf_tested"] == "yes":
        a["oligoclonal_bands"] = _pick(rng, {"positive": 75, "negative": 10, "not_sure": 15})
    return years


def _mobility(rng: random.Random, a: dict[str, Any]) -> None:
    level = _pick(rng, {"0": 6, "1": 10, "2": 20, "3": 22, "4": 18, "5": 12, "6": 9, "7": 3})
    a["mobility_level"] = level
    if level != "7":
        a["walking_distance"] = {"0": "over_500m", "1": "over_500m", "2": "100_500m",
                                 "3": "100_500m", "4": "20_100m", "5": "20_100m"}.get(
                                     level, "under_20m")
    a["edss_known"] = _yes(rng, 0.75)
    if a["edss_known"] == "yes":
        score = EDSS_BY_MOBILITY[level] + rng.choice((-0.5, 0.0, 0.0, 0.5))
        a["edss_score"] = max(0.0, min(10.0, score))
        if rng.random() < 0.85:
            a["edss_date"] = _remembered(rng.randint(14, 420), 1)
    elif rng.random() < 0.2:
        a["edss_score"] = 5.0  # remembered, then unsure: kept as not applicable
    a["worsened_12_months"] = _unsure(rng, 0.3, 0.1)


def _relapses(rng: random.Random, a: dict[str, Any]) -> None:
    last12 = _pick(rng, {0: 60, 1: 28, 2: 9, 3: 3})
    last24 = last12 + _pick(rng, {0: 60, 1: 30, 2: 10})
    a.update({"relapses_12_months": last12, "relapses_24_months": last24})
    # A relapse month flags R07 (60 days) when its last day is within them: always for last
    # month, never from 4 months back; 2 and 3 months back depend on the day, so never.
    if last12:
        recent = rng.random() < 0.3
        a["last_relapse_date"] = (_remembered(rng.randint(5, 50), 1, 1) if recent
                                  else _remembered(rng.randint(75, 330), 4, 11))
    elif last24:
        a["last_relapse_date"] = _remembered(rng.randint(380, 700), 13, 23)


def _treatments(rng: random.Random, a: dict[str, Any], years: int) -> None:
    if a["ms_diagnosed"] != "yes" or rng.random() < 0.18 or years < 1:  # not yet, if new
        a["ever_treated"] = "no"
        return
    a["ever_treated"] = "yes"
    count = _pick(rng, {1: 50, 2: 35, 3: 15})
    drugs: list[str] = []
    while len(drugs) < count:
        drug = _pick(rng, DRUGS)
        if drug not in drugs:
            drugs.append(drug)
    # The first started in the year of diagnosis or later (at most `years` * 12 months ago),
    # whatever day the profile is placed on.
    started = min(years * 12, max(count * 14, years * 12 - rng.randint(0, 8)))
    for row, drug in enumerate(drugs):
        last = row == count - 1
        prefix = f"treatments[{row}]"
        a[prefix] = True
        a[f"{prefix}.drug"] = drug
        if drug == "other":
            a[f"{prefix}.drug_other"] = rng.choice(OTHER_DRUGS)
        a[f"{prefix}.start_date"] = MonthsAgo(started)
        still = last and rng.random() < 0.45
        a[f"{prefix}.still_taking"] = "yes" if still else "no"
        if not still:
            # Ends well before the next one starts; the last one often stopped recently.
            stop_days = (rng.choice((12, 20, 45, 70, 150, 200, 400)) if last
                         else (started - 12) * 30 + rng.randint(0, 200))
            stop_days = max(1, min(stop_days, (started - 2) * 30))
            # A month from 3 months back: within 3 months (immunosuppressants) always,
            # within 30 days (injectables) never, whatever the day; after the start month.
            a[f"{prefix}.last_dose_date"] = (_remembered(stop_days, 3, started - 2) if stop_days >= 90
                                             else DaysAgo(stop_days))
            a[f"{prefix}.stop_reason"] = _pick(rng, {"not_effective": 35, "side_effects": 30,
                                                     "pregnancy_planning": 8,
                                                     "cost_or_access": 17, "other": 10})
        if drug in INFUSIONS:
            a[f"{prefix}.infusion_reaction"] = _yes(rng, 0.15)
        started = max(2, started - rng.randint(12, max(13, started // 2)))


def _mri(rng: random.Random, a: dict[str, Any]) -> None:
    if rng.random() < 0.85:
        a["mri_last_date"] = _remembered(rng.randint(20, 700), 1)
        a["mri_contrast"] = _unsure(rng, 0.7, 0.15)
        a["mri_new_activity"] = _unsure(rng, 0.2, 0.15)
    a["mri_barriers"] = _some(rng, ["pacemaker", "metal_implant", "claustrophobia"], 0.88, 1)


def _health(rng: random.Random, a: dict[str, Any], age: int) -> None:
    a["cancer_history"] = _yes(rng, 0.06)
    if a["cancer_history"] == "yes":
        kind = rng.choice(CANCERS)
        a.update({"cancer_type": kind, "cancer_year": YearsAgo(rng.randint(1, min(15, age - 1))),
                  "cancer_basal_cell_only": "yes" if kind.startswith("Basal") else "no"})
    a["conditions"] = _some(rng, ["heart", "kidney", "liver", "lung", "bleeding_disorder",
                                  "clotting_disorder", "immune_deficiency", "diabetes",
                                  "seizures", "psychiatric"], 0.78)
    a["anesthesia_problems"] = _yes(rng, 0.05)
    a["blood_thinners"] = _yes(rng, 0.06)
    medications, allergies = rng.choice(MEDICATIONS), rng.choice(ALLERGIES)
    if medications:
        a["current_medications"] = medications
    if allergies:
        a["allergies"] = allergies


def _infections(rng: random.Random, a: dict[str, Any]) -> None:
    a["infections_known"] = [_pick(rng, {"none": 88, "not_sure": 5, "hepatitis_b": 2,
                                         "hepatitis_c": 1, "hiv": 1, "tuberculosis": 3})]
    a["current_infection"] = _yes(rng, 0.07)
    a["serious_infections"] = _yes(rng, 0.05)
    if any(v == "natalizumab" for k, v in a.items() if k.endswith(".drug")):
        a["pml_history"] = _pick(rng, {"no": 85, "not_sure": 10, "yes": 5})
        a["jcv_status"] = _pick(rng, {"positive": 40, "negative": 40, "unknown": 20})


def _pregnancy(rng: random.Random, a: dict[str, Any]) -> None:
    a["pregnant"] = _pick(rng, {"no": 94, "not_sure": 3, "yes": 3})
    a["breastfeeding"] = _yes(rng, 0.03)
    a["planning_pregnancy"] = _pick(rng, {"no": 65, "within_1_year": 6, "within_3_years": 9,
                                          "later": 12, "not_sure": 8})
    if a["pregnant"] != "yes":
        a["contraception"] = _yes(rng, 0.8)
