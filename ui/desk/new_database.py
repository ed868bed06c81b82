"""The desk's first-run screen for a database that does not exist yet.

The desk never makes a database silently (a mistyped --db would otherwise become an empty
clinic that nobody finds again): it names the path and asks. Quit makes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from screening_app.i18n import Translator
from ui.desk import theme


class NewDatabaseDialog(QDialog):
    def __init__(self, path: Path, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.load_fonts()
        self.setStyleSheet(theme.style_sheet(100))
        self.setWindowTitle(t("desk.window.first_run"))
        self.setObjectName("new-database")
        title = QLabel(t("desk.new_database.title"), self)
        title.setObjectName("card-title")
        intro = QLabel(t("desk.new_database.intro"), self)
        intro.setWordWrap(True)
        self.path_label = QLabel(str(path), self)
        self.path_label.setObjectName("dbPath")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        other = QLabel(t("desk.new_database.elsewhere"), self)
        other.setWordWrap(True)
        other.setProperty("role", "help")
        self.create = QPushButton(t("desk.new_database.create"), self)
        self.create.setObjectName("create-database")
        self.create.clicked.connect(self.accept)
        self.quit = QPushButton(t("desk.new_database.quit"), self)
        self.quit.setObjectName("quit")
        self.quit.clicked.connect(self.reject)
        self.quit.setDefault(True)  # Enter does not make a database by accident
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit)
        buttons.addWidget(self.create)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        for widget in (title, intro, self.path_label, other):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 44)
