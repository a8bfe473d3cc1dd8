#!/usr/bin/env python3
"""Speak every text of this held-out set into clips/ (not kept in git: run this to make them).

    /work/main/.venv/bin/python tests/corpus_holdout11/make_clips.py   # or ..._holdout12

Voices no earlier set used (festival ked_diphone, espeak-ng klatt4 / f4 / Annie variants,
flite kal with reverb) and conditions no earlier set used (a telephone band, reverb).
Round-robin over the voices, shifted by one each cycle; a quarter of the clips faster or
slower, every fifth with pink noise. Needs festival (+ festvox-kdlpc16k), flite, espeak-ng, sox.
"""

import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(sys.argv[0] if len(sys.argv) < 2 else sys.argv[1]))
if len(sys.argv) >= 2:
    HERE = os.path.abspath(sys.argv[1])
CLIPS = os.path.join(HERE, "clips")

# name -> (synthesiser argv builder or festival voice, extra sox effects)
VOICES = [
    ("festival-ked", "(voice_ked_diphone)", ["pitch", "-100"]),
    ("espeak-gb-klatt4", ["espeak-ng", "-v", "en-gb+klatt4", "-s", "150"], []),
    ("espeak-us-f4-phone", ["espeak-ng", "-v", "en-us+f4", "-s", "165"], ["sinc", "300-3400"]),
    ("flite-kal-reverb", ["flite", "-voice", "kal"], ["reverb", "35"]),
    ("espeak-us-annie", ["espeak-ng", "-v", "en-us+Annie", "-s", "145"], []),
]


def synth(voice: tuple, text: str, out: str) -> None:
    name, how, _ = voice
    if isinstance(how, str):
        subprocess.run(["text2wave", "-eval", how, "-o", out], input=text.encode(), check=True,
                       stdout=subprocess.DEVNULL)
    elif how[0] == "flite":
        subprocess.run([*how, "-t", text, "-o", out], check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run([*how, "-w", out, text], check=True, stdout=subprocess.DEVNULL)


def duration(path: str) -> float:
    return float(subprocess.run(["soxi", "-D", path], capture_output=True, text=True,
                                check=True).stdout)


def main() -> None:
    texts = yaml.safe_load(open(os.path.join(HERE, "texts.yaml")))["texts"]
    os.makedirs(CLIPS, exist_ok=True)
    n = len(texts)
    noise = {i for i in range(n) if i % 5 == 4}
    rest = [i for i in range(n) if i not in noise]
    variants = {i: ("fast" if k % 2 == 0 else "slow") for k, i in enumerate(rest[::3][: n // 4])}
    variants.update({i: "noise" for i in noise})
    tmp = tempfile.mkdtemp(prefix="heldout-clips-")
    manifest = []
    for i, t in enumerate(texts):
        voice = VOICES[(i + i // len(VOICES)) % len(VOICES)]
        variant = variants.get(i, "clean")
        raw = os.path.join(tmp, f"{i}.wav")
        synth(voice, t["text"], raw)
        effects = list(voice[2])
        if variant in ("fast", "slow"):
            effects += ["tempo", "1.2" if variant == "fast" else "0.88"]
        out = os.path.join(CLIPS, f"{t['id']}__{voice[0]}.flac")
        mid = os.path.join(tmp, f"{i}-v.wav")
        subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", mid, *effects,
                        "norm", "-3"], check=True)
        if variant == "noise":
            nz = os.path.join(tmp, f"{i}-n.wav")
            subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", nz, "synth",
                            str(duration(mid)), "pinknoise", "vol", "0.04"], check=True)
            subprocess.run(["sox", "-m", mid, nz, "-r", "16000", "-c", "1", "-b", "16", out],
                           check=True)
        else:
            subprocess.run(["sox", mid, out], check=True)
        manifest.append({"clip": f"clips/{os.path.basename(out)}", "text_id": t["id"],
                         "voice": voice[0], "variant": variant,
                         "duration_s": round(duration(out), 2)})
    with open(os.path.join(HERE, "manifest.yaml"), "w") as f:
        yaml.safe_dump({"clips": manifest}, f, sort_keys=False)
    print(f"{len(manifest)} clips in {CLIPS}")


if __name__ == "__main__":
    main()
