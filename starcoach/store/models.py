"""What the history holds: sessions and their attempts (frozen, Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from starcoach.steps import STEP_ORDER as _STEP_ORDER

Mode = Literal["step", "full", "mock"]
SessionStatus = Literal["recording", "done", "recovered", "abandoned"]
AttemptStatus = Literal["recording", "done", "recovered", "failed"]

MODES: tuple[Mode, ...] = ("step", "full", "mock")
SESSION_STATUSES: tuple[SessionStatus, ...] = ("recording", "done", "recovered", "abandoned")
ATTEMPT_STATUSES: tuple[AttemptStatus, ...] = ("recording", "done", "recovered", "failed")


JSONDict = dict[str, Any]


@dataclass(frozen=True)
class Attempt:
    """One take of one step. ``transcript`` is Transcript.to_dict(), ``feedback`` is
    StepFeedback.to_json(); both are None until the attempt is finished."""

    id: int
    session_id: str
    step: str
    audio_path: Path | None
    status: AttemptStatus
    started_at: str
    duration_s: float | None
    transcript: JSONDict | None
    feedback: JSONDict | None
    score: int | None
    dropped_blocks: int
    error: str | None
    attempt_no: int = 1
    """1 for the first take of a step in its session, 2 for the first retry, ..."""
    finished_at: str | None = None

    @property
    def usable(self) -> bool:
        """Finished normally or brought back after a crash."""
        return self.status in ("done", "recovered")


@dataclass(frozen=True)
class Session:
    id: str
    question_id: str
    mode: Mode
    level: str
    device: str | None
    created_at: str
    finished_at: str | None
    status: SessionStatus
    verdict: JSONDict | None
    attempts: list[Attempt] = field(default_factory=list)
    story_id: str | None = None
    """The story told; the question's own id for a walkthrough told with its own story."""

    @property
    def created(self) -> datetime:
        """``created_at`` as an aware UTC datetime (``.astimezone()`` for local time)."""
        return datetime.fromisoformat(self.created_at)

    def latest_attempts(self) -> list[Attempt]:
        """The last usable take of each step, in STAR order (other step names after)."""
        latest: dict[str, Attempt] = {}
        for attempt in sorted(self.attempts, key=lambda a: (a.attempt_no, a.id)):
            if attempt.usable:
                latest[attempt.step] = attempt
        return sorted(latest.values(), key=lambda a: step_rank(a.step))

    @property
    def steps_done(self) -> list[str]:
        """Steps with at least one usable take, in STAR order."""
        return [a.step for a in self.latest_attempts()]

    @property
    def mean_score(self) -> float | None:
        """Mean of each step's latest scored take (a retry replaces the earlier score)."""
        scores = [a.score for a in self.latest_attempts() if a.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


def step_rank(step: str) -> tuple[int, str]:
    """Sort key putting the STAR steps first, in order, then any other step name."""
    return (_STEP_ORDER.index(step), "") if step in _STEP_ORDER else (len(_STEP_ORDER), step)
