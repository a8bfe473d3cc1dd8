"""Fillers heard, by method, on the labelled TTS filler set (``python -m benchmarks.fillers``).

Per method: filler recall (a filler counts when one is reported where it was said), false
fillers per minute of fluent speech, fillers reported in the wrong place in clips that have
some, word error rate on the words that are not fillers, and what the method costs on top
of the first pass, in seconds of CPU time per minute of audio. The first pass (what Whisper
writes: beam 5, VAD, no filler look) is decoded once per clip and cached beside the audio.

    python -m benchmarks.fillers --set dev                 # develop on this
    python -m benchmarks.fillers --set heldout --methods look   # spent 2026-12-06: do not tune
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import jiwer

from benchmarks.filler_set import SPAN_SLACK_S, FillerClip, build
from starcoach.transcribe.audio_io import SAMPLE_RATE, AudioArray, load_audio
from starcoach.transcribe.engine import TranscriptionEngine, TranscriptionOptions
from starcoach.transcribe.fillers import (
    DISFLUENT_PROMPT,
    FillerSettings,
    find_fillers,
    is_hesitation,
    steady_syllables,
    with_fillers,
)
from starcoach.transcribe.types import Word

# (audio, first-pass words, engine) -> the transcript's words with the fillers it reports.
Method = Callable[[AudioArray, list[Word], TranscriptionEngine], list[Word]]


def _plain(audio: AudioArray, words: list[Word], engine: TranscriptionEngine) -> list[Word]:
    return words


def _prompt(audio: AudioArray, words: list[Word], engine: TranscriptionEngine) -> list[Word]:
    """Decode again with a disfluent prompt and keep that transcript (its words too)."""
    opts = TranscriptionOptions(initial_prompt=DISFLUENT_PROMPT, fillers=False)
    return list(engine.transcribe(audio, opts).words)


def _prompt_hesitations(
    audio: AudioArray, words: list[Word], engine: TranscriptionEngine
) -> list[Word]:
    """A greedy decode with the disfluent prompt, of which only the hesitations are kept
    (put into the first pass's words: no word changes)."""
    opts = TranscriptionOptions(
        beam_size=1, vad_filter=False, initial_prompt=DISFLUENT_PROMPT, fillers=False
    )
    heard = engine.transcribe(audio, opts).words
    have = [w for w in words if is_hesitation(w.text)]
    new = [
        Word("um", w.start, w.end, filler=True)
        for w in heard
        if is_hesitation(w.text) and not any(_overlap(w, h, 0.3) for h in have)
    ]
    return with_fillers(words, new)


def _overlap(a: Word, b: Word, slack: float) -> bool:
    assert a.start is not None and a.end is not None and b.start is not None and b.end is not None
    return a.start < b.end + slack and b.start < a.end + slack


def _look(settings: FillerSettings | None = None) -> Method:
    def method(audio: AudioArray, words: list[Word], engine: TranscriptionEngine) -> list[Word]:
        return with_fillers(words, find_fillers(audio, words, engine, settings))

    return method


def _acoustic(min_s: float) -> Method:
    """No decode: every steady voiced stretch at least ``min_s`` long is a hesitation."""

    def method(audio: AudioArray, words: list[Word], engine: TranscriptionEngine) -> list[Word]:
        found = [
            Word("um", a / SAMPLE_RATE, b / SAMPLE_RATE, filler=True)
            for a, b in steady_syllables(audio)
            if (b - a) / SAMPLE_RATE >= min_s
        ]
        return with_fillers(words, found)

    return method


def _union(*methods: Method) -> Method:
    def method(audio: AudioArray, words: list[Word], engine: TranscriptionEngine) -> list[Word]:
        out = list(words)
        for m in methods:
            extra = [w for w in m(audio, words, engine) if w.filler]
            out = with_fillers(
                out, [w for w in extra if not any(o.filler and _overlap(w, o, 0.1) for o in out)]
            )
        return out

    return method


METHODS: dict[str, Method] = {
    "plain": _plain,
    "prompt": _prompt,
    "prompt-hesitations": _prompt_hesitations,
    "acoustic-0.20": _acoustic(0.20),
    "acoustic-0.25": _acoustic(0.25),
    "look-v1": _look(FillerSettings(order_mapping=False, verdict="decode", same_s=0.0)),
    "look-decode": _look(FillerSettings(verdict="decode")),
    "look-edges": _look(FillerSettings(verdict="decode", candidates="islands+edges")),
    "look-acoustic": _look(FillerSettings(verdict="acoustic")),
    "look-acoustic-v50": _look(FillerSettings(verdict="acoustic", acoustic_voiced=0.5)),
    "look-acoustic-s20": _look(FillerSettings(verdict="acoustic", acoustic_steady=0.2)),
    "look-acoustic-v50s20": _look(
        FillerSettings(verdict="acoustic", acoustic_voiced=0.5, acoustic_steady=0.2)
    ),
    "look-acoustic-noveto": _look(FillerSettings(verdict="acoustic", acoustic_veto_p=2.0)),
    "look-acoustic-veto80": _look(FillerSettings(verdict="acoustic", acoustic_veto_p=0.8)),
    "look-acoustic-veto40": _look(FillerSettings(verdict="acoustic", acoustic_veto_p=0.4)),
    "look-acoustic-gap40": _look(FillerSettings(verdict="acoustic", min_gap_s=0.04)),
    "look-acoustic-gap30": _look(FillerSettings(verdict="acoustic", min_gap_s=0.03)),
    "look-acoustic-edges": _look(
        FillerSettings(verdict="acoustic", acoustic_candidates="islands+edges")
    ),
    "look-acoustic-v50s20-edges": _look(
        FillerSettings(
            verdict="acoustic",
            acoustic_voiced=0.5,
            acoustic_steady=0.2,
            acoustic_candidates="islands+edges",
        )
    ),
    "look-v50s20": _look(FillerSettings(acoustic_voiced=0.5, acoustic_steady=0.2)),
    "look": _look(),
    "look+prompt-hesitations": _union(_look(), _prompt_hesitations),
}


def _norm(words: list[Word]) -> str:
    kept = [w.text for w in words if not w.filler and not is_hesitation(w.text)]
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", " ".join(kept).lower()).split())


def first_pass(engine: TranscriptionEngine, clip: FillerClip, audio: AudioArray) -> list[Word]:
    cache = clip.path.with_suffix(".plain.json")
    if cache.exists():
        return [Word(**w) for w in json.loads(cache.read_text())]
    words = list(engine.transcribe(audio, TranscriptionOptions(fillers=False)).words)
    cache.write_text(json.dumps([w.__dict__ for w in words]))
    return words


def score(clip: FillerClip, words: list[Word]) -> tuple[int, int]:
    """(fillers heard where they were said, fillers reported elsewhere)."""
    reported = [w for w in words if w.filler or is_hesitation(w.text)]
    left = list(clip.spans)
    hits = false = 0
    for w in reported:
        mid = ((w.start or 0.0) + (w.end or 0.0)) / 2
        at = next((s for s in left if s[0] - SPAN_SLACK_S <= mid <= s[1] + SPAN_SLACK_S), None)
        if at is None:
            false += 1
        else:
            left.remove(at)
            hits += 1
    return hits, false


def evaluate(
    engine: TranscriptionEngine, clips: list[FillerClip], methods: list[str], verbose: bool
) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    audios = {c.path: load_audio(c.path) for c in clips}
    firsts = {c.path: first_pass(engine, c, audios[c.path]) for c in clips}
    audio_min = sum(a.size for a in audios.values()) / SAMPLE_RATE / 60
    fluent_min = sum(audios[c.path].size for c in clips if not c.fillers) / SAMPLE_RATE / 60
    for name in methods:
        said = heard = misplaced = fluent_false = 0
        by_voice: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        refs, hyps = [], []
        spent = 0.0
        for clip in clips:
            audio = audios[clip.path]
            t0 = time.process_time()
            words = METHODS[name](audio, list(firsts[clip.path]), engine)
            spent += time.process_time() - t0
            hits, false = score(clip, words)
            said += clip.fillers
            heard += hits
            by_voice[clip.voice][0] += hits
            by_voice[clip.voice][1] += clip.fillers
            if clip.fillers:
                misplaced += false
            else:
                fluent_false += false
            if verbose and (hits < clip.fillers or false):
                shown = " ".join(f"[{w.text} {w.start:.2f}]" if w.filler else w.text for w in words)
                print(f"  {clip.path.name} {clip.spans} -> {shown}")
            refs.append(clip.fluent_text)
            hyps.append(_norm(words))
        table[name] = r = {
            "recall": heard / said if said else 0.0,
            "false_per_min": fluent_false / fluent_min if fluent_min else 0.0,
            "misplaced": float(misplaced),
            "wer": jiwer.wer(refs, hyps),
            "cpu_s_per_min": spent / audio_min,
        }
        voices = "  ".join(f"{v.split(':')[-1][:14]} {h}/{n}" for v, (h, n) in by_voice.items())
        print(
            f"{name:24s} recall {r['recall']:6.1%} ({heard}/{said})  "
            f"false {r['false_per_min']:.2f}/min fluent ({fluent_false} in {fluent_min:.1f} min)  "
            f"misplaced {misplaced}  WER {r['wer']:6.2%}  "
            f"cost {r['cpu_s_per_min']:.2f} CPU s/min\n    {voices}",
            flush=True,
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=["dev", "heldout"], default="dev")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--out", type=Path, default=Path("bench-out/fillers"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.set == "heldout":
        print("The held-out set is spent (measured once, 2026-12-06): do not tune on it.")
    clips = build(args.out, args.set)
    from starcoach.transcribe.whisper_engine import FasterWhisperEngine

    engine = FasterWhisperEngine()
    engine.load()
    voices = sorted({c.voice for c in clips})
    print(
        f"{len(clips)} clips ({args.set}), voices: {', '.join(voices)} (TTS fillers: a proxy)",
        flush=True,
    )
    evaluate(engine, clips, args.methods.split(","), args.verbose)


if __name__ == "__main__":
    main()
