"""Review mode (placeholder until the review page lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from starcoach.content import Walkthrough
from starcoach.ui.context import AppContext
from starcoach.ui.main_window import Page


class ReviewPage(Page):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.title = QLabel()
        QVBoxLayout(self).addWidget(self.title)

    def show_walkthrough(self, walkthrough: Walkthrough) -> None:
        self.title.setText(walkthrough.title)
