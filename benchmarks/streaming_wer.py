"""Word error rate of live (chunked) transcription against whole-file, on the corpus."""

from __future__ import annotations

import re

import jiwer

from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.engine import TranscriptionEngine
from starcoach.transcribe.streaming import StreamingTranscriber
from tests.corpus.evaluate import load_clips


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def streaming_vs_whole(
    engine: TranscriptionEngine, limit: int | None = None
) -> tuple[float, float]:
    clips = load_clips()[:limit]
    refs, whole, live = [], [], []
    for clip in clips:
        audio = load_audio(clip.path)
        refs.append(_norm(clip.text))
        whole.append(_norm(engine.transcribe(audio).text))
        streamer = StreamingTranscriber(engine)
        for i in range(0, audio.size, 1600):
            streamer.feed(audio[i : i + 1600])
        live.append(_norm(streamer.finish().text))
    w, s = jiwer.wer(refs, whole), jiwer.wer(refs, live)
    print(
        f"WER on {len(clips)} corpus clips vs their texts: whole-file {w:.1%}, live {s:.1%} "
        f"(difference {100 * (s - w):+.1f} points)",
        flush=True,
    )
    return w, s
