"""Light and dark themes that follow the OS, as one palette and one style sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Theme:
    name: str
    bg: str
    surface: str
    raised: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    ok: str
    warn: str
    alarm: str
    phrase_bg: str
    phrase_text: str
    mistake: str
    current_word: str
    on_alarm: str
    """Text on an alarm-coloured fill (the Record button)."""
    control: str
    """The edge of a control (button, field, box) and of the level meter: 3:1 on any ground."""
    focus: str
    """The keyboard focus ring: 3:1 on any ground and on the accent fill."""


LIGHT = Theme(
    name="light",
    bg="#f4f5f9",
    surface="#ffffff",
    raised="#eef0f6",
    text="#1c2230",
    muted="#5d6679",
    border="#dde1ea",
    accent="#4f46e5",
    accent_text="#ffffff",
    ok="#146c34",
    warn="#9a4a08",
    alarm="#c81e1e",
    phrase_bg="#fde68a",
    phrase_text="#3b2a00",
    mistake="#c42525",
    current_word="#c7d2fe",
    on_alarm="#ffffff",
    control="#7c8598",
    focus="#1d4ed8",
)
DARK = Theme(
    name="dark",
    bg="#14161b",
    surface="#1c1f27",
    raised="#262a34",
    text="#e7e9ef",
    muted="#9aa3b5",
    border="#2f3440",
    accent="#8b93ff",
    accent_text="#0f1020",
    ok="#4ade80",
    warn="#fbbf24",
    alarm="#f87171",
    phrase_bg="#7a5a0f",
    phrase_text="#fff6dd",
    mistake="#ff7a7a",
    current_word="#3b4474",
    on_alarm="#1f0a0a",
    control="#6f7890",
    focus="#fcd34d",
)


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    value = color.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_current = LIGHT
# Style rules of single pages, kept in the one application sheet: a sheet set on a page
# makes every theme change restyle that page's widgets twice (measured 2x slower).
_extra_sheets: list[Callable[[Theme], str]] = []


def register_sheet(sheet: Callable[[Theme], str]) -> None:
    """Add a page's rules to the application style sheet (now and on every theme change)."""
    if sheet in _extra_sheets:
        return
    _extra_sheets.append(sheet)
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.styleSheet():
        app.setStyleSheet(app.styleSheet() + sheet(_current))


def current() -> Theme:
    return _current


def notice_color(kind: str) -> str:
    """The colour of a one-line notice: "alarm", "warn", anything else muted."""
    t = _current
    return {"alarm": t.alarm, "warn": t.warn}.get(kind, t.muted)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply(app: QApplication, choice: str = "system") -> Theme:
    global _current
    dark = choice == "dark" or (choice == "system" and system_prefers_dark())
    _current = DARK if dark else LIGHT
    t = _current
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(t.bg))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(t.text))
    palette.setColor(QPalette.ColorRole.Base, QColor(t.surface))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor(t.raised))
    palette.setColor(QPalette.ColorRole.Text, QColor(t.text))
    palette.setColor(QPalette.ColorRole.Button, QColor(t.raised))
    palette.setColor(QPalette.ColorRole.ButtonText, QColor(t.text))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(t.accent))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor(t.accent_text))
    palette.setColor(QPalette.ColorRole.ToolTipBase, QColor(t.surface))
    palette.setColor(QPalette.ColorRole.ToolTipText, QColor(t.text))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(t.muted))
    palette.setColor(QPalette.ColorRole.Link, QColor(t.accent))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    app.setFont(font)
    app.setStyleSheet(style_sheet(t))
    return t


def style_sheet(t: Theme) -> str:
    return _base_sheet(t) + "".join(sheet(t) for sheet in _extra_sheets)


