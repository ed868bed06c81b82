"""Clinic settings: a small key -> JSON value table, with defaults in code.

Known numeric settings must be positive whole numbers; changes are audited.
"""

from __future__ import annotations

from typing import Any

from .base import StoreBase, require_actor
from .normalise import from_json, to_json

DEFAULT_SETTINGS: dict[str, Any] = {
    "clinic_name": "",
    "study_name": "",
    "kiosk_idle_seconds": 180,
    "desk_idle_minutes": 15,
    # The kiosk's thank-you page: "The study team will contact you within N working days."
    "kiosk_contact_working_days": 10,
}
_POSITIVE_INTEGERS = {"kiosk_idle_seconds", "desk_idle_minutes", "kiosk_contact_working_days"}

_MISSING = object()


class SettingsMixin(StoreBase):
    def get_setting(self, key: str, default: Any = _MISSING) -> Any:
        """The stored value, else `default`, else the built-in default (None if none)."""
        row = self._one("SELECT value_json FROM settings WHERE key = ?", (key,))
        if row is not None:
            return from_json(row["value_json"])
        if default is not _MISSING:
            return default
        return DEFAULT_SETTINGS.get(key)

    def all_settings(self) -> dict[str, Any]:
        stored = {r["key"]: from_json(r["value_json"])
                  for r in self._rows("SELECT key, value_json FROM settings")}
        return {**DEFAULT_SETTINGS, **stored}

    def set_setting(self, key: str, value: Any, actor: str) -> None:
        actor = require_actor(actor)
        if key in _POSITIVE_INTEGERS and (
            isinstance(value, bool) or not isinstance(value, int) or value <= 0
        ):
            raise ValueError(f"{key} must be a positive whole number")
        text = to_json(value)
        with self._write() as db:
            row = next(db.query("SELECT value_json FROM settings WHERE key = ?", (key,)), None)
            old = from_json(row["value_json"]) if row else DEFAULT_SETTINGS.get(key)
            if row is not None and row["value_json"] == text:
                return
            now = self._now()
            db.execute("INSERT INTO settings (key, value_json, updated_at, updated_by)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                       " value_json = excluded.value_json, updated_at = excluded.updated_at,"
                       " updated_by = excluded.updated_by", (key, text, now, actor))
            self._audit(db, actor, "setting_changed", item=key, old=old, new=value, at=now)
