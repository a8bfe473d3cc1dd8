"""Word error rate of live (chunked) transcription against whole-file, on the corpus."""

from __future__ import annotations

import re

import jiwer

from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.engine import TranscriptionEngine
from starcoach.transcribe.streaming import StreamingTranscriber, StreamSettings
from tests.corpus.evaluate import load_clips


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


_KEPT_UP = StreamSettings(behind_s=float("inf"), final_greedy_s=float("inf"))
_CATCH_UP = StreamSettings(behind_s=0.0, final_greedy_s=0.0)


def streaming_vs_whole(
    engine: TranscriptionEngine, limit: int | None = None
) -> tuple[float, float]:
    clips = load_clips()[:limit]
    refs: list[str] = []
    whole: list[str] = []
    live: list[str] = []
    greedy: list[str] = []
    for clip in clips:
        audio = load_audio(clip.path)
        refs.append(_norm(clip.text))
        whole.append(_norm(engine.transcribe(audio).text))
        # Fed all at once: a worker that kept up (beam 5 throughout, as on an idle machine),
        # and one that caught up greedily all the way (the worst a busy machine costs).
        for settings, out in ((_KEPT_UP, live), (_CATCH_UP, greedy)):
            streamer = StreamingTranscriber(engine, settings=settings)
            for i in range(0, audio.size, 1600):
                streamer.feed(audio[i : i + 1600])
            out.append(_norm(streamer.finish().text))
    w, s = jiwer.wer(refs, whole), jiwer.wer(refs, live)
    g = jiwer.wer(refs, greedy)
    print(
        f"WER on {len(clips)} corpus clips vs their texts: whole-file {w:.1%}, live {s:.1%} "
        f"(difference {100 * (s - w):+.1f} points), live catching up greedily {g:.1%} "
        f"({100 * (g - w):+.1f})",
        flush=True,
    )
    return w, s
