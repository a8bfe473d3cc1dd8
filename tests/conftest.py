"""Shared fixtures. Every test gets its own data folder; Qt never needs a display."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import REPO

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Nothing in the tests may reach a model hub.
os.environ["HF_HUB_OFFLINE"] = "1"

# Layout: unit/<package>/ (Qt-free parts), ui/<screen>/ (the window, offscreen, fakes for the
# microphone and the model), e2e/ (the real model and the virtual microphone; every test
# there is marked e2e by its folder, see e2e/conftest.py), support/ (fakes, the virtual
# microphone), data/ (small fixtures). The corpora and audio fixtures stay in their folders.
# The private PulseAudio "virtual microphone" fixture (pulse_mic) and wait_until.
pytest_plugins = ["tests.support.pulse_mic"]


@pytest.fixture(autouse=True)
def _own_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("starcoach-home")
    monkeypatch.setenv("STARCOACH_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def library():  # type: ignore[no-untyped-def]
    from starcoach.content import load_library

    lib = load_library(user_dir=REPO / "no-user-content")
    assert not lib.errors, lib.errors
    return lib


@pytest.fixture(scope="session")
def whisper_engine():  # type: ignore[no-untyped-def]
    """The real faster-whisper engine on the bundled tiny.en, loaded once per session."""
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    engine = FasterWhisperEngine()
    engine.load()
    return engine
