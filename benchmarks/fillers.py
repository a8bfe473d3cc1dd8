"""Fillers heard, by method, on the labelled TTS filler set (``python -m benchmarks.fillers``).

Methods: ``plain`` (what Whisper writes), ``prompt`` (decoding with a disfluent prompt),
``second-look`` (plain + transcribe/fillers.py: short islands of sound decoded again),
``prompt+look``. Per method: filler recall, false fillers per minute of fluent speech,
word error rate on the words that are not fillers, and decoding time.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

import jiwer

from benchmarks.filler_set import DEV_VOICES, FillerClip, available_voices, build
from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.fillers import (
    DISFLUENT_PROMPT,
    FillerSettings,
    find_fillers,
    is_hesitation,
)
from starcoach.transcribe.types import Word

Method = Callable[[TranscriptionEngine, "object"], list[Word]]


def _plain(engine: TranscriptionEngine, audio: object) -> list[Word]:
    return list(engine.transcribe(audio, TranscriptionOptions(fillers=False)).words)  # type: ignore[arg-type]


def _prompt(engine: TranscriptionEngine, audio: object) -> list[Word]:
    opts = TranscriptionOptions(initial_prompt=DISFLUENT_PROMPT, fillers=False)
    return list(engine.transcribe(audio, opts).words)  # type: ignore[arg-type]


def _look(base: Method, settings: FillerSettings | None = None) -> Method:
    def method(engine: TranscriptionEngine, audio: object) -> list[Word]:
        words = base(engine, audio)
        return words + find_fillers(audio, words, engine, settings)  # type: ignore[arg-type]

    return method


METHODS: dict[str, Method] = {
    "plain": _plain,
    "prompt": _prompt,
    "look-hesitations-only": _look(_plain, FillerSettings(dropped_words=False)),
    "second-look": _look(_plain),
    "prompt+look": _look(_prompt),
}


def _norm(words: list[Word]) -> str:
    kept = [w.text for w in words if not w.filler and not is_hesitation(w.text)]
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", " ".join(kept).lower()).split())


def evaluate(
    engine: TranscriptionEngine, clips: list[FillerClip], methods: list[str]
) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    audios = {c.path: load_audio(c.path) for c in clips}
    for name in methods:
        said = heard = extra = 0
        fluent_s = fluent_false = 0.0
        refs, hyps = [], []
        spent = audio_s = 0.0
        for clip in clips:
            audio = audios[clip.path]
            t0 = time.perf_counter()
            words = METHODS[name](engine, audio)
            spent += time.perf_counter() - t0
            audio_s += audio.size / 16000
            n = sum(1 for w in words if w.filler or is_hesitation(w.text))
            said += clip.fillers
            heard += min(n, clip.fillers)
            extra += max(0, n - clip.fillers)
            if clip.fillers == 0:
                fluent_s += audio.size / 16000
                fluent_false += n
            refs.append(clip.fluent_text)
            hyps.append(_norm(words))
        table[name] = {
            "recall": heard / said if said else 0.0,
            "false_per_min": 60.0 * fluent_false / fluent_s if fluent_s else 0.0,
            "extra": float(extra),
            "wer": jiwer.wer(refs, hyps),
            "rtf": spent / audio_s,
            "said": float(said),
        }
        r = table[name]
        print(
            f"{name:12s} recall {r['recall']:6.1%} ({heard}/{said})  "
            f"false {r['false_per_min']:.2f}/min fluent ({fluent_s / 60:.1f} min), "
            f"{extra} extra in all  WER {r['wer']:6.2%}  "
            f"RTF {r['rtf']:.3f}",
            flush=True,
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voices", choices=["dev", "held-out", "all"], default="held-out")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--out", type=Path, default=Path("bench-out/fillers"))
    args = parser.parse_args()
    voices = available_voices()
    if args.voices == "dev":
        voices = [v for v in voices if v in DEV_VOICES]
    elif args.voices == "held-out":
        voices = [v for v in voices if v not in DEV_VOICES]
    clips = build(args.out, voices)
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    engine = FasterWhisperEngine()
    engine.load()
    print(f"{len(clips)} clips, voices: {', '.join(voices)} (TTS um/uh: a proxy)", flush=True)
    evaluate(engine, clips, args.methods.split(","))


if __name__ == "__main__":
    main()
