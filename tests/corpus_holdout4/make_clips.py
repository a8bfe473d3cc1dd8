#!/usr/bin/env python3
"""Synthesise one clip per text of texts.yaml and write manifest.yaml.

Voices round-robin over flite rms, festival us-slt-hts, flite awb, flite slt; every third
clip is sped up (sox tempo 1.15) or slowed down (tempo 0.9), alternately. Output:
clips/<id>__<voice>.flac, 16 kHz mono 16-bit. speak_as replacements only change what the
synthesiser is fed. Needs: flite, festival + festvox-us-slt-hts, sox, python3-yaml.
"""

import pathlib
import re
import subprocess
import sys
import tempfile

import yaml

HERE = pathlib.Path(__file__).resolve().parent
VOICES = ["flite-rms", "festival-slt-hts", "flite-awb", "flite-slt"]


def synth(voice, text, wav):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(text + "\n")
        txt = f.name
    if voice.startswith("flite-"):
        cmd = ["flite", "-voice", voice.split("-", 1)[1], "-f", txt, "-o", wav]
    else:
        cmd = ["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", txt, "-o", wav]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pathlib.Path(txt).unlink()


def stat(path):
    r = subprocess.run(["sox", path, "-n", "stat"], capture_output=True, text=True, check=True)
    vals = {}
    for line in r.stderr.splitlines():
        if ":" in line:
            k, v = line.rsplit(":", 1)
            try:
                vals[k.strip()] = float(v)
            except ValueError:
                pass
    return vals


def main():
    data = yaml.safe_load((HERE / "texts.yaml").read_text())
    speak_as = data.get("speak_as") or {}
    clips_dir = HERE / "clips"
    clips_dir.mkdir(exist_ok=True)
    manifest, problems = [], []
    for i, t in enumerate(data["texts"]):
        voice = VOICES[i % len(VOICES)]
        variant = "clean" if i % 3 != 2 else ("fast" if (i // 3) % 2 == 0 else "slow")
        spoken = t["text"]
        for src, dst in speak_as.items():
            spoken = re.sub(r"(?<![\w/])" + re.escape(src) + r"(?![\w/])", dst, spoken)
        out = clips_dir / f"{t['id']}__{voice}.flac"
        with tempfile.TemporaryDirectory() as td:
            wav = str(pathlib.Path(td) / "raw.wav")
            synth(voice, spoken, wav)
            effects = {"clean": [], "fast": ["tempo", "1.15"], "slow": ["tempo", "0.9"]}[variant]
            subprocess.run(
                ["sox", wav, "-r", "16000", "-c", "1", "-b", "16", str(out)] + effects, check=True
            )
        st = stat(str(out))
        dur = st["Length (seconds)"]
        words = len(t["text"].split())
        wps = words / dur
        if st["RMS     amplitude"] < 0.005:
            problems.append(f"{out.name}: near-silent (RMS {st['RMS     amplitude']:.4f})")
        if not 1.3 <= wps <= 5.0:
            problems.append(f"{out.name}: {wps:.2f} words/s outside 1.3-5")
        manifest.append(
            {
                "clip": f"clips/{out.name}",
                "text_id": t["id"],
                "voice": voice,
                "variant": variant,
                "duration_s": round(dur, 2),
            }
        )
        print(f"{out.name}: {variant} {dur:.1f}s {wps:.2f} w/s")
    (HERE / "manifest.yaml").write_text(
        "# One clip per text of texts.yaml; made by make_clips.py.\n"
        + yaml.safe_dump({"clips": manifest}, sort_keys=False, width=100)
    )
    for p in problems:
        print("PROBLEM", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
