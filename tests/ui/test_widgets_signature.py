"""The signature pad: strokes from a mouse and from a finger, PNG export, Clear, resume."""

from __future__ import annotations

import base64

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from screening_app.engine.definition import Item, Text
from screening_app.i18n import Translator
from ui.widgets import widget_for

SIGNATURE = Item(id="signature", type="signature", label=Text({"en": "Please sign here"}),
                 required=True)


def pad_in_window(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    widget = widget_for(SIGNATURE, Translator("en"))
    layout.addWidget(widget)
    window.resize(900, 500)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window, widget


def ink_pixels(value: dict) -> int:
    image = QImage.fromData(base64.b64decode(value["png"]), "PNG")
    assert not image.isNull()
    return sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).lightness() < 100)


def test_a_mouse_stroke_becomes_a_png_with_the_time_of_signing(qtbot):
    _window, widget = pad_in_window(qtbot)
    pad = widget.pad
    with qtbot.waitSignal(widget.changed) as signal:
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 100))
        for x in range(40, 400, 20):
            qtbot.mouseMove(pad, QPoint(x, 100 + (x % 60)))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, 120))
    value = signal.args[0]
    assert set(value) == {"png", "signed_at"}
    assert value["signed_at"].endswith("+00:00")
    assert ink_pixels(value) > 50
    assert pad.accessibleName() == "Please sign here"


def test_a_finger_draws_too(qtbot):
    _window, widget = pad_in_window(qtbot)
    pad = widget.pad
    device = QTest.createTouchDevice()
    with qtbot.waitSignal(widget.changed) as signal:
        QTest.touchEvent(pad, device).press(0, QPoint(50, 60), pad).commit()
        for x in range(60, 500, 25):
            QTest.touchEvent(pad, device).move(0, QPoint(x, 60 + x // 10), pad).commit()
        QTest.touchEvent(pad, device).release(0, QPoint(500, 110), pad).commit()
    assert ink_pixels(signal.args[0]) > 50


def test_clear_empties_the_pad_and_the_answer(qtbot):
    _window, widget = pad_in_window(qtbot)
    widget.pad.add_stroke([QPoint(10, 10), QPoint(200, 80)])
    assert widget.value() is not None
    with qtbot.waitSignal(widget.changed) as signal:
        qtbot.mouseClick(widget.clear_button, Qt.MouseButton.LeftButton)
    assert signal.args == [None]
    assert widget.pad.is_empty()


def test_a_stored_signature_is_shown_again(qtbot):
    _window, widget = pad_in_window(qtbot)
    widget.pad.add_stroke([QPoint(20, 20), QPoint(300, 120), QPoint(500, 40)])
    stored = widget.value()
    widget.clear()
    assert widget.pad.is_empty()
    widget.set_value(stored)
    assert not widget.pad.is_empty()
    assert widget.value()["signed_at"] == stored["signed_at"]
    assert ink_pixels(widget.value()) > 50


def ink_rows(image: QImage, other: QImage) -> list[int]:
    """The rows where two grabs of the pad differ."""
    return [y for y in range(image.height())
            if any(image.pixelColor(x, y) != other.pixelColor(x, y) for x in range(0, image.width(), 2))]


def test_the_hint_under_the_line_is_whole_at_the_largest_text(qtbot):
    """Seen at the kiosk's largest text (36 px): "Sign above the line with your finger" cut
    off at the pad's bottom edge. The hint's letters, descenders included, are as tall in the
    pad as the same words drawn with room to spare, and stay inside the pad's border."""
    from PySide6.QtGui import QColor, QFont, QPainter

    from ui.widgets.signature import SignaturePad

    hint = "Sign above the line with your finger"
    pad = SignaturePad(hint)
    font = QFont(pad.font())
    font.setPixelSize(36)
    pad.setFont(font)
    pad.resize(900, 240)
    qtbot.addWidget(pad)
    with_hint = pad.grab().toImage()
    pad.hint = ""
    rows = ink_rows(with_hint, pad.grab().toImage())
    free = QImage(900, 120, QImage.Format.Format_RGB32)
    free.fill(QColor("white"))
    painter = QPainter(free)
    drawn = QFont(font)
    drawn.setPixelSize(max(18, pad.fontMetrics().height()))
    painter.setFont(drawn)
    painter.setPen(QColor("black"))
    painter.drawText(free.rect(), Qt.AlignmentFlag.AlignCenter, hint)
    painter.end()
    blank = QImage(free)
    blank.fill(QColor("white"))
    whole = ink_rows(free, blank)
    assert rows and max(rows) < pad.height() - 2  # inside the border
    assert max(rows) - min(rows) >= max(whole) - min(whole) - 1
