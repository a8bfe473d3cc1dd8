"""Coverage: which principles your stories cover, how each scored when last practised, and
what to practise next (Qt-free; the window's coverage view and ``starcoach stories`` use it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from starcoach.content import Library, Walkthrough
from starcoach.content.questions import principle_key
from starcoach.store import Session


@dataclass(frozen=True)
class StoryStatus:
    story_id: str
    title: str
    own: bool
    principles: tuple[str, ...]
    """The bank's names of the principles the story is tagged with or was practised for."""
    sessions: int = 0
    last_score: float | None = None
    last_practised: str | None = None
    weakest_step: str | None = None
    weakest_score: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.story_id,
            "title": self.title,
            "source": "user" if self.own else "bundled",
            "principles": list(self.principles),
            "sessions": self.sessions,
            "last_score": self.last_score,
            "last_practised": self.last_practised,
            "weakest_step": self.weakest_step,
        }


@dataclass(frozen=True)
class Drill:
    text: str
    question_id: str | None = None
    story_id: str | None = None
    step: str | None = None


@dataclass(frozen=True)
class Coverage:
    principles: list[str]
    """Every principle of the bank, in its order."""
    stories: list[StoryStatus]
    by_principle: dict[str, list[str]] = field(default_factory=dict)
    """Principle name -> ids of the stories that cover it."""
    plan: list[Drill] = field(default_factory=list)

    @property
    def uncovered(self) -> list[str]:
        return [p for p in self.principles if not self.by_principle.get(p)]

    def covers(self, story_id: str, principle: str) -> bool:
        return story_id in self.by_principle.get(principle, [])


def coverage(
    library: Library, sessions: Iterable[Session], *, own_only: bool = False, plan_size: int = 4
) -> Coverage:
    """Principles x stories from the stories' tags and their practice history."""
    sessions = list(sessions)
    principles = [p.name for p in library.principles.values()]
    stories = library.own_stories() if own_only else library.stories
    by_story: dict[str, list[Session]] = {}
    for session in sessions:  # newest first, as Store.list_sessions gives them
        told = session.story_id or session.question_id
        by_story.setdefault(told, []).append(session)

    statuses: list[StoryStatus] = []
    by_principle: dict[str, list[str]] = {p: [] for p in principles}
    for story in stories.values():
        history = by_story.get(story.id, [])
        names = _principles_of(library, story, history)
        for name in names:
            by_principle.setdefault(name, []).append(story.id)
        scored = next((s for s in history if s.mean_score is not None), None)
        weakest = _weakest(scored) if scored is not None else None
        statuses.append(
            StoryStatus(
                story_id=story.id,
                title=story.title,
                own=not library.is_bundled(story.id),
                principles=tuple(names),
                sessions=len(history),
                last_score=scored.mean_score if scored is not None else None,
                last_practised=history[0].created_at if history else None,
                weakest_step=weakest[0] if weakest else None,
                weakest_score=weakest[1] if weakest else None,
            )
        )
    result = Coverage(principles, statuses, by_principle)
    result.plan.extend(drill_plan(library, result, plan_size))
    return result


def drill_plan(library: Library, cov: Coverage, size: int = 4) -> list[Drill]:
    """A short plan: the weakest step of the weakest practised story, stories never
    practised, then principles no story covers yet (with a question to practise)."""
    plan: list[Drill] = []
    practised = sorted(
        (s for s in cov.stories if s.last_score is not None and s.weakest_step),
        key=lambda s: (s.weakest_score if s.weakest_score is not None else 100, s.story_id),
    )
    for status in practised[:2]:
        if status.weakest_score is not None and status.weakest_score >= 85:
            continue
        plan.append(
            Drill(
                f"Practise the {status.weakest_step} of '{status.title}' "
                f"(last {status.weakest_score}).",
                story_id=status.story_id,
                step=status.weakest_step,
            )
        )
    for status in cov.stories:
        if status.own and status.sessions == 0:
            plan.append(Drill(f"Tell '{status.title}' once, end to end.", story_id=status.story_id))
    for name in cov.uncovered:
        questions = library.questions_for(name)
        first = questions[0] if questions else None
        text = f"No story for {name} yet: draft one"
        text += f", then answer '{first.title}'." if first else "."
        plan.append(Drill(text, question_id=first.id if first else None))
    return plan[:size]


def _principles_of(library: Library, story: Walkthrough, history: list[Session]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    tagged = list(story.principles)
    for session in history:
        if session.question_id in library.questions:
            tagged += library.question(session.question_id).principles
    for name in tagged:
        key = principle_key(name)
        if key not in seen:
            seen.add(key)
            names.append(library.principle_name(name))
    return names


def _weakest(session: Session) -> tuple[str, int] | None:
    scored = [(a.step, a.score) for a in session.latest_attempts() if a.score is not None]
    if not scored:
        return None
    step, score = min(scored, key=lambda pair: pair[1])
    assert score is not None
    return step, score


# -- which story answers a question ------------------------------------------------------------

_STOP = frozenset(
    """tell me about a an the time you your had to with of and for in on it that was were
    when how what did do something someone who not than more most from by as at or be is
    are went made took make take have time get got""".split()
)


@dataclass(frozen=True)
class Suggestion:
    story_id: str
    title: str
    score: float
    reason: str


def suggest_stories(
    library: Library, question_id: str, *, own_first: bool = True
) -> list[Suggestion]:
    """Stories ranked for a question: the principles they are tagged with first, then the
    principles their text fits (as the story builder reads it), then shared content words."""
    from starcoach.coach.text import tokenize_text
    from starcoach.content.draft import principles_for

    question = library.question(question_id)
    asked = {principle_key(p) for p in question.principles}
    main = principle_key(question.principles[0]) if question.principles else None
    title_words = _content_lemmas(tokenize_text(question.title))
    out: list[Suggestion] = []
    for story in library.stories.values():
        tagged = {principle_key(p) for p in story.principles}
        text = " ".join(s.strong_example or "" for s in story.steps)
        text += " " + " ".join(p for s in story.steps for p in s.key_phrases)
        fits = {principle_key(p) for p in principles_for(text, limit=4)}
        score = 0.0
        reasons = []
        if main is not None and main in tagged:
            score += 4
            reasons.append(f"tagged {library.principle_name(question.principles[0])}")
        elif tagged & asked:
            score += 2.5
            reasons.append("tagged " + ", ".join(_names(library, tagged & asked)))
        inferred = (fits & asked) - tagged
        if inferred:
            score += 1.5
            reasons.append("reads like " + ", ".join(_names(library, inferred)))
        shared = title_words & _content_lemmas(tokenize_text(text))
        if shared:
            score += min(2.0, 0.5 * len(shared))
            reasons.append("mentions " + ", ".join(sorted(shared)[:3]))
        if own_first and not library.is_bundled(story.id):
            score += 0.5
        out.append(
            Suggestion(story.id, story.title, round(score, 2), "; ".join(reasons) or "no match")
        )
    return sorted(out, key=lambda s: (-s.score, s.title.casefold()))


def _names(library: Library, keys: set[str]) -> list[str]:
    return sorted(library.principles[k].name if k in library.principles else k for k in keys)


def _content_lemmas(tokens: Iterable[object]) -> set[str]:
    words: set[str] = set()
    for token in tokens:
        norm = getattr(token, "norm", "")
        if len(norm) > 3 and norm not in _STOP and norm.isalpha():
            words.add(norm)
    return words
