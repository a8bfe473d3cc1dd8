"""The faster-whisper engine: one model, loaded once, reused for every transcription."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from starcoach.errors import StarCoachError
from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray
from starcoach.transcribe.engine import ProgressCallback, TranscriptionOptions
from starcoach.transcribe.model_location import ModelNotFound, resolve_model
from starcoach.transcribe.types import Transcript, Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


class TranscriptionFailed(StarCoachError):
    pass


class FasterWhisperEngine:
    """Transcribes 16 kHz float32 audio with faster-whisper (CTranslate2, int8 on the CPU)."""

    def __init__(
        self,
        model: str | None = None,
        *,
        cpu_threads: int | None = None,
        compute_type: str = "int8",
    ) -> None:
        self._model_setting = model
        self._cpu_threads = cpu_threads or os.cpu_count() or 1
        self._compute_type = compute_type
        self._model: WhisperModel | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            path = resolve_model(self._model_setting)
            # Belt and braces: a path faster-whisper does not recognise is taken as a hub
            # repo name; local_files_only and HF_HUB_OFFLINE make that an error, not a download.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from faster_whisper import WhisperModel

            try:
                self._model = WhisperModel(
                    path,
                    device="cpu",
                    compute_type=self._compute_type,
                    cpu_threads=self._cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:  # ctranslate2 raises RuntimeError/ValueError variants
                raise ModelNotFound(f"Cannot load the speech model at {path}: {exc}") from exc

    def transcribe(
        self,
        audio: AudioArray,
        options: TranscriptionOptions | None = None,
        progress: ProgressCallback | None = None,
    ) -> Transcript:
        opts = options or TranscriptionOptions()
        duration = float(audio.size) / SAMPLE_RATE
        if audio.size == 0:
            return Transcript(words=(), duration_s=0.0)
        self.load()
        assert self._model is not None
        kwargs: dict[str, Any] = {
            "language": "en",
            "beam_size": opts.beam_size,
            "word_timestamps": True,
            "vad_filter": opts.vad_filter,
            "condition_on_previous_text": False,
        }
        if opts.hotwords:
            kwargs["hotwords"] = opts.hotwords
        if opts.initial_prompt:
            kwargs["initial_prompt"] = opts.initial_prompt
        words: list[Word] = []
        try:
            segments, _info = self._model.transcribe(
                np.ascontiguousarray(audio, dtype=np.float32), **kwargs
            )
            # segments is lazy: the decoding happens while iterating, here on this thread.
            for segment in segments:
                for w in segment.words or ():
                    words.append(
                        Word(
                            text=w.word.strip(),
                            start=round(float(w.start), 3),
                            end=round(float(w.end), 3),
                            probability=round(float(w.probability), 3),
                        )
                    )
                if progress is not None and duration > 0:
                    progress(min(1.0, float(segment.end) / duration))
        except Exception as exc:
            raise TranscriptionFailed(f"Transcription failed: {exc}") from exc
        words = [w for w in words if w.text]
        if opts.fillers:
            from starcoach.transcribe.fillers import find_fillers, with_fillers

            try:
                words = with_fillers(words, find_fillers(audio, words, self))
            except Exception as exc:
                raise TranscriptionFailed(f"Transcription failed: {exc}") from exc
        if progress is not None:
            progress(1.0)
        return Transcript(words=tuple(words), duration_s=duration)
