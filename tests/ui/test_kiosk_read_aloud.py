"""Issue 15, "Read aloud": a button beside each question reads the question, its hint and
its choices in the kiosk's language with Qt's text-to-speech; the welcome page offers it;
where the machine has no voice for the language (or no text-to-speech at all), no button.

Qt's own "mock" engine (in PySide6-Addons) speaks English without a sound and has no
Spanish voice: the kiosk tests use it. The machine's voices (speech-dispatcher with
espeak-ng on Debian, which .ci/run installs) are checked at the end."""

from __future__ import annotations

import sys

import pytest
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
    assert len(buttons(person.form)) == len(widgets) >= 10
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
