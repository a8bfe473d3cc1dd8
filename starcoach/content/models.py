"""The walkthrough schema: what one content file holds, validated strictly.

Only ``id``, ``title`` and the five ``steps`` (each with ``name`` and ``target_s``) are
required, because the flattened seeds (000, 004) lack most labelled parts and the data must
leave out what a seed does not have rather than invent it. Every model is frozen and rejects
unknown fields, so a typo in a hand-edited file is reported instead of silently ignored.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from starcoach.errors import UnknownStep

# The STAR steps are defined in starcoach.steps; the schema re-exports them.
from starcoach.steps import STEP_ORDER as STEP_ORDER
from starcoach.steps import StepName as StepName

LevelName = Literal["sde1", "senior"]
LEVEL_ORDER: tuple[LevelName, ...] = ("sde1", "senior")

# Spellings a user or the command line may use for a level; SDE1 and SDE2 share guidance in
# the seeds (the "SDE2 Reflection" text is the "SDE 1" level's reflection).
_LEVEL_ALIASES: dict[str, LevelName] = {
    "sde1": "sde1",
    "sde2": "sde1",
    "sde": "sde1",
    "junior": "sde1",
    "senior": "senior",
    "seniorsde": "senior",
    "sde3": "senior",
}

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text; surrounding whitespace (e.g. a block scalar's final newline) is stripped."""

Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        str_strip_whitespace=True,
    )


class Scenario(_Model):
    overview: Text | None = None
    """The story in the first person, as a candidate would tell it."""
    summary: Text | None = None
    """What the story demonstrates and its key takeaways."""


class Step(_Model):
    name: StepName
    target_s: Seconds
    max_s: Seconds | None = None
    """A hard maximum, only where the walkthrough states one ("Stop by 45 seconds max")."""
    strong_example: Text | None = None
    key_phrases: list[Text] = Field(default_factory=list)
    """What a bar raiser listens for, verbatim (matched against the transcript)."""
    coaching: str = ""
    common_mistake: str = ""

    @field_validator("key_phrases")
    @classmethod
    def _unique_phrases(cls, phrases: list[str]) -> list[str]:
        seen: set[str] = set()
        for phrase in phrases:
            if phrase in seen:
                raise ValueError(f"key phrase {phrase!r} is listed twice")
            seen.add(phrase)
        return phrases

    @model_validator(mode="after")
    def _max_not_below_target(self) -> Step:
        if self.max_s is not None and self.max_s < self.target_s:
            raise ValueError(
                f"max_s ({_fmt_s(self.max_s)}) is below target_s ({_fmt_s(self.target_s)})"
            )
        return self


class Reflections(_Model):
    sde2: Text | None = None
    """The SDE1/SDE2 reflection (technical learning)."""
    senior: Text | None = None
    """The Senior reflection (systemic, organizational insight)."""


class Probe(_Model):
    """A follow-up question an interviewer may ask, with a weak and a strong answer."""

    question: Text | None = None
    probes: Text | None = None
    """What the question probes for."""
    weak_answer: Text | None = None
    weak_why: Text | None = None
    """Why the weak answer fails."""
    strong_answer: Text | None = None
    key_line: Text | None = None
    """The one line of the strong answer to remember."""

    @model_validator(mode="after")
    def _has_content(self) -> Probe:
        if not (self.question or self.weak_answer or self.strong_answer):
            raise ValueError("a probe needs at least a question, a weak_answer or a strong_answer")
        return self


class WeakAnswer(_Model):
    text: Text | None = None
    critique: list[Text] = Field(default_factory=list)
    bar_raiser_thinks: Text | None = None


class QuizOption(_Model):
    text: Text
    correct: bool = False


class QuizQuestion(_Model):
    question: Text
    explanation: Text | None = None
    options: list[QuizOption] = Field(default_factory=list)
    authored: bool = False
    """True when the options were written for StarCoach (the walkthrough had none)."""

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[QuizOption]) -> list[QuizOption]:
        if not options:
            return options
        if len(options) < 2:
            raise ValueError("a quiz question needs at least two options")
        correct = sum(1 for option in options if option.correct)
        if correct != 1:
            raise ValueError(f"exactly one option must be correct: true (found {correct})")
        return options

    @property
    def correct_option(self) -> QuizOption | None:
        return next((option for option in self.options if option.correct), None)


class Angle(_Model):
    """How to tell the same story for another principle."""

    principle: Text | None = None
    lead: Text | None = None
    emphasize: Text | None = None
    downplay: Text | None = None

    @model_validator(mode="after")
    def _has_content(self) -> Angle:
        if not (self.lead or self.emphasize or self.downplay):
            raise ValueError("an angle needs at least one of lead, emphasize, downplay")
        return self


