"""How it was said: time against target, pace, I versus we, fillers, long pauses."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from starcoach.coach.document import Document
from starcoach.coach.patterns import Pattern, find_any

# Typed answers have no clock; they are timed as if said at an ordinary interview pace.
ASSUMED_WPM = 150.0
LONG_PAUSE_S = 2.0

_FILLER_PATTERNS = [
    # Every spelling Whisper writes a hesitation in (transcribe/fillers.py HESITATIONS).
    Pattern.of("um umm ummm uh uhh huh er erm ah ahh uhm hmm hm hmmm mm mmm", negatable=0),
    Pattern.of("you", "know", gap=0, negatable=0),
    Pattern.of("i", "mean", gap=0, negatable=0),
    Pattern.of("kind sort", "of", gap=0, negatable=0),
    Pattern.of("basically literally", negatable=0),
]


@dataclass(frozen=True)
class Pause:
    start: float
    end: float

    @property
    def length(self) -> float:
        return round(self.end - self.start, 2)


@dataclass(frozen=True)
class Delivery:
    duration_s: float
    speaking_s: float
    timed: bool
    word_count: int
    words_per_minute: float
    i_count: int
    we_count: int
    filler_count: int
    fillers: list[str] = field(default_factory=list)
    long_pauses: list[Pause] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "words_per_minute": self.words_per_minute,
            "i_count": self.i_count,
            "we_count": self.we_count,
            "filler_count": self.filler_count,
            "word_count": self.word_count,
            "speaking_s": self.speaking_s,
            "timed": self.timed,
            "fillers": list(self.fillers),
            "long_pause_count": len(self.long_pauses),
            "long_pauses": [{"start": p.start, "end": p.end} for p in self.long_pauses],
        }


def measure_delivery(doc: Document) -> Delivery:
    words = [w for w in doc.words if w.text.strip()]
    count = len(words)
    # Audio has a clock; a typed answer (duration 0) is timed as if said at ASSUMED_WPM.
    timed = doc.transcript.duration_s > 0
    if timed:
        starts = [w.start for w in words if w.start is not None]
        ends = [w.end for w in words if w.end is not None]
        speaking = max(0.0, ends[-1] - starts[0]) if starts and ends else 0.0
        duration = doc.transcript.duration_s
    else:
        speaking = count * 60.0 / ASSUMED_WPM
        duration = speaking
    wpm = round(count * 60.0 / speaking, 1) if speaking > 0 else 0.0
    fillers = find_any(doc, _FILLER_PATTERNS)
    # "like" is a filler only as an aside: ", like," — Whisper keeps those commas.
    like_asides = sum(
        1
        for w in words
        if w.text.strip().lower().strip(",") == "like" and w.text.strip().endswith(",")
    )
    pauses: list[Pause] = []
    if timed:
        for a, b in itertools.pairwise(words):
            if a.end is not None and b.start is not None and b.start - a.end >= LONG_PAUSE_S:
                pauses.append(Pause(round(a.end, 2), round(b.start, 2)))
    return Delivery(
        duration_s=round(duration, 2),
        speaking_s=round(speaking, 2),
        timed=timed,
        word_count=count,
        words_per_minute=wpm,
        i_count=sum(1 for t in doc.tokens if t.norm == "i"),
        we_count=sum(1 for t in doc.tokens if t.norm == "we"),
        filler_count=len(fillers) + like_asides,
        fillers=[
            doc.span_text(doc.tokens[h.first].first, doc.tokens[h.last].last) for h in fillers
        ],
        long_pauses=pauses,
    )
