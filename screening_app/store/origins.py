"""Where an imported submission came from: what another system said about its answers.

A QuestionnaireResponse from another system says when it was answered (`authored`), whom
it is about (`subject`), who wrote it down (`author`) and who gave the answers (`source`).
`import-responses` keeps them (table `submission_origins`, one row per imported
submission, written in the import's transaction) and the FHIR export gives them back, so
a response that goes through the app comes out saying what it said when it came in.
`authored` also becomes the submission's own time (started, updated and, once submitted,
submitted): the answers were given then, not when the file was imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .normalise import from_json, to_json, utc_timestamp

if TYPE_CHECKING:
    from .backends import Sql as Database  # a backend's statements (store/backends/)

ORIGIN_KEYS = ("subject", "author", "source", "id", "identifier")


def authored_timestamp(value: Any) -> str | None:
    """A FHIR dateTime with a time and an offset as the store's UTC timestamp, or None (a
    date alone, or no offset, says too little to place it on the store's clock)."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return utc_timestamp(moment) if moment.tzinfo is not None and moment <= datetime.now(UTC) else None


class OriginsMixin:
    def _record_origin(self, db: Database, submission_id: int, origin: Mapping[str, Any],
                       submitted: bool, now: str) -> None:
        """Keep what the source said; `authored` (as a timestamp) becomes the submission's time."""
        kept = {key: origin[key] for key in ORIGIN_KEYS if origin.get(key) is not None}
        authored = origin.get("authored") if isinstance(origin.get("authored"), str) else None
        db.execute("INSERT INTO submission_origins (submission_id, authored, origin_json, imported_at)"
                   " VALUES (?, ?, ?, ?)", (submission_id, authored, to_json(kept), now))
        moment = authored_timestamp(authored)
        if moment is not None:
            db.execute("UPDATE submissions SET started_at = CASE WHEN started_at < ? THEN"
                       " started_at ELSE ? END, updated_at = ?"
                       + (", submitted_at = ?" if submitted else "") + " WHERE id = ?",
                       (moment, moment, moment, *((moment,) if submitted else ()), submission_id))

    def origin(self, submission_id: int) -> dict[str, Any] | None:
        """What the source of an imported submission said (`authored`, `subject`, ...), or None."""
        with self._read() as db:  # type: ignore[attr-defined]
            row = next(db.query("SELECT authored, origin_json FROM submission_origins"
                                " WHERE submission_id = ?", (submission_id,)), None)
        if row is None:
            return None
        return {"authored": row["authored"], **(from_json(row["origin_json"]) or {})}
