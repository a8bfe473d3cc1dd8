"""Building blocks of Study mode: the reading column, cards, chips, level panels, and the
page's style sheet (drawn from the active theme)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from starcoach.report.study import mix
from starcoach.ui.shell import theme
from starcoach.ui.shell.theme import Theme

COLUMN_WIDTH = 760
"""The reading column: about 80 characters a line at the body size."""
SCROLLBAR_WIDTH = 12

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def study_style_sheet(t: Theme) -> str:
    """Rules for Study's own object names; the app sheet (theme.py) still styles the rest."""
    tint = 0.16 if t.name == "dark" else 0.09
    warn_bg = mix(t.warn, t.surface, tint)
    weak_bg = mix(t.alarm, t.surface, tint)
    strong_bg = mix(t.ok, t.surface, tint)
    accent_bg = mix(t.accent, t.surface, tint)
    return f"""
QWidget#StudyColumn, QWidget#StudyHost {{ background: transparent; }}
QFrame#StudyCard {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: 12px; }}
QLabel#StudyTitle {{ font-size: 17pt; font-weight: 700; }}
QLabel#Principle {{ color: {t.accent}; font-weight: 600; }}
QLabel#Heading {{ font-size: 13pt; font-weight: 700; }}
QLabel#CardTitle {{ font-size: 12.5pt; font-weight: 700; }}
QLabel#Label, QLabel#PanelTitle {{ color: {t.muted}; font-size: 8.5pt; font-weight: 700;
    letter-spacing: 1px; }}
QLabel#Body {{ font-size: 11pt; }}
QLabel#Muted {{ color: {t.muted}; }}
QLabel#Small {{ color: {t.muted}; font-size: 9pt; }}
QLabel#Badge {{ background: {t.accent}; color: {t.accent_text}; border-radius: 17px;
    font-size: 13pt; font-weight: 800; }}
QLabel#SmallBadge {{ background: {accent_bg}; color: {t.accent}; border-radius: 12px;
    font-weight: 800; }}
QLabel#Timing {{ background: {t.raised}; color: {t.muted}; border: 1px solid {t.border};
    border-radius: 11px; padding: 2px 10px; font-size: 9.5pt; font-weight: 600; }}
QLabel#YourLevel {{ background: {t.accent}; color: {t.accent_text}; border-radius: 7px;
    padding: 2px 9px; font-size: 8.5pt; font-weight: 700; }}
QFrame#Mistake {{ background: {warn_bg}; border: none; border-left: 3px solid {t.warn};
    border-radius: 6px; }}
QLabel#MistakeLabel {{ color: {t.warn}; font-size: 8.5pt; font-weight: 700;
    letter-spacing: 1px; }}
QFrame#Weak {{ background: {weak_bg}; border: none; border-left: 3px solid {t.alarm};
    border-radius: 6px; }}
QLabel#WeakLabel {{ color: {t.alarm}; font-size: 8.5pt; font-weight: 700;
    letter-spacing: 1px; }}
QFrame#Strong {{ background: {strong_bg}; border: none; border-left: 3px solid {t.ok};
    border-radius: 6px; }}
QLabel#StrongLabel {{ color: {t.ok}; font-size: 8.5pt; font-weight: 700;
    letter-spacing: 1px; }}
QFrame#Verdict {{ background: {t.raised}; border: 1px solid {t.border}; border-radius: 8px; }}
QLabel#Cross {{ color: {t.alarm}; font-weight: 800; }}
QFrame#LevelPanel {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: 10px; }}
QFrame#LevelPanel[current="true"] {{ border: 2px solid {t.accent}; background: {accent_bg}; }}
QFrame#LevelPanel[current="false"] QLabel#Body {{ color: {t.muted}; }}
QFrame#Tile {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 10px; }}
QLabel#TileTime {{ font-size: 14pt; font-weight: 700; }}
QFrame#QuizOption {{ background: {t.surface}; border: 1px solid {t.border};
    border-radius: 8px; }}
QFrame#QuizOption[state="open"]:hover {{ border-color: {t.accent}; }}
QFrame#QuizOption[state="open"]:focus {{ border: 2px solid {t.accent}; }}
QFrame#QuizOption[state="correct"] {{ background: {strong_bg}; border: 2px solid {t.ok}; }}
QFrame#QuizOption[state="wrong"] {{ background: {weak_bg}; border: 2px solid {t.alarm}; }}
QFrame#QuizOption[state="dim"] QLabel {{ color: {t.muted}; }}
QLabel#OptionLetter {{ background: {t.raised}; color: {t.muted}; border-radius: 12px;
    font-weight: 700; }}
QFrame#QuizOption[state="correct"] QLabel#OptionLetter {{ background: {t.ok};
    color: {t.surface}; }}
QFrame#QuizOption[state="wrong"] QLabel#OptionLetter {{ background: {t.alarm};
    color: {t.surface}; }}
QLabel#Right {{ color: {t.ok}; font-weight: 700; font-size: 11pt; }}
QLabel#Wrong {{ color: {t.alarm}; font-weight: 700; font-size: 11pt; }}
QFrame#Explanation {{ background: {t.raised}; border: none; border-radius: 8px; }}
QTabBar#StudyTabs {{ background: transparent; }}
QTabBar#StudyTabs::tab {{ padding: 8px 14px; margin-right: 2px; font-weight: 600; }}
QTabBar#StudyTabs::tab:hover {{ color: {t.text}; }}
QScrollArea#StudyScroll QScrollBar:vertical {{ background: transparent;
    width: {SCROLLBAR_WIDTH}px; margin: 0; }}
QScrollArea#StudyScroll QScrollBar::handle:vertical {{ background: {mix(t.muted, t.bg, 0.45)};
    border-radius: 3px; min-height: 40px; margin: 3px 3px; }}
QScrollArea#StudyScroll QScrollBar::handle:vertical:hover {{ background: {t.muted}; }}
QScrollArea#StudyScroll QScrollBar::add-line:vertical,
QScrollArea#StudyScroll QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollArea#StudyScroll QScrollBar::add-page:vertical,
QScrollArea#StudyScroll QScrollBar::sub-page:vertical {{ background: none; }}
QFrame#Rule {{ background: {t.border}; border: none; max-height: 1px; min-height: 1px; }}
"""


