#!/usr/bin/env python3
"""Render texts.yaml to speech clips with Debian TTS voices (flite, festival, espeak-ng) + sox.

Usage: python3 make_clips.py   (from any directory; scratch files go to /tmp/h5/work)
"""
import os, re, subprocess, yaml

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = '/tmp/h5/work'
CLIPS = os.path.join(HERE, 'clips')
VOICES = ['flite-kal16', 'festival-kal', 'espeak-gb-scotland-f2', 'flite-slt']


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def spoken(text, speak_as):
    for k, v in speak_as.items():
        text = re.sub(r'(?<![A-Za-z])' + re.escape(k) + r'(?![A-Za-z])', v, text)
    return text


def synth(voice, text, wav):
    txt = wav + '.txt'
    with open(txt, 'w') as f:
        f.write(text + '\n')
    if voice == 'flite-kal16':
        run(['flite', '-voice', 'kal16', '-f', txt, '-o', wav])
    elif voice == 'flite-slt':
        run(['flite', '-voice', 'slt', '-f', txt, '-o', wav])
    elif voice == 'festival-kal':
        run(['text2wave', '-eval', '(voice_kal_diphone)', txt, '-o', wav])
    elif voice == 'espeak-gb-scotland-f2':
        run(['espeak-ng', '-v', 'en-gb-scotland+f2', '-s', '170', '-f', txt, '-w', wav])
    else:
        raise ValueError(voice)


def duration(path):
    return float(subprocess.run(['soxi', '-D', path], check=True, capture_output=True, text=True).stdout)


def peak(path):
    r = subprocess.run(['sox', path, '-n', 'stat'], capture_output=True, text=True)
    m = re.search(r'Maximum amplitude:\s+([-\d.]+)', r.stderr)
    return float(m.group(1))


def variant_for(i):
    if i % 5 == 4:
        return 'noise'
    if i % 3 == 1:
        return 'fast' if (i // 3) % 2 == 0 else 'slow'
    return 'clean'


def main():
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(CLIPS, exist_ok=True)
    doc = yaml.safe_load(open(os.path.join(HERE, 'texts.yaml')))
    speak_as = doc.get('speak_as') or {}
    rows = []
    for i, t in enumerate(doc['texts']):
        voice = VOICES[i % len(VOICES)]
        var = variant_for(i)
        base = os.path.join(WORK, f"{t['id']}__{voice}")
        raw = base + '.raw.wav'
        synth(voice, spoken(t['text'], speak_as), raw)
        mono = base + '.mono.wav'
        run(['sox', raw, '-r', '16000', '-c', '1', mono])
        cur = mono
        if var in ('fast', 'slow'):
            tw = base + '.tempo.wav'
            run(['sox', cur, tw, 'tempo', '1.2' if var == 'fast' else '0.85'])
            cur = tw
        elif var == 'noise':
            d = duration(cur)
            nz = base + '.noise.wav'
            run(['sox', '-n', '-r', '16000', '-c', '1', nz, 'synth', f'{d:.3f}', 'pinknoise', 'vol', '0.02'])
            mx = base + '.mix.wav'
            run(['sox', '-m', cur, nz, mx])
            cur = mx
        rel = f"clips/{t['id']}__{voice}.flac"
        out = os.path.join(HERE, rel)
        run(['sox', cur, '-r', '16000', '-c', '1', '-b', '16', out])
        dur = duration(out)
        words = len(t['text'].split())
        wps = words / dur
        pk = peak(out)
        assert pk > 0.05, (rel, 'silent', pk)
        assert 1.3 <= wps <= 5.5, (rel, 'rate', wps)
        print(f'{rel}  {var:5s} {dur:6.1f}s  {wps:.2f} w/s  peak {pk:.2f}')
        rows.append({'clip': rel, 'text_id': t['id'], 'voice': voice, 'variant': var,
                     'duration_s': round(dur, 1)})
    with open(os.path.join(HERE, 'manifest.yaml'), 'w') as f:
        yaml.safe_dump({'clips': rows}, f, sort_keys=False)


if __name__ == '__main__':
    main()