class LevelGuidance(_Model):
    level: LevelName
    label: Text | None = None
    """The level as the walkthrough names it, e.g. "SDE 1" or "Senior SDE"."""
    focus: Text | None = None
    reflection: Text | None = None
    bar: Text | None = None
    time_text: Text | None = None
    """The total-time advice as written, e.g. "Keep to 2 minutes." or "2.5-3 minutes."."""
    time_s_min: Seconds | None = None
    time_s_max: Seconds | None = None
    """The whole answer's time limit in seconds (120 for "Keep to 2 minutes.")."""

    @model_validator(mode="after")
    def _min_not_above_max(self) -> LevelGuidance:
        lo, hi = self.time_s_min, self.time_s_max
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"time_s_min ({_fmt_s(lo)}) is above time_s_max ({_fmt_s(hi)})")
        return self


WalkthroughKind = Literal["walkthrough", "story"]


class Walkthrough(_Model):
    id: Text
    title: Text
    kind: WalkthroughKind = "walkthrough"
    """``walkthrough``: a question told with its story (the bundled files, older own files);
    ``story``: one of your stories only, ready to answer any question (its title names the
    story, not a question)."""
    source: Text | None = None
    """The seed file the walkthrough was made from (bundled content only)."""
    principles: list[Text] = Field(default_factory=list)
    scenario: Scenario = Field(default_factory=Scenario)
    steps: list[Step]
    reflections: Reflections = Field(default_factory=Reflections)
    probes: list[Probe] = Field(default_factory=list)
    weak_answer: WeakAnswer | None = None
    quiz: list[QuizQuestion] = Field(default_factory=list)
    angles: list[Angle] = Field(default_factory=list)
    levels: list[LevelGuidance] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _is_slug(value):
            raise ValueError(
                f"{value!r} is not a valid id: use lower-case letters, digits and single "
                "hyphens, like 'my-own-story'"
            )
        return value

    @field_validator("steps")
    @classmethod
    def _five_steps_in_order(cls, steps: list[Step]) -> list[Step]:
        names = [step.name for step in steps]
        for name in STEP_ORDER:
            if names.count(name) > 1:
                raise ValueError(f"step {name!r} appears {names.count(name)} times")
        missing = [name for name in STEP_ORDER if name not in names]
        if missing:
            raise ValueError(
                "missing step" + ("s " if len(missing) > 1 else " ") + ", ".join(missing)
            )
        if tuple(names) != STEP_ORDER:
            raise ValueError(
                f"steps must be in the order {', '.join(STEP_ORDER)} (found {', '.join(names)})"
            )
        return steps

    @field_validator("levels")
    @classmethod
    def _levels_once(cls, levels: list[LevelGuidance]) -> list[LevelGuidance]:
        seen: set[str] = set()
        for guidance in levels:
            if guidance.level in seen:
                raise ValueError(f"level {guidance.level!r} appears more than once")
            seen.add(guidance.level)
        return levels

    def step(self, name: str) -> Step:
        """The step called ``name``; raises :class:`UnknownStep` for any other name."""
        for step in self.steps:
            if step.name == name:
                return step
        raise UnknownStep(name)

    def level(self, level: str) -> LevelGuidance | None:
        """Guidance for ``level`` ("sde1", "sde2", "senior", "Senior SDE", ...), if any."""
        key = normalize_level(level)
        if key is None:
            return None
        return next((guidance for guidance in self.levels if guidance.level == key), None)

    @property
    def principle(self) -> str | None:
        """The main principle, if the walkthrough names one."""
        return self.principles[0] if self.principles else None

    @property
    def is_story_only(self) -> bool:
        return self.kind == "story"

    @property
    def examples_are_notes(self) -> bool:
        """True when the steps' text is the user's own (shown as "your notes"), not a strong
        example taken from a source: only the seed-sourced walkthroughs name a source."""
        return self.source is None


def normalize_level(level: str) -> LevelName | None:
    """Map a level as a person writes it ("SDE 1", "sde-2", "Senior") to a LevelName."""
    key = "".join(ch for ch in level.casefold() if ch.isalnum())
    return _LEVEL_ALIASES.get(key)


def _is_slug(value: str) -> bool:
    parts = value.split("-")
    return all(
        part and all(ch.isascii() and (ch.isdigit() or ch.islower()) for ch in part)
        for part in parts
    )


def _fmt_s(seconds: float) -> str:
    return f"{seconds:g} s" if math.isfinite(seconds) else str(seconds)


MODELS: tuple[type[BaseModel], ...] = (
    Walkthrough,
    Scenario,
    Step,
    Reflections,
    Probe,
    WeakAnswer,
    QuizQuestion,
    QuizOption,
    Angle,
    LevelGuidance,
)
