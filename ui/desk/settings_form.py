"""The clinic settings on the desk's "Users and settings" dialog: one input for each
setting of the store's registry (screening_app/store/settings.py), made from it: a number
box with the setting's range, a list of its choices, or a line of text. The command line's
`settings` shows the same settings; adding one to the registry adds it here. A text longer
than a line of the form (the kiosk's thank-you words) wraps in a box of a few lines, so the
coordinator reads it whole before the patients do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from screening_app.i18n import LANGUAGES, Translator
from screening_app.store import Store, StoreError
from screening_app.store.settings import SETTINGS, Setting
from ui.desk.store_text import store_message

LINE_LENGTH = 200  # texts allowed longer than this get the wrapping box
WRAPPED_LINES = 6  # 400 characters at the dialog's width at 100 %


class WrappedLine(QPlainTextEdit):
    """One line of text, shown wrapped over a few lines. Enter is not a line break (the
    setting is one line): it goes on to the dialog, as from a line edit; pasted line breaks
    become spaces. Tab moves on, as everywhere in a form."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        # Asked once the style sheet's padding and the desk's text size apply.
        margins = self.contentsMargins()
        height = (self.fontMetrics().lineSpacing() * WRAPPED_LINES + 2 * self.document().documentMargin()
                  + margins.top() + margins.bottom())
        return QSize(super().sizeHint().width(), round(height))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        self.insertPlainText(" ".join(source.text().splitlines()))

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)


def _empty_means(key: str, store: Store) -> str:
    """What the kiosk says for an empty `kiosk_thank_you_<lang>`: its built-in line in that
    language, from the same translations (the desk does not import the kiosk)."""
    lang = key.removeprefix("kiosk_thank_you_")
    if lang == key or lang not in LANGUAGES:
        return ""
    try:
        days = store.get_setting("kiosk_contact_working_days")
    except StoreError:
        return ""
    return Translator(lang).plural("kiosk.thanks.contact", days)


def _input(spec: Setting, t: Translator, parent: QWidget) -> QWidget:
    if spec.is_number:
        widget: QWidget = QSpinBox(parent)
        widget.setRange(spec.minimum, spec.maximum)
        widget.setSuffix(t(f"desk.settings.{spec.key}.suffix"))
    elif spec.choices:
        widget = QComboBox(parent)
        for choice in spec.choices:
            widget.addItem(t(f"desk.settings.{spec.key}.{choice}"), choice)
    elif spec.max_length > LINE_LENGTH:
        widget = WrappedLine(parent)  # its length is the store's check, said on saving
    else:
        widget = QLineEdit(parent)
        widget.setMaxLength(spec.max_length)
    widget.setObjectName(f"setting-{spec.key}")
    widget.setAccessibleName(t(f"desk.settings.{spec.key}"))
    return widget


class SettingsForm(QGroupBox):
    def __init__(self, store: Store, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(t("desk.users.settings_title"), parent)
        self.store, self.t = store, t
        self.inputs: dict[str, QWidget] = {}
        self.unreadable = ""  # why some could not be read (those are disabled, never saved)
        form = QFormLayout(self)
        for key, spec in SETTINGS.items():
            widget = _input(spec, t, self)
            empty_means = _empty_means(key, store)
            if empty_means:
                widget.setPlaceholderText(empty_means)
                widget.setAccessibleDescription(t("desk.settings.empty_means", words=empty_means))
            try:
                self._show(widget, store.get_setting(key))
            except StoreError as error:
                widget.setEnabled(False)  # not saved over a value that could not be read
                self.unreadable = store_message(error, t)
            self.inputs[key] = widget
            caption = QLabel(t(f"desk.settings.{key}"), self)
            caption.setBuddy(widget)
            if isinstance(widget, WrappedLine):  # the form's whole width, its caption above
                form.addRow(caption)
                form.addRow(widget)
            else:
                form.addRow(caption, widget)

    @staticmethod
    def _show(widget: QWidget, value: Any) -> None:
        if isinstance(widget, QSpinBox):
            widget.setValue(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:
            widget.setText(value)

    @staticmethod
    def value(widget: QWidget) -> Any:
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        return widget.text().strip()

    def save(self, actor: str) -> str | None:
        """Store every readable setting; None when saved, else what the store said."""
        try:
            for key, widget in self.inputs.items():
                if widget.isEnabled():
                    self.store.set_setting(key, self.value(widget), actor=actor)
        except StoreError as error:
            return store_message(error, self.t)
        return None


class SettingsScroll(QScrollArea):
    """The form, scrolling down (never across) when the dialog is shorter than it; asks for
    room for all of it (Qt's own hint stops at 24 lines of text)."""

    def __init__(self, form: SettingsForm, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("settings-scroll")
        inner = QWidget(self)
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(form)
        column.addStretch(1)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(inner)
        self.setMinimumWidth(inner.minimumSizeHint().width() + self._bar_width())

    def _bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint()
        return QSize(inner.width() + self._bar_width(), inner.height() + 2 * self.frameWidth())
