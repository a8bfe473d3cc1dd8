"""A labelled filler set spoken by TTS voices the team does not develop with.

TTS "um"/"uh" are a proxy for real hesitations (a synthetic voice says them as words, on
a steady pitch, usually with a pause either side); the figures are for that proxy.
Voices: Debian flite (kal, slt, rms, awb), festival (kal_diphone, cmu_us_slt_arctic_hts)
and espeak-ng en-gb variants -- never piper joe nor espeak-ng en-us, the development voices.
``DEV_VOICES`` were used to tune the detector; the others are held out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FILLERS = ("um", "uh")

WITH_FILLERS = [
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
]

FLUENT = [
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

DEV_VOICES = ("espeak:en-gb-scotland", "flite:kal")
VOICES = (
    "espeak:en-gb-scotland",
    "flite:kal",
    "flite:slt",
    "flite:rms",
    "flite:awb",
    "festival:kal_diphone",
    "espeak:en-gb-x-rp",
    "espeak:en-gb",
)


@dataclass(frozen=True)
class FillerClip:
    path: Path
    voice: str
    text: str
    fillers: int  # how many fillers the text says

    @property
    def fluent_text(self) -> str:
        """The words without the fillers (the reference for word error rate)."""
        words = [w for w in re.findall(r"[a-z']+", self.text.lower()) if w not in FILLERS]
        return " ".join(words)


def _say(voice: str, text: str, out: Path) -> None:
    kind, name = voice.split(":", 1)
    raw = out.with_suffix(".raw.wav")
    if kind == "espeak":
        subprocess.run(["espeak-ng", "-v", name, "-s", "160", "-w", str(raw), text], check=True)
    elif kind == "flite":
        subprocess.run(["flite", "-voice", name, "-t", text, "-o", str(raw)], check=True)
    else:
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{name})", "-o", str(raw)],
            input=text.encode(),
            check=True,
        )
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", str(out)], check=True)
    raw.unlink()


def available_voices() -> list[str]:
    tools = {"espeak": "espeak-ng", "flite": "flite", "festival": "text2wave"}
    return [v for v in VOICES if shutil.which(tools[v.split(":")[0]])]


def build(folder: Path, voices: list[str] | None = None) -> list[FillerClip]:
    """One clip per voice and sentence (cached in ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for voice in voices or available_voices():
        tag = voice.replace(":", "-")
        for i, text in enumerate(WITH_FILLERS + FLUENT):
            kind = "f" if i < len(WITH_FILLERS) else "n"
            out = folder / f"{tag}-{kind}{i:02d}.wav"
            if not out.exists():
                _say(voice, text, out)
            n = sum(1 for w in re.findall(r"[a-z']+", text.lower()) if w in FILLERS)
            clips.append(FillerClip(out, voice, text, n))
    return clips
