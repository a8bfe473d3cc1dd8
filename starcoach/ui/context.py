"""What every page of the window is given: the app's services, built once in app.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starcoach.content import Library
from starcoach.practice import PracticeService
from starcoach.settings import Settings, save_settings
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

    def save_settings(self) -> None:
        save_settings(self.settings, self.settings_file)
