"""The one most useful next step, in plain words, for a step and for a whole answer.

Feedback leads with it and then gives the details. It is chosen from the same facts the
score and the verdict are made of, in the order a bar raiser weighs them, so no screen
can name a different thing to fix: a disqualifying mistake first (in the order the answer
told it), then a step far too short or over time, then a lesser mistake, then the key
ideas the step left out, then delivery.
"""

from __future__ import annotations

from collections.abc import Sequence

from starcoach.coach.delivery import Delivery
from starcoach.coach.feedback import MistakeFound
from starcoach.coach.phrases import PhraseMatch
from starcoach.coach.rules import CRITICAL, RULES, title
from starcoach.coach.scoring import PACE_BAND

STEP_TITLES = {
    "situation": "Situation",
    "task": "Task",
    "action": "Action",
    "result": "Result",
    "reflection": "Reflection",
}
_TIMING = ("too-short", "over-time")
FILLERS_PER_MINUTE = 4.0


def _ordered(mistakes: Sequence[MistakeFound]) -> list[MistakeFound]:
    return sorted(mistakes, key=lambda m: (m.start is None, m.start or 0.0))


def mistake_advice(mistake: MistakeFound) -> str:
    """ "Said “we” where the interviewer needs “I”: <the coaching>" (you said "...")."""
    text = f"{title(mistake.id)}. {mistake.message}"
    if mistake.id in _TIMING:
        return f"{title(mistake.id)}: {mistake.evidence}. {mistake.message}"
    if mistake.evidence and mistake.start is not None:
        text += f" (You said “{mistake.evidence}”.)"
    return text


def next_step(
    mistakes: Sequence[MistakeFound],
    phrases: Sequence[PhraseMatch],
    delivery: Delivery,
) -> str:
    """The one thing to do differently on the next take of this step."""
    if delivery.word_count == 0:
        return "Nothing was heard: check the microphone, then answer the step aloud."
    ordered = _ordered(mistakes)
    for group in (
        [m for m in ordered if m.id in CRITICAL],
        [m for m in ordered if m.id in _TIMING],
        [m for m in ordered if m.id in RULES],
    ):
        if group:
            return mistake_advice(group[0])
    missing = [p.phrase for p in phrases if not p.matched]
    if missing:
        shown = ", ".join(f"“{p}”" for p in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        return f"Say what this step is missing, in your own words: {shown}{more}."
    if delivery.timed and delivery.words_per_minute > PACE_BAND[1]:
        return f"Slow down: {delivery.words_per_minute:.0f} words a minute is hard to follow."
    minutes = max(delivery.speaking_s / 60.0, 0.25)
    if delivery.filler_count / minutes > FILLERS_PER_MINUTE:
        return (
            f"Cut the fillers ({delivery.filler_count}): pause silently instead of “um” or “like”."
        )
    return "Strong step: say it again the same way, on time."
