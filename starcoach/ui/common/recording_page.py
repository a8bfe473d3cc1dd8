"""What the two recording pages (Guided practice, Mock interview) share: following the
question and level through a controller, page-wide keys, the clock's colour, the problem
banner, the live transcript."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from starcoach.clock import running
from starcoach.content import Walkthrough
from starcoach.ui.shell import theme
from starcoach.ui.shell.page import Page


def clock(seconds: float | None) -> str:
    return running(seconds)


def bare_browser() -> QTextBrowser:
    """A text view that sits inside a card (the card draws the frame)."""
    view = QTextBrowser()
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setObjectName("Bare")  # the app sheet: no frame, but a focus ring (theme.py)
    view.setTabChangesFocus(True)
    # Tab leaves the view rather than walking its links (QTextBrowser.focusNextPrevChild).
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
        | Qt.TextInteractionFlag.LinksAccessibleByMouse
    )
    return view


COMPACT_HEIGHT = 700
"""Below this page height the clock shrinks (a 1024x640 screen), leaving the feedback room."""


class ClockLabel(QLabel):
    """The big clock. Its size follows the room it has (a 1024x640 screen gets a smaller
    one), never the other way round: its text does not widen the column."""

    WIDE = 400
    """Narrower than this (or on a short page) the clock is drawn smaller (theme.py)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setObjectName("Clock")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.short_page = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        compact = self.short_page or self.width() < self.WIDE
        if self.property("compact") != compact:
            self.setProperty("compact", compact)
            self.style().unpolish(self)
            self.style().polish(self)


def meter_row(meter: QWidget) -> QHBoxLayout:
    """The level meter with its name before it, so it does not read as a time bar."""
    row = QHBoxLayout()
    row.setSpacing(8)
    label = QLabel("Mic level")
    label.setObjectName("Muted")
    label.setBuddy(meter)
    row.addWidget(label)
    row.addWidget(meter, 1)
    return row


class RecordingPage(Page):
    controller: Any  # PracticeController or MockController: set_walkthrough, reset, busy...
    walkthrough: Walkthrough | None = None
    clock: QLabel
    problem_label: QLabel

    def bind_keys(self, keys: dict[str, Callable[[], None]]) -> dict[str, QShortcut]:
        shortcuts = {}
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            # Active whenever this page is the one shown (hidden pages get no shortcuts).
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            shortcuts[key] = shortcut
        return shortcuts

    def focused_button(self) -> QAbstractButton | None:
        """A button of this page that has the keyboard focus: Space and Enter press it (the
        page's Space / Enter shortcuts would otherwise take the key from it)."""
        widget = QApplication.focusWidget()
        record = getattr(self, "record", None)
        # Record keeps its keys: Space is what it does anyway, and ⏎ means "next step".
        if (
            isinstance(widget, QAbstractButton)
            and self.isAncestorOf(widget)
            and widget is not record
        ):
            return widget
        return None

    def press_or(self, slot: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            button = self.focused_button()
            if button is not None and button.isEnabled():
                button.click()
            else:
                slot()

        return run

    def focus_first(self) -> None:
        """The page is shown: the keyboard starts at its main button."""
        record = getattr(self, "record", None)
        if isinstance(record, QWidget) and record.isEnabled():
            record.setFocus(Qt.FocusReason.OtherFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        clock_label = getattr(self, "clock", None)
        if isinstance(clock_label, ClockLabel):
            clock_label.short_page = event.size().height() < COMPACT_HEIGHT
            clock_label.fit()

    def make_problem_label(self) -> QLabel:
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        return self.problem_label

    # -- Page ----------------------------------------------------------------------------
    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        if self.controller.busy():
            return
        if self.walkthrough is not None and walkthrough.id == self.walkthrough.id:
            return
        self.walkthrough = walkthrough
        self.walkthrough_changed(walkthrough)
        self.controller.set_walkthrough(walkthrough)

    def walkthrough_changed(self, walkthrough: Walkthrough) -> None:
        """A new question is shown (before the controller resets)."""

    def set_level(self, level: str) -> None:
        if not self.controller.busy():
            self.controller.reset()

    def busy(self) -> bool:
        return bool(self.controller.busy())

    def shutdown(self) -> None:
        self.controller.shutdown()

    # -- shared bits of view -------------------------------------------------------------
    def color_clock(self, elapsed: float, warn_after: float, alarm_after: float | None) -> None:
        t = theme.current()
        if alarm_after is not None and elapsed > alarm_after:
            self.clock.setStyleSheet(f"color: {t.alarm};")
        elif elapsed > warn_after:
            self.clock.setStyleSheet(f"color: {t.warn};")
        else:
            self.clock.setStyleSheet("")  # the theme's own text colour, whatever the theme

    def show_live(self, view: QTextBrowser, live: str) -> None:
        t = theme.current()
        if live:
            html = f"<p style='font-size:12pt; line-height:150%'>{escape(live)}</p>"
        else:
            html = f"<p style='color:{t.muted}'>Listening…</p>"
        # toHtml() is Qt's rewrite of what was set and never equals it: compare with what was
        # set last, so an unchanged text is not re-set (and scrolled) 30 times a second.
        if getattr(view, "_live_html", None) != html:
            view._live_html = html  # type: ignore[attr-defined]
            view.setHtml(html)
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum())

    def show_problem(self, message: str) -> None:
        t = theme.current()
        self.problem_label.setText(f"⚠  {message}")
        self.problem_label.setStyleSheet(
            f"background:{t.surface}; color:{t.alarm}; border:1px solid {t.alarm};"
            "border-radius:8px; padding:8px 12px;"
        )
        self.problem_label.show()

    def hide_problem(self) -> None:
        self.problem_label.hide()
