"""The one registry of mistakes (coach/rules.py), rules that fit the story, and too-short."""

from __future__ import annotations

from typing import Any

import pytest

from starcoach.coach import messages, probes, scoring
from starcoach.coach.coach import analyze_step
from starcoach.coach.rules import CRITICAL, DETECTED, MISTAKE_IDS, RULES, STEPS, title
from starcoach.content.models import STEP_ORDER, Step, Walkthrough
from starcoach.transcribe.types import Transcript, Word

DSL = "disagree-senior-leader"
# DESIGN.md's table: every mistake the coach names.
DESIGN_IDS = {
    "we-language",
    "handoff-escalation",
    "passive-waiting",
    "vague-result",
    "generic-reflection",
    "missing-scope-boundary",
    "assigned-work",
    "opportunistic-motive",
    "disengaged-after-decision",
    "no-personal-verification",
    "over-time",
    "too-short",
}


def test_the_registry_holds_every_mistake_once_and_whole(library: Any) -> None:
    assert set(MISTAKE_IDS) == DESIGN_IDS and len(MISTAKE_IDS) == len(DESIGN_IDS)
    for rule in RULES.values():
        # A title in plain words, never the id.
        assert rule.title and rule.id not in rule.title.casefold()
        assert rule.steps and rule.steps <= STEPS | {"probe"}
        assert rule.severity in ("critical", "minor")
        assert rule.need and rule.coaching.fallback
        # A message for every story, bundled or the user's own (no walkthrough).
        assert messages.mistake_message(None, rule.id) == rule.coaching.fallback
        for walkthrough in library.walkthroughs.values():
            assert messages.mistake_message(walkthrough, rule.id).strip()
    # Only the clock's rules have no detector.
    assert set(RULES) - set(DETECTED) == {"over-time", "too-short"}
    # Everyone else reads the same table.
    assert scoring.CRITICAL is CRITICAL
    assert set(probes.MISTAKE_FAMILIES) == {r.id for r in RULES.values() if r.probe_families}
    assert title("we-language") == RULES["we-language"].title != "we-language"


def _story(with_boundary: bool) -> Walkthrough:
    task_phrases = ["not my team", "no ticket"] if with_boundary else ["I owned the fix"]
    steps = [
        Step(
            name=name,
            target_s=target,
            key_phrases=task_phrases if name == "task" else [],
        )
        for name, target in zip(STEP_ORDER, (30, 20, 90, 20, 15), strict=True)
    ]
    return Walkthrough(id="own-story", title="My story", steps=steps, principles=["Dive Deep"])


TASK_WITHOUT_BOUNDARY = (
    "I set out to find why the checkout endpoint was slow and bring p99 under 300 ms "
    "before the sale started, so that customers could pay without waiting."
)


@pytest.mark.parametrize(("with_boundary", "fires"), [(False, False), (True, True)])
def test_scope_boundary_is_asked_only_where_the_story_has_one(
    with_boundary: bool, fires: bool
) -> None:
    fb = analyze_step(_story(with_boundary), "task", Transcript.from_text(TASK_WITHOUT_BOUNDARY))
    assert ("missing-scope-boundary" in {m.id for m in fb.mistakes}) is fires


def test_the_bundled_ownership_story_still_asks_for_its_boundary(library: Any) -> None:
    fb = analyze_step(library.get(DSL), "task", Transcript.from_text(TASK_WITHOUT_BOUNDARY))
    assert "missing-scope-boundary" in {m.id for m in fb.mistakes}


def _spoken(text: str, seconds: float) -> Transcript:
    words = text.split()
    step = seconds / len(words)
    return Transcript(
        tuple(Word(w, i * step, (i + 1) * step) for i, w in enumerate(words)), seconds
    )


ACTION = (
    "I pulled the logs, I traced the drops to a race in the retry logic, and I wrote a fix "
    "that I tested myself in staging before I shipped it."
)


def test_a_far_too_short_step_is_called_too_short(library: Any) -> None:
    fb = analyze_step(library.get(DSL), "action", _spoken(ACTION, 9.0))
    short = [m for m in fb.mistakes if m.id == "too-short"]
    assert short and "9 s" in short[0].evidence and "90 s" in short[0].evidence
    assert RULES["too-short"].title == "Far too short"


def test_a_full_length_step_is_not_too_short(library: Any) -> None:
    fb = analyze_step(library.get(DSL), "action", _spoken(ACTION, 60.0))
    assert "too-short" not in {m.id for m in fb.mistakes}
