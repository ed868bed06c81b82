"""The questionnaire model: frozen dataclasses, built and validated once by `loader`.

Nothing here changes after load; a Session reads it, the store pins its source text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from screening_app.engine.expressions import Expression

SHIPPED_ID = "msc-ms-onboarding"

TEXT_TYPES = frozenset({"text", "long_text", "email", "phone"})
NUMBER_TYPES = frozenset({"integer", "decimal", "year"})
CHOICE_TYPES = frozenset({"yes_no", "yes_no_unsure", "single_choice", "multi_choice"})
ITEM_TYPES = frozenset(
    TEXT_TYPES | NUMBER_TYPES | CHOICE_TYPES
    | {"date", "info", "group", "consent", "signature"}
)
SEVERITIES = ("exclusion", "review", "info")  # the order a clinician reads them in
# What an answer may hold when its definition does not say: rows of a group, characters
# of a text. Both are checked as answers are given and when they are imported; without
# them 10,000 treatment rows or a 1 MB text were accepted and submitted.
DEFAULT_MAX_ROWS = 50
DEFAULT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Text:
    """One text in every language of the questionnaire."""

    translations: Mapping[str, str]

    def get(self, lang: str) -> str:
        text = self.translations.get(lang)
        return text if text else next(iter(self.translations.values()), "")


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text
    exclusive: bool = False
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """A validation check: it *fails* (shows its message) when `when` is true."""

    id: str
    severity: str  # "error" or "warning"
    when: Expression
    message: Text


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    label: Text
    help: Text | None = None
    required: bool = False
    shown_when: Expression | None = None
    choices: tuple[Choice, ...] = ()
    ordinal: bool = False
    min: float | None = None
    max: float | None = None
    step: float | None = None
    max_length: int | None = None
    max_rows: int | None = None
    pattern: str | None = None
    pattern_message: Text | None = None
    precision: str = "day"
    not_future: bool = False
    prefill: Expression | None = None
    items: tuple[Item, ...] = ()
    row_label: str | None = None
    checks: tuple[Check, ...] = ()
    attrs: Mapping[str, str] = field(default_factory=dict)  # extra facts, e.g. a source's ids
    # The answer identifies the person (a name, a record number, a zip code, a date of
    # admission): de-identified exports leave it out, whatever its type.
    identifier: bool = False
    # The section (an info item with items) or the question (its follow-ups) this item
    # stands under in its step, or (a group's field) in its group's row; None at the
    # step's (or the row's) own level. A step's items, and a group's fields, are listed in
    # reading order, each after the one it stands under.
    parent: str | None = None

    @property
    def is_input(self) -> bool:
        return self.type != "info"

    @property
    def untitled(self) -> bool:
        """A section without a label (a FHIR group without text): it holds its items
        (their condition, "at least one answer", the source's structure) but shows no
        heading, since the only name it has is an internal id."""
        return not self.label.translations

    @property
    def text_limit(self) -> int:
        """The most characters a text answer may have (`max_length`, else the default)."""
        return self.max_length or DEFAULT_MAX_LENGTH

    @property
    def row_limit(self) -> int:
        """The most rows a group may have (`max_rows`, else the default)."""
        return self.max_rows or DEFAULT_MAX_ROWS

    def choice(self, code: str) -> Choice | None:
        try:
            return self._choices_by_code.get(code)
        except TypeError:  # a stored answer of another shape (a list, a dict): no choice
            return None

    @cached_property
    def _choices_by_code(self) -> dict[str, Choice]:
        # Looked up for every stored answer an export checks (600,000 times for 10,000
        # submissions): a dict, made once per item, not a scan of the choices each time.
        return {c.code: c for c in reversed(self.choices)}  # the first of a code wins

    def field(self, field_id: str) -> Item | None:
        return next((i for i in self.items if i.id == field_id), None)

    def fields_under(self, field_id: str) -> list[Item]:
        """The fields of this group's rows standing under a section or a question of the
        row (its follow-ups), at any depth; as `Questionnaire.under` for a step."""
        return _under(self.items, field_id)


@dataclass(frozen=True)
class Step:
    id: str
    title: Text
    items: tuple[Item, ...]
    intro: Text | None = None
    shown_when: Expression | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Parameter:
    id: str
    value: float
    label: Text


@dataclass(frozen=True)
class Computed:
    id: str
    label: Text
    type: str
    expr: Expression


@dataclass(frozen=True)
class Rule:
    """A screening rule (`kind` "screening": a protocol criterion), or a consistency rule
    (`kind` "consistency": answers that do not fit each other; always a review flag, and
    its evidence names both answers). Both raise flags for the clinician, never a verdict."""

    id: str
    severity: str
    criterion: Text
    when: Expression
    kind: str = "screening"


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    languages: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    steps: tuple[Step, ...]
    computed: Mapping[str, Computed]
    rules: tuple[Rule, ...]
    source_text: str
    content_hash: str
    source: str
    description: Text | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)
    # How long a person takes, in whole minutes (the kiosk's welcome page says "about N
    # minutes"); None when the definition does not say, and then nothing is claimed.
    estimated_minutes: int | None = None
    # Indexes built by the loader: item id -> item, item id -> its step's id, and the
    # reading order of every path-like key (top-level ids and group fields) for sorting.
    items_by_id: Mapping[str, Item] = field(default_factory=dict, repr=False)
    step_of: Mapping[str, str] = field(default_factory=dict, repr=False)
    order: Mapping[str, int] = field(default_factory=dict, repr=False)

    def item(self, item_id: str) -> Item:
        return self.items_by_id[item_id]

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def all_items(self) -> Iterator[Item]:
        for step in self.steps:
            yield from step.items

    def under(self, item_id: str) -> list[Item]:
        """The items standing under a section or a question (its follow-ups), at any depth."""
        return _under(self.step(self.step_of[item_id]).items, item_id)

    def item_count(self) -> int:
        return sum(1 + len(item.items) for item in self.all_items() if item.is_input)


def _under(items: tuple[Item, ...], item_id: str) -> list[Item]:
    """Of items in reading order (each after the one it stands under), those under `item_id`."""
    found: list[Item] = []
    ids = {item_id}
    for item in items:
        if item.parent in ids:
            found.append(item)
            ids.add(item.id)
    return found
