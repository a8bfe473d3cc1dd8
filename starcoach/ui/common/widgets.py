"""Small painted widgets: the level meter and the STAR step pills."""

from __future__ import annotations

import math
from typing import ClassVar

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from starcoach.steps import STEP_LETTERS
from starcoach.ui.shell import theme


class ChoiceButtons(QObject):
    """Checkable buttons of which one is checked, like an exclusive QButtonGroup but without
    its keyboard rule: Qt's Tab skips every unchecked button of a QButtonGroup (exclusive or
    not), so "Senior" or "Mock interview" could not be reached with Tab."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buttons: list[QAbstractButton] = []

    def addButton(self, button: QAbstractButton) -> None:
        self._buttons.append(button)
        button.toggled.connect(lambda on, b=button: self._toggled(b, on))
        button.clicked.connect(lambda _=False, b=button: b.setChecked(True))

    def removeButton(self, button: QAbstractButton) -> None:
        if button in self._buttons:
            self._buttons.remove(button)

    def buttons(self) -> list[QAbstractButton]:
        return list(self._buttons)

    def _toggled(self, button: QAbstractButton, on: bool) -> None:
        if on:
            for other in self._buttons:
                if other is not button and other.isChecked():
                    other.setChecked(False)


def two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` in at most two lines of ``width``: whole words, the second shortened with …"""
    words = text.split()
    first: list[str] = []
    while words and metrics.horizontalAdvance(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    if not first and words:  # one word wider than the line
        return [metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)]
    lines = [" ".join(first)]
    if words:
        lines.append(metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width))
    return lines


class TwoLineItem(QStyledItemDelegate):
    """A list row of up to two lines whose height never depends on a stale width (a wrapped
    QListWidget row was cut without an ellipsis at some widths)."""

    PAD_X = 12
    PAD_Y = 8

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(160, 2 * metrics.lineSpacing() + 2 * self.PAD_Y + 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        metrics = QFontMetrics(opt.font)
        rect = QRect(opt.rect).adjusted(self.PAD_X + 3, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        font = QFont(opt.font)
        font.setWeight(QFont.Weight.DemiBold if selected else QFont.Weight.Normal)
        painter.setFont(font)
        painter.setPen(QColor(theme.current().text))
        y = rect.top()
        for line in two_lines(text, QFontMetrics(font), rect.width()):
            painter.drawText(
                QRect(rect.left(), y, rect.width(), metrics.lineSpacing()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += metrics.lineSpacing()
        painter.restore()


class LevelMeter(QWidget):
    """Microphone level, on a dB scale so a quiet voice still moves the bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._peak = 0.0
        # Thin and short, in the level colours: it must not read as a time progress bar.
        self.setMinimumHeight(10)
        self.setMaximumHeight(10)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")
        self.setToolTip("Microphone level: it moves when the microphone hears you")

    def sizeHint(self) -> QSize:
        return QSize(200, 10)

    def set_level(self, rms: float) -> None:
        if rms <= 0.0:  # not listening: empty at once (a slow release would show a ghost)
            self._level = self._peak = 0.0
            self.update()
            return
        db = 20 * math.log10(max(rms, 1e-6))
        value = max(0.0, min(1.0, (db + 60) / 60))
        # Fast attack, slow release: readable, not jittery.
        self._level = value if value > self._level else self._level * 0.85 + value * 0.15
        self._peak = max(value, self._peak * 0.97)
        self.update()

    @property
    def value(self) -> float:
        return self._level

    def paintEvent(self, event: QPaintEvent) -> None:
        t = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = r.height() / 2
        p.setPen(QPen(QColor(t.control), 1))
        p.setBrush(QColor(t.raised))
        p.drawRoundedRect(r, radius, radius)
        p.setPen(Qt.PenStyle.NoPen)
        if self._level > 0.01:
            fill = QRectF(r.x(), r.y(), max(r.height(), r.width() * self._level), r.height())
            color = t.ok if self._level < 0.85 else t.warn
            p.setBrush(QColor(color))
            p.drawRoundedRect(fill, radius, radius)
        x = r.x() + r.width() * self._peak
        p.setBrush(QColor(t.muted))
        p.drawRect(QRectF(x - 1, r.y(), 2, r.height()))
        p.end()


class StepPills(QWidget):
    """S T A R L: which steps are done (with their score), which is current. A step is picked
    with the mouse, or from the keyboard: Tab to it, then ← / → (or Home / End)."""

    step_requested = Signal(str)

    LETTERS: ClassVar[dict[str, str]] = STEP_LETTERS

    def __init__(self, steps: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps = steps
        self.current = steps[0]
        self.scores: dict[str, int] = {}
        self.setMinimumHeight(46)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Steps")
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(560, 46)

    def set_state(self, current: str, scores: dict[str, int]) -> None:
        self.current = current
        self.scores = dict(scores)
        self._describe()
        self.update()

    def _describe(self) -> None:
        parts = []
        for step in self.steps:
            state = f"score {self.scores[step]}" if step in self.scores else "not done"
            now = ", current" if step == self.current else ""
            parts.append(f"{step.capitalize()}: {state}{now}")
        self.setAccessibleDescription("; ".join(parts) + ". Left and right arrows change step.")
        self.setToolTip("Click a step, or use ← / → to change step")

    def label(self, step: str, width: float) -> str:
        """ "S  Situation  ·  80", shortened to "S · 80" when the pill is narrow."""
        score = f"  ·  {self.scores[step]}" if step in self.scores else ""
        full = f"{self.LETTERS[step]}  {step.capitalize()}{score}"
        bold = QFont(self.font())
        bold.setBold(True)
        if QFontMetrics(bold).horizontalAdvance(full) + 16 <= width:
            return full
        return f"{self.LETTERS[step]}{score}"

    def mousePressEvent(self, event: QMouseEvent) -> None:
        n = len(self.steps)
        index = int(event.position().x() / max(1, self.width()) * n)
        if 0 <= index < n:
            self.step_requested.emit(self.steps[index])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.steps.index(self.current)
        key = event.key()
        target = {
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: len(self.steps) - 1,
        }.get(Qt.Key(key))
        if target is None and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            target = index + (1 if key == Qt.Key.Key_Right else -1)
        if target is not None and 0 <= target < len(self.steps):
            self.step_requested.emit(self.steps[target])
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        t = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.steps)
        gap = 10
        width = (self.width() - gap * (n - 1)) / n
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        for i, step in enumerate(self.steps):
            r = QRectF(i * (width + gap) + 3, 4, width - 6, self.height() - 8)
            done = step in self.scores
            current = step == self.current
            bg = QColor(t.accent if current else (t.raised if not done else t.surface))
            p.setPen(QColor(t.accent if current or done else t.control))
            p.setBrush(bg)
            p.drawRoundedRect(r, 10, 10)
            if current and self.hasFocus():
                p.setPen(QPen(QColor(t.focus), 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(r.adjusted(-3, -3, 3, 3), 12, 12)
            p.setPen(QColor(t.accent_text if current else t.text))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, self.label(step, r.width()))
        p.end()


class ElidedLabel(QLabel):
    """One line of plain text that shortens itself with "…" instead of widening the page;
    the whole text is in the tool tip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))
