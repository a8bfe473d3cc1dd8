#!/usr/bin/env python3
"""Build the labelled full-answer corpus for the mock-interview split (answers.yaml).

A full answer is one clip per STAR step from the labelled step corpus (../corpus), joined
in step order with short natural pauses (0.3-0.8 s). The true section boundaries are the
concatenation points: where each step's clip starts. The joined audio is NOT stored (it
would only duplicate committed clips); the tests rebuild it in memory with ``join_audio``
from ``corpus.py`` in this folder, from the clip paths and pause lengths recorded here.

The step corpus has espeak clips for only some steps, so a few more espeak clips of step
texts are synthesised here into ``clips/`` (same tool and settings as ../corpus: espeak-ng
-s 155, 16 kHz mono 16-bit FLAC, the same `speak_as` replacements), so that espeak answers
are in one voice family from start to end.

Usage (needs espeak-ng and sox only when an extra clip is missing):

    .venv/bin/python tests/mock_corpus/build.py           # synthesise missing clips, write yaml
    .venv/bin/python tests/mock_corpus/build.py --check   # verify answers.yaml is up to date

No speech recognition is run here: the boundaries come from the audio lengths alone.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import soundfile as sf
import yaml

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
sys.path.insert(0, str(TESTS.parent))

from tests.corpus import make_corpus  # noqa: E402

ANSWERS = HERE / "answers.yaml"
EXTRA = HERE / "clips"
SR = 16_000
SEED = 7  # pause lengths
STEPS = ("situation", "task", "action", "result", "reflection")
QUESTIONS = {
    "dsl": "disagree-senior-leader",
    "uo": "unpopular-opinion",
    "cdc": "commitment-difficult-circumstances",
}
VOICES = {"m3": "espeak-en-us-m3", "en-us": "espeak-en-us"}

# Step texts spoken by espeak for this corpus (the step corpus has no espeak clip of them).
EXTRA_ESPEAK = (
    ("dsl-situation-para", "en-us"),
    ("dsl-task-strong", "en-us"),
    ("dsl-reflection-strong", "en-us"),
    ("uo-reflection-strong", "en-us"),
    ("uo-reflection-weak", "m3"),
    ("cdc-situation-strong", "en-us"),
    ("cdc-situation-para", "m3"),
    ("cdc-task-strong", "en-us"),
    ("cdc-result-strong", "en-us"),
    ("cdc-result-para", "m3"),
)

# The answers: per step "<kind>@<voice>" where voice is joe_<variant> (clean, fast, pink,
# brown, babble) or an espeak voice (m3, en-us). Kinds are mixed on purpose: strong, para
# (paraphrase), weak and mixed parts, as real candidates mix them.
RECIPES: dict[str, tuple[str, str, str, str, str]] = {
    "dsl-1": (
        "strong@joe_clean",
        "para@joe_clean",
        "strong@joe_clean",
        "mixed@joe_clean",
        "para@joe_clean",
    ),
    "dsl-2": (
        "para@joe_fast",
        "strong@joe_clean",
        "para@joe_fast",
        "strong@joe_brown",
        "weak-2@joe_clean",
    ),
    "dsl-3": (
        "weak@joe_clean",
        "weak@joe_pink",
        "weak@joe_clean",
        "weak@joe_clean",
        "weak@joe_clean",
    ),
    "dsl-4": (
        "strong@joe_clean",
        "weak@joe_clean",
        "weak-2@joe_clean",
        "para@joe_brown",
        "strong@joe_pink",
    ),
    "dsl-5": ("strong@m3", "para@m3", "mixed@en-us", "strong@en-us", "weak-2@m3"),
    "dsl-6": ("para@en-us", "strong@en-us", "mixed@en-us", "mixed@en-us", "strong@en-us"),
    "dsl-7": (
        "para@joe_clean",
        "strong@joe_clean",
        "mixed@joe_clean",
        "mixed@joe_pink",
        "para@joe_fast",
    ),
    "uo-1": (
        "strong@joe_clean",
        "para@joe_clean",
        "strong@joe_clean",
        "mixed@joe_clean",
        "para@joe_clean",
    ),
    "uo-2": (
        "para@joe_babble",
        "strong@joe_clean",
        "weak-2@joe_fast",
        "strong@joe_clean",
        "strong@joe_fast",
    ),
    "uo-3": (
        "weak@joe_clean",
        "weak@joe_fast",
        "weak@joe_babble",
        "weak@joe_clean",
        "weak@joe_clean",
    ),
    "uo-4": (
        "para@joe_clean",
        "weak@joe_clean",
        "mixed@joe_brown",
        "para@joe_clean",
        "strong@joe_clean",
    ),
    "uo-5": ("para@en-us", "strong@m3", "weak@en-us", "strong@en-us", "strong@en-us"),
    "uo-6": ("weak@m3", "strong@m3", "para@m3", "weak@m3", "weak@m3"),
    "uo-7": ("weak@m3", "strong@m3", "weak@en-us", "weak@m3", "strong@en-us"),
    "cdc-1": (
        "strong@joe_clean",
        "para@joe_clean",
        "strong@joe_clean",
        "mixed@joe_clean",
        "para@joe_clean",
    ),
    "cdc-2": (
        "strong@joe_fast",
        "weak-2@joe_fast",
        "para@joe_fast",
        "mixed@joe_fast",
        "strong@joe_clean",
    ),
    "cdc-3": (
        "weak@joe_clean",
        "weak@joe_clean",
        "weak-2@joe_babble",
        "weak@joe_brown",
        "weak@joe_pink",
    ),
    "cdc-4": (
        "para@joe_clean",
        "strong@joe_clean",
        "weak@joe_clean",
        "para@joe_babble",
        "strong@joe_clean",
    ),
    "cdc-5": ("strong@en-us", "weak@en-us", "mixed@m3", "strong@en-us", "para@m3"),
    "cdc-6": ("para@m3", "strong@en-us", "mixed@m3", "para@m3", "weak@m3"),
    "cdc-7": (
        "para@joe_clean",
        "weak-2@joe_clean",
        "mixed@joe_clean",
        "strong@joe_clean",
        "weak@joe_clean",
    ),
}


def clip_name(text_id: str, voice: str) -> str:
    if voice.startswith("joe_"):
        return f"{text_id}__joe_{voice[4:]}.flac"
    return f"{text_id}__{VOICES[voice]}_clean.flac"


def clip_path(text_id: str, voice: str) -> Path:
    """The clip in the step corpus, else one of this corpus's extra espeak clips."""
    name = clip_name(text_id, voice)
    stock = TESTS / "corpus" / "clips" / name
    return stock if stock.exists() or voice.startswith("joe_") else EXTRA / name


