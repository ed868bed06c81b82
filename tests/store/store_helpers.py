"""Shared helpers of the storage tests (imported by conftest and the test modules)."""

from __future__ import annotations

from tests.shared import FIXTURES, TODAY, FakeClock  # noqa: F401  (re-exported)
from tests.shared import raw_connection as raw  # noqa: F401  (re-exported)

# A small definition that exercises what the store cares about: identity items, a
# required answer, a soft warning, a group, and rules of every severity.
SMALL_DEFINITION = """\
id: store-test
version: "1.0.0"
languages: [en, es]
title: {en: "Store test", es: "Prueba del almacén"}
parameters:
  max_age: {value: 65, label: {en: "Oldest age", es: "Edad máxima"}}
computed:
  - id: age
    label: {en: "Age", es: "Edad"}
    type: integer
    expr: 'age(date_of_birth)'
steps:
  - id: about_you
    title: {en: "About you", es: "Sobre usted"}
    items:
      - id: first_name
        type: text
        label: {en: "First name", es: "Nombre"}
        required: true
      - id: last_name
        type: text
        label: {en: "Last name", es: "Apellidos"}
        required: true
      - id: date_of_birth
        type: date
        label: {en: "Date of birth", es: "Fecha de nacimiento"}
        required: true
        not_future: true
      - id: phone
        type: phone
        label: {en: "Phone", es: "Teléfono"}
  - id: history
    title: {en: "History", es: "Historia"}
    items:
      - id: diagnosis_year
        type: year
        label: {en: "Diagnosis year", es: "Año del diagnóstico"}
        required: true
      - id: symptom_onset_year
        type: year
        label: {en: "Symptom onset year", es: "Año de inicio"}
        checks:
          - id: onset_after_diagnosis
            severity: warning
            when: 'symptom_onset_year > diagnosis_year'
            message: {en: "This is after the diagnosis year.", es: "Es posterior al diagnóstico."}
      - id: smoker
        type: yes_no
        label: {en: "Do you smoke?", es: "¿Fuma?"}
        required: true
      - id: treatments
        type: group
        label: {en: "Treatments", es: "Tratamientos"}
        items:
          - id: drug
            type: text
            label: {en: "Medicine", es: "Medicamento"}
            required: true
rules:
  - id: R01_age
    severity: exclusion
    criterion: {en: "Age outside the protocol range", es: "Edad fuera del rango"}
    when: 'age > max_age'
  - id: R02_smoker
    severity: review
    criterion: {en: "Smoker", es: "Fumador"}
    when: 'smoker = "yes"'
  - id: R03_treated
    severity: info
    criterion: {en: "Has been treated", es: "Ha recibido tratamiento"}
    when: 'count(treatments) >= 1'
"""

COMPLETE_SMALL = {
    "first_name": "Ana",
    "last_name": "Ejemplo",
    "date_of_birth": "1980-05-17",
    "diagnosis_year": 2015,
    "smoker": "no",
}