def repolish(widget: QWidget) -> None:
    """Re-apply style rules after a dynamic property changed, children included."""
    for w in [widget, *widget.findChildren(QWidget)]:
        w.style().unpolish(w)
        w.style().polish(w)
    widget.update()


def label(text: str, name: str = "Body", *, rich: bool = False, select: bool = True) -> QLabel:
    """A wrapped label; rich text only where the caller made the HTML (already escaped)."""
    lab = QLabel()
    lab.setObjectName(name)
    lab.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    lab.setText(text)
    lab.setWordWrap(True)
    if select:
        lab.setTextInteractionFlags(SELECTABLE)
        # Focus on click so Ctrl+C copies a selection; Tab stays for the controls.
        lab.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return lab


def body(html: str) -> QLabel:
    """Reading text: rich (already escaped), roomier line spacing."""
    return label(f'<div style="line-height:145%">{html}</div>', "Body", rich=True)


def caps(text: str, name: str = "Label") -> QLabel:
    """A small upper-case label over a block of content."""
    return label(text.upper(), name, select=False)


def pill(text: str, name: str) -> QLabel:
    lab = QLabel(text)
    lab.setObjectName(name)
    lab.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return lab


def badge(letter: str, size: int = 34, name: str = "Badge") -> QLabel:
    lab = QLabel(letter)
    lab.setObjectName(name)
    lab.setFixedSize(size, size)
    lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return lab


def rule() -> QFrame:
    line = QFrame()
    line.setObjectName("Rule")
    line.setFixedHeight(1)
    return line


class Box(QFrame):
    """A framed block (card, tinted note) with a vertical layout inside."""

    def __init__(self, name: str = "StudyCard", margins: int = 20, spacing: int = 10) -> None:
        super().__init__()
        self.setObjectName(name)
        self.v = QVBoxLayout(self)
        # Reading text ends in its own line spacing: a little less at the bottom looks even.
        self.v.setContentsMargins(margins, margins - 2, margins, max(0, margins - 4))
        self.v.setSpacing(spacing)

    def add(self, *widgets: QWidget) -> Box:
        for w in widgets:
            self.v.addWidget(w)
        return self

    def block(self, *widgets: QWidget, gap: int = 8) -> Box:
        """A group (a small label and its content), set apart from the group before it."""
        if self.v.count():
            self.v.addSpacing(gap)
        return self.add(*widgets)


class LevelPanel(Box):
    """Guidance for one level; the reader's level stands out, the other stays readable."""

    def __init__(self, level: str, title: str, compact: bool = False) -> None:
        super().__init__("LevelPanel", margins=14 if compact else 18, spacing=8)
        self.level = level
        head = QHBoxLayout()
        head.setSpacing(8)
        if compact:
            self.title = label(title.upper(), "PanelTitle", select=False)
        else:
            self.title = label(title, "CardTitle", select=False)
        head.addWidget(self.title, 1)
        self.yours = pill("YOUR LEVEL", "YourLevel")
        head.addWidget(self.yours, 0, Qt.AlignmentFlag.AlignTop)
        self.v.addLayout(head)
        self.setProperty("current", "false")
        self.yours.hide()

    def set_level(self, level: str) -> None:
        current = level == self.level
        if self.property("current") == ("true" if current else "false"):
            return
        self.setProperty("current", "true" if current else "false")
        self.yours.setVisible(current)
        repolish(self)