def _base_sheet(t: Theme) -> str:
    return f"""
QMainWindow, QDialog {{ background: {t.bg}; }}
QWidget {{ color: {t.text}; }}
QFrame#Sidebar {{ background: {t.surface}; border-right: 1px solid {t.border}; }}
QLabel#AppName {{ font-size: 17pt; font-weight: 700; color: {t.text}; }}
QLabel#AppTagline, QLabel#Muted {{ color: {t.muted}; }}
QLabel#SectionLabel {{ color: {t.muted}; font-size: 8.5pt; font-weight: 700;
    letter-spacing: 1px; }}
QLabel#PageTitle {{ font-size: 16pt; font-weight: 700; }}
QLabel#StepName {{ font-size: 20pt; font-weight: 800; color: {t.accent}; }}
QLabel#Clock {{ font-size: 40pt; font-weight: 700; }}
QLabel#Clock[compact="true"] {{ font-size: 24pt; }}
QLabel#AloudClock {{ font-size: 15pt; font-weight: 700; }}
QLabel#Score {{ font-size: 30pt; font-weight: 800; }}
QFrame#Card {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px; }}
QListWidget {{ background: transparent; border: 2px solid transparent; outline: none; }}
QListWidget::item {{ padding: 8px 10px; border-radius: 8px; margin: 1px 0; }}
QListWidget::item:selected {{ background: {t.raised}; color: {t.text};
    border-left: 3px solid {t.accent}; }}
QListWidget::item:hover {{ background: {t.raised}; }}
QPushButton {{ background: {t.raised}; border: 1px solid {t.control}; border-radius: 8px;
    padding: 7px 14px; }}
QPushButton:hover {{ border-color: {t.accent}; }}
QPushButton:disabled {{ color: {t.muted}; border-color: {t.border}; }}
QPushButton#Primary {{ background: {t.accent}; color: {t.accent_text}; font-weight: 700;
    border: 2px solid transparent; padding: 8px 17px; }}
QPushButton#Primary:disabled {{ background: {t.raised}; color: {t.muted};
    border: 2px solid transparent; }}
QPushButton#Record {{ background: {t.alarm}; color: {t.on_alarm}; font-weight: 700;
    font-size: 12pt; padding: 11px 25px; border-radius: 22px;
    border: 2px solid transparent; }}
QPushButton#Record:disabled {{ background: {t.raised}; color: {t.muted}; }}
QPushButton#Mode {{ text-align: left; padding: 7px 10px; background: transparent;
    font-weight: 600; border: 2px solid transparent; }}
QPushButton#Mode:checked {{ background: {t.raised}; color: {t.accent}; }}
QPushButton#Segment {{ border-radius: 6px; padding: 5px 10px; }}
QPushButton#Segment:checked {{ background: {t.accent}; color: {t.accent_text};
    border: 2px solid transparent; padding: 4px 9px; }}
QPushButton:focus, QPushButton#Segment:focus {{ border: 2px solid {t.focus}; }}
QPushButton#Primary:focus, QPushButton#Record:focus, QPushButton#Mode:focus,
QPushButton#Segment:checked:focus {{ border: 2px solid {t.focus}; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus,
QAbstractSpinBox:focus {{ border: 2px solid {t.focus}; }}
QListWidget:focus, QTextBrowser:focus, QSlider:focus {{ border: 2px solid {t.focus};
    border-radius: 8px; }}
QTabBar:focus {{ border: 2px solid {t.focus}; border-radius: 6px; }}
QTextBrowser {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px;
    padding: 8px; }}
QTextBrowser#Bare {{ border: 2px solid transparent; border-radius: 6px; padding: 0; }}
QTextBrowser#Bare:focus {{ border: 2px solid {t.focus}; }}
QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox {{ background: {t.surface};
    border: 1px solid {t.control}; border-radius: 7px; padding: 6px 8px; }}
QComboBox {{ padding-right: 26px; }}
QComboBox::drop-down {{ border: none; width: 24px; subcontrol-origin: padding;
    subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: none; width: 0; height: 0; margin-right: 8px;
    border-left: 5px solid transparent; border-right: 5px solid transparent;
    border-top: 6px solid {t.muted}; }}
QComboBox QAbstractItemView {{ background: {t.surface}; border: 1px solid {t.border};
    selection-background-color: {t.raised}; selection-color: {t.text}; }}
QStatusBar {{ background: {t.surface}; border-top: 1px solid {t.border}; color: {t.muted}; }}
QToolTip {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border};
    padding: 6px; }}
QScrollArea {{ border: none; background: transparent; }}
QScrollArea#Coaching > QWidget > QWidget {{ background: transparent; }}
QLabel#Judgement {{ background: {t.raised}; border-radius: 8px; padding: 8px 12px; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 4px; min-height: 24px; }}
QScrollBar::handle:vertical:hover {{ background: {t.muted}; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: {t.border}; border-radius: 4px; min-width: 24px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ padding: 7px 14px; border: none; color: {t.muted}; }}
QTabBar::tab:selected {{ color: {t.accent}; border-bottom: 2px solid {t.accent}; }}
"""
