"""Loads the speech model in the background and says how it is going."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from starcoach.transcribe.engine import TranscriptionEngine
from starcoach.ui.shell.tasks import run_in_background


class ModelState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class ModelLoader(QObject):
    """``state`` is a ModelState; ``changed(state, detail)`` tells the UI."""

    changed = Signal(object, str)  # ModelState, a line for the status bar

    def __init__(
        self,
        engine: TranscriptionEngine,
        parent: QObject | None = None,
        warm_up: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self._warm_up = warm_up
        self.state = ModelState.READY if engine.loaded else ModelState.IDLE
        self.detail = ""
        # Bumped by each load; a load that finishes after a newer one began is dropped.
        self.generation = 0

    def start(self) -> None:
        if self.state in (ModelState.LOADING, ModelState.READY):
            return
        self.generation += 1
        generation, engine = self.generation, self.engine
        self._set(ModelState.LOADING, "Loading the speech model…")
        run_in_background(
            self,
            lambda: self._load(engine),
            lambda result: self._loaded(generation, result),
            lambda exc: self._failed(generation, exc),
        )

    def switch(self, engine: TranscriptionEngine) -> None:
        """Load another model instead; a load still running for the old one is dropped."""
        self.engine = engine
        self.state = ModelState.IDLE
        self.start()

    def _load(self, engine: TranscriptionEngine) -> None:
        engine.load()
        if self._warm_up is not None:
            self._warm_up()

    def _loaded(self, generation: int, _: object) -> None:
        if generation == self.generation:
            self._set(ModelState.READY, "Speech model ready (on this computer)")

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation:
            self._set(ModelState.FAILED, f"Speech model failed to load: {exc}")

    def _set(self, state: ModelState, detail: str) -> None:
        self.state, self.detail = state, detail
        self.changed.emit(state, detail)
