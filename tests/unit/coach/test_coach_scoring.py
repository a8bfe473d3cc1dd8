"""Step scores and the whole-answer verdict, on the walkthroughs' own strong and weak answers."""

from __future__ import annotations

import pytest

from starcoach.coach.coach import analyze_answer, analyze_step
from starcoach.coach.rules import RULES
from starcoach.coach.scoring import ProbeOutcome, verdict_for, weakest_step
from starcoach.content.models import STEP_ORDER
from starcoach.transcribe.types import Transcript

QUESTION = "unpopular-opinion"


def test_strong_examples_score_high_and_win_the_verdict(library) -> None:  # type: ignore[no-untyped-def]
    w = library.get(QUESTION)
    # A step without an example text (reflection) is answered with the Senior reflection.
    answer = {
        s: Transcript.from_text(w.step(s).strong_example or w.reflections.senior or "")
        for s in STEP_ORDER
    }
    verdict = analyze_answer(w, answer)
    assert all(step.score >= 80 for step in verdict.steps), [s.score for s in verdict.steps]
    assert verdict.verdict in ("Strong Hire", "Hire")


def test_the_seeds_weak_answer_is_no_hire(library) -> None:  # type: ignore[no-untyped-def]
    w = library.get("disagree-senior-leader")
    weak = w.weak_answer.text
    answer = {
        "situation": Transcript.from_text("I noticed some webhook failures."),
        "task": Transcript.from_text("I needed to get them fixed."),
        "action": Transcript.from_text(weak),
        "result": Transcript.from_text("The drop rate improved and the team was happy."),
        "reflection": Transcript.from_text("I learned communication is important."),
    }
    verdict = analyze_answer(w, answer)
    assert verdict.verdict in ("Leaning No Hire", "No Hire")
    assert any(RULES["handoff-escalation"].title in r for r in verdict.reasons)
    assert any(RULES["vague-result"].title in r for r in verdict.reasons)


def test_score_orders_answers_by_quality(library) -> None:  # type: ignore[no-untyped-def]
    w = library.get("disagree-senior-leader")
    strong = analyze_step(w, "result", Transcript.from_text(w.step("result").strong_example))
    weak = analyze_step(w, "result", Transcript.from_text("Things got better. The team was happy."))
    empty = analyze_step(w, "result", Transcript.from_text(""))
    assert strong.score > weak.score > empty.score == 0
    assert weak.reasons and any(RULES["vague-result"].title in r for r in weak.reasons)


def test_a_handoff_caps_the_verdict() -> None:
    """The walkthroughs say a handoff makes the interviewer rescore the answer as No Hire;
    the verdict beside that message says the same."""
    verdict, _, reasons = verdict_for(
        [("situation", 95, []), ("task", 95, []), ("action", 90, ["handoff-escalation"])]
    )
    assert verdict == "No Hire"
    assert any("Handing the problem off" in r and "No Hire" in r for r in reasons)


STEPS_OK = [(s, 90, []) for s in STEP_ORDER]


@pytest.mark.parametrize(
    ("probe", "at_best"),
    [
        (ProbeOutcome("Why?", "strong", False), "Strong Hire"),
        (ProbeOutcome("Why?", "mixed", False), "Leaning Hire"),
        (ProbeOutcome("Why?", "weak", True, ("handoff-escalation",)), "No Hire"),
        (ProbeOutcome("Why?", "weak", True), "Leaning No Hire"),
    ],
)
def test_follow_ups_count_in_the_one_verdict(probe: ProbeOutcome, at_best: str) -> None:
    """A follow-up that repeats a disqualifying weak answer makes the bar raiser rescore:
    the verdict says so and is never Hire beside it."""
    verdict, _, reasons = verdict_for(STEPS_OK, [probe])
    assert verdict == at_best
    if at_best in ("No Hire", "Leaning No Hire"):
        assert any("rescores" in r for r in reasons)


def test_the_weakest_step_is_one_and_the_same() -> None:
    # A tie goes to the earlier step, on every screen.
    assert weakest_step([("result", 60), ("task", 60), ("action", 70)]) == "task"
    _, _, reasons = verdict_for([("action", 50, []), ("situation", 50, []), ("task", 90, [])])
    assert reasons[-1] == "Weakest step: Situation (50)."


def test_feedback_leads_with_one_next_step_in_plain_words(library) -> None:  # type: ignore[no-untyped-def]
    w = library.get("disagree-senior-leader")
    we = analyze_step(w, "action", Transcript.from_text("We pulled the logs and we fixed it."))
    assert we.next_step.startswith(RULES["we-language"].title)
    assert "we-language" not in we.next_step and we.to_json()["next_step"] == we.next_step
    clean = analyze_step(w, "action", Transcript.from_text("I pulled the logs."))
    assert clean.next_step.startswith("Say what this step is missing")
    assert "“I traced”" in clean.next_step
