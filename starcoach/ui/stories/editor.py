"""Your own story for a question: a form that writes the same YAML format as the bundled
walkthroughs into your data folder, checked by the same loader before it is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from starcoach.content import STEP_ORDER
from starcoach.content.authoring import draft_story, save_user_walkthrough, slugify
from starcoach.content.loader import ContentLoadError
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext


class _WheelOnlyWhenFocused(QObject):
    """A spin box under the mouse wheel changes only once it has the focus; otherwise the
    wheel scrolls the form (a target silently went from 20 to 13 s)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QSpinBox) and not watched.hasFocus():
            event.ignore()
            return True
        return False


class StoryEditor(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.saved_id: str | None = None
        self.setWindowTitle("Write your own story")
        self.resize(760, 720)
        outer = QVBoxLayout(self)
        intro = QLabel(
            "Tell your own story for a question. It is saved in your data folder in the same "
            "format as the bundled ones, and works in every mode."
        )
        intro.setWordWrap(True)
        intro.setObjectName("Muted")
        outer.addWidget(intro)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setSpacing(10)
        # Room for the scroll bar on the right, so no field runs under it.
        form.setContentsMargins(4, 4, 18, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._wheel_guard = _WheelOnlyWhenFocused(self)
        self.base = QComboBox()
        self.base.addItem("A new question (blank)", None)
        for w in context.library.walkthroughs.values():
            if context.library.is_bundled(w.id):
                self.base.addItem(w.title, w.id)
        form.addRow("Question", self.base)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Tell Me About a Time You Disagreed With Your Manager")
        self.title.textChanged.connect(self._title_changed)
        form.addRow("Title", self.title)
        self.story_id = QLineEdit()
        self.story_id.setPlaceholderText("my-own-story")
        form.addRow("Id", self.story_id)
        self.examples: dict[str, QPlainTextEdit] = {}
        self.phrases: dict[str, QPlainTextEdit] = {}
        self.targets: dict[str, QSpinBox] = {}
        for step in STEP_ORDER:
            header = QLabel(step.capitalize())
            header.setStyleSheet("font-weight: 700; font-size: 12pt; margin-top: 8px;")
            form.addRow(header)
            example = QPlainTextEdit()
            example.setPlaceholderText("Your answer for this step, as you would say it")
            example.setFixedHeight(74)
            example.setTabChangesFocus(True)  # Tab leaves the box: a tab means nothing here
            example.setAccessibleName(f"{step.capitalize()}: your answer")
            phrases = QPlainTextEdit()
            phrases.setPlaceholderText("Key phrases, one per line (the words you must say)")
            phrases.setFixedHeight(58)
            phrases.setTabChangesFocus(True)
            phrases.setAccessibleName(f"{step.capitalize()}: key phrases")
            target = QSpinBox()
            target.setRange(5, 600)
            target.setSuffix(" s target")
            target.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            target.installEventFilter(self._wheel_guard)
            target.setAccessibleName(f"{step.capitalize()}: target time in seconds")
            self.examples[step], self.phrases[step], self.targets[step] = example, phrases, target
            form.addRow("Your answer", example)
            form.addRow("Key phrases", phrases)
            form.addRow("Time", target)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_widget)
        outer.addWidget(scroll, 1)
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        outer.addWidget(self.errors)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.base.currentIndexChanged.connect(self._base_changed)
        self._base_changed()

    def _title_changed(self, text: str) -> None:
        self.story_id.setText(slugify(text) if text.strip() else "")

    def _base_changed(self) -> None:
        base_id = self.base.currentData()
        base = self.context.library.get(base_id) if base_id else None
        data = draft_story(base, self.title.text() or "x")
        for step in data["steps"]:
            name = step["name"]
            self.targets[name].setValue(int(step["target_s"]))
            if not self.phrases[name].toPlainText().strip():
                self.phrases[name].setPlainText("\n".join(step.get("key_phrases", [])))
        if base is not None and not self.title.text():
            self.title.setText(base.title)

    def data(self) -> dict[str, Any]:
        base_id = self.base.currentData()
        base = self.context.library.get(base_id) if base_id else None
        data = draft_story(base, self.title.text().strip(), self.story_id.text().strip() or None)
        for step in data["steps"]:
            name = step["name"]
            example = " ".join(self.examples[name].toPlainText().split())
            if example:
                step["strong_example"] = example
            phrases = [
                line.strip()
                for line in self.phrases[name].toPlainText().splitlines()
                if line.strip()
            ]
            if phrases:
                step["key_phrases"] = phrases
            else:
                step.pop("key_phrases", None)
            step["target_s"] = float(self.targets[name].value())
            if "max_s" in step and step["max_s"] < step["target_s"]:
                step.pop("max_s")
        return data

    def save(self) -> None:
        t = theme.current()
        try:
            path = save_user_walkthrough(self.data(), bundled_ids=self.context.library.bundled_ids)
        except ContentLoadError as exc:
            self.errors.setStyleSheet(f"color: {t.alarm};")
            self.errors.setText("\n".join(f"{e.field}: {e.message}" for e in exc.errors))
            return
        self.saved_id = path.stem
        self.accept()
