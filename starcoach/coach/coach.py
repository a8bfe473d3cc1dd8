"""The coach: a transcript of one step in, the step's feedback out (Qt-free, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping

from starcoach.coach.advice import next_step
from starcoach.coach.delivery import measure_delivery
from starcoach.coach.document import Document
from starcoach.coach.feedback import AnswerVerdict, MistakeFound, StepFeedback
from starcoach.coach.messages import mistake_message
from starcoach.coach.mistakes import Detection
from starcoach.coach.phrases import match_phrases
from starcoach.coach.rules import DETECTED, TOO_SHORT_SHARE, applies
from starcoach.coach.scoring import score_step, verdict_for
from starcoach.content.models import STEP_ORDER, Step, Walkthrough
from starcoach.errors import UnknownStep
from starcoach.transcribe.types import Transcript


def analyze_step(
    walkthrough: Walkthrough,
    step_name: str,
    transcript: Transcript,
    level: str = "sde1",
) -> StepFeedback:
    if step_name not in STEP_ORDER:
        raise UnknownStep(step_name)
    step = walkthrough.step(step_name)
    doc = Document(transcript)
    phrases = match_phrases(list(step.key_phrases), doc, step.strong_example or "")
    delivery = measure_delivery(doc)
    mistakes: list[MistakeFound] = []
    if doc.tokens:
        for mistake_id, rule in DETECTED.items():
            if rule.detector is None or not applies(rule, step_name, walkthrough):
                continue
            found = rule.detector(doc)
            if found is not None:
                mistakes.append(_mistake(walkthrough, mistake_id, doc, found))
    timing = _over_time(walkthrough, step, delivery.duration_s)
    if timing is None and delivery.timed and delivery.word_count:
        timing = _too_short(walkthrough, step, delivery.duration_s)
    if timing is not None:
        mistakes.append(timing)
    scored = score_step(phrases, [m.id for m in mistakes], delivery, step.target_s, step.max_s)
    return StepFeedback(
        question=walkthrough.id,
        step=step_name,
        transcript=transcript,
        target_s=step.target_s,
        max_s=step.max_s,
        key_phrases=phrases,
        mistakes=mistakes,
        delivery=delivery,
        score=scored.score,
        reasons=scored.reasons,
        level=level,
        next_step=next_step(mistakes, phrases, delivery),
    )


def analyze_answer(
    walkthrough: Walkthrough,
    transcripts: Mapping[str, Transcript],
    level: str = "sde1",
) -> AnswerVerdict:
    steps = [
        analyze_step(walkthrough, name, transcripts[name], level)
        for name in STEP_ORDER
        if name in transcripts
    ]
    verdict, score, reasons = verdict_for(
        [(s.step, s.score, [m.id for m in s.mistakes]) for s in steps]
    )
    return AnswerVerdict(verdict=verdict, score=score, reasons=reasons, steps=steps)


def _mistake(
    walkthrough: Walkthrough, mistake_id: str, doc: Document, found: Detection
) -> MistakeFound:
    message = mistake_message(walkthrough, mistake_id)
    if found.first_token is None or found.last_token is None:
        return MistakeFound(mistake_id, message, doc.transcript.text)
    first = doc.tokens[found.first_token].first
    last = doc.tokens[found.last_token].last
    start, end = doc.span_times(first, last)
    return MistakeFound(mistake_id, message, doc.span_text(first, last), start, end, first, last)


def _over_time(walkthrough: Walkthrough, step: Step, duration: float) -> MistakeFound | None:
    limit = step.max_s if step.max_s is not None else step.target_s * 1.5
    if duration <= limit:
        return None
    kind = "maximum" if step.max_s is not None else "target"
    shown = step.max_s if step.max_s is not None else step.target_s
    return MistakeFound(
        "over-time",
        mistake_message(walkthrough, "over-time"),
        f"{duration:.0f} s against a {kind} of {shown:.0f} s",
    )


def _too_short(walkthrough: Walkthrough, step: Step, duration: float) -> MistakeFound | None:
    if duration >= step.target_s * TOO_SHORT_SHARE:
        return None
    return MistakeFound(
        "too-short",
        mistake_message(walkthrough, "too-short"),
        f"{duration:.0f} s against a target of {step.target_s:.0f} s",
    )


def warm_up(walkthrough: Walkthrough) -> None:
    """Load the word tables the coach uses (lemmas, sounds) before the first Stop: the first
    analysis otherwise pays ~0.25 s for them (make bench: 267 ms first, 35 ms after)."""
    for step in STEP_ORDER:
        text = walkthrough.step(step).strong_example or "I noticed we waited for their review."
        analyze_step(walkthrough, step, Transcript.from_text(text))
