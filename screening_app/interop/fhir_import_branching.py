"""Branching for the FHIR import: `enableWhen`/`enableBehavior` -> `shown_when`.

A mixin of `fhir_import._Importer` (split off to keep each module about one thing); it
relies on the importer's state and helpers (`refs`, `pending`, `note`, `code_of`). An
item's condition is worked out once every item is converted (`_Pending`), since an
enableWhen may name a question that comes after it; the translation itself is
`fhir_conditions.expression_text`.

A pragmatic reading is said, never made silently: an `answerString "2"` or
`answerInteger 2` compared with a question whose options are codings (the HL7 SDC
"Enable When" test form does both) is read as the option with code `2`, and a note names
the item, the condition and what was assumed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fhir_common as fc
from .fhir_conditions import ConditionError, Target, expression_text
from .fhir_import_items import Ref

ENABLE_WHEN_EXPRESSION = ("http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                          "sdc-questionnaire-enableWhenExpression")
# answer[x] -> the answerOption value[x] it matches exactly (any other is a reading).
SAME_KIND = {"answerString": "valueString", "answerInteger": "valueInteger"}
KIND_WORDS = {"valueCoding": "codings", "valueString": "texts", "valueInteger": "whole numbers",
              "valueDate": "dates", "valueTime": "times"}
# Key order of the definition format: shown_when right after required/help.
ORDER = ["#", "id", "type", "title", "label", "attrs", "intro", "help", "required", "shown_when"]


@dataclass
class _Pending:
    """A converted item or step whose `shown_when` is worked out once every item is known."""

    target: dict[str, Any]
    fhir: Mapping[str, Any]
    group: str | None  # the repeating group whose row it stands in, or None


class Branching:
    """enableWhen of the converted items and steps (see fhir_import for the whole)."""

    refs: dict[str, Ref]
    pending: list[_Pending]

    def has_branching(self, element: Mapping[str, Any]) -> bool:
        return bool(element.get("enableWhen")) or fc.extension(element, fc.EXT_SHOWN_WHEN) is not None \
            or fc.extension(element, ENABLE_WHEN_EXPRESSION) is not None

    def branching(self, pending: _Pending) -> None:
        condition = self.condition(pending.fhir, pending.group)
        if not condition:
            return
        target = pending.target
        target["shown_when"] = condition
        reordered = {k: target[k] for k in ORDER if k in target}
        reordered.update({k: v for k, v in target.items() if k not in reordered})
        target.clear()
        target.update(reordered)

    def condition(self, element: Mapping[str, Any], group: str | None) -> str | None:
        link_id = str(element.get("linkId", "?"))
        ours = fc.extension_value(element, fc.EXT_SHOWN_WHEN)
        if isinstance(ours, str):
            return ours
        if fc.extension(element, ENABLE_WHEN_EXPRESSION):
            self.note(f"enableWhenExpression (FHIRPath) of {link_id} is not supported; that condition "
                      "is left out, so the item shows more often")
        conditions = element.get("enableWhen") or []
        if not conditions:
            return None

        def target(question: str) -> Target | None:
            ref = self.refs.get(question)
            if ref is None or (ref.group is not None and ref.group != group):
                return None
            return Target(ref.id, ref.type, ref.ordinal,
                          lambda value: self.option_for(link_id, question, ref, value))

        try:
            return expression_text(list(conditions), element.get("enableBehavior"), target)
        except ConditionError as error:
            self.note(f"enableWhen of {link_id} cannot be converted ({error}); that condition is left "
                      "out, so the item shows more often")
            return None

    def option_for(self, link_id: str, question: str, ref: Ref, value: dict[str, Any]) -> str | None:
        """The app code of the option an enableWhen answer names; a text or a number
        compared with options of another kind is read as the option with that code, and said."""
        code = self.code_of(ref, value)
        kind, answer = next(iter(value.items()))
        source = ref.kinds.get(code) if code is not None else None
        if kind in SAME_KIND and source is not None and source != SAME_KIND[kind]:
            self.note(f"enableWhen of {link_id}: its condition on {question} is {kind} {fc.quoted(answer)}, "
                      f"but the options of {question} are {KIND_WORDS[source]} ({source}), not "
                      f"{KIND_WORDS[SAME_KIND[kind]]}: read as its option with code "
                      f"{fc.quoted(str(answer))}")
        return code
