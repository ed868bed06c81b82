"""Names and small helpers shared by the FHIR conversions (see docs/interop.md).

Identifiers are URNs in a namespace of our own (`urn:msc-screening:`), never a web address
that could be mistaken for a real organisation's:

- questionnaire canonical  `urn:msc-screening:questionnaire:<id>` (+ `|<version>`)
- code system of a choice  `<canonical>:<item path>`, e.g.
  `urn:msc-screening:questionnaire:msc-ms-onboarding:ms_type` or `...:treatments.drug`;
  the questionnaire version travels in `Coding.version` (codes are stable across versions)
- linkIds                  item id; group field `group.field`; step `step:<id>`;
                           help text `<linkId>/help`; step intro `step:<id>/intro`
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from screening_app.engine.definition import Text
from screening_app.version import app_name_and_version, app_version

NAMESPACE = "urn:msc-screening"
CANONICAL_PREFIX = f"{NAMESPACE}:questionnaire:"
EXT = f"{NAMESPACE}:fhir:extension:"
# Our extensions (their value carries what FHIR has no element for).
EXT_ITEM_TYPE = EXT + "item-type"          # valueCode: the app's item type
EXT_SHOWN_WHEN = EXT + "shown-when"        # valueString: a condition enableWhen cannot express
EXT_PROPERTIES = EXT + "item-properties"   # valueString: JSON of app-only item properties
EXT_CHOICE_ATTRS = EXT + "choice-attrs"    # valueString: JSON of a choice's attrs
EXT_DEFINITION = EXT + "definition"        # valueString: JSON of parameters, computed, rules
EXT_STEP_INTRO = EXT + "step-intro"        # valueBoolean on the display item of a step intro
EXT_CHOICE_CODE = EXT + "choice-code"      # valueCode: the app's code of an option coded as the source's
EXT_CHOICE_LABEL = EXT + "choice-label"    # valueString, JSON: the label of an option that is no Coding
EXT_DRAFT_ANSWER = EXT + "draft-answer"    # valueString on a response item: typed, not valid yet
EXT_SIGNOFF = EXT + "signoff"              # on a response: a check or a clinical review (complex)
EXPRESSION_LANGUAGE = "text/x-msc-screening-expression"

# HL7 extensions (R4 core).
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
OPTION_EXCLUSIVE = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

STEP_PREFIX = "step:"
HELP_SUFFIX = "/help"
INTRO_SUFFIX = "/intro"

# App item type -> FHIR R4 Questionnaire.item.type.
FHIR_TYPES = {
    "text": "string",
    "long_text": "text",
    "email": "string",
    "phone": "string",
    "integer": "integer",
    "year": "integer",
    "decimal": "decimal",
    "date": "date",
    "yes_no": "choice",
    "yes_no_unsure": "choice",
    "single_choice": "choice",
    "multi_choice": "choice",
    "info": "display",
    "group": "group",
    "consent": "boolean",
    "signature": "attachment",
}


def quoted(value: Any, limit: int = 60) -> str:
    """A value from a FHIR file as its JSON says it (`"4"`, `2.1`, `true`, `{"code": "Y"}`),
    for the notes and messages about it: one spelling everywhere, never Python's (`'4'`,
    `True`). Characters that would change what a terminal or an editor shows (controls,
    text-direction overrides) are escaped; a long value is cut short, as it may be anything."""
    text = json.dumps(value, ensure_ascii=False)
    text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")
                   else c for c in text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def canonical_url(questionnaire_id: str) -> str:
    return CANONICAL_PREFIX + questionnaire_id


def questionnaire_id_from_url(url: str | None) -> str | None:
    if isinstance(url, str) and url.startswith(CANONICAL_PREFIX):
        return url[len(CANONICAL_PREFIX):].split("|", 1)[0]
    return None


def code_system(questionnaire_id: str, item_path: str) -> str:
    """The code system of one item's choices (`item_path` is `id` or `group.field`)."""
    return f"{canonical_url(questionnaire_id)}:{item_path}"


def field_link_id(group_id: str, field_id: str) -> str:
    return f"{group_id}.{field_id}"


def step_link_id(step_id: str) -> str:
    return STEP_PREFIX + step_id


def translated(key: str, text: Text, languages: tuple[str, ...]) -> dict[str, Any]:
    """`{key: text, _key: {extension: [translation...]}}` for a text in every language."""
    out: dict[str, Any] = {key: text.get(languages[0])}
    others = [translation(lang, text.get(lang)) for lang in languages[1:]]
    if others:
        out["_" + key] = {"extension": others}
    return out


def translation(lang: str, content: str) -> dict[str, Any]:
    return {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang},
                                              {"url": "content", "valueString": content}]}


def read_translations(element: Any) -> dict[str, str]:
    """The translations held in a primitive's `_key` element: language -> text."""
    found: dict[str, str] = {}
    if not isinstance(element, Mapping):
        return found
    for ext in element.get("extension") or []:
        if not isinstance(ext, Mapping) or ext.get("url") != TRANSLATION:
            continue
        parts = {p.get("url"): p for p in ext.get("extension") or [] if isinstance(p, Mapping)}
        lang = (parts.get("lang") or {}).get("valueCode")
        content = (parts.get("content") or {}).get("valueString")
        if isinstance(lang, str) and isinstance(content, str):
            found[lang] = content
    return found


def extension(element: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    """The first extension of `element` with this url."""
    for ext in element.get("extension") or []:
        if isinstance(ext, Mapping) and ext.get("url") == url:
            return dict(ext)
    return None


def extension_value(element: Mapping[str, Any], url: str) -> Any:
    ext = extension(element, url)
    if ext is None:
        return None
    return next((v for k, v in ext.items() if k.startswith("value")), None)


def lone_surrogate(value: Any, path: str = "") -> str | None:
    """Where (a JSON path such as `item[0].text`) a text of parsed JSON holds a lone UTF-16
    surrogate (`"\\ud800"` is valid JSON but no character: it cannot be written as UTF-8),
    or None when every text is sound. Keys are checked as well as values."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            if _has_surrogate(current):
                return where or "the top level"
        elif isinstance(current, Mapping):
            for key, child in current.items():
                name = f"{where}.{key}" if where else str(key)
                if _has_surrogate(str(key)):
                    return name
                stack.append((child, name))
        elif isinstance(current, list):
            stack.extend((child, f"{where}[{index}]") for index, child in enumerate(current))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def app_meta() -> dict[str, Any]:
    """`meta` of every resource the app writes: which app and version made it."""
    return {"tag": [{"system": f"{NAMESPACE}:app-version", "code": app_version(),
                     "display": app_name_and_version()}]}
