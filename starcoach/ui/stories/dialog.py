"""Your stories, first-class: pick a principle or a question and the story that answers it,
draft a story from your notes, and see which principles your stories cover.

Three tabs in one dialog, opened from the sidebar. The logic lives in the Qt-free core
(:mod:`starcoach.content.draft`, :mod:`starcoach.coverage`); this module only lays it out.
"""

from __future__ import annotations

from typing import Any

import yaml
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from starcoach.clock import running
from starcoach.content import STEP_ORDER, load_library
from starcoach.content.authoring import save_user_walkthrough, to_yaml
from starcoach.content.draft import draft_from_notes
from starcoach.content.loader import ContentLoadError
from starcoach.content.questions import principle_key
from starcoach.coverage import coverage, suggest_stories
from starcoach.ui.common.widgets import LevelMeter
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.stories.controller import AloudState, TellAloudController
from starcoach.ui.study.widgets import chips

ALL = "__all__"


def _muted(text: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setObjectName("Muted")
    lab.setWordWrap(True)
    return lab


def _section(text: str) -> QLabel:
    lab = QLabel(text.upper())
    lab.setObjectName("SectionLabel")
    return lab


class QuestionsTab(QWidget):
    """Principle -> question -> which of your stories answers it (best-fitting first)."""

    practise = Signal(str, str)
    """question id, story id"""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        outer = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(split)

        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(_section("Principle"))
        self.principles = QListWidget()
        self.principles.setAccessibleName("Principles")
        lv.addWidget(self.principles, 1)
        split.addWidget(left)

        middle = QWidget()
        mv = QVBoxLayout(middle)
        mv.addWidget(_section("Question"))
        self.meaning = _muted()
        mv.addWidget(self.meaning)
        self.questions = QListWidget()
        self.questions.setAccessibleName("Questions")
        self.questions.setWordWrap(True)
        mv.addWidget(self.questions, 1)
        split.addWidget(middle)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(_section("Answer it with"))
        self.hint = _muted("Best-fitting stories first: by their principles, then their content.")
        rv.addWidget(self.hint)
        self.stories = QListWidget()
        self.stories.setAccessibleName("Stories that answer the question")
        self.stories.setWordWrap(True)
        rv.addWidget(self.stories, 1)
        self.go = QPushButton("Practise this answer")
        self.go.setObjectName("Primary")
        self.go.setEnabled(False)
        self.go.clicked.connect(self._practise)
        rv.addWidget(self.go)
        split.addWidget(right)
        for view in (self.principles, self.questions, self.stories):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.setSizes([300, 420, 440])

        self.principles.currentItemChanged.connect(self._principle_changed)
        self.questions.currentItemChanged.connect(self._question_changed)
        self.stories.currentItemChanged.connect(
            lambda item, _prev: self.go.setEnabled(item is not None)
        )
        self.stories.itemActivated.connect(lambda _item: self._practise())
        self.refresh()

    def refresh(self) -> None:
        library = self.context.library
        self.principles.clear()
        everything = QListWidgetItem("All principles")
        everything.setData(Qt.ItemDataRole.UserRole, ALL)
        self.principles.addItem(everything)
        for principle in library.principles.values():
            item = QListWidgetItem(principle.name)
            item.setData(Qt.ItemDataRole.UserRole, principle.name)
            item.setToolTip(principle.meaning or "")
            self.principles.addItem(item)
        self.principles.setCurrentRow(0)

    def select_principle(self, name: str) -> None:
        for row in range(self.principles.count()):
            item = self.principles.item(row)
            data = str(item.data(Qt.ItemDataRole.UserRole))
            if principle_key(data) == principle_key(name):
                self.principles.setCurrentRow(row)
                return

    def select_question(self, question_id: str) -> None:
        for row in range(self.questions.count()):
            if self.questions.item(row).data(Qt.ItemDataRole.UserRole) == question_id:
                self.questions.setCurrentRow(row)
                return

    def _principle_changed(self, item: QListWidgetItem | None, _prev: object) -> None:
        if item is None:
            return
        library = self.context.library
        name = str(item.data(Qt.ItemDataRole.UserRole))
        if name == ALL:
            self.meaning.setText("Every question: the bank's and the walkthroughs'.")
            questions = list(library.questions.values())
        else:
            found = library.principles.get(principle_key(name))
            self.meaning.setText(found.meaning or "" if found else "")
            questions = library.questions_for(name)
        self.questions.clear()
        for question in questions:
            row = QListWidgetItem(question.title)
            row.setData(Qt.ItemDataRole.UserRole, question.id)
            row.setToolTip(", ".join(question.principles))
            self.questions.addItem(row)
        if questions:
            self.questions.setCurrentRow(0)
        else:
            self.stories.clear()

    def _question_changed(self, item: QListWidgetItem | None, _prev: object) -> None:
        self.stories.clear()
        if item is None:
            return
        library = self.context.library
        question_id = str(item.data(Qt.ItemDataRole.UserRole))
        question = library.question(question_id)
        ranked = suggest_stories(library, question_id)
        own_story = question.story_id
        for rank, suggestion in enumerate(ranked):
            mine = not library.is_bundled(suggestion.story_id)
            mark = "★ " if rank < 3 and suggestion.score >= 2 else ""
            whose = "yours" if mine else "bundled"
            if suggestion.story_id == own_story:
                whose = "its own story"
            text = f"{mark}{suggestion.title}  ({whose})\n{suggestion.reason}"
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, suggestion.story_id)
            self.stories.addItem(row)
        if ranked:
            self.stories.setCurrentRow(0)

    def _practise(self) -> None:
        question = self.questions.currentItem()
        story = self.stories.currentItem()
        if question is None or story is None:
            return
        self.practise.emit(
            str(question.data(Qt.ItemDataRole.UserRole)), str(story.data(Qt.ItemDataRole.UserRole))
        )


