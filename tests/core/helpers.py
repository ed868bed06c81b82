"""Small builders shared by the core tests."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import yaml

from screening_app.engine.answers import flatten_answers
from screening_app.engine.definition import Questionnaire
from screening_app.engine.loader import DefinitionError, load_text
from screening_app.engine.session import Session
from tests.shared import FIXTURES, TODAY, shipped


def complete_answers() -> dict[str, Any]:
    """A fully answered, valid questionnaire that raises only R09 on TODAY (nested form)."""
    return json.loads((FIXTURES / "complete_answers.json").read_text(encoding="utf-8"))


def session_for(nested: dict[str, Any], lang: str = "en", today: date = TODAY) -> Session:
    q = shipped()
    return Session(q, flatten_answers(q, nested), lang=lang, today=today)


def text(en: str, es: str | None = None) -> dict[str, str]:
    return {"en": en, "es": es if es is not None else f"{en} (es)"}


def minimal_definition() -> dict[str, Any]:
    """A small valid definition to break in one place per test."""
    return {
        "id": "tiny",
        "version": "0.1.0",
        "languages": ["en", "es"],
        "title": text("Tiny"),
        "parameters": {"min_age": {"value": 18, "label": text("Minimum age")}},
        "computed": [{"id": "age", "label": text("Age"), "type": "integer",
                      "expr": "age(date_of_birth)"}],
        "steps": [
            {"id": "one", "title": text("One"), "items": [
                {"id": "date_of_birth", "type": "date", "label": text("Born"), "required": True},
                {"id": "ms_type", "type": "single_choice", "label": text("Type"),
                 "choices": [{"code": "rrms", "label": text("RRMS")},
                             {"code": "spms", "label": text("SPMS")}]},
                {"id": "meds", "type": "group", "label": text("Meds"), "row_label": "drug",
                 "items": [{"id": "drug", "type": "single_choice", "label": text("Drug"),
                            "choices": [{"code": "a", "label": text("A"), "attrs": {"class": "x"}}]}]},
            ]},
            {"id": "two", "title": text("Two"), "items": [
                {"id": "note", "type": "text", "label": text("Note"), "shown_when": 'ms_type = "rrms"'},
            ]},
        ],
        "rules": [{"id": "R01", "severity": "review", "criterion": text("Young"),
                   "when": "age < min_age"}],
    }


def load_dict(definition: dict[str, Any]) -> Questionnaire:
    return load_text(yaml.safe_dump(definition, allow_unicode=True), "test.yaml")


def problems_of(definition: dict[str, Any]) -> list:
    try:
        load_dict(definition)
    except DefinitionError as error:
        return error.problems
    raise AssertionError("the definition was accepted")


def mutated(change) -> dict[str, Any]:
    definition = copy.deepcopy(minimal_definition())
    change(definition)
    return definition
