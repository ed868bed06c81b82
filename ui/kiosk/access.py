"""The two ways in and out of the kiosk besides Start: "Continue with a code" and the staff
exit. Part of KioskWindow (a mixin over its pages, controller and store).

Staff exit: a desk user's name and PIN, checked by the store (whose lockout applies), and
only a coordinator or an administrator may close the kiosk; a clinician runs no kiosk.
Every refusal reads the same, in the kiosk's language, and tells nothing about the lockout
or the role (whoever is at the screen need not learn whether a PIN was right); a problem
of the database gets a message of its own, translated too, and its details go to the log.
"""

from __future__ import annotations

import logging

from screening_app.store import AuthError, ErrorCode, StoreError
from ui.kiosk.theme import Theme

log = logging.getLogger(__name__)

STAFF_EXIT_KEYS = "Ctrl+Alt+Shift+Q"
STAFF_EXIT_ROLES = frozenset({"coordinator", "admin"})
RESUME_ATTEMPTS = 5  # wrong codes in a row before the code page pauses
RESUME_PAUSE_MS = 60_000


class AccessMixin:
    # -- continue with a code: exactly one draft, by its resume code ---------------------

    def open_resume(self) -> None:
        if not self.store_open:  # no code is asked for before the store can check it
            return
        self.resume_page.reset()
        self.show_page(self.resume_page)
        self.resume_page.code.setFocus()

    def resume(self, code: str) -> None:
        self._read_idle_setting()
        try:
            resumed = self.controller.resume(code)
        except StoreError as error:
            if error.code != ErrorCode.NO_CODE:  # the store, not the code: not a failed try
                log.warning("kiosk resume: the code could not be checked: %s", error.message)
                self.resume_page.show_problem(self.t("kiosk.resume.unavailable"))
                return
            self._resume_failures += 1
            self.resume_page.code.selectAll()
            if self._resume_failures >= RESUME_ATTEMPTS:
                self.resume_page.set_locked(True)
                self.resume_page.show_problem(self.t("kiosk.resume.too_many"))
                self._resume_pause.start()
            else:
                self.resume_page.show_problem(self.t("kiosk.resume.not_found"))
            return
        self._resume_failures = 0
        self.resume_page.reset()
        if self.theme == Theme():  # the look the person had chosen comes back with the draft
            self.set_theme(text=resumed.text_size, contrast=resumed.high_contrast)
        else:  # unless they chose one again just now: that one stays, with the draft too
            self.controller.set_display(self.theme.text, self.theme.contrast)
        self.set_language(self.controller.session.lang)
        steps = self.controller.session.visible_steps()
        self.flow.show_step(resumed.step_id or steps[0].id)

    def _resume_unlock(self) -> None:
        self._resume_failures = 0
        self.resume_page.set_locked(False)
        self.resume_page.show_problem(None)

    # -- staff exit: a desk user's name and PIN, checked (and locked out) by the store -----

    def open_staff_exit(self) -> None:
        if self.current_page() is self.staff_page:
            return
        self._countdown.stop()
        self._remember()
        self.staff_page.reset()
        self.show_page(self.staff_page)
        self.staff_page.username.setFocus()

    def _staff_exit(self, username: str, pin: str) -> None:
        if not self.store_open:
            self._staff_refused(self.t("kiosk.staff.unavailable"))
            return
        try:
            user = self.store.authenticate(username, pin)
        except AuthError:
            self._staff_refused(self.t("kiosk.staff.refused"))
            return
        except StoreError as error:
            log.warning("kiosk staff exit: the sign-in could not be checked: %s", error.message)
            self._staff_refused(self.t("kiosk.staff.unavailable"))
            return
        if user.role not in STAFF_EXIT_ROLES:
            self._staff_refused(self.t("kiosk.staff.refused"))
            return
        self.shutdown()
        self.exited.emit()

    def _staff_refused(self, message: str) -> None:
        self.staff_page.pin.clear()
        self.staff_page.show_problem(message)
        self.staff_page.pin.setFocus()
