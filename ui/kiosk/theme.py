"""The kiosk's look: a calm normal theme and a high-contrast one, each at three text sizes.

One style sheet template, filled from a colour set and a size set, applied to the kiosk
window (never to the application, so the desk keeps its own look). The palette is set too:
the custom-painted option rows and icons read their colours from it.

Sizes: body text 20 px, "Larger" 28 px (1.4x) and "Largest" 36 px (1.8x), never below
18 px; every touch target at least 52 px high, above the 44 px minimum. The chrome (top
bar, step header, footer) grows less than the questions (at most 28 px text), so that at
every supported size at least 60 % of the height is left for the questions; the text
column grows with the text, up to COLUMN_EMS of it (a comfortable line length).

Focus is always visible and never by
colour alone: buttons turn light blue with a thick dark border, fields get a thicker border
and a tinted background, option rows a thick dark ring plus a dashed line. Focus never
uses the warning colours (amber, yellow): a focused or tapped answer must not look like
one that needs checking.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFontDatabase, QPalette

from screening_app.resources import RESOURCES

FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Colours:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    border: str
    focus: str  # ring of option rows
    focus_fill: str  # background of a focused button
    focus_text: str
    field_focus: str  # background of a focused text field
    error: str
    error_fill: str
    warning: str
    warning_fill: str
    notice_fill: str
    disabled: str


NORMAL = Colours(
    background="#f4f4ef", surface="#ffffff", text="#141414", muted="#333333",
    primary="#1d4f91", on_primary="#ffffff", border="#4d4d4d",
    focus="#0b0c0c", focus_fill="#cfe3ff", focus_text="#0b0c0c", field_focus="#eef5ff",
    error="#a10000", error_fill="#fdeaea", warning="#6b4400", warning_fill="#fff2cc",
    notice_fill="#e8f0fa", disabled="#767676",
)

HIGH_CONTRAST = Colours(
    background="#000000", surface="#000000", text="#ffffff", muted="#ffffff",
    primary="#ffff00", on_primary="#000000", border="#ffffff",
    focus="#00ffff", focus_fill="#00ffff", focus_text="#000000", field_focus="#001a1a",
    error="#ff8c8c", error_fill="#000000", warning="#ffd24d", warning_fill="#000000",
    notice_fill="#000000", disabled="#b0b0b0",
)


@dataclass(frozen=True)
class Sizes:
    base: int
    small: int
    question: int
    title: int
    section: int  # a section's heading: the step title's weight, one size down
    hero: int
    code: int
    target: int
    chrome: int  # text of the top bar, the step header and the footer
    chrome_target: int  # their buttons' height


NORMAL_SIZES = Sizes(base=20, small=18, question=22, title=34, section=28, hero=42, code=56, target=52,
                     chrome=20, chrome_target=52)
LARGER_SIZES = Sizes(base=28, small=24, question=31, title=44, section=38, hero=54, code=68, target=64,
                     chrome=24, chrome_target=58)
LARGEST_SIZES = Sizes(base=36, small=30, question=40, title=50, section=45, hero=60, code=76, target=76,
                      chrome=28, chrome_target=62)
TEXT_SIZES = {"normal": NORMAL_SIZES, "larger": LARGER_SIZES, "largest": LARGEST_SIZES}
COLUMN_EMS = 56  # the text column's widest, in body text heights (~95 characters)


@dataclass(frozen=True)
class Theme:
    text: str = "normal"  # a key of TEXT_SIZES
    contrast: bool = False

    @property
    def large(self) -> bool:
        return self.text != "normal"

    @property
    def colours(self) -> Colours:
        return HIGH_CONTRAST if self.contrast else NORMAL

    @property
    def sizes(self) -> Sizes:
        return TEXT_SIZES.get(self.text, NORMAL_SIZES)

    @property
    def column_width(self) -> int:
        return COLUMN_EMS * self.sizes.base

    def palette(self) -> QPalette:
        c = self.colours
        palette = QPalette()
        roles = {
            QPalette.ColorRole.Window: c.background, QPalette.ColorRole.WindowText: c.text,
            QPalette.ColorRole.Base: c.surface, QPalette.ColorRole.Text: c.text,
            QPalette.ColorRole.Button: c.surface, QPalette.ColorRole.ButtonText: c.text,
            QPalette.ColorRole.Highlight: c.primary, QPalette.ColorRole.HighlightedText: c.on_primary,
            QPalette.ColorRole.PlaceholderText: c.muted, QPalette.ColorRole.ToolTipBase: c.surface,
            QPalette.ColorRole.ToolTipText: c.text,
        }
        for role, colour in roles.items():
            palette.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled))
        return palette

    def stylesheet(self) -> str:
        arrow = RESOURCES / "icons" / f"chevron-down-{'light' if self.contrast else 'dark'}.svg"
        return _TEMPLATE.format(c=self.colours, s=self.sizes, font=FONT_FAMILY,
                                thick_target=self.sizes.target - 4,
                                radius=8, arrow=arrow.as_posix())


_fonts_installed = False


def install_fonts() -> None:
    """Register the bundled DejaVu fonts, so every kiosk looks the same (once per process)."""
    global _fonts_installed
    if _fonts_installed:
        return
    for path in sorted((RESOURCES / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    _fonts_installed = True


_TEMPLATE = """
#kiosk {{ background: {c.background}; }}
QWidget {{ font-family: "{font}"; font-size: {s.base}px; color: {c.text}; }}
QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {c.background};
}}
QFrame#progress, QWidget#content {{ background: {c.background}; }}
QFrame#progress > QWidget, QFrame#footer > QWidget {{ background: transparent; }}
#topbar {{ background: {c.surface}; border-bottom: 2px solid {c.border}; }}
#footer, #action-dock {{ background: {c.surface}; border-top: 2px solid {c.border}; }}
#idle, #staff {{ background: {c.background}; }}

