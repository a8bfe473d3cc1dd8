"""Loads the speech model in the background and says how it is going."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from starcoach.transcribe.engine import TranscriptionEngine
from starcoach.ui.tasks import run_in_background


class ModelLoader(QObject):
    """``state`` is "loading", "ready" or "failed"; ``changed(state, detail)`` tells the UI."""

    changed = Signal(str, str)

    def __init__(self, engine: TranscriptionEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.state = "ready" if engine.loaded else "idle"
        self.detail = ""

    def start(self) -> None:
        if self.state in ("loading", "ready"):
            return
        self._set("loading", "Loading the speech model…")
        run_in_background(self, self.engine.load, self._loaded, self._failed)

    def _loaded(self, _: object) -> None:
        self._set("ready", "Speech model ready (on this computer)")

    def _failed(self, exc: BaseException) -> None:
        self._set("failed", f"Speech model failed to load: {exc}")

    def _set(self, state: str, detail: str) -> None:
        self.state, self.detail = state, detail
        self.changed.emit(state, detail)