class StoryBuilder(QWidget):
    """Notes in, a draft out: the YAML as editable text beside its steps' chips; Save writes it
    into your data folder after the loader has checked it."""

    saved = Signal(str)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Title"))
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Checkout latency nobody owned (optional)")
        self.title.setAccessibleName("Story title")
        top.addWidget(self.title, 1)
        outer.addLayout(top)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Your notes")
        self.notes.setPlaceholderText(
            "Paste or type your story: prose or bullet points, in the order it happened. "
            'Numbers, what you did ("I profiled the endpoint"), what you learned.'
        )
        self.notes.setMaximumHeight(150)
        outer.addWidget(self.notes)
        row = QHBoxLayout()
        self.draft_button = QPushButton("Draft it")
        self.draft_button.setObjectName("Primary")
        self.draft_button.clicked.connect(self.make_draft)
        row.addWidget(self.draft_button)
        self.aloud_button = QPushButton("●  Tell it aloud")
        self.aloud_button.setAccessibleName("Tell your story aloud")
        self.aloud_button.setAccessibleDescription(
            "Records from your microphone; at Stop your words go into the notes and are drafted"
        )
        self.aloud_button.setToolTip(
            "Tell the story once from your microphone instead of typing it: at Stop it is "
            "transcribed on this computer, added to your notes and drafted."
        )
        row.addWidget(self.aloud_button)
        hint = _muted("StarCoach proposes the STAR split and each step's key phrases; edit both.")
        row.addWidget(hint, 1)
        outer.addLayout(row)
        outer.addWidget(self._aloud_panel())

        split = QSplitter(Qt.Orientation.Horizontal)
        self.yaml = QPlainTextEdit()
        self.yaml.setAccessibleName("The draft, as it will be saved")
        self.yaml.setPlaceholderText("The draft appears here.")
        # YAML is read by its indentation: wrapped lines would look like broken nesting.
        self.yaml.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.yaml.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.yaml.textChanged.connect(self._preview)
        split.addWidget(self.yaml)
        self.preview_host = QWidget()
        self.preview = QVBoxLayout(self.preview_host)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview_host)
        split.addWidget(scroll)
        split.setSizes([520, 520])
        outer.addWidget(split, 1)

        bottom = QHBoxLayout()
        self.errors = QLabel()
        self.errors.setObjectName("Muted")
        self.errors.setWordWrap(True)
        bottom.addWidget(self.errors, 1)
        self.save_button = QPushButton("Save to my stories")
        self.save_button.setObjectName("Primary")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)

        self.aloud = TellAloudController(context, self)
        self.aloud_button.clicked.connect(self.aloud.start)
        self.stop_button.clicked.connect(self.aloud.stop)
        self.aloud.state_changed.connect(self._aloud_state)
        self.aloud.tick.connect(self._aloud_tick)
        self.aloud.progress.connect(self._aloud_progress)
        self.aloud.transcribed.connect(self._transcribed)
        self.aloud.problem.connect(self._aloud_problem)

    # -- telling it aloud ------------------------------------------------------------------
    def _aloud_panel(self) -> QFrame:
        """The live microphone: what is happening, the clock, the level, Stop; then the
        transcription's progress. Hidden until the first "Tell it aloud"."""
        panel = QFrame()
        panel.setObjectName("Card")
        h = QHBoxLayout(panel)
        h.setContentsMargins(12, 8, 12, 8)
        h.setSpacing(12)
        self.aloud_status = QLabel()
        self.aloud_status.setWordWrap(True)
        self.aloud_status.setTextFormat(Qt.TextFormat.PlainText)
        self.aloud_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        h.addWidget(self.aloud_status, 1)
        self.aloud_clock = QLabel(running(0))
        self.aloud_clock.setObjectName("AloudClock")
        self.aloud_clock.setAccessibleName("Time recorded")
        h.addWidget(self.aloud_clock)
        self.aloud_meter = LevelMeter()
        self.aloud_meter.setFixedWidth(140)
        # Named, so the meter does not read as a time bar (as on the practice page).
        self.aloud_meter_label = _muted("Mic level")
        self.aloud_meter_label.setWordWrap(False)
        self.aloud_meter_label.setBuddy(self.aloud_meter)
        h.addWidget(self.aloud_meter_label)
        h.addWidget(self.aloud_meter)
        self.aloud_progress = QProgressBar()
        self.aloud_progress.setRange(0, 100)
        self.aloud_progress.setFixedWidth(200)
        self.aloud_progress.setAccessibleName("Transcribing your recording")
        h.addWidget(self.aloud_progress)
        self.stop_button = QPushButton("■  Stop")
        self.stop_button.setObjectName("Record")
        self.stop_button.setAccessibleName("Stop recording and transcribe")
        h.addWidget(self.stop_button)
        self.aloud_frame = panel
        # As tall as with its Stop button: the draft below does not jump as the state changes.
        self.aloud_status.setMinimumHeight(self.stop_button.sizeHint().height())
        self._show_live(False, progress=False)
        panel.hide()
        return panel

    def _show_live(self, live: bool, *, progress: bool) -> None:
        for widget in (
            self.aloud_clock,
            self.aloud_meter_label,
            self.aloud_meter,
            self.stop_button,
        ):
            widget.setVisible(live)
        self.aloud_progress.setVisible(progress)

    def _say(self, text: str, *, problem: bool = False) -> None:
        t = theme.current()
        self.aloud_status.setStyleSheet(f"color: {t.alarm};" if problem else "")
        self.aloud_status.setText(("⚠  " if problem else "") + text)
        self.aloud_frame.show()

    def _aloud_state(self, state: AloudState) -> None:
        recording = state.recording
        self.aloud_button.setEnabled(state is AloudState.IDLE)
        self.draft_button.setEnabled(state is AloudState.IDLE)
        self._show_live(recording, progress=state is AloudState.TRANSCRIBING)
        if state is AloudState.STARTING:
            self.aloud_clock.setText(running(0))
            self.aloud_meter.set_level(0.0)
            self._say("Opening the microphone…")
            self.stop_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif state is AloudState.RECORDING:
            self._say("Listening: tell your story from the start, then press Stop.")
        elif state is AloudState.TRANSCRIBING:
            self.aloud_meter.set_level(0.0)
            self.aloud_progress.setValue(0)
            self._say("Transcribing your recording on this computer…")
        elif self.aloud_button.isVisible() and not self.aloud_button.hasFocus():
            self.aloud_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _aloud_tick(self, elapsed: float, level: float) -> None:
        self.aloud_clock.setText(running(elapsed))
        self.aloud_meter.set_level(level)

    def _aloud_progress(self, fraction: float) -> None:
        self.aloud_progress.setValue(round(100 * fraction))

    def _aloud_problem(self, message: str) -> None:
        self._say(message, problem=True)

    def _transcribed(self, text: str, note: str) -> None:
        """The words go after what is in the notes, then the whole is drafted."""
        before = self.notes.toPlainText().rstrip()
        self.notes.setPlainText(f"{before}\n\n{text}" if before else text)
        self.make_draft()
        words = len(text.split())
        said = f"Added {words} words to your notes and drafted them: check the split."
        if note:
            self._say(f"{note} {said}", problem=True)
        else:
            self._say(said)

    def say_still_transcribing(self) -> None:
        self._say("Still transcribing your recording — a moment, then close.")

    def shutdown(self) -> None:
        """Closing: a recording still running is stopped and kept (in the data folder)."""
        self.aloud.shutdown()

    def make_draft(self) -> None:
        notes = self.notes.toPlainText()
        if not notes.strip():
            self.errors.setText("Write or paste your story first.")
            return
        draft = draft_from_notes(notes, title=self.title.text() or None)
        self.yaml.setPlainText(to_yaml(draft.to_data()))
        self.errors.setText("Check the split and the key phrases, then save.")

    def data(self) -> dict[str, Any] | None:
        try:
            data = yaml.safe_load(self.yaml.toPlainText())
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            self.errors.setText(f"The draft is not valid YAML{where}: fix it or draft again.")
            return None
        return data if isinstance(data, dict) else None

    def _preview(self) -> None:
        while self.preview.count():
            item = self.preview.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        data = self.data()
        self.save_button.setEnabled(data is not None)
        if data is None:
            return
        self.errors.setText("")
        principles = data.get("principles") or []
        if isinstance(principles, list) and principles:
            self.preview.addWidget(_section("Fits"))
            self.preview.addWidget(chips([str(p) for p in principles]))
        steps = data.get("steps") or []
        for step in steps if isinstance(steps, list) else []:
            if not isinstance(step, dict) or step.get("name") not in STEP_ORDER:
                continue
            self.preview.addWidget(_section(str(step["name"])))
            notes = step.get("strong_example")
            if notes:
                note = _muted(f"Your notes: {notes}")
                note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.preview.addWidget(note)
            phrases = [str(p) for p in step.get("key_phrases") or []]
            if phrases:
                self.preview.addWidget(chips(phrases))
            else:
                self.preview.addWidget(_muted("No key phrase yet: add one under key_phrases."))

    def save(self) -> None:
        data = self.data()
        if data is None:
            return
        try:
            path = save_user_walkthrough(data, bundled_ids=self.context.library.bundled_ids)
        except ContentLoadError as exc:
            self.errors.setText(
                "Not saved: " + "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
            )
            return
        except OSError as exc:
            self.errors.setText(f"Could not save: {exc.strerror or exc}")
            return
        self.errors.setText(f"Saved to {path}")
        self.saved.emit(str(data.get("id")))


