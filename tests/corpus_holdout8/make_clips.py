#!/usr/bin/env python3
"""Speak texts.yaml into clips/ with espeak-ng and flite, then write manifest.yaml.

Run with a python that has PyYAML:  /work/main/.venv/bin/python make_clips.py
Needs espeak-ng, flite and sox on PATH. Deterministic: same texts -> same clip plan.
"""
import pathlib, re, subprocess, tempfile
import yaml

HERE = pathlib.Path(__file__).resolve().parent
CLIPS = HERE / 'clips'

VOICES = [  # (short name, command builder)
    ('hugo',    lambda t, w: ['espeak-ng', '-v', 'en-gb-x-gbcwmd+Hugo', '-s', '165', '-w', w, t]),
    ('belinda', lambda t, w: ['espeak-ng', '-v', 'en-029+belinda', '-s', '150', '-w', w, t]),
    ('mike',    lambda t, w: ['espeak-ng', '-v', 'en-us-nyc+Mike', '-s', '175', '-w', w, t]),
    ('denis',   lambda t, w: ['espeak-ng', '-v', 'en-gb-scotland+Denis', '-s', '145', '-w', w, t]),
    ('awb',     lambda t, w: ['flite', '-voice', 'awb', '-t', t, '-o', w]),
]
NOISE = {i for i in range(200) if i % 5 == 4}                    # every fifth clip
# A quarter of the clips get a tempo change (none of them noisy), spread over the voices.
TEMPO = {1: 'fast', 6: 'slow', 11: 'fast', 16: 'slow', 21: 'fast', 26: 'slow', 28: 'slow',
         31: 'fast', 33: 'fast'}
def variant(i):
    if i in NOISE: return 'noise'
    return TEMPO.get(i, 'clean')

def voice(i):
    # Round-robin over the five voices, shifted by one after every cycle so that
    # "every fifth clip is noisy" does not always fall on the same voice.
    return VOICES[(i + i // len(VOICES)) % len(VOICES)]

def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

def duration(p):
    return float(subprocess.run(['soxi', '-D', str(p)], check=True, capture_output=True, text=True).stdout)

def rms_of(p):
    err = subprocess.run(['sox', str(p), '-n', 'stat'], capture_output=True, text=True).stderr
    return float(re.search(r'RMS\s+amplitude:\s+([0-9.]+)', err).group(1))

def main():
    texts = yaml.safe_load((HERE / 'texts.yaml').read_text())['texts']
    CLIPS.mkdir(exist_ok=True)
    for old in CLIPS.glob('*.flac'): old.unlink()
    rows = []
    with tempfile.TemporaryDirectory(dir='/tmp/h8') as tmp:
        tmp = pathlib.Path(tmp)
        for i, t in enumerate(texts):
            vname, build = voice(i)
            var = variant(i)
            raw = tmp / f'{i}_raw.wav'
            run(build(t['text'], str(raw)))
            base = tmp / f'{i}_base.wav'
            run(['sox', str(raw), '-r', '16000', '-c', '1', '-b', '16', str(base)])
            src = base
            if var in ('fast', 'slow'):
                src = tmp / f'{i}_tempo.wav'
                run(['sox', str(base), str(src), 'tempo', '1.15' if var == 'fast' else '0.9'])
            elif var == 'noise':
                noise = tmp / f'{i}_noise.wav'
                run(['sox', '-n', '-r', '16000', '-c', '1', '-b', '16', str(noise),
                     'synth', f'{duration(base):.3f}', 'pinknoise', 'vol', '0.5'])
                # light noise: about 20 dB below the speech's RMS (pauses included)
                gain = 0.1 * rms_of(base) / rms_of(noise)
                src = tmp / f'{i}_mix.wav'
                run(['sox', '-m', '-v', '1.0', str(base), '-v', f'{gain:.4f}', str(noise), str(src)])
            out = CLIPS / f"{t['id']}__{vname}.flac"
            run(['sox', str(src), '-r', '16000', '-c', '1', '-b', '16', str(out)])
            d = round(duration(out), 2)
            words = len(re.findall(r"[A-Za-z0-9']+", t['text']))
            rms = rms_of(out)
            assert rms > 0.005, (out, rms)
            wps = words / d
            assert 1.3 <= wps <= 5.5, (out, wps)
            rows.append({'clip': f'clips/{out.name}', 'text_id': t['id'], 'voice': vname,
                         'variant': var, 'duration_s': d})
            print(f'{out.name:60s} {var:6s} {d:6.2f}s {wps:4.2f} w/s rms={rms:.3f}')
    (HERE / 'manifest.yaml').write_text(
        '# One clip per text in texts.yaml; made by make_clips.py. HELD-OUT: measure once.\n'
        + yaml.safe_dump({'clips': rows}, sort_keys=False))

if __name__ == '__main__':
    main()
