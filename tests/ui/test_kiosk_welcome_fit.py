"""Issue 15, "Room for the questions", on the welcome page: a person who has just chosen
"Largest text" must see Start and "Continue with a code" without scrolling.

A review found the welcome page scrolling at 1024x768 with Larger and Largest text:
Start cut by the bottom edge, "Continue with a code" and the note for a person who stepped
away below it. Measured here in the real window at every supported size, text size and
language, with the estimated-time line, with no clinic name and with a long one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel

from tests.ui.kiosk_driver import settle
from ui.kiosk.theme import TEXT_SIZES

SIZES = [(1024, 768), (1280, 800), (1366, 768), (1920, 1080)]
# docs/kiosk.md, "Accessibility": buttons 56 / 68 / 80 px high at the three text sizes.
BUTTON_HEIGHT = {"normal": 56, "larger": 68, "largest": 80}
LONG_CLINIC = "Clínica Universitaria de Neurología — Unidad de Esclerosis Múltiple"


def on_screen(widget, viewport) -> QRect:
    return QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
def test_start_and_continue_with_a_code_show_without_scrolling(make_kiosk, store, size, text):
    kiosk = make_kiosk()
    kiosk.resize(*size)
    kiosk.set_theme(text=text)
    welcome = kiosk.welcome
    viewport = welcome.scroll.viewport()
    missed = []
    for clinic in ("", LONG_CLINIC):
        store.set_setting("clinic_name", clinic, actor="coordinator")
        for lang in ("en", "es"):
            kiosk.set_language(lang)  # words the page again, the clinic's name included
            settle()
            assert welcome.points[0].isVisible()  # "This takes about 10 minutes."
            assert welcome.clinic.isVisible() == bool(clinic)
            assert welcome.scroll.verticalScrollBar().value() == 0
            where = f"{lang}, {'a long clinic name' if clinic else 'no clinic name'}"
            # The note for a person who stepped away too, unless a long clinic name takes
            # its room at 1024x768 (then it is the one thing left below the buttons).
            shown = [welcome.start, welcome.resume] + ([] if clinic else [welcome.stepped_away])
            for widget in shown:
                rect = on_screen(widget, viewport)
                if not viewport.rect().contains(rect):
                    missed.append(f"{where}: {widget.text()[:30]!r} at {rect.top()}-{rect.bottom()}, "
                                  f"the screen shows 0-{viewport.height() - 1}")
            # Made tighter, never small: no text below the text size's smallest (30 px at
            # Largest), and the top bar gives the clinic's name two lines at most (it
            # wrapped a few letters a line and took 264 px of a 768 px screen).
            for label in welcome.findChildren(QLabel):
                if label.isVisible() and label.text():
                    assert label.fontInfo().pixelSize() >= TEXT_SIZES[text].small, (where, label.text())
            name = kiosk.top_bar.name
            two_lines = 2 * name.fontMetrics().lineSpacing()
            shown_in = name.fontMetrics().boundingRect(QRect(0, 0, name.width(), 10_000),
                                                       Qt.TextFlag.TextWordWrap, name.text())
            assert shown_in.height() <= two_lines and shown_in.width() <= name.width(), where
            toggles = max(toggle.height() for toggle in kiosk.top_bar.toggles())
            assert kiosk.top_bar.height() <= max(toggles, two_lines) + 16, where
            assert clinic.startswith(name.text().rstrip("…")) and name.accessibleName() == clinic
            for button in (welcome.start, welcome.resume):
                assert button.height() >= BUTTON_HEIGHT[text], (where, button.text())
                assert button.width() >= button.height()
                assert button.width() >= button.fontMetrics().horizontalAdvance(button.text())
    assert not missed, "\n".join(missed)