class CoverageView(QWidget):
    """Principles x your stories: covered, uncovered, last score, what to practise next."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(_section("Principles × stories"))
        self.table = QTableWidget()
        self.table.setAccessibleName("Which principles each story covers")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        left.addWidget(self.table, 1)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(_section("Practise next"))
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan.setTextFormat(Qt.TextFormat.PlainText)
        right.addWidget(self.plan)
        right.addSpacing(12)
        right.addWidget(_section("No story yet"))
        self.uncovered = _muted()
        right.addWidget(self.uncovered)
        right.addStretch(1)
        outer.addLayout(right, 1)
        self.refresh()

    def refresh(self) -> None:
        library = self.context.library
        cov = coverage(library, self.context.store.list_sessions())
        # Your stories first, then the practised bundled ones, then the rest.
        stories = sorted(
            cov.stories, key=lambda s: (not s.own, s.last_score is None, s.title.casefold())
        )
        self.table.clear()
        self.table.setRowCount(len(cov.principles) + 1)
        self.table.setColumnCount(len(stories))
        for col, status in enumerate(stories):
            title = status.title if len(status.title) <= 20 else status.title[:19] + "…"
            head = QTableWidgetItem(("★ " if status.own else "") + title)
            head.setToolTip(status.title)
            self.table.setHorizontalHeaderItem(col, head)
        self.table.setVerticalHeaderItem(0, QTableWidgetItem("Last score"))
        for col, status in enumerate(stories):
            score = f"{status.last_score:g}" if status.last_score is not None else "—"
            cell = QTableWidgetItem(score)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if status.weakest_step:
                cell.setToolTip(f"Weakest step: {status.weakest_step} ({status.weakest_score})")
            self.table.setItem(0, col, cell)
        for row, principle in enumerate(cov.principles, 1):
            header = QTableWidgetItem(principle)
            meaning = library.principles[principle_key(principle)].meaning
            header.setToolTip(meaning or "")
            self.table.setVerticalHeaderItem(row, header)
            for col, status in enumerate(stories):
                covered = cov.covers(status.story_id, principle)
                cell = QTableWidgetItem("✓" if covered else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, cell)
        for col in range(len(stories)):
            self.table.setColumnWidth(col, 170)
        self.plan.setText("\n\n".join(f"• {d.text}" for d in cov.plan) or "Nothing pressing.")
        self.uncovered.setText(", ".join(cov.uncovered) or "Every principle has a story.")


class StoriesDialog(QDialog):
    """The three views together; ``chosen`` is (question, story) when the user asked to
    practise, ``saved_ids`` the stories saved meanwhile."""

    TABS = ("questions", "builder", "coverage")

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, tab: str = "questions"
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.chosen: tuple[str, str] | None = None
        self.saved_ids: list[str] = []
        self.setWindowTitle("Questions and your stories")
        self.resize(1180, 760)
        v = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.questions = QuestionsTab(context)
        self.builder = StoryBuilder(context)
        self.coverage = CoverageView(context)
        self.tabs.addTab(self.questions, "Questions")
        self.tabs.addTab(self.builder, "Story builder")
        self.tabs.addTab(self.coverage, "Coverage")
        self.tabs.setCurrentIndex(self.TABS.index(tab) if tab in self.TABS else 0)
        v.addWidget(self.tabs)
        self.questions.practise.connect(self._practise)
        self.builder.saved.connect(self._saved)

    def reject(self) -> None:
        """Esc or the close box while telling a story: Stop (the words are transcribed into
        the notes, nothing is lost); while transcribing, wait for it."""
        aloud = self.builder.aloud
        if aloud.state.recording:
            self.tabs.setCurrentWidget(self.builder)
            aloud.stop()
            return
        if aloud.busy():
            self.tabs.setCurrentWidget(self.builder)
            self.builder.say_still_transcribing()
            return
        super().reject()

    def done(self, result: int) -> None:
        self.builder.shutdown()
        super().done(result)

    def _practise(self, question_id: str, story_id: str) -> None:
        self.chosen = (question_id, story_id)
        self.accept()

    def _saved(self, story_id: str) -> None:
        chosen = dict(self.context.library.chosen_stories)
        self.context.library = load_library()
        self.context.library.chosen_stories.update(chosen)
        self.context.service.library = self.context.library
        self.saved_ids.append(story_id)
        self.questions.refresh()
        self.coverage.refresh()