class Column(QWidget):
    """The centred reading column of one section; remembers its level-aware parts."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("StudyColumn")
        self.setMaximumWidth(COLUMN_WIDTH)
        self.v = QVBoxLayout(self)
        self.v.setContentsMargins(0, 20, 0, 36)
        self.v.setSpacing(14)
        self.level_panels: list[LevelPanel] = []

    def add(self, widget: QWidget, space_before: int = 0) -> None:
        if space_before:
            self.v.addSpacing(space_before)
        self.v.addWidget(widget)

    def heading(self, text: str, space_before: int = 10) -> None:
        self.add(label(text, "Heading", select=False), space_before)

    def panel(self, panel: LevelPanel) -> LevelPanel:
        self.level_panels.append(panel)
        return panel

    def set_level(self, level: str) -> None:
        for panel in self.level_panels:
            panel.set_level(level)

    def finish(self) -> None:
        """Nothing more will be added: keep the content at the top."""
        self.v.addStretch(1)


class ColumnHost(QWidget):
    """Lives in a scroll area for good and centres the current Column in it.

    Swapping the column inside a widget that stays put lays the new one out once, at the
    right width; replacing the scroll area's widget would lay it out twice.
    """

    def __init__(self, side_margin: int) -> None:
        super().__init__()
        self.setObjectName("StudyHost")
        self._h = QHBoxLayout(self)
        self._h.setContentsMargins(side_margin, 0, side_margin, 0)
        self._h.setSpacing(0)
        self._h.addStretch(1)
        self._h.addStretch(1)
        self.column: Column | None = None

    def set_column(self, column: Column | None) -> None:
        old = self.column
        if old is not None:
            old.hide()
            self._h.removeWidget(old)
            old.deleteLater()
        self.column = column
        if column is not None:
            self._h.insertWidget(1, column, 100)


class Chips(QWidget):
    """Key phrases as rounded chips that wrap like words.

    Painted in one widget rather than a label per phrase: a walkthrough has some 25 phrases
    and a widget each made switching question measurably slower.
    """

    PAD_X, PAD_Y, GAP, ROW_GAP = 11, 4, 8, 8

    def __init__(self, phrases: list[str]) -> None:
        super().__init__()
        self.phrases = list(phrases)
        font = self.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.setFont(font)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Key phrases: " + "; ".join(self.phrases))
        self.setToolTip("Phrases a bar raiser listens for")

    def _chip_size(self, phrase: str) -> QSize:
        fm = QFontMetricsF(self.font())
        # Round up, with a pixel to spare: elidedText measures in fractions of a pixel.
        width = math.ceil(fm.horizontalAdvance(phrase)) + 1
        return QSize(width + 2 * self.PAD_X, math.ceil(fm.height()) + 2 * self.PAD_Y)

    def _rects(self, width: int) -> list[QRect]:
        rects: list[QRect] = []
        x = y = 0
        for phrase in self.phrases:
            size = self._chip_size(phrase)
            size.setWidth(min(size.width(), max(width, 1)))
            if x > 0 and x + size.width() > width:
                x = 0
                y += size.height() + self.ROW_GAP
            rects.append(QRect(QPoint(x, y), size))
            x += size.width() + self.GAP
        return rects

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._rects(width)
        return max((r.bottom() + 1 for r in rects), default=0)

    def sizeHint(self) -> QSize:
        width = sum(self._chip_size(p).width() + self.GAP for p in self.phrases)
        return QSize(max(0, width - self.GAP), self.heightForWidth(max(1, width)))

    def minimumSizeHint(self) -> QSize:
        widest = max((self._chip_size(p).width() for p in self.phrases), default=0)
        return QSize(min(widest, 160), self._chip_size("").height())

    def paintEvent(self, event: QPaintEvent) -> None:
        t = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.font())
        fm = self.fontMetrics()
        for phrase, rect in zip(self.phrases, self._rects(self.width()), strict=True):
            radius = rect.height() / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(t.phrase_bg))
            p.drawRoundedRect(QRectF(rect), radius, radius)
            p.setPen(QColor(t.phrase_text))
            text = fm.elidedText(phrase, Qt.TextElideMode.ElideRight, rect.width() - 2 * self.PAD_X)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.end()


def chips(phrases: list[str]) -> Chips:
    return Chips(phrases)
