"""The kiosk's "Read aloud" buttons: one beside each question, and one on the welcome page.

What is said is composed in the core (engine/spoken.py) in the language of the questions;
the voice (voice.py) says it. A button shows only where the machine has a voice for that
language; a form made before the voice was known gets its buttons when it is next shown
(never while it is on screen: a button appearing would move what is under a finger).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QPushButton, QWidget

from ui.widgets.common import make_button

if TYPE_CHECKING:  # the questions' side, not needed by the welcome page's button
    from ui.widgets.base import AnswerWidget

BUTTON = "read-aloud"


def question_button(voice: Any):
    """A maker of "Read aloud" buttons for AnswerWidget.offer_read_aloud."""

    from screening_app.engine.spoken import spoken_question

    def make(widget: AnswerWidget) -> QWidget:
        t = widget.t
        button = make_button(t("kiosk.read_aloud"), parent=widget)
        button.setObjectName(BUTTON)
        question = widget.item.label.get(t.lang)
        button.setAccessibleName(t("kiosk.read_aloud_named", question=question))
        button.clicked.connect(lambda: voice.say(spoken_question(widget.item, t), t.lang))
        button.setVisible(voice.speaks(t.lang))
        return button

    return make


def offer_in(form: QWidget, voice: Any) -> None:
    """A "Read aloud" button beside each question of a step's form."""
    make = question_button(voice)
    for widget in form.widgets.values():
        widget.offer_read_aloud(make)


def show_buttons(root: QWidget, voice: Any, lang: str) -> None:
    """Show or hide every "Read aloud" button under `root`, as the voice speaks `lang`."""
    speaks = voice is not None and voice.speaks(lang)
    for button in root.findChildren(QPushButton, BUTTON):
        button.setVisible(speaks)
