"""Each mistake's message, taken from the walkthrough's own coaching where it has one.

The walkthroughs say the same things in several places (a step's coaching, its common
mistake, a probe's "why the weak answer fails", the weak answer's critique). For each
mistake we look, in that order of places, for the first text about it; StarCoach's own
sentence is the fallback for walkthroughs (like a user's own story) that say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from starcoach.coach.rules import RULES
from starcoach.content.models import Step, Walkthrough


def mistake_message(walkthrough: Walkthrough | None, mistake_id: str) -> str:
    source = RULES[mistake_id].coaching
    step_name, keys, fallback = source.step, source.keys, source.fallback
    if walkthrough is None or not keys:
        return fallback
    for text in _texts(walkthrough, step_name):
        lowered = text.casefold().replace("’", "'")
        if any(key in lowered for key in keys):
            return text.strip()
    return fallback


def _texts(walkthrough: Walkthrough, step_name: str | None) -> Iterator[str]:
    """The step's own coaching first; for a mistake of no one step, what the probes and the
    weak answer say about it comes before any step's coaching (which speaks of other things)."""
    steps = [s for s in walkthrough.steps if step_name is None or s.name == step_name]
    if step_name is not None:
        yield from _step_texts(steps)
    for probe in walkthrough.probes:
        if probe.weak_why:
            yield probe.weak_why
    if walkthrough.weak_answer is not None:
        yield from walkthrough.weak_answer.critique
    for question in walkthrough.quiz:
        if question.explanation:
            yield question.explanation
    if step_name is None:
        yield from _step_texts(steps)


def _step_texts(steps: list[Step]) -> Iterator[str]:
    for step in steps:
        if step.coaching:
            yield step.coaching
        if step.common_mistake:
            yield step.common_mistake
