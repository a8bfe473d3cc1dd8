"""Review mode: every past session, its audio with the words lit as they are heard, the
feedback beside it, takes compared side by side, progress over time, export and delete.

This module lays the page out and owns its dialogs; ReviewController does the work.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from starcoach.audio.playback import Player
from starcoach.content import Walkthrough
from starcoach.report.export import export_filename
from starcoach.report.review import when_text
from starcoach.ui.common.widgets import ChoiceButtons
from starcoach.ui.review.chart import ProgressView
from starcoach.ui.review.compare import CompareView
from starcoach.ui.review.controller import ReviewController
from starcoach.ui.review.detail import SessionDetail
from starcoach.ui.review.session_list import SessionList
from starcoach.ui.review.widgets import card
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.page import Page

VIEWS = ("session", "compare", "progress")
VIEW_LABELS = {"session": "Session", "compare": "Compare takes", "progress": "Progress"}
EXPORT_FILTERS = {"md": "Markdown (*.md)", "html": "Web page (*.html)"}
NOTICE_MS = 6000


class ReviewPage(Page):
    def __init__(self, context: AppContext, player: Player | None = None) -> None:
        super().__init__()
        self.context = context
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 14)
        root.setSpacing(12)
        root.addLayout(self._title_row())

        body = QHBoxLayout()
        body.setSpacing(18)
        self.sessions = SessionList()
        self.sessions.setFixedWidth(272)
        body.addWidget(self.sessions)

        self.stack = QStackedWidget()
        self.detail = SessionDetail()
        self.compare = CompareView()
        self.progress = ProgressView()
        self.empty = self._empty_state()
        for widget in (self.detail, self.compare, self.progress, self.empty):
            self.stack.addWidget(widget)
        body.addWidget(self.stack, 1)
        root.addLayout(body, 1)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        root.addWidget(self.notice)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.controller = ReviewController(context, self, player or Player(sd=context.sd))
        self.detail.export_requested.connect(self.ask_export)
        self.detail.delete_requested.connect(self.ask_delete)
        self._view = "session"
        self._has_content = False
        self.set_view("session")

        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self._space)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # On a small screen the history column gives the transcript and feedback the room.
        wide = event.size().width() >= 1000
        self.sessions.setFixedWidth(272 if wide else 236)
        self.sessions.this_button.setText("This question" if wide else "This one")
        self.sessions.all_button.setText("All questions" if wide else "All")

    def _space(self) -> None:
        """Space plays or pauses, unless a button has the focus: then it presses that."""
        from PySide6.QtWidgets import QAbstractButton, QApplication

        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and focused is not self.detail.play_button:
            focused.click()
            return
        self.controller.toggle_play()

    # -- layout --------------------------------------------------------------------------------

    def _title_row(self) -> QHBoxLayout:
        h = QHBoxLayout()
        h.setSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        title = QLabel("Review")
        title.setObjectName("PageTitle")
        self.question_label = QLabel()
        self.question_label.setObjectName("Muted")
        self.question_label.setWordWrap(True)
        titles.addWidget(title)
        titles.addWidget(self.question_label)
        h.addLayout(titles, 1)
        self.view_group = ChoiceButtons(self)
        self.view_buttons: dict[str, QPushButton] = {}
        views = QHBoxLayout()
        views.setSpacing(4)
        for name in VIEWS:
            button = QPushButton(VIEW_LABELS[name])
            button.setObjectName("Segment")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name: self.set_view(n))
            self.view_group.addButton(button)
            self.view_buttons[name] = button
            views.addWidget(button)
        h.addLayout(views)
        return h

    def _empty_state(self) -> QWidget:
        box = QVBoxLayout()
        box.setContentsMargins(40, 40, 40, 40)
        box.addStretch(1)
        star = QLabel("★")
        star.setAlignment(Qt.AlignmentFlag.AlignCenter)
        star.setStyleSheet(f"font-size: 40pt; color: {theme.current().border};")
        self.star = star
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() + 1.5)
        self.empty_label.setFont(font)
        hint = QLabel(
            "Each answer you record is kept here with its audio and feedback, so you can "
            "listen back, compare takes and watch your scores climb."
        )
        hint.setObjectName("Muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setMaximumWidth(460)
        self.empty_hint = hint
        self.clear_button = QPushButton("Clear search and filters")
        self.clear_button.clicked.connect(self.sessions.clear_filters)
        box.addWidget(star)
        box.addWidget(self.empty_label)
        box.addWidget(hint, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(8)
        box.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        return card(box)

    # -- what the controller drives ------------------------------------------------------------

    def show_empty(self, text: str) -> None:
        self._has_content = False
        self.empty_label.setText(text)
        self.empty_hint.setVisible(not self.controller.all_sessions)
        self.clear_button.setVisible(self.sessions.filtering)
        self.star.setStyleSheet(f"font-size: 40pt; color: {theme.current().border};")
        self._update_stack()

    def show_content(self) -> None:
        self._has_content = True
        self._update_stack()

    def set_question_title(self, text: str) -> None:
        self.question_label.setText(text)

    def notify(self, text: str, kind: str = "info") -> None:
        self.notice.setStyleSheet(f"color: {theme.notice_color(kind)};")
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start(NOTICE_MS)

    def set_view(self, name: str) -> None:
        self._view = name
        self.view_buttons[name].setChecked(True)
        if name != "session":
            self.controller.pause()
        self._update_stack()

    @property
    def view(self) -> str:
        return self._view

    def _update_stack(self) -> None:
        if self._view == "progress":
            self.stack.setCurrentWidget(self.progress)
        elif not self._has_content:
            self.stack.setCurrentWidget(self.empty)
        elif self._view == "compare":
            self.stack.setCurrentWidget(self.compare)
        else:
            self.stack.setCurrentWidget(self.detail)

    # -- dialogs -------------------------------------------------------------------------------

    def ask_export(self, fmt: str) -> None:
        session = self.controller.session
        if session is None:
            return
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        suggested = str(Path(folder) / export_filename(session, fmt))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export session", suggested, EXPORT_FILTERS.get(fmt, "")
        )
        if path:
            if not Path(path).suffix:
                path += f".{fmt}"
            self.controller.export(session.id, path, fmt)

    def ask_delete(self) -> None:
        session = self.controller.session
        if session is None:
            return
        if self.confirm_delete(when_text(session)):
            self.controller.delete(session.id)

    def confirm_delete(self, when: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Delete this session?",
            f"Delete the session of {when}, its feedback and its recordings?\n\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- Page ----------------------------------------------------------------------------------

    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        self.controller.set_question(walkthrough)

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving Review mode stops the sound; minimising the window (spontaneous) does not.
        if not event.spontaneous():
            self.controller.pause()
        super().hideEvent(event)

    def shutdown(self) -> None:
        self.controller.shutdown()
