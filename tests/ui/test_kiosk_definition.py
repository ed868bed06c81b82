"""A clinic runs an imported questionnaire: `--definition FILE` for the kiosk and the desk.

Issue 14: only the definition's languages are offered (Español for an English-only
definition raised an error), and a one-step questionnaire still gets its review page."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.engine.loader import load_questionnaire
from screening_app.resources import RESOURCES
from tests.ui.kiosk_driver import Driver, settle
from tests.ui.test_kiosk_happy_path import visible_texts
from ui.app import run_app

PHQ9 = RESOURCES / "questionnaires" / "phq-9.yaml"  # converted from LHC-Forms: one step, English


@pytest.fixture
def phq9():
    return load_questionnaire(PHQ9)


def test_an_english_only_definition_offers_english_alone(make_kiosk, phq9):
    kiosk = make_kiosk(questionnaire_loader=lambda: phq9, languages=phq9.languages)
    settle()
    assert list(kiosk.welcome.language_buttons) == ["en"]
    assert not kiosk.welcome.language_buttons["en"].isVisibleTo(kiosk)  # nothing to choose
    assert "Español" not in visible_texts(kiosk)
    assert kiosk.welcome.lang == "en"


def test_a_one_step_questionnaire_is_reviewed_before_it_is_sent(qtbot, make_kiosk, store, phq9):
    kiosk = make_kiosk(questionnaire_loader=lambda: phq9, languages=phq9.languages)
    person = Driver(qtbot, kiosk)
    person.start("en")
    assert person.step == phq9.steps[0].id
    answers = {item.id: item.choices[1].code for item in phq9.all_items() if item.choices}
    person.fill_step(answers)
    assert kiosk.flow_page.next_button.text() == kiosk.t("kiosk.nav.next")  # not "Send" yet
    person.next()
    assert kiosk.flow.in_review  # the answers to check, before anything is sent
    assert kiosk.flow_page.next_button.text() == kiosk.t("kiosk.nav.submit")
    sid = kiosk.controller.submission_id
    person.next()
    assert kiosk.current_page() is kiosk.thanks_page
    assert store.get_submission(sid).status == "submitted"
    assert store.answers(sid) == answers


def test_the_app_refuses_a_definition_it_cannot_run(tmp_path: Path, capsys):
    missing = tmp_path / "nowhere.yaml"
    assert run_app(["--kiosk", "--definition", str(missing), "--db", str(tmp_path / "x.db")]) == 2
    assert "nowhere.yaml" in capsys.readouterr().err
    french = tmp_path / "fr.yaml"
    french.write_text(PHQ9.read_text(encoding="utf-8").replace("languages: [en]", "languages: [fr]")
                      .replace("{en:", "{fr:"), encoding="utf-8")
    assert run_app(["--kiosk", "--definition", str(french), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert "fr" in err and "en, es" in err and "Traceback" not in err
    assert not (tmp_path / "x.db").exists()  # refused before anything was opened


def test_the_desk_fills_in_the_definition_it_was_given(qtbot, store, phq9, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.desk.window import start_desk

    settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    window = start_desk(store, settings=settings, questionnaire=phq9)
    qtbot.addWidget(window)
    assert window._load_questionnaire() is phq9
