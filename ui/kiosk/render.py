"""Render every kiosk screen to PNG files, for people to look at before a release.

    python -m ui.kiosk.render --out /tmp/kiosk-png [--sizes 1280x800,1920x1080]
                              [--langs en,es] [--variants normal,larger,largest,contrast]
                              [--definition FILE]

Runs offscreen on a throw-away database, with the sample answers of
tests/fixtures/complete_answers.json so that branches show. Each screen is one tall image:
the top bar, the page's header, the *whole* scrollable content and the footer, so nothing
below the fold escapes review (the month list, a window of its own, is drawn over the
screen as it is seen). Files: OUT/<size>/<lang>-<variant>/<nn>-<screen>.png.

Screens: welcome; the code page refusing a code, then paused after five; the first step
with every kind of problem; the month list open; a soft warning; every step with its
first treatment open, and "Remove this entry?"; the review; consent, signed; take a
break; are you still there; the staff exit, empty and refusing; thank you.

With `--definition FILE` (a questionnaire another system's Questionnaire was converted
into): welcome, each step empty and then answered (the first choice of each question, so
that what follows an answer shows), the review and thank you, in the definition's
languages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "complete_answers.json"
VARIANTS = {"normal": {"text": "normal", "contrast": False},
            "larger": {"text": "larger", "contrast": False},
            "largest": {"text": "largest", "contrast": False},
            "contrast": {"text": "normal", "contrast": True}}


SIZE = re.compile(r"(\d{3,4})x(\d{3,4})")  # WIDTHxHEIGHT, 100 to 9999 px each


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The options, checked: an unknown variant or language, or a size that is not
    WIDTHxHEIGHT, is said with what would do (argparse: usage, the message, exit 2)."""
    from screening_app.i18n import LANGUAGES

    parser = argparse.ArgumentParser(prog="python -m ui.kiosk.render", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sizes", default="1024x768,1280x800,1920x1080")
    parser.add_argument("--langs", default="en,es")
    parser.add_argument("--variants", default="normal,larger,largest,contrast")
    parser.add_argument("--definition", type=Path, default=None, metavar="FILE")
    args = parser.parse_args(argv)
    args.variants = _names(parser, "--variants", args.variants, tuple(VARIANTS))
    args.langs = _names(parser, "--langs", args.langs, tuple(LANGUAGES))
    sizes = []
    for size in _names(parser, "--sizes", args.sizes, None):
        match = SIZE.fullmatch(size.lower())
        if match is None:
            parser.error(f"--sizes: {size[:40]!r} is not WIDTHxHEIGHT in pixels (e.g. 1280x800)")
        sizes.append((int(match[1]), int(match[2])))
    args.sizes = sizes
    return args


def _names(parser: argparse.ArgumentParser, option: str, text: str,
           known: tuple[str, ...] | None) -> list[str]:
    """The comma-separated names of an option; each one of `known` (when given)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        parser.error(f"{option}: name at least one")
    unknown = [name for name in names if known is not None and name not in known]
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:3])
        parser.error(f"{option}: unknown {shown}; choose from {','.join(known)}")
    return names


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from screening_app.commands import UsageError
    from ui.app import chosen_definition

    try:  # a definition that does not load is said as the app says it, before any window
        definition, spoken = chosen_definition(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from screening_app.store import Store

    count = 0
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "render.db") as store:
        store.create_user("staff", "Staff", "coordinator", "123456")
        for width, height in args.sizes:
            langs = [lang for lang in args.langs if lang in spoken]
            for lang in langs:
                for variant in args.variants:
                    out = args.out / f"{width}x{height}" / f"{lang}-{variant}"
                    out.mkdir(parents=True, exist_ok=True)
                    renderer = Renderer(app, store, width, height, lang, VARIANTS[variant], out,
                                        definition, spoken)
                    count += renderer.run() if definition is None else renderer.run_definition()
    print(f"{count} screens rendered into {args.out}")
    return 0


class Renderer:
    def __init__(self, app, store, width: int, height: int, lang: str, theme: dict, out: Path,
                 definition=None, languages: tuple[str, ...] = ()) -> None:
        from ui.kiosk.window import KioskWindow

        self.app = app
        self.out = out
        self.lang = lang
        self.theme = theme
        options = {} if definition is None else {"questionnaire_loader": lambda: definition,
                                                 "languages": languages}
        self.window = KioskWindow(store, idle_seconds=3600, thanks_seconds=3600, **options)
        self.window.resize(width, height)
        self.window.show()
        self.window.voice.open()  # the machine's voices: "Read aloud" shows where it would
        self.window.voice.wait_until_known()
        self.number = 0

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    def look(self) -> None:
        self.window.set_theme(**self.theme)
        self.settle()

    def shot(self, name: str) -> None:
        from PySide6.QtGui import QImage, QPainter

        self.settle()
        window = self.window
        page = window.current_page()
        parts = [window.top_bar]
        if page is window.flow_page:
            parts += [page.header, page.scroll.widget(), page.footer]
        else:
            parts.append(page.scroll.widget())
        images = [part.grab().toImage() for part in parts]
        image = QImage(window.width(), sum(i.height() for i in images), QImage.Format.Format_RGB32)
        image.fill(window.palette().window().color())
        painter = QPainter(image)
        y = 0
        for part in images:
            painter.drawImage(0, y, part)
            y += part.height()
        painter.end()
        self.number += 1
        image.save(str(self.out / f"{self.number:02d}-{name}.png"))

    def month_list_shot(self, month) -> None:
        """The screen with the month list open over it (the list is a window of its own)."""
        from PySide6.QtGui import QPainter

        self.window.flow_page.scroll.ensureWidgetVisible(month)
        self.settle()
        month.showPopup()
        self.settle()
        popup = month.view().window()
        image = self.window.grab().toImage()
        painter = QPainter(image)
        painter.drawImage(popup.mapToGlobal(popup.rect().topLeft()) - self.window.mapToGlobal(
            self.window.rect().topLeft()), popup.grab().toImage())
        painter.end()
        month.hidePopup()
        self.number += 1
        image.save(str(self.out / f"{self.number:02d}-month-list.png"))

    def run(self) -> int:
        from screening_app.engine.answers import flatten_answers
        from ui.kiosk.access import RESUME_ATTEMPTS
        from ui.widgets.group import GroupWidget
        from ui.widgets.signature import SignatureWidget

        w = self.window
        w.set_language(self.lang)
        self.look()
        self.shot("welcome")
        w.open_resume()
        w.resume_page.code.setText("ABCD-EFGH")
        w.resume(w.resume_page.code.text())
        self.shot("resume-not-found")
        for _ in range(RESUME_ATTEMPTS - 1):
            w.resume(w.resume_page.code.text())
        self.shot("resume-locked")
        w._resume_unlock()
        w.reset()
        # A fresh questionnaire, Next pressed at once: every kind of "please answer".
        w.start(self.lang)
        self.look()
        w.flow.form.answer_widget("phone").set_value("12")
        w.flow.form.session.set_answer("phone", "12")
        w.flow.form.session.set_answer("email", "ana@")
        w.flow.form.answer_widget("email").set_value("ana@")
        w.flow.form.session.set_answer("date_of_birth", "1980--17")
        w.flow.form.answer_widget("date_of_birth").set_value("1980--17")
        w.flow.go_next()
        self.shot("about_you-errors")
        self.month_list_shot(w.flow.form.answer_widget("date_of_birth").month)
        session = w.controller.session
        questionnaire = session.questionnaire
        answers = flatten_answers(questionnaire, json.loads(FIXTURE.read_text(encoding="utf-8")))
        answers.pop("signature", None)
        answers.pop("signer_name", None)
        for path, value in answers.items():
            session.set_answer(path, value)
        w.controller.record(answers, True)
        session.set_answer("symptom_onset_year", 2016)
        w.flow.show_step("diagnosis")
        w.flow.go_next()
        self.shot("diagnosis-warning")
        session.set_answer("symptom_onset_year", 2013)
        for step in session.visible_steps()[:-1]:
            w.flow.show_step(step.id)
            groups = [g for g in w.flow.form.widgets.values() if isinstance(g, GroupWidget) and g.rows()]
            for group in groups:
                group.set_expanded(group.rows()[0], True, move_focus=False)
            self.shot(f"step-{step.id}")
            for group in groups:  # "Remove this entry?" asked inside the card
                group.set_expanded(group.rows()[0], False, move_focus=False)
                group.card(group.rows()[0]).ask_remove(True)
                self.shot(f"step-{step.id}-remove")
        w.flow.show_review()
        self.shot("review")
        w.flow.show_step(session.visible_steps()[-1].id)
        for widget in w.flow.form.widgets.values():
            if isinstance(widget, SignatureWidget):
                self.settle()
                draw_signature(widget)
        self.shot("step-consent")
        w.flow.take_break()
        self.shot("break")
        w._continue_after_break()
        w._idle()
        self.shot("idle")
        w._back_from_pause()
        w.open_staff_exit()
        self.shot("staff")
        w.staff_page.username.setText("staff")
        w._staff_exit("staff", "0000")
        self.shot("staff-refused")
        w._back_from_pause()
        w.flow.submit()
        self.shot("thanks")
        w.shutdown()
        w.deleteLater()
        self.settle()
        return self.number


    def run_definition(self) -> int:
        """Any definition: each step empty, then with sample answers; review; thank you."""
        w = self.window
        w.set_language(self.lang)
        self.look()
        self.shot("welcome")
        w.start(self.lang)
        self.look()
        session = w.controller.session
        for step in session.questionnaire.steps:
            if not session.step_shown(step.id):
                continue
            w.flow.show_step(step.id)
            self.shot(f"step-{step.id}")
            for item in step.items:  # in order: an answer may show what follows it
                value = sample_answer(item)
                if value is not None and session.is_applicable(item.id):
                    session.set_answer(item.id, value)
                    w.controller.record({item.id: value}, True)
            w.flow.show_step(step.id)
            self.shot(f"step-{step.id}-answered")
        w.flow.show_review()
        self.shot("review")
        w.flow.submit()
        self.shot("thanks")
        w.shutdown()
        w.deleteLater()
        self.settle()
        return self.number


def sample_answer(item):
    """A plausible answer of an item's type, for pictures (the first choice, a number in
    range, a date, a few words)."""
    kind = item.type
    if item.choices:
        return [item.choices[0].code] if kind == "multi_choice" else item.choices[0].code
    if kind in ("integer", "year", "decimal"):
        return int(item.min if item.min is not None else 1) if kind != "decimal" else float(item.min or 1)
    return {"date": "2020-01-15", "text": "Sample answer", "long_text": "A few words written here.",
            "email": "someone@example.org", "phone": "555 010 2030", "consent": True}.get(kind)


def draw_signature(widget) -> None:
    """A plausible hand-drawn signature, as strokes on the pad."""
    import math

    from PySide6.QtCore import QPointF

    pad = widget.pad
    h = pad.height()
    base = h - 60
    points = [QPointF(60 + x * 3, base - 30 - 25 * math.sin(x / 6) - 10 * math.sin(x / 2.3))
              for x in range(0, 110)]
    pad.add_stroke(points)
    pad.add_stroke([QPointF(400 + x * 2, base - 20 - 35 * abs(math.sin(x / 9))) for x in range(80)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
