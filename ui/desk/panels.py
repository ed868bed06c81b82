"""The read-only parts of the submission view: answers by step, flags, key facts, history."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from screening_app.engine.answers import is_empty
from screening_app.engine.definition import Item, Questionnaire
from screening_app.engine.display import answer_line, format_answer, format_value_at, item_at, question_label
from screening_app.engine.session import ReviewEntry, Session
from screening_app.i18n import Translator
from screening_app.signoff_words import decision_label
from screening_app.store import AuditEntry, StoredFlag
from screening_app.store.records import STATUSES
from ui.desk import formatting as fmt

PATH_ROLE = Qt.ItemDataRole.UserRole + 10
Index = QModelIndex | QPersistentModelIndex
EDITABLE_TYPES = frozenset({"text", "long_text", "email", "phone", "integer", "decimal", "year",
                            "date", "yes_no", "yes_no_unsure", "single_choice", "multi_choice",
                            "consent"})


def editable(item: Item | None) -> bool:
    return item is not None and item.type in EDITABLE_TYPES


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's current width."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return base
        width = self.tree.header().sectionSize(index.column()) - 12
        if index.column() == 0:
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.tree.indentation() * (depth + 1)
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font.resolve(option.font)) if font else option.fontMetrics
        rect = metrics.boundingRect(QRect(0, 0, max(40, width), 10_000),
                                    int(Qt.TextFlag.TextWordWrap), str(text))
        return QSize(base.width(), max(base.height(), rect.height() + 6))


class AnswersTree(QTreeWidget):
    """Steps, their items and answers; group rows nested; not-applicable answers marked."""

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.setObjectName("answers")
        self.setAccessibleName(t("desk.view.answers"))
        self.setColumnCount(3)
        self.setHeaderLabels([t("desk.view.question"), t("desk.view.answer"),
                              t("desk.view.flagged")])
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("M") * 26)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(WrappingDelegate(self))
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())

    def resizeEvent(self, event) -> None:
        """Questions get about 45 % of the width; long ones wrap instead of being cut."""
        super().resizeEvent(event)
        width = self.viewport().width()
        if width > 0:
            self.header().resizeSection(0, int(width * 0.45))

    def show_session(self, session: Session, flags: Iterable[StoredFlag]) -> None:
        flagged: dict[str, list[StoredFlag]] = {}
        for flag in flags:
            for evidence in flag.evidence:
                flagged.setdefault(evidence.path, []).append(flag)
        self._flagged = flagged
        self._consistency = {r.id for r in session.questionnaire.rules if r.kind == "consistency"}
        self._session = session
        selected = self.current_path()
        self.clear()
        t = self.t
        for review in session.review():
            step = QTreeWidgetItem(self, [review.step.title.get(t.lang)])
            font = QFont()  # only the weight: the size comes from the style sheet
            font.setBold(True)
            step.setFont(0, font)
            step.setFirstColumnSpanned(True)
            if not review.shown:
                step.setText(0, t("desk.view.step_not_shown", step=review.step.title.get(t.lang)))
                step.setForeground(0, QBrush(fmt.STATUS_COLOURS["withdrawn"]))
            for entry in review.entries:
                if entry.item.type == "info":
                    continue
                self._add_entry(step, entry, review.shown)
            step.setExpanded(review.shown)
        self.resizeColumnToContents(2)
        if selected:
            self.select_path(selected)

    def _add_entry(self, parent: QTreeWidgetItem, entry: ReviewEntry, step_shown: bool) -> None:
        item = entry.item
        t = self.t
        if item.type == "group":
            node = QTreeWidgetItem(parent, [item.label.get(t.lang)])
            if not entry.rows:
                node.setText(1, t("answer.unanswered"))
            for index, (_row, fields) in enumerate(entry.rows):
                row_node = QTreeWidgetItem(node, [t("desk.view.row", number=index + 1)])
                for sub in fields:  # a section of the row holds no answer: not listed
                    if entry.applicable and sub.item.is_input and (sub.applicable or not is_empty(sub.value)):
                        self._leaf(row_node, sub, sub.applicable and entry.applicable)
                row_node.setExpanded(True)
            node.setExpanded(True)
            if not entry.applicable:
                self._mark_not_applicable(node, bool(entry.rows))
            return
        if not entry.applicable and is_empty(entry.value):
            return  # hidden and never answered: nothing to show
        self._leaf(parent, entry, entry.applicable and step_shown)

    def _leaf(self, parent: QTreeWidgetItem, entry: ReviewEntry, applicable: bool) -> None:
        t = self.t
        node = QTreeWidgetItem(parent, [entry.item.label.get(t.lang),
                                        format_answer(entry.item, entry.value, t)])
        node.setData(0, PATH_ROLE, entry.path)
        node.setToolTip(0, entry.item.label.get(t.lang))
        if not applicable:
            self._mark_not_applicable(node, not is_empty(entry.value))
        flags = self._flagged.get(entry.path, [])
        if flags and applicable:
            worst = min(flags, key=lambda f: fmt.SEVERITY_RANK.get(f.severity, 9))
            # An answer that does not fit another is a soft warning of its own ("Does not
            # fit"), on each of the answers the consistency rule names.
            words = sorted({t("desk.view.does_not_fit") if f.rule in self._consistency
                            else fmt.severity_label(f.severity, t) for f in flags})
            node.setText(2, ", ".join(words))
            node.setForeground(2, QBrush(fmt.SEVERITY_COLOURS[worst.severity]))
            node.setBackground(1, QBrush(fmt.SEVERITY_BACKGROUNDS[worst.severity]))
            node.setToolTip(2, "\n".join(f.criterion for f in flags))

    def _mark_not_applicable(self, node: QTreeWidgetItem, had_answer: bool) -> None:
        t = self.t
        kept = node.text(1)
        node.setText(1, t("desk.view.not_applicable_kept", answer=kept) if had_answer
                     else t("answer.not_applicable"))
        node.setToolTip(1, t("desk.view.not_applicable_help"))
        grey = QBrush(fmt.STATUS_COLOURS["withdrawn"])
        italic = QFont()
        italic.setItalic(True)
        for column in (0, 1):
            node.setForeground(column, grey)
            node.setFont(column, italic)

    def current_path(self) -> str | None:
        item = self.currentItem()
        return item.data(0, PATH_ROLE) if item is not None else None

    def select_path(self, path: str) -> None:
        for node in self._walk():
            if node.data(0, PATH_ROLE) == path:
                self.setCurrentItem(node)
                self.scrollToItem(node)
                return

    def _walk(self) -> Iterable[QTreeWidgetItem]:
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            node = stack.pop(0)
            yield node
            stack[0:0] = [node.child(i) for i in range(node.childCount())]


class _ReadingPanel(QLabel):
    """Rich text to read and copy from, reachable with the keyboard and named for screen readers."""

    def __init__(self, t: Translator, name: str, accessible_key: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(t(accessible_key))


class FlagsPanel(_ReadingPanel):
    """The flags as rich text: severity in words and colour, criterion, triggering answers."""

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t, "flags", "desk.view.flags", parent)

    def show_flags(self, q: Questionnaire, flags: list[StoredFlag], answers: dict[str, Any],
                   submitted: bool) -> None:
        t = self.t
        if not submitted:
            self.setText(f"<p>{_e(t('desk.flags.not_submitted_tip'))}</p>")
            self.setAccessibleDescription(t("desk.flags.not_submitted_tip"))
            return
        if not flags:
            self.setText(f"<p>{_e(t('desk.view.no_flags'))}</p>")
            self.setAccessibleDescription(t("desk.view.no_flags"))
            return
        rules = {rule.id: rule for rule in q.rules}
        parts, plain = [], []
        for flag in flags:
            rule = rules.get(flag.rule)
            criterion = rule.criterion.get(t.lang) if rule else flag.criterion
            colour = fmt.SEVERITY_COLOURS[flag.severity].name()
            label = fmt.severity_label(flag.severity, t)
            evidence = [answer_line(q, e.path, e.value, answers, t) for e in flag.evidence]
            if rule is not None and rule.kind == "consistency":
                label = t("desk.flags.inconsistent", severity=label)
            parts.append(
                f'<p style="margin-bottom:8px"><span style="color:{colour};font-weight:bold">'
                f"{_e(label.upper())}</span> &nbsp;{_e(criterion)}"
                f'<br/><span style="color:#555">{_e(flag.rule)}</span>'
                + "".join(f"<br/>&nbsp;&nbsp;• {_e(line)}" for line in evidence) + "</p>")
            plain.append(f"{label}: {criterion}. " + "; ".join(evidence))
        self.setText("".join(parts))
        self.setAccessibleDescription(" ".join(plain))


class KeyFactsPanel(_ReadingPanel):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t, "key-facts", "desk.view.key_facts", parent)

    def show_facts(self, facts: list[tuple[str, str]]) -> None:
        rows = "".join(f'<tr><td width="30%" style="padding:0 10px 4px 0;color:#444">{_e(label)}'
                       f'</td><td style="padding-bottom:4px">{_e(value)}</td></tr>'
                       for label, value in facts)
        self.setText(f'<table width="100%">{rows}</table>')
        self.setAccessibleDescription("; ".join(f"{label}: {value}" for label, value in facts))


class HistoryTable(QTableWidget):
    """The audit trail, newest first, every text whole: cells wrap instead of being cut.

    When and who share the first column (two lines), so that what, question, change and
    reason all fit beside it, also at 150 % text; rows are as tall as their wrapped text
    (and every cell's tooltip holds its whole text).
    """

    COLUMNS = ("when", "what", "item", "change", "reason")
    # Each column's share of the width the first ("when") leaves.
    SHARES: ClassVar[dict[str, float]] = {"what": 0.2, "item": 0.3, "change": 0.27,
                                          "reason": 0.23}

    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.t = t
        self.setObjectName("history")
        self.setAccessibleName(t("desk.view.history"))
        self.setHorizontalHeaderLabels([t(f"desk.history.{c}") for c in self.COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column, key in enumerate(self.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents
                                        if key not in self.SHARES else QHeaderView.ResizeMode.Fixed)

    def show_entries(self, q: Questionnaire, entries: list[AuditEntry],
                     answers: dict[str, Any], names: dict[str, str] | None = None) -> None:
        """`names`: user name -> full name, so a row says who, not which login."""
        t, names = self.t, names or {}
        newest_first = list(reversed(entries))
        self.setRowCount(len(newest_first))
        for row, entry in enumerate(newest_first):
            item_text = question_label(q, entry.item, answers, t) if entry.item else ""
            who = names.get(entry.actor.lower(), entry.actor)
            values = (f"{fmt.when(entry.at, t)}\n{who}", _action(entry.action, t),
                      item_text, self._change(q, entry), entry.reason or "")
            for column, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.setItem(row, column, cell)
        self._share_width()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._share_width()

    def _share_width(self) -> None:
        """The columns after the first share the room it leaves."""
        header = self.horizontalHeader()
        fixed = sum(header.sectionSize(c) for c, key in enumerate(self.COLUMNS)
                    if key not in self.SHARES)
        room = max(self.viewport().width() - fixed, self.fontMetrics().horizontalAdvance("M") * 24)
        for column, key in enumerate(self.COLUMNS):
            if key in self.SHARES:
                header.resizeSection(column, int(room * self.SHARES[key]))

    def _change(self, q: Questionnaire, entry: AuditEntry) -> str:
        if entry.action.startswith("answer") and entry.item and item_at(q, entry.item):
            old = format_value_at(q, entry.item, entry.old_value, self.t)
            new = format_value_at(q, entry.item, entry.new_value, self.t)
            return new if entry.old_value is None else f"{old} → {new}"
        if entry.action == "flags_computed":  # which flags appeared and went, in words
            old, new = set(entry.old_value or []), set(entry.new_value or [])
            lines = (fmt.rule_lines(q, new - old, self.t, "+")
                     + fmt.rule_lines(q, old - new, self.t, "−"))
            return "\n".join(lines) or self.t("desk.history.flags_same")
        if entry.action == "reviewed":  # the meaning of the review
            return str(entry.new_value or "")
        if entry.action in ("checked", "clinically_reviewed") and isinstance(entry.new_value, dict):
            note = str(entry.new_value.get("note", ""))
            if entry.action == "checked":
                return note
            return self.t("desk.history.decision_note", note=note, decision=decision_label(
                entry.new_value.get("decision"), self.t))
        if entry.action in ("withdrawn", "submitted", "review_reopened", "check_reopened"):
            states = [fmt.status_label(str(v), self.t) for v in (entry.old_value, entry.new_value)
                      if v in STATUSES]
            return " → ".join(states)
        return ""


def _action(action: str, t: Translator) -> str:
    text = t(f"desk.action.{action}")
    return action.replace("_", " ") if text == f"desk.action.{action}" else text


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def box(title: str, widget: QWidget, parent: QWidget) -> QWidget:
    """A titled section (title label is the widget's buddy, for Alt+letter access)."""
    holder = QWidget(parent)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    caption = QLabel(title, holder)
    caption.setProperty("role", "section")
    caption.setBuddy(widget)
    layout.addWidget(caption)
    layout.addWidget(widget, 1)
    return holder
