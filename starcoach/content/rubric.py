"""What a strong step contains, for any story and any principle (StarCoach's own rubric).

Used where a story brings no coaching of its own (your stories): the practice page and Study
show it beside your notes, and the question's principle angle is added to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.content.models import StepName


@dataclass(frozen=True)
class StepRubric:
    step: StepName
    aim: str
    """What the step is for, in one line."""
    checklist: tuple[str, ...]
    """What a strong telling of the step contains."""
    common_mistake: str

    @property
    def coaching(self) -> str:
        return f"{self.aim} " + " ".join(self.checklist)


RUBRIC: dict[StepName, StepRubric] = {
    "situation": StepRubric(
        "situation",
        "Set the scene in a few sentences: where you were and what was wrong.",
        (
            "Name your role and the team.",
            "Say what was at stake, with a number if you have one (users, money, time).",
            "Reach the problem within two or three sentences.",
        ),
        "Background that never reaches the problem: the architecture before the issue.",
    ),
    "task": StepRubric(
        "task",
        "Say what you had to achieve and why it was yours to take on.",
        (
            "State the goal you set or were given.",
            "If it was not your job, say so plainly (not my team, no ticket, nobody asked).",
            "Name the constraint: a deadline, a risk, a disagreement.",
        ),
        'Jumping to "so I started" without saying what success looked like.',
    ),
    "action": StepRubric(
        "action",
        "Walk through what you did, one concrete step at a time.",
        (
            'Use "I" for every action you took; "we" hides your part.',
            "Give the how: what you measured, built, wrote, asked, decided.",
            "Include one hard moment: a trade-off, pushback, or a risk you managed.",
            "Show you checked the outcome yourself.",
        ),
        '"We fixed it" or "I escalated it": the interviewer cannot tell what you did.',
    ),
    "result": StepRubric(
        "result",
        "Say what changed, with a number.",
        (
            "Give before and after (from 2 hours to 15 minutes, 40% fewer errors).",
            "Say what it meant for the customer or the business.",
            "Own a partial result honestly.",
        ),
        '"It went well" or "the team was happy": no number, no evidence.',
    ),
    "reflection": StepRubric(
        "reflection",
        "Name one specific thing you learned and what you do differently now.",
        (
            "Tie the lesson to this story, not to work in general.",
            "Say what you changed afterwards: a habit, a check, a process.",
        ),
        '"I learned communication is important": a lesson that fits any story.',
    ),
}


def rubric_for(step: str) -> StepRubric:
    return RUBRIC[step]  # type: ignore[index]