def synthesise_missing(texts: dict[str, str], speak_as: dict[str, str]) -> None:
    EXTRA.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for text_id, voice in EXTRA_ESPEAK:
            out = EXTRA / clip_name(text_id, voice)
            if out.exists():
                continue
            print(f"synthesising {out.name}")
            say = make_corpus.spoken(texts[text_id], speak_as)
            make_corpus.synth_espeak(say, VOICES[voice], out, Path(tmp))


def build(texts: dict[str, dict[str, str]]) -> dict[str, object]:
    rng = random.Random(SEED)
    answers = []
    for answer_id, recipe in RECIPES.items():
        abbr = answer_id.split("-")[0]
        question = QUESTIONS[abbr]
        clips, pauses, starts, kinds = [], [], [], []
        t = 0
        for k, (step, part) in enumerate(zip(STEPS, recipe, strict=True)):
            kind, voice = part.split("@")
            text_id = f"{abbr}-{step}-{kind}"
            if texts[text_id]["question"] != question or texts[text_id]["step"] != step:
                raise SystemExit(f"{answer_id}: {text_id} is not a {question} {step}")
            path = clip_path(text_id, voice)
            if not path.exists():
                raise SystemExit(f"{answer_id}: missing clip {path}")
            frames = sf.info(str(path)).frames
            if k:
                pause = round(rng.uniform(0.3, 0.8), 2)
                pauses.append(pause)
                t += round(pause * SR)
            starts.append(round(t / SR, 3))
            t += frames
            clips.append(str(path.relative_to(TESTS)))
            kinds.append(kind.split("-")[0])
        family = "joe" if all(p.split("@")[1].startswith("joe") for p in recipe) else "espeak"
        answers.append(
            {
                "id": answer_id,
                "question": question,
                "voice": family,
                "kinds": kinds,
                "clips": clips,
                "pauses_s": pauses,
                # Where each step starts (seconds): 0 for the situation, then the
                # concatenation points. These are the true boundaries.
                "starts_s": dict(zip(STEPS, starts, strict=True)),
                "duration_s": round(t / SR, 3),
            }
        )
    total = sum(float(a["duration_s"]) for a in answers)  # type: ignore[arg-type]
    return {
        "about": (
            "Generated by build.py - do not edit. Clip paths are relative to tests/; the "
            "answer is the clips joined in order with pauses_s of silence between them."
        ),
        "total_duration_s": round(total, 1),
        "answers": answers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="verify only")
    args = parser.parse_args()
    raw = yaml.safe_load((TESTS / "corpus" / "texts.yaml").read_text(encoding="utf-8"))
    texts = {t["id"]: t for t in raw["texts"]}
    if not args.check:
        synthesise_missing({k: v["text"] for k, v in texts.items()}, raw.get("speak_as") or {})
    data = build(texts)
    text = yaml.safe_dump(data, sort_keys=False, width=100)
    if args.check:
        if not ANSWERS.exists() or ANSWERS.read_text(encoding="utf-8") != text:
            raise SystemExit("answers.yaml is out of date: run build.py")
        print("answers.yaml is up to date")
        return
    ANSWERS.write_text(text, encoding="utf-8")
    answers = data["answers"]
    assert isinstance(answers, list)
    print(f"wrote {ANSWERS.name}: {len(answers)} answers, {data['total_duration_s']} s of audio")


if __name__ == "__main__":
    main()
