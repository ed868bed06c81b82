"""The review: every step's answers as the person gave them, each step with an Edit button
and, where the machine has a voice for the language, a "Read aloud" that says that step's
questions and answers (and one beside the title for the title and the intro): one part at a
time, never the whole page at once (docs/kiosk.md, "Read aloud on the review").

Answers are written by `screening_app.engine.display` (choice labels, "10 September 2026"), so
they read the same here as in the clinician's summary. Only what applies is listed: a
question hidden by an answer is not shown, and neither is anything about eligibility.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from screening_app.engine.answers import is_empty
from screening_app.engine.definition import Item
from screening_app.engine.display import format_answer, row_name
from screening_app.engine.session import ReviewEntry, Session
from screening_app.engine.spoken import spoken, spoken_answer, spoken_date
from ui.kiosk import read_aloud
from ui.widgets.common import ProblemIcon, escape, make_button, make_label


class ReviewContent(QWidget):
    """Cards, one per step before `final_step`; `on_edit(step_id)` for Edit.

    `update` brings it up to date with the session, rebuilding only the cards whose
    answers changed: the review can be made ahead, while the person is still on the last
    step, and only that step's card is redone when they press Next.
    """

    def __init__(self, session: Session, final_step: str, on_edit: Callable[[str], None],
                 t, parent: QWidget | None = None, voice: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("review")
        self.t = t
        self.qt = session.t
        self.final_step = final_step
        self.on_edit = on_edit
        self.session = session
        self.voice = voice  # None: no "Read aloud" (the desk, a test without one)
        self.edit_buttons: dict[str, QWidget] = {}
        self.read_aloud_buttons: dict[str, QWidget] = {}  # step -> its card's "Read aloud"
        self.said: dict[str, str] = {}  # step -> what its card's "Read aloud" says
        self.cards: dict[str, tuple[QFrame, tuple]] = {}  # step -> (card, what it shows)
        self.cards_layout = QVBoxLayout(self)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(24)
        title, intro = t("kiosk.review.title"), t("kiosk.review.intro")
        title_row = QHBoxLayout()
        title_row.setSpacing(16)
        title_row.addWidget(make_label(title, "title", parent=self), 1)
        self.read_aloud = None
        if voice is not None:  # beside the title, as beside a step's intro
            self.read_aloud = read_aloud.button(voice, t, title, lambda: spoken(title, intro), self)
            title_row.addWidget(self.read_aloud, 0, Qt.AlignmentFlag.AlignTop)
        self.cards_layout.addLayout(title_row)
        self.cards_layout.addWidget(make_label(intro, "intro", parent=self))
        self.cards_layout.addStretch(1)
        self.update_from(session)

    def update_from(self, session: Session) -> None:
        """Show the session's answers now (same session; only changed cards are redone)."""
        blocked = {session.questionnaire.step_of.get(p.path.split("[")[0]) for p in session.errors()}
        wanted = []
        for review_step in session.review():
            step = review_step.step
            if review_step.shown and step.id != self.final_step:
                wanted.append((review_step, _signature(review_step, step.id in blocked)))
        keep = {step.step.id for step, _ in wanted}
        for step_id in [s for s in self.cards if s not in keep]:
            self._remove(step_id)
        for position, (review_step, signature) in enumerate(wanted):
            step_id = review_step.step.id
            current = self.cards.get(step_id)
            if current is not None and current[1] == signature:
                continue
            if current is not None:
                self._remove(step_id)
            card = self._card(review_step, step_id in blocked)
            self.cards[step_id] = (card, signature)
            self.cards_layout.insertWidget(2 + position, card)
        self.cards = {step.step.id: self.cards[step.step.id] for step, _ in wanted}

    def _remove(self, step_id: str) -> None:
        card, _ = self.cards.pop(step_id)
        self.edit_buttons.pop(step_id, None)
        self.read_aloud_buttons.pop(step_id, None)
        self.said.pop(step_id, None)
        self.cards_layout.removeWidget(card)
        card.hide()
        card.deleteLater()

    def _card(self, review_step, blocked: bool) -> QFrame:
        step, t = review_step.step, self.t
        card = QFrame(self)
        card.setObjectName(f"review-{step.id}")
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        box.setContentsMargins(20, 16, 20, 20)
        box.setSpacing(12)
        title = step.title.get(self.qt.lang)
        header = _CardHeader(make_label(title, "subtitle"), card)
        said = [title]  # what its "Read aloud" says: the card as it reads, top to bottom
        if self.voice is not None:
            listen = read_aloud.button(self.voice, t, title, lambda s=step.id: self.said[s], header)
            self.read_aloud_buttons[step.id] = listen
            header.add_button(listen)
        button = make_button(t("kiosk.review.edit"), parent=header,
                             accessible_name=t("kiosk.review.edit_named", step=title))
        button.setObjectName(f"edit-{step.id}")
        button.clicked.connect(lambda _=False, s=step.id: self.on_edit(s))
        self.edit_buttons[step.id] = button
        header.add_button(button)
        box.addWidget(header)
        if blocked:
            note = QHBoxLayout()
            icon = ProblemIcon("error", card)
            icon.setProperty("role", "problem")
            note.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            note.addWidget(make_label(t("kiosk.review.needs_attention"), "problem", parent=card), 1)
            box.addLayout(note)
            said.append(t("kiosk.review.needs_attention"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        row = 0
        for entry in review_step.entries:
            if entry.applicable and entry.item.is_input:
                row = self._entry(grid, row, card, entry, said)
        box.addLayout(grid)
        self.said[step.id] = spoken(*said, t("kiosk.review.spoken_edit"))
        return card

    def ordered_edit_buttons(self) -> list[QWidget]:
        """The page's buttons in the order they are seen: the title's "Read aloud", then each
        card's "Read aloud" and Edit (those shown)."""
        chain = [self.read_aloud] if self.read_aloud is not None else []
        for step_id in self.cards:
            chain += [self.read_aloud_buttons.get(step_id), self.edit_buttons[step_id]]
        return [button for button in chain if button is not None and not button.isHidden()]

    def _answer(self, item: Item, value) -> str:
        if is_empty(value):
            return self.t("kiosk.review.unanswered")
        return format_answer(item, value, self.qt)

    def _said(self, item: Item, shown: str) -> str:
        """An answer as "Read aloud" says it: a date with its month in full."""
        return spoken_date(shown, self.qt) if item.type == "date" else shown

    def _entry(self, grid: QGridLayout, row: int, card: QWidget, entry: ReviewEntry,
               said: list[str]) -> int:
        """The entry's rows in the grid; what they say is added to `said`."""
        label = entry.item.label.get(self.qt.lang)
        if entry.item.type != "group":
            text = self._answer(entry.item, entry.value)
            said.append(spoken_answer(label, self._said(entry.item, text)))
            question = make_label(label, "answer-label", parent=card)
            answer = make_label(text, "answer", parent=card)
            answer.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            grid.addWidget(question, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(answer, row, 1, Qt.AlignmentFlag.AlignTop)
            return row + 1
        grid.addWidget(make_label(label, "answer-label", parent=card), row, 0, Qt.AlignmentFlag.AlignTop)
        if not entry.rows:
            said.append(spoken_answer(label, self.t("kiosk.review.no_rows")))
            grid.addWidget(make_label(self.t("kiosk.review.no_rows"), "answer", parent=card), row, 1)
            return row + 1
        said.append(label)
        row_label = entry.item.row_label
        for index, (number, fields) in enumerate(entry.rows):
            name = (row_name(entry.item, number, self.session.answers, self.qt)
                    or self.t("widgets.group.row", number=index + 1))
            lines = [f'<b><u>{escape(name)}</u></b>']
            said.append(name)
            for field in fields:
                # A section of the row is a heading on the form, not a question answered here.
                if field.applicable and field.item.is_input and field.item.id != row_label:
                    question = field.item.label.get(self.qt.lang)
                    joint = " " if question.rstrip().endswith(("?", ":")) else ": "
                    text = self._answer(field.item, field.value)
                    said.append(spoken_answer(question, self._said(field.item, text)))
                    lines.append(f"{escape(question)}{joint}<b>{escape(text)}</b>")
            grid.addWidget(make_label("<br>".join(lines), "answer", rich=True, parent=card),
                           row, 1, Qt.AlignmentFlag.AlignTop)
            row += 1
        return row


class _CardHeader(QWidget):
    """A part's title with its "Read aloud" and Edit beside it, at the top right; under it,
    at the right, where beside it the title would be squeezed into a narrow column (the
    largest text in Spanish: "Tratamientos para la esclerosis múltiple")."""

    def __init__(self, title: QLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = title
        title.setParent(self)
        self.buttons = QWidget(self)
        self.row = QHBoxLayout(self.buttons)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(24)  # "Read aloud" and Edit: a shaking hand reaches the one it meant
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(16)
        self.box.addWidget(title, 1)
        self.box.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)

    def add_button(self, button: QWidget) -> None:
        self.row.addWidget(button)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        metrics = self.title.fontMetrics()
        longest = max((metrics.horizontalAdvance(word) for word in self.title.text().split()), default=0)
        room = self.width() - self.buttons.sizeHint().width() - self.box.spacing()
        direction = (QBoxLayout.Direction.LeftToRight if room >= max(longest, self.width() * 0.4)
                     else QBoxLayout.Direction.TopToBottom)
        if self.box.direction() != direction:
            self.box.setDirection(direction)


def _signature(review_step, blocked: bool) -> tuple:
    """What a step's card shows, to tell whether it must be redone."""
    def entry_key(entry) -> tuple:
        rows = tuple((n, tuple(entry_key(f) for f in fields)) for n, fields in entry.rows)
        return (entry.path, entry.applicable, repr(entry.value), rows)

    return (blocked, tuple(entry_key(e) for e in review_step.entries))
