"""Stored feedback read back as typed objects: the one reader of what the history holds.

The store keeps each take's transcript (``Transcript.to_dict()``) and feedback
(``StepFeedback.to_json()``, a follow-up's judgement, a mock's verdict) as JSON. Everything
that shows a stored session -- the Markdown and HTML export, the Review screen, its progress
chart -- reads them through ``from_json`` here, beside the ``to_json`` that wrote them, so a
field is interpreted one way. A record from an older version, or hand-edited, reads as far
as it is well formed: a missing or malformed field becomes None, empty or zero, never an
exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starcoach.store.models import Attempt, Session


@dataclass(frozen=True)
class PhraseRecord:
    """One key phrase of a step: heard or not, and where."""

    phrase: str
    matched: bool
    heard: str | None
    start: float | None
    end: float | None

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> PhraseRecord:
        heard = item.get("heard")
        return cls(
            phrase=str(item.get("phrase", "")),
            matched=bool(item.get("matched")),
            heard=None if heard is None else str(heard),
            start=opt_float(item.get("start")),
            end=opt_float(item.get("end")),
        )


@dataclass(frozen=True)
class MistakeRecord:
    """One mistake found: its id (coach/rules.py), message, the words that triggered it."""

    id: str
    message: str
    evidence: str
    start: float | None
    end: float | None

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> MistakeRecord:
        return cls(
            id=str(item.get("id") or ""),
            message=str(item.get("message") or ""),
            evidence=str(item.get("evidence") or ""),
            start=opt_float(item.get("start")),
            end=opt_float(item.get("end")),
        )


@dataclass(frozen=True)
class DeliveryRecord:
    """The delivery figures of a take (coach/delivery.py's ``to_json``)."""

    words_per_minute: float | None = None
    i_count: int = 0
    we_count: int = 0
    filler_count: int = 0
    fillers: tuple[str, ...] = ()
    long_pause_count: int | None = None
    long_pause_starts: tuple[float | None, ...] = ()
    timed: bool | None = None
    """False for a typed answer; None when the record does not say."""
    reasons: tuple[str, ...] = ()
    """Why the step got its score."""

    @classmethod
    def from_json(cls, metrics: Mapping[str, Any]) -> DeliveryRecord:
        fillers = metrics.get("fillers")
        reasons = metrics.get("reasons")
        timed = metrics.get("timed")
        pause_count = metrics.get("long_pause_count")
        return cls(
            words_per_minute=opt_float(metrics.get("words_per_minute")),
            i_count=_int(metrics.get("i_count")),
            we_count=_int(metrics.get("we_count")),
            filler_count=_int(metrics.get("filler_count")),
            fillers=tuple(str(f) for f in fillers) if isinstance(fillers, list) else (),
            long_pause_count=None if pause_count is None else _int(pause_count),
            long_pause_starts=tuple(
                opt_float(p.get("start")) for p in items(metrics.get("long_pauses"))
            ),
            timed=None if timed is None else bool(timed),
            reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        )


@dataclass(frozen=True)
class JudgementRecord:
    """A follow-up answer's judgement (coach/probes.py)."""

    verdict: str | None
    reasons: tuple[str, ...]
    mistakes: tuple[MistakeRecord, ...]

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> JudgementRecord:
        verdict = value.get("verdict")
        return cls(
            verdict=str(verdict) if verdict else None,
            reasons=tuple(str(r) for r in value.get("reasons") or ()),
            mistakes=tuple(MistakeRecord.from_json(m) for m in items(value.get("mistakes"))),
        )


@dataclass(frozen=True)
class FeedbackRecord:
    """A take's stored feedback (``StepFeedback.to_json()``, or a follow-up's)."""

    key_phrases: tuple[PhraseRecord, ...] = ()
    mistakes: tuple[MistakeRecord, ...] = ()
    metrics: DeliveryRecord | None = None
    """None when the take was stored without delivery figures (a mock's answer, a follow-up)."""
    score: int | None = None
    has_score: bool = False
    """The record says what the score is (even None); if not, the attempt's own counts."""
    duration_s: float | None = None
    target_s: float | None = None
    max_s: float | None = None
    transcript: str = ""
    judgement: JudgementRecord | None = None

    @classmethod
    def from_json(cls, value: object) -> FeedbackRecord:
        if not isinstance(value, Mapping):
            return cls()
        metrics = value.get("metrics")
        judgement = value.get("judgement")
        score = value.get("score")
        return cls(
            key_phrases=tuple(PhraseRecord.from_json(p) for p in items(value.get("key_phrases"))),
            mistakes=tuple(MistakeRecord.from_json(m) for m in items(value.get("mistakes"))),
            metrics=DeliveryRecord.from_json(metrics) if isinstance(metrics, Mapping) else None,
            score=int(score) if isinstance(score, int | float) else None,
            has_score="score" in value,
            duration_s=opt_float(value.get("duration_s")),
            target_s=opt_float(value.get("target_s")),
            max_s=opt_float(value.get("max_s")),
            transcript=str(value.get("transcript") or ""),
            judgement=JudgementRecord.from_json(judgement)
            if isinstance(judgement, Mapping)
            else None,
        )


@dataclass(frozen=True)
class WordRecord:
    text: str
    start: float | None
    end: float | None


@dataclass(frozen=True)
class TranscriptRecord:
    """A take's stored transcript (``Transcript.to_dict()``): its text and timed words."""

    text: str = ""
    words: tuple[WordRecord, ...] = ()
    """The words with text (blank ones left out), in order."""

    @classmethod
    def from_json(cls, value: object) -> TranscriptRecord:
        if not isinstance(value, Mapping):
            return cls()
        words = []
        for w in items(value.get("words")):
            text = str(w.get("text", "")).strip()
            if text:
                words.append(WordRecord(text, opt_float(w.get("start")), opt_float(w.get("end"))))
        return cls(text=str(value.get("text") or ""), words=tuple(words))

    @property
    def said(self) -> str:
        """The text, else the words joined."""
        return self.text or " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class TakeRecord:
    """One stored take, its feedback and transcript read."""

    attempt: Attempt
    feedback: FeedbackRecord
    transcript: TranscriptRecord

    @classmethod
    def of(cls, attempt: Attempt) -> TakeRecord:
        return cls(
            attempt,
            FeedbackRecord.from_json(attempt.feedback),
            TranscriptRecord.from_json(attempt.transcript),
        )

    @property
    def score(self) -> int | None:
        return self.feedback.score if self.feedback.has_score else self.attempt.score


@dataclass(frozen=True)
class VerdictRecord:
    """A whole answer's verdict as stored on its session (``AnswerVerdict.to_json()``, or a
    mock's)."""

    verdict: str | None = None
    score: int | None = None
    reasons: tuple[str, ...] = ()

    @classmethod
    def of(cls, session: Session) -> VerdictRecord:
        value = session.verdict
        if not isinstance(value, Mapping):
            return cls()
        verdict, score, reasons = value.get("verdict"), value.get("score"), value.get("reasons")
        return cls(
            verdict=str(verdict) if verdict else None,
            score=int(score) if isinstance(score, int | float) else None,
            reasons=tuple(str(r) for r in reasons) if isinstance(reasons, list) else (),
        )


# -- reading plain JSON ------------------------------------------------------------------------


def items(value: object) -> list[Mapping[str, Any]]:
    """The objects of a JSON list (anything else in it, or a non-list, is skipped)."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def opt_float(value: object) -> float | None:
    """A JSON number as a float; None for anything else (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: object) -> int:
    number = opt_float(value)
    return 0 if number is None else int(number)
