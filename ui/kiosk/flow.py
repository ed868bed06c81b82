"""Where the person is and where Next and Back lead: steps, the review, consent, submit.

Steps come one per page in the questionnaire's order, skipping those hidden by branching.
After the last step before the final (consent) step comes the review; the final step's
Next submits. "Edit" on the review opens that step; its Next then returns to the review.
Next is refused while the step has an error or an unconfirmed warning: every problem is
shown, the footer says how many, and the first one gets the focus.

"Step 2 of 10": the total counts the steps shown so far and every later step that may
still come, i.e. whose condition is not yet decided because an answer it depends on has
not been given (the pregnancy step, until the sex at birth is answered). So the total
never grows as the person goes on; it drops when an answer rules a step out, and grows
again only if that answer is changed back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QTimer

from screening_app.i18n import Translator
from screening_app.store import StoreError, SubmissionIncomplete
from ui.kiosk import read_aloud
from ui.kiosk.pages.review import ReviewContent
from ui.widgets.form import StepForm

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.kiosk.controller import KioskController
    from ui.kiosk.idle import IdleWatcher
    from ui.kiosk.pages.flow_page import FlowPage
    from ui.kiosk.voice import Voice


class FlowHost(Protocol):
    """What the flow needs of the kiosk window (which owns the flow): named here, so that
    the flow does not import the window."""

    controller: KioskController
    flow_page: FlowPage
    idle: IdleWatcher
    t: Translator
    voice: Voice

    def show_page(self, page: QWidget) -> None: ...
    def top_bar_chain(self) -> list[QWidget]: ...
    def show_break(self, code: str) -> None: ...
    def show_thanks(self) -> None: ...


PREPARE_DELAY_MS = 150  # after a page is shown (and painted); nobody taps Next sooner


class KioskFlow:
    def __init__(self, window: FlowHost) -> None:
        self.window = window
        self.controller = window.controller
        self.page = window.flow_page
        self.step_id: str | None = None
        self.form: StepForm | None = None
        self.in_review = False
        self.return_to_review = False
        self.sending: int | None = None  # a submission waiting for the store to take it
        self._prepared: tuple[object, str] | None = None  # (session, step) of page.prepared
        self.page.next_clicked.connect(self.go_next)
        self.page.back_clicked.connect(self.go_back)
        self.page.break_clicked.connect(self.take_break)
        self.page.status_clicked.connect(self.show_first_problem)
        # Once the person can see a page (and is reading it), the next one is made ready.
        self._prepare_timer = QTimer(self.page)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_DELAY_MS)
        self._prepare_timer.timeout.connect(self._prepare_next)

    @property
    def t(self) -> Translator:
        return self.window.t

    def _steps(self) -> list[str]:
        return [s.id for s in self.controller.session.visible_steps()]

    def _final(self) -> str:
        """The step after the review: the last one when it is where the person consents
        and signs; "" when there is none (a one-step or an imported questionnaire is
        reviewed after its last step, and sent from the review)."""
        steps = self._steps()
        last = self.controller.session.questionnaire.step(steps[-1])
        if len(steps) > 1 and any(item.type in ("consent", "signature") for item in last.items):
            return steps[-1]
        return ""

    def _position(self, step_id: str) -> tuple[int, int]:
        """(number, total) for "Step 2 of 10": see the module's docstring."""
        session = self.controller.session
        steps = session.questionnaire.steps
        here = next(index for index, step in enumerate(steps) if step.id == step_id)
        shown = {step.id for step in session.visible_steps()}
        number = sum(1 for step in steps[:here + 1] if step.id in shown)
        later = sum(1 for step in steps[here + 1:] if step.id in shown or session.step_undecided(step.id))
        return number, number + later

    def reset(self) -> None:
        self._prepare_timer.stop()
        self.sending = None
        self.page.set_sending(False)
        self.step_id = None
        self.form = None
        self._prepared = None
        self.in_review = False
        self.return_to_review = False
        self.page.clear()

    # -- showing -------------------------------------------------------------------------

    def _make_form(self, step_id: str) -> StepForm:
        form = StepForm(self.controller.session, step_id)
        read_aloud.offer_in(form, self.window.voice)
        form.answers_changed.connect(self._answers_changed)
        form.confirmation_changed.connect(self.controller.confirm)
        form.confirmation_changed.connect(self._confirmed)
        form.edit_finished.connect(self.controller.flush)
        form.edit_finished.connect(self._edit_finished)
        # Tab follows the screen, whatever showed or hid a question (typing too).
        form.shown_changed.connect(lambda f=form: f is self.form and self._tab_order())
        return form

    def _prepare_next(self) -> None:
        """Build the step that Next will most likely open, while this one is being read.

        Only this step's form changes this step's answers, so a prepared form can only
        be out of date in what is shown, which `refresh` brings up to date when it opens;
        a prepared review redoes the cards whose answers changed.
        """
        session = self.controller.session
        if session is None or (self.step_id is None and not self.in_review):
            return
        if self.in_review:
            following = self._final()  # Next on the review opens the consent step
            if not following:
                return  # it sends the answers
        elif self.return_to_review:
            following = "review"
        else:
            following = session.next_step(self.step_id)
            if following is None or following == self._final():
                following = "review"
        if self._prepared_for(following):
            return
        if following == "review":  # brought up to date when it opens
            content = ReviewContent(session, self._final(), self.edit_step, self.t,
                                    voice=self.window.voice)
        else:
            content = self._make_form(following)
        self.page.prepare(content)
        self._prepared = (session, following)

    def _prepared_for(self, target: str) -> bool:
        """Whether the page prepared is `target` (a step id or "review") of this session."""
        return (self.page.prepared is not None and self._prepared is not None
                and self._prepared[0] is self.controller.session and self._prepared[1] == target)

    def show_step(self, step_id: str) -> None:
        self.in_review = False
        self.step_id = step_id
        self.controller.set_step(step_id)
        final = step_id == self._final()
        number, total = self._position(step_id)
        if self._prepared_for(step_id):
            form = self.page.prepared
            form.refresh()  # answers given since it was made may show or hide questions
            self.page.show_prepared()
        else:
            form = self._make_form(step_id)
            self.page.set_content(form)
        self._prepared = None
        self.form = form
        if final:
            form.apply_prefill()
        self.page.set_position(self.t("kiosk.step.of", number=number, total=total), number / (total + 1))
        if final:
            next_text = self.t("kiosk.nav.submit")
        elif self.return_to_review:
            next_text = self.t("kiosk.nav.to_review")
        else:
            next_text = self.t("kiosk.nav.next")
        self.page.set_buttons(next_text, back_enabled=number > 1 or self.return_to_review)
        read_aloud.show_buttons(form, self.window.voice, self.t.lang)  # before it is seen
        self._tab_order()
        self.window.show_page(self.page)
        first = form.first_input()
        if first is not None and self.window.idle.keyboard:
            first.setFocus()
        else:
            self.page.setFocus()  # no focus ring for touch users; Tab starts at the top
        self._prepare_timer.start()

    def show_review(self) -> None:
        session = self.controller.session
        self.in_review = True
        self.return_to_review = False
        self.form = None
        if self._prepared_for("review"):
            content = self.page.prepared
            content.update_from(session)  # redoes only the cards whose answers changed
            self.page.show_prepared()
        else:
            content = ReviewContent(session, self._final(), self.edit_step, self.t,
                                    voice=self.window.voice)
            self.page.set_content(content)
        self._prepared = None
        total = self._position(self._steps()[-1])[1]
        done = total - 0.5 if self._final() else total + 0.5  # no step after it: nearly there
        self.page.set_position(self.t("kiosk.review.position"), done / (total + 1))
        self.page.set_buttons(self.t("kiosk.nav.next" if self._final() else "kiosk.nav.submit"),
                              back_enabled=True)
        read_aloud.show_buttons(content, self.window.voice, self.t.lang)  # before it is seen
        self.page.set_tab_order(self.window.top_bar_chain(), content.ordered_edit_buttons())
        self.window.show_page(self.page)
        if self.window.idle.keyboard:
            self.page.next_button.setFocus()
        else:
            self.page.setFocus()
        self._prepare_timer.start()

    def _tab_order(self) -> None:
        if self.form is not None:
            self.page.set_tab_order(self.window.top_bar_chain(), self.form.focus_chain())

    def _answers_changed(self, answers: dict, immediate: bool) -> None:
        self.controller.record(answers, immediate)
        if immediate:
            self._tab_order()  # rows may have been added or removed
        self._follow_status()

    def _confirmed(self, _path: str, _confirmed: bool) -> None:
        self._follow_status()  # "Yes, this is correct": the count drops at once

    def _edit_finished(self) -> None:
        self._follow_status()  # a field left filled wrongly shows its message, and counts

    def _follow_status(self) -> None:
        if self.form is not None and self.form.revealed:
            self._update_status()

    def show_first_problem(self) -> None:
        """The footer's count was tapped: to the first answer needing attention."""
        if self.form is None:
            return
        first = self.form.first_problem()
        if first is not None:
            first.focus_input()
            self.page.ensure_visible(first)

    def _update_status(self) -> None:
        """The footer: how many answers need attention; amber when all are only warnings."""
        blocking = self.form.blocking_problems() if self.form is not None and self.form.revealed else []
        if not blocking:
            self.page.show_status(None)
            return
        kind = "warning" if all(p.severity == "warning" for p in blocking) else "error"
        key = ("kiosk.nav.check" if kind == "warning" else "kiosk.nav.fix") + (
            "_one" if len(blocking) == 1 else "_many")
        self.page.show_status(self.t(key, count=len(blocking)), kind, clickable=True)
        self._tab_order()

    # -- moving --------------------------------------------------------------------------

    def _settle(self) -> None:
        """Finish typing in progress and save it before moving anywhere."""
        if self.form is not None:
            self.form.finish_edits()
        self.controller.flush()

    def go_next(self) -> None:
        if self.controller.session is None:
            return
        if self.in_review:
            # A changed answer may have opened a step nobody has filled in yet.
            steps = self._steps()[:-1] if self._final() else self._steps()
            unfinished = [s for s in steps if not self.controller.session.can_leave(s)]
            if unfinished:
                self._reveal_step(unfinished[0])
            elif self._final():
                self.show_step(self._final())
            else:
                self.submit()
            return
        self._settle()
        session = self.controller.session
        if not session.can_leave(self.step_id):
            first = self.form.reveal_problems()
            self._update_status()
            self._tab_order()
            if self.window.idle.keyboard:
                self.page.ensure_visible(first)  # the focus must be seen
            # A finger stays where it was: the page does not jump; the footer's count
            # takes the person to the first problem when tapped.
            return
        if self.step_id == self._final():
            self.submit()
        elif self.return_to_review:
            self.show_review()
        else:
            following = session.next_step(self.step_id)
            if following is None or following == self._final():
                self.show_review()
            else:
                self.show_step(following)

    def go_back(self) -> None:
        if self.controller.session is None:
            return
        self._settle()
        if self.in_review:
            earlier = [s for s in self._steps() if s != self._final()]
            if earlier:
                self.show_step(earlier[-1])
            return
        if self.return_to_review:
            self.return_to_review = False
            self.show_review()
            return
        if self.step_id == self._final():
            self.show_review()
            return
        previous = self.controller.session.previous_step(self.step_id)
        if previous is not None:
            self.show_step(previous)

    def edit_step(self, step_id: str) -> None:
        self.return_to_review = True
        self.show_step(step_id)

    def take_break(self) -> None:
        self._settle()
        self.window.show_break(self.controller.code or "")

    def submit(self) -> None:
        session = self.controller.session
        errors = session.errors()
        if errors:
            self._show_problem_step(errors[0].path)
            return
        try:
            sent = self.controller.submit()
        except SubmissionIncomplete as incomplete:
            self._show_problem_step(incomplete.problems[0].path if incomplete.problems else None)
            return
        except StoreError:
            self.page.show_status(self.t("kiosk.error.submit"))
            return
        if sent:
            self.window.show_thanks()
            return
        # The store cannot take it now: it is kept and sent as soon as it can (the window
        # thanks the person then); nothing on the page changes meanwhile.
        self.sending = self.controller.submission_id
        self.page.set_sending(True)
        self.page.show_status(self.t("kiosk.saving.submit_waiting"), "warning")

    def _show_problem_step(self, path: str | None) -> None:
        questionnaire = self.controller.session.questionnaire
        item = (path or "").split("[")[0]
        self._reveal_step(questionnaire.step_of.get(item) or self._steps()[0])

    def _reveal_step(self, step_id: str) -> None:
        self.show_step(step_id)
        first = self.form.reveal_problems()
        self._update_status()
        self.page.ensure_visible(first)
