#!/usr/bin/env python3
"""Speak texts.yaml into clips/ and write manifest.yaml (python3 + subprocess + sox/flite/festival/espeak-ng).
Run with an interpreter that has PyYAML, e.g. /work/main/.venv/bin/python make_clips.py"""
import os, re, subprocess, tempfile, yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CLIPS = os.path.join(HERE, "clips")
os.makedirs(CLIPS, exist_ok=True)

def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)

def flite(voice, pitch):
    def f(text, out, tmp):
        raw = os.path.join(tmp, "raw.wav")
        run(["flite", "-voice", voice, "-t", text, "-o", raw])
        run(["sox", raw, out, "pitch", str(pitch)])
    return f

def festival(text, out, tmp):
    txt = os.path.join(tmp, "in.txt"); raw = os.path.join(tmp, "raw.wav")
    open(txt, "w").write(text)
    run(["text2wave", "-eval", "(voice_kal_diphone)", txt, "-o", raw])
    run(["sox", raw, out, "tempo", "1.1"])

def espeak(voice, speed):
    def f(text, out, tmp):
        run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", out, text])
    return f

VOICES = [
    ("flite-slt-low", flite("slt", -300)),
    ("flite-rms-high", flite("rms", 200)),
    ("festival-kal", festival),
    ("espeak-rp-andrea", espeak("en-gb-x-rp+Andrea", 160)),
    ("espeak-us-gene", espeak("en-us+Gene", 145)),
]

def duration(path):
    return float(subprocess.run(["soxi", "-D", path], capture_output=True, text=True, check=True).stdout)

def rms(path):
    err = subprocess.run(["sox", path, "-n", "stat"], capture_output=True, text=True).stderr
    return float(re.search(r"RMS\s+amplitude:\s+([0-9.]+)", err).group(1))

def main():
    doc = yaml.safe_load(open(os.path.join(HERE, "texts.yaml")))
    speak_as = doc.get("speak_as") or {}
    texts = doc["texts"]
    clips, nonnoise = [], 0
    tempo_count = 0
    for i, t in enumerate(texts):
        cycle = i // len(VOICES)
        vname, vfun = VOICES[(i + cycle) % len(VOICES)]
        if i % 5 == 4:
            variant = "noise"
        else:
            variant = "clean"
            if nonnoise % 3 == 1 and tempo_count < 10:
                variant = "fast" if tempo_count % 2 == 0 else "slow"
                tempo_count += 1
            nonnoise += 1
        spoken = t["text"]
        for k, v in speak_as.items():
            spoken = re.sub(r"\b%s\b" % re.escape(k), v, spoken)
        out = os.path.join(CLIPS, f"{t['id']}__{vname}.flac")
        with tempfile.TemporaryDirectory(dir="/tmp/h9") as tmp:
            a = os.path.join(tmp, "a.wav"); b = os.path.join(tmp, "b.wav")
            vfun(spoken, a, tmp)
            run(["sox", a, "-r", "16000", "-c", "1", b])
            if variant in ("fast", "slow"):
                c = os.path.join(tmp, "c.wav")
                run(["sox", b, c, "tempo", "1.15" if variant == "fast" else "0.9"]); b = c
            elif variant == "noise":
                n = os.path.join(tmp, "noise.wav"); c = os.path.join(tmp, "c.wav")
                run(["sox", "-n", "-r", "16000", "-c", "1", n, "synth", "%.3f" % duration(b), "pinknoise", "vol", "0.02"])
                run(["sox", "-m", "-v", "1", b, "-v", "1", n, c]); b = c
            run(["sox", b, "-r", "16000", "-c", "1", "-b", "16", out])
        d = duration(out); wps = len(t["text"].split()) / d; r = rms(out)
        ok = r > 0.005 and 1.3 <= wps <= 5.5
        print(f"{t['id']:24s} {vname:17s} {variant:6s} {d:6.1f}s {wps:4.2f} w/s rms={r:.3f} {'OK' if ok else 'CHECK'}")
        if not ok:
            raise SystemExit("clip failed checks: " + out)
        clips.append({"clip": os.path.relpath(out, HERE), "text_id": t["id"], "voice": vname,
                      "variant": variant, "duration_s": round(d, 1)})
    with open(os.path.join(HERE, "manifest.yaml"), "w") as f:
        yaml.safe_dump({"clips": clips}, f, sort_keys=False)

if __name__ == "__main__":
    main()
