"""The split of a whole answer as a timeline: five coloured sections with handles to drag."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from starcoach.content import STEP_ORDER
from starcoach.steps import STEP_LETTERS
from starcoach.ui.shell import theme

COLORS = ("#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ec4899")
LETTERS = tuple(STEP_LETTERS.values())


def letter_colour(fill: str) -> str:
    """White or near-black, whichever reads better on ``fill`` (white on the amber or sky
    sections was under 3:1)."""
    dark = "#111827"
    return "#ffffff" if theme.contrast("#ffffff", fill) >= theme.contrast(dark, fill) else dark


class SplitTimeline(QWidget):
    """``starts`` (seconds, one per step) over ``duration``. Dragging a boundary emits
    ``changed(starts)`` on release; the first section always starts where it starts."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duration = 1.0
        self.starts: dict[str, float] = {s: 0.0 for s in STEP_ORDER}
        self._drag: int | None = None
        self.setMinimumHeight(58)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setToolTip("Drag a boundary to move where a section starts")

    def sizeHint(self) -> QSize:
        return QSize(600, 58)

    def set_split(self, starts: dict[str, float], duration: float) -> None:
        self.starts = dict(starts)
        self.duration = max(duration, 0.1)
        self.update()

    def _x(self, seconds: float) -> float:
        return 8 + (self.width() - 16) * min(max(seconds / self.duration, 0.0), 1.0)

    def _seconds(self, x: float) -> float:
        return (x - 8) / max(1.0, self.width() - 16) * self.duration

    def _ends(self) -> list[tuple[float, float]]:
        starts = [self.starts[s] for s in STEP_ORDER]
        return [(starts[i], starts[i + 1] if i + 1 < 5 else self.duration) for i in range(5)]

    def paintEvent(self, event: QPaintEvent) -> None:
        t = theme.current()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(8, 6, self.width() - 16, 26)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(t.raised))
        p.drawRoundedRect(bar, 6, 6)
        for i, (start, end) in enumerate(self._ends()):
            x0, x1 = self._x(start), self._x(end)
            if x1 - x0 < 1:
                continue
            p.setBrush(QColor(COLORS[i]))
            p.drawRect(QRectF(x0, bar.top(), x1 - x0, bar.height()))
            p.setPen(QColor(letter_colour(COLORS[i])))
            if x1 - x0 > 18:
                p.drawText(
                    QRectF(x0, bar.top(), x1 - x0, bar.height()),
                    Qt.AlignmentFlag.AlignCenter,
                    LETTERS[i],
                )
            p.setPen(Qt.PenStyle.NoPen)
        p.setPen(QColor(t.text))
        for i in range(1, 5):
            x = self._x(self.starts[STEP_ORDER[i]])
            p.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 3))
        p.setPen(QColor(t.muted))
        for k in range(0, int(self.duration) + 1, 30):
            x = self._x(k)
            p.drawText(
                QRectF(x - 20, bar.bottom() + 4, 40, 18),
                Qt.AlignmentFlag.AlignCenter,
                f"{k // 60}:{k % 60:02d}",
            )
        p.end()

    def _handle_at(self, x: float) -> int | None:
        for i in range(1, 5):
            if abs(self._x(self.starts[STEP_ORDER[i]]) - x) <= 6:
                return i
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag = self._handle_at(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is None:
            cursor = (
                Qt.CursorShape.SizeHorCursor if self._handle_at(x) else Qt.CursorShape.ArrowCursor
            )
            self.setCursor(cursor)
            return
        i = self._drag
        lo = self.starts[STEP_ORDER[i - 1]] + 0.2
        hi = (self.starts[STEP_ORDER[i + 1]] if i + 1 < 5 else self.duration) - 0.2
        self.starts[STEP_ORDER[i]] = min(max(self._seconds(x), lo), hi)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self.changed.emit(dict(self.starts))

    def move_boundary(self, step: str, seconds: float) -> None:
        """Move where ``step`` starts (for keyboard use and tests), as a drag would."""
        i = STEP_ORDER.index(step)
        if i == 0:
            return
        lo = self.starts[STEP_ORDER[i - 1]] + 0.2
        hi = (self.starts[STEP_ORDER[i + 1]] if i + 1 < 5 else self.duration) - 0.2
        self.starts[step] = min(max(seconds, lo), hi)
        self.update()
        self.changed.emit(dict(self.starts))
