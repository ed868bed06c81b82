"""Desk users: coordinators, clinicians, administrators.

Decisions:

- Secrets (PIN or password) are hashed with scrypt (n=2**14, r=8, p=1: 16 MiB and about
  50 ms per try) and a random 16-byte salt per user; the parameters are kept in the stored
  hash so they can be raised later. A PIN (digits only) has at least 6 digits, a password
  at least 8 characters: an offline attacker who has the hash (which also needs the
  database key) must try up to 10^6 PINs at that cost instead of 10^4. A secret set
  under the older rule (4 characters) still signs in, and the user is then made to choose
  a new one (`User.must_change_secret`) before the desk opens.
- Five wrong secrets in a row lock the account for five minutes; a sign-in during the
  lock is refused even with the right secret. Disabled users are refused.
- Every refusal has the same message, which never says whether the name or the secret
  was wrong, and unknown names cost the same scrypt work as known ones.
- The last enabled administrator cannot be disabled, so the clinic cannot lock itself out.
- Sign-ins and refused sign-ins of existing users are audited; names that match no user
  are not (a person may have typed something private into the wrong field).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import Any

from .base import StoreBase, require_actor
from .errors import AuthError, ErrorCode, NotFound, StoreError
from .normalise import is_plain_line, utc_timestamp
from .records import ROLES, User

MIN_PIN_DIGITS = 6
MIN_PASSWORD_LENGTH = 8
MAX_FAILED_ATTEMPTS = 5
MAX_USERNAME_LENGTH = 64
MAX_FULL_NAME_LENGTH = 200
LOCKOUT = timedelta(minutes=5)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

_USER_COLUMNS = ("id, username, display_name, role, disabled, failed_attempts, locked_until,"
                 " created_at, last_sign_in_at")
# User names are the same whatever their (ASCII) case: SQLite's NOCASE column and a
# PostgreSQL unique index on lower(username) hold them unique that way; lookups say it.
_SAME_NAME = "lower(username) = lower(?)"


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, dklen=32,
                            maxmem=64 * 1024 * 1024, **_SCRYPT)
    b64 = base64.b64encode
    return (f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}$"
            f"{b64(salt).decode()}${b64(digest).decode()}")


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(secret.encode("utf-8"), salt=base64.b64decode(salt),
                                n=int(n), r=int(r), p=int(p), dklen=len(expected),
                                maxmem=64 * 1024 * 1024)
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they cost as much as known ones.

    Made on first use, not at import: scrypt takes tens of milliseconds, which the kiosk
    would otherwise pay at start-up for a sign-in it never offers."""
    return hash_secret(secrets.token_hex(8))


def _user(row: dict[str, Any]) -> User:
    return User(**{**row, "disabled": bool(row["disabled"])})


def secret_problem(secret: object) -> StoreError | None:
    """Why `secret` is too weak to be set now (None when it is fine): a PIN (ASCII digits
    only) needs MIN_PIN_DIGITS, anything else MIN_PASSWORD_LENGTH characters."""
    if not isinstance(secret, str):
        return StoreError(ErrorCode.PASSWORD_SHORT, count=MIN_PASSWORD_LENGTH)
    if secret.isascii() and secret.isdigit():
        if len(secret) < MIN_PIN_DIGITS:
            return StoreError(ErrorCode.PIN_SHORT, count=MIN_PIN_DIGITS)
        return None
    if len(secret) < MIN_PASSWORD_LENGTH:
        return StoreError(ErrorCode.PASSWORD_SHORT, count=MIN_PASSWORD_LENGTH)
    return None


def _check_names(username: str, display_name: str) -> None:
    """A user name and a full name are shown on the desk, in the audit trail and on every
    PDF a user signs: one line each, of a bounded length, nothing a terminal acts on and
    no bidi override that would show another name (an ESC, a BEL and U+202E were taken)."""
    if not (len(username) <= MAX_USERNAME_LENGTH and len(display_name) <= MAX_FULL_NAME_LENGTH
            and is_plain_line(username) and is_plain_line(display_name)):
        raise StoreError(ErrorCode.USER_NAME_TEXT, count=MAX_USERNAME_LENGTH,
                         full=MAX_FULL_NAME_LENGTH)


def _check_secret(secret: str) -> None:
    problem = secret_problem(secret)
    if problem is not None:
        raise problem


