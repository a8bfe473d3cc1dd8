"""Decoder settings per question (measured in benchmarks/bias.py; see docs/notes)."""

from __future__ import annotations

from collections.abc import Sequence

from starcoach.transcribe.engine import TranscriptionOptions

# Whether biasing the decoder toward the step's key phrases is on. Decided by measurement
# (`python -m benchmarks.bias`, 99 corpus clips, 221 said / 276 unsaid phrase labels):
#   plain     recall 93.7%, false matches 0.0%, median RTF 0.09
#   hotwords  recall 87.8%, false matches 0.4%, median RTF 0.22
#   prompt    recall 87.8%, false matches 0.4%, median RTF 0.34 (phrases as initial_prompt)
# Biased tiny.en heard fewer of the phrases, invented one, and decoded 2.4-3.7x slower
# (measured while other work shared the 2 cores; the ratios are what count), so it stays off.
USE_HOTWORDS = False


def options_for(key_phrases: Sequence[str]) -> TranscriptionOptions:
    if USE_HOTWORDS and key_phrases:
        return TranscriptionOptions(hotwords=", ".join(key_phrases))
    return TranscriptionOptions()
