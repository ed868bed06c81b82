"""A submission <-> FHIR R4 `QuestionnaireResponse` (JSON as plain dicts).

Export: items nested as in the definition (steps as groups, linkIds as in
`fhir_questionnaire`), one repeated group item per group row, answers typed by item type,
choices as codings of the item's code system, the signature as an attachment and the
candidate as a contained Patient referenced from `subject`. Answers that are not
applicable (hidden by branching) are left out, and so are empty steps and empty rows. A
questionnaire converted from another system's answers with that system's ids
(`fhir_source`): its linkIds, codings and answer types, and its canonical when it had one.

A draft may hold what a person typed before it was valid ("4,5" for a decimal, "hace
mucho" for a date). That is not an answer of the item's type, so it is not sent as one:
the item carries it in the extension `draft-answer` (valueString) and no `answer`, so
the response stays valid against the Questionnaire and our own import gets it back.

Status: draft -> `in-progress`; submitted, checked or reviewed -> `completed`, or `amended`
once an answer was edited after submission; withdrawn -> `stopped`. FHIR has no status for
a sign-off: each check and clinical review is an extension `signoff` of the response
(kind `checked` or `clinical-review`, signer's name and role, time, decision, note, and
`outOfDate` when corrected answers made it out of date). `authored` is when the answers
last changed: the submission time, the last edit (amended) or the last autosave (drafts).

Import: `fhir_response_import` (re-exported here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.answers import is_empty, row_path
from screening_app.engine.definition import Item, Questionnaire, Step
from screening_app.engine.expressions import UNKNOWN
from screening_app.engine.session import Session
from screening_app.engine.validation import typed_value

from . import fhir_common as fc
from . import fhir_source as fs
from .fhir_response_import import (
    IMPORT_STATUSES,
    ImportStatus,
    ReadResponse,
    ResponseImportError,
    ResponseSetting,
    answers_from_questionnaire_response,
    import_outcome,
    read_response,
    response_setting,
    withdrawal_reason,
)

__all__ = ["IMPORT_STATUSES", "ImportStatus", "ReadResponse", "ResponseContext", "ResponseImportError",
           "ResponseSetting", "answers_from_questionnaire_response", "import_outcome",
           "questionnaire_response", "read_response", "response_setting", "withdrawal_reason"]

STATUS = {"draft": "in-progress", "submitted": "completed", "checked": "completed",
          "reviewed": "completed", "withdrawn": "stopped"}
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
    origin: Mapping[str, Any] | None = None  # what an imported response said (store.origin)
    signoffs: tuple[Any, ...] = ()  # the store's SignOff records, oldest first


def questionnaire_response(q: Questionnaire, answers: Mapping[str, Any],
                           context: ResponseContext) -> dict[str, Any]:
    """The submission as a FHIR R4 QuestionnaireResponse resource."""
    session = Session(q, answers, lang=context.lang, today=context.today)
    status = "amended" if context.amended and STATUS[context.status] == "completed" \
        else STATUS[context.status]
    writer = _Writer(q, session, context.lang)
    items = [element for step in q.steps for element in writer.step(step)]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"submission-{context.submission_id}",
        "meta": fc.app_meta(),
        "language": context.lang,
        "contained": [_patient(context)],
        "identifier": {"system": f"{fc.NAMESPACE}:submission", "value": str(context.submission_id)},
        "questionnaire": fs.canonical(q),
        "status": status,
        "subject": {"reference": f"#{PATIENT_ID}", "type": "Patient"},
        "authored": context.authored,
    }
    _keep_origin(resource, context.origin or {})
    if context.signoffs:
        resource["extension"] = [_signoff(signoff) for signoff in context.signoffs]
    if items:
        resource["item"] = items
    return resource


def _keep_origin(resource: dict[str, Any], origin: Mapping[str, Any]) -> None:
    """Say again whom an imported response was about and who wrote it down or gave it.
    References to resources contained in the source (`#x`) are not: those are not kept."""
    def outside(reference: Any) -> bool:
        return isinstance(reference, Mapping) and not str(reference.get("reference", "")).startswith("#")

    if outside(origin.get("subject")):
        resource["subject"] = dict(origin["subject"])
        resource["contained"] = [c for c in resource["contained"] if c.get("id") != PATIENT_ID]
        if not resource["contained"]:
            del resource["contained"]
    for key in ("author", "source"):
        if outside(origin.get(key)):
            resource[key] = dict(origin[key])


def _signoff(signoff: Any) -> dict[str, Any]:
    parts = [("kind", "valueCode", signoff.kind.replace("_", "-")),
             ("signer", "valueString", signoff.full_name), ("role", "valueCode", signoff.role),
             ("time", "valueDateTime", signoff.signed_at), ("decision", "valueCode", signoff.decision),
             ("note", "valueString", signoff.note), ("outOfDate", "valueDateTime", signoff.out_of_date_at)]
    return {"url": fc.EXT_SIGNOFF,
            "extension": [{"url": url, kind: value} for url, kind, value in parts if value]}


def _without_empty(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sections that hold no answer are left out, as empty steps are."""
    kept = []
    for element in elements:
        if "item" in element and "answer" not in element and "linkId" in element \
                and not element.get("extension"):
            element["item"] = _without_empty(element["item"])
            if not element["item"]:
                continue
        kept.append(element)
    return kept


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


