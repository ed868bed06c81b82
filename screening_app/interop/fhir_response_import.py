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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from screening_app.engine.answers import row_path
from screening_app.engine.definition import Item, Questionnaire
from screening_app.i18n import tr

from . import fhir_common as fc
from . import fhir_source as fs

CHOICE_TYPES = ("single_choice", "multi_choice", "yes_no", "yes_no_unsure")
# The value[x] FHIR R4 allows for an answer to each item type that is not a choice. A
# value of another type (the HL7 f201 example answers its boolean questions with
# valueString "No") is refused, naming what was expected: read as text, it was kept as an
# answer no option matches, and only the kiosk's "choose one of the options" said so.
VALUE_KINDS = {"string": ("valueString",), "text": ("valueString",), "url": ("valueUri",),
               "integer": ("valueInteger",), "decimal": ("valueDecimal",), "date": ("valueDate",),
               "dateTime": ("valueDateTime", "valueDate"), "time": ("valueTime",),
               "boolean": ("valueBoolean",), "quantity": ("valueQuantity",),
               "attachment": ("valueAttachment",)}


class ResponseImportError(ValueError):
    """The resource is not a QuestionnaireResponse for this questionnaire, or is malformed."""


@dataclass(frozen=True)
class ReadResponse:
    """A response read for questionnaire `q`: its answers, what was skipped and said, and
    what it says about itself (`origin`: authored, subject, author, source, id, identifier)."""

    answers: dict[str, Any]
    skipped: tuple[str, ...]  # linkIds of answered items the definition does not have
    notes: tuple[str, ...]    # how it was matched when not plainly (an STU3 reference, a version)
    origin: dict[str, Any]


def answers_from_questionnaire_response(q: Questionnaire, resource: Any) -> dict[str, Any]:
    """Flat answers (`path -> value`) from a QuestionnaireResponse for questionnaire `q`."""
    return read_response(q, resource).answers


