"""Step scores and the whole-answer verdict, on the walkthroughs' own strong and weak answers."""

from __future__ import annotations

from starcoach.coach.coach import analyze_answer, analyze_step
from starcoach.coach.scoring import verdict_for
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
    assert any("handoff-escalation" in r for r in verdict.reasons)
    assert any("vague-result" in r for r in verdict.reasons)


def test_score_orders_answers_by_quality(library) -> None:  # type: ignore[no-untyped-def]
    w = library.get("disagree-senior-leader")
    strong = analyze_step(w, "result", Transcript.from_text(w.step("result").strong_example))
    weak = analyze_step(w, "result", Transcript.from_text("Things got better. The team was happy."))
    empty = analyze_step(w, "result", Transcript.from_text(""))
    assert strong.score > weak.score > empty.score == 0
    assert weak.reasons and any("vague-result" in r for r in weak.reasons)


def test_a_handoff_caps_the_verdict() -> None:
    verdict, _, reasons = verdict_for(
        [("situation", 95, []), ("task", 95, []), ("action", 90, ["handoff-escalation"])]
    )
    assert verdict == "Leaning No Hire"
    assert any("Handing the problem off" in r for r in reasons)
