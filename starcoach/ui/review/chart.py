"""Progress over time for one question: score, pace and key phrases heard, as small multiples.

Drawn with QPainter (no chart library). One point per session, evenly spaced in time order;
hovering shows the session's values in a card and a guide across the three panels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from starcoach.coach.scoring import PACE_BAND
from starcoach.report.review import ProgressPoint
from starcoach.ui.shell import theme

LEFT, RIGHT, TOP, BOTTOM = 52, 20, 8, 34
PANEL_GAP = 30
TITLE_H = 26


@dataclass(frozen=True)
class _Panel:
    title: str
    weight: float
    low: float
    high: float
    ticks: tuple[float, ...]
    value: Callable[[ProgressPoint], float | None]
    kind: str  # "line", "pace" or "bars"
    unit: str = ""


class ProgressChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(420, 320))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._points: list[ProgressPoint] = []
        self._hover: int | None = None
        self.empty_text = "No scored sessions yet."

    # -- data ----------------------------------------------------------------------------------

    def set_points(self, points: Sequence[ProgressPoint]) -> None:
        self._points = list(points)
        self._hover = None
        self.update()

    @property
    def points(self) -> list[ProgressPoint]:
        return list(self._points)

    @property
    def hover_index(self) -> int | None:
        return self._hover

    def hover_lines(self) -> list[str]:
        """What the hover card shows (empty when nothing is hovered)."""
        if self._hover is None:
            return []
        p = self._points[self._hover]
        lines = [p.label]
        lines.append(f"Score  {p.score:.0f}" if p.score is not None else "Score  –")
        lines.append(f"Pace  {p.wpm:.0f} wpm" if p.wpm is not None else "Pace  –")
        if p.phrases_total:
            pct = p.phrases_pct or 0.0
            lines.append(f"Key phrases  {p.phrases_hit} of {p.phrases_total} ({pct:.0f}%)")
        return lines

    def _panels(self) -> list[_Panel]:
        paces = [p.wpm for p in self._points if p.wpm is not None]
        low = min([PACE_BAND[0] - 20, *paces])
        high = max([PACE_BAND[1] + 20, *paces])
        low = math.floor(low / 40) * 40
        high = math.ceil(high / 40) * 40
        pace_ticks = tuple(float(v) for v in range(int(low), int(high) + 1, 40))
        return [
            _Panel("Score", 2.0, 0, 100, (0, 25, 50, 75, 100), lambda p: p.score, "line"),
            _Panel("Pace · words per minute", 1.25, low, high, pace_ticks, lambda p: p.wpm, "pace"),
            _Panel(
                "Key phrases heard", 1.25, 0, 100, (0, 50, 100), lambda p: p.phrases_pct, "bars",
                "%",
            ),
        ]  # fmt: skip

    # -- geometry ------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(self.rect()).adjusted(LEFT, TOP, -RIGHT, -BOTTOM)

    def _panel_rects(self) -> list[tuple[_Panel, QRectF]]:
        panels = self._panels()
        plot = self._plot()
        usable = plot.height() - PANEL_GAP * (len(panels) - 1) - TITLE_H * len(panels)
        total = sum(p.weight for p in panels)
        out = []
        y = plot.top()
        for panel in panels:
            h = max(20.0, usable * panel.weight / total)
            out.append((panel, QRectF(plot.left(), y + TITLE_H, plot.width(), h)))
            y += TITLE_H + h + PANEL_GAP
        return out

    def x_of(self, index: int) -> float:
        plot = self._plot()
        n = len(self._points)
        pad = min(28.0, plot.width() / 6)
        if n <= 1:
            return plot.center().x()
        return plot.left() + pad + index * (plot.width() - 2 * pad) / (n - 1)

    @staticmethod
    def _y(rect: QRectF, panel: _Panel, value: float) -> float:
        span = panel.high - panel.low or 1.0
        share = (min(max(value, panel.low), panel.high) - panel.low) / span
        return rect.bottom() - share * rect.height()

    def score_positions(self) -> list[QPointF]:
        """Where each session's score point is drawn (tests hover these)."""
        panel, rect = self._panel_rects()[0]
        return [
            QPointF(self.x_of(i), self._y(rect, panel, p.score))
            for i, p in enumerate(self._points)
            if p.score is not None
        ]

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        t = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        small = QFont(font)
        small.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
        if not self._points:
            painter.setPen(QColor(t.muted))
            painter.drawText(
                QRectF(self.rect()).adjusted(20, 20, -20, -20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            painter.end()
            return
        colors = {
            "line": QColor(t.accent),
            "pace": QColor(t.muted),
            "bars": QColor(t.ok),
        }
        rects = self._panel_rects()
        for panel, rect in rects:
            self._draw_axes(painter, panel, rect, small)
            if panel.kind == "bars":
                self._draw_bars(painter, panel, rect, colors["bars"], small)
            else:
                self._draw_line(painter, panel, rect, colors[panel.kind], fill=panel.kind == "line")
        self._draw_x_labels(painter, rects[-1][1], small)
        if self._hover is not None:
            self._draw_hover(painter, rects, font)
        painter.end()

    def _draw_axes(self, painter: QPainter, panel: _Panel, rect: QRectF, font: QFont) -> None:
        t = theme.current()
        title_font = QFont(font)
        title_font.setWeight(QFont.Weight.Bold)
        painter.setFont(title_font)
        painter.setPen(QColor(t.text))
        painter.drawText(
            QRectF(rect.left() - LEFT + 6, rect.top() - TITLE_H, rect.width(), TITLE_H - 6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            panel.title,
        )
        if panel.kind == "pace":
            band_top = self._y(rect, panel, PACE_BAND[1])
            band_bottom = self._y(rect, panel, PACE_BAND[0])
            band = QColor(t.ok)
            band.setAlpha(28)
            painter.fillRect(
                QRectF(rect.left(), band_top, rect.width(), band_bottom - band_top), band
            )
            # legend, in the title row: a swatch and what it means
            painter.setFont(font)
            swatch = QColor(t.ok)
            swatch.setAlpha(70)
            legend = f"comfortable pace {PACE_BAND[0]:.0f}–{PACE_BAND[1]:.0f}"
            width = QFontMetrics(font).horizontalAdvance(legend)
            y = rect.top() - TITLE_H + 4
            painter.fillRect(QRectF(rect.right() - width - 18, y + 4, 11, 11), swatch)
            painter.setPen(QColor(t.muted))
            painter.drawText(
                QRectF(rect.right() - width - 2, y, width + 2, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                legend,
            )
        grid = QColor(t.border)
        painter.setFont(font)
        for tick in panel.ticks:
            y = self._y(rect, panel, tick)
            pen = QPen(grid, 1, Qt.PenStyle.SolidLine if tick == panel.low else Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(QColor(t.muted))
            painter.drawText(
                QRectF(rect.left() - LEFT, y - 9, LEFT - 8, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:.0f}{panel.unit}",
            )

    def _draw_line(
        self, painter: QPainter, panel: _Panel, rect: QRectF, color: QColor, *, fill: bool
    ) -> None:
        t = theme.current()
        pts = [
            (i, QPointF(self.x_of(i), self._y(rect, panel, v)))
            for i, p in enumerate(self._points)
            if (v := panel.value(p)) is not None
        ]
        if not pts:
            return
        path = QPainterPath(pts[0][1])
        for _, pt in pts[1:]:
            path.lineTo(pt)
        if fill and len(pts) > 1:
            area = QPainterPath(path)
            area.lineTo(QPointF(pts[-1][1].x(), rect.bottom()))
            area.lineTo(QPointF(pts[0][1].x(), rect.bottom()))
            area.closeSubpath()
            shade = QColor(color)
            shade.setAlpha(34)
            painter.fillPath(area, shade)
        painter.setPen(QPen(color, 2.4 if fill else 1.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        for i, pt in pts:
            value = panel.value(self._points[i])
            dot = color
            if panel.kind == "pace" and value is not None:
                inside = PACE_BAND[0] <= value <= PACE_BAND[1]
                dot = QColor(t.ok if inside else t.warn)
            radius = 5.5 if i == self._hover else 4.0
            painter.setPen(QPen(dot, 2))
            painter.setBrush(QBrush(QColor(t.surface)))
            painter.drawEllipse(pt, radius, radius)
        if fill:
            i, last = pts[-1]
            value = panel.value(self._points[i])
            if value is not None and self._hover is None:
                bold = QFont(self.font())
                bold.setWeight(QFont.Weight.Bold)
                painter.setFont(bold)
                painter.setPen(color)
                above = last.y() - 24 if last.y() - 24 > rect.top() - TITLE_H else last.y() + 6
                painter.drawText(
                    QRectF(last.x() - 30, above, 60, 18), Qt.AlignmentFlag.AlignCenter,
                    f"{value:.0f}",
                )  # fmt: skip

    def _draw_bars(
        self, painter: QPainter, panel: _Panel, rect: QRectF, color: QColor, font: QFont
    ) -> None:
        n = len(self._points)
        spacing = (self.x_of(1) - self.x_of(0)) if n > 1 else rect.width()
        width = max(4.0, min(34.0, spacing * 0.55))
        painter.setFont(font)
        for i, p in enumerate(self._points):
            value = panel.value(p)
            if value is None:
                continue
            x = self.x_of(i)
            top = self._y(rect, panel, value)
            fill = QColor(color)
            fill.setAlpha(230 if i == self._hover else 150)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            bar = QRectF(x - width / 2, top, width, rect.bottom() - top)
            painter.drawRoundedRect(bar, 3, 3)
            if width >= 22 and p.phrases_total:
                painter.setPen(QColor(theme.current().muted))
                painter.drawText(
                    QRectF(x - 30, top - 17, 60, 16),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{p.phrases_hit}/{p.phrases_total}",
                )

    def _draw_x_labels(self, painter: QPainter, rect: QRectF, font: QFont) -> None:
        t = theme.current()
        painter.setFont(font)
        painter.setPen(QColor(t.muted))
        metrics = QFontMetrics(font)
        labels = _x_labels(self._points)
        right_edge = -1e9
        n = len(labels)
        order = [n - 1, *range(n - 1)] if n else []
        placed: list[tuple[float, float]] = []
        for i in order:
            text = labels[i]
            w = metrics.horizontalAdvance(text) + 10
            x = self.x_of(i)
            left, right = x - w / 2, x + w / 2
            if any(left < b and right > a for a, b in placed):
                continue
            placed.append((left, right))
            right_edge = max(right_edge, right)
            painter.drawText(
                QRectF(left, rect.bottom() + 6, w, 18), Qt.AlignmentFlag.AlignCenter, text
            )

    def _draw_hover(
        self, painter: QPainter, rects: list[tuple[_Panel, QRectF]], font: QFont
    ) -> None:
        t = theme.current()
        assert self._hover is not None
        x = self.x_of(self._hover)
        top = rects[0][1].top()
        bottom = rects[-1][1].bottom()
        painter.setPen(QPen(QColor(t.muted), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, top - 4), QPointF(x, bottom))
        lines = self.hover_lines()
        bold = QFont(font)
        bold.setWeight(QFont.Weight.Bold)
        metrics = QFontMetrics(font)
        width = max(metrics.horizontalAdvance(s) for s in lines) + 28
        height = len(lines) * (metrics.height() + 4) + 16
        left = x + 14 if x + 14 + width < self.width() - 4 else x - 14 - width
        box = QRectF(left, top + 4, width, height)
        shadow = QColor(0, 0, 0, 40 if t.name == "light" else 90)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shadow)
        painter.drawRoundedRect(box.translated(0, 2), 8, 8)
        painter.setBrush(QColor(t.surface))
        painter.setPen(QPen(QColor(t.border), 1))
        painter.drawRoundedRect(box, 8, 8)
        y = box.top() + 8
        for n, line in enumerate(lines):
            painter.setFont(bold if n == 0 else font)
            painter.setPen(QColor(t.text if n == 0 else t.muted))
            painter.drawText(
                QRectF(box.left() + 14, y, width - 20, metrics.height() + 4),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            y += metrics.height() + 4

    # -- hover ---------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.hover_at(event.position().x())
        super().mouseMoveEvent(event)

    def hover_at(self, x: float | None) -> None:
        index = None
        if x is not None and self._points:
            distances = [abs(self.x_of(i) - x) for i in range(len(self._points))]
            nearest = min(range(len(distances)), key=distances.__getitem__)
            spacing = (self.x_of(1) - self.x_of(0)) if len(self._points) > 1 else 80.0
            if distances[nearest] <= max(spacing / 2, 24.0):
                index = nearest
        if index != self._hover:
            self._hover = index
            self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self.hover_at(None)
        super().leaveEvent(event)


def _x_labels(points: Sequence[ProgressPoint]) -> list[str]:
    days = [p.when.astimezone().date() for p in points]
    same_day = len(set(days)) == 1
    out = []
    for p in points:
        local = p.when.astimezone()
        out.append(local.strftime("%H:%M") if same_day else f"{local.day} {local:%b}")
    return out


class ProgressView(QWidget):
    """The chart with a title and a one-line summary of the trend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(6)
        head = QHBoxLayout()
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() + 2)
        font.setWeight(QFont.Weight.Bold)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        v.addLayout(head)
        self.summary = QLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        v.addWidget(self.summary)
        self.chart = ProgressChart()
        frame = QFrame()
        frame.setObjectName("Card")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(8, 14, 8, 6)
        inner.addWidget(self.chart)
        self.frame = frame
        v.addWidget(frame, 1)

    def set_progress(self, title: str, points: Sequence[ProgressPoint], empty_text: str) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.chart.empty_text = empty_text
        self.chart.set_points(points)
        self.summary.setText(trend_text(points))


def trend_text(points: Sequence[ProgressPoint]) -> str:
    scored = [p.score for p in points if p.score is not None]
    if not scored:
        return ""
    n = len(points)
    parts = [f"{n} session{'s' if n != 1 else ''}", f"latest {scored[-1]:.0f}"]
    parts.append(f"best {max(scored):.0f}")
    if len(scored) > 1:
        change = scored[-1] - scored[0]
        sign = "+" if change >= 0 else "−"
        parts.append(f"{sign}{abs(change):.0f} since the first")
    return " · ".join(parts)
