"""Issue 15, "Read aloud" beyond the questions: the review (one button per part, saying its
questions and the person's answers), the code page, the break page (never its code), "Are
you still there?" and the thank-you page (the clinic's own words included); each in the
session's language, and none where the machine has no voice for it.

Qt's "mock" engine speaks English only: a test of Spanish adds "es" to the voice's
languages, as on a machine with a Spanish voice, and records what the voice is asked."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible

from screening_app.engine.display import format_answer
from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_read_aloud import buttons
from tests.ui.test_kiosk_review import fill_all

CLINIC = {"en": "Maria from the study team will call you within two weeks. Questions? Call 555-0100.",
          "es": "María, del equipo del estudio, le llamará en dos semanas. ¿Preguntas? Llame al 555-0100."}


def listened(kiosk, lang: str) -> list[tuple[str, str]]:
    """What the voice is asked to say, from now on (a Spanish voice added for `lang` es)."""
    kiosk.voice.languages |= {lang}
    said: list[tuple[str, str]] = []
    kiosk.voice.say = lambda text, in_lang: said.append((text, in_lang))
    return said


def name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def box(widget, frame) -> QRect:
    return QRect(widget.mapTo(frame, QPoint(0, 0)), widget.size())


def review(qtbot, kiosk, complete, lang: str, person: Driver | None = None) -> tuple[Driver, object]:
    """The review of the sample answers (`person`: one who has started already)."""
    if person is None:
        person = Driver(qtbot, kiosk)
        person.start(lang)
    fill_all(person, complete)
    kiosk.flow.show_step("pregnancy")
    person.next()
    settle()
    assert kiosk.flow.in_review
    return person, kiosk.flow_page.content


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_part_of_the_review_reads_its_questions_and_answers(qtbot, kiosk, complete, lang):
    said = listened(kiosk, lang)
    person, content = review(qtbot, kiosk, complete, lang)
    t, qt = kiosk.t, person.session.t
    assert content.read_aloud.isVisibleTo(kiosk)
    assert len(buttons(content)) == len(content.cards) + 1 >= 8  # the title's, one per part
    person.tap(content.read_aloud)
    assert said[-1] == (f"{t('kiosk.review.title')}. {t('kiosk.review.intro')}", lang)
    for entry in (e for step in person.session.review() for e in step.entries):
        if entry.path == "sex_at_birth":
            answer = format_answer(entry.item, entry.value, qt)
    about = content.read_aloud_buttons["about_you"]
    title = person.session.questionnaire.step("about_you").title.get(lang)
    assert name(about) == t("kiosk.read_aloud_named", question=title)
    person.tap(about)
    text, in_lang = said[-1]
    sex = person.session.questionnaire.item("sex_at_birth").label.get(lang)
    assert in_lang == lang and text.startswith(f"{title}. ")
    assert f"{sex}: {answer}." in text  # the answer as the card shows it
    assert text.endswith(t("kiosk.review.spoken_edit"))
    other = {"en": "The answers are", "es": "Las respuestas son"}  # answers, not the choices
    assert other[lang] not in text
    # Treatments: each entry by its name, its fields with their answers.
    person.tap(content.read_aloud_buttons["treatments"])
    assert "Ocrelizumab (Ocrevus)." in said[-1][0]
    if lang == "en":  # a date with its month in full, as a voice reads it well
        assert "When did you start it? March 2019." in said[-1][0] and "Mar 2019" not in said[-1][0]
    # One part at a time: none of them is a monologue (about 175 words a minute).
    for step_id, button in content.read_aloud_buttons.items():
        person.tap(button)
        assert len(said[-1][0].split()) < 260, step_id


def test_a_part_needing_attention_says_so(qtbot, kiosk, complete):
    said = listened(kiosk, "en")
    person, content = review(qtbot, kiosk, complete, "en")
    person.session.set_answer("first_name", None)
    content.update_from(person.session)
    person.tap(content.read_aloud_buttons["about_you"])
    assert "Some answers in this part need your attention." in said[-1][0]
    assert f"{person.session.questionnaire.item('first_name').label.get('en')}: Not answered." in said[-1][0]


@pytest.mark.parametrize("text", ["normal", "largest"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reviews_buttons_look_and_sit_as_the_questions_do(qtbot, kiosk, complete, lang, text):
    """As big as a question's "Read aloud", level with the top of the title it reads, Edit
    24 px away; Tab reads each part's button, then its Edit."""
    kiosk.voice.languages |= {lang}
    kiosk.resize(1024, 768)
    kiosk.set_theme(text=text)
    person = Driver(qtbot, kiosk)
    person.start(lang)
    question_button = person.widget("sex_at_birth").read_aloud.size()
    person, content = review(qtbot, kiosk, complete, lang, person)
    chain = content.ordered_edit_buttons()
    assert chain[0] is content.read_aloud
    for step_id, button in content.read_aloud_buttons.items():
        edit, card = content.edit_buttons[step_id], content.cards[step_id][0]
        assert button.size() == question_button, step_id
        title = button.parentWidget().parentWidget().title
        assert box(edit, card).left() - box(button, card).right() - 1 >= 24
        assert box(edit, card).top() == box(button, card).top()
        if box(title, card).bottom() < box(button, card).top():  # under a title too long beside them
            assert text == "largest", step_id
            assert box(edit, card).right() == box(title, card).right(), step_id  # at the right
        else:
            assert box(button, card).top() == box(title, card).top(), step_id
            assert box(title, card).right() < box(button, card).left()
            assert title.width() >= 0.4 * card.contentsRect().width()
        assert chain[chain.index(button) + 1] is edit
    assert content.read_aloud.size() == question_button
    assert box(content.read_aloud, content).right() == content.width() - 1  # the column's right edge


