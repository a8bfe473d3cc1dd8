"""Small painted widgets: the level meter and the STAR step pills."""

from __future__ import annotations

import math
from typing import ClassVar

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from starcoach.ui import theme


class LevelMeter(QWidget):
    """Microphone level, on a dB scale so a quiet voice still moves the bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level = 0.0
        self._peak = 0.0
        self.setMinimumHeight(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Microphone level")

    def sizeHint(self) -> QSize:
        return QSize(320, 12)

    def set_level(self, rms: float) -> None:
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
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.raised))
        p.drawRoundedRect(r, radius, radius)
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
    """S T A R L: which steps are done (with their score), which is current."""

    LETTERS: ClassVar[dict[str, str]] = {
        "situation": "S",
        "task": "T",
        "action": "A",
        "result": "R",
        "reflection": "L",
    }

    def __init__(self, steps: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps = steps
        self.current = steps[0]
        self.scores: dict[str, int] = {}
        self.setMinimumHeight(46)

    def sizeHint(self) -> QSize:
        return QSize(560, 46)

    def set_state(self, current: str, scores: dict[str, int]) -> None:
        self.current = current
        self.scores = dict(scores)
        self.update()

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
            r = QRectF(i * (width + gap), 4, width, self.height() - 8)
            done = step in self.scores
            current = step == self.current
            bg = QColor(t.accent if current else (t.raised if not done else t.surface))
            p.setPen(QColor(t.accent if current or done else t.border))
            p.setBrush(bg)
            p.drawRoundedRect(r, 10, 10)
            p.setPen(QColor(t.accent_text if current else t.text))
            label = f"{self.LETTERS[step]}  {step.capitalize()}"
            if done:
                label += f"  ·  {self.scores[step]}"
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, label)
        p.end()
