"""Shared test set-up: Qt runs offscreen, so no test ever needs a display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "1")  # so accessible names/descriptions are queryable
