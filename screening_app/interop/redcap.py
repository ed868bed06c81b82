"""REDCap: a project's data dictionary and its data import file, from one questionnaire.

    python main.py export --all --format redcap --out PREFIX [--deidentify] [--questionnaire ID]

writes `PREFIX_dictionary.csv` (REDCap's data dictionary: its 18 columns, in its order and
spelling) and `PREFIX_data.csv` (REDCap's import format). docs/interop.md says how to
create the project, enable the repeating instrument and import the data.

Decisions (REDCap's rules as its documentation states them; tests/interop/test_redcap.py
checks each):

- Variable names: lower case letters, digits and `_`, starting with a letter, at most 26
  characters (REDCap's advice, so that the names survive its exports to SAS, Stata, R and
  SPSS); longer ones are shortened, kept unique, and listed. `record_id` is the first field
  of the first form (`submission`, with the submission's status, language and times).
- One form (instrument) per step, named by the step id; a repeating group is a repeating
  instrument of its own (its rows are rows with `redcap_repeat_instrument` and
  `redcap_repeat_instance` 1, 2, ...).
- Field types: text (with validation `date_ymd`, `integer`, `number`, `email`, and
  min/max), notes (long text), radio (single choice, yes/no/not sure), dropdown (a single
  choice of more than 12 codes), checkbox (multiple choice: data columns `var___code`,
  1/0), yesno (yes/no and consent: 1/0), calc (a computed value REDCap's own functions can
  say: an age), descriptive (information text and a group's heading).
- Choices `code, Label | code, Label`, the app's codes (REDCap takes letters, digits and
  `_`), labels in the questionnaire's first language.
- Branching logic in REDCap's syntax where a condition can be said in it (`[ms_diagnosed]
  = '1'`, `[ms_type] <> '' and [ms_type] <> 'ppms'`, `[drugs(none)] = '1'`); REDCap shows
  a field when its logic is true, the app also hides it when an answer it reads is missing,
  so comparisons say "answered" too. A condition it cannot say (a computed value, a group
  row function) is named in the Field Annotation and the field has no logic: REDCap then
  shows it always (asks more, never less).
- Identifier? is `y` for the items the definition marks `identifier: true`, the date of
  birth and free text (`deidentify.identifying`); Required Field? `y` as in the
  questionnaire.
- Data: as REDCap imports it, literally: no spreadsheet guard apostrophe, dates
  `YYYY-MM-DD`, yes/no 1/0, a checkbox 1/0 per code (blank when unanswered), numbers as
  written; answers that do not apply (hidden by branching) blank. UTF-8 without a byte
  order mark (REDCap reads the header's first name as `record_id` only without one).
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from screening_app.engine.definition import Item, Questionnaire, Step
from screening_app.engine.expressions import Binary, Call, Expression, ListOf, Literal, Name, Node
from screening_app.files import replacing

from .csv_export import ExportRecord
from .deidentify import AGE_COLUMN, DATE_OF_BIRTH, Deidentifier, identifying, left_out, year_of

COLUMNS = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
    "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
)
MAX_NAME = 26
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
DROPDOWN_FROM = 13  # a single choice with more codes is a dropdown, not a column of radio buttons
REPEAT_COLUMNS = ("redcap_repeat_instrument", "redcap_repeat_instance")
FIRST_FORM = "submission"
# The field note of a date that may be given without its day (definition `precision`).
PARTIAL_DATE_NOTES = {
    "month": "Year and month (YYYY-MM), or the whole date (YYYY-MM-DD) when the day is known",
    "year": "The year (YYYY), year and month (YYYY-MM), or the whole date (YYYY-MM-DD)",
}
REDCAP_OPERATORS = {"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass
class Field:
    """One row of the data dictionary, and where its data comes from."""

    name: str
    form: str
    kind: str                      # REDCap field type
    label: str
    source: Item | None = None     # the item (or group field) answered; None: metadata
    section: str = ""
    choices: str = ""
    note: str = ""
    validation: str = ""
    low: str = ""
    high: str = ""
    identifier: bool = False
    logic: str = ""
    required: bool = False
    annotation: str = ""
    codes: tuple[str, ...] = ()    # a checkbox's codes (its data columns)
    meta: str = ""                 # the metadata it holds: status, lang, ...

    def row(self) -> list[str]:
        return [self.name, self.form, self.section, self.kind, self.label, self.choices, self.note,
                self.validation, self.low, self.high, "y" if self.identifier else "", self.logic,
                "y" if self.required else "", "", "", "", "", self.annotation]

    def columns(self) -> list[str]:
        """Its columns in the data file (a checkbox has one per code; a descriptive none)."""
        if self.kind in ("descriptive", "calc"):  # REDCap shows and computes these itself
            return []
        if self.kind == "checkbox":
            return [f"{self.name}___{code}" for code in self.codes]
        return [self.name]


@dataclass
class Form:
    name: str
    fields: list[Field] = field(default_factory=list)
    group: Item | None = None  # a repeating instrument: the group whose rows it holds


class RedcapProject:
    """The REDCap project of one questionnaire (`deidentify`: Safe Harbor, as for CSV)."""

    def __init__(self, q: Questionnaire, deidentify: bool = False) -> None:
        self.q = q
        self.deidentify = deidentify
        self.left_out = left_out(q) if deidentify else frozenset()
        self.lang = q.languages[0]
        self.names: dict[str, str] = {}       # item path (id or group.field) -> variable name
        self.shortened: list[tuple[str, str]] = []
        # REDCap adds `<form>_complete` to every form: no variable may take such a name.
        groups = [i.id for i in q.all_items() if i.type == "group"]
        self.reserved = {f"{form}_complete" for form in [FIRST_FORM, *(s.id for s in q.steps), *groups,
                                                          *(f"{g}_rows" for g in groups)]}
        self.forms: list[Form] = [self._first_form()]
        form_names = {FIRST_FORM} | {s.id for s in q.steps}
        for step in q.steps:
            self.forms.append(self._step_form(step))
        for group in (i for i in q.all_items() if i.type == "group" and not self._dropped(i)):
            name = group.id if group.id not in form_names else self._unique(f"{group.id}_rows", form_names)
            form_names.add(name)
            self.forms.append(self._group_form(group, name))
        self.forms = [f for f in self.forms if f.fields]
        for form in self.forms:  # logic names variables, so it is written once all are named
            for entry in form.fields:
                entry.logic, entry.annotation = self._logic(entry, form)

    # ------------------------------------------------------------ naming

    def _unique(self, wanted: str, taken: set[str] | Iterable[str]) -> str:
        taken = set(taken)
        base = re.sub(r"[^a-z0-9_]+", "_", wanted.lower()).strip("_") or "field"
        if not base[0].isalpha():
            base = "v_" + base
        name, number = base[:MAX_NAME], 2
        while name in taken:
            suffix = f"_{number}"
            name, number = base[:MAX_NAME - len(suffix)] + suffix, number + 1
        return name

    def _name(self, path: str, wanted: str) -> str:
        name = self._unique(wanted, {*self.names.values(), *self.reserved})
        if name != wanted:
            self.shortened.append((path, name))
        self.names[path] = name
        return name

    def _dropped(self, item: Item) -> bool:
        return id(item) in self.left_out

    # ------------------------------------------------------------ forms

    def _first_form(self) -> Form:
        form = Form(FIRST_FORM)
        self.names.update({"record_id": "record_id"})
        meta = [("record_id", "Record ID (the app's submission number)" if not self.deidentify
                 else "Record ID (random, new in each export)", ""),
                ("questionnaire_version", "Version of the questionnaire answered", "questionnaire_version"),
                ("status", "Status in the app: draft, submitted, reviewed or withdrawn", "status"),
                ("lang", "Language answered in", "lang")]
        times = (("started_at", "Started (UTC)"), ("submitted_at", "Submitted (UTC)"),
                 ("updated_at", "Last change (UTC)"))
        for key, label in times:
            meta.append((key, label.replace("(UTC)", "(year)") if self.deidentify else label, key))
        for name, label, key in meta:
            self.names[name] = name
            form.fields.append(Field(name, FIRST_FORM, "text", label, meta=key or "record_id"))
        return form

    def _step_form(self, step: Step) -> Form:
        form = Form(step.id)
        section = step.title.get(self.lang)
        for item in step.items:
            if self._dropped(item) or item.type == "group" or item.untitled:
                continue  # an untitled section's descriptive field would have nothing to say
            entry = self._field(item, item.id, form.name)
            entry.section, section = section, ""
            form.fields.append(entry)
        for computed in self.q.computed.values():
            if self.q.step_of.get(_first_name(computed.expr)) == step.id:
                extra = self._computed(computed.id, computed.expr, form.name)
                if extra is not None:
                    form.fields.append(extra)
        return form

    def _group_form(self, group: Item, name: str) -> Form:
        form = Form(name, group=group)
        heading = Field(self._name(f"{group.id} heading", f"{group.id}_heading"), name, "descriptive",
                        group.label.get(self.lang))
        form.fields.append(heading)
        for sub in group.items:
            if not (self._dropped(sub) or sub.untitled):  # an untitled section has nothing to say
                form.fields.append(self._field(sub, f"{group.id}.{sub.id}", name))
        return form

    def _field(self, item: Item, path: str, form: str) -> Field:
        name = self._name(path, item.id if not (self.deidentify and item.id == DATE_OF_BIRTH)
                          else AGE_COLUMN)
        entry = Field(name, form, "text", item.label.get(self.lang), source=item,
                      note=item.help.get(self.lang) if item.help else "",
                      identifier=identifying(item),
                      required=item.required and item.is_input)
        kind = item.type
        choices = " | ".join(f"{c.code}, {_one_line(c.label.get(self.lang))}" for c in item.choices)
        if self.deidentify and item.id == DATE_OF_BIRTH:
            entry.label, entry.validation, entry.identifier = "Age in whole years (90+ from 90)", "", False
        elif kind == "info":
            entry.kind, entry.required = "descriptive", False
        elif kind == "long_text":
            entry.kind = "notes"
        elif kind == "email":
            entry.validation = "email"
        elif kind in ("integer", "year", "decimal"):
            entry.validation = "number" if kind == "decimal" else "integer"
            entry.low = "" if item.min is None else f"{item.min:g}"
            entry.high = "" if item.max is None else f"{item.max:g}"
        elif kind == "date":
            if self.deidentify:
                entry.validation, entry.note = "integer", "Year only (de-identified)"
            elif item.precision == "day":
                entry.validation = "date_ymd"
            else:  # REDCap's date validations need the day: a partial date is text
                entry.note = (entry.note + " " if entry.note else "") + PARTIAL_DATE_NOTES[item.precision]
        elif kind in ("yes_no", "consent"):
            entry.kind = "yesno"
        elif kind == "multi_choice":
            entry.kind, entry.choices, entry.codes = "checkbox", choices, tuple(c.code for c in item.choices)
        elif kind in ("single_choice", "yes_no_unsure"):
            entry.kind = "dropdown" if len(item.choices) >= DROPDOWN_FROM else "radio"
            entry.choices = choices
        elif kind == "signature":
            entry.annotation = "@READONLY When it was signed; the drawing stays in the app"
        return entry

    def _computed(self, computed_id: str, expr: Expression, form: str) -> Field | None:
        """A computed value REDCap can work out itself (an age from a date of birth)."""
        tree = expr.tree
        if self.deidentify or not (isinstance(tree, Call) and tree.function == "age"
                                   and isinstance(tree.args[0], Name) and tree.args[0].name in self.names):
            return None
        born = self.names[tree.args[0].name]
        name = self._name(computed_id, computed_id)
        return Field(name, form, "calc", self.q.computed[computed_id].label.get(self.lang),
                     choices=f"rounddown(datediff([{born}], 'today', 'y', true), 0)",
                     annotation=f"Computed in the app as {expr.text}, on the day of answering; "
                                "REDCap computes it on the day it is shown")

    # ------------------------------------------------------------ branching logic

    def _logic(self, entry: Field, form: Form) -> tuple[str, str]:
        item = entry.source
        if item is None or entry.kind == "calc":
            return entry.logic, entry.annotation
        conditions: list[Any] = []  # Expressions, and answered() calls for followed questions
        if form.group is None:
            conditions.append(self.q.step(self.q.step_of[item.id]).shown_when)
        # What it stands under (in its step, or in its row): a section's condition, a
        # question it follows (answered).
        lookup = form.group.field if form.group is not None else self.q.item
        parent, above_all = item.parent, []
        while parent is not None:  # innermost first; said outermost first
            above = lookup(parent)
            answered = [Call("answered", (Name(above.id),))] if above.is_input else []
            above_all = [above.shown_when, *answered, *above_all]
            parent = above.parent
        conditions += above_all
        conditions = [c for c in [*conditions, item.shown_when] if c is not None]
        texts = [c.text if isinstance(c, Expression) else f"answered({c.args[0].name})" for c in conditions]
        trees = [c.tree if isinstance(c, Expression) else c for c in conditions]
        if not trees:
            return "", entry.annotation
        said = [_Logic(self, form.group).say(tree) for tree in trees]
        if all(s is not None for s in said):
            logic = " and ".join(f"({s})" if len(said) > 1 else s for s in said)
            return logic, entry.annotation
        original = " and ".join(texts)
        note = f"Shown in the app only when: {original} (not expressible as REDCap branching logic)"
        return "", f"{entry.annotation} {note}".strip()

    # ------------------------------------------------------------ files

    def dictionary_rows(self) -> Iterator[list[str]]:
        yield list(COLUMNS)
        for form in self.forms:
            for entry in form.fields:
                yield entry.row()

    def data_header(self) -> list[str]:
        columns = ["record_id", *REPEAT_COLUMNS]
        for form in self.forms:
            for entry in form.fields:
                if entry.name != "record_id":
                    columns += entry.columns()
        return columns

    def write(self, prefix: Path, records: Iterable[ExportRecord]) -> tuple[list[Path], int]:
        """Write both files (whole or not at all); returns them and the count of values
        left blank by the de-identification."""
        prefix = Path(prefix)
        stem = prefix.name[:-4] if prefix.suffix.lower() == ".csv" else prefix.name
        dictionary = prefix.with_name(f"{stem}_dictionary.csv")
        data = prefix.with_name(f"{stem}_data.csv")
        writer = _DataWriter(self)
        with contextlib.ExitStack() as stack:
            temporary = {path: stack.enter_context(replacing(path)) for path in (dictionary, data)}
            files = {path: stack.enter_context(open(temporary[path], "w", encoding="utf-8", newline=""))
                     for path in temporary}
            csv.writer(files[dictionary]).writerows(self.dictionary_rows())
            out = csv.writer(files[data])
            out.writerow(self.data_header())
            for record in records:
                out.writerows(writer.rows(record))
        return [dictionary, data], writer.deidentifier.blanked


class _Logic:
    """A condition in REDCap's branching logic syntax, or None where it cannot be said."""

    def __init__(self, project: RedcapProject, group: Item | None) -> None:
        self.p, self.group = project, group

    def variable(self, name: str) -> tuple[str, str] | None:
        """The REDCap variable of a name and the app's type of its values."""
        if self.group is not None and self.group.field(name) is not None:
            path, item = f"{self.group.id}.{name}", self.group.field(name)
        else:
            path, item = name, self.p.q.items_by_id.get(name)
        variable = self.p.names.get(path)
        if variable is not None and item is None and name in self.p.q.computed:
            return variable, "computed"  # a calc field (an age)
        if item is None or variable is None or item.type == "group":
            return None
        return variable, item.type

    def say(self, node: Node) -> str | None:
        if isinstance(node, Binary) and node.op in ("and", "or"):
            left, right = self.say(node.left), self.say(node.right)
            if left is None or right is None:
                return None
            return f"({left}) {node.op} ({right})"
        if isinstance(node, Binary) and isinstance(node.left, Name):
            return self.compare(node.left.name, node.op, node.right)
        if isinstance(node, Binary) and node.op == "=" and isinstance(node.left, Call) \
                and node.left.function == "attr" and isinstance(node.right, Literal):
            return self.attribute(node.left, node.right.value)
        if isinstance(node, Call) and node.args and isinstance(node.args[0], Name):
            found = self.variable(node.args[0].name)
            if found is None:
                return None
            variable, kind = found
            if node.function == "answered":
                if kind == "multi_choice":
                    item = self.p.q.items_by_id.get(node.args[0].name) or self.group.field(node.args[0].name)
                    return " or ".join(f"[{variable}({c.code})] = '1'" for c in item.choices)
                return f"[{variable}] <> ''"
            if node.function in ("has", "has_any") and kind == "multi_choice" and len(node.args) == 2:
                codes = _literals(node.args[1])
                if codes is not None:
                    return " or ".join(f"[{variable}({code})] = '1'" for code in codes)
        return None

    def attribute(self, call: Call, wanted: Any) -> str | None:
        """`attr(drug, "route") = "infusion"`: the codes whose attribute is that, spelled
        out (for the choice list as it is)."""
        names = _literals(call.args[1]) if len(call.args) == 2 else None
        if not isinstance(call.args[0], Name) or not names:
            return None
        found = self.variable(call.args[0].name)
        item = (self.group.field(call.args[0].name) if self.group is not None else None) \
            or self.p.q.items_by_id.get(call.args[0].name)
        if found is None or item is None or found[1] not in ("single_choice", "yes_no_unsure"):
            return None
        codes = [c.code for c in item.choices if c.attrs.get(str(names[0])) == wanted]
        if not codes:
            return None
        return " or ".join(f"[{found[0]}] = '{code}'" for code in codes)

    def compare(self, name: str, op: str, other: Node) -> str | None:
        found = self.variable(name)
        values = _literals(other)
        if found is None or values is None or (self.p.deidentify and found[1] == "date"):
            return None
        variable, kind = found
        if op in ("in", "not in"):
            parts = [self.compare(name, "=" if op == "in" else "!=", Literal(v)) for v in values]
            if any(p is None for p in parts):
                return None
            return f" {'or' if op == 'in' else 'and'} ".join(f"({p})" for p in parts)
        if op not in REDCAP_OPERATORS or len(values) != 1 or kind == "multi_choice":
            return None
        value = values[0]
        if kind in ("yes_no",):
            value = {"yes": "1", "no": "0"}.get(value)
            if value is None:
                return None
        shown = f"'{value}'" if isinstance(value, str) else f"{value:g}"
        if isinstance(value, str) and "'" in value:
            return None
        if op == "=":
            return f"[{variable}] = {shown}"
        # The app hides the field when the answer is missing; in REDCap a blank compares
        # (blank <> 'x' is true), so the logic says "answered" too.
        return f"[{variable}] <> '' and [{variable}] {REDCAP_OPERATORS[op]} {shown}"


