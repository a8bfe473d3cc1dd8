"""Live transcription while the candidate speaks, so feedback is ready at Stop.

Design (compared with whisper_streaming's LocalAgreement, which re-decodes a growing
buffer every second and commits the words two decodes agree on): on 2 CPU cores that
re-decoding keeps the CPU busy all the time and still leaves a long unconfirmed tail at
Stop. Instead the audio is cut into chunks at the pauses the speaker makes (Silero VAD,
the one faster-whisper ships), and each chunk is transcribed once, as soon as it is cut,
on its own (see _transcribe). At Stop only the audio since the last pause is left:
typically a few seconds, a fraction of a second of decoding. Between cuts, when the
worker is idle, a cheap greedy decode of the open chunk gives the live "tentative" text.

Thread model: ``feed`` is called from the recorder's writer thread and only appends to a
buffer; one worker thread owns the engine and does all decoding; ``finish`` waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.types import Transcript, Word


@dataclass(frozen=True)
class StreamSettings:
    min_chunk_s: float = 4.0  # shorter chunks lose context and cost a whole encoder pass
    max_chunk_s: float = 14.0  # cut anyway past this (at the quietest moment)
    min_pause_s: float = 0.35  # a gap in speech at least this long is a place to cut
    check_every_s: float = 0.5  # how often new audio is examined
    tentative_every_s: float = 1.5  # live text refresh while the chunk is still open
    # A tentative decode may take at most this share of the worker's time: on a busy CPU
    # (each decode slower) the live text refreshes less often instead of the worker
    # falling behind the voice.
    tentative_share: float = 0.3
    # Audio waiting behind a chunk decode beyond this: the worker is behind, and decodes
    # greedily (beam 1, about half the time) until it has caught up.
    behind_s: float = 1.0
    # At Stop, more undecoded audio than this is decoded greedily too.
    final_greedy_s: float = 3.0
    # At Stop, the second looks for fillers still waiting get at most this long.
    final_filler_budget_s: float = 0.6


@dataclass(frozen=True)
class LiveText:
    committed: str
    tentative: str
    audio_s: float
    # How much of the audio the text stands for (the live text trails the voice by
    # audio_s - covered_s): the end of the last decoded chunk or tentative decode.
    covered_s: float = 0.0

    @property
    def text(self) -> str:
        return f"{self.committed} {self.tentative}".strip()


UpdateCallback = Callable[[LiveText], None]


class StreamingTranscriber:
    def __init__(
        self,
        engine: TranscriptionEngine,
        options: TranscriptionOptions | None = None,
        settings: StreamSettings | None = None,
        on_update: UpdateCallback | None = None,
        *,
        tentative: bool | None = None,
    ) -> None:
        """``tentative``: also decode the open chunk now and then for the live text
        (default: when someone listens, via ``on_update``, or polls ``live()``)."""
        self._engine = engine
        self._tentative_on = on_update is not None if tentative is None else tentative
        self._options = options or TranscriptionOptions()
        self._settings = settings or StreamSettings()
        self._on_update = on_update
        self._cond = threading.Condition()
        self._pending: list[AudioArray] = []
        self._ended = False
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        # Worker-owned state.
        self._buffer = np.zeros(0, dtype=np.float32)
        self._buffer_start = 0  # sample index of _buffer[0] in the whole recording
        self._total = 0
        self._words: list[Word] = []
        self._tentative = ""
        self._last_check = 0
        self._last_tentative = 0.0
        self._tentative_cost = 0.0  # seconds the last tentative decode took
        self._ingest_left = 0  # samples of the block being taken in, not yet in _buffer
        self._covered = 0  # samples of audio the live text stands for
        # Decoded chunks waiting for the second look for fillers: (offset, audio, words).
        self._filler_queue: list[tuple[float, AudioArray, list[Word]]] = []
        self.greedy_chunks = 0  # chunks decoded greedily to catch up
        self.skipped_filler_looks = 0  # chunks left without the second look (busy CPU)
        self.chunks: list[tuple[float, float]] = []  # (start, end) seconds of each decoded chunk

    # -- producer side ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="starcoach-live-asr", daemon=True)
        self._thread.start()

    def feed(self, block: AudioArray) -> None:
        with self._cond:
            self._pending.append(np.asarray(block, dtype=np.float32).reshape(-1))
            self._cond.notify()

    def finish(self, timeout: float | None = None) -> Transcript:
        """No more audio: transcribe what is left and return the whole transcript."""
        with self._cond:
            self._ended = True
            self._cond.notify()
        if self._thread is None:
            self._run()
        else:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise TimeoutError("live transcription did not finish in time")
        if self._error is not None:
            raise self._error
        return Transcript(words=tuple(self._words), duration_s=self._total / SAMPLE_RATE)

    @property
    def audio_s(self) -> float:
        """Audio received so far (seconds)."""
        with self._cond:
            waiting = sum(b.size for b in self._pending)
        return (self._total + waiting) / SAMPLE_RATE

    @property
    def undecoded_s(self) -> float:
        """Audio received but not yet transcribed (what Stop still waits for)."""
        with self._cond:
            waiting = sum(b.size for b in self._pending)
        return (self._total + waiting - self._buffer_start) / SAMPLE_RATE

    def live(self) -> LiveText:
        return LiveText(
            committed=" ".join(w.text for w in self._words),
            tentative=self._tentative,
            audio_s=self._total / SAMPLE_RATE,
            covered_s=self._covered / SAMPLE_RATE,
        )

    # -- worker -----------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # handed to finish(), which re-raises on the caller
            self._error = exc

    def _loop(self) -> None:
        while True:
            with self._cond:
                blocks, self._pending = self._pending, []
                ended = self._ended and not blocks
            if blocks:
                self._ingest(np.concatenate(blocks))
                # Drain everything that arrived before optional work: a tentative decode
                # while audio is queued delays the cuts, and then Stop (measured: a median
                # 0.73 s Stop -> feedback draining first, 2.3 s decoding tentatively anyway).
                continue
            if ended:
                self._decode_final()
                return
            # Nothing queued: optional work now, before waiting for the next block. (Waiting
            # first meant the next 0.1 s block always arrived before the timeout, so during
            # speech no tentative decode ever ran: "Listening..." for 12-18 s.)
            if self._maybe_tentative() or self._maybe_fillers():
                continue
            with self._cond:
                if not self._pending and not self._ended:
                    self._cond.wait(timeout=0.25)

    def _ingest(self, audio: AudioArray) -> None:
        """Take new audio in check-sized steps, so a worker that fell behind still cuts
        at the same pauses it would have cut at in real time."""
        check = int(self._settings.check_every_s * SAMPLE_RATE)
        pos = 0
        self._ingest_left = audio.size
        while pos < audio.size:
            room = check - (self._total - self._last_check)
            piece = audio[pos : pos + max(1, room)]
            self._append(piece)
            pos += piece.size
            self._ingest_left = audio.size - pos
            if self._total - self._last_check >= check:
                self._last_check = self._total
                self._maybe_cut()

    def _append(self, audio: AudioArray) -> None:
        self._buffer = np.concatenate([self._buffer, audio])
        self._total += audio.size

    def _maybe_cut(self) -> None:
        s = self._settings
        length_s = self._buffer.size / SAMPLE_RATE
        if length_s < s.min_chunk_s:
            return
        speech = _speech_regions(self._buffer)
        if not speech:
            # Nothing said yet: keep only the last second (the start of a word may be there).
            keep = SAMPLE_RATE
            if self._buffer.size > 4 * keep:
                self._drop(self._buffer.size - keep)
            return
        cut = _pause_cut(speech, self._buffer.size, s)
        if cut is None and length_s >= s.max_chunk_s:
            cut = _quietest_cut(self._buffer, s)
        if cut is not None:
            self._decode_chunk(cut)

    def _drop(self, samples: int) -> None:
        self._buffer = self._buffer[samples:]
        self._buffer_start += samples
        self._covered = max(self._covered, self._buffer_start)

    def _waiting_s(self) -> float:
        """Audio received but not yet taken in by the worker."""
        with self._cond:
            return sum(b.size for b in self._pending) / SAMPLE_RATE

    def _decode_chunk(self, end: int, *, final: bool = False) -> None:
        chunk = self._buffer[:end]
        offset = self._buffer_start / SAMPLE_RATE
        options = self._options
        # Behind the voice (a busy CPU): catch up with cheaper decoding rather than let a
        # backlog grow that Stop would have to wait for.
        behind = (self._buffer.size - end + self._ingest_left) / SAMPLE_RATE + self._waiting_s()
        if behind > self._settings.behind_s or (
            final and end / SAMPLE_RATE > self._settings.final_greedy_s
        ):
            options = replace(options, beam_size=1)
            self.greedy_chunks += 1
        # The second look for fillers waits for an idle moment (or Stop): it must not hold
        # up the next chunk nor the live text.
        words = self._transcribe(chunk, replace(options, fillers=False))
        if self._options.fillers:
            self._filler_queue.append((offset, chunk.copy(), words))
        self._words.extend(_shift(words, offset))
        self.chunks.append((offset, offset + end / SAMPLE_RATE))
        self._drop(end)
        self._tentative = ""
        self._publish()

    def _decode_final(self) -> None:
        if self._buffer.size >= int(0.2 * SAMPLE_RATE):
            self._decode_chunk(self._buffer.size, final=True)
        # The looks still waiting, within a budget: on a machine too busy to have done them
        # while recording, feedback on time beats the last fillers.
        deadline = time.monotonic() + self._settings.final_filler_budget_s
        while self._filler_queue and time.monotonic() < deadline:
            self._maybe_fillers()
        self.skipped_filler_looks += len(self._filler_queue)
        self._filler_queue.clear()
        self._tentative = ""
        self._publish()

    def _maybe_fillers(self) -> bool:
        """The second look for fillers in one decoded chunk; False when none is waiting."""
        if not self._filler_queue:
            return False
        from starcoach.transcribe.fillers import find_fillers, with_fillers

        offset, chunk, words = self._filler_queue.pop(0)
        found = find_fillers(chunk, words, self._engine)
        if found:
            self._words = with_fillers(self._words, _shift(found, offset))
        return True

    def _due_for_tentative(self) -> bool:
        s = self._settings
        every = max(s.tentative_every_s, self._tentative_cost / s.tentative_share)
        return self._tentative_on and time.monotonic() - self._last_tentative >= every

    def _maybe_tentative(self) -> bool:
        if not self._due_for_tentative():
            return False
        now = time.monotonic()
        if self._buffer.size < SAMPLE_RATE:
            return False
        self._last_tentative = now
        greedy = replace(self._options, beam_size=1, fillers=False)
        covered = self._buffer_start + self._buffer.size
        words = self._transcribe(self._buffer, greedy)
        self._covered = max(self._covered, covered)
        self._tentative_cost = time.monotonic() - now
        self._tentative = " ".join(w.text for w in words)
        self._publish()
        return True

    def _transcribe(self, audio: AudioArray, options: TranscriptionOptions) -> list[Word]:
        # Each chunk is decoded on its own: with the text so far as initial_prompt, tiny.en
        # hallucinated endings ("thank you for watching"), +2.6 points WER on the corpus.
        return list(self._engine.transcribe(audio, options).words)

    def _publish(self) -> None:
        if self._on_update is not None:
            self._on_update(self.live())


def _shift(words: list[Word], offset: float) -> list[Word]:
    return [
        Word(
            w.text,
            None if w.start is None else round(w.start + offset, 3),
            None if w.end is None else round(w.end + offset, 3),
            w.probability,
            filler=w.filler,
        )
        for w in words
    ]


def _speech_regions(audio: AudioArray) -> list[tuple[int, int]]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    found = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=200, speech_pad_ms=60))
    return [(int(r["start"]), int(r["end"])) for r in found]


def _pause_cut(speech: list[tuple[int, int]], length: int, s: StreamSettings) -> int | None:
    """The last pause (a gap between speech regions, or silence at the end) to cut at."""
    min_gap = int(s.min_pause_s * SAMPLE_RATE)
    min_chunk = int(s.min_chunk_s * SAMPLE_RATE)
    gaps = [(speech[i][1], speech[i + 1][0]) for i in range(len(speech) - 1)]
    gaps.append((speech[-1][1], length))
    best = None
    for start, end in gaps:
        if end - start >= min_gap and (start + end) // 2 >= min_chunk:
            if end == length and end - start < 2 * min_gap:
                continue  # trailing silence too short yet: the speaker may go on
            best = (start + end) // 2
    return best


def _quietest_cut(audio: AudioArray, s: StreamSettings) -> int:
    """Past the longest chunk with no pause: cut at the quietest 50 ms in its second half."""
    win = SAMPLE_RATE // 20
    lo = int(s.min_chunk_s * SAMPLE_RATE)
    frames = (audio.size - lo) // win
    if frames <= 0:
        return audio.size
    energy = np.square(audio[lo : lo + frames * win]).reshape(frames, win).mean(axis=1)
    return lo + int(np.argmin(energy)) * win + win // 2
