"""The desk's two actions on a person record: linking a new submission to a person already
recorded, and correcting the record (see candidates.py for what the record is for).

Decisions:

- "It is the same person" (`start_for_person`) never changes the record. When the names
  typed at the desk are spelled differently from the record's (case, accents, a swapped
  first and last name), the coordinator has seen both and chosen which spelling the new
  submission's answers start with; the link is audited on the new submission with the
  recorded spelling as the old value and the typed one as the new, and the action names
  the choice (`same_person_stored_spelling` / `same_person_typed_spelling`; `same_person`
  when they agree).
- "Correct the person's details" (`correct_person`) changes only the fields given, needs
  a reason, and audits the record's old and new values (`person_corrected`). The
  submissions the coordinator ticked get the same fields as answer edits with the same
  reason, each audited in its own history, and a submitted one is checked and its flags
  recomputed as any edit after submission is. All in one transaction: a withdrawn
  submission or an edit that would leave an error changes nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .base import require_actor
from .candidates import CANDIDATE_FIELDS, LISTED_FIELDS, as_text
from .errors import ErrorCode, ReasonRequired
from .normalise import from_json
from .records import PersonSubmission
from .submissions import SubmissionsMixin

NAME_FIELDS = ("first_name", "last_name")
CARRIED_FIELDS = ("sex_at_birth", "phone", "email")  # known of the person: a new draft starts with them


def spelled_differently(recorded: Mapping[str, Any], typed: Mapping[str, Any]) -> bool:
    """Whether the names typed now differ from the recorded ones, letter for letter."""
    return any(as_text(recorded.get(f)) != as_text(typed.get(f)) for f in NAME_FIELDS)


class PeopleMixin(SubmissionsMixin):
    def start_for_person(
        self,
        questionnaire: Any,
        lang: str,
        actor: str,
        candidate_id: int,
        typed: Mapping[str, Any],
        *,
        use_typed: bool = False,
    ) -> int:
        """A new draft for a person already recorded; the record is not changed.

        `typed`: the names and date of birth typed at the desk. The draft's answers start
        with the recorded spelling, or the typed one when `use_typed` (a part the record
        lacks is taken from what was typed), and with the person's known sex at birth,
        phone and e-mail (asked again otherwise, though nothing about them changed).
        """
        actor = require_actor(actor)
        typed_text = {f: as_text(typed.get(f)) for f in LISTED_FIELDS}
        with self._write() as db:
            person = self.get_candidate(candidate_id)
            recorded = {f: getattr(person, f) for f in LISTED_FIELDS}
            first = typed_text if use_typed else recorded
            answers = {f: first[f] or typed_text[f] for f in LISTED_FIELDS}
            answers |= {f: getattr(person, f) for f in CARRIED_FIELDS}
            submission_id = self.start_submission(questionnaire, lang, actor,
                                                  candidate_id=candidate_id)
            action = "same_person"
            if spelled_differently(recorded, typed_text):
                action += "_typed_spelling" if use_typed else "_stored_spelling"
            self._audit(db, actor, action, submission_id=submission_id,
                        item=f"candidate:{candidate_id}",
                        old={f: recorded[f] for f in NAME_FIELDS},
                        new={f: typed_text[f] for f in NAME_FIELDS})
            asked = questionnaire.items_by_id  # an imported questionnaire may ask none of them
            self.save_answers(submission_id, {f: v for f, v in answers.items() if v and f in asked},
                              actor)
            return submission_id

    def correct_person(
        self,
        candidate_id: int,
        changes: Mapping[str, Any],
        *,
        actor: str,
        reason: str | None,
        submissions: Iterable[int] = (),
    ) -> list[int]:
        """Change the person record's `changes` (field -> new value, None clears) and the
        same answers of the chosen `submissions` (this person's); returns the ids of the
        submissions whose answers changed."""
        actor = require_actor(actor)
        reason = reason.strip() if reason and reason.strip() else None
        if reason is None:
            raise ReasonRequired(ErrorCode.PERSON_REASON)
        unknown = set(changes) - set(CANDIDATE_FIELDS)
        if unknown:
            raise ValueError(f"not a field of the person record: {sorted(unknown)}")
        wanted = {field: as_text(value) for field, value in changes.items()}
        chosen = sorted(set(submissions))
        with self._write() as db:
            person = self.get_candidate(candidate_id)
            own = {row["id"] for row in db.query(
                "SELECT id FROM submissions WHERE candidate_id = ?", (candidate_id,))}
            if not set(chosen) <= own:
                raise ValueError("only this person's submissions can be corrected with them")
            old = {field: getattr(person, field) for field in wanted}
            changed = {field: value for field, value in wanted.items() if value != old[field]}
            if changed:
                now = self._now()
                self._set_candidate_fields(db, candidate_id, changed, now)
                self._audit(db, actor, "person_corrected", item=f"candidate:{candidate_id}",
                            old={f: old[f] for f in changed}, new=changed, reason=reason, at=now)
            return [submission_id for submission_id in chosen
                    if self.save_answers(submission_id, wanted, actor, reason=reason)]

    def person_submissions(self, candidate_id: int) -> list[PersonSubmission]:
        """Each of the person's submissions, oldest first, with what it says about them:
        what "Correct the person's details" shows it may touch."""
        found: dict[int, PersonSubmission] = {}
        for row in self._rows(
                "SELECT s.id, s.status, s.started_at, a.path, a.value_json FROM submissions s"
                " LEFT JOIN answers a ON a.submission_id = s.id AND a.path IN"
                f" ({', '.join('?' for _ in CANDIDATE_FIELDS)})"
                " WHERE s.candidate_id = ? ORDER BY s.id", (*CANDIDATE_FIELDS, candidate_id)):
            entry = found.setdefault(row["id"], PersonSubmission(
                row["id"], row["status"], row["started_at"], dict.fromkeys(CANDIDATE_FIELDS)))
            if row["path"] is not None:
                entry.said[row["path"]] = as_text(from_json(row["value_json"]))
        return list(found.values())
