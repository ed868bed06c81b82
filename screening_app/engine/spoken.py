"""What the kiosk reads aloud: a question with its hint and its choices (a consent statement
with what ticking it means; an info notice), a step's introduction, or a page's texts,
in the kiosk's language, as one text for a text-to-speech voice.

Core (no Qt): the kiosk's "Read aloud" buttons say what these return, so what a person
hears is decided, and tested, here. Every part ends as a sentence, so that a voice pauses
between the question, the hint and the choices instead of running them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening_app.i18n import Translator

if TYPE_CHECKING:  # `spoken` serves the kiosk's welcome page, which shows no question
    from screening_app.engine.definition import Item, Step

_ENDS_A_SENTENCE = (".", "?", "!", ":", "…", ";")


def spoken(*parts: str | None) -> str:
    """Texts said one after another, each a sentence of its own (empty ones left out)."""
    said = []
    for part in parts:
        text = " ".join((part or "").split())
        if text:
            said.append(text if text.endswith(_ENDS_A_SENTENCE) else f"{text}.")
    return " ".join(said)


def spoken_answer(question: str, answer: str) -> str:
    """A question and the person's answer as one sentence ("Sex assigned at birth: Female."),
    as the review shows them; no colon after a question's own "?" or ":"."""
    question = " ".join(question.split())
    joint = " " if question.endswith(("?", ":")) else ": "
    return spoken(f"{question}{joint}{' '.join(answer.split())}")


def spoken_date(shown: str, t: Translator) -> str:
    """A date as the review shows it ("10 Sep 2026") with its month in full ("10 September
    2026"): a voice may read "Sep" or "Mar" as a word."""
    full = {t(f"month.{n}"): t(f"widgets.month.{n}") for n in range(1, 13)}
    return " ".join(full.get(word, word) for word in shown.split())


def spoken_question(item: Item, t: Translator) -> str:
    """The question, whether it may be left out, its hint, and what can be answered."""
    from screening_app.engine.definition import CHOICE_TYPES

    lang = t.lang
    optional = item.is_input and not item.required and item.type not in ("consent", "signature")
    choices = ""
    if item.type in CHOICE_TYPES and item.choices:
        # "; " between them: a label's own full stop would make ".;" and a pause too long.
        labels = (" ".join(c.label.get(lang).split()).rstrip(".;") for c in item.choices)
        choices = t("spoken.choices", choices="; ".join(labels))
    how = t(f"spoken.date.{item.precision}") if item.type == "date" else ""
    if item.type == "consent":  # the statement is the box: say what ticking it means
        how = t("spoken.consent" if item.required else "spoken.consent_optional")
    return spoken(item.label.get(lang), t("spoken.optional") if optional else "",
                  item.help.get(lang) if item.help else "", choices, how)


def spoken_intro(step: Step, t: Translator) -> str:
    """A step's title and its introduction (what its "Read aloud" by the intro says)."""
    return spoken(step.title.get(t.lang), step.intro.get(t.lang) if step.intro else "")
