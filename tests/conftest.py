"""Shared test set-up: Qt runs offscreen, so no test ever needs a display."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The per-user data directory (notes of pending writes, the default database) is a fresh
# folder: no test reads or writes the real user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="msc-test-data-")
os.environ.setdefault("QT_ACCESSIBILITY", "1")  # so accessible names/descriptions are queryable
