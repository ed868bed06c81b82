"""The review page's Edit buttons, and what the person sees when the disk refuses a save."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel

from screening_app.store import DatabaseBusy, DatabaseUnavailable, ErrorCode
from tests.ui.kiosk_driver import Driver, settle


def fill_all(person: Driver, complete: dict) -> None:
    answers = {p: v for p, v in complete.items() if p != "signature"}
    for path, value in answers.items():
        person.session.set_answer(path, value)
    person.window.controller.record(answers, True)


def texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


@pytest.mark.parametrize(("lang", "edit", "named"), [("en", "Edit", "Edit: About you"),
                                                      ("es", "Editar", "Editar: Sobre usted")])
def test_edit_opens_the_step_and_next_returns_to_the_review(qtbot, kiosk, store, complete, lang, edit,
                                                            named):
    person = Driver(qtbot, kiosk)
    person.start(lang)
    fill_all(person, complete)
    kiosk.flow.show_step("pregnancy")
    person.next()
    assert kiosk.flow.in_review
    review = kiosk.flow_page.content
    assert "Ocrelizumab (Ocrevus)" in " ".join(texts(review))
    assert kiosk.t("validation.not_signed") not in texts(review)  # consent comes after
    button = review.edit_buttons["about_you"]
    assert button.text() == edit
    assert QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name) == named
    person.click(button)
    assert person.step == "about_you"
    assert kiosk.flow_page.next_button.text() == kiosk.t("kiosk.nav.to_review")
    person.clear_text("first_name")
    person.type("first_name", "Anabel")
    person.next()
    assert kiosk.flow.in_review
    assert "Anabel" in texts(kiosk.flow_page.content)
    assert store.answers(kiosk.controller.submission_id)["first_name"] == "Anabel"
    person.next()
    assert person.step == "consent"
    assert person.widget("signer_name").edit.text() == "Ana Ejemplo"  # answered already
    person.back()
    assert kiosk.flow.in_review


def test_a_step_opened_by_a_changed_answer_is_asked_before_consent(qtbot, kiosk, complete):
    person = Driver(qtbot, kiosk)
    person.start()
    fill_all(person, {p: v for p, v in complete.items()
                      if not p.startswith(("pregnant", "breastfeeding", "planning", "contraception"))})
    person.session.set_answer("sex_at_birth", "male")
    kiosk.flow.show_review()
    person.click(kiosk.flow_page.content.edit_buttons["about_you"])
    person.choose("sex_at_birth", "female")
    person.next()  # back to the review
    person.next()  # on to consent? Not yet: the pregnancy step is new and unanswered
    assert person.step == "pregnancy"
    assert person.widget("pregnant").message.isVisible()


def test_a_refused_save_is_said_plainly_and_retried_with_the_next_change(qtbot, kiosk, store, monkeypatch):
    person = Driver(qtbot, kiosk)
    person.start()
    sid = kiosk.controller.submission_id
    real_save = store.save_answer

    def full_disk(*args, **kwargs):
        raise DatabaseUnavailable(ErrorCode.DISK_FULL)

    monkeypatch.setattr(store, "save_answer", full_disk)
    person.choose("sex_at_birth", "female")
    settle()
    assert kiosk.flow_page.status.message() == "Your last answer was not saved. Please ask staff for help."
    monkeypatch.setattr(store, "save_answer", real_save)
    person.type("first_name", "Ana")
    qtbot.waitUntil(lambda: "first_name" in store.answers(sid), timeout=2000)
    assert store.answers(sid) == {"sex_at_birth": "female", "first_name": "Ana"}
    assert not kiosk.flow_page.status.isVisible()


def test_a_busy_database_is_said_as_busy_not_as_a_lost_answer(qtbot, kiosk, store, monkeypatch):
    person = Driver(qtbot, kiosk)
    person.start()

    def busy(*args, **kwargs):
        raise DatabaseBusy(ErrorCode.BUSY)

    monkeypatch.setattr(store, "save_answer", busy)
    person.choose("sex_at_birth", "female")
    settle()
    assert kiosk.flow_page.status.message() == kiosk.t("kiosk.error.busy")


def test_a_review_made_ahead_shows_the_answers_given_since(qtbot, kiosk, complete):
    person = Driver(qtbot, kiosk)
    person.start()
    fill_all(person, complete)
    kiosk.flow.show_step("pregnancy")
    qtbot.wait(300)  # reading: the review is made ready meanwhile
    assert kiosk.flow_page.prepared is not None
    person.choose("planning_pregnancy", "within_1_year")
    person.next()
    review = kiosk.flow_page.content
    assert "Yes, within the next year" in texts(review)
    assert "Ana" in texts(review)
    assert list(review.cards) == [s.id for s in person.session.visible_steps()[:-1]]
    qtbot.wait(300)  # the consent step is made ready meanwhile
    person.next()
    assert person.step == "consent"
    assert person.widget("signer_name").edit.text() == "Ana Ejemplo"
