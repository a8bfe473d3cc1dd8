#!/usr/bin/env python3
"""Synthesise one clip per text in texts.yaml with flite / festival, then sox to 16 kHz mono 16-bit FLAC.
Voices round-robin: flite slt, flite rms, flite awb, festival us-slt-hts. Every third clip is sped up
(tempo 1.15) or slowed (tempo 0.9), alternating. Writes manifest.yaml."""

import os
import re
import subprocess
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
VOICES = ["flite-slt", "flite-rms", "flite-awb", "festival-slt-hts"]


def speak_text(text, speak_as):
    for k, v in speak_as.items():
        text = re.sub(r"(?<![\w])" + re.escape(k) + r"(?![\w])", v, text)
    return text


def synth(voice, text, wav):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text + "\n")
        tf = f.name
    try:
        if voice.startswith("flite-"):
            subprocess.run(
                ["flite", "-voice", voice.split("-")[1], "-f", tf, "-o", wav], check=True
            )
        else:
            subprocess.run(
                ["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", tf, "-o", wav], check=True
            )
    finally:
        os.unlink(tf)


def stat(path):
    out = subprocess.run(["sox", path, "-n", "stat"], capture_output=True, text=True).stderr
    get = lambda key: float(re.search(key + r":\s+([-\d.e]+)", out).group(1))
    return get("Length \\(seconds\\)"), get("RMS     amplitude")


def main():
    data = yaml.safe_load(open(os.path.join(HERE, "texts.yaml")))
    speak_as = data.get("speak_as") or {}
    os.makedirs(os.path.join(HERE, "clips"), exist_ok=True)
    clips, problems = [], []
    tmp = tempfile.mkdtemp()
    for i, t in enumerate(data["texts"]):
        voice = VOICES[i % len(VOICES)]
        variant = "clean" if i % 3 != 2 else ("fast" if (i // 3) % 2 == 0 else "slow")
        wav = os.path.join(tmp, "a.wav")
        synth(voice, speak_text(t["text"], speak_as), wav)
        rel = f"clips/{t['id']}__{voice}.flac"
        effect = {"clean": [], "fast": ["tempo", "1.15"], "slow": ["tempo", "0.9"]}[variant]
        subprocess.run(
            ["sox", wav, "-r", "16000", "-c", "1", "-b", "16", os.path.join(HERE, rel)] + effect,
            check=True,
        )
        dur, rms = stat(os.path.join(HERE, rel))
        words = len(t["text"].split())
        wps = words / dur
        if rms < 0.005 or not (1.3 <= wps <= 5.0):
            problems.append((t["id"], dur, rms, wps))
        clips.append(
            {
                "clip": rel,
                "text_id": t["id"],
                "voice": voice,
                "variant": variant,
                "duration_s": round(dur, 1),
            }
        )
        print(f"{rel:60s} {variant:5s} {dur:6.1f}s {wps:4.2f} w/s rms={rms:.3f}")
    with open(os.path.join(HERE, "manifest.yaml"), "w") as f:
        yaml.safe_dump({"clips": clips}, f, sort_keys=False)
    if problems:
        print("PROBLEMS:", problems)
        raise SystemExit(1)
    print(f"{len(clips)} clips OK")


if __name__ == "__main__":
    main()
