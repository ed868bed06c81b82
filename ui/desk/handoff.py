"""Hand a draft to a kiosk: show its resume code, large, with what to do at the kiosk.

The kiosk's first screen has "Continue with a code" ("Continuar con un código" when it
shows Spanish); the person (or the coordinator) types this code there and the draft opens
where it was left, in the person's language.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from screening_app.i18n import LANGUAGES, Translator, tr
from ui.desk.theme import fit


class HandoffDialog(QDialog):
    def __init__(self, code: str, name: str, lang: str, t: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoff")
        self.setWindowTitle(t("desk.handoff.title"))
        self.code = code
        # The kiosk's first screen is in whatever language it was left in: name the button
        # as it reads in each, the person's language first.
        texts = [tr(code, "kiosk.welcome.resume") for code in (lang, *LANGUAGES)]
        texts = [text for text in dict.fromkeys(texts) if text != "kiosk.welcome.resume"]
        button_text = " / ".join(texts) or t("desk.handoff.kiosk_button_fallback")
        intro = QLabel(t("desk.handoff.intro", name=name), self)
        intro.setWordWrap(True)
        self.code_label = QLabel(code, self)
        self.code_label.setObjectName("code")
        self.code_label.setAccessibleName(t("desk.handoff.code_name", code=" ".join(code)))
        steps = QLabel(t("desk.handoff.steps", button=button_text), self)
        steps.setWordWrap(True)
        copy = QPushButton(t("desk.handoff.copy"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(t("desk.common.close"))
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        layout.addWidget(steps)
        layout.addWidget(copy)
        layout.addWidget(buttons)
        fit(self, 40, 20)
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
