"""Each mistake detector on text: the meaning is caught, the strong answers are clean."""

from __future__ import annotations

import pytest

from starcoach.coach.coach import analyze_step
from starcoach.content.models import STEP_ORDER
from starcoach.transcribe.types import Transcript

QUESTION = "disagree-senior-leader"


def mistakes(library, step: str, said: str) -> set[str]:  # type: ignore[no-untyped-def]
    feedback = analyze_step(library.get(QUESTION), step, Transcript.from_text(said))
    return {m.id for m in feedback.mistakes} - {"over-time", "too-short"}  # the clock's rules


@pytest.mark.parametrize(
    ("step", "said", "expected"),
    [
        ("action", "We figured out the root cause together and we shipped a fix.", "we-language"),
        ("action", "We pulled the logs, we found the bug and we deployed the fix.", "we-language"),
        ("action", "I sent them a Slack message and they handled it.", "handoff-escalation"),
        ("action", "I pinged them on Slack and they took it from there.", "handoff-escalation"),
        ("action", "I escalated it to my manager to push it through.", "handoff-escalation"),
        ("action", "I waited for their review for two weeks.", "passive-waiting"),
        (
            "action",
            "I just submitted the PR and hoped they would merge it soon.",
            "passive-waiting",
        ),
        ("action", "After that I let them handle the rollout.", "passive-waiting"),
        ("result", "Overall things went well and everyone was pleased.", "vague-result"),
        ("result", "The bug was fixed and the rate improved. Team was happy.", "vague-result"),
        ("reflection", "I learned communication is important.", "generic-reflection"),
        (
            "reflection",
            "Next time I would communicate more with the other team.",
            "generic-reflection",
        ),
        (
            "reflection",
            "I realized how important good communication really is.",
            "generic-reflection",
        ),
        (
            "task",
            "I started investigating the logs to find the root cause.",
            "missing-scope-boundary",
        ),
        ("task", "My lead told me to look into it.", "assigned-work"),
        ("situation", "My manager asked me to investigate the drop rate.", "assigned-work"),
        ("task", "I was assigned the ticket to fix the webhook drops.", "assigned-work"),
        (
            "task",
            "I picked it up because I had some free time and wanted to help.",
            "opportunistic-motive",
        ),
        ("action", "I stopped pursuing it since the leader said no.", "disengaged-after-decision"),
        # recognition noise: "spear cycles" is how tiny.en heard "spare cycles"
        ("situation", "I had some spear cycles that sprint.", "opportunistic-motive"),
        # a mistake taken back at once is not held against the speaker
        ("situation", "My lead told me to, sorry, no, that's wrong: nobody asked me.", None),
        (
            "action",
            "Once they rejected the idea I dropped it and moved on.",
            "disengaged-after-decision",
        ),
        ("action", "I trusted them to test it before release.", "no-personal-verification"),
        ("action", "I assumed their QA would catch any problems.", "no-personal-verification"),
    ],
)
def test_detector_catches_meaning(library, step: str, said: str, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    found = mistakes(library, step, said)
    assert expected in found if expected else not found


@pytest.mark.parametrize(
    ("step", "said", "not_expected"),
    [
        ("task", "Nobody had asked me to investigate, and no ticket existed.", "assigned-work"),
        (
            "task",
            "This was not my team, no ticket existed and nobody asked me.",
            "missing-scope-boundary",
        ),
        (
            "action",
            "I didn't wait for their review; I paired with their lead to merge it.",
            "passive-waiting",
        ),
        (
            "action",
            "I flagged it to their tech lead but brought a complete fix, not just a report.",
            "handoff-escalation",
        ),
        (
            "result",
            "The drop rate went from 0.3% to zero and recovered $8K per week.",
            "vague-result",
        ),
        (
            "action",
            "I wrote the fix, and we met weekly to review progress. I tested it myself.",
            "we-language",
        ),
        (
            "action",
            "After the leader decided not to proceed, I fully committed to their direction.",
            "disengaged-after-decision",
        ),
        (
            "task",
            "It was not because I had free time; the business impact was clear.",
            "opportunistic-motive",
        ),
    ],
)
def test_detector_leaves_good_answers_alone(
    library, step: str, said: str, not_expected: str
) -> None:  # type: ignore[no-untyped-def]
    assert not_expected not in mistakes(library, step, said)


@pytest.mark.parametrize(
    "question",
    ["disagree-senior-leader", "unpopular-opinion", "commitment-difficult-circumstances"],
)
def test_strong_examples_trigger_nothing(library, question: str) -> None:  # type: ignore[no-untyped-def]
    walkthrough = library.get(question)
    for step in STEP_ORDER:
        example = walkthrough.step(step).strong_example
        if not example:
            continue
        feedback = analyze_step(walkthrough, step, Transcript.from_text(example))
        found = {m.id for m in feedback.mistakes}
        assert not found, (question, step, found)


def test_over_time_uses_the_maximum(library) -> None:  # type: ignore[no-untyped-def]
    walkthrough = library.get(QUESTION)
    step = walkthrough.step("situation")
    assert step.max_s == 45
    long_text = " ".join(["I noticed the webhook drop rate in the payment service."] * 14)
    feedback = analyze_step(walkthrough, "situation", Transcript.from_text(long_text))
    over = [m for m in feedback.mistakes if m.id == "over-time"]
    assert over and "45" in over[0].evidence
    assert "45 seconds" in over[0].message


def test_messages_come_from_the_walkthrough(library) -> None:  # type: ignore[no-untyped-def]
    walkthrough = library.get(QUESTION)
    feedback = analyze_step(
        walkthrough,
        "action",
        Transcript.from_text("I sent them a Slack message and they handled it."),
    )
    handoff = next(m for m in feedback.mistakes if m.id == "handoff-escalation")
    assert "Slack" in handoff.message
    texts = [p.weak_why for p in walkthrough.probes] + [walkthrough.step("action").coaching]
    assert handoff.message in texts


@pytest.mark.parametrize(
    ("step", "said", "expected"),
    [
        (
            "action",
            "When their director turned it down, I mentioned it to my manager and kind of "
            "dropped it; I never touched it again.",
            "disengaged-after-decision",
        ),
        (
            "action",
            "I wrote the fix and left the testing to the platform team's QA folks.",
            "no-personal-verification",
        ),
        (
            "action",
            "I figured whoever was on call would test it before release.",
            "no-personal-verification",
        ),
    ],
)
def test_mistakes_said_in_other_words(  # type: ignore[no-untyped-def]
    library, step: str, said: str, expected: str
) -> None:
    assert expected in mistakes(library, step, said)


@pytest.mark.parametrize(
    ("step", "said", "not_expected"),
    [
        ("action", "I tested it myself rather than trusting their QA.", "no-personal-verification"),
        (
            "action",
            "I figured the fix would work, so I tested it myself.",
            "no-personal-verification",
        ),
        (
            "action",
            "I added an alert so a future drop would page someone instead of disappearing.",
            "disengaged-after-decision",
        ),
        (
            "reflection",
            "The easy answer is that communication matters, but that's not really what I "
            "learned. The drops lasted for months because no shared SLO existed.",
            "generic-reflection",
        ),
    ],
)
def test_the_opposite_said_in_other_words_is_not_a_mistake(  # type: ignore[no-untyped-def]
    library, step: str, said: str, not_expected: str
) -> None:
    assert not_expected not in mistakes(library, step, said)


@pytest.mark.parametrize(
    ("step", "said", "expected"),
    [
        ("task", "My manager was like, hey, can you look at these failures?", "assigned-work"),
        ("task", "Our manager told us to split it up between us.", "assigned-work"),
        (
            "action",
            "I asked their QA folks to confirm it and run the tests.",
            "no-personal-verification",
        ),
        (
            "action",
            "I passed my notebook to their team so they could fix it.",
            "handoff-escalation",
        ),
        (
            "result",
            "After their lead said they'd go a different way, I sort of moved on.",
            "disengaged-after-decision",
        ),
    ],
)
def test_more_wordings_of_a_mistake(  # type: ignore[no-untyped-def]
    library, step: str, said: str, expected: str
) -> None:
    assert expected in mistakes(library, step, said)


@pytest.mark.parametrize(
    ("step", "said", "not_expected"),
    [
        (
            "task",
            "My manager asked me to, well, no, she didn't. I picked it up myself.",
            "assigned-work",
        ),
        ("task", "I asked my manager whether I could look into it.", "assigned-work"),
        (
            "reflection",
            "I learned to speak up and communicate. More specifically, races in retry code hide "
            "until you reproduce them locally.",
            "generic-reflection",
        ),
    ],
)
def test_and_their_look_alikes_are_not(  # type: ignore[no-untyped-def]
    library, step: str, said: str, not_expected: str
) -> None:
    assert not_expected not in mistakes(library, step, said)


@pytest.mark.parametrize(
    ("step", "said", "expected"),
    [
        (
            "action",
            "I left it with them and sat tight until they got round to it.",
            "passive-waiting",
        ),
        ("action", "I left the rollout to the platform team.", "handoff-escalation"),
        (
            "action",
            "I passed the change over to the vendor and they sorted it out.",
            "handoff-escalation",
        ),
        ("situation", "I took it on because I had a pretty empty sprint.", "opportunistic-motive"),
        (
            "situation",
            "Things were slow on my side that month, so I picked it up.",
            "opportunistic-motive",
        ),
        (
            "action",
            "They deprioritised it and that was that, I moved on.",
            "disengaged-after-decision",
        ),
        ("task", "My manager asked me to find out why the webhooks were failing.", "assigned-work"),
        (
            "task",
            "My manager told me, please can you check why the webhooks fail.",
            "assigned-work",
        ),
    ],
)
def test_the_mistake_in_yet_other_words(  # type: ignore[no-untyped-def]
    library, step: str, said: str, expected: str
) -> None:
    assert expected in mistakes(library, step, said)


@pytest.mark.parametrize(
    ("step", "said", "not_expected"),
    [
        # waiting on a machine, or making a thing wait, is not waiting on people
        ("action", "I waited for CI to go green before I sent the PR.", "passive-waiting"),
        (
            "action",
            "I kicked off the soak test and waited for the run to finish.",
            "passive-waiting",
        ),
        ("action", "I made the alarm wait two seconds before firing.", "passive-waiting"),
        # a question put to the candidate is not work given to them
        ("task", "My manager asked me what I had found so far.", "assigned-work"),
        ("task", "My manager did ask me, a few days in, how it was going.", "assigned-work"),
        # testing left to others is the verification mistake, not a handoff
        ("action", "I wrote the fix and left the testing to their QA.", "handoff-escalation"),
        # "learned a lot" about something specific is not generic
        (
            "reflection",
            "I learned a lot about race conditions and how to reproduce them locally.",
            "generic-reflection",
        ),
        # the scope boundary said other ways
        (
            "task",
            "It was their service, my team had nothing to do with it.",
            "missing-scope-boundary",
        ),
        ("task", "The service sat with the Platform team, not with us.", "missing-scope-boundary"),
    ],
)
def test_and_yet_other_look_alikes_are_not(  # type: ignore[no-untyped-def]
    library, step: str, said: str, not_expected: str
) -> None:
    assert not_expected not in mistakes(library, step, said)
