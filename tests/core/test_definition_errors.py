"""Every definition error code, each with a definition broken in one place."""

from __future__ import annotations

import pytest

from screening_app.engine.loader import DefinitionError, load_text
from tests.core.helpers import load_dict, minimal_definition, mutated, problems_of


def item(d, step=0, index=0):
    return d["steps"][step]["items"][index]


def test_the_minimal_definition_loads():
    q = load_dict(minimal_definition())
    assert [s.id for s in q.steps] == ["one", "two"]
    assert q.item("meds").items[0].choices[0].attrs == {"class": "x"}


# (code, change, expected path, expected hint fragment)
BROKEN = [
    ("E_UNKNOWN_KEY", lambda d: item(d).update(requird=True), "steps[0].items[0].requird", "required"),
    ("E_SCHEMA", lambda d: item(d).pop("label"), "steps[0].items[0]", ""),
    ("E_DUPLICATE_ID", lambda d: item(d, 1).update(id="ms_type"), "steps[1].items[0]", ""),
    ("E_DUPLICATE_ID", lambda d: item(d, 0, 2)["items"][0].update(id="age"),
     "steps[0].items[2].items[0].id", ""),
    ("E_BAD_ID", lambda d: item(d).update(id="Date of birth"), "steps[0].items[0].id", ""),
    ("E_UNKNOWN_TYPE", lambda d: item(d).update(type="datetime"), "steps[0].items[0].type", "date"),
    ("E_TRANSLATION", lambda d: item(d)["label"].pop("es"), "steps[0].items[0].label", ""),
    ("E_SYNTAX", lambda d: item(d, 1).update(shown_when='ms_type = = "rrms"'),
     "steps[1].items[0].shown_when", ""),
    ("E_UNKNOWN_NAME", lambda d: item(d, 1).update(shown_when='ms_typ = "rrms"'),
     "steps[1].items[0].shown_when", "ms_type"),
    ("E_UNKNOWN_NAME", lambda d: d["rules"][0].update(when="age < min_agee"), "rules[0].when", "min_age"),
    ("E_UNKNOWN_FUNCTION", lambda d: d["computed"][0].update(expr="ages(date_of_birth)"),
     "computed[0].expr", "age"),
    ("E_ARGUMENTS", lambda d: d["computed"][0].update(expr="age(date_of_birth, 2)"), "computed[0].expr", ""),
    ("E_TYPE", lambda d: d["rules"][0].update(when="date_of_birth < 18"), "rules[0].when", ""),
    ("E_TYPE", lambda d: d["rules"][0].update(when="age + 1"), "rules[0].when", ""),
    ("E_UNKNOWN_CODE", lambda d: item(d, 1).update(shown_when='ms_type = "rrsm"'),
     "steps[1].items[0].shown_when", "rrms"),
    ("E_UNKNOWN_CODE", lambda d: d["rules"][0].update(when='any(meds, drug = "b")'), "rules[0].when", ""),
    ("E_UNKNOWN_CODE", lambda d: d["rules"][0].update(when='any(meds, attr(drug, "class") = "y")'),
     "rules[0].when", "x"),
    ("E_UNKNOWN_CODE", lambda d: d["rules"][0].update(when='count_value("rrsm") >= 1'),
     "rules[0].when", "rrms"),
    ("E_UNKNOWN_CODE", lambda d: (item(d, 1).update(type="integer", min=0, max=20),
                                  d["rules"][0].update(when="note > 20")), "rules[0].when", ""),
    ("E_UNKNOWN_CODE", lambda d: (item(d, 1).update(type="integer", min=0, max=20),
                                  d["rules"][0].update(when="-1 >= note")), "rules[0].when", ""),
    ("E_CYCLE", lambda d: d["computed"].extend([
        {"id": "a", "label": {"en": "A", "es": "A"}, "type": "integer", "expr": "b + 1"},
        {"id": "b", "label": {"en": "B", "es": "B"}, "type": "integer", "expr": "a + 1"}]),
     "computed", ""),
    ("E_CYCLE", lambda d: item(d, 1).update(shown_when="answered(note)"), "steps[1].items[0]", ""),
    ("E_UNREACHABLE", lambda d: item(d, 1).update(required=True, shown_when="1 > 2"),
     "steps[1].items[0]", ""),
    ("E_UNREACHABLE", lambda d: (d["steps"][1].update(shown_when='ms_type = "rrms" and ms_type = "spms"'),
                                 item(d, 1).update(required=True)), "steps[1].items[0]", ""),
    ("E_PROPERTY", lambda d: item(d).update(step=0.5), "steps[0].items[0].step", ""),
    ("E_PROPERTY", lambda d: item(d, 1).update(type="integer", min=5, max=1), "steps[1].items[0].min", ""),
]


@pytest.mark.parametrize(("code", "change", "path", "hint"), BROKEN,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_each_error_code_names_the_place_and_a_hint(code, change, path, hint):
    problems = problems_of(mutated(change))
    matching = [p for p in problems if p.code == code]
    assert matching, f"expected {code}, got {[str(p) for p in problems]}"
    assert any(p.path.startswith(path) for p in matching), [p.path for p in matching]
    if hint:
        assert any(hint in p.hint for p in matching), [p.hint for p in matching]


def test_yaml_that_does_not_parse_is_refused_with_the_line():
    with pytest.raises(DefinitionError) as caught:
        load_text("id: x\nsteps: [\n", "broken.yaml")
    assert caught.value.problems[0].code == "E_YAML"
    assert "broken.yaml" in str(caught.value)


def test_all_problems_are_listed_at_once():
    def two_mistakes(d):
        item(d).update(requird=True)
        d["rules"][0].update(when="age < nope")

    problems = problems_of(mutated(two_mistakes))
    assert {(p.code, p.path) for p in problems} >= {("E_UNKNOWN_KEY", "steps[0].items[0].requird"),
                                                    ("E_UNKNOWN_NAME", "rules[0].when")}


def test_expressions_cannot_reach_python():
    for text in ["__import__('os')", "date_of_birth.year", "ms_type[0]", "open('x')"]:
        problems = problems_of(mutated(lambda d, t=text: d["rules"][0].update(when=t)))
        assert {p.code for p in problems} & {"E_SYNTAX", "E_UNKNOWN_FUNCTION"}, text


def test_cli_lists_every_problem_and_exits_2(tmp_path, capsys):
    import yaml

    from screening_app.cli import main

    broken = mutated(lambda d: item(d, 1).update(shown_when='ms_typ = "rrms"'))
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert main(["check-definition", str(path)]) == 2
    out = capsys.readouterr().out
    assert "E_UNKNOWN_NAME steps[1].items[0].shown_when" in out
    assert "did you mean `ms_type`?" in out
