"""Questionnaire definition <-> FHIR R4 `Questionnaire` (JSON as plain dicts).

Export (`questionnaire_to_fhir`): steps become non-repeating groups, items keep their id
as linkId (a converted questionnaire: its source's linkIds, codes, codings, answer types
and top-level items, kept in `attrs`; see `fhir_source`), texts carry every language (the
first as the element, the others in the HL7 `translation` extension), choices become
`answerOption` codings, branching becomes
`enableWhen`/`enableBehavior` where it means exactly the same (`fhir_conditions`) and is
otherwise kept as the original expression in an extension. Everything FHIR has no element
for (checks, parameters, computed values, rules, ...) rides in extensions of ours, so our
own import gives the definition back; other systems may ignore them.

Import (`questionnaire_from_fhir`, in `fhir_import`): see that module.
"""

from __future__ import annotations

import json
from typing import Any

from screening_app.engine.definition import Choice, Item, Questionnaire, Step, Text

from . import fhir_common as fc
from . import fhir_source as fs
from .fhir_conditions import enable_when
from .fhir_import import ImportedDefinition, questionnaire_from_fhir

__all__ = ["ImportedDefinition", "questionnaire_from_fhir", "questionnaire_to_fhir"]


def questionnaire_to_fhir(q: Questionnaire) -> dict[str, Any]:
    """The definition as a FHIR R4 Questionnaire resource."""
    return _Exporter(q).resource()


