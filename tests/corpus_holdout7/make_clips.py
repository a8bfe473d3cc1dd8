#!/usr/bin/env python3
"""Speak texts.yaml into clips/ with espeak-ng variants and flite; write manifest.yaml.

Run:  /work/main/.venv/bin/python make_clips.py   (needs espeak-ng, flite, sox on PATH)
"""
import os, re, subprocess, sys, tempfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
VOICES = [  # (name, command prefix; the script appends -w/-o and the text)
    ('espeak-029-andy',       ['espeak-ng', '-v', 'en-029+Andy', '-s', '160']),
    ('espeak-nyc-grandma',    ['espeak-ng', '-v', 'en-us-nyc+grandma', '-s', '150']),
    ('espeak-gbclan-alicia',  ['espeak-ng', '-v', 'en-gb-x-gbclan+Alicia', '-s', '175']),
    ('espeak-gbcwmd-f5',      ['espeak-ng', '-v', 'en-gb-x-gbcwmd+f5', '-s', '140']),
    ('flite-awb',             ['flite', '-voice', 'awb']),
]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def duration(path):
    return float(subprocess.run(['soxi', '-D', path], check=True, capture_output=True, text=True).stdout)


def rms(path):
    err = subprocess.run(['sox', path, '-n', 'stat'], capture_output=True, text=True).stderr
    return float(re.search(r'RMS\s+amplitude:\s+([0-9.]+)', err).group(1))


def spoken(text, speak_as):
    for k, v in speak_as.items():
        text = re.sub(r'\b%s\b' % re.escape(k), v, text)
    return text


def synth(voice_cmd, text, out_wav):
    if voice_cmd[0] == 'flite':
        run(voice_cmd + ['-t', text, '-o', out_wav])
    else:
        run(voice_cmd + ['-w', out_wav, text])


def main():
    doc = yaml.safe_load(open(os.path.join(HERE, 'texts.yaml')))
    speak_as = doc.get('speak_as') or {}
    os.makedirs(os.path.join(HERE, 'clips'), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='h7clips_', dir='/tmp/h7' if os.path.isdir('/tmp/h7') else None)
    clips, problems, k = [], [], 0
    for i, t in enumerate(doc['texts']):
        vname, vcmd = VOICES[(i + i // 5) % len(VOICES)]   # round-robin, shifted per block of 5
        if i % 5 == 4:
            variant = 'noise'                                # every fifth clip
        else:
            variant = 'clean'
            if k % 3 == 1:                                   # about a quarter: tempo change
                variant = 'fast' if (k // 3) % 2 == 0 else 'slow'
            k += 1
        raw = os.path.join(tmp, f'{i}_raw.wav')
        synth(vcmd, spoken(t['text'], speak_as), raw)
        mono = os.path.join(tmp, f'{i}_mono.wav')
        effects = {'fast': ['tempo', '1.15'], 'slow': ['tempo', '0.9']}.get(variant, [])
        run(['sox', raw, '-r', '16000', '-c', '1', '-b', '16', mono] + effects)
        final_in = mono
        if variant == 'noise':
            noise = os.path.join(tmp, f'{i}_noise.wav')
            run(['sox', '-n', '-r', '16000', '-c', '1', '-b', '16', noise, 'synth', '%.3f' % duration(mono),
                 'pinknoise', 'vol', '0.02'])
            final_in = os.path.join(tmp, f'{i}_mix.wav')
            run(['sox', '-m', '-v', '1', mono, '-v', '1', noise, final_in])
        rel = f"clips/{t['id']}__{vname}.flac"
        out = os.path.join(HERE, rel)
        run(['sox', final_in, '-r', '16000', '-c', '1', '-b', '16', out])
        dur = duration(out)
        words = len(re.findall(r"[A-Za-z0-9']+", t['text']))
        wps = words / dur
        level = rms(out)
        if level < 0.01:
            problems.append(f'{rel}: near-silent (RMS {level:.4f})')
        if not 1.3 <= wps <= 5.5:
            problems.append(f'{rel}: {wps:.2f} words/s')
        clips.append({'clip': rel, 'text_id': t['id'], 'voice': vname, 'variant': variant,
                      'duration_s': round(dur, 1)})
        print(f'{rel:60s} {variant:5s} {dur:5.1f}s {wps:4.2f} w/s rms={level:.3f}')
    with open(os.path.join(HERE, 'manifest.yaml'), 'w') as f:
        yaml.safe_dump({'clips': clips}, f, sort_keys=False)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)
    if problems:
        print('\n'.join(problems))
        sys.exit(1)
    print(len(clips), 'clips OK')


if __name__ == '__main__':
    main()
