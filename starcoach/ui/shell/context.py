"""What every page of the window is given: the app's services (built once by
starcoach.bootstrap, for app.py), the settings, and the ``history.changed`` signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from starcoach.content import Library
from starcoach.practice import PracticeService
from starcoach.settings import Settings, SettingsSaveError, save_settings
from starcoach.store import Store
from starcoach.transcribe.engine import TranscriptionEngine

_SAVING = threading.Lock()


class History(QObject):
    """Tells whoever shows the history that it changed (a take saved, a recording recovered):
    Review listens, so no page calls another."""

    changed = Signal()


@dataclass
class AppContext:
    library: Library
    store: Store
    engine: TranscriptionEngine
    service: PracticeService
    settings: Settings
    settings_file: Path | None = None
    sd: Any | None = None  # sounddevice, or a fake in tests
    problems: list[str] = field(default_factory=list)
    """Shown once the window is up: content files that did not load, unreadable settings."""
    warm_microphone: bool | None = None
    """Keep the microphone open between takes (None: only with the real sounddevice)."""
    history: History = field(default_factory=History)
    on_problem: Callable[[str], None] | None = None
    """Shows a message in the window (the main window sets it)."""

    def save_settings_soon(self) -> None:
        """Save off the UI thread (a slow disk must not freeze the window); a failure is
        shown in the window like ``save_settings`` shows it."""
        from starcoach.ui.shell.tasks import run_in_background

        snapshot = self.settings.model_copy(deep=True)
        path = self.settings_file

        def failed(exc: BaseException) -> None:
            logging.getLogger(__name__).warning("%s", exc)
            if self.on_problem is not None:
                self.on_problem(str(exc))

        def save() -> None:
            with _SAVING:  # one write at a time, the last one wins
                save_settings(snapshot, path)

        run_in_background(None, save, None, failed)

    def save_settings(self) -> bool:
        """Save; on failure (a full disk) the message is shown in the window, never raised."""
        try:
            save_settings(self.settings, self.settings_file)
        except SettingsSaveError as exc:
            logging.getLogger(__name__).warning("%s", exc)
            if self.on_problem is not None:
                self.on_problem(str(exc))
            return False
        return True