class _Writer:
    def __init__(self, q: Questionnaire, session: Session, lang: str) -> None:
        self.q, self.session, self.lang = q, session, lang

    def step(self, step: Step) -> list[dict[str, Any]]:
        """The step's group item, or its items alone when they stand at the top level."""
        children = self.nest(step.items, None, None)
        if not children or fs.top_level(step):
            return children
        return [{"linkId": fs.step_link_id(step), "text": step.title.get(self.lang), "item": children}]

    def nest(self, items: tuple[Item, ...], group: Item | None, row: int | None) -> list[dict[str, Any]]:
        """The answers to a step's items, or to one row's fields, nested as the source had
        them: a section's under its group, a follow-up's under its question's answer."""
        children: list[dict[str, Any]] = []
        made: dict[str, dict[str, Any] | None] = {}  # what each item became, for what stands under it
        holders = {item.parent for item in items}
        for item in items:
            path = item.id if group is None else row_path(group.id, row, item.id)
            if not self.session.is_applicable(path):
                continue
            if item.type == "info":  # a section holds its items; a plain text, nothing
                made[item.id] = {"linkId": fs.link_id(item, group), "text": item.label.get(self.lang),
                                 "item": []}
                if item.untitled:  # a group without text, as its source had it
                    del made[item.id]["text"]
                elements = [made[item.id]] if item.id in holders else []
            elif item.type == "group":
                elements = self.rows(item)
            else:
                made[item.id] = self.element(item, group, path)
                elements = [made[item.id]] if made[item.id] is not None else []
            parent = made.get(item.parent) if item.parent is not None else None
            if item.parent is None:
                children += elements
            elif parent is not None and "answer" in parent:  # a follow-up: under the answer
                parent["answer"][0].setdefault("item", []).extend(elements)
            elif parent is not None and "item" in parent:
                parent["item"].extend(elements)
        return _without_empty(children)

    def rows(self, group: Item) -> list[dict[str, Any]]:
        rows = []
        for number in self.session.rows(group.id):
            fields = self.nest(group.items, group, number)
            if fields:
                rows.append({"linkId": fs.link_id(group, None), "text": group.label.get(self.lang),
                             "item": fields})
        return rows

    def element(self, item: Item, group: Item | None, path: str) -> dict[str, Any] | None:
        value = self.session.answers.get(path)
        if is_empty(value):
            return None
        element: dict[str, Any] = {"linkId": fs.link_id(item, group), "text": item.label.get(self.lang)}
        if typed_value(item, value) is UNKNOWN:
            # Typed in a draft, not valid yet: not an answer of the item's type (see above).
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            return {"extension": [{"url": fc.EXT_DRAFT_ANSWER, "valueString": text}], **element}
        element["answer"] = self.answers(item, group, value)
        return element

    def answers(self, item: Item, group: Item | None, value: Any) -> list[dict[str, Any]]:
        kind = item.type
        if kind in ("single_choice", "multi_choice", "yes_no", "yes_no_unsure"):
            return [self.choice(item, group, code) for code in (value if kind == "multi_choice" else [value])]
        typed = fs.ANSWER_TYPES.get(fs.fhir_type(item))
        if typed == "Quantity":
            return [{"valueQuantity": {"value": value}}]
        if typed is not None:
            return [{f"value{typed}": value.strip() if isinstance(value, str) else value}]
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
        attachment = {"contentType": "image/png", "data": value["png"], "title": "Signature"}
        if isinstance(value.get("signed_at"), str):
            attachment["creation"] = value["signed_at"]
        return [{"valueAttachment": attachment}]

    def choice(self, item: Item, group: Item | None, code: str) -> dict[str, Any]:
        kind, value = fs.coded(self.q, item, group, code)
        if kind == "Coding":
            value = {**value, "display": item.choice(code).label.get(self.lang)}
        return {f"value{kind}": value}
