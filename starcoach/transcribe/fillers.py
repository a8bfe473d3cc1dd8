"""Hesitations ("um", "uh", "er", "hmm") that the recogniser leaves out, found in the audio.

Whisper was trained on transcripts that drop disfluencies, so it mostly leaves them out and
stretches the neighbouring words over them (faster-whisper #901, whisperX #293): the gaps
between word timestamps are rarely there to look into. Instead the audio is cut into
*islands* of sound between short silences, and an island short enough to be a hesitation is
judged twice:

- by ear (``sounds_like_hesitation``, numpy only, ~0.01 CPU s per minute of audio): one held
  voiced syllable -- voiced nearly throughout, mostly on one pitch with a spectrum that
  barely changes -- unless the first pass wrote a word there it was sure of;
- by Whisper (the islands the ear did not take, decoded again in one batch with a disfluent
  prompt that lets it write what it hears): a hesitation when it writes one, or one short
  sound the first pass left out altogether.

Either is enough. Found ones go into the transcript as ``Word``s marked ``filler=True`` at
their place and time. ``find_fillers`` works on any span of audio with its words, so it can
run per streaming chunk or after feedback is shown; with no engine it judges by ear only.
Measured on a labelled TTS set (benchmarks/fillers.py; docs/notes/2026-12-06-fillers.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
    "huh": "uh",
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
    # "islands": sound between silences only. "islands+edges" also the piece at either
    # end of a longer stretch of sound, cut at a short dip (>= edge_gap_s below the floor):
    # a voice that runs "um" into the next word leaves only such a dip after it.
    candidates: str = "islands"
    edge_gap_s: float = 0.02
    # A hesitation the batched decode heard but timed outside every candidate (Whisper
    # puts a last word at the end of the audio) goes to the nearest candidate.
    order_mapping: bool = True
    # How an island is judged: "decode" (Whisper hears it again with a disfluent prompt),
    # "acoustic" (one steady voiced syllable, no decode), or "both" (either says so).
    verdict: str = "both"
    acoustic_candidates: str = "islands"  # where the acoustic verdict looks (see candidates)
    acoustic_max_s: float = 0.5  # a held "um" of a TTS voice; longer islands are words
    acoustic_voiced: float = 0.6  # share of its sounding frames that are voiced
    acoustic_steady: float = 0.3  # share of it in steady voiced stretches (one pitch, one sound)
    # An island the first pass wrote as a word it was sure of (probability at least this,
    # the word mostly inside the island) is that word, however steady it sounds: a TTS
    # voice holds a first "We" or a last "plan." as long as a hesitation.
    acoustic_veto_p: float = 0.6
    # A hesitation Whisper wrote in the first pass this close is the same one.
    same_s: float = 0.4


def is_hesitation(text: str) -> bool:
    return re.sub(r"[^a-z]", "", text.lower()) in HESITATIONS


def _active(audio: AudioArray, s: FillerSettings) -> np.ndarray:
    """Which 10 ms frames have sound (within ``floor_db`` of the loud speech level)."""
    frames = audio.size // _HOP
    power = np.square(audio[: frames * _HOP].astype(np.float64)).reshape(frames, _HOP).mean(1)
    db = 10.0 * np.log10(power + 1e-10)
    loud = float(np.percentile(db, 95))
    active: np.ndarray = db > max(loud - s.floor_db, -60.0)
    return active


def _runs(active: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """(first, last + 1) frames of each run of sound, holes up to ``bridge`` frames bridged
    (a stop consonant inside a word)."""
    runs: list[list[int]] = []
    for i in np.flatnonzero(active):
        if runs and i - runs[-1][1] <= bridge:
            runs[-1][1] = int(i) + 1
        else:
            runs.append([int(i), int(i) + 1])
    return [(a, b) for a, b in runs]


def islands(audio: AudioArray, s: FillerSettings | None = None) -> list[tuple[int, int]]:
    """(start, end) samples of each stretch of sound bounded by silence, short enough to be
    a hesitation."""
    s = s or FillerSettings()
    if audio.size // _HOP < 3:
        return []
    lo, hi = int(s.min_island_s * 100), int(s.max_island_s * 100)
    runs = _runs(_active(audio, s), max(1, int(s.min_gap_s * 100)))
    return [(a * _HOP, b * _HOP) for a, b in runs if lo <= b - a <= hi]


def candidates(audio: AudioArray, s: FillerSettings | None = None) -> list[tuple[int, int]]:
    """Where a hesitation may be: the islands, and (``islands+edges``) the first and last
    piece of each longer stretch of sound, cut at a short dip (a hesitation is bounded by a
    pause on one side at least)."""
    s = s or FillerSettings()
    found = islands(audio, s)
    if s.candidates == "islands" or audio.size // _HOP < 3:
        return found
    active = _active(audio, s)
    lo, hi = int(s.min_island_s * 100), int(s.max_island_s * 100)
    pieces = _runs(active, max(1, int(s.edge_gap_s * 100)))
    # Group the pieces into the stretches the islands are cut from.
    stretch: list[list[tuple[int, int]]] = []
    bridge = max(1, int(s.min_gap_s * 100))
    for a, b in pieces:
        if stretch and a - stretch[-1][-1][1] <= bridge:
            stretch[-1].append((a, b))
        else:
            stretch.append([(a, b)])
    for group in stretch:
        if len(group) < 2:
            continue
        for a, b in {group[0], group[-1]}:
            if lo <= b - a <= hi:
                found.append((a * _HOP, b * _HOP))
    return sorted(set(found))


def sounds_like_hesitation(
    audio: AudioArray, start: int, end: int, s: FillerSettings | None = None
) -> bool:
    """Whether ``audio[start:end]`` (an island) is one held voiced syllable: short, voiced
    nearly throughout (no fricative, no burst) and mostly steady in pitch and spectrum --
    a held "um"/"uh"/"er", not a word with consonants in it."""
    s = s or FillerSettings()
    if (end - start) / SAMPLE_RATE > s.acoustic_max_s:
        return False
    piece = audio[max(0, start - _WIN // 2) : end + _WIN // 2]
    db, voicing, _pitch, _flux = frame_features(piece)
    if db.size == 0:
        return False
    sounding = db > float(db.max()) - s.floor_db
    if float(np.mean(voicing[sounding] > 0.55)) < s.acoustic_voiced:
        return False
    steady = sum(b - a for a, b in steady_syllables(piece))
    return steady / max(1, end - start) >= s.acoustic_steady


def _sure_word_inside(words: Sequence[Word], start: float, end: float, s: FillerSettings) -> bool:
    """Whether the first pass wrote a word mostly inside ``start``-``end`` and was sure of it
    (a misheard filler -- "Dum.", "I'm" -- comes with a low probability)."""
    for w in words:
        if w.start is None or w.end is None or w.probability is None or is_hesitation(w.text):
            continue
        inside = min(w.end, end) - max(w.start, start)
        if w.probability >= s.acoustic_veto_p and inside >= 0.6 * max(w.end - w.start, 0.01):
            return True
    return False


def find_fillers(
    audio: AudioArray,
    words: Sequence[Word],
    engine: TranscriptionEngine | None,
    settings: FillerSettings | None = None,
) -> list[Word]:
    """Hesitations in ``audio`` that ``words`` (its transcript) does not already have.
    ``engine`` None: the acoustic verdict only (no decode)."""
    s = settings or FillerSettings()
    found: list[Word] = []
    have = [
        (w.start - s.same_s, w.end + s.same_s)
        for w in words
        if w.start is not None and w.end is not None and is_hesitation(w.text)
    ]
    pad = int(s.pad_s * SAMPLE_RATE)
    isl = set(islands(audio, s))

    def new(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [
            (a, b)
            for a, b in spans
            if not any(ws < b / SAMPLE_RATE and we > a / SAMPLE_RATE for ws, we in have)
            and not any(
                f.start is not None
                and f.end is not None
                and f.start < b / SAMPLE_RATE
                and f.end > a / SAMPLE_RATE
                for f in found
            )
        ]

    if s.verdict != "decode":
        # The acoustic verdict first: it costs nothing next to a decode.
        held = [
            (a, b)
            for a, b in new(candidates(audio, replace(s, candidates=s.acoustic_candidates)))
            if sounds_like_hesitation(audio, a, b, s)
            and not _sure_word_inside(words, a / SAMPLE_RATE, b / SAMPLE_RATE, s)
        ]
        found = [
            Word("um", round(a / SAMPLE_RATE, 3), round(b / SAMPLE_RATE, 3), filler=True)
            for a, b in held
        ]
    if s.verdict == "acoustic" or engine is None:
        return found
    todo = new(candidates(audio, s))
    # All candidates in one decode (one encoder pass per 30 s instead of one per island),
    # apart by silence so each is heard on its own; words are mapped back by their times.
    gap = np.zeros(int(s.spacing_s * SAMPLE_RATE), dtype=np.float32)
    options = TranscriptionOptions(
        beam_size=1, vad_filter=False, initial_prompt=DISFLUENT_PROMPT, fillers=False
    )
    for batch_start in range(0, len(todo), s.batch):
        batch = todo[batch_start : batch_start + s.batch]
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
            if _distance(spans[best], mid) < s.spacing_s / 2 or (
                s.order_mapping and is_hesitation(w.text)
            ):
                heard[best].append(w.text)
        for (a, b), texts in zip(batch, heard, strict=True):
            start, end = round(a / SAMPLE_RATE, 3), round(b / SAMPLE_RATE, 3)
            # Only an island (sound between pauses) may be a word the first pass dropped:
            # an edge piece heard alone is often part of a word.
            text = _verdict(texts, start, end, words, s, dropped=(a, b) in isl)
            if text is not None and not any(
                f.start is not None and f.end is not None and f.start < end and f.end > start
                for f in found
            ):
                found.append(Word(text, start, end, filler=True))
    return found


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _verdict(
    texts: list[str],
    start: float,
    end: float,
    words: Sequence[Word],
    s: FillerSettings,
    *,
    dropped: bool = True,
) -> str | None:
    """The hesitation an island is (its spelling), or None when it is a word."""
    for t in texts:
        # Heard on its own, with its neighbours ("We had, um..."): a hesitation either way.
        if is_hesitation(t):
            return _SPELLING[_letters(t)]
    if not (s.dropped_words and dropped) or len(texts) != 1 or end - start > s.dropped_max_s:
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


_WIN = 4 * _HOP  # 40 ms analysis window: two periods of a 50 Hz voice


def frame_features(audio: AudioArray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per 10 ms frame: level (dB), voicing (peak of the normalised autocorrelation in the
    70-400 Hz pitch range, 0-1), pitch (Hz) and spectral change from the frame before (RMS
    difference of 24 log band energies up to 4 kHz, level removed). numpy only."""
    x = audio.astype(np.float64)
    n = 1 + max(0, x.size - _WIN) // _HOP
    if x.size < _WIN:
        empty = np.zeros(0)
        return empty, empty, empty, empty
    idx = np.arange(_WIN)[None, :] + _HOP * np.arange(n)[:, None]
    frames = x[idx]
    db = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-10)
    windowed = (frames - frames.mean(axis=1, keepdims=True)) * np.hanning(_WIN)
    spec = np.abs(np.fft.rfft(windowed, 2 * _WIN, axis=1)) ** 2
    ac = np.fft.irfft(spec, axis=1)[:, :_WIN]
    # Unbiased: divide by the overlap at each lag, so long periods are not penalised.
    norm = ac / (ac[:, :1] + 1e-12) * (_WIN / (_WIN - np.arange(_WIN)))[None, :]
    lo, hi = SAMPLE_RATE // 400, SAMPLE_RATE // 70
    lag = norm[:, lo:hi].argmax(axis=1) + lo
    voicing = norm[:, lo:hi].max(axis=1)
    pitch = SAMPLE_RATE / lag
    bands = np.stack([b.sum(axis=1) for b in np.array_split(spec[:, :256], 24, axis=1)], 1)
    logb = np.log(bands + 1e-9)
    logb -= logb.mean(axis=1, keepdims=True)
    flux = np.r_[0.0, np.sqrt(np.mean(np.diff(logb, axis=0) ** 2, axis=1))]
    return db, voicing, pitch, flux


