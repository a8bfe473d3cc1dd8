#!/usr/bin/env python3
"""Render texts.yaml to clips/*.flac with Debian TTS voices and write manifest.yaml.

Voices round-robin: festival-kal, flite-kal16, espeak-gb-rp-m4, flite-rms.
Variants: every fifth clip (index % 5 == 4) gets light pink noise; twelve other clips get
tempo 1.2 (fast) or 0.85 (slow), alternating; the rest are clean.
Run with a python3 that has PyYAML (e.g. /work/main/.venv/bin/python).
"""
import os, re, subprocess, sys, tempfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
VOICES = ["festival-kal", "flite-kal16", "espeak-gb-rp-m4", "flite-rms"]


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def synth(voice, text, wav, tmp):
    if voice == "festival-kal":
        tf = os.path.join(tmp, "in.txt")
        with open(tf, "w") as f:
            f.write(text + "\n")
        run(["text2wave", "-eval", "(voice_kal_diphone)", "-o", wav, tf])
    elif voice == "flite-kal16":
        run(["flite", "-voice", "kal16", "-t", text, "-o", wav])
    elif voice == "flite-rms":
        run(["flite", "-voice", "rms", "-t", text, "-o", wav])
    elif voice == "espeak-gb-rp-m4":
        run(["espeak-ng", "-v", "en-gb-x-rp+m4", "-s", "165", "-w", wav, text])
    else:
        raise ValueError(voice)


def duration(path):
    out = subprocess.run(["soxi", "-D", path], check=True, capture_output=True, text=True).stdout
    return float(out.strip())


def rms(path):
    err = subprocess.run(["sox", path, "-n", "stat"], capture_output=True, text=True).stderr
    m = re.search(r"RMS\s+amplitude:\s+([0-9.]+)", err)
    return float(m.group(1)) if m else 0.0


def variants(n):
    v = ["clean"] * n
    for i in range(n):
        if i % 5 == 4:
            v[i] = "noise"
    tempo_slots = []
    for i in range(0, n, 3):
        j = i if v[i] == "clean" else i + 1
        if j < n and v[j] == "clean":
            tempo_slots.append(j)
    for k, j in enumerate(tempo_slots):
        v[j] = "fast" if k % 2 == 0 else "slow"
    return v


def main():
    data = yaml.safe_load(open(os.path.join(HERE, "texts.yaml")))
    texts = data["texts"]
    os.makedirs(os.path.join(HERE, "clips"), exist_ok=True)
    vs = variants(len(texts))
    manifest = []
    bad = []
    with tempfile.TemporaryDirectory(dir="/tmp/h6") as tmp:
        for i, t in enumerate(texts):
            voice = VOICES[i % len(VOICES)]
            variant = vs[i]
            raw = os.path.join(tmp, "raw.wav")
            base = os.path.join(tmp, "base.wav")
            synth(voice, t["text"], raw, tmp)
            run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", base])
            src = base
            if variant in ("fast", "slow"):
                tmp2 = os.path.join(tmp, "tempo.wav")
                run(["sox", base, tmp2, "tempo", "1.2" if variant == "fast" else "0.85"])
                src = tmp2
            elif variant == "noise":
                noise = os.path.join(tmp, "noise.wav")
                mixed = os.path.join(tmp, "mixed.wav")
                run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", noise, "synth",
                     "%.3f" % duration(base), "pinknoise", "vol", "0.02"])
                run(["sox", "-m", base, noise, mixed])
                src = mixed
            rel = "clips/%s__%s.flac" % (t["id"], voice)
            out = os.path.join(HERE, rel)
            run(["sox", src, "-r", "16000", "-c", "1", "-b", "16", out])
            d = duration(out)
            words = len(re.findall(r"[A-Za-z0-9']+", t["text"]))
            wps = words / d
            level = rms(out)
            ok = level > 0.005 and 1.3 <= wps <= 5.5
            if not ok:
                bad.append((rel, round(wps, 2), level))
            print("%-58s %-8s %6.1fs %4.2f w/s rms=%.3f %s" % (rel, variant, d, wps, level, "" if ok else "BAD"))
            manifest.append({"clip": rel, "text_id": t["id"], "voice": voice,
                             "variant": variant, "duration_s": round(d, 1)})
    with open(os.path.join(HERE, "manifest.yaml"), "w") as f:
        yaml.safe_dump({"clips": manifest}, f, sort_keys=False)
    if bad:
        print("FAILED checks:", bad)
        sys.exit(1)


if __name__ == "__main__":
    main()
