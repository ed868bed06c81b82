"""A signature drawn with a finger, a stylus or a mouse, with a "Clear" button.

The pad paints its strokes as they are drawn (touch and mouse events both) and exports
them as a PNG (black ink on white, independent of the screen's theme), base64-encoded,
with the time of signing: `{"png": "...", "signed_at": "2026-11-20T15:04:05+00:00"}`.
A stored signature is shown again as an image; drawing on it adds strokes.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from ui.widgets.base import AnswerWidget
from ui.widgets.common import DESTRUCTIVE_GAP, make_button

INK = QColor("#111111")
PAPER = QColor("#ffffff")


class SignaturePad(QWidget):
    """The drawing surface. `stroke_finished` after each stroke; `clear()` empties it."""

    stroke_finished = Signal()

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature-pad")
        self.setProperty("ownsDrags", True)  # a page that scrolls by dragging leaves it alone
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.hint = hint
        self._strokes: list[list[QPointF]] = []
        self._current: list[QPointF] | None = None
        self._image: QImage | None = None  # a stored signature being shown again

    def sizeHint(self) -> QSize:
        return QSize(800, 240)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, 200)

    # -- contents ----------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes and self._image is None

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._image = None
        self.update()

    def set_image(self, image: QImage | None) -> None:
        self.clear()
        self._image = image if image is not None and not image.isNull() else None
        self.update()

    def add_stroke(self, points: list[QPointF]) -> None:
        """Add a finished stroke (used by tests and the screenshot renderer)."""
        if points:
            self._strokes.append(list(points))
            self.update()
            self.stroke_finished.emit()

    def to_image(self) -> QImage:
        size = self.size() if self.width() > 10 else self.sizeHint()
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        self._paint_ink(painter)
        painter.end()
        return image

    def to_png_base64(self) -> str:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")
        buffer.close()
        return base64.b64encode(bytes(data)).decode("ascii")

    # -- input -------------------------------------------------------------------------

    def _begin(self, point: QPointF) -> None:
        self._current = [point]
        self._strokes.append(self._current)
        self.update()

    def _extend(self, point: QPointF) -> None:
        if self._current is not None:
            self._current.append(point)
            self.update()

    def _end(self, point: QPointF) -> None:
        if self._current is not None:
            self._current.append(point)
            self._current = None
            self.update()
            self.stroke_finished.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            points = event.points()
            if points:
                where = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(where)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(where)
                else:
                    self._end(where)
            event.accept()
            return True
        return super().event(event)

    # -- painting ----------------------------------------------------------------------

    def _paint_ink(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._image is not None:  # shown whole, in proportion, top left
            scale = min(self.width() / self._image.width(), self.height() / self._image.height())
            painter.drawImage(QRectF(0, 0, self._image.width() * scale, self._image.height() * scale),
                              self._image)
        painter.setPen(QPen(INK, 3.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0])
                continue
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            painter.drawPath(path)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        guide = QColor("#6b6b6b")
        font = painter.font()
        font.setPixelSize(max(18, self.fontMetrics().height()))
        painter.setFont(font)
        # The room under the line is the hint's own height: at the largest text a fixed
        # 40 px cut the hint off at the pad's edge.
        line = painter.fontMetrics().height()
        baseline = self.height() - line - 12
        painter.setPen(QPen(guide, 2))
        painter.drawLine(30, baseline, self.width() - 30, baseline)
        painter.drawText(QRectF(30, baseline - line - 4, line, line), Qt.AlignmentFlag.AlignCenter, "✕")
        if self.is_empty() and self.hint:
            painter.drawText(QRectF(0, baseline + 4, self.width(), line + 4), Qt.AlignmentFlag.AlignCenter,
                             self.hint)
        self._paint_ink(painter)
        border = QColor("#111111") if not self.hasFocus() else QColor("#1f4e8c")
        painter.setPen(QPen(border, 4 if self.hasFocus() else 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))


class SignatureWidget(AnswerWidget):
    """`signature`: the pad, Clear, and (after Clear) "Bring back my signature".

    The answer changes after every stroke. Clear is DESTRUCTIVE_GAP px below the pad, so
    a hand that shakes while signing does not clear it; a cleared signature can be brought
    back until a new stroke is drawn or the page is left (the widget goes with the page).
    """

    def build(self) -> None:
        self.pad = SignaturePad(self.t("widgets.signature.hint"), self)
        self.pad.stroke_finished.connect(self._stroke)
        self.clear_button = make_button(self.t("widgets.signature.clear"), parent=self)
        self.clear_button.setObjectName("signature-clear")
        self.clear_button.clicked.connect(self._clear_clicked)
        self.undo_button = make_button(self.t("widgets.signature.undo"), parent=self)
        self.undo_button.setObjectName("signature-undo")
        self.undo_button.clicked.connect(self._undo_clicked)
        self.undo_button.setVisible(False)
        self.body.addWidget(self.pad)
        self.body.addSpacing(DESTRUCTIVE_GAP - self.body.spacing())
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(DESTRUCTIVE_GAP)
        row.addWidget(self.clear_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        self.body.addLayout(row)
        self._signed_at: str | None = None
        self._cleared: Any = None  # the signature before Clear, while it can come back

    def inputs(self) -> list[QWidget]:
        return [self.pad, self.clear_button, self.undo_button]

    def focus_chain(self) -> list[QWidget]:
        return [w for w in super().focus_chain() if w is not self.undo_button or w.isVisibleTo(self)]

    def _accessible_names(self, question: str) -> dict[QWidget, str]:
        return {self.pad: question, self.clear_button: self.t("widgets.signature.clear"),
                self.undo_button: self.t("widgets.signature.undo")}

    def _stroke(self) -> None:
        self._signed_at = datetime.now(UTC).isoformat(timespec="seconds")
        self._forget_cleared()
        self._emit_change()

    def _clear_clicked(self) -> None:
        if self.pad.is_empty():
            return
        self._cleared = self.value()
        self.pad.clear()
        self._signed_at = None
        self.undo_button.setVisible(True)
        self._emit_change()

    def _undo_clicked(self) -> None:
        cleared = self._cleared
        self._forget_cleared()
        self._apply(cleared)
        self.clear_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._emit_change()

    def _forget_cleared(self) -> None:
        self._cleared = None
        self.undo_button.setVisible(False)

    def value(self) -> Any:
        if self.pad.is_empty():
            return None
        return {"png": self.pad.to_png_base64(),
                "signed_at": self._signed_at or datetime.now(UTC).isoformat(timespec="seconds")}

    def _apply(self, value: Any) -> None:
        self._forget_cleared()
        image = None
        if isinstance(value, dict) and isinstance(value.get("png"), str):
            try:
                image = QImage.fromData(base64.b64decode(value["png"], validate=True), "PNG")
            except ValueError:
                image = None
            self._signed_at = value.get("signed_at") if isinstance(value.get("signed_at"), str) else None
        else:
            self._signed_at = None
        self.pad.set_image(image)
