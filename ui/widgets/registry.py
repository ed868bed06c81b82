"""One widget class per item type. The desk and the kiosk both render items through here."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from screening_app.engine.definition import Item
from screening_app.i18n import Translator
from ui.widgets.base import AnswerWidget
from ui.widgets.choice import ChoiceWidget, ConsentWidget, InfoWidget, MultiChoiceWidget
from ui.widgets.date import DateWidget
from ui.widgets.group import GroupWidget
from ui.widgets.signature import SignatureWidget
from ui.widgets.text import LongTextWidget, NumberWidget, TextWidget

WIDGETS: dict[str, type[AnswerWidget]] = {
    "text": TextWidget,
    "email": TextWidget,
    "phone": TextWidget,
    "long_text": LongTextWidget,
    "integer": NumberWidget,
    "decimal": NumberWidget,
    "year": NumberWidget,
    "date": DateWidget,
    "yes_no": ChoiceWidget,
    "yes_no_unsure": ChoiceWidget,
    "single_choice": ChoiceWidget,
    "multi_choice": MultiChoiceWidget,
    "consent": ConsentWidget,
    "info": InfoWidget,
    "signature": SignatureWidget,
    "group": GroupWidget,
}


def widget_for(item: Item, t: Translator, path: str | None = None,
               parent: QWidget | None = None) -> AnswerWidget:
    """The input widget for an item (a group field when `path` names its row)."""
    kind = WIDGETS[item.type]
    if kind is GroupWidget:  # its rows' fields are made here too
        return GroupWidget(item, t, path, parent, make_field=widget_for)
    return kind(item, t, path, parent)
