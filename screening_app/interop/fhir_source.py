"""The ids a converted questionnaire had in its source, kept in `attrs` and used by the exports.

`import-definition` writes them; the Questionnaire and QuestionnaireResponse exports use
them when present, so a system holding the source Questionnaire can match our responses
(linkIds, codings, answer types and structure as in the source); without them the
app's own ids are used (docs/interop.md, "Identifiers"). Names:

| on | attrs | meaning |
|---|---|---|
| questionnaire | `fhir_url`, `fhir_version` | the source's canonical |
| questionnaire, step, item | `fhir_code`, `fhir_system`, `fhir_display` | its (first) `code` |
| questionnaire | `fhir_identifier_system`, `fhir_identifier_value` | its (first) `identifier` |
| questionnaire | `fhir_publisher`, `fhir_copyright` | as in the source |
| step, item | `fhir_link_id` | the source linkId (when it differs from the app's) |
| step | `fhir_top_level: "true"` | its items were outside any group in the source |
| item | `fhir_type` | the source item type, when not the app type's usual one (`boolean`, ...) |
| choice | `fhir_code`, `fhir_system` | the source Coding |
| choice | `fhir_string`, `fhir_integer`, `fhir_date`, `fhir_time` | the source's option value |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening_app.engine.definition import Item, Questionnaire, Step

from . import fhir_common as fc

TOP_LEVEL = "fhir_top_level"
# Source item types the app keeps the answers of as one of its own types.
FHIR_TYPE_OPTIONS = {"yes_no": {"boolean"}, "text": {"url"}, "decimal": {"quantity"},
                     "date": {"dateTime"},
                     "single_choice": {"open-choice", "string", "integer", "date", "time"},
                     "multi_choice": {"open-choice", "string", "integer", "date", "time"}}
# How an answer of each FHIR item type is written (value[x] without "value").
ANSWER_TYPES = {"boolean": "Boolean", "url": "Uri", "quantity": "Quantity", "dateTime": "DateTime"}


def item_path(item: Item, group: Item | None) -> str:
    """The app's own name of an item: its id, or `group.field`."""
    return fc.field_link_id(group.id, item.id) if group else item.id


def link_id(item: Item, group: Item | None) -> str:
    return item.attrs.get("fhir_link_id") or item_path(item, group)


def step_link_id(step: Step) -> str:
    return step.attrs.get("fhir_link_id") or fc.step_link_id(step.id)


def top_level(step: Step) -> bool:
    """The step's items stand at the top level in FHIR (no group), as they did in the source.
    A step with an intro or a condition needs its group to say them."""
    return step.attrs.get(TOP_LEVEL) == "true" and step.intro is None and step.shown_when is None


def fhir_type(item: Item) -> str:
    declared = item.attrs.get("fhir_type")
    if declared in FHIR_TYPE_OPTIONS.get(item.type, ()):
        return declared
    return fc.FHIR_TYPES[item.type]


def coded(q: Questionnaire, item: Item, group: Item | None, code: str) -> tuple[str, Any]:
    """A choice as FHIR says it: ("Coding", {...}), ("String", text), ("Integer", n) or
    ("Boolean", b), to be prefixed with `value` (answers, options) or `answer` (enableWhen)."""
    if fhir_type(item) == "boolean":
        return "Boolean", code == "yes"
    choice = item.choice(code)
    attrs = choice.attrs if choice is not None else {}
    if "fhir_string" in attrs:
        return "String", attrs["fhir_string"]
    if "fhir_integer" in attrs:
        return "Integer", int(attrs["fhir_integer"])
    if "fhir_date" in attrs:
        return "Date", attrs["fhir_date"]
    if "fhir_time" in attrs:
        return "Time", attrs["fhir_time"]
    if "fhir_code" in attrs or "fhir_system" in attrs:
        coding = {"system": attrs["fhir_system"]} if "fhir_system" in attrs else {}
        return "Coding", {**coding, "code": attrs.get("fhir_code", code)}
    return "Coding", {"system": fc.code_system(q.id, item_path(item, group)), "version": q.version,
                      "code": code}


