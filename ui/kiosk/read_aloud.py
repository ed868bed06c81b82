"""The kiosk's "Read aloud" buttons: one beside each question (consent statements and
notices too), one beside a step's intro, one on the welcome page, one beside the title of
the review and of each of its parts, and one beside the title of the code, break, "still
there?" and thank-you pages (ui/kiosk/pages/simple.py).

What is said is composed in the core (engine/spoken.py) in the language of the questions;
the voice (voice.py) says it. A button shows only where the machine has a voice for that
language; a form made before the voice was known gets its buttons when it is next shown
(never while it is on screen: a button appearing would move what is under a finger).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QPushButton, QWidget

from ui.widgets.common import make_button

if TYPE_CHECKING:  # the questions' side, not needed by the welcome page's button
    from ui.widgets.base import AnswerWidget
    from ui.widgets.form import StepForm

BUTTON = "read-aloud"


def button(voice: Any, t: Any, named: str, said: Callable[[], str], parent: QWidget) -> QPushButton:
    """A "Read aloud" button named "Read aloud: <named>" that says `said()` in the kiosk's language."""
    made = make_button(t("kiosk.read_aloud"), parent=parent)
    made.setObjectName(BUTTON)
    made.setAccessibleName(t("kiosk.read_aloud_named", question=named))
    made.clicked.connect(lambda: voice.say(said(), t.lang))
    made.setVisible(voice.speaks(t.lang))
    return made


def question_button(voice: Any):
    """A maker of "Read aloud" buttons for AnswerWidget.offer_read_aloud: a question (or
    consent statement, or notice) is named by its text and reads itself."""

    from screening_app.engine.spoken import spoken_question

    def make(widget: AnswerWidget) -> QWidget:
        t = widget.t
        return button(voice, t, widget.item.label.get(t.lang),
                       lambda: spoken_question(widget.item, t), widget)

    return make


def intro_button(voice: Any):
    """A maker of the "Read aloud" button beside a step's intro (StepForm.offer_read_aloud):
    it is named by the step's title, and says the title and the intro."""

    from screening_app.engine.spoken import spoken_intro

    def make(form: StepForm) -> QWidget:
        t = form.t
        return button(voice, t, form.step.title.get(t.lang), lambda: spoken_intro(form.step, t), form)

    return make


def offer_in(form: StepForm, voice: Any) -> None:
    """A "Read aloud" button beside the step's intro and beside each of its questions,
    consent statements and notices."""
    form.offer_read_aloud(intro_button(voice))
    make = question_button(voice)
    for widget in form.widgets.values():
        widget.offer_read_aloud(make)


def show_buttons(root: QWidget, voice: Any, lang: str) -> None:
    """Show or hide every "Read aloud" button under `root`, as the voice speaks `lang`."""
    speaks = voice is not None and voice.speaks(lang)
    for each in root.findChildren(QPushButton, BUTTON):
        each.setVisible(speaks)
