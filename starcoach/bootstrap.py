"""The one place StarCoach's services are built, for the window (app.py) and the command line.

Settings, content, the store, the speech engine and the practice service that ties them
together: both front ends get them from ``build_services`` so they are wired the same way.
Nothing here loads the speech model (that is slow; the window does it in the background,
the command line when it first needs it) and nothing here imports Qt.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any

from starcoach.content import Library, load_library
from starcoach.practice import PracticeService
from starcoach.settings import Settings, load_settings
from starcoach.store import Store
from starcoach.transcribe.engine import TranscriptionEngine


@dataclass
class Services:
    settings: Settings
    library: Library
    store: Store
    engine: TranscriptionEngine
    service: PracticeService
    problems: list[str] = field(default_factory=list)
    """What to tell the user on start: content files that did not load, unreadable settings."""


def new_engine(model: str | None) -> TranscriptionEngine:
    """A faster-whisper engine on ``model`` (a CTranslate2 folder; None: the bundled tiny.en),
    not loaded yet."""
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    return FasterWhisperEngine(model)


@functools.cache
def engine_for(model: str | None) -> TranscriptionEngine:
    """One engine per process and model setting (the command line: loading is the slow part)."""
    return new_engine(model)


def model_setting(model: str | None = None) -> str | None:
    """The command line's model: ``model`` (--model), else ``STARCOACH_MODEL``, else the one
    chosen in Settings, else None (the bundled tiny.en)."""
    return model or os.environ.get("STARCOACH_MODEL") or load_settings()[0].model


def build_services(
    *,
    engine: TranscriptionEngine | None = None,
    sd: Any | None = None,
) -> Services:
    """Everything a front end needs. ``engine`` defaults to a new engine on the model chosen in
    Settings; ``sd`` is sounddevice, or a fake in tests (None: the real one)."""
    settings, settings_problem = load_settings()
    library = load_library()
    store = Store()
    if engine is None:
        engine = new_engine(settings.model)
    service = PracticeService(store, library, engine, sd=sd)
    problems = [str(e) for e in library.errors]
    if settings_problem:
        problems.append(settings_problem)
    return Services(settings, library, store, engine, service, problems)
