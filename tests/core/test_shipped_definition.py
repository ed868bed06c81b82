"""Every shipped definition loads, is fully translated, and keeps the spec's contract."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from screening_app.cli import main
from screening_app.engine.loader import load_questionnaire
from screening_app.i18n import LANGUAGES, catalog
from screening_app.resources import RESOURCES
from tests.core.helpers import FIXTURES, shipped

# The product spec (ids and codes there are a contract): the copy kept with the code, and
# the team's shared original beside the repository, which a developer's checkout may have.
SPEC = Path(__file__).resolve().parents[2] / "docs" / "questionnaire-spec.md"
SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "docs" / "questionnaire-spec.md"
DEFINITIONS = sorted((RESOURCES / "questionnaires").glob("*.yaml"))


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_every_shipped_definition_loads_and_is_translated(path):
    q = load_questionnaire(path)
    texts = [q.title] + [s.title for s in q.steps]
    for item in q.all_items():
        texts += [item.label, *(c.label for c in item.choices)]
        for field in item.items:
            texts += [field.label, *(c.label for c in field.choices)]
    texts += [r.criterion for r in q.rules]
    for text in texts:
        assert all(text.translations.get(lang, "").strip() for lang in q.languages)


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.name)
def test_every_rule_of_every_shipped_definition_can_fire(path):
    """Random answers from each item's own domain: every rule fires for some of them, so
    none is dead (a typo in a code, a condition that contradicts itself)."""
    import random

    from screening_app.engine.session import Session
    from tests.core.random_answers import random_answers
    from tests.shared import TODAY

    q = load_questionnaire(path)
    rng = random.Random(20261123)
    unfired = {rule.id for rule in q.rules}
    for _ in range(4000):
        if not unfired:
            break
        session = Session(q, random_answers(q, rng, TODAY), today=TODAY)
        unfired -= {flag.rule for flag in session.flags()}
    assert not unfired, f"never fired: {sorted(unfired)}"


def test_the_contract_ids_of_the_spec_are_all_there():
    q = shipped()
    assert (q.id, q.version) == ("msc-ms-onboarding", "1.0.0")
    assert [s.id for s in q.steps] == ["about_you", "diagnosis", "mobility", "relapses", "treatments",
                                        "mri", "health", "infections", "pregnancy", "consent"]
    assert [r.id for r in q.rules if r.kind == "screening"] == [f"R{n:02d}_{name}" for n, name in enumerate([
        "age", "no_diagnosis", "cis", "edss", "mobility", "duration", "recent_relapse", "steroids",
        "immunosuppressant", "injectable", "prior_cell_therapy", "investigational", "hiv_hepatitis",
        "tuberculosis", "current_infection", "cancer", "pregnancy", "planning_pregnancy",
        "no_contraception", "bleeding", "organ", "mri_barrier", "pml", "immune", "activity",
        "unsure_answers"], start=1)]
    assert {p: q.parameters[p].value for p in q.parameters} == {
        "min_age": 18, "max_age": 65, "min_edss": 3.0, "max_edss": 6.5, "min_disease_years": 2,
        "max_disease_years": 20, "relapse_washout_days": 60, "steroid_washout_days": 30,
        "immunosuppressant_washout_months": 3, "injectable_washout_days": 30, "cancer_free_years": 5,
        "pregnancy_planning_years": 3}
    drugs = {c.code: dict(c.attrs) for c in q.item("treatments").field("drug").choices}
    assert drugs["ocrelizumab"] == {"class": "immunosuppressant", "route": "infusion"}
    assert drugs["glatiramer"] == {"class": "injectable", "route": "injection"}
    assert drugs["other"] == {"named_by": "drug_other"}  # its name is typed in drug_other


def test_every_item_id_in_the_spec_tables_exists():
    ids = set(re.findall(r"^\| `([a-z_0-9]+)` \| (?:text|long_text|integer|decimal|date|year|yes_no"
                         r"|yes_no_unsure|single_choice|multi_choice|email|phone|info|group|consent"
                         r"|signature) \|", SPEC.read_text(encoding="utf-8"), re.MULTILINE))
    q = shipped()
    known = set(q.items_by_id) | {f.id for i in q.all_items() for f in i.items}
    assert ids and ids <= known, ids - known


def test_the_specs_copy_is_the_shared_original_where_there_is_one():
    """docs/questionnaire-spec.md is the team's spec as it was copied in; where the shared
    original sits beside the repository (a team member's checkout), the two are the same."""
    if SHARED_SPEC.exists():
        assert SPEC.read_text(encoding="utf-8") == SHARED_SPEC.read_text(encoding="utf-8"), (
            "the shared spec changed: copy it to docs/questionnaire-spec.md and check the definition")


def test_app_translations_have_the_same_keys_in_every_language():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["en"] == keys["es"], keys["en"] ^ keys["es"]


def test_a_key_is_in_one_file_only_and_tr_finds_every_text_as_the_catalogue_holds_it():
    """tr reads the file named after a key's first part before the whole catalogue (the
    kiosk's welcome page needs only kiosk.<lang>.yaml): the same texts, as keys are unique."""
    import yaml

    from screening_app.i18n import TRANSLATIONS, tr

    for lang in LANGUAGES:
        seen: dict[str, str] = {}
        for path in sorted(TRANSLATIONS.glob(f"*.{lang}.yaml")):
            for key in yaml.safe_load(path.read_text(encoding="utf-8")):
                assert key not in seen, f"{key} is in {seen.get(key)} and {path.name}"
                seen[key] = path.name
        texts = {key: text for key, text in catalog(lang).items() if text}
        assert {key: tr(lang, key) for key in texts} == texts


def test_check_definition_prints_a_summary(capsys):
    assert main(["check-definition", str(RESOURCES / "questionnaires" / "msc-ms-onboarding.yaml")]) == 0
    assert capsys.readouterr().out.strip() == ("OK msc-ms-onboarding 1.0.0: 10 steps, 70 items, 26 rules, "
                                               "6 consistency rules")


def test_evaluate_prints_flags_computed_errors_and_not_applicable(tmp_path, capsys):
    answers = json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))
    answers.update(edss_known="no", relapses_24_months=0, relapses_12_months=3)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["evaluate", str(path), "--today", "2026-11-23", "--lang", "es"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["computed"] == {"age": 46, "disease_years": 11}
    assert {f["rule"] for f in report["flags"]} == {"R09_immunosuppressant", "R25_activity"}
    assert set(report["not_applicable"]) == {"edss_score", "edss_date", "last_relapse_date"}
    assert list(report["errors"]) == ["relapses_24_months"]
    assert report["warnings"] == {}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"edss_score": NaN}',
                                     '{"edss_score": -Infinity}', "[" * 100_000 + "]" * 100_000])
def test_evaluate_refuses_unreadable_input_with_exit_2(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_evaluate_reads_a_file_with_a_byte_order_mark(tmp_path, capsys):
    path = tmp_path / "bom.json"
    path.write_text('{"first_name": "Ana"}', encoding="utf-8-sig")
    assert main(["evaluate", str(path)]) == 0
    assert "first_name" not in json.loads(capsys.readouterr().out)["errors"]


def test_evaluate_missing_file(capsys):
    assert main(["evaluate", "/nonexistent/answers.json"]) == 2
    assert "no such file" in capsys.readouterr().err
