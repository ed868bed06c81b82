"""Issue 15, "Room for the questions", on the simple pages: their buttons on the screen
without scrolling, as on the welcome page (tests/ui/test_kiosk_welcome_fit.py).

A review found "Take a break" and the thank-you page taller than a 1024x768 screen at the
largest text: "Continue now" and "Finish" only reachable by scrolling. "Are you still
there?" must never hide "Yes, I am still here" (the countdown ends the session), and the
resume code must stay whole and large: it is what the person copies down. Measured in the
real window at every supported size, text size and language, the thank-you page with the
clinic's own words at their longest (400 characters)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from screening_app.store.settings import THANK_YOU_LENGTH
from tests.ui.kiosk_driver import settle
from tests.ui.test_kiosk_welcome_fit import BUTTON_HEIGHT, SIZES
from ui.kiosk.theme import TEXT_SIZES

WORDS = {"en": "The study nurse will telephone you within five working days to talk about the next "
               "steps and to answer your questions. If you have not heard from us by then, please "
               "call the multiple sclerosis unit on 0161 555 0123, Monday to Friday. ",
         "es": "La enfermera del estudio le llamará por teléfono en un plazo de cinco días laborables "
               "para hablar de los próximos pasos y responder a sus preguntas. Si no ha tenido noticias "
               "nuestras para entonces, llame a la unidad de esclerosis múltiple al 0161 555 0123. "}


def longest(lang: str) -> str:
    return (WORDS[lang] * 3)[:THANK_YOU_LENGTH]


def whole_on_screen(widget, window) -> bool:
    """Shown, not clipped by the scroll area's viewport or the window's edge."""
    inside = widget.rect().translated(widget.mapTo(window, widget.rect().topLeft()))
    return (widget.isVisible() and window.rect().contains(inside)
            and widget.visibleRegion().boundingRect() == widget.rect())


def pages(kiosk):
    """(name, how the window shows it, its buttons): as a person meets them."""
    def idle():
        kiosk.idle_page.set_seconds(30)
        kiosk.show_page(kiosk.idle_page)

    return [("break", lambda: kiosk.show_break("K7M2-QX9D"),
             lambda: [kiosk.break_page.resume, kiosk.break_page.finish]),
            ("thanks", lambda: kiosk.show_page(kiosk.thanks_page), lambda: [kiosk.thanks_page.finish]),
            ("resume", lambda: kiosk.show_page(kiosk.resume_page),
             lambda: [kiosk.resume_page.go, kiosk.resume_page.back]),
            ("idle", idle, lambda: [kiosk.idle_page.stay])]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("text", ["normal", "larger", "largest"])
def test_buttons_and_the_code_show_without_scrolling(make_kiosk, store, size, text):
    for lang in ("en", "es"):
        store.set_setting(f"kiosk_thank_you_{lang}", longest(lang), actor="coordinator")
    kiosk = make_kiosk()
    kiosk.resize(*size)
    kiosk.set_theme(text=text)
    sizes = TEXT_SIZES[text]
    missed = []
    for lang in ("en", "es"):
        kiosk.set_language(lang)
        for name, show, buttons in pages(kiosk):
            show()
            settle()
            page = kiosk.current_page()
            assert page.scroll.verticalScrollBar().value() == 0
            for button in buttons():
                if not whole_on_screen(button, kiosk):
                    missed.append(f"{lang} {name}: {button.text()!r} not whole on the screen")
                assert button.height() >= BUTTON_HEIGHT[text], (lang, name, button.text())
                assert button.width() >= button.fontMetrics().horizontalAdvance(button.text())
            for label in page.column.findChildren(QLabel):
                if label.isVisible() and label.text():
                    assert label.fontInfo().pixelSize() >= sizes.small, (lang, name, label.text())
        assert kiosk.thanks_page.contact.text() == longest(lang)
        code = kiosk.break_page.code
        kiosk.show_break("K7M2-QX9D")
        settle()
        assert code.fontInfo().pixelSize() == sizes.code  # never made smaller to fit
        if not whole_on_screen(code, kiosk):
            missed.append(f"{lang} break: the code is not whole on the screen")
        assert code.width() >= code.fontMetrics().horizontalAdvance("K7M2-QX9D")
        # A refused code, then the pause after several: the longest message above the buttons.
        kiosk.show_page(kiosk.resume_page)
        for _ in range(6):
            kiosk.resume("ABCD-EFGH")
        settle()
        assert kiosk.resume_page.status.message()
        for button in (kiosk.resume_page.back, kiosk.resume_page.go):
            if not whole_on_screen(button, kiosk):
                missed.append(f"{lang} resume, refused: {button.text()!r} not whole on the screen")
        kiosk.reset()  # a fresh welcome page, back to normal text: chosen again
        kiosk.set_theme(text=text)
    assert not missed, "\n".join(missed)


def test_a_text_size_chosen_on_the_page_fits_it_again(make_kiosk, store):
    """The top bar's text sizes are on every page: the page on the screen fits again at
    once, its button moved to the bar at the bottom and back into the column."""
    store.set_setting("kiosk_thank_you_en", longest("en"), actor="coordinator")
    kiosk = make_kiosk()
    kiosk.resize(1024, 768)
    kiosk.set_language("en")
    kiosk.show_page(kiosk.thanks_page)
    settle()
    page = kiosk.thanks_page
    assert not page.docked and page.bar.parentWidget() is page.column
    kiosk.set_theme(text="largest")
    settle()
    assert page.docked and page.scroll.viewport().height() < page.height()
    assert whole_on_screen(page.finish, kiosk)
    assert page.finish.height() >= BUTTON_HEIGHT["largest"]
    kiosk.set_theme(text="normal")
    settle()
    assert not page.docked and page.bar.parentWidget() is page.column
    assert whole_on_screen(page.finish, kiosk)
    assert page.scroll.viewport().height() > page.height() - 8  # the bar's room given back


def test_the_roomy_page_is_kept_where_it_fits(make_kiosk):
    """At 1920x1080 with normal text nothing is made tighter (the pages as they were)."""
    kiosk = make_kiosk()
    kiosk.resize(1920, 1080)
    kiosk.show_break("K7M2-QX9D")
    settle()
    page = kiosk.break_page
    assert page.fit_level == 0 and not page.docked
    assert page.body.spacing() == 24
    assert all(not label.styleSheet() for label in page.column.findChildren(QLabel))