class UsersMixin(StoreBase):
    def has_users(self) -> bool:
        return self._one("SELECT 1 AS x FROM users LIMIT 1") is not None

    def has_staff(self) -> bool:
        """Whether an enabled coordinator or administrator exists (someone who can close
        the kiosk)."""
        return self._one("SELECT 1 AS x FROM users WHERE disabled = 0 AND role IN"
                         " ('coordinator', 'admin') LIMIT 1") is not None

    def list_users(self) -> list[User]:
        return [_user(r) for r in self._rows(f"SELECT {_USER_COLUMNS} FROM users ORDER BY"
                                             " lower(username), username")]

    def get_user(self, username: str) -> User:
        row = self._one(f"SELECT {_USER_COLUMNS} FROM users WHERE {_SAME_NAME}",
                        (username.strip(),))
        if row is None:
            raise NotFound(ErrorCode.NO_USER)
        return _user(row)

    def create_user(
        self, username: str, display_name: str, role: str, secret: str, *, actor: str = "setup"
    ) -> User:
        actor = require_actor(actor)
        username, display_name = username.strip(), display_name.strip()
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if not username:
            raise StoreError(ErrorCode.USERNAME_MISSING)
        _check_names(username, display_name)
        _check_secret(secret)
        secret_hash = hash_secret(secret)
        with self._write() as db:
            if next(db.query(f"SELECT 1 AS x FROM users WHERE {_SAME_NAME}", (username,)), None):
                raise StoreError(ErrorCode.USERNAME_TAKEN)
            now = self._now()
            db.execute("INSERT INTO users (username, display_name, role, secret_hash,"
                       " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (username, display_name or username, role, secret_hash, now, now))
            self._audit(db, actor, "user_created", item=f"user:{username}", new=role, at=now)
        return self.get_user(username)

    def authenticate(self, username: str, secret: str) -> User:
        """The user, when enabled, not locked, and the secret matches; else AuthError."""
        row = self._one(f"SELECT {_USER_COLUMNS}, secret_hash FROM users WHERE {_SAME_NAME}",
                        ((username or "").strip(),))
        matches = verify_secret(secret or "", row["secret_hash"] if row else _dummy_hash())
        if row is None:
            raise AuthError(ErrorCode.REFUSED)
        with self._write() as db:
            now_moment = self._clock()
            now = utc_timestamp(now_moment)
            state = next(db.query("SELECT disabled, failed_attempts, locked_until FROM users"
                                  " WHERE id = ?", (row["id"],)))
            if state["disabled"]:
                self._audit(db, row["username"], "sign_in_refused",
                            item=f"user:{row['username']}", new="disabled", at=now)
                refused = True
            elif state["locked_until"] and state["locked_until"] > now:
                self._audit(db, row["username"], "sign_in_refused",
                            item=f"user:{row['username']}", new="locked", at=now)
                refused = True
            elif matches:
                db.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL,"
                           " last_sign_in_at = ? WHERE id = ?", (now, row["id"]))
                self._audit(db, row["username"], "signed_in", item=f"user:{row['username']}",
                            at=now)
                refused = False
            else:
                # An expired lock starts a fresh count.
                failed = 0 if state["locked_until"] else state["failed_attempts"]
                failed += 1
                locked_until = (utc_timestamp(now_moment + LOCKOUT)
                                if failed >= MAX_FAILED_ATTEMPTS else None)
                db.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                           (failed, locked_until, row["id"]))
                self._audit(db, row["username"], "sign_in_refused",
                            item=f"user:{row['username']}",
                            new="locked_now" if locked_until else "wrong_secret", at=now)
                refused = True
        if refused:
            raise AuthError(ErrorCode.REFUSED)
        user = self.get_user(row["username"])
        if secret_problem(secret) is not None:  # set under the older, shorter rule
            user = replace(user, must_change_secret=True)
        return user

    def change_own_secret(self, username: str, current: str, new: str) -> User:
        """A user replaces their own PIN or password (the current one is checked again)."""
        row = self._one(f"SELECT username, secret_hash FROM users WHERE {_SAME_NAME}",
                        ((username or "").strip(),))
        if row is None or not verify_secret(current or "", row["secret_hash"]):
            raise AuthError(ErrorCode.REFUSED)
        _check_secret(new)
        if new == current:
            raise StoreError(ErrorCode.SECRET_UNCHANGED)
        secret_hash = hash_secret(new)
        with self._write() as db:
            db.execute("UPDATE users SET secret_hash = ?, updated_at = ? WHERE username = ?",
                       (secret_hash, self._now(), row["username"]))
            self._audit(db, row["username"], "secret_changed", item=f"user:{row['username']}")
        return self.get_user(row["username"])

    def set_user_disabled(self, username: str, disabled: bool, *, actor: str) -> None:
        actor = require_actor(actor)
        with self._write() as db:
            user = self.get_user(username)
            if disabled and user.role == "admin" and not user.disabled:
                admins = next(db.query("SELECT count(*) AS n FROM users WHERE role = 'admin'"
                                       " AND disabled = 0"))["n"]
                if admins <= 1:
                    raise StoreError(ErrorCode.LAST_ADMIN)
            if user.disabled == disabled:
                return
            db.execute("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
                       (int(disabled), self._now(), user.id))
            self._audit(db, actor, "user_disabled" if disabled else "user_enabled",
                        item=f"user:{user.username}")

    def reset_secret(self, username: str, secret: str, *, actor: str) -> None:
        """A new PIN or password; also lifts a lockout."""
        actor = require_actor(actor)
        _check_secret(secret)
        secret_hash = hash_secret(secret)
        with self._write() as db:
            user = self.get_user(username)
            db.execute("UPDATE users SET secret_hash = ?, failed_attempts = 0,"
                       " locked_until = NULL, updated_at = ? WHERE id = ?",
                       (secret_hash, self._now(), user.id))
            self._audit(db, actor, "secret_reset", item=f"user:{user.username}")
