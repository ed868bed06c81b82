"""CSV export of many submissions, streamed: one row at a time, whatever their number.

Files written for `--out FILE.csv` (each UTF-8 with a BOM, so spreadsheet programs read
accents right; rows end with CRLF as RFC 4180 and those programs expect):

- `FILE.csv`: one row per submission; metadata columns, then one column per item (its id
  in the header): choice codes, multi-choice codes joined by `;`, numbers as written,
  `true` for an accepted consent, the signing time for a signature, the number of rows for
  a group. Answers that are not applicable (hidden by branching) are left empty.
- `FILE_<group>.csv` (e.g. `FILE_treatments.csv`): one row per group row, with the
  submission id and the row's position (1, 2, ...).
- `FILE_dictionary.csv`: every column of both: file, column, type, label per language,
  and for a choice item its codes (joined by `;` as in multi-choice cells; codes never
  contain `;`).
- `FILE_choices.csv`: one row per choice of every choice column: file, column, code, label
  per language (a label may contain `;`, `|`, `=` or a comma: each is one cell).

Every cell that came from text (an answer, a label) and begins with `=`, `+`, `-`, `@`,
a tab or a carriage return is prefixed with `'`, so a spreadsheet shows it instead of
running it as a formula (CSV injection). Numbers are written from numbers and left alone.

`deidentify` applies HIPAA Safe Harbor (interop/deidentify.py, the same policy as the
REDCap export): no item marked `identifier: true` and no free text, only valid values,
dates and times as years, `date_of_birth` replaced with `age` in whole years on the day
the answers were judged against (90 and over written `90+`, so the column's type is
text), random submission ids (see docs/interop.md).
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from screening_app.engine.applicability import Applicable
from screening_app.engine.definition import Choice, Item, Questionnaire
from screening_app.files import replacing

from .deidentify import AGE_COLUMN, AGE_TOP_CODE, DATE_OF_BIRTH, Deidentifier, left_out, year_of

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Metadata columns: (name, type, meaning by language; other languages read the English).
META_COLUMNS = (
    ("submission_id", "integer", {"en": "Submission number in the app",
                                  "es": "Número del cuestionario en la aplicación"}),
    ("questionnaire_version", "text", {"en": "Version of the questionnaire the answers were given to",
                                       "es": "Versión del cuestionario respondido"}),
    ("status", "code", {"en": "draft, submitted, checked (answers checked by the intake team), "
                              "reviewed (clinically reviewed) or withdrawn",
                        "es": "draft (borrador), submitted (enviado), checked (respuestas "
                              "comprobadas), reviewed (con revisión clínica) o withdrawn (retirado)"}),
    ("lang", "code", {"en": "Language the questionnaire was answered in",
                      "es": "Idioma en que se respondió"}),
    ("started_at", "timestamp", {"en": "When answering started (UTC)",
                                 "es": "Inicio de las respuestas (UTC)"}),
    ("submitted_at", "timestamp", {"en": "When the answers were submitted (UTC)",
                                   "es": "Envío de las respuestas (UTC)"}),
    ("updated_at", "timestamp", {"en": "Last change (UTC)", "es": "Último cambio (UTC)"}),
)
ROW_COLUMNS = (
    ("submission_id", "integer", META_COLUMNS[0][2]),
    ("row", "integer", {"en": "Position of the row in the submission (1, 2, ...)",
                        "es": "Posición de la fila en el cuestionario (1, 2, ...)"}),
)
AGE_MEANING = {"en": f"Age in whole years on the day of answering ({AGE_TOP_CODE}+ for {AGE_TOP_CODE} "
                     "and over)",
               "es": f"Edad en años cumplidos el día de la respuesta ({AGE_TOP_CODE}+ a partir de "
                     f"{AGE_TOP_CODE})"}


class ExportRecord(NamedTuple):
    """One submission as the export needs it (store/streaming.py builds these lazily). A
    named tuple: immutable, and made in a fifth of a frozen dataclass's time (100,000 of
    them per export)."""

    submission_id: int
    questionnaire_version: str
    status: str
    lang: str
    started_at: str
    submitted_at: str | None
    updated_at: str
    applicable: Applicable  # its answers that apply, by the definition it is pinned to
    today: date             # the day its answers are judged against


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any) -> str:
    if type(value) is str:  # most cells: answers typed or chosen
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return neutralise(";".join(str(v) for v in value))
    if isinstance(value, dict):
        if isinstance(value.get("signed_at"), str):  # a signature: when, not the drawing
            return neutralise(value["signed_at"])
        return neutralise(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return neutralise(str(value))


def output_paths(out: Path, q: Questionnaire) -> tuple[Path, dict[str, Path], Path, Path]:
    """(main file, group id -> rows file, dictionary file, choices file) for `--out out`;
    a questionnaire without groups has no rows files."""
    out = Path(out)
    stem, suffix = out.stem, out.suffix or ".csv"
    groups = {item.id: out.with_name(f"{stem}_{item.id}{suffix}")
              for item in q.all_items() if item.type == "group"}
    return (out, groups, out.with_name(f"{stem}_dictionary{suffix}"),
            out.with_name(f"{stem}_choices{suffix}"))


class CsvExport:
    """The columns for one questionnaire; `write` streams records into the files."""

    def __init__(self, q: Questionnaire, deidentify: bool = False) -> None:
        self.q = q
        self.deidentify = deidentify
        self.left_out = left_out(q) if deidentify else frozenset()
        self.items = [item for item in q.all_items() if self.exported(item)]
        self.groups = [item for item in self.items if item.type == "group"]
        self.fields = {g.id: [f for f in g.items if self.exported(f)] for g in self.groups}
        self.ids = [item.id for item in self.items]
        self.group_columns = [(len(META_COLUMNS) + n, item) for n, item in enumerate(self.items)
                              if item.type == "group"]  # (position in the row, group)
        self.deidentifier = Deidentifier()

    def exported(self, item: Item) -> bool:
        return item.type != "info" and id(item) not in self.left_out

    def column(self, item: Item) -> str:
        return AGE_COLUMN if self.deidentify and item.id == DATE_OF_BIRTH else item.id

    def header(self) -> list[str]:
        return [name for name, _, _ in META_COLUMNS] + [self.column(item) for item in self.items]

    def write(self, out: Path, records: Iterable[ExportRecord]) -> list[Path]:
        """Write every file (each through a private temporary file, renamed over its target
        only when every file is complete: a failure leaves the previous export as it was)."""
        main, group_paths, dictionary, choices = output_paths(out, self.q)
        targets = [main, *group_paths.values(), dictionary, choices]
        with contextlib.ExitStack() as stack:
            temporary = {path: stack.enter_context(replacing(path)) for path in targets}
            # Opened after every `replacing`, so closed before any of them renames.
            writers = {path: csv.writer(stack.enter_context(
                open(temporary[path], "w", encoding="utf-8-sig", newline=""))) for path in targets}
            self.write_dictionary(writers[dictionary], main, group_paths)
            self.write_choices(writers[choices], main, group_paths)
            writers[main].writerow(self.header())
            for group in self.groups:
                writers[group_paths[group.id]].writerow(
                    [name for name, _, _ in ROW_COLUMNS] + [f.id for f in self.fields[group.id]])
            rows_writers = {g.id: writers[group_paths[g.id]] for g in self.groups}
            for record in records:
                self.write_record(record, writers[main], rows_writers)
        return targets

    def write_record(self, record: ExportRecord, main: Any, rows: dict[str, Any]) -> None:
        if self.deidentify:
            self.write_deidentified(record, main, rows)
            return
        answers, groups = record.applicable.answers, record.applicable.groups
        line = [str(record.submission_id), cell(record.questionnaire_version), record.status, record.lang,
                record.started_at, record.submitted_at or "", record.updated_at]
        # One pass over the columns (None: not answered, or not applicable; most cells are
        # an answer's text as it is, or a number: `cell` inlined for those), then each
        # group's number of rows and its rows' file.
        line += ["" if value is None else value if type(value) is str
                 and not value.startswith(FORMULA_START) else repr(value)
                 if type(value) is int or type(value) is float else cell(value)
                 for value in map(answers.get, self.ids)]
        for position, group in self.group_columns:
            if group.id in groups:
                line[position] = str(len(groups[group.id]))
                self.write_rows(group, groups[group.id], record, rows[group.id])
        main.writerow(line)

    def write_rows(self, group: Item, answered: list[dict[str, Any]], record: ExportRecord,
                   writer: Any) -> None:
        fields = self.fields[group.id]
        for position, row in enumerate(answered, start=1):
            writer.writerow([str(record.submission_id), str(position)]
                            + [cell(row.get(sub.id)) for sub in fields])

    def write_deidentified(self, record: ExportRecord, main: Any, rows: dict[str, Any]) -> None:
        """Safe Harbor (interop/deidentify.py): a random id, times and dates as years, the
        age for the date of birth, and only answers valid for their item."""
        answers, groups, today = record.applicable.answers, record.applicable.groups, record.today
        anonymous = self.deidentifier.record_id(record.submission_id)
        line = [anonymous, cell(record.questionnaire_version), record.status, record.lang,
                year_of(record.started_at), year_of(record.submitted_at), year_of(record.updated_at)]
        for item in self.items:
            if item.type == "group" and item.id in groups:
                line.append(str(len(groups[item.id])))
                for position, row in enumerate(groups[item.id], start=1):
                    rows[item.id].writerow([anonymous, str(position)] + [
                        cell(self.deidentifier.value(sub, row.get(sub.id), today))
                        for sub in self.fields[item.id]])
            else:
                line.append(cell(self.deidentifier.value(item, answers.get(item.id), today)))
        main.writerow(line)
        self.deidentifier.forget(record.submission_id)

    def write_dictionary(self, writer: Any, main: Path, group_paths: dict[str, Path]) -> None:
        langs = self.q.languages
        writer.writerow(["file", "column", "type", *(f"label_{lang}" for lang in langs), "codes"])
        for name, kind, meaning in META_COLUMNS:
            writer.writerow([main.name, name, self.kind_of(name, kind), *self.meanings(meaning), ""])
        for item in self.items:
            if self.deidentify and item.id == DATE_OF_BIRTH:
                writer.writerow([main.name, AGE_COLUMN, "text", *self.meanings(AGE_MEANING), ""])
                continue
            kind = "integer (number of rows)" if item.type == "group" else self.kind_of(item.id, item.type)
            writer.writerow([main.name, item.id, kind, *self.labels(item), self.codes(item)])
        for group in self.groups:
            path = group_paths[group.id]
            for name, kind, meaning in ROW_COLUMNS:
                writer.writerow([path.name, name, self.kind_of(name, kind), *self.meanings(meaning), ""])
            for sub in self.fields[group.id]:
                writer.writerow([path.name, sub.id, self.kind_of(sub.id, sub.type), *self.labels(sub),
                                 self.codes(sub)])

    def kind_of(self, column: str, kind: str) -> str:
        """The type of a column as written: de-identified, times and dates are years and
        the submission id a random one."""
        if not self.deidentify:
            return kind
        if kind in ("timestamp", "date"):
            return "year"
        return "random id" if column == "submission_id" else kind

    def write_choices(self, writer: Any, main: Path, group_paths: dict[str, Path]) -> None:
        """One row per choice, with its label in every language of the questionnaire."""
        writer.writerow(["file", "column", "code", *(f"label_{lang}" for lang in self.q.languages)])
        columns = [(main.name, item) for item in self.items]
        columns += [(group_paths[g.id].name, sub) for g in self.groups for sub in self.fields[g.id]]
        for file_name, item in columns:
            for choice in item.choices:
                writer.writerow([file_name, item.id, choice.code, *self.labels(choice)])

    def meanings(self, meaning: dict[str, str]) -> list[str]:
        return [meaning.get(lang, meaning["en"]) for lang in self.q.languages]

    def labels(self, element: Item | Choice) -> list[str]:
        return [neutralise(element.label.get(lang)) for lang in self.q.languages]

    def codes(self, item: Item) -> str:
        return ";".join(c.code for c in item.choices)
