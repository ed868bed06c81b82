"""Candidates: the person record that links one or more submissions.

Decisions:

- What a submission says about the person is what was answered in it. The work list, the
  PDF, the CSV and the FHIR export of a submission read its own answers (the listed name
  and date of birth are copied onto the submission row, `LISTED_FIELDS`, in the
  transaction that saves them); nothing done in another submission changes them.
- The person record (`CANDIDATE_FIELDS`) is how the desk finds people and links their
  submissions. It is made from the first answers: while its only submission is a draft,
  that draft's identity answers fill it in. After that it changes only through
  `correct_person` (the desk's "Correct the person's details"): a reason, an audit row
  with the old and new values, and the submissions the coordinator chose to correct too,
  each as an audited answer edit with the same reason. Linking a new submission to a
  person who is already recorded (`start_for_person`) never changes the record.
- A person is found by every spelling recorded for them: the search terms are the words
  of the record's names and of every name their submissions hold, and the phone numbers'
  digit suffixes.
- Possible duplicates are candidates whose normalised first and last names (case-folded,
  accents and punctuation removed) and date of birth are equal - also with first and last
  name swapped, a common slip at a desk. Creating a candidate that has possible duplicates
  is refused with `PossibleDuplicate` unless the caller passes `allow_duplicate=True`
  after a person has looked at them. Nothing is ever merged automatically.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .base import StoreBase, require_actor
from .errors import ErrorCode, NotFound, PossibleDuplicate
from .normalise import digits, from_json, normalise_name, search_terms
from .records import CandidateRecord

if TYPE_CHECKING:
    from .backends import Sql as Database  # a backend's statements (store/backends/)

CANDIDATE_FIELDS = ("first_name", "last_name", "date_of_birth", "sex_at_birth", "phone", "email")
LISTED_FIELDS = ("first_name", "last_name", "date_of_birth")  # also on each submission row
SEARCHED_FIELDS = ("first_name", "last_name", "phone")

_CANDIDATE_COLUMNS = ", ".join(("id", *CANDIDATE_FIELDS, "created_at", "updated_at"))


def candidate_record(row: dict[str, Any]) -> CandidateRecord:
    return CandidateRecord(**{key: row[key] for key in CandidateRecord.__dataclass_fields__})


def identity_of(answers: Mapping[str, Any]) -> dict[str, str | None]:
    """What a submission's answers say about the person: each identity field as text
    (trimmed; empty or not text: None). The work list, the PDF and the FHIR Patient of a
    submission all read it this way."""
    return {field: as_text(answers.get(field)) for field in CANDIDATE_FIELDS}


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
        values = {key: as_text(fields.get(key)) for key in CANDIDATE_FIELDS}
        cursor = db.execute(
            "INSERT INTO candidates (first_name, last_name, date_of_birth, sex_at_birth, phone,"
            " email, first_name_norm, last_name_norm, phone_digits, created_at, updated_at)"
            " VALUES (:first_name, :last_name, :date_of_birth, :sex_at_birth, :phone, :email,"
            " :first_norm, :last_norm, :phone_digits, :now, :now) RETURNING id",
            {**values, "first_norm": normalise_name(values["first_name"]),
             "last_norm": normalise_name(values["last_name"]),
             "phone_digits": digits(values["phone"]), "now": now},
        )
        candidate_id = int(cursor.fetchall()[0][0])
        self._reindex(db, candidate_id)
        return candidate_id

    def _identity_saved(
        self, db: Database, submission_id: int, candidate_id: int, establishing: bool,
        values: Mapping[str, Any], now: str,
    ) -> None:
        """After identity answers of one submission changed (path -> new value): its own
        listed fields; the person record while this draft establishes it; search terms."""
        texts = {field: as_text(value) for field, value in values.items()
                 if field in CANDIDATE_FIELDS}
        listed = {field: text for field, text in texts.items() if field in LISTED_FIELDS}
        if listed:
            assignments = [f"{field} = :{field}" for field in listed]
            assignments += [f"{field}_norm = :{field}_norm" for field in listed
                            if field in ("first_name", "last_name")]
            db.execute(f"UPDATE submissions SET {', '.join(assignments)} WHERE id = :id",
                       {**listed, **{f"{f}_norm": normalise_name(listed[f]) for f in listed},
                        "id": submission_id})
        if establishing and texts:
            self._set_candidate_fields(db, candidate_id, texts, now)
        elif any(field in SEARCHED_FIELDS for field in texts):
            self._reindex(db, candidate_id)

    def _set_candidate_fields(
        self, db: Database, candidate_id: int, texts: Mapping[str, str | None], now: str
    ) -> None:
        assignments = {**texts}
        if "phone" in texts:
            assignments["phone_digits"] = digits(texts["phone"])
        for field in ("first_name", "last_name"):
            if field in texts:
                assignments[f"{field}_norm"] = normalise_name(texts[field])
        columns = ", ".join(f"{column} = :{column}" for column in assignments)
        db.execute(f"UPDATE candidates SET {columns}, updated_at = :now WHERE id = :id",
                   {**assignments, "now": now, "id": candidate_id})
        if any(field in SEARCHED_FIELDS for field in texts):
            self._reindex(db, candidate_id)

    def _reindex(self, db: Database, candidate_id: int) -> None:
        """Rewrite the person's search terms: the record's names and phone, and every name
        and phone their submissions hold."""
        row = next(db.query("SELECT first_name, last_name, phone FROM candidates WHERE id = ?",
                            (candidate_id,)))
        terms = search_terms(row["first_name"], row["last_name"], row["phone"])
        said: dict[int, dict[str, Any]] = {}
        for answer in db.query(
                "SELECT a.submission_id, a.path, a.value_json FROM submissions s"
                " JOIN answers a ON a.submission_id = s.id WHERE s.candidate_id = ?"
                " AND a.path IN ('first_name', 'last_name', 'phone')", (candidate_id,)):
            said.setdefault(answer["submission_id"], {})[answer["path"]] = as_text(
                from_json(answer["value_json"]))
        for values in said.values():
            terms |= search_terms(values.get("first_name"), values.get("last_name"),
                                  values.get("phone"))
        db.execute("DELETE FROM candidate_search_terms WHERE candidate_id = ?", (candidate_id,))
        db.executemany(
            "INSERT INTO candidate_search_terms (term, candidate_id) VALUES (?, ?)",
            [(term, candidate_id) for term in sorted(terms)],
        )


def as_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
