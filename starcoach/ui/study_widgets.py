"""Building blocks of Study mode: the reading column, cards, chips, level panels, and the
page's style sheet (drawn from the active theme)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from starcoach.ui.study_render import mix
from starcoach.ui.theme import Theme

COLUMN_WIDTH = 760
"""The reading column: about 80 characters a line at the body size."""

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


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
QLabel#Label {{ color: {t.muted}; font-size: 8.5pt; font-weight: 700; letter-spacing: 1px; }}
QLabel#Body {{ font-size: 11pt; }}
QLabel#Muted {{ color: {t.muted}; }}
QLabel#Small {{ color: {t.muted}; font-size: 9pt; }}
QLabel#Chip {{ background: {t.phrase_bg}; color: {t.phrase_text}; border-radius: 12px;
    padding: 3px 11px; font-weight: 600; }}
QLabel#Badge {{ background: {t.accent}; color: {t.accent_text}; border-radius: 17px;
    font-size: 13pt; font-weight: 800; }}
QLabel#SmallBadge {{ background: {accent_bg}; color: {t.accent}; border-radius: 12px;
    font-weight: 800; }}
QLabel#Timing {{ background: {t.raised}; color: {t.muted}; border-radius: 11px;
    padding: 3px 10px; font-size: 9.5pt; font-weight: 600; }}
QLabel#YourLevel {{ background: {t.accent}; color: {t.accent_text}; border-radius: 9px;
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
        # Selectable labels take focus on click; keep Tab for the controls.
        lab.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        self.v.setContentsMargins(margins, margins - 2, margins, margins)
        self.v.setSpacing(spacing)

    def add(self, *widgets: QWidget) -> Box:
        for w in widgets:
            self.v.addWidget(w)
        return self


class LevelPanel(Box):
    """Guidance for one level; the reader's level stands out, the other stays readable."""

    def __init__(self, level: str, title: str, compact: bool = False) -> None:
        super().__init__("LevelPanel", margins=14 if compact else 18, spacing=8)
        self.level = level
        head = QHBoxLayout()
        head.setSpacing(8)
        self.title = label(title, "CardTitle" if not compact else "Label", select=False)
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

    def host(self) -> QWidget:
        """The column centred in a full-width widget, ready for a scroll area."""
        outer = QWidget()
        outer.setObjectName("StudyHost")
        h = QHBoxLayout(outer)
        h.setContentsMargins(28, 0, 28, 0)
        h.addStretch(1)
        h.addWidget(self, 100)
        h.addStretch(1)
        self.v.addStretch(1)
        return outer


class FlowLayout(QLayout):
    """Lays items left to right and wraps them, like words (Qt's flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x = area.x()
                y += line + self._spacing
                line = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def chips(phrases: list[str]) -> QWidget:
    """Key phrases as rounded chips that wrap like words."""
    holder = QWidget()
    flow = FlowLayout(holder)
    for phrase in phrases:
        chip = QLabel(phrase)
        chip.setObjectName("Chip")
        chip.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chip.setToolTip("A phrase a bar raiser listens for")
        flow.addWidget(chip)
    return holder
