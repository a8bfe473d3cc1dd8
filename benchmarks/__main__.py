"""`make bench`: the speed figures the issues ask for, as medians and ratios of one run.

- whole-file transcription of a ~90 s Action (tiny.en, int8, 2 threads): RTF
- analysis time after transcription (target < 50 ms), cold and warm
- live transcription fed in real time: Stop -> final transcript latency (goal ~0.5-1 s)
- streaming vs whole-file word error rate on the corpus
- peak RSS
"""

from __future__ import annotations

import resource
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

from starcoach.transcribe.audio_io import SAMPLE_RATE, load_audio

ROOT = Path(__file__).resolve().parent.parent


def action_90s() -> np.ndarray:
    """~90 s of spoken Action answers from the corpus, joined with short pauses."""
    clips = sorted((ROOT / "tests" / "corpus" / "clips").glob("*-action-*__joe_clean.flac"))
    pause = np.zeros(int(0.6 * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    for clip in clips:
        audio = load_audio(clip)
        parts += [audio, pause]
        total += audio.size + pause.size
        if total >= 90 * SAMPLE_RATE:
            break
    return np.concatenate(parts)[: 90 * SAMPLE_RATE]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def feed_in_real_time(streamer: object, audio: np.ndarray, block: int = 1600) -> None:
    start = time.monotonic()
    for i in range(0, audio.size, block):
        due = start + i / SAMPLE_RATE
        delay = due - time.monotonic()
        if delay > 0:
            threading.Event().wait(delay)
        streamer.feed(audio[i : i + block])  # type: ignore[attr-defined]


def main() -> None:
    from starcoach.coach.coach import analyze_step
    from starcoach.content import load_library
    from starcoach.transcribe.streaming import StreamingTranscriber
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    quick = "--quick" in sys.argv
    print("StarCoach benchmark (tiny.en, int8, cpu)\n", flush=True)
    t0 = time.perf_counter()
    engine = FasterWhisperEngine()
    engine.load()
    print(f"model load: {time.perf_counter() - t0:.2f} s", flush=True)

    audio = action_90s()
    seconds = audio.size / SAMPLE_RATE
    runs = []
    transcript = None
    for _ in range(1 if quick else 3):
        t0 = time.perf_counter()
        transcript = engine.transcribe(audio)
        runs.append(time.perf_counter() - t0)
    assert transcript is not None
    whole = statistics.median(runs)
    print(
        f"whole-file transcription of a {seconds:.0f} s Action: median {whole:.2f} s, "
        f"RTF {whole / seconds:.3f} ({len(runs)} runs)",
        flush=True,
    )

    library = load_library()
    walkthrough = library.get("disagree-senior-leader")
    t0 = time.perf_counter()
    analyze_step(walkthrough, "action", transcript)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(20):
        t0 = time.perf_counter()
        analyze_step(walkthrough, "action", transcript)
        warm.append(time.perf_counter() - t0)
    print(
        f"analysis after transcription: first {cold * 1000:.0f} ms, "
        f"then median {statistics.median(warm) * 1000:.1f} ms (20 runs)",
        flush=True,
    )

    latencies = []
    lengths = (
        [audio]
        if quick
        else [audio, audio[: 20 * SAMPLE_RATE], audio[30 * SAMPLE_RATE : 60 * SAMPLE_RATE]]
    )
    for piece in lengths:
        streamer = StreamingTranscriber(engine, on_update=lambda live: None)
        streamer.start()
        feed_in_real_time(streamer, piece)
        t0 = time.perf_counter()
        final = streamer.finish()
        fb_start = time.perf_counter()
        analyze_step(walkthrough, "action", final)
        analysis = time.perf_counter() - fb_start
        latency = time.perf_counter() - t0
        latencies.append(latency)
        print(
            f"  live: {piece.size / SAMPLE_RATE:.0f} s fed in real time, {len(streamer.chunks)} "
            f"chunks; Stop -> feedback {latency:.2f} s (analysis {analysis:.3f} s)",
            flush=True,
        )
    print(
        f"Stop -> feedback with live transcription: median {statistics.median(latencies):.2f} s "
        f"over {len(latencies)} answers; without it (whole file after Stop) {whole:.2f} s "
        f"for 90 s: {whole / statistics.median(latencies):.1f}x faster",
        flush=True,
    )

    if not quick:
        from benchmarks.streaming_wer import streaming_vs_whole

        streaming_vs_whole(engine)
    print(f"peak RSS: {peak_rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
