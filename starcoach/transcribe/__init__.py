"""Speech to text: the engine protocol, the faster-whisper engine, audio loading, model location."""

from starcoach.transcribe.audio_io import SAMPLE_RATE, load_audio
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.types import Transcript, Word

__all__ = [
    "SAMPLE_RATE",
    "Transcript",
    "TranscriptionEngine",
    "TranscriptionOptions",
    "Word",
    "load_audio",
]
