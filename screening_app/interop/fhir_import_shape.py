"""The shape of what `import-definition` reads, checked before it reads it.

A Questionnaire from another system may hold anything JSON can: `"required": "yes"`,
`"item": {}`, an enableWhen whose `question` is a list. Rather than trust every element at
the place it is read (and meet a TypeError deep in the converter), each element the
converter reads is checked here against the JSON kind FHIR R4 gives it; one of the wrong
kind is taken out of a copy of the resource and named in the notes ("left out: not a
boolean"), so the conversion goes on with what is sound and says what it dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Note = Callable[[str], None]

TEXT, FLAG, WHOLE, LIST, OBJECT = "text", "boolean", "whole number", "list", "object"
NUMBER = "number"
_KINDS: dict[str, Callable[[Any], bool]] = {
    TEXT: lambda v: isinstance(v, str),
    FLAG: lambda v: isinstance(v, bool),
    WHOLE: lambda v: isinstance(v, int) and not isinstance(v, bool),
    NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    LIST: lambda v: isinstance(v, list),
    OBJECT: lambda v: isinstance(v, Mapping),
}
# The elements the converter reads, by where they stand, and the JSON kind of each.
DOCUMENT = {"id": TEXT, "language": TEXT, "url": TEXT, "version": TEXT, "title": TEXT, "name": TEXT,
            "description": TEXT, "publisher": TEXT, "copyright": TEXT, "item": LIST,
            "contained": LIST, "extension": LIST, "code": LIST, "identifier": LIST,
            "subjectType": LIST, "_title": OBJECT, "_description": OBJECT}
ITEM = {"linkId": TEXT, "type": TEXT, "text": TEXT, "prefix": TEXT, "required": FLAG,
        "repeats": FLAG, "readOnly": FLAG, "maxLength": WHOLE, "answerValueSet": TEXT,
        "answerOption": LIST, "enableWhen": LIST, "enableBehavior": TEXT, "extension": LIST,
        "item": LIST, "code": LIST, "initial": LIST, "definition": TEXT, "_text": OBJECT,
        "_prefix": OBJECT}
OPTION = {"valueCoding": OBJECT, "valueString": TEXT, "valueInteger": WHOLE, "valueDate": TEXT,
          "valueTime": TEXT, "extension": LIST, "initialSelected": FLAG}
CODING = {"system": TEXT, "version": TEXT, "code": TEXT, "display": TEXT, "_display": OBJECT}
CONDITION = {"question": TEXT, "operator": TEXT, "answerBoolean": FLAG, "answerDecimal": NUMBER,
             "answerInteger": WHOLE, "answerDate": TEXT, "answerDateTime": TEXT, "answerTime": TEXT,
             "answerString": TEXT, "answerCoding": OBJECT, "answerQuantity": OBJECT,
             "answerReference": OBJECT}
EXTENSION = {"url": TEXT, "extension": LIST}
VALUE_SET = {"id": TEXT, "name": TEXT, "title": TEXT, "compose": OBJECT, "expansion": OBJECT}


def sound_copy(resource: Mapping[str, Any], note: Note) -> dict[str, Any]:
    """A copy of `resource` with every element of the wrong kind left out (and noted)."""
    document = _checked(resource, DOCUMENT, "Questionnaire", note)
    document["extension"] = _extensions(document.get("extension"), "Questionnaire", note)
    document["contained"] = [_contained(c, note) for c in _objects(document.get("contained"),
                                                                   "Questionnaire.contained", note)]
    document["code"] = [_checked(c, CODING, "Questionnaire.code", note)
                        for c in _objects(document.get("code"), "Questionnaire.code", note)]
    document["item"] = _items(document.get("item"), "Questionnaire.item", note)
    return {k: v for k, v in document.items() if v != [] or k in resource}


def _items(raw: Any, where: str, note: Note) -> list[dict[str, Any]]:
    items = []
    for element in _objects(raw, where, note):
        item = _checked(element, ITEM, where, note)
        label = f"{where} {item['linkId']}" if "linkId" in item else where
        for key, shape in (("answerOption", OPTION), ("enableWhen", CONDITION)):
            if key in item:
                item[key] = [_option_or_condition(o, shape, f"{label}.{key}", note)
                             for o in _objects(item[key], f"{label}.{key}", note)]
        if "code" in item:
            item["code"] = [_checked(c, CODING, f"{label}.code", note)
                            for c in _objects(item["code"], f"{label}.code", note)]
        if "extension" in item:
            item["extension"] = _extensions(item["extension"], label, note)
        if "item" in item:
            item["item"] = _items(item["item"], f"{label}.item", note)
        items.append(item)
    return items


def _option_or_condition(raw: Mapping[str, Any], shape: dict[str, str], where: str,
                         note: Note) -> dict[str, Any]:
    checked = _checked(raw, shape, where, note)
    for key in ("valueCoding", "answerCoding"):
        if key in checked:
            checked[key] = _checked(checked[key], CODING, f"{where}.{key}", note)
    if "extension" in checked:
        checked["extension"] = _extensions(checked["extension"], where, note)
    return checked


def _contained(raw: Mapping[str, Any], note: Note) -> dict[str, Any]:
    if raw.get("resourceType") != "ValueSet":
        return dict(raw)  # not read: listed as not kept by the walk
    checked = _checked(raw, VALUE_SET, "contained ValueSet", note)
    for part, key in (("compose", "include"), ("expansion", "contains")):
        if part in checked:
            entries = _objects(checked[part].get(key), f"contained ValueSet.{part}.{key}", note)
            if part == "compose":
                entries = [{**e, "concept": [_checked(c, CODING, "contained ValueSet concept", note)
                                             for c in _objects(e.get("concept"), "concept", note)]}
                           for e in (_checked(e, {"system": TEXT}, "include", note) for e in entries)]
            else:
                entries = [_checked(e, CODING, "contained ValueSet expansion", note) for e in entries]
            checked[part] = {**checked[part], key: entries}
    return checked


def _extensions(raw: Any, where: str, note: Note) -> list[dict[str, Any]]:
    return [_checked(e, EXTENSION, f"an extension of {where}", note)
            for e in _objects(raw, f"the extensions of {where}", note)
            if isinstance(e.get("url"), str) or _dropped(note, f"an extension of {where} without a url")]


def _objects(raw: Any, where: str, note: Note) -> list[Mapping[str, Any]]:
    """The JSON objects of a list; anything else in it (or a non-list) is left out."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        note(f"{where} is not a list; left out")
        return []
    kept = [entry for entry in raw if isinstance(entry, Mapping)]
    if len(kept) != len(raw):
        note(f"{where} holds {len(raw) - len(kept)} entries that are not JSON objects; left out")
    return kept


def _checked(raw: Mapping[str, Any], shape: dict[str, str], where: str, note: Note) -> dict[str, Any]:
    out = {}
    for key, value in raw.items():
        kind = shape.get(key)
        if kind is not None and not _KINDS[kind](value):
            note(f"{where}.{key} is not a {kind}; left out")
            continue
        out[key] = value
    return out


def _dropped(note: Note, message: str) -> bool:
    note(message + "; left out")
    return False
