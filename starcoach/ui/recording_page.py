"""What the two recording pages (Guided practice, Mock interview) share: following the
question and level through a controller, page-wide keys, the clock's colour, the problem
banner, the live transcript."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser

from starcoach.content import Walkthrough
from starcoach.ui import theme
from starcoach.ui.main_window import Page


def clock(seconds: float | None) -> str:
    m, s = divmod(max(0.0, seconds or 0.0), 60)
    return f"{int(m)}:{int(s):02d}"


def bare_browser() -> QTextBrowser:
    """A text view that sits inside a card (the card draws the frame)."""
    view = QTextBrowser()
    view.setFrameShape(QFrame.Shape.NoFrame)
    view.setStyleSheet("QTextBrowser { border: none; padding: 0; }")
    return view


class RecordingPage(Page):
    controller: Any  # PracticeController or MockController: set_walkthrough, reset, busy...
    walkthrough: Walkthrough | None = None
    clock: QLabel
    problem_label: QLabel

    def bind_keys(self, keys: dict[str, Callable[[], None]]) -> None:
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            # Active whenever this page is the one shown (hidden pages get no shortcuts).
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

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