class _DataWriter:
    """Rows of the data file for one submission: its own row, then one per group row."""

    def __init__(self, project: RedcapProject) -> None:
        self.p = project
        self.header = project.data_header()
        self.index = {column: number for number, column in enumerate(self.header)}
        self.deidentifier = Deidentifier()
        # Found once, not per submission: the metadata cells of a submission's own row, and
        # the fields that take an answer (REDCap shows descriptive fields and computes calc
        # fields itself), each as (the item's id, the field).
        main = [e for form in project.forms if form.group is None for e in form.fields
                if e.kind not in ("descriptive", "calc")]
        self.meta = [(e.meta, self.index[e.name], project.deidentify and e.meta.endswith("_at"))
                     for e in main if e.meta and e.meta != "record_id"]
        self.answered = [(e.source.id, e) for e in main if not e.meta and e.source is not None]
        self.repeating = [(form, [(e.source.id, e) for e in form.fields if not e.meta
                                  and e.source is not None and e.kind not in ("descriptive", "calc")])
                          for form in project.forms if form.group is not None]

    def rows(self, record: ExportRecord) -> list[list[str]]:
        answers, groups, today = record.applicable.answers, record.applicable.groups, record.today
        record_id = self.deidentifier.record_id(record.submission_id) if self.p.deidentify \
            else str(record.submission_id)
        main = [""] * len(self.header)
        main[0] = record_id
        rows = [main]
        for meta, index, timed in self.meta:
            raw = getattr(record, meta) or ""
            main[index] = year_of(raw) if timed else str(raw)
        for item_id, entry in self.answered:
            if (value := answers.get(item_id)) is not None:  # None: unanswered, or not applicable
                self.put(main, entry, value, today)
        for form, fields in self.repeating:
            for instance, answered in enumerate(groups.get(form.group.id, ()), start=1):
                line = [""] * len(self.header)
                line[0], line[1], line[2] = record_id, form.name, str(instance)
                for field_id, entry in fields:
                    if (value := answered.get(field_id)) is not None:
                        self.put(line, entry, value, today)
                rows.append(line)
        self.deidentifier.forget(record.submission_id)
        return rows

    def put(self, line: list[str], entry: Field, value: Any, today: Any) -> None:
        """One answer that applies into its cell (a checkbox: its 0/1 cells)."""
        item = entry.source
        if self.p.deidentify:  # valid for its type, dates as years, the age for the birth date
            value = self.deidentifier.value(item, value, today)
            if value is None:
                return
        if entry.kind == "checkbox":
            chosen = value if isinstance(value, list) else []
            for code in entry.codes:
                line[self.index[f"{entry.name}___{code}"]] = "1" if code in chosen else "0"
            return
        line[self.index[entry.name]] = _data_cell(item, entry, value)


def _data_cell(item: Item, entry: Field, value: Any) -> str:
    if type(value) is str and entry.kind != "yesno":  # most answers: their text
        return value.strip() if item.type == "date" else value
    if entry.kind == "yesno":
        return "1" if value in ("yes", True) else "0" if value == "no" else ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # never 1e-05: REDCap's number validation wants digits
        return repr(value) if "e" not in repr(value) else f"{value:.15f}".rstrip("0").rstrip(".")
    if isinstance(value, dict):  # a signature: when it was signed
        return str(value.get("signed_at") or "")
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value).strip() if item.type == "date" else str(value)


def _literals(node: Node) -> list[Any] | None:
    if isinstance(node, Literal):
        return [node.value]
    if isinstance(node, ListOf) and all(isinstance(n, Literal) for n in node.items):
        return [n.value for n in node.items]
    return None


def _first_name(expr: Expression) -> str | None:
    return next(iter(sorted(expr.names)), None)


def _one_line(text: str) -> str:
    """A choice label on one line, without REDCap's separators (`|` would split it)."""
    return " ".join(text.replace("|", "/").split())
