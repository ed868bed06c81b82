"""QuestionnaireResponse -> flat answers for the store, and what the response asks of the import.

`answers_from_questionnaire_response` is the inverse of `fhir_response`'s export: answer
paths for the store, group rows numbered 0, 1, ... in the order they appear. The
response may use our ids or, for a questionnaire converted from another system, that
system's (linkIds, codings, answer types, canonical: `fhir_source`). An item's
`draft-answer` extension (what a draft held that was not valid yet) comes back as that
answer. What the response says about itself (`response_setting`): its `language`, when
the questionnaire has it, the day of `authored`, the day its answers are to be judged on,
and what its `status` asks of the import (`IMPORT_STATUSES`): `in-progress` stays a
draft even when complete, `completed`/`amended` is submitted when complete and valid,
`stopped` is stored and then withdrawn, `entered-in-error` is refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.answers import row_path
from screening_app.engine.definition import Item, Questionnaire
from screening_app.i18n import tr

from . import fhir_common as fc
from . import fhir_source as fs

CHOICE_TYPES = ("single_choice", "multi_choice", "yes_no", "yes_no_unsure")


class ResponseImportError(ValueError):
    """The resource is not a QuestionnaireResponse for this questionnaire, or is malformed."""


def answers_from_questionnaire_response(q: Questionnaire, resource: Any) -> dict[str, Any]:
    """Flat answers (`path -> value`) from a QuestionnaireResponse for questionnaire `q`."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
        raise ResponseImportError("not a FHIR QuestionnaireResponse")
    canonical = resource.get("questionnaire")
    if canonical is not None:
        url, _, version = str(canonical).partition("|")
        accepted = {(fc.canonical_url(q.id), q.version), tuple(fs.canonical(q).partition("|")[::2])}
        if not any(url == known and (not version or not known_version or version == known_version)
                   for known, known_version in accepted):
            raise ResponseImportError(f"the response is for {canonical}, not for {fs.canonical(q)}")
    reader = _Reader(q)
    reader.items(resource.get("item") or [], None)
    if reader.unknown:
        raise ResponseImportError("unknown items: " + ", ".join(sorted(set(reader.unknown))))
    return reader.answers


@dataclass(frozen=True)
class ImportStatus:
    """What the import does with a response of one FHIR status."""

    submit: bool    # submit it when its answers are complete and valid (else it stays a draft)
    withdraw: bool  # withdraw it once stored


IMPORT_STATUSES = {
    "in-progress": ImportStatus(submit=False, withdraw=False),
    "completed": ImportStatus(submit=True, withdraw=False),
    "amended": ImportStatus(submit=True, withdraw=False),
    "stopped": ImportStatus(submit=False, withdraw=True),
}


@dataclass(frozen=True)
class ResponseSetting:
    lang: str | None  # one of the questionnaire's languages, or None when it says none of them
    day: date | None  # the day of `authored`, or None when absent or not a date
    status: str       # the response's FHIR status, one of IMPORT_STATUSES

    @property
    def submit(self) -> bool:
        return IMPORT_STATUSES[self.status].submit

    @property
    def withdraw(self) -> bool:
        return IMPORT_STATUSES[self.status].withdraw


def response_setting(q: Questionnaire, resource: Mapping[str, Any]) -> ResponseSetting:
    """The language (`es`, also from `es-CO`), the answering day and the status a response
    states; ResponseImportError for a response entered in error or without a valid status."""
    status = resource.get("status")
    if status == "entered-in-error":
        raise ResponseImportError(tr("en", "interop.import.entered_in_error"))
    if not isinstance(status, str) or status not in IMPORT_STATUSES:  # a list or object too
        raise ResponseImportError(tr("en", "interop.import.bad_status", status=_brief(status),
                                     statuses=", ".join(IMPORT_STATUSES)))
    language = str(resource.get("language") or "").split("-")[0].lower()
    authored = str(resource.get("authored") or "")
    try:
        day = date.fromisoformat(authored[:10]) if len(authored) >= 10 else None
    except ValueError:
        day = None
    return ResponseSetting(language if language in q.languages else None, day, status)


