"""The Page base: what the main window expects of each screen (study, practice, mock, review)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from starcoach.content import Walkthrough


class Page(QWidget):
    """What the main window expects of a page."""

    def show_walkthrough(self, walkthrough: Walkthrough) -> None:  # pragma: no cover
        raise NotImplementedError

    def set_level(self, level: str) -> None:
        """The level changed (sde1 / senior)."""

    def busy(self) -> bool:
        """True while leaving would lose something (a recording in progress)."""
        return False

    def focus_first(self) -> None:
        """The page was just opened: put the keyboard focus on its main control."""

    def shutdown(self) -> None:
        """The window is closing: stop everything, keep what can be kept."""
