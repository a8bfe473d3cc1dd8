"""The history column: scope, search and filters over a list of past sessions (layout only)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from starcoach.report.review import SessionFilter
from starcoach.ui.common.widgets import ChoiceButtons
from starcoach.ui.review.widgets import ComboBox, draw_badge
from starcoach.ui.shell import theme

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_CHOICES = (("any", "Any time"), ("today", "Today"), ("week", "Last 7 days"),
                ("month", "Last 30 days"))  # fmt: skip
SCORE_CHOICES = ((0, "Any score"), (50, "Score 50+"), (70, "Score 70+"), (85, "Score 85+"))


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    when: str
    summary: str
    score: float | None
    question: str | None = None
    """Shown when the list holds every question's sessions."""
    note: str | None = None
    tooltip: str = ""


class SessionList(QWidget):
    session_selected = Signal(str)
    filters_changed = Signal()
    scope_changed = Signal(bool)
    """True: every question's sessions; False: the current question's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(8)

        scope = QHBoxLayout()
        scope.setSpacing(6)
        self.scope_group = ChoiceButtons(self)
        self.this_button = QPushButton("This question")
        self.all_button = QPushButton("All questions")
        for button in (self.this_button, self.all_button):
            button.setObjectName("Segment")
            button.setCheckable(True)
            self.scope_group.addButton(button)
            scope.addWidget(button)
        self.this_button.setChecked(True)
        self.this_button.setToolTip("Sessions of the question picked on the left")
        self.all_button.setToolTip("Sessions of every question")
        self.all_button.toggled.connect(self.scope_changed.emit)
        v.addLayout(scope)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search what you said…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _: self.filters_changed.emit())
        v.addWidget(self.search)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.date_box = ComboBox()
        for key, label in DATE_CHOICES:
            self.date_box.addItem(label, key)
        self.score_box = ComboBox()
        for value, label in SCORE_CHOICES:
            self.score_box.addItem(label, value)
        for box in (self.date_box, self.score_box):
            box.currentIndexChanged.connect(lambda _: self.filters_changed.emit())
            filters.addWidget(box, 1)
        v.addLayout(filters)

        self.count_label = QLabel()
        self.count_label.setObjectName("SectionLabel")
        v.addWidget(self.count_label)

        self.stack = QStackedWidget()
        self.list = QListWidget()
        self.list.setObjectName("SessionList")
        self.list.setItemDelegate(SessionDelegate(self.list))
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.list.currentItemChanged.connect(self._current_changed)
        self.empty = QLabel()
        self.empty.setObjectName("Muted")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(12, 24, 12, 12)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        v.addWidget(self.stack, 1)

    # -- filters -----------------------------------------------------------------------------

    def filter(self) -> SessionFilter:
        return SessionFilter(
            text=self.search.text(),
            min_score=int(self.score_box.currentData() or 0),
            date_range=str(self.date_box.currentData() or "any"),
        )

    @property
    def all_questions(self) -> bool:
        return self.all_button.isChecked()

    def set_min_score(self, value: int) -> None:
        index = self.score_box.findData(value)
        if index < 0:
            self.score_box.addItem(f"Score {value}+", value)
            index = self.score_box.count() - 1
        self.score_box.setCurrentIndex(index)

    def set_date_range(self, key: str) -> None:
        self.date_box.setCurrentIndex(max(0, self.date_box.findData(key)))

    @property
    def filtering(self) -> bool:
        f = self.filter()
        return bool(f.text.strip()) or f.min_score > 0 or f.date_range != "any"

    def clear_filters(self) -> None:
        for widget in (self.search, self.date_box, self.score_box):
            widget.blockSignals(True)
        self.search.clear()
        self.date_box.setCurrentIndex(0)
        self.score_box.setCurrentIndex(0)
        for widget in (self.search, self.date_box, self.score_box):
            widget.blockSignals(False)
        self.filters_changed.emit()

    # -- rows ----------------------------------------------------------------------------------

    def set_rows(self, rows: list[SessionRow], selected: str | None, empty_text: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        current = None
        for row in rows:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, row.session_id)
            item.setData(ROW_ROLE, row)
            item.setToolTip(row.tooltip)
            self.list.addItem(item)
            if row.session_id == selected:
                current = item
        if current is not None:
            self.list.setCurrentItem(current)
            self.list.scrollToItem(current)
        self.list.blockSignals(False)
        self.empty.setText(empty_text)
        self.stack.setCurrentWidget(self.list if rows else self.empty)
        n = len(rows)
        self.count_label.setText(f"{n} SESSION{'S' if n != 1 else ''}" if rows else "")

    def row_ids(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())
        ]

    def select(self, session_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == session_id:
                self.list.setCurrentRow(i)
                return

    def _current_changed(self, item: QListWidgetItem | None, _: object) -> None:
        self.session_selected.emit("" if item is None else str(item.data(Qt.ItemDataRole.UserRole)))


class SessionDelegate(QStyledItemDelegate):
    """A row: when, what kind of session, and the mean score as a coloured badge."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        row = index.data(ROW_ROLE)
        lines = 3 if isinstance(row, SessionRow) and row.question else 2
        height = QFontMetrics(option.font).height()
        return QSize(200, 18 + lines * (height + 3))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.data(ROW_ROLE)
        if not isinstance(row, SessionRow):
            return
        t = theme.current()
        rect = QRect(option.rect).adjusted(0, 2, -4, -2)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.raised))
            painter.drawRoundedRect(rect, 8, 8)
        if selected:
            painter.setBrush(QColor(t.accent))
            painter.drawRoundedRect(QRect(rect.left(), rect.top() + 8, 3, rect.height() - 16), 1, 1)

        base = QFont(option.font)
        metrics = QFontMetrics(base)
        line_h = metrics.height() + 3
        badge_w = 44
        text_left = rect.left() + 14
        text_w = rect.width() - 14 - badge_w - 16
        y = rect.top() + 8

        if row.question:
            small = QFont(base)
            small.setPointSizeF(base.pointSizeF() - 1)
            painter.setFont(small)
            painter.setPen(QColor(t.accent))
            text = QFontMetrics(small).elidedText(row.question, Qt.TextElideMode.ElideRight, text_w)
            painter.drawText(QRect(text_left, y, text_w, line_h), _left_middle(), text)
            y += line_h
        bold = QFont(base)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        painter.setPen(QColor(t.text))
        painter.drawText(QRect(text_left, y, text_w, line_h), _left_middle(), row.when)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() - 1)
        y += line_h
        painter.setFont(small)
        painter.setPen(QColor(t.muted))
        summary = row.summary + (f" · {row.note}" if row.note else "")
        summary = QFontMetrics(small).elidedText(summary, Qt.TextElideMode.ElideRight, text_w)
        painter.drawText(QRect(text_left, y, text_w, line_h), _left_middle(), summary)

        badge = QRect(rect.right() - badge_w - 10, rect.center().y() - 12, badge_w, 24)
        draw_badge(painter, badge, row.score, base)
        painter.restore()


def _left_middle() -> Qt.AlignmentFlag:
    return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