def break_page(qtbot, kiosk, lang: str) -> tuple[Driver, str]:
    person = Driver(qtbot, kiosk)
    person.start(lang)
    person.type("first_name", "Ana")
    person.click(kiosk.flow_page.break_button)
    settle()
    assert kiosk.current_page() is kiosk.break_page
    return person, kiosk.break_page.code.text()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_break_page_reads_everything_but_the_code(qtbot, kiosk, lang):
    said = listened(kiosk, lang)
    person, code = break_page(qtbot, kiosk, lang)
    page, t = kiosk.break_page, kiosk.t
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.read_aloud.isVisible()
    assert name(page.read_aloud) == t("kiosk.read_aloud_named", question=t("kiosk.break.title"))
    person.tap(page.read_aloud)
    text, in_lang = said[-1]
    assert in_lang == lang and text.startswith(t("kiosk.break.title"))
    assert t("kiosk.break.spoken_code") in text and page.privacy.text() in text
    # Not the code, in any form a voice could read it: whole, without its dash, letter by letter.
    letters = code.replace("-", "")
    for form in (code, letters, " ".join(letters), " ".join(code), letters[:4], letters[4:]):
        assert form not in text, form
    assert code not in page.read_aloud.accessibleName()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_code_page_reads_its_instructions_and_a_refusal_never_the_typed_code(qtbot, kiosk, lang):
    said = listened(kiosk, lang)
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.language_buttons[lang])
    person.click(kiosk.welcome.resume)
    page, t = kiosk.resume_page, kiosk.t
    assert kiosk.current_page() is page and page.read_aloud.isVisible()
    assert name(page.read_aloud) == t("kiosk.read_aloud_named", question=t("kiosk.resume.title"))
    person.tap(page.read_aloud)
    intro = f"{t('kiosk.resume.title')}. {t('kiosk.resume.intro')}"
    assert said[-1] == (f"{intro} {t('kiosk.resume.spoken_how')}", lang)
    page.code.setText("ZZZZ-9QW3")
    person.click(page.go)
    settle()
    person.tap(page.read_aloud)
    text = said[-1][0]
    assert t("kiosk.resume.not_found") in text
    assert "ZZZZ" not in text and "9QW3" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_still_there_reads_the_seconds_left_and_what_to_do(qtbot, kiosk, lang):
    said = listened(kiosk, lang)
    person = Driver(qtbot, kiosk)
    person.start(lang)
    kiosk._idle()
    kiosk._tick()
    kiosk._tick()
    page, t = kiosk.idle_page, kiosk.t
    assert kiosk.current_page() is page and page.read_aloud.isVisible()
    person.tap(page.read_aloud)
    assert said[-1] == (" ".join([f"{t('kiosk.idle.title')}", t("kiosk.idle.countdown", seconds=28),
                                  t("kiosk.idle.saved"), t("kiosk.idle.spoken_how")]), lang)
    assert kiosk.current_page() is page  # reading it is not "Yes, I am still here"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("clinic", [False, True])