def read_response(q: Questionnaire, resource: Any, skip_unknown: bool = False) -> ReadResponse:
    """Read a QuestionnaireResponse for `q`. Answered items that `q` does not have refuse
    it (listed), unless `skip_unknown`: then they are left out and listed in `skipped`."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
        raise ResponseImportError("not a FHIR QuestionnaireResponse")
    notes = _check_questionnaire(q, resource.get("questionnaire"))
    reader = _Reader(q)
    reader.items(resource.get("item"), None, None, "QuestionnaireResponse.item")
    unknown = tuple(dict.fromkeys(reader.unknown))
    if unknown and not skip_unknown:
        raise ResponseImportError(
            f"answers to items that {q.id} {q.version} does not have: {', '.join(unknown)} "
            "(--skip-unknown imports the rest and lists these)")
    origin = {key: resource[key] for key in ("authored", "subject", "author", "source", "id",
                                             "identifier") if resource.get(key) is not None}
    return ReadResponse(reader.answers, unknown, tuple(notes), origin)


def _check_questionnaire(q: Questionnaire, named: Any) -> list[str]:
    """Whether `QuestionnaireResponse.questionnaire` names `q`: its canonical (ours or the
    source's) with or without a version, or a relative `Questionnaire/<id>`; an STU3
    Reference is read by its `reference`. Notes say what was not a plain match."""
    if named is None:
        return []
    notes = []
    if isinstance(named, Mapping):  # STU3: QuestionnaireResponse.questionnaire was a Reference
        reference = named.get("reference")
        if not isinstance(reference, str):
            raise ResponseImportError(
                f"QuestionnaireResponse.questionnaire is {fc.quoted(named)}: FHIR R4 expects the "
                f"Questionnaire's canonical URL as text, e.g. {fs.canonical(q)}")
        notes.append(f"QuestionnaireResponse.questionnaire is an STU3 Reference; its reference "
                     f"{reference} was read as R4's canonical")
        named = reference
    if not isinstance(named, str):
        raise ResponseImportError(f"QuestionnaireResponse.questionnaire is {fc.quoted(named)}: FHIR R4 "
                                  "expects the Questionnaire's canonical URL as text, e.g. "
                                  f"{fs.canonical(q)}")
    url, _, version = named.partition("|")
    known = [(fc.canonical_url(q.id), q.version)]
    if q.attrs.get("fhir_url"):
        known.append((q.attrs["fhir_url"], q.attrs.get("fhir_version") or ""))
    relative = {f"Questionnaire/{i}" for i in (q.attrs.get("fhir_id"), q.id) if i}
    path = url.split("/_history/")[0]
    for known_url, known_version in known:
        if url == known_url or path in relative:
            if version and known_version and version != known_version:
                notes.append(f"the response is for version {version}; it was read against version "
                             f"{known_version}")
            return notes
    names = ", ".join([fs.canonical(q), *sorted(relative)])
    raise ResponseImportError(f"QuestionnaireResponse.questionnaire is {fc.quoted(named)}, not this "
                              f"questionnaire ({names})")


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
        raise ResponseImportError(tr("en", "interop.import.bad_status", status=fc.quoted(status),
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
        self.index = fs.ResponseIndex(q)
        self.answers: dict[str, Any] = {}
        self.unknown: list[str] = []
        self.rows: dict[str, int] = {}

    def items(self, elements: Any, group: Item | None, row: int | None, where: str) -> None:
        """Read response items wherever they stand: in steps, sections, group rows, under a
        question or under one of its answers (follow-ups)."""
        if elements is None:
            return
        if not isinstance(elements, list):
            raise ResponseImportError(f"{where} must be a list of items, not {fc.quoted(elements)}")
        for element in elements:
            if not isinstance(element, Mapping):
                raise ResponseImportError(f"{where}: an item is {fc.quoted(element)}, not a JSON object")
            link_id = element.get("linkId")
            if not isinstance(link_id, str):
                raise ResponseImportError(f"{where}: an item's linkId is {fc.quoted(link_id)}, not text")
            inner = f"{where} {link_id}"
            sub = self.index.field(group, link_id) if group is not None else None
            item = self.index.items.get(link_id) if group is None else None
            if sub is not None:
                self.value(sub, group, link_id, row_path(group.id, row, sub.id), element)
                self.children(element, group, row, inner)
            elif item is not None and item.type == "group":
                self.no_answer(element, link_id)
                number = self.rows.get(item.id, 0)
                self.rows[item.id] = number + 1
                self.answers[row_path(item.id, number)] = True
                self.items(element.get("item"), item, number, inner)
            elif item is not None and item.is_input:
                self.value(item, None, link_id, item.id, element)
                self.children(element, None, None, inner)
            elif (group is None and link_id in self.index.steps) or item is not None \
                    or not element.get("answer"):
                # a step, a section heading, or a container of the source that the
                # definition does not keep: structure, not answers
                self.no_answer(element, link_id)
                self.items(element.get("item"), group, row, inner)
            else:
                self.unknown.append(link_id)
                self.children(element, group, row, inner)

    def children(self, element: Mapping[str, Any], group: Item | None, row: int | None, where: str) -> None:
        """Items nested under a question, or under one of its answers (R4 puts them there)."""
        self.items(element.get("item"), group, row, where)
        for answer in element.get("answer") or []:
            if isinstance(answer, Mapping):
                self.items(answer.get("item"), group, row, where)

    def no_answer(self, element: Mapping[str, Any], link_id: str) -> None:
        if element.get("answer"):
            raise ResponseImportError(f"{link_id} is a group (or a heading) in this questionnaire "
                                      "and cannot have answers")

    def value(self, item: Item, group: Item | None, link_id: str, path: str,
              element: Mapping[str, Any]) -> None:
        raw = element.get("answer")
        if raw is not None and not isinstance(raw, list):
            raise ResponseImportError(f"{link_id}: answer must be a list, not {fc.quoted(raw)}")
        values = []
        for answer in raw or []:
            if not isinstance(answer, Mapping):
                raise ResponseImportError(f"{link_id}: an answer is {fc.quoted(answer)}, not a JSON object")
            values.append(self.one(item, group, link_id, answer))
        draft = fc.extension_value(element, fc.EXT_DRAFT_ANSWER) \
            if isinstance(element.get("extension"), list) else None
        if isinstance(draft, str) and not values:
            self.answers[path] = draft  # typed in a draft, not valid yet (see fhir_response)
        elif not values:
            return
        elif item.type == "multi_choice":
            self.answers[path] = values
        elif len(values) == 1:
            self.answers[path] = values[0]
        else:
            raise ResponseImportError(f"{link_id} takes one answer (repeats is false), not {len(values)}")

    def one(self, item: Item, group: Item | None, link_id: str, answer: Mapping[str, Any]) -> Any:
        present = [(k, v) for k, v in answer.items() if k.startswith("value")]
        if len(present) != 1:
            raise ResponseImportError(f"{link_id}: an answer needs exactly one value[x], not "
                                      f"{len(present)}")
        kind, value = present[0]
        if item.type in CHOICE_TYPES and kind in ("valueCoding", "valueString", "valueInteger",
                                                  "valueBoolean", "valueDate", "valueTime"):
            code = self.index.code(item, group, kind[len("value"):], value)
            if code is not None:
                return code
            if kind == "valueCoding" and isinstance(value, Mapping):
                system = value.get("system")
                if system not in self.index.systems(item, group):
                    expected = fc.code_system(self.q.id, fs.item_path(item, group))
                    raise ResponseImportError(f"{link_id}: valueCoding.system {fc.quoted(system)} is not "
                                              f"{expected}")
                return value.get("code")  # not one of the item's codes: validation says so
        expected = VALUE_KINDS.get(fs.fhir_type(item), (kind,))
        if kind not in expected:
            raise ResponseImportError(f"{link_id}: {kind} {fc.quoted(value)} does not answer a "
                                      f"{fs.fhir_type(item)} item (FHIR R4 expects "
                                      f"{' or '.join(expected)})")
        if kind == "valueBoolean" and not isinstance(value, bool):  # "true", 1, null: never a quiet "no"
            raise ResponseImportError(f"{link_id}: valueBoolean {fc.quoted(value)} is not true or false")
        if kind == "valueBoolean" and item.type in ("yes_no", "yes_no_unsure"):
            return "yes" if value else "no"
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
                    "valueUri") and isinstance(value, str | int | float | bool):
            return value
        raise ResponseImportError(f"{link_id}: {kind} {fc.quoted(value)} is not an answer this "
                                  f"questionnaire's {fs.fhir_type(item)} item takes")
