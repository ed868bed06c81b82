"""A kiosk page made the first time it is used, not with the window.

The welcome page is all a person sees first; the others (the code page, the steps,
the break, "still there?", thank you, the staff exit) are made when first asked for,
or just after the welcome page's first paint (KioskWindow.warm_up), so their modules
and widgets (and the style sheet's work on them) do not delay that paint.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


class MadeOnUse:
    """`flow_page = MadeOnUse("ui.kiosk.pages.flow_page", "FlowPage")` on the window class:
    the first `window.flow_page` makes that FlowPage(), keeps it on the window (later
    reads are a plain attribute) and hands it to `window.page_made(name, page)`. The
    module is named in full, so that tests/test_architecture.py sees the import."""

    def __init__(self, module: str, cls: str) -> None:
        self.module = module
        self.cls = cls
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: Any, owner: type | None = None) -> Any:
        if window is None:
            return self
        page = getattr(import_module(self.module), self.cls)()
        window.__dict__[self.name] = page  # the instance's attribute wins from now on
        window.page_made(self.name, page)
        return page

    @staticmethod
    def made(window: Any) -> list[Any]:
        """The window's pages made so far, in the order the class names them."""
        names = [name for name, value in vars(type(window)).items() if isinstance(value, MadeOnUse)]
        return [window.__dict__[name] for name in names if name in window.__dict__]

    @staticmethod
    def make_all(window: Any) -> None:
        for name, value in vars(type(window)).items():
            if isinstance(value, MadeOnUse):
                getattr(window, name)
