"""The page that shows one step (or the review): progress on top, the content in a scroll
area, and Back / Next always in the same place at the bottom.

Enter anywhere on the page means Next (a multi-line field keeps Enter for new lines and a
focused button keeps it for itself). The page only shows things and reports presses; the
flow decides what they mean.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import Translator
from ui.kiosk.chrome import FooterStatus, ScrollContent, page_scroll_area, readable
from ui.widgets.common import make_button, make_label, set_role


class FlowPage(QWidget):
    next_clicked = Signal()
    status_clicked = Signal()  # the count of answers needing attention was tapped
    back_clicked = Signal()
    break_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("flow")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # holds the focus between steps
        self.content: QWidget | None = None
        self._notice: str | None = None  # stands in the footer when nothing else does

        self.header = header = QFrame(self)
        header.setObjectName("progress")
        self.step_label = make_label("", "step", parent=header)
        self.step_label.setObjectName("step-label")
        self.progress = QProgressBar(header)
        self.progress.setTextVisible(False)
        self.break_button = make_button("", parent=header)
        self.break_button.setObjectName("take-break")
        self.break_button.clicked.connect(self.break_clicked)
        top = QHBoxLayout()
        top.addWidget(self.step_label, 1)
        top.addWidget(self.break_button)
        head = _centred(header, (32, 12, 32, 8))
        head.setSpacing(8)
        head.addLayout(top)
        head.addWidget(self.progress)

        # Two scroll areas: the one shown, and one where the next step is made ready
        # (built and styled) while the person reads this one; Next then only swaps them.
        self.scrolls = QStackedWidget(self)
        for _ in range(2):
            self.scrolls.addWidget(page_scroll_area(self.scrolls))
        self.prepared: QWidget | None = None  # content waiting in the other scroll area

        self.footer = footer = QFrame(self)
        footer.setObjectName("footer")
        self.status = FooterStatus(footer)
        self.status.clicked.connect(self.status_clicked)
        self.back_button = make_button("", parent=footer)
        self.back_button.setObjectName("back")
        self.next_button = make_button("", "primary", parent=footer)
        self.next_button.setObjectName("next")
        for button in (self.back_button, self.next_button):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(160)
        self.back_button.clicked.connect(self.back_clicked)
        self.next_button.clicked.connect(self.next_clicked)
        # One row, always as tall as the buttons: the message between them never moves them.
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.next_button)
        foot = _centred(footer, (32, 10, 32, 10))
        self.footer_column = foot.parentWidget()
        foot.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.scrolls, 1)
        layout.addWidget(footer)

    def retranslate(self, t: Translator) -> None:
        self.break_button.setText(t("kiosk.break.button"))
        self.back_button.setText(t("kiosk.nav.back"))

    # -- content -------------------------------------------------------------------------

    @property
    def scroll(self) -> QScrollArea:
        """The scroll area on screen."""
        return self.scrolls.currentWidget()

    @property
    def _spare(self) -> QScrollArea:
        return self.scrolls.widget(1 - self.scrolls.currentIndex())

    def prepare(self, content: QWidget, *, ahead: bool = True) -> None:
        """Put `content` out of sight, to be shown by `show_prepared`; `ahead`: also style
        and lay it out now (while the person reads the current page)."""
        spare = self._spare
        _drop(spare)
        holder = _holder(content, self.footer_column.maximumWidth())
        spare.setWidget(holder)
        self.prepared = content
        if not ahead:
            return
        holder.ensurePolished()
        # Lay it out at the size it will have, so showing it needs no new layout pass.
        spare.setGeometry(self.scroll.geometry())
        width = spare.viewport().width() if self.scroll.verticalScrollBar().isVisible() \
            else self.scroll.viewport().width()
        holder.resize(width, max(holder.heightForWidth(width), spare.viewport().height()))
        holder.layout().activate()

    def show_prepared(self) -> None:
        """Show the prepared content from the top; the content shown so far is deleted."""
        previous = self.scroll
        spare = self._spare
        spare.verticalScrollBar().setValue(0)
        self.scrolls.setCurrentWidget(spare)
        _drop(previous)
        self.content, self.prepared = self.prepared, None
        self.show_status(None)

    def set_content(self, content: QWidget) -> None:
        """Show `content` (a step's form or the review) from the top; the old one is deleted."""
        self.prepare(content, ahead=False)
        self.show_prepared()

    def drop_prepared(self) -> None:
        _drop(self._spare)
        self.prepared = None

    def clear(self) -> None:
        for index in range(self.scrolls.count()):
            _drop(self.scrolls.widget(index))
        self.content = self.prepared = None
        self.show_status(None)
        self.step_label.setText("")

    def set_position(self, text: str, done: float) -> None:
        self.step_label.setText(text)
        self.progress.setRange(0, 1000)
        self.progress.setValue(round(1000 * done))
        self.progress.setAccessibleName(text)

    def set_buttons(self, next_text: str, *, back_enabled: bool, next_role: str = "primary") -> None:
        self.next_button.setText(next_text)
        set_role(self.next_button, next_role)
        self.back_button.setEnabled(back_enabled)

    def show_status(self, text: str | None, kind: str = "error", *, clickable: bool = False) -> None:
        """The footer's message; without one, the standing notice (if any)."""
        if text is None and self._notice:
            text, kind, clickable = self._notice, "warning", False
        self.status.show_message(text, kind, clickable=clickable)

    def set_notice(self, text: str | None) -> None:
        """A message that stays while its cause lasts ("saving is paused"); a message of
        the moment (answers to fix) goes before it and it comes back after."""
        showing = not self.status.message() or self.status.message() == self._notice
        self._notice = text
        if showing:
            self.show_status(None)

    def set_sending(self, sending: bool) -> None:
        """While a submission waits to be sent: nothing on the page can be changed."""
        for widget in (self.next_button, self.back_button, self.break_button):
            widget.setEnabled(not sending)
        if self.content is not None:
            self.content.setEnabled(not sending)

    def ensure_visible(self, widget: QWidget | None) -> None:
        if widget is not None:
            self.scroll.ensureWidgetVisible(widget, 50, 120)

    def set_tab_order(self, before: list[QWidget], inside: list[QWidget]) -> None:
        """Tab follows what is seen: the top bar, this page's header, the content, Back, Next."""
        footer = [self.status] if self.status.clickable else []
        chain = [*before, self.break_button, *inside, *footer, self.back_button, self.next_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def keyPressEvent(self, event) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat()
                and self.next_button.isEnabled()):
            self.next_clicked.emit()
            return
        super().keyPressEvent(event)


def _centred(frame: QFrame, margins: tuple[int, int, int, int]) -> QVBoxLayout:
    """A column inside a full-width bar, as wide as the page's content: on a wide screen
    Back and Next stay near the questions instead of at the far edges."""
    outer = QHBoxLayout(frame)
    outer.setContentsMargins(*margins)
    inner = readable(QWidget(frame))
    layout = QVBoxLayout(inner)
    layout.setContentsMargins(0, 0, 0, 0)
    outer.addStretch(0)
    outer.addWidget(inner, 100)
    outer.addStretch(0)
    return layout


def _holder(content: QWidget, width: int) -> QWidget:
    """The scrolled widget: `content` centred, at most `width` px wide."""
    holder = ScrollContent()
    holder.setObjectName("content")
    outer = QHBoxLayout(holder)
    outer.setContentsMargins(32, 24, 32, 48)
    readable(content, width)
    outer.addStretch(0)
    outer.addWidget(content, 100)
    outer.addStretch(0)
    return holder


def _drop(scroll: QScrollArea) -> None:
    old = scroll.takeWidget()
    if old is not None:
        old.hide()
        old.deleteLater()
