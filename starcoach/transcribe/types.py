"""What a transcription produces: words with their times."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One recognised word. ``start``/``end`` are seconds from the start of the audio,
    ``None`` when the text did not come from audio (``analyze --text``)."""

    text: str
    start: float | None = None
    end: float | None = None
    probability: float | None = None
    # A hesitation ("um") the recogniser left out and a second look at the audio found
    # (transcribe/fillers.py); it counts as a filler like any other.
    filler: bool = False


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    duration_s: float
    language: str = "en"
    text_override: str | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        if self.text_override is not None:
            return self.text_override
        return " ".join(w.text.strip() for w in self.words if w.text.strip())

    @property
    def timed(self) -> bool:
        return any(w.start is not None for w in self.words)

    @classmethod
    def from_text(cls, text: str, duration_s: float = 0.0) -> Transcript:
        """A transcript typed rather than spoken: words without times."""
        words = tuple(Word(t) for t in text.split())
        return cls(words=words, duration_s=duration_s, text_override=" ".join(text.split()))

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "duration_s": self.duration_s,
            "language": self.language,
            "words": [_word_dict(w) for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Transcript:
        raw_words = data.get("words", [])
        assert isinstance(raw_words, list)
        words = tuple(
            Word(
                text=str(w["text"]),
                start=None if w.get("start") is None else float(w["start"]),
                end=None if w.get("end") is None else float(w["end"]),
                probability=None if w.get("probability") is None else float(w["probability"]),
                filler=bool(w.get("filler", False)),
            )
            for w in raw_words
        )
        duration = data.get("duration_s", 0.0)
        assert isinstance(duration, int | float)
        return cls(
            words=words, duration_s=float(duration), language=str(data.get("language", "en"))
        )


def _word_dict(w: Word) -> dict[str, object]:
    data: dict[str, object] = {
        "text": w.text,
        "start": w.start,
        "end": w.end,
        "probability": w.probability,
    }
    if w.filler:
        data["filler"] = True
    return data
