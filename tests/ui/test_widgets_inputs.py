"""Each input widget on its own: value in and out, the `changed` signal, clear(), names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLayout, QVBoxLayout, QWidget

from screening_app.engine.definition import ITEM_TYPES, Choice, Item, Text
from screening_app.engine.validation import Problem
from screening_app.i18n import Translator
from ui.widgets import WIDGETS, widget_for
from ui.widgets.text import parse_number

T = Translator("en")


def item(kind: str, **extra) -> Item:
    return Item(id="q", type=kind, label=Text({"en": "The question", "es": "La pregunta"}),
                help=Text({"en": "Some help", "es": "Ayuda"}), **extra)


YES_NO = (Choice("yes", Text({"en": "Yes"})), Choice("no", Text({"en": "No"})))
CONTACT = (Choice("phone", Text({"en": "Phone"})), Choice("email", Text({"en": "Email"})),
           Choice("none", Text({"en": "None of these"}), exclusive=True))


def shown(qtbot, widget):
    """Show a widget inside a plain window that pushes no size hints to the window system."""
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(widget)
    window.resize(800, 600)
    qtbot.addWidget(window)
    window.show()
    return window


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def test_every_item_type_has_a_widget():
    assert set(WIDGETS) == set(ITEM_TYPES)


@pytest.mark.parametrize(("kind", "extra", "value"), [
    ("text", {}, "Ana"),
    ("email", {}, "ana@example.org"),
    ("phone", {}, "+1 555 010"),
    ("long_text", {}, "Line one\nLine two"),
    ("integer", {}, 3),
    ("year", {}, 2015),
    ("decimal", {}, 4.5),
    ("date", {}, "1980-05-17"),
    ("date", {"precision": "month"}, "2019-03"),
    ("yes_no", {"choices": YES_NO}, "no"),
    ("multi_choice", {"choices": CONTACT}, ["phone", "email"]),
    ("consent", {}, True),
])
def test_value_round_trip_without_signalling(qtbot, kind, extra, value):
    widget = widget_for(item(kind, **extra), T)
    qtbot.addWidget(widget)
    with qtbot.assertNotEmitted(widget.changed):
        widget.set_value(value)
    assert widget.value() == value
    widget.clear()
    assert widget.value() is None
    assert widget.accessible_target().accessibleName() == "The question"
    assert "Some help" in widget.accessible_target().accessibleDescription()


def test_typing_signals_the_new_value_and_blank_clears(qtbot):
    widget = widget_for(item("text"), T)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.changed) as signal:
        qtbot.keyClicks(widget.edit, "A")
    assert signal.args == ["A"]
    with qtbot.waitSignal(widget.changed) as signal:
        qtbot.keyClick(widget.edit, Qt.Key.Key_Backspace)
    assert signal.args == [None]


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("12", "integer", 12), (" 12 ", "integer", 12), ("1.5", "integer", "1.5"), ("abc", "year", "abc"),
    ("4,5", "decimal", 4.5), ("4", "decimal", 4.0), (".5", "decimal", 0.5), ("4.5.1", "decimal", "4.5.1"),
    ("", "integer", None),
])
def test_numbers_keep_what_was_typed_when_it_is_not_a_number(text, kind, value):
    assert parse_number(text, kind) == value


def test_dates_keep_their_parts_until_complete(qtbot):
    widget = widget_for(item("date"), T)
    qtbot.addWidget(widget)
    qtbot.keyClicks(widget.day, "7")
    assert widget.value() == "--07"
    qtbot.keyClicks(widget.year, "1980")
    assert widget.value() == "1980--07"
    widget.month.setCurrentIndex(5)
    assert widget.value() == "1980-05-07"
    widget.set_value("1980--07")
    assert (widget.day.text(), widget.month.currentIndex(), widget.year.text()) == ("7", 0, "1980")
    qtbot.keyClicks(widget.day, "x")  # digits only
    assert widget.day.text() == "7"
    assert widget.month.itemText(5) == "May"
    assert widget.day.accessibleName() == "The question — day"


def test_a_month_date_may_leave_the_day_empty(qtbot):
    widget = widget_for(item("date", precision="month"), T)
    qtbot.addWidget(widget)
    widget.month.setCurrentIndex(3)
    qtbot.keyClicks(widget.year, "2019")
    assert widget.value() == "2019-03"
    assert widget.captions[0].text() == "Day (optional)"


def test_a_year_date_may_leave_the_month_and_day_empty(qtbot):
    widget = widget_for(item("date", precision="year", required=True), T)
    qtbot.addWidget(widget)
    assert [c.text() for c in widget.captions] == ["Day (optional)", "Month (optional)", "Year"]
    optional = T("widgets.a11y.optional")
    assert optional in widget.month.accessibleDescription() and optional in widget.day.accessibleDescription()
    assert optional not in widget.year.accessibleDescription()
    qtbot.keyClicks(widget.year, "2019")
    assert widget.value() == "2019"
    widget.month.setCurrentIndex(3)
    assert widget.value() == "2019-03"
    qtbot.keyClicks(widget.day, "9")
    assert widget.value() == "2019-03-09"
    widget.month.setCurrentIndex(0)
    assert widget.value() == "2019--09"  # a day without its month: kept, and refused by the check
    widget.set_value("2019")
    assert (widget.day.text(), widget.month.currentIndex(), widget.year.text()) == ("", 0, "2019")


@pytest.mark.parametrize(("keys", "month"), [
    ("3", 3), ("03", 3), ("12", 12), ("10", 10), ("1", 1), ("0", 0), ("31", 1), ("9", 9),
])
def test_typing_digits_into_month_chooses_that_month(qtbot, keys, month):
    widget = widget_for(item("date", precision="month"), T)
    qtbot.addWidget(widget)
    qtbot.keyClicks(widget.year, "2019")
    saved = []
    widget.changed.connect(saved.append)
    qtbot.keyClicks(widget.month, keys)  # typed at once, as a person does
    assert widget.month.currentIndex() == month
    assert saved[-1:] == ([f"2019-{month:02d}"] if month else [])


def test_a_pause_between_digits_starts_a_new_month(qtbot):
    widget = widget_for(item("date"), T)
    qtbot.addWidget(widget)
    qtbot.keyClicks(widget.month, "1")
    qtbot.wait(1200)  # longer than the pause that ends a number (1 s)
    qtbot.keyClicks(widget.month, "2")
    assert widget.month.currentIndex() == 2  # February, not December
    qtbot.keyClicks(widget.month, "M")  # letters still find a month by its name
    assert widget.month.currentText() in ("March", "May")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("large", [False, True])
def test_the_three_date_fields_sit_evenly_under_their_captions(qtbot, lang, large):
    from ui.kiosk.theme import Theme

    widget = widget_for(item("date", precision="month"), Translator(lang))
    host = shown(qtbot, widget)
    host.setStyleSheet(Theme(text="larger" if large else "normal").stylesheet())
    qtbot.waitExposed(host)
    settle()
    gap = widget.fields.layout().horizontalSpacing()
    day, month, year = widget.day.geometry(), widget.month.geometry(), widget.year.geometry()
    # "Day (optional)" is wider than two digits: the day field takes its width, no gap opens.
    assert month.left() - day.right() - 1 == gap and year.left() - month.right() - 1 == gap
    for caption, field in zip(widget.captions, (day, month, year), strict=True):
        assert caption.geometry().left() == field.left()
    assert widget.captions[0].sizeHint().width() <= day.width()


def test_an_exclusive_choice_unticks_the_others_and_back(qtbot):
    widget = widget_for(item("multi_choice", choices=CONTACT), T)
    host = shown(qtbot, widget)  # noqa: F841 (kept alive for the test)
    qtbot.mouseClick(widget.options["phone"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(widget.options["email"], Qt.MouseButton.LeftButton)
    assert widget.value() == ["phone", "email"]
    with qtbot.waitSignal(widget.changed) as signal:
        qtbot.mouseClick(widget.options["none"], Qt.MouseButton.LeftButton)
    assert signal.args == [["none"]]
    qtbot.mouseClick(widget.options["email"], Qt.MouseButton.LeftButton)
    assert widget.value() == ["email"]


def test_a_choice_is_committed_at_once(qtbot):
    widget = widget_for(item("yes_no", choices=YES_NO), T)
    host = shown(qtbot, widget)  # noqa: F841 (kept alive for the test)
    with qtbot.waitSignals([widget.changed, widget.committed]):
        qtbot.mouseClick(widget.options["yes"], Qt.MouseButton.LeftButton)
    assert widget.options["yes"].accessibleName() == "Yes — The question"
    widget.set_value(None)
    assert not any(o.isChecked() for o in widget.options.values())


def test_a_problem_shows_icon_text_and_confirmation_for_a_warning(qtbot):
    widget = widget_for(item("integer"), T)
    host = shown(qtbot, widget)  # noqa: F841 (kept alive for the test)
    widget.set_problem(Problem("q", "x", "error", "Too many."))
    assert widget.message.isVisible() and widget.message.icon._kind == "error"
    assert widget.message.text.text() == "Too many."
    assert not widget.message.confirm.isVisible()
    assert widget.edit.property("problem") == "error"
    assert "Problem: Too many." in widget.edit.accessibleDescription()
    widget.set_problem(Problem("q", "w", "warning", "Is that right?"))
    assert widget.message.icon._kind == "warning" and widget.message.confirm.isVisible()
    with qtbot.waitSignal(widget.confirm_toggled) as signal:
        qtbot.mouseClick(widget.message.confirm, Qt.MouseButton.LeftButton)
    assert signal.args == [True]
    widget.clear()
    assert not widget.message.isVisible() and widget.value() is None


def test_optional_questions_say_so_in_words(qtbot):
    widget = widget_for(item("text"), T)
    qtbot.addWidget(widget)
    assert "(optional)" in widget.question.text()
    assert widget.edit.accessibleName() == "The question"
    required = widget_for(Item(id="r", type="text", label=Text({"en": "Name"}), required=True), T)
    qtbot.addWidget(required)
    assert "optional" not in required.question.text()
