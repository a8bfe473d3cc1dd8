"""Study mode: the walkthrough to read, section by section, in a calm centred column.

The header (question and principles) and the section tabs stay put; each section scrolls on
its own. A section is laid out the first time it is shown for a walkthrough, so switching
question builds one section, not six.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from starcoach.content import Walkthrough
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.page import Page
from starcoach.ui.study.sections import SECTIONS
from starcoach.ui.study.widgets import (
    COLUMN_WIDTH,
    SCROLLBAR_WIDTH,
    Column,
    ColumnHost,
    label,
    rule,
    study_style_sheet,
)

log = logging.getLogger(__name__)

SIDE_MARGIN = 28


class StudyPage(Page):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.walkthrough: Walkthrough | None = None
        self.level: str = context.settings.level
        self._theme: str | None = None
        self._columns: dict[int, Column] = {}
        """The sections laid out for the current walkthrough, by tab index."""
        self._restyle_pending = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._header())
        outer.addWidget(rule())
        self.stack = QStackedWidget()
        for _ in SECTIONS:
            area = QScrollArea()
            area.setObjectName("StudyScroll")
            area.setWidgetResizable(True)
            area.setFrameShape(QScrollArea.Shape.NoFrame)
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            # Always on, so the column lines up with the header whether it scrolls or not.
            area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
            area.setWidget(ColumnHost(SIDE_MARGIN))
            self.stack.addWidget(area)
        outer.addWidget(self.stack, 1)

        self.tabs.currentChanged.connect(self._section_changed)
        self._shortcuts()
        self._apply_theme()

    # -- layout ----------------------------------------------------------------------------
    def _header(self) -> QWidget:
        column = QWidget()
        column.setMaximumWidth(COLUMN_WIDTH)
        v = QVBoxLayout(column)
        v.setContentsMargins(0, 22, 0, 0)
        v.setSpacing(6)
        self.title = label("", "StudyTitle")
        self.principles = label("", "Principle")
        v.addWidget(self.title)
        v.addWidget(self.principles)
        v.addSpacing(8)
        self.tabs = QTabBar()
        self.tabs.setObjectName("StudyTabs")
        self.tabs.setDrawBase(False)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        for i, section in enumerate(SECTIONS, 1):
            self.tabs.addTab(section.title)
            self.tabs.setTabToolTip(i - 1, f"Alt+{i}")
        v.addWidget(self.tabs, 0, Qt.AlignmentFlag.AlignLeft)

        host = QWidget()
        h = QHBoxLayout(host)
        h.setContentsMargins(SIDE_MARGIN, 0, SIDE_MARGIN + SCROLLBAR_WIDTH, 0)
        h.addStretch(1)
        h.addWidget(column, 100)
        h.addStretch(1)
        return host

    def _shortcuts(self) -> None:
        def add(keys: str, slot) -> None:  # type: ignore[no-untyped-def]
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        add("Ctrl+Tab", lambda: self.step_section(1))
        add("Ctrl+Shift+Tab", lambda: self.step_section(-1))
        add("Ctrl+Shift+Backtab", lambda: self.step_section(-1))
        for i, section in enumerate(SECTIONS, 1):
            add(f"Alt+{i}", lambda key=section.key: self.select_section(key))

    def _apply_theme(self) -> None:
        t = theme.current()
        if t.name != self._theme:
            self._theme = t.name
            theme.register_sheet(study_style_sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # theme.apply() restyles the app; colours baked into this page's sheet and HTML
        # follow once it is done.
        if (
            event.type() == QEvent.Type.StyleChange
            and theme.current().name != self._theme
            and not self._restyle_pending
        ):
            self._restyle_pending = True
            QTimer.singleShot(0, self, self._restyle)

    def _restyle(self) -> None:
        self._restyle_pending = False
        if theme.current().name == self._theme:
            return
        walkthrough, self.walkthrough = self.walkthrough, None
        self._apply_theme()
        if walkthrough is not None:
            self.show_walkthrough(walkthrough)

    # -- Page ------------------------------------------------------------------------------
    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        # Coming back to Study from another mode: keep the place and the quiz answers.
        if walkthrough == self.walkthrough and self._theme == theme.current().name:
            return
        start = time.perf_counter()
        self.walkthrough = walkthrough
        self._apply_theme()
        self.title.setText(walkthrough.title)
        # A principle's own walkthrough already names it in the title.
        principles = [p for p in walkthrough.principles if p not in walkthrough.title]
        self.principles.setText(" \u00b7 ".join(principles))
        self.principles.setVisible(bool(principles))
        for index in list(self._columns):
            self._drop(index)
        self.tabs.blockSignals(True)
        for i, section in enumerate(SECTIONS):
            self.tabs.setTabVisible(i, section.has(walkthrough))
        if not self.tabs.isTabVisible(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(0)
        self.tabs.blockSignals(False)
        self._section_changed(self.tabs.currentIndex())
        log.debug(
            "study: %s laid out in %.0f ms", walkthrough.id, (time.perf_counter() - start) * 1000
        )

    def set_level(self, level: str) -> None:
        self.level = level
        for column in self._columns.values():
            column.set_level(level)

    # -- sections --------------------------------------------------------------------------
    @property
    def section_keys(self) -> list[str]:
        """The sections this walkthrough has, in tab order."""
        return [s.key for i, s in enumerate(SECTIONS) if self.tabs.isTabVisible(i)]

    def current_section(self) -> str:
        return SECTIONS[self.tabs.currentIndex()].key

    def select_section(self, key: str) -> None:
        index = next(i for i, s in enumerate(SECTIONS) if s.key == key)
        if self.tabs.isTabVisible(index):
            self.tabs.setCurrentIndex(index)

    def step_section(self, delta: int) -> None:
        visible = [i for i in range(len(SECTIONS)) if self.tabs.isTabVisible(i)]
        if not visible:
            return
        current = self.tabs.currentIndex()
        position = visible.index(current) if current in visible else 0
        self.tabs.setCurrentIndex(visible[(position + delta) % len(visible)])

    def column(self, key: str) -> Column | None:
        """The laid-out section ``key`` (laid out now if it was not yet)."""
        index = next(i for i, s in enumerate(SECTIONS) if s.key == key)
        if not self.tabs.isTabVisible(index):
            return None
        self._ensure(index)
        return self._columns.get(index)

    def _section_changed(self, index: int) -> None:
        if index < 0:
            return
        self._ensure(index)
        self.stack.setCurrentIndex(index)

    def _ensure(self, index: int) -> None:
        if index in self._columns or self.walkthrough is None:
            return
        column = Column()
        SECTIONS[index].build(self.walkthrough, theme.current(), column)
        column.finish()
        column.set_level(self.level)
        area = self._area(index)
        self._host(index).set_column(column)
        area.verticalScrollBar().setValue(0)
        self._columns[index] = column

    def _drop(self, index: int) -> None:
        self._columns.pop(index, None)
        self._host(index).set_column(None)

    def _area(self, index: int) -> QScrollArea:
        area = self.stack.widget(index)
        assert isinstance(area, QScrollArea)
        return area

    def _host(self, index: int) -> ColumnHost:
        host = self._area(index).widget()
        assert isinstance(host, ColumnHost)
        return host
