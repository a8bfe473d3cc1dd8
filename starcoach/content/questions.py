"""Questions apart from stories: the question bank's schema, and a question as the app uses it.

A question (title, principle(s), optional probes and angles) can be answered with any story;
a story (a :class:`Walkthrough`'s five steps) can answer several questions. Every bundled
walkthrough is both: a question told with its own story. The question bank
(``content/questions/*.yaml``) adds questions over all sixteen Leadership Principles, each
principle with a one-line meaning.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from starcoach.content.models import Angle, Probe, Text, Walkthrough, _is_slug, _Model


def principle_key(name: str) -> str:
    """ "Have Backbone; Disagree and Commit" and "have backbone disagree & commit" match."""
    return "".join(ch for ch in name.casefold().replace("&", "and") if ch.isalnum())


class BankQuestion(_Model):
    """One question as written in a bank file, under its principle."""

    id: Text
    title: Text
    also: list[Text] = Field(default_factory=list)
    """Other principles the question is about, besides the one it is listed under."""
    probes: list[Probe] = Field(default_factory=list)
    angles: list[Angle] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not _is_slug(value):
            raise ValueError(
                f"{value!r} is not a valid id: use lower-case letters, digits and single "
                "hyphens, like 'ownership-beyond-your-role'"
            )
        return value


class PrincipleEntry(_Model):
    name: Text
    meaning: Text
    """One line: what the principle asks of a candidate, in StarCoach's words."""
    questions: list[BankQuestion] = Field(min_length=1)


class QuestionBank(_Model):
    """A bank file: principles, each with its meaning and common questions."""

    authored: bool = False
    """True when the bank was written for StarCoach (not taken from a source)."""
    source: Text | None = None
    principles: list[PrincipleEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> QuestionBank:
        names: set[str] = set()
        ids: set[str] = set()
        for entry in self.principles:
            key = principle_key(entry.name)
            if key in names:
                raise ValueError(f"principle {entry.name!r} is listed twice")
            names.add(key)
            for question in entry.questions:
                if question.id in ids:
                    raise ValueError(f"question id {question.id!r} is used twice")
                ids.add(question.id)
        return self


class Principle(_Model):
    name: Text
    meaning: Text | None = None
    question_ids: list[Text] = Field(default_factory=list)


class Question(_Model):
    """A question as the app asks it, from the bank or from a walkthrough."""

    id: Text
    title: Text
    principles: list[Text] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list)
    angles: list[Angle] = Field(default_factory=list)
    authored: bool = False
    """Written for StarCoach (the bank) rather than taken from a seed."""
    story_id: Text | None = None
    """The story told with it in its walkthrough (None for a bank question)."""

    @property
    def principle(self) -> str | None:
        return self.principles[0] if self.principles else None

    @classmethod
    def from_walkthrough(cls, walkthrough: Walkthrough) -> Question:
        return cls(
            id=walkthrough.id,
            title=walkthrough.title,
            principles=list(walkthrough.principles),
            probes=list(walkthrough.probes),
            angles=list(walkthrough.angles),
            story_id=walkthrough.id,
        )

    @classmethod
    def from_bank(cls, entry: PrincipleEntry, question: BankQuestion, authored: bool) -> Question:
        principles = [entry.name]
        principles += [p for p in question.also if principle_key(p) != principle_key(entry.name)]
        return cls(
            id=question.id,
            title=question.title,
            principles=principles,
            probes=list(question.probes),
            angles=list(question.angles),
            authored=authored,
        )
