"""Clinic settings: one registry (`SETTINGS`) of every setting the app reads, with its type,
its range or choices and its default; values stored as JSON in a key -> value table.

Adding a setting is one `Setting(...)` line below, plus its label `desk.settings.<key>`
in desk.en.yaml and desk.es.yaml: the desk's "Users and settings" dialog and the
`settings` command show every registered setting, and `tests/store/test_store_admin_cli.py`
checks that each has its label. Reading an unknown key is a bug (KeyError); setting one,
or a value outside its range, is a refusal (StoreError with a code). A stored value that
no longer passes its check (written by hand, or by an older version) reads as the default.
Changes are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import StoreBase, require_actor
from .errors import ErrorCode, StoreError
from .normalise import from_json, is_plain_line, to_json


@dataclass(frozen=True)
class Setting:
    key: str
    default: int | str
    about: str  # one line for `settings list` (the desk's label is translated)
    minimum: int | None = None  # whole numbers: the range, both ends included
    maximum: int | None = None
    choices: tuple[str, ...] = ()  # texts: the allowed values (empty: any text)
    max_length: int = 200

    @property
    def is_number(self) -> bool:
        return isinstance(self.default, int)

    def check(self, value: Any) -> int | str:
        """`value` when it fits this setting; otherwise StoreError saying what fits."""
        if self.is_number:
            if isinstance(value, bool) or not isinstance(value, int):
                raise StoreError(ErrorCode.SETTING_NOT_NUMBER, key=self.key)
            if not self.minimum <= value <= self.maximum:
                raise StoreError(ErrorCode.SETTING_RANGE, key=self.key, minimum=self.minimum,
                                 maximum=self.maximum)
            return value
        if not isinstance(value, str):
            raise StoreError(ErrorCode.SETTING_NOT_TEXT, key=self.key)
        if self.choices and value not in self.choices:
            raise StoreError(ErrorCode.SETTING_CHOICE, key=self.key, choices=", ".join(self.choices))
        if len(value) > self.max_length or not is_plain_line(value):
            raise StoreError(ErrorCode.SETTING_TEXT, key=self.key, count=self.max_length)
        return value

    def parse(self, text: str) -> int | str:
        """The value typed on a command line, checked (whole numbers from their digits)."""
        if self.is_number:
            stripped = text.strip()
            if not (stripped.isascii() and stripped.lstrip("-").isdigit() and len(stripped) <= 9):
                raise StoreError(ErrorCode.SETTING_NOT_NUMBER, key=self.key)
            return self.check(int(stripped))
        return self.check(text.strip())


THANK_YOU_LENGTH = 400  # a few sentences: who calls, when, a phone number for questions

SETTINGS: dict[str, Setting] = {setting.key: setting for setting in (
    Setting("clinic_name", "", "the clinic's name, on the desk, the kiosk and every PDF"),
    Setting("study_name", "", "the study's name, on the desk, the kiosk and every PDF"),
    Setting("kiosk_idle_seconds", 180, "seconds without a touch before the kiosk asks "
            "'Are you still there?'", minimum=30, maximum=1800),
    Setting("desk_idle_minutes", 15, "minutes without input before the desk signs out",
            minimum=1, maximum=240),
    Setting("kiosk_contact_working_days", 10, "the thank-you page: 'The study team will "
            "contact you within N working days'", minimum=1, maximum=90),
    # The clinic's own words for the thank-you page, one per kiosk language (the kiosk shows
    # the session's): empty is the built-in "...within N working days". One line, so what
    # the desk shows is what the patient reads; the clinic answers for what it says.
    Setting("kiosk_thank_you_en", "", "the thank-you page's 'what happens next' line in "
            "English (empty: the built-in words with the working days)", max_length=THANK_YOU_LENGTH),
    Setting("kiosk_thank_you_es", "", "the thank-you page's 'what happens next' line in "
            "Spanish (empty: the built-in words with the working days)", max_length=THANK_YOU_LENGTH),
    Setting("summary_language", "candidate", "the clinician summaries' language: each in "
            "its candidate's, or all in one", choices=("candidate", "en", "es")),
)}


def setting(key: str) -> Setting:
    """The registered setting; an unknown key is a refusal a person can act on."""
    found = SETTINGS.get(key)
    if found is None:
        raise StoreError(ErrorCode.UNKNOWN_SETTING, key=key, known=", ".join(SETTINGS))
    return found


class SettingsMixin(StoreBase):
    def get_setting(self, key: str) -> Any:
        """The stored value when it still fits the setting, else its default."""
        registered = SETTINGS[key]  # reading an unregistered key is a bug
        row = self._one("SELECT value_json FROM settings WHERE key = ?", (key,))
        if row is None:
            return registered.default
        try:
            return registered.check(from_json(row["value_json"]))
        except (StoreError, ValueError):
            return registered.default

    def all_settings(self) -> dict[str, Any]:
        return {key: self.get_setting(key) for key in SETTINGS}

    def set_setting(self, key: str, value: Any, actor: str) -> None:
        actor = require_actor(actor)
        value = setting(key).check(value)
        text = to_json(value)
        with self._write() as db:
            row = next(db.query("SELECT value_json FROM settings WHERE key = ?", (key,)), None)
            old = from_json(row["value_json"]) if row else SETTINGS[key].default
            if (row["value_json"] == text) if row is not None else (value == old):
                return  # no change (the desk saves every setting at once): no audit row
            now = self._now()
            db.execute("INSERT INTO settings (key, value_json, updated_at, updated_by)"
                       " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                       " value_json = excluded.value_json, updated_at = excluded.updated_at,"
                       " updated_by = excluded.updated_by", (key, text, now, actor))
            self._audit(db, actor, "setting_changed", item=key, old=old, new=value, at=now)
