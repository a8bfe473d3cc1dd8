"""Small pieces the Review page's views share: a score badge, cards, labels, feedback lists."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from starcoach.clock import moment
from starcoach.report.review import MistakeView, PhraseView, score_role
from starcoach.ui.shell import theme

TIME_LINK = "t:"


def draw_badge(painter: QPainter, rect: QRect, score: float | None, font: QFont) -> None:
    """A score in a rounded pill tinted by how good it is."""
    t = theme.current()
    role = score_role(score)
    color = QColor(getattr(t, role) if role != "muted" else t.muted)
    fill = QColor(color)
    fill.setAlpha(46 if t.name == "light" else 60)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(color.red(), color.green(), color.blue(), 90), 1))
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    bold = QFont(font)
    bold.setWeight(QFont.Weight.Bold)
    painter.setFont(bold)
    painter.setPen(color)
    text = "–" if score is None else f"{score:.0f}"
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


class ScoreBadge(QWidget):
    """A score as a tinted pill (the same as the history list's)."""

    def __init__(self, parent: QWidget | None = None, *, size: QSize | None = None) -> None:
        super().__init__(parent)
        self._score: float | None = None
        self._size = size or QSize(56, 30)
        self.setFixedSize(self._size)

    def set_score(self, score: float | None) -> None:
        self._score = score
        self.setToolTip("No score" if score is None else f"Score {score:.0f} of 100")
        self.update()

    @property
    def score(self) -> float | None:
        return self._score

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() + 2)
        draw_badge(painter, QRect(0, 0, self.width() - 1, self.height() - 1), self._score, font)
        painter.end()


class ComboBox(QComboBox):
    """A combo box whose arrow is drawn here: the app's style sheet gives combo boxes a
    border, and Qt then draws the drop-down part as a clipped square (Fusion)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(
            "QComboBox { padding-right: 24px; }"
            " QComboBox::drop-down { border: none; width: 22px; background: transparent; }"
            " QComboBox::down-arrow { image: none; width: 0; height: 0; }"
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        t = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(t.muted if self.isEnabled() else t.border)
        painter.setPen(QPen(color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))  # fmt: skip
        x = self.width() - 15
        y = self.height() / 2
        painter.drawPolyline([QPointF(x - 4, y - 2), QPointF(x, y + 2), QPointF(x + 4, y - 2)])
        painter.end()


def card(layout: QLayout | None = None, *, name: str = "Card") -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    if layout is not None:
        frame.setLayout(layout)
    return frame


def scrolling_card(inner: QWidget) -> tuple[QFrame, QScrollArea]:
    """A card whose content scrolls inside its border (the border itself never scrolls)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    scroll.viewport().setAutoFillBackground(False)
    inner.setAutoFillBackground(False)
    layout = QVBoxLayout()
    layout.setContentsMargins(1, 1, 1, 1)
    layout.addWidget(scroll)
    return card(layout), scroll


def transport_icon(kind: str, size: int = 14) -> QIcon:
    """Play (a triangle) or pause (two bars), drawn in the primary button's text colour:
    font glyphs for these vary too much between systems."""
    t = theme.current()
    ratio = 2  # crisp on high-DPI screens
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(t.accent_text))
    s = float(size * ratio)
    if kind == "pause":
        bar = s * 0.26
        painter.drawRoundedRect(QRectF(s * 0.16, s * 0.1, bar, s * 0.8), 2, 2)
        painter.drawRoundedRect(QRectF(s * 0.84 - bar, s * 0.1, bar, s * 0.8), 2, 2)
    else:
        painter.drawPolygon(
            QPolygonF([QPointF(s * 0.2, s * 0.08), QPointF(s * 0.92, s * 0.5),
                       QPointF(s * 0.2, s * 0.92)])
        )  # fmt: skip
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Active, QIcon.Mode.Disabled):
        icon.addPixmap(pixmap, mode)
    return icon


def section(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setObjectName("SectionLabel")
    return label


def rich(text: str = "", on_link: Callable[[str], None] | None = None) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if on_link is not None:
        label.linkActivated.connect(on_link)
    return label


def clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.hide()  # gone now, not when the event loop next runs
            widget.deleteLater()
        elif inner is not None:
            clear(inner)


def time_link(seconds: float | None) -> str:
    if seconds is None:
        return ""
    t = theme.current()
    return (
        f'<a href="{TIME_LINK}{seconds:.2f}" style="color:{t.accent}; text-decoration:none;">'
        f"{moment(seconds)}</a>"
    )


def phrase_lines(phrases: Sequence[PhraseView], *, links: bool = True) -> str:
    """Key phrases as rich text: heard ones ticked (with where), missing ones crossed."""
    t = theme.current()
    rows = []
    for p in phrases:
        if p.matched:
            where = f"&nbsp; {time_link(p.start)}" if links and p.start is not None else ""
            heard = ""
            if p.heard and _squash(p.heard) != _squash(p.phrase):
                heard = f'<br><span style="color:{t.muted};">&nbsp;&nbsp;&nbsp;&nbsp;heard “'
                heard += f"{html.escape(p.heard)}”</span>"
            rows.append(
                f'<span style="color:{t.ok}; font-weight:700;">✓</span>&nbsp; '
                f"{html.escape(p.phrase)}{where}{heard}"
            )
        else:
            rows.append(
                f'<span style="color:{t.alarm}; font-weight:700;">✗</span>&nbsp; '
                f'<span style="color:{t.muted};">{html.escape(p.phrase)}</span>'
            )
    return "<br>".join(rows)


def mistake_block(mistake: MistakeView, *, links: bool = True) -> str:
    t = theme.current()
    when = f"&nbsp; {time_link(mistake.start)}" if links and mistake.start is not None else ""
    evidence = ""
    if mistake.evidence and mistake.marked:
        evidence = (
            f'<br><span style="color:{t.muted}; font-style:italic;">“'
            f"{html.escape(mistake.evidence)}”</span>"
        )
    elif mistake.evidence and not mistake.marked and len(mistake.evidence) < 80:
        evidence = f'<br><span style="color:{t.muted};">{html.escape(mistake.evidence)}</span>'
    return (
        f'<span style="color:{t.mistake}; font-weight:700;">●</span>&nbsp; '
        f"<b>{html.escape(mistake.title)}</b>{when}<br>"
        f"{html.escape(mistake.message)}{evidence}"
    )


def score_html(score: float | None, size_pt: float = 26) -> str:
    t = theme.current()
    role = score_role(score)
    color = getattr(t, role) if role != "muted" else t.muted
    text = "–" if score is None else f"{score:.0f}"
    return (
        f'<span style="font-size:{size_pt}pt; font-weight:800; color:{color};">{text}</span>'
        f'<span style="color:{t.muted};"> / 100</span>'
    )


def column(*widgets: QWidget, spacing: int = 6) -> QVBoxLayout:
    v = QVBoxLayout()
    v.setSpacing(spacing)
    for w in widgets:
        v.addWidget(w)
    return v


def _squash(text: str) -> str:
    return " ".join(text.lower().split())
