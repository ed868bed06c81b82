"""A combo box that a screen reader announces by its accessible name, on Linux too.

Qt's own accessible combo box gives its *current text* as its name on Linux ("January"),
expecting a label relation to say what the box is for; a person hears "January, combo
box" and not which date it belongs to. `NamedComboBox` is a QComboBox whose accessible
interface (made here, through Qt's accessibility factory) answers its accessibleName for
Name, its current text for Value, and otherwise behaves as a combo box: a list child, the
expanded state, and "show menu" / "press" to open it.

`HeadingLabel` is a QLabel that assistive technology is told is a heading (Qt's own
label says "static text"), so a screen reader user hears a step's title and a section's
heading as headings and can move between them, as a sighted person scans them.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QComboBox, QLabel

_OPEN = (QAccessibleActionInterface.showMenuAction(), QAccessibleActionInterface.pressAction())


class NamedComboBox(QComboBox):
    """A QComboBox named by its accessibleName for assistive technology on every platform."""

    def __init__(self, parent=None) -> None:
        _install()
        super().__init__(parent)


class _NamedComboAccessible(QAccessibleWidget):
    def __init__(self, combo: NamedComboBox) -> None:
        super().__init__(combo, QAccessible.Role.ComboBox)

    def _combo(self) -> NamedComboBox:
        return self.widget()

    def text(self, kind: QAccessible.Text) -> str:
        combo = self._combo()
        if kind == QAccessible.Text.Name:
            return combo.accessibleName() or combo.currentText()
        if kind == QAccessible.Text.Value:
            return combo.currentText()
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        state.expandable = True
        state.hasPopup = True
        state.expanded = self._combo().view().isVisible()
        state.collapsed = not state.expanded
        return state

    def childCount(self) -> int:
        return 1

    def child(self, index: int) -> QAccessibleInterface | None:
        return QAccessible.queryAccessibleInterface(self._combo().view()) if index == 0 else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return 0 if child is not None and child.object() is self._combo().view() else -1

    def actionNames(self) -> list[str]:
        return [*_OPEN, *(name for name in super().actionNames() if name not in _OPEN)]

    def doAction(self, name: str) -> None:
        if name in _OPEN:
            self._combo().showPopup()
        else:
            super().doAction(name)


class HeadingLabel(QLabel):
    """A label announced as a heading, named by its text (or its accessibleName)."""

    def __init__(self, parent=None) -> None:
        _install()
        super().__init__(parent)


class _HeadingAccessible(QAccessibleWidget):
    def __init__(self, label: HeadingLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)

    def text(self, kind: QAccessible.Text) -> str:
        label = self.widget()
        if kind == QAccessible.Text.Name:
            return label.accessibleName() or label.text()
        return super().text(kind)


def _factory(key: str, target) -> QAccessibleInterface | None:
    if isinstance(target, NamedComboBox):
        return _NamedComboAccessible(target)
    if isinstance(target, HeadingLabel):
        return _HeadingAccessible(target)
    return None


_installed = False


def _install() -> None:
    """Register the factory once per process, before the first widget it serves exists."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
