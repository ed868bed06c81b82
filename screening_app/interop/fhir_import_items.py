"""Item details for the FHIR import: types, properties, answer options, value sets, codes,
what names an item without text, and the source ids an item keeps.

A mixin of `fhir_import._Importer` (split off to keep each module about one thing); it
relies on the importer's helpers (`note`, `text`, `keep_text`, `new_id`, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from screening_app.engine.definition import ITEM_TYPES
from screening_app.engine.loader import BUILTIN_CHOICES, BUILTIN_CODES

from . import fhir_common as fc
from . import fhir_source as fs

_CODE = re.compile(r"[a-z0-9_]+\Z")
GENERIC_PATTERN_MESSAGE = "Please check the format of this answer."
# FHIR item type -> app type (choice types are decided by `repeats`).
APP_TYPES = {"string": "text", "text": "long_text", "url": "text", "integer": "integer",
             "decimal": "decimal", "quantity": "decimal", "date": "date", "dateTime": "date",
             "boolean": "yes_no", "display": "info"}
TYPE_NOTES = {
    "url": "converted to a text item (no URL check)",
    "quantity": "converted to a decimal item (the unit is not kept)",
    "dateTime": "converted to a date item (the time of day is not asked)",
    "open-choice": "converted to a choice item (the free-text 'other' answer is not supported)",
}


OPTION_TYPES = ("string", "integer", "date", "time")  # answerOption makes them choices


@dataclass
class Ref:
    """A converted item, for resolving enableWhen questions that point at it."""

    id: str
    type: str
    group: str | None
    ordinal: bool = False
    codes: dict[tuple[str | None, str], str] = field(default_factory=dict)  # (system, code) -> code
    kinds: dict[str, str] = field(default_factory=dict)  # app code -> its option's value[x] in the source


class ItemDetails:
    """Properties and choices of one converted item (see fhir_import for the whole)."""

    ours: bool
    lang: str
    texts: list[dict[str, str]]
    contained: dict[Any, Mapping[str, Any]]
    repeated: dict[str, int]  # linkIds the source gives more than one item
    renamed: dict[str, list[str]]

    def app_properties(self, element: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON of our `item-properties` extension (our own exports), or {}."""
        raw = fc.extension_value(element, fc.EXT_PROPERTIES)
        try:
            ours = json.loads(raw) if isinstance(raw, str) else {}
        except json.JSONDecodeError:
            ours = {}
            self.note(f"the app properties of {element.get('linkId')} are not valid JSON and were left out")
        return ours if isinstance(ours, dict) else {}

    def app_type(self, element: Mapping[str, Any]) -> str | None:
        link_id = str(element.get("linkId", "?"))
        declared = fc.extension_value(element, fc.EXT_ITEM_TYPE)
        if declared in ITEM_TYPES:
            return declared
        kind = element.get("type")
        listed = element.get("answerOption") or element.get("answerValueSet")
        if kind in ("choice", "open-choice") or (kind in OPTION_TYPES and listed):
            # R4 allows options on string, integer, date and time items too (the SDC
            # Cardiology form's check boxes): the answer is one of them, so a choice.
            mapped = "multi_choice" if element.get("repeats") else "single_choice"
        elif kind == "group":
            mapped = "group"
        else:
            mapped = APP_TYPES.get(kind)
        if mapped is None:
            self.note(f"item {link_id} of type `{kind}` has no equivalent in the app and was left out")
            return None
        if kind in TYPE_NOTES:
            self.note(f"item {link_id} (`{kind}`) {TYPE_NOTES[kind]}")
        if element.get("repeats") and kind not in ("choice", "open-choice", "group") \
                and mapped not in ("single_choice", "multi_choice"):
            self.note(f"item {link_id} repeats; the app asks for one answer")
        return mapped

    def is_help(self, element: Mapping[str, Any]) -> bool:
        control = fc.extension_value(element, fc.ITEM_CONTROL) or {}
        codes = {c.get("code") for c in control.get("coding") or [] if isinstance(c, Mapping)}
        return element.get("type") == "display" and "help" in codes

    def name_of(self, element: Mapping[str, Any]) -> tuple[str, str] | None:
        """Words that name an item without text, and where they come from: its code's
        display, else the title or name of its contained value set; None when it has
        none (its linkId is an internal id, never shown to a patient)."""
        codes = [c for c in element.get("code") or [] if isinstance(c, Mapping)]
        display = next((c["display"] for c in codes if isinstance(c.get("display"), str)
                        and c["display"].strip()), None)
        if display:
            return "its code's display", display
        reference = element.get("answerValueSet")
        value_set = self.contained.get(reference[1:]) if isinstance(reference, str) \
            and reference.startswith("#") else None
        name = next((value_set[k] for k in ("title", "name") if value_set is not None
                     and isinstance(value_set.get(k), str) and value_set[k].strip()), None)
        if name:
            return "the name of its value set", name
        return None

    def source_attrs(self, element: Mapping[str, Any], link_id: str, default_link: str,
                     kind: str | None) -> dict[str, str]:
        """What a foreign item or step had in its source that the exports need (`fhir_source`):
        its linkId (when the app's differs), its code, its type (when not the usual one)."""
        attrs = {"fhir_link_id": link_id} if link_id != default_link else {}
        if link_id in self.repeated:
            if link_id in self.renamed:  # a later item with the linkId: exported as its app id
                self.renamed[link_id].append(default_link)
                attrs = {}
            else:
                self.renamed[link_id] = []
        code = fs.code_attrs(element)
        if "fhir_display" in code and code["fhir_display"] == element.get("text"):
            del code["fhir_display"]  # the same as the label
        attrs.update(code)
        source_type = element.get("type")
        if kind is not None and source_type != fc.FHIR_TYPES.get(kind) \
                and source_type in fs.FHIR_TYPE_OPTIONS.get(kind, ()):
            attrs["fhir_type"] = source_type
        return attrs

    def properties(self, element: Mapping[str, Any], item: dict[str, Any], link_id: str) -> None:
        kind = item["type"]
        ours = self.app_properties(element)
        if ours.get("ordinal"):
            item["ordinal"] = True
        for url, key in ((fc.MIN_VALUE, "min"), (fc.MAX_VALUE, "max")):
            bound = fc.extension_value(element, url)
            if bound is None:
                continue
            if kind in ("integer", "decimal", "year") and isinstance(bound, int | float) \
                    and not isinstance(bound, bool):
                item[key] = bound
            else:
                self.note(f"{key} value {fc.quoted(bound)} of {link_id} is not supported and was left out")
        if "step" in ours:
            item["step"] = ours["step"]
        max_length = element.get("maxLength")
        if max_length is not None:
            if kind in ("text", "long_text"):
                item["max_length"] = max_length
            else:
                self.note(f"maxLength of {link_id} applies only to text in the app and was left out")
        pattern = fc.extension_value(element, fc.REGEX)
        if isinstance(pattern, str):
            if kind == "text":
                item["pattern"] = pattern
                message = ours.get("pattern_message")
                if message:
                    item["pattern_message"] = self.keep_text(message)
                else:
                    item["pattern_message"] = self.keep_text({self.lang: GENERIC_PATTERN_MESSAGE})
                    self.note(f"{link_id} has a regex but no message; a generic English message was used")
            else:
                self.note(f"regex of {link_id} applies only to text in the app and was left out")
        if ours.get("precision"):
            item["precision"] = ours["precision"]
        if ours.get("not_future"):
            item["not_future"] = True
        if ours.get("identifier") is True:  # our own mark: FHIR has no standard one
            if kind in ("group", "info"):
                self.note(f"the identifier mark of {link_id} applies only to questions and was left out")
            else:
                item["identifier"] = True
        if ours.get("prefill"):
            item["prefill"] = ours["prefill"]
        if ours.get("row_label"):
            item["row_label"] = ours["row_label"]
        if ours.get("checks"):
            item["checks"] = [{"id": c.get("id"), "severity": c.get("severity"), "when": c.get("when"),
                               "message": self.keep_text(c.get("message") or {})}
                              for c in ours["checks"] if isinstance(c, Mapping)]

    def note_item_elements(self, element: Mapping[str, Any], item: dict[str, Any], link_id: str) -> None:
        allowed = {fc.ITEM_CONTROL} if self.is_help(element) else set()
        self.check_extensions(element, link_id, allowed)
        for option in element.get("answerOption") or []:
            if isinstance(option, Mapping):
                self.check_extensions(option, link_id)
                if option.get("initialSelected"):
                    self.note(f"initialSelected on {link_id} is not supported and was left out")
        if element.get("initial"):
            self.note(f"initial answer of {link_id} is not supported and was left out")
        if element.get("definition"):
            self.note(f"definition {element['definition']} of {link_id} is not kept")

    def choices(self, element: Mapping[str, Any], item: dict[str, Any], link_id: str) -> None:
        options = self.options(element, link_id)
        if element.get("type") == "boolean":  # a yes/no question (true/false in FHIR)
            item["_codes"] = {(None, "true"): "yes", (None, "false"): "no"}
            return
        if not options:
            if item["type"] in BUILTIN_CODES:
                return
            self.note(f"choice item {link_id} has no answer options that could be read; it was "
                      "converted to a text item")
            item["type"] = "text"
            return
        codes: dict[tuple[str | None, str], str] = {}
        kinds: dict[str, str] = {}
        choices = []
        taken: set[str] = set()
        for option in options:
            coding = option["coding"]
            raw = str(coding.get("code"))
            ours = fc.extension_value(option["option"], fc.EXT_CHOICE_CODE)
            if isinstance(ours, str) and _CODE.match(ours) and ours not in taken:
                code = ours
            else:
                code = raw if _CODE.match(raw) and raw not in taken else self.new_id(raw, taken, "c_")
                plain = raw if _CODE.match(raw) else self.new_id(raw, set(), "c_")
                if code != plain:  # a duplicate, or codes that differ only in case
                    self.note(f"option {fc.quoted(raw)} of {link_id} is `{code}` in the app: `{plain}` is "
                              "another option's (the same code, or one differing only in case); the source "
                              "code is kept in its attrs")
            taken.add(code)
            codes[(coding.get("system"), raw)] = code
            kinds[code] = next((k for k in option["option"] if k.startswith("value")), "valueCoding")
            label = self.choice_label(option["option"]) or self.text(coding, "display", fallback=raw)
            choice: dict[str, Any] = {"code": code, "label": label}
            exclusive = fc.extension_value(option["option"], fc.OPTION_EXCLUSIVE) is True
            if exclusive and item["type"] == "multi_choice":
                choice["exclusive"] = True
            attrs = self.attrs(option["option"], coding, raw, code, link_id, item)
            if attrs:
                choice["attrs"] = attrs
            choices.append(choice)
        item["_codes"], item["_kinds"] = codes, kinds
        builtin = BUILTIN_CODES.get(item["type"])
        if builtin:
            if tuple(c["code"] for c in choices) != builtin:
                self.note(f"{link_id} is declared {item['type']} but its codes differ; converted to "
                          "single_choice")
                item["type"] = "single_choice"
            elif all(c["label"].get(lang) == BUILTIN_CHOICES[c["code"]].get(lang)
                     for c in choices for lang in c["label"]):
                labels = [c["label"] for c in choices]  # the app's own wording: left to the loader
                self.texts = [t for t in self.texts if all(t is not label for label in labels)]
                return
        item["choices"] = choices

    def attrs(self, option: Mapping[str, Any], coding: Mapping[str, Any], raw: str, code: str,
              link_id: str, item: dict[str, Any]) -> dict[str, str]:
        stored = fc.extension_value(option, fc.EXT_CHOICE_ATTRS)
        if isinstance(stored, str):
            try:
                return {str(k): str(v) for k, v in json.loads(stored).items()}
            except (json.JSONDecodeError, AttributeError):
                self.note(f"the attrs of a choice of {link_id} are not valid JSON and were left out")
        attrs: dict[str, str] = {}
        if not self.ours:  # the source's value, which the exports use (fhir_source)
            if isinstance(option.get("valueString"), str):
                attrs["fhir_string"] = option["valueString"]
            elif isinstance(option.get("valueInteger"), int):
                attrs["fhir_integer"] = str(option["valueInteger"])
            elif isinstance(option.get("valueDate"), str):
                attrs["fhir_date"] = option["valueDate"]
            elif isinstance(option.get("valueTime"), str):
                attrs["fhir_time"] = option["valueTime"]
            else:
                attrs["fhir_code"] = raw
                if coding.get("system"):
                    attrs["fhir_system"] = str(coding["system"])
        ordinal = fc.extension_value(option, fc.ORDINAL_VALUE)
        if ordinal is not None and not item.get("ordinal"):
            attrs["ordinal_value"] = f"{ordinal:g}" if isinstance(ordinal, int | float) else str(ordinal)
        return attrs

    def choice_label(self, option: Mapping[str, Any]) -> dict[str, str] | None:
        """The label our export gave an option that is not a Coding (a source's string)."""
        raw = fc.extension_value(option, fc.EXT_CHOICE_LABEL)
        try:
            label = json.loads(raw) if isinstance(raw, str) else None
        except json.JSONDecodeError:
            label = None
        return self.keep_text(label) if isinstance(label, dict) else None

    def options(self, element: Mapping[str, Any], link_id: str) -> list[dict[str, Any]]:
        found = []
        for option in element.get("answerOption") or []:
            if not isinstance(option, Mapping):
                continue
            if isinstance(option.get("valueCoding"), Mapping):
                coding = option["valueCoding"]
            else:
                value = next((v for k, v in option.items() if k.startswith("value")), None)
                if not isinstance(value, str | int) or isinstance(value, bool):
                    self.note(f"an answer option of {link_id} is not a coding, text or number; left out")
                    continue
                coding = {"code": str(value), "display": str(value)}
            if coding.get("code") is None:
                self.note(f"an answer option of {link_id} has no code; left out")
                continue
            found.append({"option": option, "coding": coding})
        value_set = element.get("answerValueSet")
        if isinstance(value_set, str):
            found += self.value_set(value_set, link_id)
        return found

    def value_set(self, reference: str, link_id: str) -> list[dict[str, Any]]:
        contained = self.contained.get(reference[1:]) if reference.startswith("#") else None
        if contained is None:
            self.note(f"answerValueSet {reference} of {link_id} is not contained in the file, so its "
                      "codes are unknown")
            return []
        found = []
        for include in (contained.get("compose") or {}).get("include") or []:
            for concept in include.get("concept") or []:
                found.append({"option": {}, "coding": {"system": include.get("system"), **concept}})
        if not found:
            for entry in (contained.get("expansion") or {}).get("contains") or []:
                found.append({"option": {}, "coding": entry})
        if not found:
            self.note(f"contained ValueSet {reference} of {link_id} lists no codes (filters are not "
                      "supported)")
        return found

    def code_of(self, ref: Ref, value: dict[str, Any]) -> str | None:
        kind, answer = next(iter(value.items()))
        if kind == "answerCoding" and isinstance(answer, Mapping):
            system, code = answer.get("system"), str(answer.get("code"))
            if (system, code) in ref.codes:
                return ref.codes[(system, code)]
            matches = [app for (s, c), app in ref.codes.items()
                       if c == code and (s is None or system is None)]
            return matches[0] if len(matches) == 1 else None
        if kind == "answerBoolean" and isinstance(answer, bool):
            return ref.codes.get((None, "true" if answer else "false"))
        if kind in ("answerString", "answerInteger") and not isinstance(answer, bool):
            return ref.codes.get((None, str(answer)))
        return None