QLabel[role="hero"] {{ font-size: {s.hero}px; font-weight: bold; }}
QLabel[role="title"] {{ font-size: {s.title}px; font-weight: bold; }}
QLabel[role="section"] {{ font-size: {s.section}px; font-weight: bold; margin-top: {s.base}px; }}
QFrame#section-rule {{ border: none; background: {c.text}; min-height: 2px; max-height: 2px; }}
QLabel[role="subtitle"] {{ font-size: {s.question}px; font-weight: bold; }}
QLabel[role="question"] {{ font-size: {s.question}px; font-weight: bold; }}
QLabel[role="row-title"] {{ font-size: {s.question}px; font-weight: bold; }}
QLabel[role="intro"] {{ font-size: {s.base}px; }}
QLabel[role="help"] {{ color: {c.muted}; }}
QLabel[role="caption"] {{ font-size: {s.small}px; color: {c.muted}; }}
QLabel[role="muted"] {{ font-size: {s.small}px; color: {c.muted}; }}
QLabel[role="step"] {{ font-size: {s.base}px; font-weight: bold; }}
QLabel[role="code"] {{ font-family: "DejaVu Sans Mono"; font-size: {s.code}px; font-weight: bold;
    background: {c.surface}; border: 3px solid {c.border}; border-radius: 12px; padding: 12px 32px; }}
QLabel[role="answer"] {{ font-size: {s.base}px; }}
QLabel[role="answer-label"] {{ font-size: {s.base}px; color: {c.muted}; }}

QLineEdit, QPlainTextEdit, QComboBox {{
    min-height: {s.target}px; background: {c.surface}; color: {c.text};
    border: 2px solid {c.border}; border-radius: {radius}px; padding: 0px 12px;
    selection-background-color: {c.primary}; selection-color: {c.on_primary}; }}
QPlainTextEdit {{ padding: 6px 8px; }}
/* A thicker border takes room from inside the field, never from around it: a field that
   gets the focus or a problem keeps its size, so nothing below it moves. */
QLineEdit[problem="error"], QPlainTextEdit[problem="error"],
QComboBox[problem="error"] {{ border: 4px solid {c.error}; min-height: {thick_target}px; padding: 0px 10px; }}
QLineEdit[problem="warning"], QPlainTextEdit[problem="warning"],
QComboBox[problem="warning"] {{ border: 4px solid {c.warning}; min-height: {thick_target}px;
    padding: 0px 10px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{
    border: 4px solid {c.text}; background: {c.field_focus}; min-height: {thick_target}px;
    padding: 0px 10px; }}
QPlainTextEdit[problem="error"], QPlainTextEdit[problem="warning"], QPlainTextEdit:focus {{
    padding: 4px 6px; }}
QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 44px; border: none;
}}
QComboBox::down-arrow {{ image: url("{arrow}"); width: 22px; height: 22px; }}
QComboBox QAbstractItemView {{ background: {c.surface}; color: {c.text}; border: 2px solid {c.border};
    selection-background-color: {c.primary}; selection-color: {c.on_primary}; outline: none; }}
