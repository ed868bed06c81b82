"""Input widgets, one per item type, shared by the kiosk and the desk (no storage here).

`WIDGETS`, `widget_for` and `AnswerWidget` are loaded on first use, so that a window can
import a small part (e.g. `ui.widgets.options`) without paying for all of them at start-up.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WIDGETS", "AnswerWidget", "widget_for"]


def __getattr__(name: str) -> Any:
    if name in {"WIDGETS", "widget_for"}:
        from ui.widgets import registry

        return getattr(registry, name)
    if name == "AnswerWidget":
        from ui.widgets.base import AnswerWidget

        return AnswerWidget
    raise AttributeError(f"module 'ui.widgets' has no attribute {name!r}")
