"""Issue 15, "Read aloud": what is spoken for a question (its text, its hint, its choices)
is composed in the core, in the kiosk's language."""

from __future__ import annotations

import pytest

from screening_app.engine.spoken import spoken, spoken_answer, spoken_date, spoken_intro, spoken_question
from screening_app.i18n import Translator
from tests.shared import shipped


def test_a_choice_question_is_read_with_its_hint_and_its_answers():
    item = shipped().item("worsened_12_months")
    assert spoken_question(item, Translator("en")) == (
        "Has your disability worsened in the past 12 months? For example, your walking, balance, "
        "vision or use of your hands got worse and did not get better. The answers are: Yes; No; Not sure.")


def test_spanish_is_read_in_spanish():
    item = shipped().item("worsened_12_months")
    text = spoken_question(item, Translator("es"))
    assert text.startswith("¿Ha empeorado su discapacidad en los últimos 12 meses?")
    assert "Las respuestas son: Sí; No; No estoy seguro" in text or "Las respuestas son: Sí; No;" in text
    assert item.label.get("en") not in text and "The answers" not in text


@pytest.mark.parametrize(("item_id", "lang", "said"), [
    ("preferred_name", "en", "This question is optional."),
    ("preferred_name", "es", "Esta pregunta es opcional."),
    ("last_relapse_date", "en", "Give the month and the year; the day too if you know it."),
    ("date_of_birth", "en", "Give the day, the month and the year."),
    ("last_relapse_date", "es", "Indique el mes y el año; también el día si lo sabe."),
])
def test_what_a_question_needs_is_said(item_id, lang, said):
    assert said in spoken_question(shipped().item(item_id), Translator(lang))


def test_a_required_question_is_not_called_optional():
    assert "optional" not in spoken_question(shipped().item("first_name"), Translator("en"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_question_of_the_questionnaire_reads_as_sentences(lang):
    t = Translator(lang)
    for item in shipped().all_items():
        for each in (item, *item.items):
            text = spoken_question(each, t)
            assert text.startswith(" ".join(each.label.get(lang).split())[:20]), each.id
            assert "{" not in text and ".." not in text and "  " not in text, (each.id, text)
            assert text.endswith((".", "?", "!", ":", "…", ";")), (each.id, text)


def test_parts_become_sentences():
    assert spoken("Welcome", "  Two\n lines ", None, "", "Ready?") == "Welcome. Two lines. Ready?"


@pytest.mark.parametrize(("lang", "means"), [
    ("en", "To agree, tick the box. Ticking it means you agree with this statement."),
    ("es", "Para aceptar, marque la casilla. Marcarla significa que está de acuerdo con esta declaración."),
])
def test_a_consent_statement_is_read_with_what_ticking_it_means(lang, means):
    item = shipped().item("consent_contact")
    assert spoken_question(item, Translator(lang)) == f"{item.label.get(lang)} {means}"


def test_a_consent_that_may_be_left_says_so_and_a_notice_is_its_text():
    from dataclasses import replace

    item = replace(shipped().item("attest_true"), required=False)
    said = spoken_question(item, Translator("en"))
    assert said.endswith("If you agree, tick the box. You can leave it unticked.")
    notice = shipped().item("review_notice")
    assert spoken_question(notice, Translator("es")) == notice.label.get("es")


def test_a_steps_intro_is_read_after_its_title():
    step = shipped().step("relapses")
    text = spoken_intro(step, Translator("es"))
    assert text.startswith("Brotes. Un brote (también llamado recaída o ataque)")
    assert spoken_intro(shipped().step("consent"), Translator("en")) == (
        "Consent and signature. Please read each statement carefully.")


@pytest.mark.parametrize(("question", "answer", "said"), [
    ("Sex assigned at birth", "Female", "Sex assigned at birth: Female."),
    ("How would you like us to contact you?", "Phone call; Email",
     "How would you like us to contact you? Phone call; Email."),
    ("Notes:", "  two\n lines ", "Notes: two lines."),
    ("¿Cómo prefiere que nos comuniquemos con usted?", "Llamada telefónica",
     "¿Cómo prefiere que nos comuniquemos con usted? Llamada telefónica."),
])
def test_an_answer_is_said_after_its_question_as_the_review_shows_it(question, answer, said):
    assert spoken_answer(question, answer) == said


@pytest.mark.parametrize(("lang", "shown", "said"), [
    ("en", "10 Sep 2026", "10 September 2026"), ("en", "Mar 2019", "March 2019"), ("en", "2019", "2019"),
    ("es", "17 sept 2026", "17 septiembre 2026"),
])
def test_a_date_is_said_with_its_month_in_full(lang, shown, said):
    t = Translator(lang)
    assert t("month.9") in shown or "Mar" in shown or shown == "2019"
    assert spoken_date(shown, t) == said
