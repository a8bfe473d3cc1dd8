"""Decoder settings per question (measured in benchmarks/bias.py; see docs/notes)."""

from __future__ import annotations

from collections.abc import Sequence

from starcoach.transcribe.engine import TranscriptionOptions

# Whether biasing the decoder toward the step's key phrases is on. Decided by measurement
# (benchmarks/bias.py): kept only if it raises phrase recall without inventing phrases.
USE_HOTWORDS = False


def options_for(key_phrases: Sequence[str]) -> TranscriptionOptions:
    if USE_HOTWORDS and key_phrases:
        return TranscriptionOptions(hotwords=", ".join(key_phrases))
    return TranscriptionOptions()
