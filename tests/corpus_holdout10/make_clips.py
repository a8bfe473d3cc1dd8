#!/usr/bin/env python3
"""Make one spoken clip per text in texts.yaml (corpus_holdout10).

Run with a python that has PyYAML, e.g.  /work/main/.venv/bin/python make_clips.py
Needs flite, festival (text2wave, cmu_us_slt_arctic_hts), espeak-ng and sox on PATH.
Voices go round-robin, shifted by one each full cycle; a quarter of clips get tempo 1.15 or 0.9;
every fifth clip gets light pink noise mixed in (those are never tempo-changed).
"""
import os, subprocess, tempfile, yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CLIPS = os.path.join(HERE, "clips")

# name -> (synth command builder, sox effects for the voice, voice-level tempo)
VOICES = [
    ("flite-awb",        lambda t, o: ["flite", "-voice", "awb", "-t", t, "-o", o],   ["pitch", "250"], 1.0),
    ("flite-kal16",      lambda t, o: ["flite", "-voice", "kal16", "-t", t, "-o", o], [], 0.95),
    ("festival-slt",     None,                                                       ["pitch", "-200"], 1.0),
    ("espeak-gbclan-tweaky", lambda t, o: ["espeak-ng", "-v", "en-gb-x-gbclan+Tweaky", "-s", "155", "-w", o, t], [], 1.0),
    ("espeak-029-lee",   lambda t, o: ["espeak-ng", "-v", "en-029+Lee", "-s", "170", "-w", o, t], [], 1.0),
]

def synth(voice, text, out):
    name, build, _, _ = voice
    if build is None:  # festival
        subprocess.run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", out],
                       input=text.encode(), check=True, stdout=subprocess.DEVNULL)
    else:
        subprocess.run(build(text, out), check=True, stdout=subprocess.DEVNULL)

def duration(path):
    return float(subprocess.run(["soxi", "-D", path], capture_output=True, text=True, check=True).stdout)

def main():
    texts = yaml.safe_load(open(os.path.join(HERE, "texts.yaml")))["texts"]
    os.makedirs(CLIPS, exist_ok=True)
    n = len(texts)
    noise_idx = {i for i in range(n) if i % 5 == 4}
    rest = [i for i in range(n) if i not in noise_idx]
    tempo_idx = rest[::3][: round(n / 4)]
    variants = {}
    for k, i in enumerate(tempo_idx):
        variants[i] = "fast" if k % 2 == 0 else "slow"
    for i in noise_idx:
        variants[i] = "noise"
    manifest = []
    tmp = tempfile.mkdtemp(prefix="h10clips_")
    for i, t in enumerate(texts):
        voice = VOICES[(i + i // len(VOICES)) % len(VOICES)]
        name, _, veff, vtempo = voice
        variant = variants.get(i, "clean")
        raw = os.path.join(tmp, f"{i}.wav")
        synth(voice, t["text"], raw)
        tempo = vtempo * {"fast": 1.15, "slow": 0.9}.get(variant, 1.0)
        eff = list(veff) + (["tempo", f"{tempo:.4f}"] if abs(tempo - 1) > 1e-6 else [])
        out = os.path.join(CLIPS, f"{t['id']}__{name}.flac")
        if variant == "noise":
            mid = os.path.join(tmp, f"{i}_v.wav")
            subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", mid] + eff + ["norm", "-3"], check=True)
            d = duration(mid)
            nz = os.path.join(tmp, f"{i}_n.wav")
            subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", nz, "synth", f"{d}",
                            "pinknoise", "vol", "0.03"], check=True)
            subprocess.run(["sox", "-m", mid, nz, "-r", "16000", "-c", "1", "-b", "16", out], check=True)
        else:
            subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", out] + eff + ["norm", "-3"], check=True)
        manifest.append({"clip": f"clips/{os.path.basename(out)}", "text_id": t["id"], "voice": name,
                         "variant": variant, "duration_s": round(duration(out), 2)})
        print(manifest[-1])
    yaml.safe_dump({"clips": manifest}, open(os.path.join(HERE, "manifest.yaml"), "w"), sort_keys=False)

if __name__ == "__main__":
    main()
