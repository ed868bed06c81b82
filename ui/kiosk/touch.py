"""Scrolling with a finger: drag a page up or down anywhere, flick it, and it glides.

Most steps and the review are taller than the screen, and a 48 px scroll bar is not what
a person reaches for on a touchscreen. Every kiosk scroll area is dragged by a QScroller
on its viewport with the *left mouse button* gesture: a finger on a touchscreen arrives
as such a press once no widget takes the touch itself, so one gesture serves fingers and
mice. (The touch gesture would let the row under the finger be chosen by the same drag
that scrolls; the mouse gesture holds the press back until it is clearly a tap or a drag.)

A drag does not scroll when it starts on something that needs drags for itself: the
signature pad (a finger or a mouse draws there; it says so with the dynamic property
`ownsDrags`), a text field that already has the focus
(a drag selects its text), or a slider. A tap is still a tap everywhere.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QScroller,
    QScrollerProperties,
    QWidget,
)

_METRIC = QScrollerProperties.ScrollMetric
_OFF = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff


def mark_drag_scrolling(area: QAbstractScrollArea) -> None:
    """Ask for `area` to be dragged by a finger, from `enable_drag_scrolling_in` on: the
    first scroller costs ~15-25 ms of CPU (Qt for Python wraps the viewport's type), which
    the window spends just after its first paint rather than before it."""
    area.setProperty("dragScroll", "wanted")


def enable_drag_scrolling_in(root: QWidget) -> None:
    """Drag scrolling for every scroll area below `root` that asked for it (once each)."""
    for area in root.findChildren(QAbstractScrollArea):
        if area.property("dragScroll") == "wanted":
            enable_drag_scrolling(area)


def enable_drag_scrolling(area: QAbstractScrollArea) -> None:
    """Let a finger or a mouse drag `area`'s content (kinetic, no bounce at the ends)."""
    area.setProperty("dragScroll", "on")
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    # No rubber-band bounce past the ends: motion that means nothing is only distracting.
    properties.setScrollMetric(_METRIC.VerticalOvershootPolicy, _OFF)
    properties.setScrollMetric(_METRIC.HorizontalOvershootPolicy, _OFF)
    scroller.setScrollerProperties(properties)
    viewport.installEventFilter(_DragGuard(viewport))


def drags_itself(widget: QWidget | None, page: QWidget) -> bool:
    """Whether a drag that starts on `widget` (inside `page`) belongs to it, not to the page."""
    while widget is not None and widget is not page:
        if isinstance(widget, QAbstractSlider) or widget.property("ownsDrags"):
            return True
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            return widget.hasFocus()
        widget = widget.parentWidget()
    return False


class _DragGuard(QObject):
    """Refuses to start scrolling (ignores ScrollPrepare) where a drag belongs to a widget,
    and stops a page that is still gliding when it is hidden (Next during a flick): an
    active scroller keeps the presses on its part of the screen for itself."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and QScroller.hasScroller(watched):
            QScroller.scroller(watched).stop()
            return False
        if event.type() != QEvent.Type.ScrollPrepare or not isinstance(watched, QWidget):
            return False
        start = event.startPos().toPoint()
        under = watched.childAt(start) or watched
        # While it waits to see tap or drag, the scroller holds the press back and then gives
        # it to the widget on screen at that spot; a press where that is another widget (or
        # none: outside the visible part, or off the screen, as only a program can press)
        # would be lost, so it is left alone.
        on_screen = QApplication.widgetAt(watched.mapToGlobal(start)) is under
        if not on_screen or drags_itself(under, watched):
            event.ignore()
            return True
        return False
