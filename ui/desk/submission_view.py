"""One submission: who, status, answers by step, flags, key facts, history, and actions.

Actions go through the store with the signed-in user as the actor; every refusal the
store gives (a missing reason, a withdrawn submission, a busy database) is shown in plain
words. After a change the view reloads itself and tells the window (`changed`), which
refreshes the work list.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.answers import item_for_path
from screening_app.engine.key_facts import key_facts
from screening_app.engine.session import Session
from screening_app.i18n import Translator
from screening_app.store import Store, StoreError, SubmissionSnapshot, User
from screening_app.store.records import DECISIONS
from ui.desk import formatting as fmt
from ui.desk.edit_answer import EditAnswerDialog
from ui.desk.panels import AnswersTree, FlagsPanel, HistoryTable, KeyFactsPanel, box, editable
from ui.desk.store_text import store_message
from ui.dialogs import Dialogs

CHECK_ROLES = ("coordinator", "admin")  # who may mark answers checked (the store's rule too)
REVIEW_ROLES = ("clinician",)  # who may record a clinical review


class SubmissionView(QWidget):
    changed = Signal(int)  # the submission id, after any stored change
    export_requested = Signal(int)
    fill_requested = Signal(int)
    handoff_requested = Signal(int)

    def __init__(self, store: Store, submission_id: int, user: User, t: Translator,
                 dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.submission_id, self.user, self.t = store, submission_id, user, t
        self.dialogs = dialogs
        self.setObjectName(f"submission-{submission_id}")
        self.edit_dialog: EditAnswerDialog | None = None
        self.person_dialog = None  # ui.desk.person.CorrectPersonDialog while it is open

        self.name = QLabel(self)
        self.name.setProperty("role", "title")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.details = QLabel(self)
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, slot in (("fill", self._fill), ("handoff", self._handoff),
                          ("edit", self.edit_selected), ("check", self.mark_checked),
                          ("review", self.clinical_review),
                          ("export", lambda: self.export_requested.emit(self.submission_id)),
                          ("withdraw", self.withdraw), ("person", self.correct_person)):
            button = QPushButton(t(f"desk.view.action.{key}"), self)
            button.setObjectName(f"action-{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        # This tab's F2 only (several submission tabs each have one).
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.edit_selected,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

        # Made in the order they are seen, top to bottom and left to right: that is the
        # order Tab goes in (the actions, the Answers/History tabs and what they show,
        # then Key facts and Flags).
        left = QTabWidget(self)
        left.setObjectName("left-tabs")
        self.answers = AnswersTree(t, self)
        self.answers.itemActivated.connect(lambda *_: self.edit_selected())
        self.history = HistoryTable(t, self)
        self.facts = KeyFactsPanel(t, self)
        self.flags = FlagsPanel(t, self)
        left.addTab(self.answers, t("desk.view.answers"))
        left.addTab(self.history, t("desk.view.history"))
        self.left_tabs = left
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setChildrenCollapsible(False)
        for title, panel in ((t("desk.view.key_facts"), self.facts), (t("desk.view.flags"), self.flags)):
            scroll = QScrollArea(right)
            scroll.setWidgetResizable(True)
            scroll.setWidget(panel)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel inside takes the focus
            right.addWidget(box(title, scroll, right))
        right.setStretchFactor(0, 1)
        right.setStretchFactor(1, 1)
        self.side = right
        self._side_moved = False  # the person dragged the handle: their choice stays
        right.splitterMoved.connect(lambda *_: setattr(self, "_side_moved", True))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self._sized = False

        head = QHBoxLayout()
        head.addWidget(self.name)
        head.addWidget(self.status)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.details)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        self.reload()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._sized:  # answers get the larger share; the person can drag the handle
            self._sized = True
            width = max(self.splitter.width(), 800)
            self.splitter.setSizes([int(width * 0.58), int(width * 0.42)])
        self._share_side()

    def _share_side(self) -> None:
        """Key facts get at least 45 % of the height (at 150 % text a fixed 40 % showed two
        facts) and up to 70 % as their text needs it; Flags the rest, or all the room the
        facts leave when they need less."""
        if self._side_moved or not self.side.isVisible():
            return
        total = sum(self.side.sizes())
        width = self.facts.width() or self.side.width()
        facts_need, flags_need = (max(1, p.heightForWidth(width)) + 8
                                  for p in (self.facts, self.flags))
        share = min(max(facts_need / (facts_need + flags_need), 0.45), 0.7)
        facts = min(facts_need + self.fontMetrics().height() * 2, int(total * share))
        self.side.setSizes([facts, total - facts])

    # -- showing ------------------------------------------------------------------------

    def reload(self) -> bool:
        """Read the submission again; False (after saying why) when it cannot be read."""
        try:
            snapshot = self.store.snapshot(self.submission_id)
            questionnaire = self.store.questionnaire_for(self.submission_id)
            history = self.store.audit_history(self.submission_id)
            names = {u.username.lower(): u.display_name for u in self.store.list_users()}
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return False
        self.snapshot = snapshot
        record = snapshot.record
        lang = self.t.lang if self.t.lang in questionnaire.languages else questionnaire.languages[0]
        today = date.fromisoformat(record.reference_date) if record.reference_date else None
        self.session = Session(questionnaire, snapshot.answers, lang=lang, today=today,
                               confirmed=snapshot.confirmed)
        self._show_header(snapshot)
        submitted = record.submitted_at is not None
        self.answers.show_session(self.session, snapshot.flags)
        self.flags.show_flags(questionnaire, list(snapshot.flags), snapshot.answers, submitted)
        self.facts.show_facts([(f.label, f.text) for f in key_facts(self.session, self.session.t)])
        self.history.show_entries(questionnaire, history, snapshot.answers, names)
        self._enable(record.status)
        self._share_side()
        return True

    def display_name(self) -> str:
        return fmt.answers_name(self.snapshot.answers, self.t)

    def _show_header(self, snapshot: SubmissionSnapshot) -> None:
        t, record = self.t, snapshot.record
        self.name.setText(self.display_name())
        self.status.setText(fmt.status_label(record.status, t))
        colour = fmt.STATUS_COLOURS.get(record.status)
        self.status.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")
        parts = [t("desk.view.born", date=fmt.birth(snapshot.answers.get("date_of_birth"), t))
                 if snapshot.answers.get("date_of_birth") else t("desk.view.born_unknown"),
                 t("desk.view.id_code", id=record.id, code=record.code),
                 t("desk.view.language", language=t(f"desk.lang.{record.lang}")),
                 t("desk.view.started", when=fmt.when(record.started_at, t))]
        if record.submitted_at:
            parts.append(t("desk.view.submitted", when=fmt.when(record.submitted_at, t)))
        parts.append(t("desk.view.updated", when=fmt.when(record.updated_at, t)))
        lines = [" · ".join(parts)]
        lines += fmt.signoff_lines(record, t)
        if record.withdrawn_at:
            lines.append(t("desk.view.withdrawn", when=fmt.when(record.withdrawn_at, t)))
        self.details.setText("\n".join(lines))

    def _enable(self, status: str) -> None:
        self.buttons["fill"].setVisible(status == "draft")
        self.buttons["handoff"].setVisible(status == "draft")
        self.buttons["edit"].setEnabled(status in ("draft", "submitted", "reviewed"))
        record = self.snapshot.record
        current_check = (check := record.signoff("checked")) is not None and check.current
        may_check = status in ("submitted", "reviewed") and not current_check
        may_review = status in ("submitted", "checked")
        for key, allowed, roles, refusal in (("check", may_check, CHECK_ROLES, "desk.check.not_now"),
                                             ("review", may_review, REVIEW_ROLES,
                                              "desk.review.not_now")):
            self.buttons[key].setVisible(self.user.role in roles)
            self.buttons[key].setEnabled(allowed)
            self.buttons[key].setToolTip("" if allowed else self.t(refusal))
        self.buttons["withdraw"].setEnabled(status != "withdrawn")
        # A draft exports too (as in a batch): its PDF says DRAFT on every page.
        self.buttons["export"].setToolTip("" if status != "draft"
                                          else self.t("desk.export.draft_tip"))

    # -- actions ------------------------------------------------------------------------

    def _store_call(self, action, *args, **kwargs) -> bool:
        try:
            action(*args, **kwargs)
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            self.reload()
            return False
        self.reload()
        self.changed.emit(self.submission_id)
        return True

    def edit_selected(self) -> None:
        path = self.answers.current_path()
        status = self.snapshot.record.status
        if status == "withdrawn":
            self.dialogs.info(self, self.t("desk.edit.heading"), self.t("desk.edit.withdrawn"))
            return
        item = item_for_path(self.session.questionnaire, path) if path else None
        if not editable(item):
            self.dialogs.info(self, self.t("desk.edit.heading"), self.t("desk.edit.choose"))
            return
        self.edit_dialog = EditAnswerDialog(self.session, path, self, whole=status != "draft")
        self.edit_dialog.accepted.connect(self._edit_accepted)
        self.edit_dialog.open()

    def _edit_accepted(self) -> None:
        dialog = self.edit_dialog
        if dialog is None:
            return
        self.edit_dialog = None
        path, value = dialog.path, dialog.value()
        confirmed = True if dialog.confirmed else None
        reason = None
        if self.snapshot.record.status != "draft":
            reason = self.dialogs.ask_text(self, self.t("desk.edit.reason_title"),
                                           self.t("desk.edit.reason_label"),
                                           ok=self.t("desk.edit.save"))
            if not reason:
                return
        before = {f.rule for f in self.snapshot.flags}
        if self._store_call(self.store.save_answer, self.submission_id, path, value,
                            self.user.username, confirmed=confirmed, reason=reason):
            self.answers.select_path(path)
            after = {f.rule for f in self.snapshot.flags}
            if before != after:
                q = self.session.questionnaire
                self.dialogs.info(self, self.t("desk.edit.heading"), self.t(
                    "desk.edit.flags_changed",
                    added="\n".join(fmt.rule_lines(q, after - before, self.t)) or "—",
                    removed="\n".join(fmt.rule_lines(q, before - after, self.t)) or "—"))

    def check_label(self) -> str:
        """What the check dialog says: answers that do not fit first, then who signs."""
        t = self.t
        label = t("desk.check.label", name=self.user.display_name)
        consistency = {r.id for r in self.session.questionnaire.rules if r.kind == "consistency"}
        misfits = sum(1 for flag in self.snapshot.flags if flag.rule in consistency)
        if misfits:  # what the coordinator is there to catch, said before signing
            label = t.plural("desk.check.inconsistent", misfits) + "\n\n" + label
        return label

    def mark_checked(self) -> None:
        """A coordinator's or administrator's check: complete and plausible answers."""
        t = self.t
        note = self.dialogs.ask_text(self, t("desk.check.title"), self.check_label(),
                                     text=t("desk.check.meaning"), ok=t("desk.check.ok"))
        if note:
            self._store_call(self.store.mark_checked, self.submission_id, self.user.username,
                             note)

    def clinical_review(self) -> None:
        """A clinician's review: a decision on the next step and a note."""
        t = self.t
        answer = self.dialogs.ask_decision(
            self, t("desk.review.title"), t("desk.review.label", name=self.user.display_name),
            [(d, t(f"signoff.decision.{d}")) for d in DECISIONS], t("desk.review.note"),
            ok=t("desk.review.ok"))
        if answer:
            decision, note = answer
            self._store_call(self.store.record_clinical_review, self.submission_id,
                             self.user.username, decision, note)

    def withdraw(self) -> None:
        t = self.t
        reason = self.dialogs.ask_text(self, t("desk.withdraw.title"),
                                       t("desk.withdraw.label", name=self.display_name()),
                                       ok=t("desk.withdraw.ok"))
        if reason:
            self._store_call(self.store.withdraw, self.submission_id, self.user.username, reason)

    def correct_person(self) -> None:
        """The person record shared with the person's other questionnaires (ui/desk/person.py)."""
        from ui.desk.person import CorrectPersonDialog

        try:
            self.person_dialog = CorrectPersonDialog(
                self.store, self.session.questionnaire, self.snapshot.record.candidate_id,
                self.submission_id, self.user.username, self.t, self)
        except StoreError as error:
            self.dialogs.error(self, self.t("desk.error.title"), store_message(error, self.t))
            return
        self.person_dialog.accepted.connect(self._person_corrected)
        self.person_dialog.open()

    def _person_corrected(self) -> None:
        dialog, self.person_dialog = self.person_dialog, None
        self.reload()
        for submission_id in {self.submission_id, *(dialog.corrected or [])}:
            self.changed.emit(submission_id)

    def _fill(self) -> None:
        self.fill_requested.emit(self.submission_id)

    def _handoff(self) -> None:
        self.handoff_requested.emit(self.submission_id)
