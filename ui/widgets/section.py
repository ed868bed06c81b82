"""A section's heading: an `info` item that other items of its step stand under.

A questionnaire converted from FHIR keeps its nested groups as sections within a step
(docs/definition-format.md). Their headings must read as headings: in a framed box with
an "i" (InfoWidget, kept for notes to read) a patient could not tell "Sleep", which names
the questions below it, from "Count snacks as meals", which is something to know. So: a
bold title and a rule under it, left-aligned, in the step title's typeface one size down,
no box and no icon, announced as a heading. A required section's message ("answer at
least one") shows under the rule, like any item's.

An untitled section (a FHIR group without text, `Item.untitled`) shows neither heading
nor rule: its items stand indented under nothing, which reads as the source meant it (a
grouping for structure), where a heading would have shown an internal id ("group").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame

from ui.widgets.base import AnswerWidget
from ui.widgets.common import make_label


class SectionWidget(AnswerWidget):
    show_question = False
    reads_aloud = False  # a heading: the questions under it each have their own

    def build(self) -> None:
        self.text = self.rule = None
        if not self.item.untitled:
            self.text = make_label(self.item.label.get(self.t.lang), "section", heading=True, parent=self)
            self.text.setObjectName("section-heading")
            self.text.setIndent(0)  # a style sheet margin would otherwise indent it off the rule
            self.body.addWidget(self.text)
            self.rule = QFrame(self)
            self.rule.setObjectName("section-rule")
            self.rule.setFrameShape(QFrame.Shape.HLine)  # styled by the window; a line without it
            self.body.addWidget(self.rule)
        if self.item.help is not None:
            self.body.addWidget(make_label(self.item.help.get(self.t.lang), "help", parent=self))

    def value(self) -> Any:
        return None

    def _apply(self, value: Any) -> None:
        pass
