"""A section's heading reads as a heading, not as a note (issue 14's leftover).

An imported questionnaire's nested groups are sections within a step (info items that
other items stand under). They were drawn as the framed "i" boxes of notes to read, so a
patient could not tell "Sleep", which names the questions under it, from "Count snacks as
meals", which is a note. The kiosk runs a converted FHIR Questionnaire here, as a clinic
does with `--definition`."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QAccessible, QFont
from PySide6.QtWidgets import QFrame, QLabel

from screening_app.engine.loader import load_text
from screening_app.interop.fhir_import import questionnaire_from_fhir
from tests.ui.kiosk_driver import Driver, settle
from ui.widgets.choice import InfoWidget
from ui.widgets.common import ProblemIcon

FHIR = {"resourceType": "Questionnaire", "status": "draft", "title": "Health check", "version": "1.0",
        "language": "en",
        "item": [{"linkId": "g", "type": "group", "text": "Your health", "item": [
            {"linkId": "note", "type": "display", "text": "Please answer about the last two weeks."},
            {"linkId": "sleep", "type": "group", "text": "Sleep", "required": True, "item": [
                {"linkId": "hours", "type": "integer", "text": "How many hours do you sleep a night?"},
                {"linkId": "wake", "type": "boolean", "text": "Do you wake up in the night?"}]},
            {"linkId": "food", "type": "group", "text": "Eating", "item": [
                {"linkId": "meals", "type": "integer", "text": "How many meals a day do you eat?"},
                {"linkId": "snacks", "type": "display", "text": "Count large snacks as meals."}]}]}]}


def converted(resource):
    result = questionnaire_from_fhir(json.loads(json.dumps(resource)), "sections.json")
    return load_text(result.yaml_text, "sections.yaml")


@pytest.fixture
def person(qtbot, make_kiosk):
    q = converted(FHIR)
    kiosk = make_kiosk(questionnaire_loader=lambda: q, languages=q.languages)
    person = Driver(qtbot, kiosk)
    person.start("en")
    settle()
    return person


def heading_of(widget) -> QLabel:
    [label] = widget.findChildren(QLabel, "section-heading")
    return label


def accessible(widget):
    return QAccessible.queryAccessibleInterface(widget)


@pytest.mark.parametrize(("section", "text"), [("sleep", "Sleep"), ("food", "Eating")])
def test_a_section_is_a_heading_with_a_rule_and_no_notice_box(person, section, text):
    widget = person.widget(section)
    assert not isinstance(widget, InfoWidget)
    assert widget.findChildren(QFrame, "notice") == []  # no box...
    assert [icon for icon in widget.findChildren(ProblemIcon)  # ...and no "i" (the problem
            if not widget.message_slot.isAncestorOf(icon)] == []  # message keeps its own icons)
    heading = heading_of(widget)
    assert heading.text() == text and heading.isVisibleTo(person.window)
    assert accessible(heading).role() == QAccessible.Role.Heading
    assert accessible(heading).text(QAccessible.Text.Name) == text
    [rule] = widget.findChildren(QFrame, "section-rule")
    assert rule.isVisibleTo(person.window)
    assert rule.mapTo(person.window, rule.rect().topLeft()).y() >= \
        heading.mapTo(person.window, heading.rect().bottomLeft()).y()  # under the title
    assert rule.width() >= heading.width() * 0.9  # across the column, not under the words only


def test_the_heading_is_set_like_the_step_title_one_size_down_and_left_aligned(person):
    title = person.form.title
    heading = heading_of(person.widget("sleep"))
    question = person.widget("hours").question
    assert heading.font().weight() >= QFont.Weight.Bold
    assert question.fontInfo().pixelSize() < heading.fontInfo().pixelSize() < title.fontInfo().pixelSize()
    assert heading.font().family() == title.font().family()

    def text_left(label: QLabel) -> int:  # neither label indents its text (QLabel.indent)
        return label.mapTo(person.window, label.contentsRect().topLeft()).x()

    assert heading.indent() <= 0 and title.frameWidth() == 0
    assert text_left(heading) == text_left(title)  # a section at the step's level starts where the title does
    assert accessible(title).role() == QAccessible.Role.Heading  # the step title is a heading too


def test_notes_keep_their_box(person):
    for note, text in (("note", "Please answer about the last two weeks."),
                       ("snacks", "Count large snacks as meals.")):
        widget = person.widget(note)
        assert isinstance(widget, InfoWidget)
        [box] = widget.findChildren(QFrame, "notice")
        assert box.isVisibleTo(person.window)
        assert widget.text.text() == text
        assert widget.findChildren(QLabel, "section-heading") == []


def test_a_required_section_says_so_under_its_heading(person):
    person.next()
    settle()
    widget = person.widget("sleep")
    assert widget.message.isVisibleTo(person.window)
    assert widget.message.text.text() == person.window.t("validation.required_section")
    assert widget.message.mapTo(person.window, widget.message.rect().topLeft()).y() > \
        heading_of(widget).mapTo(person.window, heading_of(widget).rect().topLeft()).y()


def test_a_group_under_a_question_shows_as_a_heading_once_the_question_is_answered(qtbot, make_kiosk):
    from tests.interop.helpers import FIXTURES

    path = FIXTURES / "fhir" / "lforms-group-under-question.R4.json"
    q = converted(json.loads(path.read_text(encoding="utf-8")))
    kiosk = make_kiosk(questionnaire_loader=lambda: q, languages=q.languages)
    person = Driver(qtbot, kiosk)
    person.start("en")
    [section] = [item for item in q.all_items() if item.type == "info"]
    [question] = [item for item in q.all_items() if item.parent is None]
    assert not person.shown(section.id)
    qtbot.keyClicks(person.widget(question.id).inputs()[0], "yes")
    settle()
    assert person.shown(section.id)
    assert heading_of(person.widget(section.id)).text() == "Sub Group"
    assert person.widget(section.id).findChildren(QFrame, "notice") == []


BLUEBOOK_UNTITLED = ("group", "vitaminkgivendoses")  # FHIR groups without text (the NSW blue book)


def bluebook():
    from tests.interop.helpers import FIXTURES

    path = FIXTURES / "fhir" / "r4b-questionnaire-example-bluebook.json"
    return converted(json.loads(path.read_text(encoding="utf-8")))


def assert_no_heading(form, section_id: str, first_item: str, window) -> None:
    """No heading, no rule and no text of the untitled section on screen (its linkId was the
    heading before); its items still show, indented under where it stands."""
    widget = form.answer_widget(section_id)
    assert widget.findChildren(QLabel, "section-heading") == []
    assert widget.findChildren(QFrame, "section-rule") == []
    assert widget.findChildren(QFrame, "notice") == []
    shown = [label.text() for label in widget.findChildren(QLabel)
             if label.isVisibleTo(window) and label.text().strip()]
    assert shown == []
    item = form.answer_widget(first_item)
    assert item.isVisibleTo(window)
    assert item.contentsMargins().left() > widget.contentsMargins().left()  # still under the section


def test_an_untitled_section_shows_no_heading_on_the_kiosk(qtbot, make_kiosk):
    q = bluebook()
    kiosk = make_kiosk(questionnaire_loader=lambda: q, languages=q.languages)
    person = Driver(qtbot, kiosk)
    person.start("en")
    settle()
    assert_no_heading(person.form, "group", "nameofchild", person.window)
    texts = [label.text() for label in kiosk.findChildren(QLabel) if label.isVisibleTo(kiosk)]
    assert "group" not in texts and "Neonatal Information" in texts  # a titled one keeps its heading
    assert not person.shown("vitaminkgivendoses")
    person.choose("vitaminkgiven", "oral")
    settle()
    assert person.shown("vitaminkgivendoses")  # its condition holds, though it has no heading
    assert_no_heading(person.form, "vitaminkgivendoses", "vitaminikdose1", person.window)


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen; routine on a desktop
def test_an_untitled_section_shows_no_heading_at_the_desk(qtbot, store):
    from screening_app.i18n import Translator
    from ui.desk.fill import DeskFillDialog

    q = bluebook()
    submission = store.start_submission(q, "en", "coordinator")
    dialog = DeskFillDialog(store, submission, "coordinator", Translator("en"))
    qtbot.addWidget(dialog)
    dialog.resize(1100, 800)
    dialog.show()
    qtbot.waitExposed(dialog)
    form = dialog.forms[dialog.current]
    assert_no_heading(form, "group", "nameofchild", dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)]
    assert "group" not in texts and "vitaminKgivenDoses" not in texts


def test_in_a_row_a_section_is_a_heading_and_a_follow_up_shows_once_answered(qtbot, make_kiosk):
    """Inside a row, nested groups were flattened (their heading a note in a box) and items
    under a question left out; now the row has its sections and follow-ups, as a step has."""
    from tests.interop.helpers import FIXTURES
    from ui.widgets.section import SectionWidget

    path = FIXTURES / "fhir" / "ours-medications-repeating-structure.json"
    q = converted(json.loads(path.read_text(encoding="utf-8")))
    kiosk = make_kiosk(questionnaire_loader=lambda: q, languages=q.languages)
    person = Driver(qtbot, kiosk)
    person.start("en")
    person.click(person.widget("med").add_button)
    settle()
    row = person.session.rows("med")[0]

    def field(name: str):
        return person.widget(f"med[{row}].{name}")

    dose = field("med_dose")
    assert isinstance(dose, SectionWidget) and heading_of(dose).text() == "Dose"
    assert dose.findChildren(QFrame, "notice") == []
    left = dose.contentsMargins().left()
    assert field("med_dose_amount").contentsMargins().left() > left  # under its heading
    assert not field("med_side_effects_note").isVisibleTo(kiosk)  # a follow-up: not before an answer
    person.choose(f"med[{row}].med_side_effects", "no")
    settle()
    assert field("med_side_effects_note").isVisibleTo(kiosk)
    assert not field("med_side_effects_which").isVisibleTo(kiosk)  # its own enableWhen: "yes" only
    assert field("med_side_effects_note").contentsMargins().left() > \
        field("med_side_effects").contentsMargins().left()
    assert not field("med_route_site").isVisibleTo(kiosk)
    person.choose(f"med[{row}].med_route", "injection")
    settle()
    site = field("med_route_site")
    assert site.isVisibleTo(kiosk) and isinstance(site, SectionWidget)
    assert field("med_route_site_thigh").contentsMargins().left() > site.contentsMargins().left()
    person.type(f"med[{row}].med_name", "Interferon beta")
    person.next()
    settle()
    # The required section of the row says so under its heading, and the step waits.
    assert site.message.isVisibleTo(kiosk)
    assert site.message.text.text() == kiosk.t("validation.required_section")
    assert person.step == "meds"
    person.choose(f"med[{row}].med_route_site_belly", "yes")
    settle()
    assert not site.message.isVisibleTo(kiosk)


def test_the_review_and_the_desk_list_a_rows_answers_not_its_section_headings(qtbot):
    """A section of a row holds no answer: the review said "Dose: Not answered" for it."""
    from screening_app.engine.session import Session
    from screening_app.i18n import Translator
    from tests.interop.helpers import FIXTURES, TODAY
    from ui.kiosk.pages.review import ReviewContent

    path = FIXTURES / "fhir" / "ours-medications-repeating-structure.json"
    q = converted(json.loads(path.read_text(encoding="utf-8")))
    session = Session(q, {"med[0]": True, "med[0].med_name": "Fampridine", "med[0].med_dose_amount": 10,
                          "med[0].med_route": "injection", "med[0].med_route_site_thigh": "yes"}, today=TODAY)
    review = ReviewContent(session, "none", lambda step: None, Translator("en"))
    qtbot.addWidget(review)
    text = " ".join(label.text() for label in review.findChildren(QLabel))
    assert "Amount: <b>10</b>" in text and "Thigh: <b>Yes</b>" in text
    assert "Dose:" not in text and "Where do you inject it?" not in text
    # The desk's answers tree alike: the row's answers, not its headings as unanswered questions.
    from ui.desk.panels import AnswersTree

    tree = AnswersTree(Translator("en"))
    qtbot.addWidget(tree)
    tree.show_session(session, [])
    [row] = [node for node in _nodes(tree.invisibleRootItem()) if node.text(0) == "Entry 1"]
    questions = [row.child(i).text(0) for i in range(row.childCount())]
    assert {"Name of the medication", "Amount", "How do you take it?", "Thigh"} <= set(questions)
    assert "Dose" not in questions and "Where do you inject it? (choose at least one)" not in questions


def _nodes(node):
    for index in range(node.childCount()):
        yield node.child(index)
        yield from _nodes(node.child(index))
