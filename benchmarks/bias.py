"""Does biasing the decoder toward the step's key phrases help? (`python -m benchmarks.bias`)

For every corpus clip, transcribe three ways -- plain, with faster-whisper's ``hotwords``
set to the step's key phrases, and with them as ``initial_prompt`` -- and score the key
phrase labels: recall on phrases that were said, and false matches on phrases that were
not (a bias that makes the decoder "hear" a phrase nobody said is worse than none).
"""

from __future__ import annotations

import statistics
import sys
import time

from starcoach.coach.coach import analyze_step
from starcoach.content import load_library
from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.engine import TranscriptionOptions
from starcoach.transcribe.whisper_engine import FasterWhisperEngine
from tests.corpus.evaluate import load_clips


def main(limit: int | None = None) -> None:
    library = load_library()
    engine = FasterWhisperEngine()
    engine.load()
    clips = load_clips()[:limit]
    variants = {
        "plain": lambda phrases: TranscriptionOptions(),
        "hotwords": lambda phrases: TranscriptionOptions(hotwords=", ".join(phrases)),
        "prompt": lambda phrases: TranscriptionOptions(initial_prompt=", ".join(phrases)),
    }
    for name, make in variants.items():
        said = heard_said = unsaid = heard_unsaid = 0
        times: list[float] = []
        for clip in clips:
            walkthrough = library.get(clip.question)
            phrases = walkthrough.step(clip.step).key_phrases
            audio = load_audio(clip.path)
            t0 = time.perf_counter()
            transcript = engine.transcribe(audio, make(phrases))
            times.append((time.perf_counter() - t0) / max(clip.duration_s, 0.1))
            got = {
                p.phrase: p.matched
                for p in analyze_step(walkthrough, clip.step, transcript).key_phrases
            }
            for phrase, label in clip.phrases.items():
                if label:
                    said += 1
                    heard_said += got[phrase]
                else:
                    unsaid += 1
                    heard_unsaid += got[phrase]
        print(
            f"{name:9s} recall {heard_said}/{said} = {heard_said / said:.1%}   "
            f"false matches {heard_unsaid}/{unsaid} = {heard_unsaid / unsaid:.1%}   "
            f"median RTF {statistics.median(times):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
