"""A story told aloud instead of typed (the story builder's "Tell it aloud"), Qt-free.

A ``Dictation`` records through the same ``Recorder`` as a practice take (callback → queue
→ writer thread → FLAC) into the data folder's ``dictations/``, and at Stop transcribes the
whole recording with the app's engine. The audio is on disk before anything is decoded and
is never deleted here: when transcription fails, ``DictationFailed`` says where the
recording is, so nothing that was said is lost.

Thread-safe to poll (``listening``, ``level``, ``elapsed_s``, ``progress``) while another
thread starts or finishes it; ``start`` and ``finish`` are slow (the device, the model) and
belong off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from starcoach.audio import Recorder, RecordingResult
from starcoach.errors import StarCoachError
from starcoach.paths import dictations_dir
from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.types import Transcript

RecorderFactory = Callable[..., Recorder]

# Notes, not a delivery check: no second look for the "um"s (they would land in the notes).
DICTATION_OPTIONS = TranscriptionOptions(fillers=False)
STOP_TAIL_S = 0.3
"""Recorded on after Stop, so the last word still on its way through the sound server is kept."""


class DictationFailed(StarCoachError):
    """The recording could not be turned into text; the message names where the audio is."""

    def __init__(self, reason: str, path: Path | None) -> None:
        kept = f" The recording is kept: {path}" if path is not None else ""
        super().__init__(f"{reason.rstrip('.')}.{kept}")
        self.path = path


@dataclass(frozen=True)
class DictationResult:
    text: str
    transcript: Transcript
    recording: RecordingResult

    @property
    def note(self) -> str | None:
        """What went wrong while recording (the microphone unplugged), the text still kept."""
        return self.recording.error


def new_dictation_path(folder: Path | None = None, now: datetime | None = None) -> Path:
    """A fresh file name for a recording, named by when it began (never one that exists)."""
    folder = dictations_dir() if folder is None else folder
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"story-{stamp}.flac"
    n = 2
    while path.exists():
        path = folder / f"story-{stamp}-{n}.flac"
        n += 1
    return path


class Dictation:
    """One telling: ``start`` the microphone, ``finish`` to stop and get the text."""

    def __init__(
        self,
        engine: TranscriptionEngine,
        path: Path | None = None,
        *,
        device: int | str | None = None,
        sd: Any | None = None,
        recorder_factory: RecorderFactory = Recorder,
    ) -> None:
        self.engine = engine
        self.path = new_dictation_path() if path is None else path
        self.recorder = recorder_factory(self.path, device=device, sd=sd)
        self._progress = 0.0
        self._lock = threading.Lock()
        self._result: DictationResult | None = None

    # -- state, for the UI -------------------------------------------------------------
    @property
    def listening(self) -> bool:
        """The first block has arrived: the microphone hears (start the clock now)."""
        return self.recorder.first_block.is_set()

    @property
    def level(self) -> float:
        return self.recorder.level

    @property
    def elapsed_s(self) -> float:
        return self.recorder.duration_s

    @property
    def ended_by_itself(self) -> bool:
        """The recording stopped without being asked (microphone unplugged, disk full)."""
        return self.recorder.finished.is_set()

    @property
    def problem(self) -> str | None:
        return self.recorder.error

    @property
    def progress(self) -> float:
        """How much of the recording is transcribed, 0..1 (after ``finish`` began)."""
        return self._progress

    # -- start / finish ----------------------------------------------------------------
    def start(self) -> None:
        """Open the microphone and record (slow). Raises AudioError ("No microphone found")
        with nothing left behind."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recorder.start()

    def stop_recording(self) -> RecordingResult:
        """Stop and keep the audio, without transcribing (the builder closed). Never raises."""
        return self.recorder.stop(tail_s=STOP_TAIL_S)

    def finish(self) -> DictationResult:
        """Stop, then transcribe the whole recording. Done once: a second caller gets the
        same result. Raises DictationFailed (the audio stays on disk)."""
        with self._lock:
            if self._result is not None:
                return self._result
            recording = self.stop_recording()
            if recording.frames == 0:
                reason = (
                    recording.error or "Nothing was recorded: no audio came from the microphone"
                )
                raise DictationFailed(reason, None)
            try:
                audio = load_audio(recording.path)
                transcript = self.engine.transcribe(
                    audio, DICTATION_OPTIONS, progress=self._set_progress
                )
            except Exception as exc:  # unreadable audio, a model error: the audio is still safe
                raise DictationFailed(f"Could not transcribe it: {exc}", recording.path) from exc
            text = transcript.text.strip()
            if not text:
                raise DictationFailed("No words were heard in the recording", recording.path)
            self._progress = 1.0
            self._result = DictationResult(text, transcript, recording)
            return self._result

    def _set_progress(self, fraction: float) -> None:
        self._progress = max(self._progress, min(1.0, fraction))
