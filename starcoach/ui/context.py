"""What every page of the window is given: the app's services, built once in app.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starcoach.content import Library
from starcoach.practice import PracticeService
from starcoach.settings import Settings, SettingsSaveError, save_settings
from starcoach.store import Store
from starcoach.transcribe.engine import TranscriptionEngine


@dataclass
class AppContext:
    library: Library
    store: Store
    engine: TranscriptionEngine
    service: PracticeService
    settings: Settings
    settings_file: Path | None = None
    sd: Any | None = None  # sounddevice, or a fake in tests
    extras: dict[str, Any] = field(default_factory=dict)
    on_problem: Callable[[str], None] | None = None
    """Shows a message in the window (the main window sets it)."""

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
