"""The SQLite driver module every part of the store uses (one place to change it)."""

from __future__ import annotations

import sqlcipher3.dbapi2 as dbapi

__all__ = ["dbapi"]
