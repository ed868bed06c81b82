"""The clinic settings on the desk's "Users and settings" dialog: one input for each
setting of the store's registry (screening_app/store/settings.py), made from it: a number
box with the setting's range, a list of its choices, or a line of text. The command line's
`settings` shows the same settings; adding one to the registry adds it here."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QWidget

from screening_app.i18n import Translator
from screening_app.store import Store, StoreError
from screening_app.store.settings import SETTINGS, Setting
from ui.desk.store_text import store_message


def _input(spec: Setting, t: Translator, parent: QWidget) -> QWidget:
    if spec.is_number:
        widget: QWidget = QSpinBox(parent)
        widget.setRange(spec.minimum, spec.maximum)
        widget.setSuffix(t(f"desk.settings.{spec.key}.suffix"))
    elif spec.choices:
        widget = QComboBox(parent)
        for choice in spec.choices:
            widget.addItem(t(f"desk.settings.{spec.key}.{choice}"), choice)
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
            try:
                self._show(widget, store.get_setting(key))
            except StoreError as error:
                widget.setEnabled(False)  # not saved over a value that could not be read
                self.unreadable = store_message(error, t)
            self.inputs[key] = widget
            caption = QLabel(t(f"desk.settings.{key}"), self)
            caption.setBuddy(widget)
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