def canonical(q: Questionnaire) -> str:
    """What a response names as its Questionnaire: the source's canonical, else ours."""
    url = q.attrs.get("fhir_url")
    if url:
        version = q.attrs.get("fhir_version")
        return f"{url}|{version}" if version else url
    return f"{fc.canonical_url(q.id)}|{q.version}"


def questionnaire_elements(q: Questionnaire) -> dict[str, Any]:
    """Questionnaire elements kept from the source: derivedFrom, identifier, publisher, ..."""
    attrs = q.attrs
    out: dict[str, Any] = {}
    if attrs.get("fhir_url"):
        out["derivedFrom"] = [canonical(q)]
    if attrs.get("fhir_identifier_value"):
        identifier = {"value": attrs["fhir_identifier_value"]}
        if attrs.get("fhir_identifier_system"):
            identifier = {"system": attrs["fhir_identifier_system"], **identifier}
        out["identifier"] = [identifier]
    for key in ("publisher", "copyright"):
        if attrs.get(f"fhir_{key}"):
            out[key] = attrs[f"fhir_{key}"]
    out.update(code_element(attrs))
    return out


def code_element(attrs: Mapping[str, str]) -> dict[str, Any]:
    """`{"code": [Coding]}` from `fhir_code`/`fhir_system`/`fhir_display`, or nothing."""
    if not attrs.get("fhir_code"):
        return {}
    coding = {key: attrs[f"fhir_{key}"] for key in ("system", "code", "display")
              if attrs.get(f"fhir_{key}")}
    return {"code": [coding]}


def code_attrs(element: Mapping[str, Any]) -> dict[str, str]:
    """The inverse of `code_element`: the first code of a FHIR element as attrs."""
    codes = [c for c in element.get("code") or [] if isinstance(c, Mapping) and c.get("code")]
    if not codes:
        return {}
    return {f"fhir_{key}": str(codes[0][key]) for key in ("code", "system", "display") if codes[0].get(key)}


class ResponseIndex:
    """linkIds and answer values of a QuestionnaireResponse -> the app's items and codes."""

    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.steps = {step_link_id(s) for s in q.steps if not top_level(s)}
        self.steps |= {fc.step_link_id(s.id) for s in q.steps}
        self.items: dict[str, Item] = {}
        self.fields: dict[str, dict[str, Item]] = {}
        for item in q.all_items():
            self.items[item.id] = self.items[link_id(item, None)] = item
            fields = self.fields[item.id] = {}
            for sub in item.items:
                for name in (sub.id, item_path(sub, item), link_id(sub, item)):
                    fields[name] = sub

    def field(self, group: Item, link: str) -> Item | None:
        return self.fields[group.id].get(link)

    def code(self, item: Item, group: Item | None, kind: str, value: Any) -> str | None:
        """The app code of an answer to a choice item, or None when it is none of its choices."""
        if kind == "Coding":
            matches = [c.code for c in item.choices if isinstance(value, Mapping)
                       and _same_code(value, self.q, item, group, c.code)]
        else:
            matches = [c.code for c in item.choices if (kind, value) == coded(self.q, item, group, c.code)]
        return matches[0] if len(matches) == 1 else None

    def systems(self, item: Item, group: Item | None) -> set[str | None]:
        """The code systems an answer to this item may use (None: a Coding without one)."""
        found: set[str | None] = {fc.code_system(self.q.id, item_path(item, group)), None}
        found |= {c.attrs.get("fhir_system") for c in item.choices}
        return found


def _same_code(coding: Mapping[str, Any], q: Questionnaire, item: Item, group: Item | None,
               code: str) -> bool:
    """A Coding matches a choice on system (when both have one) and code; our own system's
    Coding always names the app code, whatever the source's was."""
    ours = fc.code_system(q.id, item_path(item, group))
    if coding.get("system") == ours:
        return coding.get("code") == code
    kind, expected = coded(q, item, group, code)
    if kind != "Coding":
        return False
    system = coding.get("system")
    return coding.get("code") == expected["code"] and (
        system is None or expected.get("system") in (None, system))
