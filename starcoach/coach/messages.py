"""Each mistake's message, taken from the walkthrough's own coaching where it has one.

The walkthroughs say the same things in several places (a step's coaching, its common
mistake, a probe's "why the weak answer fails", the weak answer's critique). For each
mistake we look, in that order of places, for the first text about it; StarCoach's own
sentence is the fallback for walkthroughs (like a user's own story) that say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from starcoach.content.models import Step, Walkthrough

# mistake id -> (step whose coaching speaks of it, words that identify the text, fallback)
_SOURCES: dict[str, tuple[str | None, tuple[str, ...], str]] = {
    "we-language": (
        "action",
        ("'we'", "'i' for every", "invisible"),
        "Say what YOU did: use 'I' for your own actions; 'we' hides your contribution.",
    ),
    "handoff-escalation": (
        None,
        ("slack", "routing", "handed it off", "handoff", "escalat"),
        "Routing the problem to someone else is not ownership: say what you did to fix it.",
    ),
    "passive-waiting": (
        None,
        ("hoping is passive", "passive", "waited"),
        "Waiting or hoping is passive: say how you drove it to done.",
    ),
    "vague-result": (
        "result",
        ("quantify", "metric delta", "no quantification"),
        "Quantify the result: the metric before and after, and what it meant for the business.",
    ),
    "generic-reflection": (
        "reflection",
        ("generic", "communication is important"),
        "Name a specific, story-related insight instead of a generic lesson.",
    ),
    "missing-scope-boundary": (
        "task",
        ("scope boundary", "not assigned", "self-initiated"),
        "State the scope boundary: it was not your team's, no ticket, nobody asked.",
    ),
    "assigned-work": (
        None,
        ("assigned", "disqualifier"),
        "If the work was assigned, it does not show ownership: explain why you took it on.",
    ),
    "opportunistic-motive": (
        None,
        ("opportunistic", "free time"),
        "Give the impact-driven reason you acted, not that you had spare time.",
    ),
    "disengaged-after-decision": (
        None,
        ("lack of commitment", "violating 'commit'", "stopped pursuing", "commit"),
        "Once the decision was made, show that you committed fully and delivered.",
    ),
    "no-personal-verification": (
        None,
        ("verif", "tested", "trusted"),
        "Say how you verified the fix yourself instead of trusting others to test it.",
    ),
    "over-time": (
        "situation",
        ("seconds max", "45 seconds", "under 45"),
        "Keep to the step's time: the interviewer loses the thread when a step runs long.",
    ),
}


def mistake_message(walkthrough: Walkthrough | None, mistake_id: str) -> str:
    step_name, keys, fallback = _SOURCES[mistake_id]
    if walkthrough is None:
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
