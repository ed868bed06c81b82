"""The store's refusals in the desk's language: one lookup by the error's code.

Every `StoreError` carries an `ErrorCode` and the params its words need (a path, a
count, never patient data); the desk's text for it is `desk.store.<code>` in
desk.<lang>.yaml. The store's English `message` stays the command line's and the log's,
so rewording it never changes what the desk says (tests/store/test_store_errors.py checks
that every code has a text in both languages).
"""

from __future__ import annotations

from screening_app.i18n import Translator
from screening_app.store import StoreError


def store_message(error: StoreError, t: Translator) -> str:
    """The plain words for `error` in the desk's language."""
    return t(f"desk.store.{error.code}", **error.params)
