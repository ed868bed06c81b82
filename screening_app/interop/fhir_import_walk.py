"""What a FHIR Questionnaire holds that `import-definition` does not carry over, found generically.

The converter reads a known set of elements; this walk compares every element present in
the resource (the Questionnaire, each converted item, its answer options and their
codings, and the `_text`-style extensions of texts) against those sets, so anything else
is listed rather than dropped silently: a new element in a source shows up in the notes
without anyone having to think of it. Extensions proper are checked where they are read
(`fhir_import.check_extensions`); this walk covers the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import fhir_common as fc

# Read by the converter, or made by our own export from what the definition holds.
QUESTIONNAIRE_KEYS = frozenset({
    "resourceType", "id", "language", "url", "version", "title", "description", "item",
    "contained", "extension", "code", "identifier", "publisher", "copyright",
})
OURS_ONLY_KEYS = frozenset({"name", "status", "subjectType", "derivedFrom"})  # derived on export
ITEM_KEYS = frozenset({
    "linkId", "type", "text", "prefix", "required", "repeats", "answerOption", "answerValueSet",
    "enableWhen", "enableBehavior", "extension", "item", "maxLength", "code",
    # listed where they are met (left out with a reason of their own)
    "readOnly", "initial", "definition",
})
OPTION_KEYS = frozenset({"valueCoding", "valueString", "valueInteger", "valueDate", "valueTime",
                         "valueReference", "extension", "initialSelected"})
CODING_KEYS = frozenset({"system", "code", "display"})
# Texts whose `_key` element may carry translations (any other extension there is listed).
TEXT_KEYS = frozenset({"title", "description", "text", "display"})

Note = Callable[[str, str | None], None]  # (what, on which linkId or None for the document)


def walk_questionnaire(resource: Mapping[str, Any], ours: bool, used: set[str],
                       converted: Callable[[str], bool], note: Note) -> None:
    """Report every element not carried over. `used`: top-level keys the importer used
    beyond the usual ones (e.g. `name` as the title); `converted(linkId)`: whether an item
    was converted (the children of an item left out are not walked: it is listed whole)."""
    known = QUESTIONNAIRE_KEYS | used | (OURS_ONLY_KEYS if ours else frozenset())
    for key, value in resource.items():
        if key.startswith("_"):
            _primitive(key, value, "Questionnaire", None, note)
        elif key == "meta" and isinstance(value, Mapping):
            for part, content in value.items() if not ours else ():  # ours: the app's version
                note(f"Questionnaire.meta.{part} {_brief(content)} is not kept", None)
        elif key == "contained":
            for entry in value if isinstance(value, list) else []:
                if isinstance(entry, Mapping) and entry.get("resourceType") != "ValueSet":
                    note(f"contained {entry.get('resourceType')} {fc.quoted(entry.get('id'))} is not kept",
                         None)
        elif key in ("code", "identifier") and isinstance(value, list) and len(value) > 1:
            note(f"Questionnaire.{key} after the first {_brief(value[1:])} is not kept", None)
        elif key not in known:
            note(f"Questionnaire.{key} {_brief(value)} is not kept", None)
    _items(resource.get("item") or [], ours, converted, note)


def _items(items: list[Any], ours: bool, converted: Callable[[str], bool], note: Note) -> None:
    for element in items:
        if not isinstance(element, Mapping):
            continue
        link_id = str(element.get("linkId", "?"))
        if not converted(link_id):
            continue
        for key, value in element.items():
            if key.startswith("_"):
                _primitive(key, value, "Questionnaire.item", link_id, note)
            elif key == "code" and isinstance(value, list) and len(value) > 1:
                note("Questionnaire.item.code after the first is not kept", link_id)
            elif key not in ITEM_KEYS:
                note(f"Questionnaire.item.{key} is not kept", link_id)
        for option in element.get("answerOption") or []:
            if isinstance(option, Mapping):
                _option(option, ours, link_id, note)
        _items(element.get("item") or [], ours, converted, note)


def _option(option: Mapping[str, Any], ours: bool, link_id: str, note: Note) -> None:
    for key, value in option.items():
        if key.startswith("_"):
            _primitive(key, value, "Questionnaire.item.answerOption", link_id, note)
        elif key not in OPTION_KEYS:
            note(f"Questionnaire.item.answerOption.{key} is not kept", link_id)
    coding = option.get("valueCoding")
    if not isinstance(coding, Mapping):
        return
    known = CODING_KEYS | ({"version"} if ours else frozenset())  # ours: the questionnaire's
    for key, value in coding.items():
        if key.startswith("_"):
            _primitive(key, value, "Questionnaire.item.answerOption.valueCoding", link_id, note)
        elif key not in known:
            note(f"Questionnaire.item.answerOption.valueCoding.{key} is not kept", link_id)


def _primitive(key: str, value: Any, where: str, link_id: str | None, note: Note) -> None:
    """A primitive's `_key` element: translations of a text are read; nothing else is."""
    if key[1:] not in TEXT_KEYS or not isinstance(value, Mapping):
        note(f"{where}.{key} is not kept", link_id)
        return
    for part, content in value.items():
        if part != "extension":
            note(f"{where}.{key}.{part} is not kept", link_id)
            continue
        for ext in content if isinstance(content, list) else []:
            url = ext.get("url") if isinstance(ext, Mapping) else None
            if url != fc.TRANSLATION:
                note(f"extension {url} in `{key}` is not supported and was left out", link_id)


def _brief(value: Any) -> str:
    return f"({fc.quoted(value, limit=80)})"
