"""Interoperability: FHIR R4 Questionnaire/QuestionnaireResponse and CSV (no Qt, no SQL).

`fhir_questionnaire` converts definitions to and from FHIR Questionnaires, `fhir_response`
converts submissions to and from QuestionnaireResponses, `csv_export` streams CSV files.
Decisions (canonical URLs, code systems, extensions) are in docs/interop.md.
"""
