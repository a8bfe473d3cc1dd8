"""The coach's verdict on one step and on a whole answer, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field

from starcoach.coach.delivery import Delivery
from starcoach.coach.phrases import PhraseMatch
from starcoach.transcribe.types import Transcript


@dataclass(frozen=True)
class MistakeFound:
    id: str
    message: str
    evidence: str
    start: float | None = None
    end: float | None = None
    first_word: int | None = None
    last_word: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "message": self.message,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class StepFeedback:
    question: str
    step: str
    transcript: Transcript
    target_s: float
    max_s: float | None
    key_phrases: list[PhraseMatch]
    mistakes: list[MistakeFound]
    delivery: Delivery
    score: int
    reasons: list[str] = field(default_factory=list)
    level: str = "sde1"
    next_step: str = ""  # the one thing to change next, in plain words (advice.py)

    @property
    def nothing_said(self) -> bool:
        return not self.transcript.text.strip()

    @property
    def duration_s(self) -> float:
        return self.delivery.duration_s

    def to_json(self) -> dict[str, object]:
        """Exactly the object of DESIGN.md's ``analyze --json`` (extra metrics allowed)."""
        metrics = self.delivery.to_json()
        metrics["reasons"] = list(self.reasons)
        metrics["level"] = self.level
        return {
            "question": self.question,
            "step": self.step,
            "transcript": self.transcript.text,
            "duration_s": float(self.delivery.duration_s),
            "target_s": float(self.target_s),
            "max_s": None if self.max_s is None else float(self.max_s),
            "key_phrases": [m.to_json() for m in self.key_phrases],
            "mistakes": [m.to_json() for m in self.mistakes],
            "metrics": metrics,
            "score": int(self.score),
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class AnswerVerdict:
    """The bar raiser's call on a whole answer (several steps)."""

    verdict: str
    score: int
    reasons: list[str]
    steps: list[StepFeedback]

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "reasons": list(self.reasons),
            "steps": [s.to_json() for s in self.steps],
        }
