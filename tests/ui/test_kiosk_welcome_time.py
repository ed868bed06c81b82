"""The welcome page's "This takes about N minutes." comes from the questionnaire.

It said "about ten minutes" for any definition: a clinic running the nine-question PHQ-9
with `--definition` promised its patients ten minutes. Now the line says the definition's
`estimated_minutes`, in the person's language, and is left out when the definition says
nothing (a guess from counting questions would be a promise nobody made). It joins the
page with the questionnaire's title, once the questionnaire is loaded just after the first
paint: reading it adds nothing before that paint (issue 17)."""

from __future__ import annotations

import pytest

from screening_app.engine.loader import load_questionnaire, load_text
from screening_app.i18n import Translator
from screening_app.resources import RESOURCES
from tests.ui.kiosk_driver import settle
from tests.ui.test_kiosk_happy_path import visible_texts
from ui.kiosk.window import KioskWindow

PHQ9 = RESOURCES / "questionnaires" / "phq-9.yaml"


def time_line(kiosk) -> str | None:
    """The welcome page's line about time, if one shows."""
    line = kiosk.welcome.points[0]
    return line.text().lstrip("• ") if line.isVisibleTo(kiosk) else None


def test_the_phq9_welcome_does_not_claim_ten_minutes(make_kiosk):
    phq9 = load_questionnaire(PHQ9)
    kiosk = make_kiosk(questionnaire_loader=lambda: phq9, languages=phq9.languages)
    settle()
    texts = visible_texts(kiosk)
    assert "minute" not in texts and "ten" not in texts.split()
    assert time_line(kiosk) is None
    assert "minute" not in kiosk.welcome.spoken(kiosk.t)  # nor does "Read aloud"
    # The other points still stand, in their places.
    assert kiosk.t("kiosk.welcome.saved") in texts and kiosk.t("kiosk.welcome.private") in texts


@pytest.mark.parametrize(("lang", "said"), [("en", "This takes about 10 minutes."),
                                            ("es", "Le tomará unos 10 minutos.")])
def test_the_shipped_questionnaire_says_its_ten_minutes_in_the_persons_language(kiosk, lang, said):
    kiosk.set_language(lang)
    settle()
    assert time_line(kiosk) == said
    assert said in kiosk.welcome.spoken(kiosk.t)


@pytest.mark.parametrize(("minutes", "en", "es"), [
    (1, "This takes about a minute.", "Le tomará alrededor de un minuto."),
    (3, "This takes about 3 minutes.", "Le tomará unos 3 minutos."),
])
def test_the_time_is_the_definitions_own(make_kiosk, minutes, en, es):
    text = PHQ9.read_text(encoding="utf-8").replace("languages: [en]",
                                                    f"languages: [en]\nestimated_minutes: {minutes}")
    q = load_text(text, "phq-9-timed.yaml")
    kiosk = make_kiosk(questionnaire_loader=lambda: q, languages=q.languages)
    settle()
    assert time_line(kiosk) == en
    assert kiosk.welcome.points[0].text() != kiosk.welcome.points[1].text()
    # Spanish wording, through the same page (the definition is English only; the words are the kiosk's).
    kiosk.welcome.retranslate(Translator("es"), minutes=minutes)
    assert time_line(kiosk) == es


def test_nothing_is_loaded_for_it_before_the_first_paint(qtbot, store, shipped):
    loads = []

    def loader():
        loads.append(1)
        return shipped

    window = KioskWindow(store, questionnaire_loader=loader, voice_engine="mock")
    window.resize(1280, 800)
    try:
        assert loads == [] and time_line(window) is None  # built, not painted: no time claimed yet
        window.show()
        qtbot.waitUntil(lambda: time_line(window) is not None, timeout=20_000)
        assert loads == [1] and time_line(window) == "This takes about 10 minutes."
        window.reset()  # the next person: said from the start
        settle()
        assert time_line(window) == "This takes about 10 minutes." and loads == [1]
    finally:
        window.shutdown()
        window.deleteLater()
