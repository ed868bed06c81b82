"""The desk's look: a plain office style sheet, sized from one text size (100/125/150 %).

Applied to the desk window only (the kiosk keeps its own); dialogs opened by the window
inherit it. Sizes are in points, so the operating system's display scaling applies on
top. Colours meet WCAG AA contrast on white and are never the only signal.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from screening_app.resources import RESOURCES

FONT_FAMILY = "DejaVu Sans"
BASE_POINTS = 10.0
TEXT_SCALES = (100, 125, 150)
_fonts_loaded = False


def load_fonts() -> None:
    """The bundled font, so the desk reads the same on every computer."""
    global _fonts_loaded
    if _fonts_loaded:
        return
    for path in sorted((RESOURCES / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    _fonts_loaded = True


def style_sheet(scale: int = 100) -> str:
    base = BASE_POINTS * scale / 100
    big, section, title, code = base * 1.15, base * 1.3, base * 1.5, base * 2.6
    arrows, chevron = round(2.2 * base), round(1.1 * base)  # a spin box's buttons, in pixels
    up, down = ((RESOURCES / "icons" / f"chevron-{way}-dark.svg").as_posix() for way in ("up", "down"))
    return f"""
QWidget {{ font-family: "{FONT_FAMILY}"; font-size: {base:.1f}pt; }}
QLabel[role="title"], QLabel#card-title {{ font-size: {title:.1f}pt; font-weight: bold; }}
QLabel[role="section"] {{ font-weight: bold; color: #1f1f1f; margin-top: 6px; }}
QLabel#section-heading {{ font-size: {section:.1f}pt; }}  /* above its questions, below the step */
QLabel[role="question"] {{ font-size: {big:.1f}pt; font-weight: bold; }}
QLabel[role="help"], QLabel[role="muted"] {{ color: #444444; }}
QLabel[role="problem"] {{ color: #a10000; }}
QLabel[role="row-title"] {{ font-weight: bold; }}
QLabel[role="intro"] {{ color: #333333; }}
QLabel#code {{ font-size: {code:.1f}pt; font-weight: bold; font-family: "DejaVu Sans Mono";
              padding: 8px 16px; background: #f1f3f4; border: 1px solid #9aa0a6; }}
QLabel#message[kind="error"], QLabel#note[kind="error"] {{ color: #a10000; font-weight: bold; }}
QLabel#message[kind="notice"] {{ color: #0b4f99; }}
QFrame#problem {{ border-left: 4px solid #a10000; background: #fdeaea; }}
QLabel#dbPath {{ font-family: "DejaVu Sans Mono"; padding: 6px 10px; background: #f1f3f4;
                border: 1px solid #9aa0a6; }}
QLabel#integrityBanner, QLabel#serverBanner {{ color: #5c0000; background: #fdeaea;
    border-bottom: 2px solid #a10000; padding: 8px 12px; font-weight: bold; }}
QFrame#problem[severity="warning"] {{ border-left: 4px solid #8a5a00; background: #fff2cc; }}
QFrame#card {{ background: #ffffff; border: 1px solid #c4c7c5; border-radius: 8px; }}
QFrame#duplicates {{ background: #fff2cc; border: 1px solid #8a5a00; border-radius: 6px; }}
QFrame[role="card"] {{ border: 1px solid #c4c7c5; border-radius: 6px; }}
QPushButton {{ padding: 5px 14px; }}
QLineEdit, QPlainTextEdit, QSpinBox {{ padding: 4px; border: 1px solid #80868b;
    border-radius: 3px; background: #ffffff; }}
QLineEdit:focus, QPlainTextEdit:focus, QSpinBox:focus {{ border: 2px solid #0b57d0;
    padding: 3px; background: #fffbe6; }}
QLineEdit[problem="error"], QPlainTextEdit[problem="error"] {{ border: 2px solid #a10000; }}
QSpinBox {{ padding-right: {arrows}px; }}
QSpinBox::up-button, QSpinBox::down-button {{ subcontrol-origin: border; width: {arrows}px;
    background: #f1f3f4; border-left: 1px solid #80868b; }}
QSpinBox::up-button {{ subcontrol-position: top right; border-bottom: 1px solid #c4c7c5;
    border-top-right-radius: 3px; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; border-bottom-right-radius: 3px; }}
QSpinBox::up-button:hover, QSpinBox::down-button:hover {{ background: #dde3ea; }}
QSpinBox::up-arrow {{ image: url("{up}"); width: {chevron}px; height: {chevron}px; }}
QSpinBox::down-arrow {{ image: url("{down}"); width: {chevron}px; height: {chevron}px; }}
QComboBox {{ padding: 3px 6px; }}
QTableView, QTreeWidget, QTableWidget {{ gridline-color: #dadce0; }}
QHeaderView::section {{ padding: 4px 6px; font-weight: bold; }}
QStatusBar QLabel {{ color: #333333; }}
"""


def fit(dialog, width_em: float, height_em: float) -> None:
    """Size a dialog in text units (so 150 % text gets a larger dialog), within the screen."""
    dialog.ensurePolished()
    em = dialog.fontMetrics().horizontalAdvance("M")
    width, height = int(width_em * em), int(height_em * em)
    parent = dialog.parentWidget()
    room = parent.window().size() if parent is not None else (
        dialog.screen().availableGeometry().size() if dialog.screen() is not None else None)
    if room is not None:  # never larger than the window it belongs to
        width, height = min(width, room.width() - 40), min(height, room.height() - 60)
    dialog.resize(max(width, dialog.minimumSizeHint().width()), height)
