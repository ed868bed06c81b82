"""Questionnaire definition <-> FHIR R4 `Questionnaire` (JSON as plain dicts).

Export (`questionnaire_to_fhir`): steps become non-repeating groups, items keep their id
as linkId, texts carry every language (the first as the element, the others in the HL7
`translation` extension), choices become `answerOption` codings, branching becomes
`enableWhen`/`enableBehavior` where it means exactly the same (`fhir_conditions`) and is
otherwise kept as the original expression in an extension. Everything FHIR has no element
for (checks, parameters, computed values, rules, ...) rides in extensions of ours, so our
own import gives the definition back; other systems may ignore them.

Import (`questionnaire_from_fhir`, in `fhir_import`): see that module.
"""

from __future__ import annotations

import json
from typing import Any

from screening_app.definition import Choice, Item, Questionnaire, Step, Text

from . import fhir_common as fc
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
        resource["item"] = [self.step(step) for step in q.steps]
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
                       "when": r.when.text} for r in q.rules],
        }

    # ------------------------------------------------------------ steps and items

    def step(self, step: Step) -> dict[str, Any]:
        link_id = fc.step_link_id(step.id)
        group: dict[str, Any] = {"linkId": link_id, **self.text("text", step.title), "type": "group"}
        children = []
        if step.intro is not None:
            children.append({"extension": [{"url": fc.EXT_STEP_INTRO, "valueBoolean": True}],
                             "linkId": link_id + fc.INTRO_SUFFIX, **self.text("text", step.intro),
                             "type": "display"})
        children += [self.item(item, None) for item in step.items]
        group["item"] = children
        self.branching(group, step.shown_when, None)
        return group

    def item(self, item: Item, group: Item | None) -> dict[str, Any]:
        link_id = fc.field_link_id(group.id, item.id) if group else item.id
        extensions: list[dict[str, Any]] = [{"url": fc.EXT_ITEM_TYPE, "valueCode": item.type}]
        out: dict[str, Any] = {"extension": extensions, "linkId": link_id,
                               **self.text("text", item.label), "type": fc.FHIR_TYPES[item.type]}
        extensions += self.bounds(item)
        if item.pattern is not None:
            extensions.append({"url": fc.REGEX, "valueString": item.pattern})
        properties = self.properties(item)
        if properties:
            extensions.append({"url": fc.EXT_PROPERTIES, "valueString": _json(properties)})
        if item.required:
            out["required"] = True
        if item.type in ("group", "multi_choice"):
            out["repeats"] = True
        if item.max_length is not None:
            out["maxLength"] = item.max_length
        if item.choices:
            out["answerOption"] = [self.option(link_id, item, choice) for choice in item.choices]
        self.branching(out, item.shown_when, group)
        children = []
        if item.help is not None:
            children.append({
                "extension": [{"url": fc.ITEM_CONTROL, "valueCodeableConcept": {"coding": [
                    {"system": fc.ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}]}}],
                "linkId": link_id + fc.HELP_SUFFIX, **self.text("text", item.help), "type": "display"})
        children += [self.item(sub, item) for sub in item.items]
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
        return found

    def option(self, link_id: str, item: Item, choice: Choice) -> dict[str, Any]:
        option: dict[str, Any] = {"valueCoding": self.coding(link_id, item, choice.code)}
        extensions = []
        if choice.exclusive:
            extensions.append({"url": fc.OPTION_EXCLUSIVE, "valueBoolean": True})
        if item.ordinal:
            extensions.append({"url": fc.ORDINAL_VALUE, "valueDecimal": int(choice.code)})
        if choice.attrs:
            extensions.append({"url": fc.EXT_CHOICE_ATTRS, "valueString": _json(dict(choice.attrs))})
        if extensions:
            option["extension"] = extensions
        return option

    def coding(self, link_id: str, item: Item, code: str, with_display: bool = True) -> dict[str, Any]:
        coding: dict[str, Any] = {"system": fc.code_system(self.q.id, link_id),
                                  "version": self.q.version, "code": code}
        choice = item.choice(code)
        if with_display and choice is not None:
            coding.update(self.text("display", choice.label))
        return coding

    def branching(self, out: dict[str, Any], shown_when: Any, group: Item | None) -> None:
        if shown_when is None:
            return

        def resolve(name: str) -> tuple[str, Item] | None:
            if group is not None and group.field(name) is not None:
                return fc.field_link_id(group.id, name), group.field(name)
            if name in self.q.items_by_id:
                return name, self.q.item(name)
            return None

        translated = enable_when(shown_when, resolve,
                                 lambda link_id, item, code: self.coding(link_id, item, code, False))
        if translated is None:
            out.setdefault("extension", []).append(
                {"url": fc.EXT_SHOWN_WHEN, "valueString": shown_when.text})
            return
        conditions, behavior = translated
        out["enableWhen"] = conditions
        if behavior is not None:
            out["enableBehavior"] = behavior


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
