"""Hesitations ("um", "uh", "er", "hmm") that the recogniser leaves out, found in the audio.

Whisper was trained on transcripts that drop disfluencies, so it mostly leaves them out and
stretches the neighbouring words over them (faster-whisper #901, whisperX #293). A second
look finds them: the audio is cut into *islands* of sound between short silences, and an
island short enough to be a hesitation is decoded again on its own, with a disfluent prompt
that lets Whisper write what it hears. An island it then writes as a hesitation is one, and
goes into the transcript as a ``Word`` marked ``filler=True`` at its place and time.

Measured on a labelled TTS set (benchmarks/fillers.py; see docs/notes) against decoding
everything with a disfluent prompt, which finds fewer and invents words elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.types import Word

# What Whisper writes for a hesitation, once it is allowed to, and how the transcript
# spells it (the spellings the coach's filler count knows).
_SPELLING = {
    "um": "um",
    "umm": "um",
    "ummm": "um",
    "uhm": "um",
    "uh": "uh",
    "uhh": "uh",
    "er": "er",
    "erm": "er",
    "ah": "uh",
    "ahh": "uh",
    "hmm": "hmm",
    "hm": "hmm",
    "hmmm": "hmm",
    "mm": "hmm",
    "mmm": "hmm",
}
HESITATIONS = frozenset(_SPELLING)
# The prompt that lets it: a transcript written with its hesitations.
DISFLUENT_PROMPT = "Umm, let me think like, hmm... Okay, uh, here's what I'm, like, thinking."

_HOP = SAMPLE_RATE // 100  # 10 ms frames


@dataclass(frozen=True)
class FillerSettings:
    min_island_s: float = 0.12  # shorter than a hesitation
    max_island_s: float = 0.9  # longer: words, not a hesitation
    min_gap_s: float = 0.06  # silence that bounds an island
    floor_db: float = 35.0  # below the loud speech level by this much is silence
    pad_s: float = 0.08
    spacing_s: float = 0.6  # silence between candidates decoded together
    batch: int = 12  # candidates per decode (they fit one 30 s window)
    dropped_words: bool = True  # a short sound the first pass left out is a hesitation
    dropped_max_s: float = 0.6
    dropped_near_s: float = 0.6


def is_hesitation(text: str) -> bool:
    return re.sub(r"[^a-z]", "", text.lower()) in HESITATIONS


def islands(audio: AudioArray, s: FillerSettings | None = None) -> list[tuple[int, int]]:
    """(start, end) samples of each stretch of sound bounded by silence, short enough to be
    a hesitation."""
    s = s or FillerSettings()
    frames = audio.size // _HOP
    if frames < 3:
        return []
    power = np.square(audio[: frames * _HOP].astype(np.float64)).reshape(frames, _HOP).mean(1)
    db = 10.0 * np.log10(power + 1e-10)
    loud = float(np.percentile(db, 95))
    active = db > max(loud - s.floor_db, -60.0)
    # Bridge holes shorter than a bounding silence (a stop consonant inside a word).
    min_gap = max(1, int(s.min_gap_s * 100))
    runs: list[list[int]] = []
    for i, on in enumerate(active):
        if not on:
            continue
        if runs and i - runs[-1][1] <= min_gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    lo, hi = int(s.min_island_s * 100), int(s.max_island_s * 100)
    return [(a * _HOP, b * _HOP) for a, b in runs if lo <= b - a <= hi]


def find_fillers(
    audio: AudioArray,
    words: Sequence[Word],
    engine: TranscriptionEngine,
    settings: FillerSettings | None = None,
) -> list[Word]:
    """Hesitations in ``audio`` that ``words`` (its transcript) does not already have."""
    s = settings or FillerSettings()
    found: list[Word] = []
    have = [(w.start, w.end) for w in words if w.start is not None and is_hesitation(w.text)]
    pad = int(s.pad_s * SAMPLE_RATE)
    candidates = [
        (a, b)
        for a, b in islands(audio, s)
        if not any(
            ws is not None and we is not None and ws < b / SAMPLE_RATE and we > a / SAMPLE_RATE
            for ws, we in have
        )
    ]
    # All candidates in one decode (one encoder pass per 30 s instead of one per island),
    # apart by silence so each is heard on its own; words are mapped back by their times.
    gap = np.zeros(int(s.spacing_s * SAMPLE_RATE), dtype=np.float32)
    options = TranscriptionOptions(
        beam_size=1, vad_filter=False, initial_prompt=DISFLUENT_PROMPT, fillers=False
    )
    for batch_start in range(0, len(candidates), s.batch):
        batch = candidates[batch_start : batch_start + s.batch]
        pieces: list[AudioArray] = []
        spans: list[tuple[float, float]] = []
        at = gap.size
        pieces.append(gap)
        for a, b in batch:
            piece = audio[max(0, a - pad) : b + pad]
            spans.append((at / SAMPLE_RATE, (at + piece.size) / SAMPLE_RATE))
            pieces.extend([piece, gap])
            at += piece.size + gap.size
        heard: list[list[str]] = [[] for _ in batch]
        for w in engine.transcribe(np.concatenate(pieces), options).words:
            if w.start is None or w.end is None:
                continue
            mid = (w.start + w.end) / 2
            best = min(range(len(spans)), key=lambda i: _distance(spans[i], mid))
            if _distance(spans[best], mid) < s.spacing_s / 2:
                heard[best].append(w.text)
        for (a, b), texts in zip(batch, heard, strict=True):
            start, end = round(a / SAMPLE_RATE, 3), round(b / SAMPLE_RATE, 3)
            text = _verdict(texts, start, end, words, s)
            if text is not None:
                found.append(Word(text, start, end, filler=True))
    return found


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _verdict(
    texts: list[str], start: float, end: float, words: Sequence[Word], s: FillerSettings
) -> str | None:
    """The hesitation an island is (its spelling), or None when it is a word."""
    for t in texts:
        # Heard on its own, with its neighbours ("We had, um..."): a hesitation either way.
        if is_hesitation(t):
            return _SPELLING[_letters(t)]
    if not s.dropped_words or len(texts) != 1 or end - start > s.dropped_max_s:
        return None
    # One short sound the first pass left out altogether: Whisper drops disfluencies, not
    # words, so a sound it heard on its own ("Dum.") but not in the answer is a hesitation.
    heard = _letters(texts[0])
    if not heard or len(heard) > 4:
        return None
    near = [
        _letters(w.text)
        for w in words
        if w.start is not None
        and w.end is not None
        and w.end >= start - s.dropped_near_s
        and w.start <= end + s.dropped_near_s
    ]
    if any(SequenceMatcher(None, heard, n).ratio() >= 0.5 for n in near if n):
        return None
    return "um" if "m" in heard else "uh"


def _distance(span: tuple[float, float], t: float) -> float:
    return 0.0 if span[0] <= t <= span[1] else min(abs(t - span[0]), abs(t - span[1]))


def with_fillers(words: Sequence[Word], fillers: Sequence[Word]) -> list[Word]:
    """``words`` with ``fillers`` put in at their times (before the first word that starts
    after a filler's middle)."""
    out = list(words)
    for f in sorted(fillers, key=lambda w: w.start or 0.0):
        mid = ((f.start or 0.0) + (f.end or 0.0)) / 2
        at = next(
            (i for i, w in enumerate(out) if w.start is not None and w.start >= mid), len(out)
        )
        out.insert(at, f)
    return out
