"""Fakes for fast UI tests (the real parts have their own end-to-end tests)."""

from __future__ import annotations

import numpy as np

from starcoach.transcribe.audio_io import SAMPLE_RATE
from starcoach.transcribe.engine import TranscriptionOptions
from starcoach.transcribe.types import Transcript, Word


class ScriptedEngine:
    """A transcription engine that 'hears' a fixed text, spread over the audio it is given."""

    def __init__(self, text: str, loaded: bool = True) -> None:
        self.words = text.split()
        self._loaded = loaded
        self.calls = 0

    @property
    def loaded(self) -> bool:
        return self._loaded

    def load(self) -> None:
        self._loaded = True

    def transcribe(
        self, audio: np.ndarray, options: TranscriptionOptions | None = None, progress=None
    ) -> Transcript:  # type: ignore[no-untyped-def]
        self.calls += 1
        duration = audio.size / SAMPLE_RATE
        if duration < 0.5 or float(np.abs(audio).max(initial=0.0)) < 1e-3:
            return Transcript(words=(), duration_s=duration)
        step = duration / max(1, len(self.words))
        words = tuple(
            Word(w, round(i * step, 3), round((i + 0.8) * step, 3), 0.9)
            for i, w in enumerate(self.words)
        )
        return Transcript(words=words, duration_s=duration)
