"""What an answer may hold: rows of a group, length of a text, characters, finite numbers;
and a definition that may not hold YAML anchors or aliases."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest

from screening_app.engine.definition import DEFAULT_MAX_LENGTH, DEFAULT_MAX_ROWS
from screening_app.engine.loader import DefinitionError, load_text
from screening_app.engine.session import Session
from screening_app.engine.validation import refusals, refused_characters
from tests.core.helpers import TODAY, load_dict, minimal_definition, problems_of

ROOT = Path(__file__).resolve().parents[2]


def with_meds(rows: int, max_rows: int | None = None):
    definition = copy.deepcopy(minimal_definition())
    meds = definition["steps"][0]["items"][2]
    if max_rows is not None:
        meds["max_rows"] = max_rows
    q = load_dict(definition)
    answers = {"date_of_birth": "1980-05-17"}
    answers.update({f"meds[{n}]": True for n in range(rows)})
    answers.update({f"meds[{n}].drug": "a" for n in range(rows)})
    return q, answers


def codes(session: Session, path: str) -> list[str]:
    return [p.code for p in session.problems() if p.path == path]


def test_a_group_takes_at_most_its_rows_by_default_fifty():
    """Seen: 10,000 treatment rows were accepted and submitted."""
    q, answers = with_meds(DEFAULT_MAX_ROWS)
    assert "too_many_rows" not in codes(Session(q, answers, today=TODAY), "meds")
    q, answers = with_meds(DEFAULT_MAX_ROWS + 1)
    session = Session(q, answers, today=TODAY)
    assert codes(session, "meds") == ["too_many_rows"]
    assert "At most 50 rows" in next(p.message for p in session.problems() if p.path == "meds")
    q, answers = with_meds(3, max_rows=2)
    assert q.item("meds").row_limit == 2
    assert codes(Session(q, answers, today=TODAY), "meds") == ["too_many_rows"]


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d["steps"][0]["items"][2].update(max_rows=0), "steps[0].items[2].max_rows"),
    (lambda d: d["steps"][0]["items"][2].update(max_rows="many"), "steps[0].items[2].max_rows"),
    (lambda d: d["steps"][1]["items"][0].update(max_rows=3), "steps[1].items[0].max_rows"),
])
def test_max_rows_is_a_whole_number_above_zero_on_a_group(change, path):
    definition = copy.deepcopy(minimal_definition())
    change(definition)
    assert [(p.code, p.path) for p in problems_of(definition)] == [("E_PROPERTY", path)]


def test_a_text_takes_at_most_two_thousand_characters_unless_it_says():
    q = load_dict(minimal_definition())
    assert q.item("note").text_limit == DEFAULT_MAX_LENGTH
    base = {"ms_type": "rrms", "date_of_birth": "1980-05-17"}
    assert codes(Session(q, {**base, "note": "x" * DEFAULT_MAX_LENGTH}, today=TODAY), "note") == []
    assert codes(Session(q, {**base, "note": "x" * (DEFAULT_MAX_LENGTH + 1)}, today=TODAY),
                 "note") == ["too_long"]


@pytest.mark.parametrize("text", ["Ana\x07", "Ana\x08", "\x1b[31mAna", "A\x00na", "\u202eanA",
                                  "\u2066Ana\u2069", "Ana\x9b", "\ud800"])
def test_control_direction_and_surrogate_characters_are_refused(text):
    q = load_dict(minimal_definition())
    session = Session(q, {"ms_type": "rrms", "note": text}, today=TODAY)
    assert codes(session, "note") == ["refused_characters"]
    assert refused_characters(text) and refused_characters(text, several_lines=True)


def test_line_breaks_are_for_texts_of_several_lines_only():
    assert refused_characters("one\ntwo") and refused_characters("one\rtwo")
    assert not refused_characters("one\ntwo\tthree\r\n", several_lines=True)
    assert not refused_characters("\tTabbed")  # whitespace, as a space
    assert not refused_characters("Núñez-García O'Brien 山田 Ωμέγα \u200f")


def test_refusals_name_the_path_and_the_reason_never_the_value():
    q, answers = with_meds(DEFAULT_MAX_ROWS + 1)
    answers.update({"note": "Ana\x1b[2J", "date_of_birth": float("inf"),
                    "ms_type": ["\ud800"], "meds[0].drug": "y" * 10})
    found = dict(refusals(q, answers))
    assert set(found) == {"note", "date_of_birth", "ms_type", "meds"}
    assert found["date_of_birth"] == "not a finite number"
    assert "51 rows" in found["meds"]
    assert not any("Ana" in why or "\ud800" in why for why in found.values())
    q = load_dict(minimal_definition())
    assert refusals(q, {"note": "x" * (DEFAULT_MAX_LENGTH + 1)}) == [
        ("note", f"longer than {DEFAULT_MAX_LENGTH} characters")]
    assert refusals(q, {"note": "fine", "date_of_birth": "1980-05-17"}) == []


BOMB = """\
id: bomb
version: "1"
languages: [en, es]
title: {en: Bomb, es: Bomba}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
attrs: {source: *i}
steps: *i
"""


def test_a_yaml_alias_bomb_is_refused_before_anything_is_built():
    """Seen: an alias bomb in `check-definition` took 40 s and 3 GB, then a MemoryError."""
    with pytest.raises(DefinitionError) as refused:
        load_text(BOMB, "bomb.yaml")
    [problem] = refused.value.problems
    assert (problem.code, problem.path) == ("E_YAML", "line 5")
    assert "anchors and aliases" in problem.message  # the only problem: nothing was built


def test_check_definition_refuses_the_alias_bomb_with_exit_2(tmp_path):
    """The command as a person runs it: one clear line, exit 2, no traceback."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "check-definition", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "anchors and aliases" in done.stdout and "Traceback" not in done.stdout + done.stderr


def test_an_ampersand_or_asterisk_in_a_text_is_no_anchor():
    definition = minimal_definition()
    definition["title"] = {"en": "Q & A *important*", "es": "P & R *importante*"}
    assert load_dict(definition).title.get("en") == "Q & A *important*"


@pytest.mark.parametrize("text", ["RR\u202eSM", "\u2066RRMS\u2069", "RR\x9bMS", "RRMS\x7f"])
def test_a_definitions_texts_hold_no_control_or_direction_characters(text):
    """A right-to-left override in a choice's label (an imported FHIR Questionnaire may hold
    one) loaded, and the kiosk showed patients other words than were written."""
    definition = minimal_definition()
    definition["steps"][0]["items"][1]["choices"][0]["label"] = {"en": text, "es": "RRMS"}
    found = [p for p in problems_of(definition) if p.code == "E_TEXT"]
    assert [p.path for p in found] == ["steps[0].items[1].choices[0].label.en"]


def test_a_definitions_long_texts_keep_their_line_breaks():
    definition = minimal_definition()
    definition["steps"][0]["items"][1]["label"] = {"en": "Type\nof MS\tnow", "es": "Tipo"}
    load_dict(definition)
