"""The transcription engine protocol that the coach, the recorder and the window depend on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from starcoach.transcribe.audio_io import AudioArray
from starcoach.transcribe.types import Transcript

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class TranscriptionOptions:
    """Decoder settings. ``hotwords`` biases the decoder toward the question's key phrases."""

    beam_size: int = 5
    vad_filter: bool = True
    hotwords: str | None = None
    initial_prompt: str | None = None
    # Look again for the hesitations Whisper leaves out (transcribe/fillers.py).
    fillers: bool = True


class TranscriptionEngine(Protocol):
    def load(self) -> None:
        """Load the model (slow, once); safe to call again."""

    @property
    def loaded(self) -> bool: ...

    def transcribe(
        self,
        audio: AudioArray,
        options: TranscriptionOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> Transcript: ...