QComboBox QAbstractItemView::item {{ padding: 0px 12px; }}  /* rows: ui.widgets.date.MonthBox */

QPushButton {{ min-height: {s.target}px; min-width: {s.target}px; padding: 0px 24px;
    background: {c.surface}; color: {c.text}; border: 2px solid {c.text}; border-radius: {radius}px;
    font-weight: bold; }}
QPushButton#start {{ min-width: 220px; }}
QPushButton[role="primary"] {{
    background: {c.primary};
    color: {c.on_primary};
    border: 2px solid {c.primary};
}}
QPushButton[role="danger"] {{
    background: {c.error};
    color: {c.surface};
    border: 2px solid {c.error};
}}
QPushButton:pressed {{ padding-top: 3px; }}
QPushButton:focus {{
    background: {c.focus_fill};
    color: {c.focus_text};
    border: 4px solid {c.focus_text};
    padding: 0px 22px;  /* the thicker border takes it: a focused button keeps its size */
}}
QPushButton:disabled {{
    background: {c.background};
    color: {c.disabled};
    border: 2px dashed {c.disabled};
}}

OptionRadio, OptionCheck {{ qproperty-accent: {c.primary}; qproperty-focusColour: {c.focus};
    qproperty-ink: {c.text}; qproperty-paper: {c.surface}; }}

QFrame#problem[severity="error"] {{ background: {c.error_fill}; border: 2px solid {c.error};
    border-left: 8px solid {c.error}; border-radius: 4px; }}
QFrame#problem[severity="warning"] {{ background: {c.warning_fill}; border: 2px solid {c.warning};
    border-left: 8px solid {c.warning}; border-radius: 4px; }}
QFrame#problem[severity="error"] QLabel, QFrame#problem[severity="error"] ProblemIcon {{
    color: {c.error}; font-weight: bold; }}
QFrame#problem[severity="warning"] QLabel, QFrame#problem[severity="warning"] ProblemIcon {{
    color: {c.warning}; font-weight: bold; }}
QLabel[role="problem"], ProblemIcon[role="problem"] {{ color: {c.error}; font-weight: bold; }}
QFrame#status {{ background: {c.error_fill}; border: 2px solid {c.error}; border-radius: 4px; }}
QFrame#status QLabel, QFrame#status ProblemIcon {{ color: {c.error}; font-weight: bold; }}
QFrame#status[severity="warning"] {{ background: {c.warning_fill}; border: 2px solid {c.warning}; }}
QFrame#status[severity="warning"] QLabel, QFrame#status[severity="warning"] ProblemIcon {{
    color: {c.warning}; }}
QFrame#notice {{
    background: {c.notice_fill};
    border: 2px solid {c.primary};
    border-radius: {radius}px;
}}
QFrame#notice ProblemIcon {{ color: {c.primary}; }}
QFrame[role="card"] {{ background: {c.surface}; border: 2px solid {c.border}; border-radius: 10px; }}
QFrame[role="card"] QLabel {{ background: transparent; }}

QProgressBar {{ min-height: 16px; max-height: 16px; border: 2px solid {c.text}; border-radius: 8px;
    background: {c.surface}; }}
QProgressBar::chunk {{ background: {c.primary}; border-radius: 6px; }}
#topbar QWidget, #progress QWidget, #footer QWidget {{ font-size: {s.chrome}px; }}
#topbar QPushButton, #progress QPushButton, #footer QPushButton {{ min-height: {s.chrome_target}px; }}
QFrame#status QLabel {{ font-size: {s.small}px; }}

QScrollBar:vertical {{ width: 48px; background: {c.background}; border-left: 1px solid {c.border}; }}
QScrollBar::handle:vertical {{
    min-height: 80px;
    background: {c.border};
    border-radius: 10px;
    margin: 4px;
}}
QScrollBar::handle:vertical:disabled {{ background: transparent; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
"""
