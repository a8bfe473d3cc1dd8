"""The main window: the question list, level and mode on the left; the page on the right."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from starcoach.content import Walkthrough
from starcoach.errors import StarCoachError
from starcoach.ui.common.mic_check import friendly_mic_name
from starcoach.ui.common.widgets import ChoiceButtons, TwoLineItem
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.model_loader import ModelLoader, ModelState
from starcoach.ui.shell.page import Page

SIDEBAR_WIDE = 300
SIDEBAR_NARROW = 236

MODES = ("study", "practice", "mock", "review")
MODE_LABELS = {
    "study": "Study",
    "practice": "Guided practice",
    "mock": "Mock interview",
    "review": "Review",
}


class MainWindow(QMainWindow):
    mode_changed = Signal(str)

    def __init__(self, context: AppContext, pages: dict[str, Page], loader: ModelLoader) -> None:
        super().__init__()
        self.context = context
        self.pages = pages
        self.loader = loader
        self.setWindowTitle("StarCoach")
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)

        root = QWidget()
        layout = QHBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.rail = self._rail()
        layout.addWidget(self.rail)
        self.sidebar = self._sidebar()
        layout.addWidget(self.sidebar)
        self.stack = QStackedWidget()
        for mode in MODES:
            self.stack.addWidget(pages[mode])
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(root)

        self.model_label = QLabel()
        self.statusBar().addWidget(self.model_label, 1)
        self.mic_label = QLabel()
        self.statusBar().addPermanentWidget(self.mic_label)
        context.on_problem = self.show_problem
        self._show_mic()
        loader.changed.connect(self._model_state)
        self._model_state(loader.state, loader.detail)

        for i, mode in enumerate(MODES, 1):
            self._shortcut(f"Ctrl+{i}", partial(self.set_mode, mode))
        self._shortcut("Ctrl+Q", self.close)
        self._shortcut("Ctrl+,", self.open_settings)
        self._shortcut("Ctrl+B", self.toggle_sidebar)
        self._shortcut("Ctrl+L", self.questions.setFocus)

        self._fill_questions()
        self.set_mode("study")

    # -- sidebar ---------------------------------------------------------------------------
    def _rail(self) -> QFrame:
        """What is left of the sidebar when it is folded away: one button to bring it back."""
        rail = QFrame()
        rail.setObjectName("Sidebar")
        rail.setFixedWidth(52)
        v = QVBoxLayout(rail)
        v.setContentsMargins(6, 14, 6, 14)
        self.show_sidebar_button = QPushButton("☰")
        self.show_sidebar_button.setObjectName("Mode")
        self.show_sidebar_button.setToolTip("Show the questions and modes (Ctrl+B)")
        self.show_sidebar_button.setAccessibleName("Show the sidebar")
        self.show_sidebar_button.clicked.connect(self.toggle_sidebar)
        v.addWidget(self.show_sidebar_button)
        v.addStretch(1)
        rail.hide()
        return rail

    def _sidebar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("Sidebar")
        bar.setFixedWidth(SIDEBAR_WIDE)
        v = QVBoxLayout(bar)
        v.setContentsMargins(16, 18, 16, 12)
        v.setSpacing(6)
        head = QHBoxLayout()
        name = QLabel("★ StarCoach")
        name.setObjectName("AppName")
        head.addWidget(name, 1)
        self.hide_sidebar_button = QPushButton("«")
        self.hide_sidebar_button.setObjectName("Mode")
        self.hide_sidebar_button.setToolTip("Fold the sidebar away (Ctrl+B)")
        self.hide_sidebar_button.setAccessibleName("Hide the sidebar")
        self.hide_sidebar_button.clicked.connect(self.toggle_sidebar)
        head.addWidget(self.hide_sidebar_button)
        self.tagline = QLabel("Rehearse STAR answers aloud. Everything stays on this computer.")
        self.tagline.setObjectName("AppTagline")
        self.tagline.setWordWrap(True)
        v.addLayout(head)
        v.addWidget(self.tagline)
        v.addSpacing(8)

        v.addWidget(_section("QUESTION"))
        self.questions = QListWidget()
        self.questions.setWordWrap(False)
        self.questions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.questions.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.questions.setAccessibleName("Questions")
        self.questions.setAccessibleDescription("The question to study or practise (Ctrl+L)")
        self.questions.setMinimumHeight(110)
        # Two lines per question, the rest shortened with "…" (the whole title in the tool
        # tip): the titles differ only at their ends ("Tell Me About a Time You …").
        self.questions.setItemDelegate(TwoLineItem(self.questions))
        self.questions.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.questions.currentItemChanged.connect(self._question_changed)
        v.addWidget(self.questions, 1)
        new_story = QPushButton("+  Write your own story")
        new_story.setObjectName("Mode")
        new_story.setAccessibleName("Write your own story")
        new_story.clicked.connect(self.new_story)
        v.addWidget(new_story)
        self.new_story_button = new_story
        stories = QPushButton("Questions, stories, coverage")
        stories.setObjectName("Mode")
        stories.setAccessibleName("Questions, your stories and coverage")
        stories.clicked.connect(lambda: self.open_stories())
        v.addWidget(stories)
        self.stories_button = stories

        v.addWidget(_section("LEVEL"))
        levels = QHBoxLayout()
        # ChoiceButtons, not QButtonGroup: Tab must reach every level and mode (widgets.py).
        self.level_group = ChoiceButtons(self)
        self.level_buttons: dict[str, QPushButton] = {}
        for key, label in (("sde1", "SDE1 / SDE2"), ("senior", "Senior")):
            button = QPushButton(label)
            button.setObjectName("Segment")
            button.setCheckable(True)
            button.setAccessibleName(f"Level {label}")
            button.clicked.connect(lambda _=False, k=key: self.set_level(k))
            self.level_group.addButton(button)
            self.level_buttons[key] = button
            levels.addWidget(button)
        self.level_buttons[self.context.settings.level].setChecked(True)
        v.addLayout(levels)
        v.addSpacing(4)

        v.addWidget(_section("MODE"))
        self.mode_group = ChoiceButtons(self)
        self.mode_buttons: dict[str, QPushButton] = {}
        for i, mode in enumerate(MODES, 1):
            button = QPushButton(f"{MODE_LABELS[mode]}    Ctrl+{i}")
            button.setObjectName("Mode")
            button.setCheckable(True)
            button.setAccessibleName(MODE_LABELS[mode])
            button.setAccessibleDescription(f"Ctrl+{i}")
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            v.addWidget(button)
        v.addSpacing(4)
        settings = QPushButton("Settings    Ctrl+,")
        settings.setObjectName("Mode")
        settings.setAccessibleName("Settings")
        settings.setAccessibleDescription("Ctrl+,")
        settings.clicked.connect(self.open_settings)
        v.addWidget(settings)
        self.settings_button = settings
        return bar

    def toggle_sidebar(self) -> None:
        folded = self.sidebar.isVisible()
        self.sidebar.setVisible(not folded)
        self.rail.setVisible(folded)
        (self.show_sidebar_button if folded else self.questions).setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A narrower sidebar on a small screen leaves the page (and its feedback) the room.
        size = event.size()
        self.sidebar.setFixedWidth(SIDEBAR_WIDE if size.width() >= 1280 else SIDEBAR_NARROW)
        self.tagline.setVisible(size.height() >= 760)
        self._fit_sidebar_buttons()

    def _fit_sidebar_buttons(self) -> None:
        """Sidebar buttons keep to one line of the sidebar: the shortcut after the label goes
        first ("Guided practice    Ctrl+2" -> "Guided practice"), then the label is shortened
        with "…"; the whole text is always in the tool tip."""
        room = self.sidebar.width() - 32 - 30
        for button in self.sidebar.findChildren(QPushButton):
            if button.objectName() != "Mode":
                continue
            full = button.property("full_text")
            if not isinstance(full, str):
                full = button.text()
                button.setProperty("full_text", full)
                if not button.toolTip():
                    button.setToolTip(full.replace("    ", "  ·  "))
            font = QFont(button.font())
            font.setWeight(QFont.Weight.DemiBold)
            metrics = QFontMetrics(font)
            text = full
            if metrics.horizontalAdvance(text) > room:
                text = full.split("    ")[0]
            if metrics.horizontalAdvance(text) > room:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            if button.text() != text:
                button.setText(text)

    def _fill_questions(self) -> None:
        wanted = self.context.settings.last_question
        self.questions.blockSignals(True)
        self.questions.clear()
        library = self.context.library
        for w in library.walkthroughs.values():
            title = w.title if library.is_bundled(w.id) else f"{w.title}  (yours)"
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, w.id)
            principles = ", ".join(w.principles)
            item.setToolTip(f"{title}\n{principles}" if principles else title)
            self.questions.addItem(item)
        for qid, sid in library.chosen_stories.items():  # a bank question, with your story
            if qid not in library.walkthroughs and sid in library.walkthroughs:
                title = f"{library.question(qid).title}  (with {library.story(sid).title})"
                item = QListWidgetItem(title)
                item.setData(Qt.ItemDataRole.UserRole, qid)
                item.setToolTip(title)
                self.questions.addItem(item)
        self.questions.setCurrentRow(-1)
        self.questions.blockSignals(False)
        ids = [
            self.questions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.questions.count())
        ]
        row = ids.index(wanted) if wanted in ids else 0
        if self.questions.count():
            self.questions.setCurrentRow(row)

    # -- state -----------------------------------------------------------------------------
    @property
    def walkthrough(self) -> Walkthrough | None:
        item = self.questions.currentItem()
        if item is None:
            return None
        return self.context.library.walkthrough_for(item.data(Qt.ItemDataRole.UserRole))

    def current_mode(self) -> str:
        return MODES[self.stack.currentIndex()]

    def set_mode(self, mode: str) -> None:
        current = self.pages[self.current_mode()]
        if mode != self.current_mode() and current.busy():
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            self._check(self.mode_buttons, self.current_mode())
            return
        self._check(self.mode_buttons, mode)
        self.stack.setCurrentIndex(MODES.index(mode))
        w = self.walkthrough
        if w is not None:
            self.pages[mode].show_walkthrough(w)
        self.pages[mode].focus_first()
        self.mode_changed.emit(mode)

    def set_level(self, level: str) -> None:
        if any(p.busy() for p in self.pages.values()):
            self._check(self.level_buttons, self.context.settings.level)
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            return
        self._check(self.level_buttons, level)
        self.context.settings.level = level  # type: ignore[assignment]
        self.context.save_settings()
        for page in self.pages.values():
            page.set_level(level)

    @staticmethod
    def _check(buttons: dict[str, QPushButton], key: str) -> None:
        for k, button in buttons.items():
            button.setChecked(k == key)

    def _question_changed(self, item: QListWidgetItem | None, previous: object) -> None:
        if item is None:
            return
        page = self.pages[self.current_mode()]
        if page.busy():
            self.questions.blockSignals(True)
            if isinstance(previous, QListWidgetItem):
                self.questions.setCurrentItem(previous)
            self.questions.blockSignals(False)
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            return
        qid = item.data(Qt.ItemDataRole.UserRole)
        self.context.settings.last_question = qid
        self.context.save_settings()
        page.show_walkthrough(self.context.library.walkthrough_for(qid))

    def _model_state(self, state: ModelState, detail: str) -> None:
        icon = {ModelState.LOADING: "◌", ModelState.READY: "●", ModelState.FAILED: "⚠"}.get(
            state, "○"
        )
        self.model_label.setText(f"{icon}  {detail or 'Speech model not loaded'}")

    def show_problem(self, message: str) -> None:
        """A problem the user should see, in the status bar (a full disk, say)."""
        self.statusBar().showMessage(f"⚠  {message}", 15000)

    def _show_mic(self) -> None:
        from starcoach.ui.common.mic_check import input_names

        chosen = self.context.settings.microphone
        names = input_names(self.context.sd)
        if chosen:
            text = friendly_mic_name(chosen)
            if names is not None and chosen not in names:
                text += " (not connected)"
        elif names == []:
            text = "none found"
        else:
            text = "the system's default"
        self.mic_label.setText(f"Microphone: {text}")
        self.mic_label.setAccessibleName(self.mic_label.text())

    # -- own stories -----------------------------------------------------------------------
    def new_story(self) -> None:
        from starcoach.content import load_library
        from starcoach.ui.stories.editor import StoryEditor

        if any(p.busy() for p in self.pages.values()):
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            return
        editor = StoryEditor(self.context, self)
        if editor.exec() != StoryEditor.DialogCode.Accepted or editor.saved_id is None:
            return
        chosen = self.context.library.chosen_stories
        self.context.library = load_library()
        self.context.library.chosen_stories.update(chosen)
        self.context.service.library = self.context.library
        self.context.settings.last_question = editor.saved_id
        self._fill_questions()
        self.statusBar().showMessage("Your story is saved and ready in every mode.", 6000)

    def open_stories(self, tab: str = "questions") -> None:
        """Questions, the story builder and coverage; practising a pick opens it here."""
        from starcoach.ui.stories.dialog import StoriesDialog

        if any(p.busy() for p in self.pages.values()):
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            return
        dialog = StoriesDialog(self.context, self, tab=tab)
        dialog.exec()
        if dialog.chosen is None and not dialog.saved_ids:
            return
        if dialog.chosen is not None:
            question_id, story_id = dialog.chosen
            self.context.library.choose_story(question_id, story_id)
            self.context.settings.last_question = question_id
        self._fill_questions()
        if dialog.chosen is not None:
            self.set_mode("practice")

    # -- settings --------------------------------------------------------------------------
    def open_settings(self) -> None:
        from PySide6.QtWidgets import QApplication

        from starcoach.ui.common.settings_dialog import SettingsDialog
        from starcoach.ui.shell import theme

        if any(p.busy() for p in self.pages.values()):
            self.statusBar().showMessage("Stop the recording first (Space).", 4000)
            return
        before = self.context.settings.model_copy()
        dialog = SettingsDialog(self.context, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        after = self.context.settings
        if after.theme != before.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                # After the dialog is gone from the screen: restyling every widget is the
                # one slow thing left on the UI thread here.
                QTimer.singleShot(0, lambda: theme.apply(app, after.theme))
        if after.level != before.level:
            self.set_level(after.level)
        if after.model != before.model:
            self._swap_model(after.model)
        self._show_mic()

    def _swap_model(self, model: str | None) -> None:
        from starcoach.bootstrap import new_engine

        engine = new_engine(model)
        self.context.engine = engine
        self.context.service.engine = engine
        self.loader.switch(engine)

    # -- after the window is up -------------------------------------------------------------
    def after_start(self) -> None:
        if not self.context.settings.welcomed:
            from starcoach.ui.common.welcome_dialog import WelcomeDialog

            welcome = WelcomeDialog(self.context, self)
            accepted = welcome.exec() == WelcomeDialog.DialogCode.Accepted
            self._show_mic()
            if accepted:  # "Start practising" means practice
                self.set_mode("practice")
        problems = self.context.problems
        if problems:
            self.content_problems_dialog(problems).exec()
        self.offer_recovery()
        self.show_next_drill()

    def show_next_drill(self) -> str:
        """What to practise next (coverage's drill plan), in the status bar at start-up."""
        from starcoach.coverage import coverage

        try:
            plan = coverage(self.context.library, self.context.store.list_sessions()).plan
        except StarCoachError:  # a history that cannot be read is reported elsewhere
            return ""
        if not plan:
            return ""
        text = f"Next: {plan[0].text}"
        self.statusBar().showMessage(text, 20000)
        return text

    def content_problems_dialog(self, problems: list[str]) -> QDialog:
        """The content errors in a scrolling box: however many there are, the dialog stays
        on the screen and its OK button in reach."""
        dialog = QDialog(self)
        dialog.setWindowTitle("Some content could not be loaded")
        v = QVBoxLayout(dialog)
        v.addWidget(QLabel("These files were skipped (everything else loaded):"))
        text = QPlainTextEdit("\n".join(problems))
        text.setReadOnly(True)
        text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        v.addWidget(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(dialog.accept)
        v.addWidget(buttons)
        dialog.resize(720, 420)
        return dialog

    def offer_recovery(self) -> None:
        """A recording a crash interrupted is offered back (its audio is on disk). One that
        another StarCoach is recording right now is not offered: its owner holds it."""
        unfinished = self.context.service.unfinished()
        if not unfinished:
            return
        steps = ", ".join(f"{a.step} ({a.started_at[:16].replace('T', ' ')})" for a in unfinished)
        box = QMessageBox(self)
        box.setWindowTitle("Recover an interrupted recording?")
        box.setText(
            f"StarCoach was closed while recording: {steps}.\n\n"
            "The audio was saved as it was recorded. Recover and analyse it now?"
        )
        recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        later = box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        # Enter must not destroy or rewrite anything: keeping it for later is the default.
        box.setDefaultButton(later)
        box.setEscapeButton(later)
        box.exec()
        if box.clickedButton() is recover:
            self._recover(unfinished)
        elif box.clickedButton() is discard:
            kept = [a for a in unfinished if not self.context.service.discard(a)]
            if kept:
                self.statusBar().showMessage(
                    "A recording is in progress in another StarCoach; it was left alone.", 8000
                )

    def _recover(self, attempts: list) -> None:  # type: ignore[type-arg]
        from starcoach.ui.shell.tasks import run_in_background

        self.statusBar().showMessage("Recovering the interrupted recording…")
        service = self.context.service

        def work() -> int:
            from starcoach.store import RecordingInProgress

            count = 0
            for attempt in attempts:
                try:
                    count += service.recover(attempt) is not None
                except RecordingInProgress:
                    continue  # its owner is alive after all: hands off
            return count

        def done(count: int) -> None:
            self.statusBar().showMessage(f"Recovered {count} recording(s): see Review.", 8000)
            self.context.history.changed.emit()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "Recovery failed", str(exc))

        run_in_background(self, work, done, failed, lane="store")

    def _shortcut(self, keys: str, action: Callable[[], object]) -> None:
        QShortcut(QKeySequence(keys), self).activated.connect(action)

    # -- closing ---------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if any(p.busy() for p in self.pages.values()):
            answer = QMessageBox.question(
                self,
                "Recording in progress",
                "A recording is in progress. Stop it, keep it and quit?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        for page in self.pages.values():
            page.shutdown()
        event.accept()


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("SectionLabel")
    return label
