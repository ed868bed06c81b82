"""Issue 15, "Read aloud": a button beside each question reads the question, its hint and
its choices in the kiosk's language with Qt's text-to-speech; the welcome page offers it;
where the machine has no voice for the language (or no text-to-speech at all), no button.

Qt's own "mock" engine (in PySide6-Addons) speaks English without a sound and has no
Spanish voice: the kiosk tests use it. The machine's voices (speech-dispatcher with
espeak-ng on Debian, which .ci/run installs) are checked at the end."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton

from screening_app.engine.spoken import spoken_question
from tests.shared import missing_system_package
from tests.ui.kiosk_driver import Driver, settle
from ui.kiosk.voice import Voice


def buttons(root) -> list[QPushButton]:
    return [b for b in root.findChildren(QPushButton, "read-aloud") if b.isVisibleTo(root.window())]


def ready(qtbot, kiosk) -> None:
    qtbot.waitUntil(lambda: kiosk.voice.known, timeout=30_000)
    settle()


def test_each_question_reads_itself_aloud_in_english(qtbot, kiosk):
    ready(qtbot, kiosk)
    assert kiosk.voice.engine == "mock"
    person = Driver(qtbot, kiosk)
    assert buttons(kiosk.welcome)  # the welcome page offers it
    person.start()
    widgets = [w for w in person.form.widgets.values() if w.isVisibleTo(kiosk) and w.show_question]
    assert len(buttons(person.form)) == len(widgets) + 1 >= 11  # and the step intro's
    widget = person.widget("sex_at_birth")
    with qtbot.waitSignal(kiosk.voice.speaking, check_params_cb=lambda on: on, timeout=10_000):
        person.tap(widget.read_aloud)  # the engine really starts speaking
    text, lang = kiosk.voice.last_said
    assert lang == "en" and text == spoken_question(widget.item, kiosk.t)
    assert text.startswith("Sex assigned at birth.") and "The answers are: Female; Male;" in text
    assert widget.read_aloud.accessibleName() == "Read aloud: Sex assigned at birth"


def test_a_row_of_a_group_has_its_buttons_too(qtbot, kiosk, complete):
    from tests.ui.test_kiosk_touch import opened

    ready(qtbot, kiosk)
    person = opened(qtbot, kiosk, complete, "treatments")
    group = person.widget("treatments")
    group.set_expanded(group.rows()[0], True)
    settle()
    field = group.field_widget(group.rows()[0], "start_date")
    assert field.read_aloud is not None and field.read_aloud.isVisibleTo(kiosk)


def test_no_button_where_there_is_no_voice_for_the_language(qtbot, kiosk):
    ready(qtbot, kiosk)
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.language_buttons["es"])
    assert not kiosk.voice.speaks("es")  # the mock engine has no Spanish voice
    assert buttons(kiosk.welcome) == []
    person.start("es")
    assert buttons(person.form) == []
    person.next()
    assert buttons(person.form) == []


@pytest.mark.parametrize("engine", ["no-such-engine", None])
def test_no_button_where_text_to_speech_is_unavailable(qtbot, make_kiosk, monkeypatch, engine):
    """An engine the machine lacks; or QtTextToSpeech that cannot load at all, as on Linux
    without libpulse.so.0 (its import fails: here it is made to fail the same way)."""
    if engine is None:
        monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", None)
    kiosk = make_kiosk(voice_engine=engine or "mock")
    ready(qtbot, kiosk)
    assert kiosk.voice.languages == frozenset() and kiosk.voice.engine == ""
    person = Driver(qtbot, kiosk)
    assert buttons(kiosk.welcome) == []
    person.start()
    assert buttons(person.form) == []
    person.choose("sex_at_birth", "female")  # the kiosk works as before
    assert person.session.answers["sex_at_birth"] == "female"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_welcome_pages_button_sits_by_the_title_and_moves_nothing(qtbot, kiosk, lang):
    """It comes seconds after the page (when the voice is known): its room is kept."""
    kiosk.resize(1024, 768)
    kiosk.set_theme(text="largest")
    ready(qtbot, kiosk)
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.language_buttons[lang])
    welcome = kiosk.welcome
    settle()

    def where():
        return [w.mapTo(kiosk, w.rect().topLeft()) for w in (welcome.hero, welcome.start, welcome.resume)]

    shown = where()
    welcome.read_aloud.setVisible(False)  # as before the voice was known
    settle()
    assert where() == shown
    welcome.read_aloud.setVisible(True)
    assert abs(welcome.read_aloud.mapTo(kiosk, welcome.read_aloud.rect().center()).y()
               - welcome.hero.mapTo(kiosk, welcome.hero.rect().center()).y()) < welcome.hero.height()
    assert welcome.read_aloud.mapTo(kiosk, welcome.read_aloud.rect().bottomLeft()).y() < kiosk.height() / 2
    if lang == "en":  # (the mock engine has no Spanish voice: there it is only measured)
        person.click(welcome.read_aloud)
        text, said_in = kiosk.voice.last_said
        assert said_in == "en" and text.startswith(welcome.hero.text())
        assert "To begin, tap Start. If you have a code, tap Continue with a code." in text


def consent_step(qtbot, kiosk, complete, lang: str = "en") -> Driver:
    """The consent step, answered as in the sample, in `lang`."""
    from tests.ui.test_kiosk_access import fill_all

    ready(qtbot, kiosk)
    person = Driver(qtbot, kiosk)
    person.start(lang)
    fill_all(person, complete)
    kiosk.flow.show_step("consent")
    settle()
    return person


@pytest.mark.parametrize("lang", ["en", "es"])
def test_consent_statements_notices_and_the_intro_read_themselves(qtbot, kiosk, complete, lang):
    """The statements a person must agree to (shown as the box itself), the notice and the
    step's intro: each has its "Read aloud", named and spoken as a question's is."""
    kiosk.voice.languages |= {"es"}  # as on a machine with a Spanish voice (mock has none)
    person = consent_step(qtbot, kiosk, complete, lang)
    form, said = person.form, []
    kiosk.voice.say = lambda text, in_lang: said.append((text, in_lang))  # what the voice is asked
    for path in ("review_notice", "consent_contact", "attest_true"):
        widget = person.widget(path)
        assert not widget.show_question and widget.read_aloud.isVisibleTo(kiosk), path
        label = widget.item.label.get(lang)
        assert widget.read_aloud.accessibleName() == kiosk.t("kiosk.read_aloud_named", question=label)
        person.tap(widget.read_aloud)
        assert said[-1] == (spoken_question(widget.item, kiosk.t), lang)
        assert said[-1][0].startswith(label)
    consent = said[-1][0]
    assert consent.endswith({"en": "To agree, tick the box. Ticking it means you agree with this statement.",
                             "es": "Para aceptar, marque la casilla. Marcarla significa que está de acuerdo "
                                   "con esta declaración."}[lang])
    intro = form.intro_read_aloud
    assert intro.isVisibleTo(kiosk)
    assert intro.accessibleName() == kiosk.t("kiosk.read_aloud_named", question=form.step.title.get(lang))
    person.tap(intro)
    assert said[-1] == ({"en": "Consent and signature. Please read each statement carefully.",
                         "es": "Consentimiento y firma. Por favor, lea con atención cada declaración."}[lang],
                        lang)
    # One button for the intro and one for each item on screen (section headings aside).
    shown = [w for w in form.widgets.values() if w.isVisibleTo(kiosk)]
    assert len(buttons(form)) == len(shown) + 1


@pytest.mark.parametrize("text", ["normal", "largest"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_consent_steps_buttons_line_up_with_the_questions_buttons(qtbot, kiosk, complete, lang, text):
    """Same place (at the right of the column, level with the top of the text they read),
    same size, for the intro, the notice, the statements and the questions; the statement
    beside its button is shown whole (at the largest text it wraps to more lines)."""
    kiosk.voice.languages |= {"es"}
    kiosk.resize(1024, 768)
    kiosk.set_theme(text=text)
    person = consent_step(qtbot, kiosk, complete, lang)
    form = person.form
    text_of = {form.intro_read_aloud: form.intro}
    for widget in form.widgets.values():
        if widget.isVisibleTo(kiosk) and widget.read_aloud is not None:
            text_of[widget.read_aloud] = (widget.question if widget.show_question else
                                          getattr(widget, "check", None) or widget.text.parentWidget())
    assert len(text_of) == len(buttons(form)) >= 7

    def box(w):
        return QRect(w.mapTo(form, QPoint(0, 0)), w.size())

    assert len({box(b).size().toTuple() for b in text_of}) == 1  # the same size
    assert len({box(b).right() for b in text_of}) == 1  # the same right edge
    assert {box(b).right() for b in text_of} == {box(person.widget("signer_name").edit).right()}
    for button, beside in text_of.items():
        assert box(button).top() == box(beside).top(), button.accessibleName()
        assert box(button).left() > box(beside).right()  # beside it, not over it
    for path in ("consent_contact", "attest_true"):
        check = person.widget(path).check
        assert check.height() >= check.heightForWidth(check.width()), (path, "cut")


def test_tab_reads_a_statement_then_its_button(qtbot, kiosk, complete):
    """Tab follows the screen: the intro's button, ..., a statement's box, then its button."""
    person = consent_step(qtbot, kiosk, complete)
    chain = person.form.focus_chain()
    assert chain[0] is person.form.intro_read_aloud
    consent = person.widget("consent_contact")
    assert chain[chain.index(consent.check) + 1] is consent.read_aloud
    notice = person.widget("review_notice").read_aloud
    assert chain[1] is notice  # the notice has only its button


def test_the_machine_has_english_and_spanish_voices(qtbot):
    """The system's own engine (not Qt's mock): speech-dispatcher with espeak-ng on Debian,
    which .ci/run installs; docs/kiosk.md names the packages of each OS."""
    voice = Voice()
    voice.open()
    try:
        assert voice.wait_until_known()
        if not (voice.speaks("en") and voice.speaks("es")):
            missing_system_package(f"no English and Spanish voices (engine {voice.engine!r};"
                                   " .ci/run installs them)")
        assert voice.engine not in ("", "mock")
    finally:
        voice.shutdown()
