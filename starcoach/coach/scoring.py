"""From phrases, mistakes and delivery to a 0-100 step score and a whole-answer verdict.

The weights say what a bar raiser weighs: what you said that proves ownership and impact
(phrases, half the score), the mistakes that sink an answer (a third), and delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starcoach.coach.delivery import Delivery
from starcoach.coach.phrases import PhraseMatch
from starcoach.coach.rules import CRITICAL, title
from starcoach.content.models import STEP_ORDER

PHRASE_POINTS = 50
MISTAKE_POINTS = 35
DELIVERY_POINTS = 15

# Mistakes a bar raiser treats as disqualifying are rules.CRITICAL.
# Words per minute the coach does not mark down (Review draws the same band).
PACE_BAND = (100.0, 190.0)
CRITICAL_COST = 20
OTHER_COST = 12

VERDICTS = ("Strong Hire", "Hire", "Leaning Hire", "Leaning No Hire", "No Hire")


@dataclass(frozen=True)
class StepScore:
    score: int
    reasons: list[str]


def score_step(
    phrases: list[PhraseMatch],
    mistake_ids: list[str],
    delivery: Delivery,
    target_s: float,
    max_s: float | None,
) -> StepScore:
    if delivery.word_count == 0:
        return StepScore(0, ["Nothing was said."])
    reasons: list[str] = []
    if phrases:
        hit = sum(1 for p in phrases if p.matched)
        phrase_points = PHRASE_POINTS * hit / len(phrases)
        reasons.append(f"Key phrases: {hit} of {len(phrases)} heard.")
    else:
        phrase_points = PHRASE_POINTS * 0.8
    mistake_points = float(MISTAKE_POINTS)
    for mistake in mistake_ids:
        cost = CRITICAL_COST if mistake in CRITICAL else OTHER_COST
        mistake_points -= cost
        reasons.append(f"{title(mistake)} (−{cost}).")
    mistake_points = max(0.0, mistake_points)
    delivery_points = float(DELIVERY_POINTS)
    duration = delivery.duration_s
    limit = max_s if max_s is not None else target_s * 1.5
    if duration > limit:
        delivery_points -= 8
        reasons.append(f"Ran {duration:.0f} s against a limit of {limit:.0f} s.")
    elif duration > target_s * 1.25:
        delivery_points -= 4
        reasons.append(f"Ran {duration:.0f} s against a target of {target_s:.0f} s.")
    slow, fast = PACE_BAND
    if (
        delivery.timed
        and delivery.words_per_minute
        and not slow <= delivery.words_per_minute <= fast
    ):
        delivery_points -= 3
        pace = "fast" if delivery.words_per_minute > fast else "slow"
        reasons.append(f"Pace {delivery.words_per_minute:.0f} words/min is {pace}.")
    minutes = max(delivery.speaking_s / 60.0, 0.25)
    if delivery.filler_count / minutes > 4:
        delivery_points -= 3
        reasons.append(f"{delivery.filler_count} filler words.")
    if delivery.long_pauses:
        delivery_points -= 1
        reasons.append(f"{len(delivery.long_pauses)} long pause(s).")
    total = phrase_points + mistake_points + max(0.0, delivery_points)
    return StepScore(int(round(min(100.0, max(0.0, total)))), reasons)


def weakest_step(step_scores: Sequence[tuple[str, int]]) -> str:
    """The weakest step: lowest score, the earlier step on a tie. Every screen names this
    one (the verdict, the report, the follow-up probes)."""
    return min(
        step_scores,
        key=lambda s: (s[1], STEP_ORDER.index(s[0]) if s[0] in STEP_ORDER else len(STEP_ORDER)),
    )[0]


@dataclass(frozen=True)
class ProbeOutcome:
    """How a follow-up answer went: ``verdict`` strong | mixed | weak; ``repeated`` the
    weak answer's mistakes it said again (ids)."""

    question: str
    verdict: str
    repeats_weak: bool
    repeated: tuple[str, ...] = ()


def verdict_for(
    step_scores: list[tuple[str, int, list[str]]],
    probes: Sequence[ProbeOutcome] = (),
) -> tuple[str, int, list[str]]:
    """``step_scores``: (step, score, mistake ids) per step, and the follow-up answers ->
    (verdict, score, reasons). One verdict for the whole interview: a follow-up that
    repeats a disqualifying weak answer caps it, as it makes a bar raiser rescore."""
    if not step_scores:
        return "No Hire", 0, ["No step was answered."]
    score = int(round(sum(s for _, s, _ in step_scores) / len(step_scores)))
    critical = [(step, m) for step, _, ids in step_scores for m in ids if m in CRITICAL]
    reasons = [f"{step.capitalize()}: {title(m)}" for step, m in critical]
    if score >= 85 and not critical:
        verdict = "Strong Hire"
    elif score >= 72 and len(critical) <= 0:
        verdict = "Hire"
    elif score >= 60 and len(critical) <= 1:
        verdict = "Leaning Hire"
    elif score >= 40 and len(critical) <= 2:
        verdict = "Leaning No Hire"
    else:
        verdict = "No Hire"
    if any(m == "handoff-escalation" for _, m in critical) and verdict != "No Hire":
        # The walkthroughs: routing to Slack "CONFIRMS you handed it off" -> "Interviewer
        # now rescores the opening answer as No Hire"; the verdict says the same.
        verdict = "No Hire"
        reasons.append("Handing the problem off makes the interviewer rescore it as No Hire.")
    for probe in probes:
        disqualifying = [m for m in probe.repeated if m in CRITICAL]
        if probe.repeats_weak and (disqualifying or probe.verdict == "weak"):
            cap = "No Hire" if disqualifying else "Leaning No Hire"
            what = title(disqualifying[0]) if disqualifying else "the weak answer"
            reasons.append(
                f"Follow-up “{probe.question}” repeated {what}: the interviewer rescores "
                f"the answer as {cap}."
            )
        elif probe.verdict == "mixed":
            cap = "Leaning Hire"
            reasons.append(f"Follow-up “{probe.question}” was only partly convincing.")
        else:
            continue
        if VERDICTS.index(verdict) < VERDICTS.index(cap):
            verdict = cap
    reasons.insert(0, f"Average step score {score}.")
    weakest = weakest_step([(s, n) for s, n, _ in step_scores])
    weakest_score = next(n for s, n, _ in step_scores if s == weakest)
    reasons.append(f"Weakest step: {weakest.capitalize()} ({weakest_score}).")
    return verdict, score, reasons
