"""The audit trail's hash chain, computed in Python so every backend gets the same hashes.

Each audit row carries `chain_hash`, the SHA-256 of the previous row's `chain_hash` and
the row's own content, in `id` order. Changing, removing or inserting a row in the
middle of the trail (with any tool that does not recompute every later hash) breaks the
chain at that row. docs/storage.md defines the serialisation; a PostgreSQL backend
computes it with `chain_hash()` below.

Serialisation (version 1):

    content = JSON array [at, actor, action, submission_id, item, old_value, new_value,
              reason] with json.dumps(ensure_ascii=True, separators=(",", ":")):
              strings as JSON strings (non-ASCII as \\uXXXX escapes, astral characters
              as surrogate pairs), submission_id as a decimal integer, absent values null
    chain_hash = lowercase hex SHA-256 of the ASCII bytes of
                 previous chain_hash + "\\n" + content
    the first row's previous chain_hash is GENESIS (64 zeros)

`old_value` and `new_value` are the stored JSON texts (strings), not the values inside.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
CONTENT_COLUMNS = ("at", "actor", "action", "submission_id", "item", "old_value",
                   "new_value", "reason")
_TEXT = (str, type(None))


def content_of(row: Sequence[Any]) -> str:
    """The canonical text of one row's content (the values of CONTENT_COLUMNS in order)."""
    if len(row) != len(CONTENT_COLUMNS):
        raise ValueError(f"an audit row has {len(CONTENT_COLUMNS)} content values")
    at, actor, action, submission_id, *texts = row
    if not (isinstance(at, str) and isinstance(actor, str) and isinstance(action, str)):
        raise TypeError("audit at, actor and action are text")
    if submission_id is not None and (isinstance(submission_id, bool)
                                      or not isinstance(submission_id, int)):
        raise TypeError("audit submission_id is an integer or None")
    if not all(isinstance(text, _TEXT) for text in texts):
        raise TypeError("audit item, values and reason are text or None")
    return json.dumps(list(row), ensure_ascii=True, separators=(",", ":"))


def chain_hash(previous: str, row: Sequence[Any]) -> str:
    return hashlib.sha256(f"{previous}\n{content_of(row)}".encode("ascii")).hexdigest()


def chained(previous: str, rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """`rows` (content values) each with its chain hash appended, continuing `previous`."""
    out = []
    for row in rows:
        previous = chain_hash(previous, row)
        out.append((*row, previous))
    return out


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of verifying the chain: `broken_id` is the first row that fails;
    `changed_definitions` the ids of pinned definitions whose text no longer matches the
    hash they were pinned under (changed outside the app)."""

    rows: int
    head: str  # the last row's chain hash (GENESIS for an empty trail)
    broken_id: int | None = None
    problem: str | None = None
    changed_definitions: tuple[int, ...] = ()

    @property
    def intact(self) -> bool:
        return self.broken_id is None and not self.changed_definitions


def definition_matches(content_hash: str, source_text: str) -> bool:
    """Whether a pinned definition's text is still the one its `content_hash` names."""
    return hashlib.sha256(source_text.encode("utf-8")).hexdigest() == content_hash


def verify(rows: Iterable[Sequence[Any]]) -> AuditCheck:
    """Check rows of (id, *CONTENT_COLUMNS, chain_hash) given in id order."""
    previous, count = GENESIS, 0
    for row in rows:
        row_id, content, stored = row[0], row[1:-1], row[-1]
        try:
            expected = chain_hash(previous, content)
        except (TypeError, ValueError):
            return AuditCheck(count, previous, row_id, "a value has the wrong type")
        if stored is None:
            return AuditCheck(count, previous, row_id, "the row has no chain hash")
        if stored != expected:
            return AuditCheck(count, previous, row_id,
                              "the row, or one before it, was changed, removed or inserted "
                              "outside the app")
        previous, count = expected, count + 1
    return AuditCheck(count, previous)