class _Exporter:
    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.langs = q.languages

    def text(self, key: str, text: Text) -> dict[str, Any]:
        return fc.translated(key, text, self.langs)

    def resource(self) -> dict[str, Any]:
        q = self.q
        resource: dict[str, Any] = {
            "resourceType": "Questionnaire",
            "id": q.id,
            "meta": fc.app_meta(),
            "language": self.langs[0],
            "extension": [{"url": fc.EXT_DEFINITION, "valueString": _json(self.definition_parts())}],
            "url": fc.canonical_url(q.id),
            "version": q.version,
            "name": "".join(part.capitalize() for part in q.id.split("-")),
            **self.text("title", q.title),
            "status": "active",
            "subjectType": ["Patient"],
        }
        if q.description is not None:
            resource.update(self.text("description", q.description))
        resource.update(fs.questionnaire_elements(q))
        resource["item"] = [element for step in q.steps for element in self.step(step)]
        return resource

    def definition_parts(self) -> dict[str, Any]:
        q = self.q
        return {
            "languages": list(self.langs),
            "parameters": {p.id: {"value": p.value, "label": dict(p.label.translations)}
                           for p in q.parameters.values()},
            "computed": [{"id": c.id, "label": dict(c.label.translations), "type": c.type,
                          "expr": c.expr.text} for c in q.computed.values()],
            "rules": [{"id": r.id, "severity": r.severity, "criterion": dict(r.criterion.translations),
                       "when": r.when.text} for r in q.rules if r.kind == "screening"],
            **({"consistency": [{"id": r.id, "criterion": dict(r.criterion.translations),
                                 "when": r.when.text} for r in q.rules if r.kind == "consistency"]}
               if any(r.kind == "consistency" for r in q.rules) else {}),
            **({"attrs": dict(q.attrs)} if q.attrs else {}),
            **({"estimated_minutes": q.estimated_minutes} if q.estimated_minutes is not None else {}),
            **({"top_level_steps": {s.id: {"title": dict(s.title.translations), "attrs": dict(s.attrs)}
                                    for s in q.steps if fs.top_level(s)}}
               if any(fs.top_level(s) for s in q.steps) else {}),
        }

    # ------------------------------------------------------------ steps and items

    def step(self, step: Step) -> list[dict[str, Any]]:
        """The step's group, or its items alone when they stood at the top level in the source."""
        if fs.top_level(step):
            return self.nest(step.items, None, in_step=step.id)
        link_id = fs.step_link_id(step)
        group: dict[str, Any] = {"linkId": link_id, **self.text("text", step.title), "type": "group"}
        if link_id != fc.step_link_id(step.id) or step.attrs:
            group["extension"] = [{"url": fc.EXT_PROPERTIES, "valueString": _json(
                {"id": step.id, **({"attrs": dict(step.attrs)} if step.attrs else {})})}]
        group.update(fs.code_element(step.attrs))
        children = []
        if step.intro is not None:
            children.append({"extension": [{"url": fc.EXT_STEP_INTRO, "valueBoolean": True}],
                             "linkId": link_id + fc.INTRO_SUFFIX, **self.text("text", step.intro),
                             "type": "display"})
        children += self.nest(step.items, None)
        group["item"] = children
        self.branching(group, step.shown_when, None)
        return [group]

    def nest(self, items: tuple[Item, ...], group: Item | None,
             in_step: str | None = None) -> list[dict[str, Any]]:
        """A step's items, or a group's fields, as the source had them: a section is a group
        holding its items, a question holds its follow-ups (FHIR items nested under it)."""
        made: dict[str, dict[str, Any]] = {}
        top: list[dict[str, Any]] = []
        for item in items:
            out = self.item(item, group, in_step=in_step if item.parent is None else None)
            made[item.id] = out
            if item.parent is None:
                top.append(out)
                continue
            parent = made[item.parent]
            parent.setdefault("item", []).append(out)
            if parent["type"] == "display":  # a section: FHIR's display items hold nothing
                parent["type"] = "group"
        return top

    def item(self, item: Item, group: Item | None, in_step: str | None = None) -> dict[str, Any]:
        link_id = fs.link_id(item, group)
        extensions: list[dict[str, Any]] = [{"url": fc.EXT_ITEM_TYPE, "valueCode": item.type}]
        text = {} if item.untitled else self.text("text", item.label)  # untitled: a group without text
        out: dict[str, Any] = {"extension": extensions, "linkId": link_id, **fs.code_element(item.attrs),
                               **text, "type": fs.fhir_type(item)}
        extensions += self.bounds(item)
        if item.pattern is not None:
            extensions.append({"url": fc.REGEX, "valueString": item.pattern})
        properties = self.properties(item)
        if link_id != fs.item_path(item, group):
            properties["id"] = item.id
        if in_step is not None:
            properties["in_step"] = in_step
        if properties:
            extensions.append({"url": fc.EXT_PROPERTIES, "valueString": _json(properties)})
        if item.required:
            out["required"] = True
        if item.type in ("group", "multi_choice"):
            out["repeats"] = True
        if item.max_length is not None:
            out["maxLength"] = item.max_length
        if item.choices and fs.fhir_type(item) != "boolean":
            out["answerOption"] = [self.option(item, group, choice) for choice in item.choices]
        self.branching(out, item.shown_when, group)
        children = []
        if item.help is not None:
            children.append({
                "extension": [{"url": fc.ITEM_CONTROL, "valueCodeableConcept": {"coding": [
                    {"system": fc.ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]}}],
                "linkId": link_id + fc.HELP_SUFFIX, **self.text("text", item.help), "type": "display"})
        children += self.nest(item.items, item)
        if children:
            out["item"] = children
        return out

    def bounds(self, item: Item) -> list[dict[str, Any]]:
        value_key = "valueDecimal" if item.type == "decimal" else "valueInteger"
        found = []
        for url, bound in ((fc.MIN_VALUE, item.min), (fc.MAX_VALUE, item.max)):
            if bound is not None:
                found.append({"url": url, value_key: bound if item.type == "decimal" else int(bound)})
        return found

    def properties(self, item: Item) -> dict[str, Any]:
        """App-only properties, for our own import (other systems ignore the extension)."""
        found: dict[str, Any] = {}
        if item.ordinal:
            found["ordinal"] = True
        if item.type == "date" and item.precision != "day":
            found["precision"] = item.precision
        if item.not_future:
            found["not_future"] = True
        if item.identifier:  # FHIR has no standard flag for an answer that identifies the person
            found["identifier"] = True
        if item.step is not None:
            found["step"] = item.step
        if item.pattern_message is not None:
            found["pattern_message"] = dict(item.pattern_message.translations)
        if item.prefill is not None:
            found["prefill"] = item.prefill.text
        if item.row_label is not None:
            found["row_label"] = item.row_label
        if item.checks:
            found["checks"] = [{"id": c.id, "severity": c.severity, "when": c.when.text,
                                "message": dict(c.message.translations)} for c in item.checks]
        if item.attrs:
            found["attrs"] = dict(item.attrs)
        return found

    def option(self, item: Item, group: Item | None, choice: Choice) -> dict[str, Any]:
        kind, value = fs.coded(self.q, item, group, choice.code)
        if kind == "Coding":
            value.update(self.text("display", choice.label))
        option: dict[str, Any] = {f"value{kind}": value}
        extensions = []
        if kind != "Coding" or value["code"] != choice.code:
            extensions.append({"url": fc.EXT_CHOICE_CODE, "valueCode": choice.code})
        if kind != "Coding":  # a string or number has no display: the label rides here
            extensions.append({"url": fc.EXT_CHOICE_LABEL,
                               "valueString": _json(dict(choice.label.translations))})
        if choice.exclusive:
            extensions.append({"url": fc.OPTION_EXCLUSIVE, "valueBoolean": True})
        if item.ordinal:
            extensions.append({"url": fc.ORDINAL_VALUE, "valueDecimal": int(choice.code)})
        elif _is_number(choice.attrs.get("ordinal_value")):  # a score, as the source had it
            extensions.append({"url": fc.ORDINAL_VALUE, "valueDecimal": float(choice.attrs["ordinal_value"])})
        if choice.attrs:
            extensions.append({"url": fc.EXT_CHOICE_ATTRS, "valueString": _json(dict(choice.attrs))})
        if extensions:
            option["extension"] = extensions
        return option

    def branching(self, out: dict[str, Any], shown_when: Any, group: Item | None) -> None:
        if shown_when is None:
            return
        owners: dict[str, Item | None] = {}

        def resolve(name: str) -> tuple[str, Item] | None:
            if group is not None and group.field(name) is not None:
                owners[name] = group
                return fs.link_id(group.field(name), group), group.field(name)
            if name in self.q.items_by_id:
                owners[name] = None
                return fs.link_id(self.q.item(name), None), self.q.item(name)
            return None

        def answer(_link_id: str, item: Item, code: str) -> tuple[str, Any]:
            return fs.coded(self.q, item, owners.get(item.id), code)

        translated = enable_when(shown_when, resolve, answer)
        if translated is None or not translated.exact:
            out.setdefault("extension", []).append(
                {"url": fc.EXT_SHOWN_WHEN, "valueString": shown_when.text})
        if translated is None:
            return
        out["enableWhen"] = translated.conditions
        if translated.behavior is not None:
            out["enableBehavior"] = translated.behavior


def _is_number(text: str | None) -> bool:
    try:
        return text is not None and float(text) == float(text)  # not NaN
    except ValueError:
        return False


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
