"""Read a YAML definition into a Questionnaire, refusing it with every problem found.

Each problem has a code (see docs/definition-format.md), the file, a path such as
`steps[3].items[2].shown_when` and, where we can guess, a hint. Loading collects all
problems before refusing, so an author fixes a file in one pass.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from screening_app.engine import expressions as ex
from screening_app.engine.dates import PRECISIONS
from screening_app.engine.definition import (
    CHOICE_TYPES,
    ITEM_TYPES,
    NUMBER_TYPES,
    SEVERITIES,
    SHIPPED_ID,
    TEXT_TYPES,
    Check,
    Choice,
    Computed,
    Item,
    Parameter,
    Questionnaire,
    Rule,
    Step,
    Text,
)
from screening_app.engine.typecheck import NameInfo, check, nearest
from screening_app.engine.validation import refused_characters
from screening_app.resources import RESOURCES, SAFE_LOADER

MAX_MINUTES = 120  # the longest `estimated_minutes` a kiosk questionnaire may claim

KEYS = {
    "questionnaire": (
        {"id", "version", "languages", "title", "steps"},
        {"description", "estimated_minutes", "parameters", "computed", "rules", "consistency", "attrs"},
    ),
    "parameter": ({"value", "label"}, set()),
    "computed": ({"id", "label", "type", "expr"}, set()),
    "step": ({"id", "title", "items"}, {"intro", "shown_when", "attrs"}),
    "item": (
        {"id", "type"},
        {
            "label",  # every item's but an untitled section's (checked in `item`)
            "help",
            "required",
            "shown_when",
            "choices",
            "ordinal",
            "min",
            "max",
            "step",
            "max_length",
            "max_rows",
            "pattern",
            "pattern_message",
            "precision",
            "not_future",
            "prefill",
            "items",
            "row_label",
            "checks",
            "attrs",
            "identifier",
        },
    ),
    "choice": ({"code", "label"}, {"exclusive", "attrs"}),
    "check": ({"id", "severity", "when", "message"}, set()),
    "rule": ({"id", "severity", "criterion", "when"}, set()),
    "consistency rule": ({"id", "criterion", "when"}, set()),
}
# Which item types each optional property fits (anything not listed fits every input type).
PROPERTY_TYPES = {
    "choices": {"single_choice", "multi_choice", "yes_no", "yes_no_unsure"},
    "ordinal": {"single_choice"},
    "min": NUMBER_TYPES,
    "max": NUMBER_TYPES,
    "step": {"decimal"},
    "max_length": {"text", "long_text"},
    "max_rows": {"group"},
    "pattern": {"text"},
    "pattern_message": {"text"},
    "precision": {"date"},
    "not_future": {"date", "year"},
    "prefill": {"text"},
    "row_label": {"group"},
    # An answer that identifies the person; a group's fields are marked one by one.
    "identifier": ITEM_TYPES - {"info", "group"},
}
COMPUTED_KINDS = {
    "integer": ex.NUMBER,
    "decimal": ex.NUMBER,
    "number": ex.NUMBER,
    "date": ex.DATE,
    "text": ex.TEXT,
    "boolean": ex.BOOL,
}
ID = re.compile(r"[a-z][a-z0-9_]*\Z")
RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
CODE = re.compile(r"[a-z0-9_]+\Z")
QUESTIONNAIRE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
BUILTIN_CHOICES = {
    "yes": {"en": "Yes", "es": "Sí"},
    "no": {"en": "No", "es": "No"},
    "not_sure": {"en": "Not sure", "es": "No estoy seguro/a"},
}
BUILTIN_CODES = {"yes_no": ("yes", "no"), "yes_no_unsure": ("yes", "no", "not_sure")}


@dataclass(frozen=True)
class DefinitionProblem:
    code: str
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.code} {self.path}" if self.path else self.code  # a whole-file problem
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


class DefinitionError(Exception):
    """The definition was refused; `problems` lists every reason."""

    def __init__(self, source: str, problems: list[DefinitionProblem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


def load_file(path: Path) -> Questionnaire:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DefinitionError(
            str(path), [DefinitionProblem("E_YAML", "", _unreadable(error))]
        ) from None
    return load_text(text, str(path))


def load_text(text: str, source: str) -> Questionnaire:
    alias = _first_alias(text)
    if alias is not None:
        raise DefinitionError(source, [DefinitionProblem(
            "E_YAML", alias, "anchors and aliases (&name, *name) are not allowed in a "
            "definition: write each part out where it is used")])
    try:
        raw = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise DefinitionError(
            source,
            [DefinitionProblem("E_YAML", where, f"not readable YAML: {getattr(error, 'problem', error)}")],
        ) from None
    except ValueError as error:  # the YAML is sound, a value in it is not: Python refused it
        raise DefinitionError(source, [DefinitionProblem("E_YAML", "", _unbuilt(error))]) from None
    if _has_endless_number(raw):
        raise DefinitionError(source, [DefinitionProblem("E_YAML", "", TOO_LONG)])
    return _Loader(source, text).load(raw)


TOO_LONG = "a number in the file is too long to read (thousands of digits)"


def _has_endless_number(raw: Any) -> bool:
    """Whether a whole number is too long to be written out again: YAML reads `0xfff...`
    (5,000 f) as a number, but Python refuses to turn one of over 4,300 digits into text,
    and every message that shows the value would raise instead of saying what is wrong."""
    stack = [raw]
    while stack:
        value = stack.pop()
        if isinstance(value, int) and value.bit_length() > 14_000:  # about 4,200 digits
            return True
        if isinstance(value, dict):
            stack += value.keys()
            stack += value.values()
        elif isinstance(value, list):
            stack += value
    return False


def _unbuilt(error: ValueError) -> str:
    """What a value that YAML reads but Python cannot make says: a date that is no date
    (`2020-13-45`: "month must be in 1..12"), a number of over 4,300 digits (Python's
    limit, whose own message speaks of sys.set_int_max_str_digits)."""
    if "digits" in str(error):
        return TOO_LONG
    return f"a value in the file cannot be read ({error})"


def _first_alias(text: str) -> str | None:
    """Where the first YAML anchor or alias is ("line N"), or None. Refused outright: an
    alias repeats what its anchor holds, so nine lines of them make a billion strings (an
    "alias bomb" took 40 s and 3 GB before a MemoryError). Only the scanner runs (a few
    milliseconds for the shipped definition), and only when `&` or `*` appears at all."""
    if "&" not in text and "*" not in text:
        return None
    try:
        for token in yaml.scan(text, Loader=SAFE_LOADER):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                return f"line {token.start_mark.line + 1}"
    except yaml.YAMLError:
        return None  # not YAML at all: the loader says where
    return None


@dataclass
class _PendingExpression:
    path: str
    expression: ex.Expression
    expected: str
    group: str | None  # evaluated in the rows of this group


def _unreadable(error: Exception) -> str:
    if isinstance(error, FileNotFoundError):
        return "there is no such file"
    if isinstance(error, IsADirectoryError):
        return "this is a folder, not a definition file"
    if isinstance(error, PermissionError):
        return "this user may not read the file"
    return f"cannot read the file ({error.__class__.__name__})"


def _word(value: Any) -> str | None:
    """`value` when it is a text (a type, severity or precision name), else None: a list
    or mapping written where a name belongs is a problem to report, not to hash."""
    return value if isinstance(value, str) else None


class _Loader:
    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.source_text = text
        self.problems: list[DefinitionProblem] = []
        self.languages: tuple[str, ...] = ("en",)
        self.pending: list[_PendingExpression] = []
        self.consistency_names: list[tuple[str, ex.Expression]] = []  # path, condition

    def problem(self, code: str, path: str, message: str, hint: str = "") -> None:
        self.problems.append(DefinitionProblem(code, path, message, hint))

    # ------------------------------------------------------------ generic readers

    def mapping(self, raw: Any, path: str, kind: str) -> dict[str, Any]:
        required, optional = KEYS[kind]
        if not isinstance(raw, dict):
            self.problem("E_SCHEMA", path, f"a {kind} must be a mapping of keys")
            return {}
        for key in raw:
            if key not in required | optional:
                self.problem(
                    "E_UNKNOWN_KEY",
                    f"{path}.{key}".lstrip("."),
                    f"`{key}` is not a key of a {kind}",
                    nearest(str(key), required | optional),
                )
        for key in sorted(required - set(raw)):
            self.problem("E_SCHEMA", path or kind, f"the {kind} has no `{key}`")
        return raw

    def text(self, raw: Any, path: str) -> Text:
        if isinstance(raw, str):
            raw = {self.languages[0]: raw} if len(self.languages) == 1 else {"?": raw}
        if not isinstance(raw, dict):
            self.problem("E_SCHEMA", path, "a text must be a mapping of language to text")
            return Text({})
        for lang in self.languages:
            value = raw.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.problem("E_TRANSLATION", path, f"no `{lang}` text")
            elif refused_characters(value, several_lines=True):
                # A right-to-left override in a label (say, from an imported FHIR
                # Questionnaire) shows patients and clinicians other words than written.
                self.problem("E_TEXT", f"{path}.{lang}", "holds a control or text-direction "
                             "character (such as U+202E), which would change what is shown")
        for lang in raw:
            if lang not in self.languages:
                self.problem(
                    "E_TRANSLATION",
                    f"{path}.{lang}",
                    f"`{lang}` is not a language of the questionnaire",
                    nearest(str(lang), self.languages),
                )
        return Text({lang: str(raw.get(lang) or "") for lang in self.languages})

    def ident(self, raw: Any, path: str, pattern: re.Pattern[str] = ID) -> str:
        if not isinstance(raw, str) or not pattern.match(raw):
            self.problem("E_BAD_ID", path, f"{raw!r} is not a valid id (letters, digits, _)")
            return str(raw)
        return raw

    def expression(
        self, raw: Any, path: str, expected: str, group: str | None = None
    ) -> ex.Expression | None:
        if raw is None:
            return None
        if isinstance(raw, bool):  # YAML `true`/`false` written where a condition goes
            raw = "true" if raw else "false"
        try:
            parsed = ex.parse(str(raw))
        except ex.ExpressionError as error:
            self.problem(error.code, path, f"{error.message} in `{raw}`", error.hint)
            return None
        self.pending.append(_PendingExpression(path, parsed, expected, group))
        return parsed

    def attrs(self, raw: dict[str, Any], path: str) -> dict[str, str]:
        """`attrs`: a mapping of extra facts, names and values read as text."""
        attrs = raw.get("attrs") or {}
        if not isinstance(attrs, dict) or any(isinstance(v, dict | list) for v in attrs.values()):
            self.problem("E_SCHEMA", path, "must be a mapping of names to single values")
            return {}
        return {str(k): str(v) for k, v in attrs.items()}

    def minutes(self, raw: Any) -> int | None:
        """`estimated_minutes`: a whole number from 1 to MAX_MINUTES (a patient reads it as
        a promise: a longer one is more likely seconds written for minutes)."""
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_MINUTES:
            shown = repr(raw) if len(repr(raw)) <= 40 else repr(raw)[:40] + "..."
            self.problem("E_SCHEMA", "estimated_minutes",
                         f"must be a whole number of minutes from 1 to {MAX_MINUTES}, not {shown}")
            return None
        return raw

    def flag(self, raw: dict[str, Any], key: str, path: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            self.problem("E_SCHEMA", f"{path}.{key}", "must be true or false")
            return False
        return value

    def number(self, raw: Any, path: str, parameters: Mapping[str, Parameter]) -> float | None:
        if raw is None:
            return None
        if isinstance(raw, str):
            if raw in parameters:
                return parameters[raw].value
            self.problem("E_UNKNOWN_NAME", path, f"`{raw}` is not a parameter", nearest(raw, parameters))
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.problem("E_SCHEMA", path, "must be a number or a parameter name")
            return None
        return raw

    # ------------------------------------------------------------ the document

    def load(self, raw: Any) -> Questionnaire:
        doc = self.mapping(raw, "", "questionnaire")
        languages = doc.get("languages")
        if isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages):
            self.languages = tuple(languages)
        elif doc:
            self.problem("E_SCHEMA", "languages", "must be a list of language codes, e.g. [en, es]")
        qid = doc.get("id")
        if doc and (not isinstance(qid, str) or not QUESTIONNAIRE_ID.match(qid)):
            self.problem("E_BAD_ID", "id", f"{qid!r} is not a valid questionnaire id")
        parameters = self.parameters(doc.get("parameters") or {})
        steps = self.steps(doc.get("steps"), parameters)
        computed = self.computed_values(doc.get("computed") or [])
        rules = self.rules(doc.get("rules") or [])
        rules += self.consistency_rules(doc.get("consistency") or [], rules)
        questionnaire = Questionnaire(
            id=str(qid),
            version=str(doc.get("version", "")),
            title=self.text(doc.get("title"), "title"),
            languages=self.languages,
            parameters=parameters,
            steps=tuple(steps),
            computed=computed,
            rules=tuple(rules),
            source_text=self.source_text,
            content_hash=hashlib.sha256(self.source_text.encode()).hexdigest(),
            source=self.source,
            description=self.text(doc["description"], "description") if "description" in doc else None,
            attrs=self.attrs(doc, "attrs"),
            estimated_minutes=self.minutes(doc.get("estimated_minutes")),
            **_indexes(steps),
        )
        # Names and types are checked even when the structure has problems (every mistake
        # is listed at once); the graph needs sound names, so it waits for them.
        scope = self.check_names(questionnaire)
        if not self.problems:
            from screening_app.engine.graph import check_graph

            for code, path, message in check_graph(questionnaire, scope):
                self.problem(code, path, message)
        if self.problems:
            raise DefinitionError(self.source, self.problems)
        return questionnaire

    def parameters(self, raw: Any) -> dict[str, Parameter]:
        if not isinstance(raw, dict):
            self.problem("E_SCHEMA", "parameters", "must be a mapping of parameter name to value")
            return {}
        result: dict[str, Parameter] = {}
        for name, body in raw.items():
            path = f"parameters.{name}"
            fields = self.mapping(body, path, "parameter")
            value = fields.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float):
                if fields:
                    self.problem("E_SCHEMA", f"{path}.value", "a parameter's value must be a number")
                value = 0
            result[self.ident(name, path)] = Parameter(
                name, value, self.text(fields.get("label"), f"{path}.label")
            )
        return result

    def computed_values(self, raw: Any) -> dict[str, Computed]:
        result: dict[str, Computed] = {}
        for index, body in enumerate(raw if isinstance(raw, list) else []):
            path = f"computed[{index}]"
            fields = self.mapping(body, path, "computed")
            if not fields:
                continue
            kind = COMPUTED_KINDS.get(_word(fields.get("type")))
            if kind is None:
                self.problem(
                    "E_UNKNOWN_TYPE",
                    f"{path}.type",
                    f"`{fields.get('type')}` is not a computed type",
                    nearest(str(fields.get("type")), COMPUTED_KINDS),
                )
                kind = ex.ANY
            expr = self.expression(fields.get("expr"), f"{path}.expr", kind)
            cid = self.ident(fields.get("id"), f"{path}.id")
            if cid in result:
                self.problem("E_DUPLICATE_ID", f"{path}.id", f"`{cid}` is used twice")
            if expr is not None:
                result[cid] = Computed(
                    cid, self.text(fields.get("label"), f"{path}.label"), str(fields.get("type")), expr
                )
        return result

    def rules(self, raw: Any) -> list[Rule]:
        result: list[Rule] = []
        for index, body in enumerate(raw if isinstance(raw, list) else []):
            path = f"rules[{index}]"
            fields = self.mapping(body, path, "rule")
            if not fields:
                continue
            rid = self.ident(fields.get("id"), f"{path}.id", RULE_ID)
            if any(r.id == rid for r in result):
                self.problem("E_DUPLICATE_ID", f"{path}.id", f"rule `{rid}` is defined twice")
            severity = fields.get("severity")
            if _word(severity) not in SEVERITIES:
                self.problem(
                    "E_SCHEMA",
                    f"{path}.severity",
                    f"must be one of {', '.join(SEVERITIES)}",
                    nearest(str(severity), SEVERITIES),
                )
            when = self.expression(fields.get("when"), f"{path}.when", ex.BOOL)
            if when is not None:
                result.append(
                    Rule(rid, str(severity), self.text(fields.get("criterion"), f"{path}.criterion"), when)
                )
        return result

    def consistency_rules(self, raw: Any, rules: list[Rule]) -> list[Rule]:
        """Answers checked against each other: each raises a review flag naming the
        answers that do not fit (its condition must read two answers or more)."""
        result: list[Rule] = []
        for index, body in enumerate(raw if isinstance(raw, list) else []):
            path = f"consistency[{index}]"
            fields = self.mapping(body, path, "consistency rule")
            if not fields:
                continue
            rid = self.ident(fields.get("id"), f"{path}.id", RULE_ID)
            if any(r.id == rid for r in [*rules, *result]):
                self.problem("E_DUPLICATE_ID", f"{path}.id", f"rule `{rid}` is defined twice")
            when = self.expression(fields.get("when"), f"{path}.when", ex.BOOL)
            if when is None:
                continue
            self.consistency_names.append((f"{path}.when", when))
            result.append(Rule(rid, "review", self.text(fields.get("criterion"), f"{path}.criterion"),
                               when, kind="consistency"))
        return result

    def steps(self, raw: Any, parameters: Mapping[str, Parameter]) -> list[Step]:
        if not isinstance(raw, list) or not raw:
            self.problem("E_SCHEMA", "steps", "must be a non-empty list of steps")
            return []
        steps: list[Step] = []
        for index, body in enumerate(raw):
            path = f"steps[{index}]"
            fields = self.mapping(body, path, "step")
            if not fields:
                continue
            items = self.items(fields.get("items"), f"{path}.items", parameters, None)
            steps.append(
                Step(
                    id=self.ident(fields.get("id"), f"{path}.id"),
                    title=self.text(fields.get("title"), f"{path}.title"),
                    items=tuple(items),
                    intro=self.text(fields["intro"], f"{path}.intro") if "intro" in fields else None,
                    shown_when=self.expression(fields.get("shown_when"), f"{path}.shown_when", ex.BOOL),
                    attrs=self.attrs(fields, f"{path}.attrs"),
                )
            )
        return steps

    def items(
        self, raw: Any, path: str, parameters: Mapping[str, Parameter], group: str | None,
        parent: str | None = None,
    ) -> list[Item]:
        if not isinstance(raw, list) or not raw:
            self.problem("E_SCHEMA", path, "must be a non-empty list of items")
            return []
        found: list[Item] = []
        for index, body in enumerate(raw):
            found += self.item(body, f"{path}[{index}]", parameters, group, parent)
        return found

    def item(
        self, raw: Any, path: str, parameters: Mapping[str, Parameter], group: str | None,
        parent: str | None = None,
    ) -> list[Item]:
        """The item and, after it, what stands under it (a section's items, a question's
        follow-ups), each knowing its `parent`: a step's items are one list in reading order."""
        fields = self.mapping(raw, path, "item")
        if not fields:
            return []
        item_id = self.ident(fields.get("id"), f"{path}.id")
        kind = fields.get("type")
        if _word(kind) not in ITEM_TYPES:
            self.problem(
                "E_UNKNOWN_TYPE",
                f"{path}.type",
                f"`{kind}` is not an item type",
                nearest(str(kind), ITEM_TYPES),
            )
            return []
        for key in fields.keys() & PROPERTY_TYPES.keys():
            if kind not in PROPERTY_TYPES[key]:
                self.problem("E_PROPERTY", f"{path}.{key}", f"`{key}` does not apply to a {kind} item")
        if kind == "info" and ("checks" in fields or ("required" in fields and "items" not in fields)):
            self.problem("E_PROPERTY", path, "an info item takes no answer, so no `required` or `checks` "
                         "(a section, an info item with `items`, may be required: at least one answer)")
        section = kind == "info" and "items" in fields
        if "label" not in fields and not section:
            self.problem("E_SCHEMA", path, "the item has no `label` (only a section, an info item "
                         "with `items`, may go without one: it then shows no heading)")
        if kind == "group" and group is not None:
            self.problem("E_PROPERTY", path, "groups cannot be nested")
        choices = self.choices(fields, kind, path)
        ordinal = self.flag(fields, "ordinal", path)
        if ordinal and not all(c.code.isdigit() for c in choices):
            self.problem(
                "E_PROPERTY", f"{path}.ordinal", "every code of an ordinal item must be a whole number"
            )
        low = self.number(fields.get("min"), f"{path}.min", parameters)
        high = self.number(fields.get("max"), f"{path}.max", parameters)
        if low is not None and high is not None and low > high:
            self.problem("E_PROPERTY", f"{path}.min", f"min {low} is above max {high}")
        pattern = fields.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except re.error:
                self.problem("E_PROPERTY", f"{path}.pattern", "not a valid regular expression")
        if pattern is not None and "pattern_message" not in fields:
            self.problem("E_SCHEMA", path, "an item with `pattern` needs a `pattern_message`")
        precision = fields.get("precision", "day")
        if _word(precision) not in PRECISIONS:  # the least of the date a person must give
            self.problem("E_PROPERTY", f"{path}.precision", "must be `day`, `month` or `year`")
        step = fields.get("step")
        if step is not None and (isinstance(step, bool) or not isinstance(step, int | float) or step <= 0):
            self.problem("E_PROPERTY", f"{path}.step", "must be a positive number")
        max_length, max_rows = fields.get("max_length"), fields.get("max_rows")
        for key, limit in (("max_length", max_length), ("max_rows", max_rows)):
            if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
                self.problem("E_PROPERTY", f"{path}.{key}", "must be a whole number above 0")
        fields_of_group = (
            self.items(fields.get("items"), f"{path}.items", parameters, item_id) if kind == "group" else []
        )
        # A section's items or a question's follow-ups, in the step or (a group's field)
        # in the group's row: listed after it, each knowing its parent.
        under = (self.items(fields.get("items"), f"{path}.items", parameters, group, item_id)
                 if kind != "group" and "items" in fields else [])
        row_label = fields.get("row_label")
        if row_label is not None and not any(f.id == row_label for f in fields_of_group):
            self.problem(
                "E_UNKNOWN_NAME",
                f"{path}.row_label",
                f"`{row_label}` is not a field of the group",
                nearest(str(row_label), [f.id for f in fields_of_group]),
            )
        return [Item(
            id=item_id,
            type=kind,
            # An untitled section (a FHIR group without text) has no label at all: no
            # heading is shown, rather than one made of an internal id.
            label=self.text(fields["label"], f"{path}.label") if "label" in fields else Text({}),
            help=self.text(fields["help"], f"{path}.help") if "help" in fields else None,
            required=self.flag(fields, "required", path),
            shown_when=self.expression(fields.get("shown_when"), f"{path}.shown_when", ex.BOOL, group),
            choices=choices,
            ordinal=ordinal,
            min=low,
            max=high,
            step=step,
            max_length=max_length,
            max_rows=max_rows,
            pattern=None if pattern is None else str(pattern),
            pattern_message=(
                self.text(fields["pattern_message"], f"{path}.pattern_message")
                if "pattern_message" in fields
                else None
            ),
            precision=str(precision),
            not_future=self.flag(fields, "not_future", path),
            prefill=self.expression(fields.get("prefill"), f"{path}.prefill", ex.TEXT, group),
            items=tuple(fields_of_group),
            row_label=row_label,
            checks=self.checks(fields.get("checks"), f"{path}.checks", group),
            attrs=self.attrs(fields, f"{path}.attrs"),
            identifier=self.flag(fields, "identifier", path),
            parent=parent,
        ), *under]

    def choices(self, fields: dict[str, Any], kind: str, path: str) -> tuple[Choice, ...]:
        raw = fields.get("choices")
        builtin = BUILTIN_CODES.get(kind)
        if raw is None:
            if kind in {"single_choice", "multi_choice"}:
                self.problem("E_SCHEMA", path, f"a {kind} item needs `choices`")
            if builtin:
                return tuple(
                    Choice(code, Text({lang: BUILTIN_CHOICES[code].get(lang, "") for lang in self.languages}))
                    for code in builtin
                )
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem("E_SCHEMA", f"{path}.choices", "must be a non-empty list")
            return ()
        result: list[Choice] = []
        for index, body in enumerate(raw):
            cpath = f"{path}.choices[{index}]"
            choice = self.mapping(body, cpath, "choice")
            if not choice:
                continue
            code = self.ident(str(choice.get("code")), f"{cpath}.code", CODE)
            if any(c.code == code for c in result):
                self.problem("E_DUPLICATE_ID", f"{cpath}.code", f"code `{code}` is used twice in this item")
            exclusive = self.flag(choice, "exclusive", cpath)
            if exclusive and kind != "multi_choice":
                self.problem("E_PROPERTY", f"{cpath}.exclusive", "only a multi_choice has exclusive choices")
            result.append(
                Choice(code, self.text(choice.get("label"), f"{cpath}.label"), exclusive,
                       self.attrs(choice, f"{cpath}.attrs"))
            )
        if builtin and tuple(c.code for c in result) != builtin:
            self.problem("E_PROPERTY", f"{path}.choices", f"a {kind} item has the codes {', '.join(builtin)}")
        return tuple(result)

    def checks(self, raw: Any, path: str, group: str | None) -> tuple[Check, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem("E_SCHEMA", path, "must be a list of checks")
            return ()
        result: list[Check] = []
        for index, body in enumerate(raw):
            cpath = f"{path}[{index}]"
            fields = self.mapping(body, cpath, "check")
            if not fields:
                continue
            if _word(fields.get("severity")) not in {"error", "warning"}:
                self.problem(
                    "E_SCHEMA",
                    f"{cpath}.severity",
                    "must be `error` or `warning`",
                    nearest(str(fields.get("severity")), ["error", "warning"]),
                )
            when = self.expression(fields.get("when"), f"{cpath}.when", ex.BOOL, group)
            cid = self.ident(fields.get("id"), f"{cpath}.id")
            if any(c.id == cid for c in result):
                self.problem("E_DUPLICATE_ID", f"{cpath}.id", f"check `{cid}` is used twice in this item")
            if when is not None:
                result.append(
                    Check(
                        cid,
                        str(fields.get("severity")),
                        when,
                        self.text(fields.get("message"), f"{cpath}.message"),
                    )
                )
        return tuple(result)

    # ------------------------------------------------------------ names and kinds

    def check_names(self, q: Questionnaire) -> dict[str, NameInfo]:
        scope: dict[str, NameInfo] = {}
        seen_paths: dict[str, str] = {}

        def declare(name: str, info: NameInfo, path: str) -> None:
            if name in seen_paths:
                self.problem("E_DUPLICATE_ID", path, f"`{name}` is already used at {seen_paths[name]}")
            seen_paths[name] = path
            scope[name] = info

        for name in q.parameters:
            declare(name, NameInfo(ex.NUMBER), f"parameters.{name}")
        for index, step in enumerate(q.steps):
            if any(s.id == step.id for s in q.steps[:index]):
                self.problem("E_DUPLICATE_ID", f"steps[{index}].id", f"step `{step.id}` is defined twice")
            for position, item in enumerate(step.items):
                path = f"steps[{index}].items[{position}]"
                declare(item.id, name_info(item), path)
                for fpos, sub in enumerate(item.items):
                    if sub.id in seen_paths or any(s.id == sub.id for s in item.items[:fpos]):
                        self.problem(
                            "E_DUPLICATE_ID", f"{path}.items[{fpos}].id", f"`{sub.id}` is already used"
                        )
        for index, (name, computed) in enumerate(q.computed.items()):
            declare(name, NameInfo(COMPUTED_KINDS.get(_word(computed.type), ex.ANY)), f"computed[{index}].id")
        for index, step in enumerate(q.steps):  # a row field would hide a name of the questionnaire
            for position, item in enumerate(step.items):
                for fpos, sub in enumerate(item.items):
                    if sub.id in q.computed or sub.id in q.parameters:
                        self.problem("E_DUPLICATE_ID", f"steps[{index}].items[{position}].items[{fpos}].id",
                                     f"`{sub.id}` is already used at {seen_paths[sub.id]}")
        for pending in self.pending:
            row = scope[pending.group].fields if pending.group in scope else None
            try:
                check(pending.expression.tree, scope, pending.expected, row)
            except ex.ExpressionError as error:
                self.problem(
                    error.code, pending.path, f"{error.message} in `{pending.expression.text}`", error.hint
                )
        for path, when in self.consistency_names:
            answers = {name for name in when.names | when.row_names if name not in q.parameters
                       and not (name in q.items_by_id and q.item(name).type == "group")}
            if len(answers) < 2:
                self.problem("E_SCHEMA", path, "a consistency rule compares two answers or more; "
                             f"`{when.text}` reads {len(answers)}")
        return scope


def name_info(item: Item) -> NameInfo:
    """What an expression may do with an item's answer."""
    if item.type in TEXT_TYPES:
        return NameInfo(ex.TEXT)
    if item.ordinal:
        numbers = [float(c.code) for c in item.choices if c.code.isdecimal()]  # else: E_PROPERTY
        return NameInfo(ex.NUMBER, bounds=(min(numbers), max(numbers)) if numbers else (None, None))
    if item.type in NUMBER_TYPES:
        return NameInfo(ex.NUMBER, bounds=(item.min, item.max))
    if item.type == "date":
        return NameInfo(ex.DATE)
    if item.type in CHOICE_TYPES:
        codes = frozenset(c.code for c in item.choices)
        attrs = frozenset(k for c in item.choices for k in c.attrs)
        values = {key: frozenset(str(c.attrs[key]) for c in item.choices if key in c.attrs)
                  for key in attrs}
        return NameInfo(ex.CODES if item.type == "multi_choice" else ex.CODE, codes, attrs,
                        attr_values=values)
    if item.type == "consent":
        return NameInfo(ex.BOOL)
    if item.type == "group":
        return NameInfo(ex.GROUP, fields={f.id: name_info(f) for f in item.items})
    return NameInfo(ex.ANY)


def _indexes(steps: list[Step]) -> dict[str, Any]:
    items_by_id: dict[str, Item] = {}
    step_of: dict[str, str] = {}
    order: dict[str, int] = {}
    for step in steps:
        for item in step.items:
            items_by_id.setdefault(item.id, item)
            step_of.setdefault(item.id, step.id)
            order.setdefault(item.id, len(order))
            for sub in item.items:
                order.setdefault(f"{item.id}.{sub.id}", len(order))
    return {"items_by_id": items_by_id, "step_of": step_of, "order": order}


def shipped_questionnaire_path() -> Path:
    return RESOURCES / "questionnaires" / f"{SHIPPED_ID}.yaml"


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Read and validate a definition file; raises DefinitionError."""
    return load_file(Path(path))


def parse_questionnaire(text: str, source: str = "<text>") -> Questionnaire:
    """Validate a definition held in memory (e.g. the text pinned by a submission)."""
    return load_text(text, source)
