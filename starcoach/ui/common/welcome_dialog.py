"""The first start: what StarCoach does, that nothing leaves the laptop, a microphone check.
Shown once (Settings.welcomed remembers it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from starcoach.ui.common.mic_check import MicCheck
from starcoach.ui.shell.context import AppContext

POINTS = (
    (
        "Answer aloud, step by step",
        "Pick a question and answer each STAR step — Situation, Task, Action, Result, "
        "Reflection — against its target time. Press Space to start and stop.",
    ),
    (
        "See what a bar raiser hears",
        "Your words appear as you speak. On Stop you get the key phrases you hit or missed, "
        "the common mistakes you made, and a score.",
    ),
    (
        "Nothing leaves this computer",
        "Speech is transcribed here, by a model that ships with StarCoach. No account, no "
        "upload; recordings and feedback stay in your data folder.",
    ),
)


class WelcomeDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Welcome to StarCoach")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(14)
        title = QLabel("★ Welcome to StarCoach")
        title.setObjectName("PageTitle")
        layout.addWidget(title)
        for heading, text in POINTS:
            h = QLabel(heading)
            h.setStyleSheet("font-weight: 700; font-size: 11.5pt;")
            body = QLabel(text)
            body.setWordWrap(True)
            body.setObjectName("Muted")
            layout.addWidget(h)
            layout.addWidget(body)
        layout.addSpacing(6)
        check = QLabel("Check your microphone")
        check.setStyleSheet("font-weight: 700; font-size: 11.5pt;")
        layout.addWidget(check)
        self.mic = MicCheck(context.sd, context.settings.microphone)
        layout.addWidget(self.mic)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        start = QPushButton("Start practising")
        start.setObjectName("Primary")
        start.setDefault(True)
        start.clicked.connect(self.accept)
        buttons.addWidget(start)
        layout.addLayout(buttons)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)

    def done(self, result: int) -> None:
        self.mic.stop()
        settings = self.context.settings
        settings.microphone = self.mic.selected_device()
        settings.welcomed = True
        self.context.save_settings()
        super().done(result)