def steady_syllables(
    audio: AudioArray, *, max_flux: float = 0.8, min_s: float = 0.06
) -> list[tuple[int, int]]:
    """(start, end) samples of each steady voiced stretch: voiced, loud, on one pitch
    (within 2 semitones) with a spectrum that barely changes -- what a held "um"/"uh" is.
    Measured as a detector on its own (benchmarks/fillers.py, ``acoustic-*``): TTS vowels
    in fluent speech are as long and as steady, so it does not decide alone."""
    db, voicing, pitch, flux = frame_features(audio)
    if db.size == 0:
        return []
    loud = float(np.percentile(db, 95))
    ok = (voicing > 0.55) & (db > loud - 25.0)
    semis = 12.0 * np.log2(pitch / 100.0)
    out: list[tuple[int, int]] = []
    i, n = 0, db.size
    while i < n:
        if not ok[i]:
            i += 1
            continue
        j, low, high = i + 1, semis[i], semis[i]
        # The whole stretch within 2 semitones (not just each step: a glide is not steady).
        while j < n and ok[j] and flux[j] < max_flux:
            low, high = min(low, semis[j]), max(high, semis[j])
            if high - low >= 2.0:
                break
            j += 1
        if (j - i) / 100 >= min_s:
            out.append((i * _HOP, j * _HOP))
        i = j
    return out
