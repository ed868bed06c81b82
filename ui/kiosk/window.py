"""The kiosk window: full screen, one page at a time, and hard to leave by accident.

Pages (a QStackedWidget): welcome, continue-with-a-code, the flow page (steps, review,
consent), take-a-break, are-you-still-there, thank-you, staff exit. The top bar with
"Larger text" and "High contrast" stays above all of them.

Leaving: the window ignores close requests (Alt+F4, the window manager), Esc, and being
minimised; the only way out is the staff exit, Ctrl+Alt+Shift+Q, which asks for a
coordinator's user name and PIN and checks them with the store (whose lockout applies).

Privacy: after the thank-you page, "Finish for now" and the idle timeout, `reset` ends the
session, deletes every page that showed answers and clears every field, so nothing of one
person is left for the next. The break page, which shows the resume code, gives way to
the welcome page after a minute without a touch (not the clinic's idle time), with no
"Are you still there?" in between: a passer-by's "Yes, I am still here" must never bring
the code back. "Still there?" covers only pages without a code (`_holds_code`): the code
page with a code typed, or any page with one under the staff exit, goes to the welcome
page at the idle time too. The kiosk only ever holds
the one submission it started or was given the code of; nothing can list or search others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLayout, QStackedWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from screening_app.i18n import LANGUAGES, Translator
from screening_app.store import ErrorCode, StoreError
from ui.kiosk import read_aloud
from ui.kiosk.access import RESUME_PAUSE_MS, STAFF_EXIT_KEYS, AccessMixin
from ui.kiosk.chrome import TopBar, set_column_width
from ui.kiosk.controller import KioskController
from ui.kiosk.idle import IdleWatcher
from ui.kiosk.pages.made_on_use import MadeOnUse
from ui.kiosk.pages.simple import SimplePage
from ui.kiosk.pages.welcome import WelcomePage
from ui.kiosk.theme import Theme, install_fonts
from ui.kiosk.touch import enable_drag_scrolling_in
from ui.kiosk.voice import Voice

BREAK_IDLE_SECONDS = 60  # the resume code stays on screen this long without a touch


def shipped_questionnaire():
    from screening_app.engine.loader import load_questionnaire, shipped_questionnaire_path

    return load_questionnaire(shipped_questionnaire_path())


class KioskWindow(AccessMixin, QWidget):
    exited = Signal()
    store_failed = Signal(object)  # the StoreError of `open_store`: the window has closed

    # Every page but the welcome page is made when first used, and all of them just
    # after the first paint (warm_up): the welcome page is painted sooner.
    resume_page = MadeOnUse("ui.kiosk.pages.access", "ResumePage")
    flow_page = MadeOnUse("ui.kiosk.pages.flow_page", "FlowPage")
    break_page = MadeOnUse("ui.kiosk.pages.pause", "BreakPage")
    idle_page = MadeOnUse("ui.kiosk.pages.pause", "IdlePage")
    thanks_page = MadeOnUse("ui.kiosk.pages.thanks", "ThanksPage")
    staff_page = MadeOnUse("ui.kiosk.pages.access", "StaffPage")

    def __init__(self, store: Any, *, open_store: Callable[[], Any] | None = None,
                 questionnaire_loader: Callable[[], Any] | None = None,
                 idle_seconds: float | None = None, idle_countdown: int = 30,
                 break_seconds: float = BREAK_IDLE_SECONDS, thanks_seconds: float = 20,
                 save_delay_ms: int = 300, languages: tuple[str, ...] = tuple(LANGUAGES),
                 voice_engine: str | None = None) -> None:
        """`store`: the open Store; or None and `open_store`, which opens it (or raises
        StoreError) just after the welcome page's first paint (`_after_first_paint`).
        Until it has, the welcome page is all there is: Start, "Continue with a code" and
        the staff exit wait for it, and no clinic setting is read."""
        flags = (Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                 | Qt.WindowType.WindowStaysOnTopHint)
        super().__init__(None, flags)
        self.setObjectName("kiosk")
        self.setWindowTitle("MSC-MS")
        install_fonts()
        self.store = store
        self._open_store = open_store
        self.controller = KioskController(store, questionnaire_loader or shipped_questionnaire,
                                          save_delay_ms=save_delay_ms, parent=self)
        self.languages = tuple(languages)  # the questionnaire's, that the kiosk speaks
        self.lang = self.languages[0]
        self.t = Translator(self.lang)
        self.theme = Theme()
        # Read aloud: the machine's voice, opened on a thread of its own once the welcome
        # page is painted (voice.py); `voice_engine` names one (tests: Qt's "mock").
        self.voice = Voice(voice_engine, parent=self)
        self.voice.ready.connect(self._voice_ready)
        self._allow_close = False
        self._return_to: QWidget | None = None  # the page under "still there?" or staff exit
        self._return_focus: QWidget | None = None
        self._break_focus: QWidget | None = None  # where the person was before the break
        self._resume_failures = 0
        self._idle_countdown = idle_countdown
        self._remaining = 0

        self.top_bar = TopBar(self)
        self.stack = QStackedWidget(self)
        self.welcome = WelcomePage(languages=self.languages)
        self.stack.addWidget(self.welcome)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The screen decides the size; no minimum size pushed to the window system.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        self._flow = None

        self._idle_override = idle_seconds  # tests; otherwise the store's setting, read per person
        # The welcome page arms no idle timer: the setting is read once the store is open.
        self._idle_seconds = idle_seconds or (self.controller.idle_seconds() if store else 0)
        self._break_seconds = break_seconds
        self.idle = IdleWatcher(self._idle_seconds, self)
        self.idle.idle.connect(self._idle)
        self.voice.speaking.connect(self.idle.listening)  # a page read aloud is not left idle
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._thanks_seconds = thanks_seconds
        self._resume_pause = QTimer(self)
        self._resume_pause.setSingleShot(True)
        self._resume_pause.setInterval(RESUME_PAUSE_MS)
        self._resume_pause.timeout.connect(self._resume_unlock)
        self.staff_shortcut = QShortcut(QKeySequence(STAFF_EXIT_KEYS), self)
        self.staff_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.staff_shortcut.activated.connect(self.open_staff_exit)
        self._connect()
        self.apply_theme()
        self.retranslate()
        self.show_page(self.welcome)
        self._bench = bool(os.environ.get("KIOSK_BENCH_EXIT"))
        self.welcome.installEventFilter(self)  # until its first paint, see eventFilter

    @property
    def flow(self):
        """Steps, review and submit (made on first use: the welcome page shows sooner)."""
        if self._flow is None:
            from ui.kiosk.flow import KioskFlow

            self._flow = KioskFlow(self)
        return self._flow

    def _connect(self) -> None:
        self.top_bar.text_size_chosen.connect(lambda size: self.set_theme(text=size))
        self.top_bar.contrast_toggled.connect(lambda on: self.set_theme(contrast=on))
        self.welcome.start_clicked.connect(self.start)
        self.welcome.language_chosen.connect(self.set_language)
        self.welcome.resume_clicked.connect(self.open_resume)
        self.welcome.read_aloud.clicked.connect(
            lambda: self.voice.say(self.welcome.spoken(self.t), self.lang))
        self.controller.save_failed.connect(
            lambda _code: self.flow_page.show_status(self.t("kiosk.error.save")))
        self.controller.paused.connect(self._saving_paused)
        self.controller.resumed.connect(lambda: self.flow_page.set_notice(None))
        self.controller.submitted.connect(self._submitted_after_waiting)

    @property
    def pages(self) -> tuple[QWidget, ...]:
        """The pages made so far, the welcome page first."""
        return (self.welcome, *MadeOnUse.made(self))

    def page_made(self, name: str, page: QWidget) -> None:
        """A page just made (MadeOnUse): in the stack, wired, sized and worded."""
        self.stack.addWidget(page)
        wiring = {"resume_page": [("continue_clicked", self.resume), ("back_clicked", self.reset)],
                  "break_page": [("continue_clicked", self._continue_after_break),
                                 ("finish_clicked", self.reset)],
                  "idle_page": [("stay_clicked", self._back_from_pause)],
                  "thanks_page": [("finish_clicked", self.reset)],
                  "staff_page": [("exit_clicked", self._staff_exit),
                                 ("cancel_clicked", self._back_from_pause)]}
        for signal, slot in wiring.get(name, ()):
            getattr(page, signal).connect(slot)
        if getattr(page, "read_aloud", None) is not None:  # SimplePage.title_row
            page.read_aloud.clicked.connect(
                lambda _=False, p=page: self.voice.say(p.spoken(self.t), self.lang))
        set_column_width(page, self.theme.column_width)
        if isinstance(page, SimplePage):
            page.fit(self.theme.sizes)  # when shown
        self._retranslate_page(page)

    def _made(self, *names: str) -> list[QWidget]:
        """Those of these pages that have been made (MadeOnUse)."""
        return [self.__dict__[name] for name in names if name in self.__dict__]

    def _one_of(self, page: QWidget | None, *names: str) -> bool:
        """Whether `page` is one of these (a page not made yet is not on screen)."""
        return any(made is page for made in self._made(*names))

    def _saving_paused(self, code: str) -> None:
        """The footer says so for as long as changes wait (the person carries on)."""
        key = {ErrorCode.SERVER_UNREACHABLE: "kiosk.saving.paused",
               ErrorCode.BUSY: "kiosk.error.busy"}.get(code, "kiosk.error.save")
        self.flow_page.set_notice(self.t(key))

    def _submitted_after_waiting(self, submission_id: int) -> None:
        """A submission that waited for the store went: thank the person if still here."""
        if self._flow is not None and self.flow.sending == submission_id:
            self.flow.sending = None
            self.show_thanks()

    # -- look and language ---------------------------------------------------------------

    def apply_theme(self) -> None:
        self.setStyleSheet(self.theme.stylesheet())
        self.setPalette(self.theme.palette())  # after: a new style sheet restores the old palette
        self.top_bar.set_states(self.theme.text, self.theme.contrast)
        for page in self.pages:
            set_column_width(page, self.theme.column_width)
        # Start, and every simple page's buttons, on the screen at every text size.
        for page in (self.welcome, *MadeOnUse.made(self)):
            if isinstance(page, SimplePage):
                page.fit(self.theme.sizes)

    def set_theme(self, *, text: str | None = None, contrast: bool | None = None) -> None:
        self.theme = replace(self.theme, text=self.theme.text if text is None else text,
                             contrast=self.theme.contrast if contrast is None else contrast)
        self.apply_theme()
        self.controller.set_display(self.theme.text, self.theme.contrast)

    def set_language(self, lang: str) -> None:
        self.lang = lang if lang in self.languages else self.languages[0]
        self.t = Translator(self.lang)
        self.welcome.set_language(self.lang)
        self.voice.stop()
        self.retranslate()
        read_aloud.show_buttons(self.welcome, self.voice, self.lang)

    def _voice_ready(self) -> None:
        """The voice is known: the welcome page's button (beside the title, in room kept for it),
        and the pages and steps made already, except the one on screen (it gets them when shown)."""
        read_aloud.show_buttons(self.welcome, self.voice, self.lang)
        if self._flow is not None and self.flow_page.prepared is not None:
            read_aloud.show_buttons(self.flow_page.prepared, self.voice, self.lang)
        for page in MadeOnUse.made(self):
            if page is not self.current_page():
                self._show_read_aloud(page)

    def _show_read_aloud(self, page: QWidget) -> None:
        """A simple page's "Read aloud", shown where the voice speaks the language (set
        before the page is shown: nothing appears under a finger)."""
        button = getattr(page, "read_aloud", None)
        if button is not None and page is not self.welcome:
            button.setVisible(self.voice.speaks(self.lang))

    @property
    def store_open(self) -> bool:
        return self.store is not None

    def _study_title(self) -> str:
        questionnaire = self.controller._questionnaire
        if questionnaire is not None:
            return questionnaire.title.get(self.lang)
        return self.controller.setting("study_name") if self.store_open else ""

    def _minutes(self) -> int | None:
        """The questionnaire's `estimated_minutes`, once it is loaded (just after the first
        paint: the line joins the welcome page with the questionnaire's title)."""
        questionnaire = self.controller._questionnaire
        return questionnaire.estimated_minutes if questionnaire is not None else None

    def retranslate(self) -> None:
        t = self.t
        clinic = self.controller.setting("clinic_name") if self.store_open else ""
        self.top_bar.retranslate(t, clinic)
        self.welcome.retranslate(t, clinic, self._study_title(), self._minutes())
        for page in MadeOnUse.made(self):
            self._retranslate_page(page)

    def _retranslate_page(self, page: QWidget) -> None:
        if page is not self.__dict__.get("thanks_page"):
            page.retranslate(self.t)
        elif self.store_open:  # its words name a setting: worded once the store is open
            page.retranslate(self.t, self.controller.contact_days(),
                             self.controller.thank_you_words(self.t.lang))
        if isinstance(page, SimplePage):
            page.fit()  # other words, another height (done when shown, if hidden)

    def top_bar_chain(self) -> list[QWidget]:
        return self.top_bar.toggles()

    # -- pages ---------------------------------------------------------------------------

    def show_page(self, page: QWidget) -> None:
        if page is not self.current_page():
            self.voice.stop()  # what was being read is not on screen any more
            self._show_read_aloud(page)
        self.stack.setCurrentWidget(page)
        # The break page shows the resume code: it gives way sooner, to the welcome page.
        seconds = self._idle_seconds
        if self._one_of(page, "break_page"):
            seconds = min(seconds, self._break_seconds)
        elif self._one_of(page, "thanks_page"):
            # Counted from the last touch: a slow reader (or a long text of the clinic's)
            # keeps the page by touching it; nothing on it is the person's.
            seconds = self._thanks_seconds
        self.idle.set_seconds(seconds)
        self.idle.arm(page is not self.welcome and not self._one_of(page, "idle_page"))

    def focus(self, widget: QWidget) -> None:
        """Focus `widget` for keyboard users; touch users get no focus ring to wonder about."""
        if self.idle.keyboard:
            widget.setFocus()
        else:
            self.current_page().setFocus()

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _read_idle_setting(self) -> None:
        self._idle_seconds = self._idle_override or self.controller.idle_seconds()
        self.idle.set_seconds(self._idle_seconds)

    def start(self, lang: str) -> None:
        if not self.store_open:  # nothing is started before the store is open and checked
            return
        self._read_idle_setting()
        self.set_language(lang)
        try:
            self.controller.start(lang)
        except StoreError as error:
            offline = error.code == ErrorCode.SERVER_UNREACHABLE
            self.welcome.status.show_message(self.t("kiosk.error.start_offline" if offline
                                                    else "kiosk.error.start"))
            return
        if self.theme != Theme():  # chosen on the welcome page: it stays with the draft
            self.controller.set_display(self.theme.text, self.theme.contrast)
        self.flow.show_step(self.controller.session.visible_steps()[0].id)

    def show_break(self, code: str) -> None:
        self._break_focus = QApplication.focusWidget()
        self.break_page.show_code(code)
        self.show_page(self.break_page)
        self.focus(self.break_page.resume)

    def _continue_after_break(self) -> None:
        """"Continue now": back to the step (after a draft was finished meanwhile: welcome)."""
        self._show_again(self.flow_page if self.controller.session is not None else self.welcome,
                         self._break_focus)

    def show_thanks(self) -> None:
        self.controller.end()
        self.flow.reset()
        self.show_page(self.thanks_page)
        self.focus(self.thanks_page.finish)

    def _remember(self) -> None:
        """Note the page (and focus) that "still there?" or the staff exit covers."""
        current = self.current_page()
        if not self._one_of(current, "idle_page", "staff_page"):
            self._return_to = current
            self._return_focus = QApplication.focusWidget()

    def _back_from_pause(self) -> None:
        """Back to the page that "still there?" or the staff exit covered."""
        self.staff_page.reset()
        self._countdown.stop()
        target = self._return_to or self.welcome
        if self._one_of(target, "flow_page", "break_page") and self.controller.session is None:
            target = self.welcome
        self._show_again(target, self._return_focus)

    def _show_again(self, page: QWidget, focus: QWidget | None) -> None:
        self.show_page(page)
        if focus is not None and isValid(focus) and page.isAncestorOf(focus):
            focus.setFocus()

    # -- idle ----------------------------------------------------------------------------

    def _holds_code(self, page: QWidget | None) -> bool:
        """Whether `page` shows a resume code (the break page) or holds one being typed
        (the code page with anything in its field): either opens a person's draft."""
        if self._one_of(page, "break_page"):
            return True
        return self._one_of(page, "resume_page") and bool(self.resume_page.code.text())

    def _idle(self) -> None:
        current = self.current_page()
        if self._one_of(current, "thanks_page"):
            self.reset()
            return
        if current is self.welcome or self._one_of(current, "idle_page"):
            return
        # What "Yes, I am still here" would bring back: the page itself, or the one under
        # the staff exit.
        behind = self._return_to if self._one_of(current, "staff_page") else current
        if self._holds_code(current) or self._holds_code(behind):
            # A code, and nobody has touched the screen for the idle time: the person has
            # most likely gone, and whoever taps "Yes, I am still here" may be the next
            # patient. So no countdown in front of a code: it goes now, with the rest.
            self.reset()
            return
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self._remember()
        self._remaining = self._idle_countdown
        self.idle_page.set_seconds(self._remaining)
        self.show_page(self.idle_page)
        self.focus(self.idle_page.stay)
        self._countdown.start()

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._countdown.stop()
            self.reset()
        else:
            self.idle_page.set_seconds(self._remaining)

    # -- the end of one person's visit ---------------------------------------------------

    def reset(self) -> None:
        """Save, forget the person, and show a fresh welcome page."""
        self._countdown.stop()
        self.controller.end()
        if self._flow is not None:
            self.flow.reset()
        for page in (self.welcome, *self._made("resume_page", "staff_page", "break_page")):
            page.reset()
        self._return_to = self._return_focus = self._break_focus = None
        self.theme = Theme()
        self.apply_theme()
        self.set_language(self.languages[0])
        self.show_page(self.welcome)
        self.focus(self.welcome.start)

    # -- staying put ---------------------------------------------------------------------

    def shutdown(self) -> None:
        """Save, stop every timer and close for real (staff exit, tests, rendering)."""
        self._allow_close = True
        for timer in (self._countdown, self._resume_pause):
            timer.stop()
        self.idle.stop()
        self.controller.shutdown()
        self.voice.shutdown()
        self.close()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.idle.watch(self.windowHandle())
        if self.current_page() is self.welcome:
            self.focus(self.welcome.start)

    def closeEvent(self, event) -> None:
        if self._allow_close:
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # Esc never leaves anything
            return
        super().keyPressEvent(event)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if (event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
                and not self._allow_close):
            QTimer.singleShot(0, self, self.fill_screen)

    def fill_screen(self) -> None:
        """Cover the whole screen, with or without a window manager: the window takes the
        screen's geometry itself (with no window manager nobody acts on a full-screen
        request, and the window stayed at its natural size), then asks for full screen (a
        window manager then drops its frame and panels)."""
        if (screen := self.screen()) is not None:
            self.setGeometry(screen.geometry())
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized)
                            | Qt.WindowState.WindowFullScreen)
        if self.isVisible():
            self.show()

    # -- after the first paint (and the start-up figures of benchmarks/bench_kiosk.py) -----

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.welcome and event.type() == QEvent.Type.Paint:
            self.welcome.removeEventFilter(self)
            QTimer.singleShot(0, self, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        self._stamp("painted")
        if not self.store_open:
            if not self.open_store():
                return
            if self.current_page() is self.welcome:
                # Again now, with the clinic's name: the warm-up keeps the loop busy a while.
                self.welcome.repaint()
        self._stamp("named")
        self.warm_up()
        self._stamp("ready")
        if self._bench:
            self.shutdown()
            QApplication.quit()

    def _stamp(self, moment: str) -> None:
        """KIOSK_BENCH_EXIT=1 (benchmarks/bench_kiosk.py): print when, and the CPU time."""
        if self._bench:
            print(f"{moment} {time.time():.6f} {time.process_time():.6f}", flush=True)

    def open_store(self) -> bool:
        """Open the store with `open_store` (done once the welcome page is on screen, see
        __init__), then word the page with the clinic's settings. A store that cannot be
        used closes the window, which says why through `store_failed` (ui/app.py: the same
        words, message box and exit code as a store that failed before any window)."""
        try:
            store = self._open_store()
        except StoreError as error:
            self._allow_close = True
            self.idle.stop()
            self.voice.shutdown()
            self.hide()
            self.store_failed.emit(error)
            return False
        self.store = self.controller.store = store
        self._read_idle_setting()
        self.retranslate()
        return True

    def warm_up(self) -> None:
        """What the welcome page can be shown without, done just after its first paint:
        the temporary files a killed run left behind, drag scrolling, the questionnaire
        (its title joins the welcome page), the store's first save, and the language
        caption in every language."""
        from screening_app.files import remove_leftovers

        remove_leftovers()
        MadeOnUse.make_all(self)
        enable_drag_scrolling_in(self)
        self.controller.warm_up()
        self.welcome.show_every_language()
        self.welcome.retranslate(self.t, self.controller.setting("clinic_name"), self._study_title(),
                                 self._minutes())
        # Last: loading the OS voices on their thread holds the interpreter for most of a
        # second (QtTextToSpeech and its plugins), and Start waits for the questionnaire
        # above, not for the voice (Read aloud shows itself once the voices are known).
        self.voice.open()


def start_kiosk(store: Any, **options: Any) -> KioskWindow:
    """The kiosk window for `store`, full screen once shown (see ui/app.py)."""
    window = KioskWindow(store, **options)
    window.fill_screen()
    return window
