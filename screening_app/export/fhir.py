"""`export SUBMISSION --format fhir`: the submission as a FHIR R4 QuestionnaireResponse (JSON).

Thin: reads the stored submission, its pinned definition, the person as answered in it
(the contained Patient: never the person record, which other submissions share) and the audit
history (an answer edited after submission makes the response `amended`), then lets
`screening_app.interop.fhir_response` build the resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from screening_app.export.formats import Format, register_format
from screening_app.files import write_text
from screening_app.interop.fhir_response import ResponseContext, questionnaire_response
from screening_app.store.candidates import identity_of
from screening_app.store.origins import authored_timestamp
from screening_app.store.streaming import judging_day

PATIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "phone", "email")

EDITED_AFTER_SUBMIT = "answer_edited"
SUBMITTED = ("submitted", "checked", "reviewed")


def response_for_submission(store: Any, submission_id: int) -> dict[str, Any]:
    """The QuestionnaireResponse of one stored submission."""
    snapshot = store.snapshot(submission_id)
    record = snapshot.record
    questionnaire = store.questionnaire_for(submission_id)
    said = identity_of(snapshot.answers)  # this submission's answers, not the person record
    edits = [entry.at for entry in store.audit_history(submission_id)
             if entry.action == EDITED_AFTER_SUBMIT]
    amended = bool(edits) and record.status in SUBMITTED
    if amended:
        authored = edits[-1]
    elif record.status in SUBMITTED and record.submitted_at:
        authored = record.submitted_at
    else:
        authored = record.updated_at
    origin = store.origin(submission_id)
    if origin and authored_timestamp(origin.get("authored")) == authored:
        authored = origin["authored"]  # unchanged since the import: as the source wrote it
    context = ResponseContext(
        submission_id=record.id, status=record.status, lang=record.lang, authored=authored,
        amended=amended, today=judging_day(store, record.reference_date),
        **{field: said[field] for field in PATIENT_FIELDS}, origin=origin,
        signoffs=record.signoffs)
    return questionnaire_response(questionnaire, snapshot.answers, context)


def export_fhir(store: Any, submission_id: int, out: Path) -> Path:
    resource = response_for_submission(store, submission_id)
    return write_text(out, json.dumps(resource, ensure_ascii=False, indent=2) + "\n")


register_format(Format("fhir", single=export_fhir))
