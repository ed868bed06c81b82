"""Candidates: the person behind one or more submissions.

Decisions:

- The candidate's identity fields are copied from the answers with the same item ids as
  they are saved (`CANDIDATE_FIELDS`), so the desk can list and search people without
  reading answers; the answers stay the record of what the person said.
- Possible duplicates are candidates whose normalised first and last names (case-folded,
  accents and punctuation removed) and date of birth are equal - also with first and last
  name swapped, a common slip at a desk. Creating a candidate that has possible duplicates
  is refused with `PossibleDuplicate` unless the caller passes `allow_duplicate=True`
  after a person has looked at them. Nothing is ever merged automatically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import StoreBase, require_actor
from .errors import ErrorCode, NotFound, PossibleDuplicate
from .normalise import digits, normalise_name, search_terms
from .records import CandidateRecord

if TYPE_CHECKING:
    from sqlite_utils import Database  # sqlite-utils is imported when first used (base.py)

CANDIDATE_FIELDS = ("first_name", "last_name", "date_of_birth", "sex_at_birth", "phone", "email")

_CANDIDATE_COLUMNS = ", ".join(("id", *CANDIDATE_FIELDS, "created_at", "updated_at"))


def candidate_record(row: dict[str, Any]) -> CandidateRecord:
    return CandidateRecord(**{key: row[key] for key in CandidateRecord.__dataclass_fields__})


class CandidatesMixin(StoreBase):
    def find_possible_duplicates(
        self,
        first_name: str | None,
        last_name: str | None,
        date_of_birth: str | None,
        *,
        exclude_candidate_id: int | None = None,
    ) -> list[CandidateRecord]:
        """Candidates with the same names and date of birth, ignoring case and accents."""
        first, last = normalise_name(first_name), normalise_name(last_name)
        if not (first and last and date_of_birth):
            return []
        rows = self._rows(
            f"SELECT {_CANDIDATE_COLUMNS} FROM candidates"
            " WHERE date_of_birth = :dob AND id != :exclude AND ("
            " (last_name_norm = :last AND first_name_norm = :first)"
            " OR (last_name_norm = :first AND first_name_norm = :last))"
            " ORDER BY id",
            {"dob": date_of_birth, "first": first, "last": last,
             "exclude": -1 if exclude_candidate_id is None else exclude_candidate_id},
        )
        return [candidate_record(row) for row in rows]

    def create_candidate(
        self,
        *,
        actor: str,
        first_name: str | None = None,
        last_name: str | None = None,
        date_of_birth: str | None = None,
        sex_at_birth: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        allow_duplicate: bool = False,
    ) -> int:
        """A new candidate; refused with PossibleDuplicate unless `allow_duplicate`."""
        actor = require_actor(actor)
        fields = {"first_name": first_name, "last_name": last_name,
                  "date_of_birth": date_of_birth, "sex_at_birth": sex_at_birth,
                  "phone": phone, "email": email}
        with self._write() as db:
            if not allow_duplicate:
                matches = self.find_possible_duplicates(first_name, last_name, date_of_birth)
                if matches:
                    raise PossibleDuplicate(matches)
            candidate_id = self._insert_candidate(db, fields)
            self._audit(db, actor, "candidate_created", item=f"candidate:{candidate_id}",
                        new={k: v for k, v in fields.items() if v is not None})
            return candidate_id

    def possible_duplicates_of(self, candidate_id: int) -> list[CandidateRecord]:
        """Other candidates that may be the same person as this one (for the desk)."""
        candidate = self.get_candidate(candidate_id)
        return self.find_possible_duplicates(candidate.first_name, candidate.last_name,
                                             candidate.date_of_birth,
                                             exclude_candidate_id=candidate_id)

    def get_candidate(self, candidate_id: int) -> CandidateRecord:
        row = self._one(f"SELECT {_CANDIDATE_COLUMNS} FROM candidates WHERE id = ?",
                        (candidate_id,))
        if row is None:
            raise NotFound(ErrorCode.NO_CANDIDATE)
        return candidate_record(row)

    # -- inside a transaction -------------------------------------------------------

    def _insert_candidate(self, db: Database, fields: dict[str, Any]) -> int:
        now = self._now()
        values = {key: _as_text(fields.get(key)) for key in CANDIDATE_FIELDS}
        cursor = db.execute(
            "INSERT INTO candidates (first_name, last_name, date_of_birth, sex_at_birth, phone,"
            " email, first_name_norm, last_name_norm, phone_digits, created_at, updated_at)"
            " VALUES (:first_name, :last_name, :date_of_birth, :sex_at_birth, :phone, :email,"
            " :first_norm, :last_norm, :phone_digits, :now, :now)",
            {**values, "first_norm": normalise_name(values["first_name"]),
             "last_norm": normalise_name(values["last_name"]),
             "phone_digits": digits(values["phone"]), "now": now},
        )
        candidate_id = int(cursor.lastrowid)
        self._reindex(db, candidate_id)
        return candidate_id

    def _sync_candidate_field(
        self, db: Database, candidate_id: int, field: str, value: Any, now: str
    ) -> None:
        """Copy an identity answer onto the candidate (non-text values clear it)."""
        if field not in CANDIDATE_FIELDS:
            return
        text = _as_text(value)
        db.execute(f"UPDATE candidates SET {field} = ?, updated_at = ? WHERE id = ?",
                   (text, now, candidate_id))
        if field == "phone":
            db.execute("UPDATE candidates SET phone_digits = ? WHERE id = ?",
                       (digits(text), candidate_id))
        elif field in ("first_name", "last_name"):
            db.execute(f"UPDATE candidates SET {field}_norm = ? WHERE id = ?",
                       (normalise_name(text), candidate_id))
        if field in ("phone", "first_name", "last_name"):
            self._reindex(db, candidate_id, replace=True)

    def _reindex(self, db: Database, candidate_id: int, replace: bool = False) -> None:
        """Rewrite the candidate's search terms from its names and phone."""
        row = next(db.query("SELECT first_name, last_name, phone FROM candidates WHERE id = ?",
                            (candidate_id,)))
        if replace:
            db.execute("DELETE FROM candidate_search_terms WHERE candidate_id = ?",
                       (candidate_id,))
        db.conn.executemany(
            "INSERT INTO candidate_search_terms (term, candidate_id) VALUES (?, ?)",
            [(term, candidate_id)
             for term in sorted(search_terms(row["first_name"], row["last_name"], row["phone"]))],
        )


def _as_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