def test_thank_you_reads_the_page_with_the_clinics_words(qtbot, make_kiosk, store, lang, clinic):
    if clinic:
        store.set_setting("kiosk_thank_you_en", CLINIC["en"], "admin")
        store.set_setting("kiosk_thank_you_es", CLINIC["es"], "admin")
    kiosk = make_kiosk()
    said = listened(kiosk, lang)
    person = Driver(qtbot, kiosk)
    person.start(lang)
    kiosk.show_thanks()
    page, t = kiosk.thanks_page, kiosk.t
    assert page.read_aloud.isVisible()
    assert name(page.read_aloud) == t("kiosk.read_aloud_named", question=t("kiosk.thanks.title"))
    person.tap(page.read_aloud)
    text, in_lang = said[-1]
    contact = CLINIC[lang] if clinic else t.plural("kiosk.thanks.contact", 10)
    assert in_lang == lang and text == " ".join([f"{t('kiosk.thanks.title')}.", t("kiosk.thanks.sent"),
                                                 f"{t('kiosk.thanks.next_title')}.", t("kiosk.thanks.next"),
                                                 contact, t("kiosk.thanks.leave")])


def test_a_page_being_read_aloud_is_not_cleared_under_the_voice(qtbot, make_kiosk):
    """The thank-you page goes 20 s after the last touch; its reading takes longer. While the
    voice reads, the page waits (a minute at most); the time counts again from the end."""
    kiosk = make_kiosk(thanks_seconds=2)
    Driver(qtbot, kiosk).start()
    kiosk.show_thanks()
    assert kiosk.idle.remaining <= 2
    kiosk.voice.speaking.emit(True)
    assert kiosk.idle.remaining > 50
    kiosk.voice.speaking.emit(False)
    assert 1 < kiosk.idle.remaining <= 2
    kiosk.voice.speaking.emit(True)
    kiosk.reset()  # leaving the page: its own time again, whatever the voice
    kiosk.voice.speaking.emit(False)
    assert kiosk.idle.remaining is None  # the welcome page is never left idle


@pytest.mark.parametrize(("lang", "engine"), [("es", "mock"), ("en", "no-such-engine")])
@pytest.mark.parametrize("page", ["resume", "break", "idle", "thanks", "review"])
def test_no_button_where_there_is_no_voice_for_the_language(qtbot, make_kiosk, complete, page, lang, engine):
    """Qt's mock engine has no Spanish voice; an engine the machine lacks, no voice at all."""
    kiosk = make_kiosk(voice_engine=engine)
    assert not kiosk.voice.speaks(lang)
    person = Driver(qtbot, kiosk)
    person.click(kiosk.welcome.language_buttons[lang])
    if page == "resume":
        person.click(kiosk.welcome.resume)
    elif page == "review":
        review(qtbot, kiosk, complete, lang)
    else:
        person.start(lang)
        {"break": lambda: person.click(kiosk.flow_page.break_button), "idle": kiosk._idle,
         "thanks": kiosk.show_thanks}[page]()
    settle()
    assert kiosk.current_page().objectName() == {"resume": "resume-page", "review": "flow"}.get(page, page)
    assert buttons(kiosk.current_page()) == []