def _brief(value: Any) -> str:
    """A value from the file, quoted as JSON and cut short (it may be anything, of any size)."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."


def withdrawal_reason(resource: Mapping[str, Any], lang: str) -> str:
    """The audited reason for withdrawing an imported `stopped` response, naming the import."""
    identifier = resource.get("identifier")
    names = [str(resource["id"])] if resource.get("id") else []
    if isinstance(identifier, Mapping) and identifier.get("value"):
        names.append(f"{identifier.get('system') or ''}|{identifier['value']}".lstrip("|"))
    if names:
        return tr(lang, "interop.import.withdrawn_reason_named", response=", ".join(names))
    return tr(lang, "interop.import.withdrawn_reason")


def import_outcome(setting: ResponseSetting, stored_status: str) -> str:
    """What the import did with a response of this status, for the command's output line."""
    if setting.status in ("completed", "amended") and stored_status == "draft":
        return tr("en", "interop.import.outcome.incomplete", status=setting.status)
    return tr("en", "interop.import.outcome", status=setting.status,
              outcome=tr("en", f"interop.import.outcome.{stored_status}"))


class _Reader:
    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.index = fs.ResponseIndex(q)
        self.answers: dict[str, Any] = {}
        self.unknown: list[str] = []
        self.rows: dict[str, int] = {}

    def items(self, elements: Sequence[Any], group: Item | None, row: int | None = None) -> None:
        for element in elements:
            if not isinstance(element, Mapping):
                raise ResponseImportError("an item is not a JSON object")
            link_id = str(element.get("linkId"))
            if group is None and link_id in self.index.steps:
                self.no_answer(element, link_id)
                self.items(element.get("item") or [], None)
            elif group is None and link_id in self.index.items:
                item = self.index.items[link_id]
                if item.type == "group":
                    self.no_answer(element, link_id)
                    number = self.rows.get(item.id, 0)
                    self.rows[item.id] = number + 1
                    self.answers[row_path(item.id, number)] = True
                    self.items(element.get("item") or [], item, number)
                else:
                    self.value(item, None, link_id, item.id, element)
            elif group is not None and (sub := self.index.field(group, link_id)) is not None:
                self.value(sub, group, link_id, row_path(group.id, row, sub.id), element)
            else:
                self.unknown.append(link_id)

    def no_answer(self, element: Mapping[str, Any], link_id: str) -> None:
        if element.get("answer"):
            raise ResponseImportError(f"{link_id} is a group and cannot have answers")

    def value(self, item: Item, group: Item | None, link_id: str, path: str,
              element: Mapping[str, Any]) -> None:
        if element.get("item"):
            raise ResponseImportError(f"{link_id}: nested items under a question are not supported")
        values = []
        for answer in element.get("answer") or []:
            if not isinstance(answer, Mapping) or answer.get("item"):
                raise ResponseImportError(f"{link_id}: an answer must be one value without nested items")
            values.append(self.one(item, group, link_id, answer))
        draft = fc.extension_value(element, fc.EXT_DRAFT_ANSWER)
        if isinstance(draft, str) and not values:
            self.answers[path] = draft  # typed in a draft, not valid yet (see fhir_response)
        elif not values:
            return
        elif item.type == "multi_choice":
            self.answers[path] = values
        elif len(values) == 1:
            self.answers[path] = values[0]
        else:
            raise ResponseImportError(f"{link_id} takes one answer, not {len(values)}")

    def one(self, item: Item, group: Item | None, link_id: str, answer: Mapping[str, Any]) -> Any:
        present = [(k, v) for k, v in answer.items() if k.startswith("value")]
        if len(present) != 1:
            raise ResponseImportError(f"{link_id}: an answer needs exactly one value[x]")
        kind, value = present[0]
        if item.type in CHOICE_TYPES and kind in ("valueCoding", "valueString", "valueInteger",
                                                  "valueBoolean"):
            code = self.index.code(item, group, kind[len("value"):], value)
            if code is not None:
                return code
            if kind == "valueCoding" and isinstance(value, Mapping):
                system = value.get("system")
                if system not in self.index.systems(item, group):
                    expected = fc.code_system(self.q.id, fs.item_path(item, group))
                    raise ResponseImportError(f"{link_id}: code system {system} is not {expected}")
                return value.get("code")  # not one of the item's codes: validation says so
        if kind == "valueBoolean" and item.type in ("yes_no", "yes_no_unsure"):
            return "yes" if value is True else "no"
        if kind == "valueAttachment" and isinstance(value, Mapping):
            signature = {"png": value.get("data")}
            if value.get("creation"):
                signature["signed_at"] = value["creation"]
            return signature
        if kind == "valueQuantity" and isinstance(value, Mapping):
            return value.get("value")
        if kind == "valueDateTime" and isinstance(value, str):
            return value[:10]  # the app asks for a date
        if kind in ("valueString", "valueInteger", "valueDecimal", "valueDate", "valueBoolean",
                    "valueUri"):
            return value
        raise ResponseImportError(f"{link_id}: {kind} is not an answer type of this questionnaire")
