"""A submission <-> FHIR R4 `QuestionnaireResponse` (JSON as plain dicts).

Export: items nested as in the definition (steps as groups, linkIds as in
`fhir_questionnaire`), one repeated group item per group row, answers typed by item type,
choices as codings of the item's code system, the signature as an attachment and the
candidate as a contained Patient referenced from `subject`. Answers that are not
applicable (hidden by branching) are left out, and so are empty steps and empty rows.

Status: draft -> `in-progress`; submitted or reviewed -> `completed`, or `amended` once an
answer was edited after submission; withdrawn -> `stopped`. `authored` is when the answers
last changed: the submission time, the last edit (amended) or the last autosave (drafts).

Import (`answers_from_questionnaire_response`): the inverse, giving flat answer paths for
the store; group rows are numbered 0, 1, ... in the order they appear. What the response
says about itself (`response_setting`): its `language`, when the questionnaire has it, the
day of `authored`, the day its answers are to be judged on, and what its `status` asks of
the import (`IMPORT_STATUSES`): `in-progress` stays a draft even when complete,
`completed`/`amended` is submitted when complete and valid, `stopped` is stored and then
withdrawn, `entered-in-error` is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.answers import is_empty, row_path
from screening_app.definition import Item, Questionnaire
from screening_app.expressions import UNKNOWN
from screening_app.i18n import tr
from screening_app.session import Session
from screening_app.validation import typed_value

from . import fhir_common as fc

STATUS = {"draft": "in-progress", "submitted": "completed", "reviewed": "completed",
          "withdrawn": "stopped"}
PATIENT_ID = "candidate"
_FHIR_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


@dataclass(frozen=True)
class ResponseContext:
    """What the response needs to know about the stored submission."""

    submission_id: int
    status: str                   # the store's status
    lang: str
    authored: str                 # ISO timestamp of the last change of the answers
    amended: bool = False         # an answer was edited after submission
    today: date | None = None     # the day the answers are judged against
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: str | None = None
    phone: str | None = None
    email: str | None = None


class ResponseImportError(ValueError):
    """The resource is not a QuestionnaireResponse for this questionnaire, or is malformed."""


# ---------------------------------------------------------------- export


def questionnaire_response(q: Questionnaire, answers: Mapping[str, Any],
                           context: ResponseContext) -> dict[str, Any]:
    """The submission as a FHIR R4 QuestionnaireResponse resource."""
    session = Session(q, answers, lang=context.lang, today=context.today)
    status = "amended" if context.amended and STATUS[context.status] == "completed" \
        else STATUS[context.status]
    items = [step_item for step in q.steps
             if (step_item := _step(q, session, step, context.lang)) is not None]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"submission-{context.submission_id}",
        "language": context.lang,
        "contained": [_patient(context)],
        "identifier": {"system": f"{fc.NAMESPACE}:submission", "value": str(context.submission_id)},
        "questionnaire": f"{fc.canonical_url(q.id)}|{q.version}",
        "status": status,
        "subject": {"reference": f"#{PATIENT_ID}", "type": "Patient"},
        "authored": context.authored,
    }
    if items:
        resource["item"] = items
    return resource


def _patient(context: ResponseContext) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": PATIENT_ID}
    name: dict[str, Any] = {}
    if context.last_name:
        name["family"] = context.last_name
    if context.first_name:
        name["given"] = [context.first_name]
    if name:
        patient["name"] = [name]
    telecom = [{"system": system, "value": value}
               for system, value in (("phone", context.phone), ("email", context.email)) if value]
    if telecom:
        patient["telecom"] = telecom
    if context.date_of_birth and _FHIR_DATE.match(context.date_of_birth):
        patient["birthDate"] = context.date_of_birth
    return patient


def _step(q: Questionnaire, session: Session, step: Any, lang: str) -> dict[str, Any] | None:
    children: list[dict[str, Any]] = []
    for item in step.items:
        if item.type == "info" or not session.is_applicable(item.id):
            continue
        if item.type == "group":
            children += _rows(q, session, item, lang)
            continue
        answer = _answers(q, item, item.id, session.answers.get(item.id), lang)
        if answer:
            children.append({"linkId": item.id, "text": item.label.get(lang), "answer": answer})
    if not children:
        return None
    return {"linkId": fc.step_link_id(step.id), "text": step.title.get(lang), "item": children}


def _rows(q: Questionnaire, session: Session, group: Item, lang: str) -> list[dict[str, Any]]:
    rows = []
    for number in session.rows(group.id):
        fields = []
        for sub in group.items:
            path = row_path(group.id, number, sub.id)
            if sub.type == "info" or not session.is_applicable(path):
                continue
            link_id = fc.field_link_id(group.id, sub.id)
            answer = _answers(q, sub, link_id, session.answers.get(path), lang)
            if answer:
                fields.append({"linkId": link_id, "text": sub.label.get(lang), "answer": answer})
        if fields:
            rows.append({"linkId": group.id, "text": group.label.get(lang), "item": fields})
    return rows


def _answers(q: Questionnaire, item: Item, link_id: str, value: Any, lang: str) -> list[dict[str, Any]]:
    if is_empty(value):
        return []
    if typed_value(item, value) is UNKNOWN:
        # A draft may hold what a person typed before it was valid: keep it, as text.
        return [{"valueString": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}]
    kind = item.type
    if kind in ("text", "long_text", "email", "phone"):
        return [{"valueString": value}]
    if kind in ("integer", "year"):
        return [{"valueInteger": value}]
    if kind == "decimal":
        return [{"valueDecimal": value}]
    if kind == "date":
        return [{"valueDate": value.strip()}]
    if kind == "consent":
        return [{"valueBoolean": True}]
    if kind == "signature":
        attachment = {"contentType": "image/png", "data": value["png"], "title": "Signature"}
        if isinstance(value.get("signed_at"), str):
            attachment["creation"] = value["signed_at"]
        return [{"valueAttachment": attachment}]
    codes = value if kind == "multi_choice" else [value]
    return [{"valueCoding": {"system": fc.code_system(q.id, link_id), "version": q.version, "code": code,
                             "display": item.choice(code).label.get(lang)}} for code in codes]


# ---------------------------------------------------------------- import


def answers_from_questionnaire_response(q: Questionnaire, resource: Any) -> dict[str, Any]:
    """Flat answers (`path -> value`) from a QuestionnaireResponse for questionnaire `q`."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
        raise ResponseImportError("not a FHIR QuestionnaireResponse")
    canonical = resource.get("questionnaire")
    if canonical is not None:
        url, _, version = str(canonical).partition("|")
        if url != fc.canonical_url(q.id) or (version and version != q.version):
            raise ResponseImportError(
                f"the response is for {canonical}, not for {fc.canonical_url(q.id)}|{q.version}")
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
    if status not in IMPORT_STATUSES:
        raise ResponseImportError(tr("en", "interop.import.bad_status", status=json.dumps(status),
                                     statuses=", ".join(IMPORT_STATUSES)))
    language = str(resource.get("language") or "").split("-")[0].lower()
    authored = str(resource.get("authored") or "")
    try:
        day = date.fromisoformat(authored[:10]) if len(authored) >= 10 else None
    except ValueError:
        day = None
    return ResponseSetting(language if language in q.languages else None, day, status)


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
        self.answers: dict[str, Any] = {}
        self.unknown: list[str] = []
        self.rows: dict[str, int] = {}
        self.steps = {fc.step_link_id(s.id) for s in q.steps}

    def items(self, elements: Sequence[Any], group: Item | None, row: int | None = None) -> None:
        for element in elements:
            if not isinstance(element, Mapping):
                raise ResponseImportError("an item is not a JSON object")
            link_id = str(element.get("linkId"))
            if group is None and link_id in self.steps:
                self.no_answer(element, link_id)
                self.items(element.get("item") or [], None)
            elif group is None and link_id in self.q.items_by_id:
                item = self.q.item(link_id)
                if item.type == "group":
                    self.no_answer(element, link_id)
                    number = self.rows.get(item.id, 0)
                    self.rows[item.id] = number + 1
                    self.answers[row_path(item.id, number)] = True
                    self.items(element.get("item") or [], item, number)
                else:
                    self.value(item, link_id, item.id, element)
            elif group is not None and (sub := self.field(group, link_id)) is not None:
                self.value(sub, link_id, row_path(group.id, row, sub.id), element)
            else:
                self.unknown.append(link_id)

    def field(self, group: Item, link_id: str) -> Item | None:
        prefix = group.id + "."
        return group.field(link_id[len(prefix):]) if link_id.startswith(prefix) else group.field(link_id)

    def no_answer(self, element: Mapping[str, Any], link_id: str) -> None:
        if element.get("answer"):
            raise ResponseImportError(f"{link_id} is a group and cannot have answers")

    def value(self, item: Item, link_id: str, path: str, element: Mapping[str, Any]) -> None:
        if element.get("item"):
            raise ResponseImportError(f"{link_id}: nested items under a question are not supported")
        values = []
        for answer in element.get("answer") or []:
            if not isinstance(answer, Mapping) or answer.get("item"):
                raise ResponseImportError(f"{link_id}: an answer must be one value without nested items")
            values.append(self.one(item, link_id, answer))
        if not values:
            return
        if item.type == "multi_choice":
            self.answers[path] = values
        elif len(values) == 1:
            self.answers[path] = values[0]
        else:
            raise ResponseImportError(f"{link_id} takes one answer, not {len(values)}")

    def one(self, item: Item, link_id: str, answer: Mapping[str, Any]) -> Any:
        present = [(k, v) for k, v in answer.items() if k.startswith("value")]
        if len(present) != 1:
            raise ResponseImportError(f"{link_id}: an answer needs exactly one value[x]")
        kind, value = present[0]
        if kind == "valueCoding" and isinstance(value, Mapping):
            system = value.get("system")
            expected = fc.code_system(self.q.id, link_id)
            if system is not None and system != expected:
                raise ResponseImportError(f"{link_id}: code system {system} is not {expected}")
            return value.get("code")
        if kind == "valueBoolean" and item.type in ("yes_no", "yes_no_unsure"):
            return "yes" if value is True else "no"
        if kind == "valueAttachment" and isinstance(value, Mapping):
            signature = {"png": value.get("data")}
            if value.get("creation"):
                signature["signed_at"] = value["creation"]
            return signature
        if kind in ("valueString", "valueInteger", "valueDecimal", "valueDate", "valueBoolean"):
            return value
        raise ResponseImportError(f"{link_id}: {kind} is not an answer type of this questionnaire")
