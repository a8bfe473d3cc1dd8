"""Follow-up probes in a mock interview: which to ask, and how the answer to one went.

Choosing: a probe is picked for what the answer lacked. Each of the answer's mistakes
(no number in Result, "we" language, a handoff, ...) and, after them, its weakest step
asks for a *kind* of probe (impact, ownership, coordination, commitment, ...). A probe's
kind is read from its text -- the question and what it probes, or for probes without a
question its weak answer's critique -- with keyword families, and from the mistakes the
coach's own detectors find in its weak answer. Never from its position, so a user's own
story with its own probes works the same.

Judging: an answer to a probe is held against the probe's weak and strong answers. Does it
repeat the weak answer's failure (the coach's mistake detectors, including whichever the
weak answer itself trips, plus how much it sounds like the weak answer), and does it carry
the strong answer's key line in meaning (how much of the key line's and the strong
answer's content is said, by lemma, near-miss spelling or a small table of synonyms)?
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from starcoach.clock import moment
from starcoach.coach.document import Document
from starcoach.coach.feedback import MistakeFound, StepFeedback
from starcoach.coach.messages import mistake_message
from starcoach.coach.rules import CRITICAL, DETECTED, RULES, title
from starcoach.coach.scoring import weakest_step
from starcoach.coach.similarity import word_similarity
from starcoach.coach.text import FILLERS, FUNCTION_WORDS, PRONOUNS, Token, tokenize_text
from starcoach.content.models import STEP_ORDER, Probe, Walkthrough
from starcoach.transcribe.types import Transcript

# --------------------------------------------------------------------------- probe kinds

# What a probe asks about, recognised in its question and "what it probes" text.
FAMILIES: dict[str, re.Pattern[str]] = {
    "impact": re.compile(
        r"measur|quantif|\bimpact\b|\bmetric|\bnumbers?\b|\btrack|how much|business (value|"
        r"outcome)|\bresults?\b|\boutcome"
    ),
    "ownership": re.compile(
        r"\bownership\b|what did you (personally )?(do|own)\?|\byour (own )?(role|part|"
        r"contribution)\b|outside your|self-initiat|individual contribution|not your (team|job)"
    ),
    "motive": re.compile(
        r"why did you (decide to )?(take|pick|look|investigat|start)|motivat|free time|spare|"
        r"opportunis|volunteer"
    ),
    "coordination": re.compile(
        r"cross-team|coordinat|without (formal )?authority|accepted|integrat|deploy|influenc|"
        r"collaborat|resistance|different team|other team|boundar|escalat|slack|routing|"
        r"handed|handoff|hoping|hoped"
    ),
    "commitment": re.compile(r"after .{0,40}decid|\bcommit|decision"),
    "disagreement": re.compile(r"disagree|respectful|data-backed|push(ed)? back|convinc|persua"),
    "verification": re.compile(r"\btest|verif|validat|\bqa\b"),
    "reflection": re.compile(
        r"differently|\bagain\b|learn|self-awareness|improvement|next time|communicate more|"
        r"systemic insight"
    ),
    "prevention": re.compile(r"prevent|\balert|future|long-term"),
}

# The question StarCoach asks for a probe that has none (seeds 000 and 004 give only the
# weak and strong answers): a plain question of the probe's kind.
GENERIC_QUESTIONS: dict[str, str] = {
    "impact": "How did you measure the impact of what you did?",
    "ownership": "What did you personally do, and why was it yours to do?",
    "motive": "Why did you take this on?",
    "coordination": "How did you get the other team to act on it?",
    "commitment": "What did you do once the decision was made?",
    "disagreement": "How did you make your case when you disagreed?",
    "verification": "How did you make sure the fix worked?",
    "reflection": "What would you do differently next time?",
    "prevention": "How did you stop it from happening again?",
}
FALLBACK_QUESTION = "Tell me more about what you did there."

# What each mistake makes an interviewer probe, in order of preference.
MISTAKE_FAMILIES: dict[str, tuple[str, ...]] = {
    r.id: r.probe_families for r in RULES.values() if r.probe_families
}
# What a weak step makes an interviewer probe.
STEP_FAMILIES: dict[str, tuple[str, ...]] = {
    "situation": ("ownership", "motive"),
    "task": ("ownership", "motive"),
    "action": ("coordination", "disagreement", "commitment", "verification"),
    "result": ("impact", "prevention"),
    "reflection": ("reflection", "prevention"),
}
# Mistakes close enough that a probe whose weak answer shows one also tests the other.
_SIBLINGS: dict[str, frozenset[str]] = {
    "handoff-escalation": frozenset({"handoff-escalation", "passive-waiting"}),
    "passive-waiting": frozenset({"passive-waiting", "handoff-escalation"}),
}

_NEEDS: dict[str, str] = {r.id: r.need for r in RULES.values()}
_FAMILY_TESTS: dict[str, str] = {
    "impact": "how you measured the impact",
    "ownership": "what you yourself did and owned",
    "motive": "why you took it on",
    "coordination": "how you drove the other team without authority",
    "commitment": "how you committed after the decision",
    "disagreement": "how you disagreed, with data and a solution",
    "verification": "how you verified the fix yourself",
    "reflection": "what you specifically learned",
    "prevention": "how you kept it from happening again",
}


@dataclass(frozen=True)
class ProbeProfile:
    """What a probe tests, read from its text and its weak answer."""

    index: int
    probe: Probe
    families: tuple[str, ...]  # kinds its question/probes text names, strongest first
    weak_mistakes: frozenset[str]  # the coach's mistakes found in its weak answer

    @property
    def question(self) -> str:
        if self.probe.question:
            return self.probe.question
        kind = self.families[0] if self.families else None
        return GENERIC_QUESTIONS.get(kind or "", FALLBACK_QUESTION)


def profile_probe(probe: Probe, index: int = 0) -> ProbeProfile:
    if probe.question or probe.probes:
        text = " ".join(t for t in (probe.question, probe.probes) if t)
    else:
        # No question (seeds 000, 004): what the weak answer and its critique say.
        text = " ".join(t for t in (probe.weak_answer, probe.weak_why) if t)
    lowered = text.casefold()
    hits = [(m.start(), name) for name, rx in FAMILIES.items() if (m := rx.search(lowered))]
    families = tuple(name for _, name in sorted(hits))
    weak = frozenset(weak_answer_mistakes(probe, families))
    if not families and weak:
        # A probe known only by its weak answer: the kinds its mistakes call for.
        families = tuple(dict.fromkeys(f for m in sorted(weak) for f in MISTAKE_FAMILIES[m]))
    return ProbeProfile(index, probe, families, weak)


# Detectors that fire on what a text lacks. A one-line probe answer lacks nearly
# everything, so these count only where the probe asks for that very thing.
_ABSENCE: dict[str, str] = {"vague-result": "impact", "missing-scope-boundary": "-"}


def weak_answer_mistakes(probe: Probe, families: Sequence[str] | None = None) -> set[str]:
    """The coach's mistakes in the probe's weak answer: the failure an answer must avoid."""
    if not probe.weak_answer:
        return set()
    if families is None:
        families = profile_probe(probe).families
    return {
        m
        for m in _all_mistakes(probe.weak_answer)
        if m not in _ABSENCE or (probe.question is not None and _ABSENCE[m] in families)
    }


@lru_cache(maxsize=256)
def _all_mistakes(text: str) -> tuple[str, ...]:
    doc = Document(Transcript.from_text(text))
    if not doc.tokens:
        return ()
    return tuple(
        mid for mid, rule in DETECTED.items() if rule.detector and rule.detector(doc) is not None
    )


def probe_profiles(walkthrough: Walkthrough) -> list[ProbeProfile]:
    return [profile_probe(p, i) for i, p in enumerate(walkthrough.probes)]


# --------------------------------------------------------------------------- choosing


@dataclass(frozen=True)
class ChosenProbe:
    probe: Probe
    reason: str
    index: int  # position in walkthrough.probes
    question: str  # the probe's question, or StarCoach's plain one when it has none
    generic_question: bool
    need: str  # the mistake id or step that chose it ("" when nothing did)
    family: str | None  # the kind of probe the need asked for

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "question": self.question,
            "generic_question": self.generic_question,
            "reason": self.reason,
            "need": self.need,
            "family": self.family,
            "probes": self.probe.probes,
            "key_line": self.probe.key_line,
        }


@dataclass(frozen=True)
class _Need:
    id: str
    families: tuple[str, ...]
    mistake: str | None
    reason: str


def _clock(seconds: float | None) -> str:
    return moment(seconds, missing="")


def _needs(feedback_by_step: Mapping[str, StepFeedback]) -> list[_Need]:
    steps = [feedback_by_step[s] for s in STEP_ORDER if s in feedback_by_step]
    found: list[tuple[int, int, str, StepFeedback, MistakeFound]] = []
    for order, fb in enumerate(steps):
        for m in fb.mistakes:
            if m.id in MISTAKE_FAMILIES:
                found.append((0 if m.id in CRITICAL else 1, order, m.id, fb, m))
    needs: list[_Need] = []
    seen: set[str] = set()
    for _, _, mistake_id, fb, m in sorted(found, key=lambda x: (x[0], x[1])):
        if mistake_id in seen:
            continue
        seen.add(mistake_id)
        quote = f' ("{_short(m.evidence)}"' + (f" at {_clock(m.start)})" if m.start else ")")
        reason = f"{_NEEDS[mistake_id]} in {fb.step.capitalize()}{quote}"
        needs.append(_Need(mistake_id, MISTAKE_FAMILIES[mistake_id], mistake_id, reason))
    weakest = weakest_step([(f.step, f.score) for f in steps]) if steps else None
    for fb in sorted(steps, key=lambda f: f.score):
        families = STEP_FAMILIES[fb.step]
        if fb.nothing_said:
            reason = f"Your {fb.step.capitalize()} was missing"
        else:
            missed = [p.phrase for p in fb.key_phrases if not p.matched]
            # The same weakest step as the verdict and the report (scoring.weakest_step);
            # a step probed because the weakest one has no probe is only "weak".
            rank = "the weakest part" if fb.step == weakest else "weak"
            reason = f"Your {fb.step.capitalize()} was {rank} (score {fb.score})"
            if missed:
                reason += f', without "{missed[0]}"'
        needs.append(_Need(fb.step, families, None, reason))
    return needs


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fit(profile: ProbeProfile, need: _Need) -> tuple[float, str | None]:
    """How well a probe serves a need, and through which kind."""
    score, family = 0.0, None
    for rank, wanted in enumerate(need.families):
        if wanted in profile.families:
            value = (5.0, 2.0, 1.0, 1.0)[min(rank, 3)]
            # A probe named for this kind first counts more than one that mentions it.
            if profile.families[0] == wanted:
                value += 0.5
            if value > score:
                score, family = value, wanted
    if need.mistake is not None:
        # Its weak answer makes this very mistake (or a close one): the probe tests it.
        related = _SIBLINGS.get(need.mistake, frozenset({need.mistake}))
        if need.mistake in profile.weak_mistakes:
            score += 2.0
        elif profile.weak_mistakes & related:
            score += 1.0
        if profile.weak_mistakes & related:
            family = family or need.families[0]
    return score, family


def choose_probes(
    walkthrough: Walkthrough,
    feedback_by_step: Mapping[str, StepFeedback],
    k: int = 2,
) -> list[ChosenProbe]:
    """Up to ``k`` of the walkthrough's probes, for what the answer lacked, best first."""
    profiles = probe_profiles(walkthrough)
    chosen: list[ChosenProbe] = []
    taken: set[int] = set()
    for need in _needs(feedback_by_step):
        if len(chosen) >= k:
            break
        best: tuple[float, int] | None = None
        best_family: str | None = None
        for profile in profiles:
            if profile.index in taken:
                continue
            score, family = _fit(profile, need)
            if score > 0 and (best is None or score > best[0]):
                best, best_family = (score, profile.index), family
        if best is None:
            continue
        profile = profiles[best[1]]
        taken.add(profile.index)
        tests = _FAMILY_TESTS.get(best_family or "", "")
        reason = need.reason + (f": this probe tests {tests}." if tests else ".")
        chosen.append(_chosen(profile, reason, need.id, best_family))
    for profile in profiles:
        if len(chosen) >= k:
            break
        if profile.index not in taken:
            taken.add(profile.index)
            reason = "A follow-up interviewers ask about this story."
            chosen.append(_chosen(profile, reason, "", None))
    return chosen


def _chosen(profile: ProbeProfile, reason: str, need: str, family: str | None) -> ChosenProbe:
    question = profile.probe.question
    if not question:
        question = GENERIC_QUESTIONS.get(family or "", "") or profile.question
    return ChosenProbe(
        probe=profile.probe,
        reason=reason,
        index=profile.index,
        question=question,
        generic_question=profile.probe.question is None,
        need=need,
        family=family,
    )


# --------------------------------------------------------------------------- judging

# Meaning, not wording: words a candidate uses for the same idea as the key line. Each
# group maps to its first word. Kept small and general to how engineers tell these stories.
CONCEPTS: tuple[str, ...] = (
    "solution fix patch pr remedy change",
    "problem issue bug complaint report ticket",
    "quantify measure track metric number numbers data dashboard",
    "business revenue money dollar finance",
    "commit support",
    "fully completely entirely",
    "engage meet talk sync reach approach",
    "contribute write build offer code",
    "proactive proactively initiative ahead",
    "prevent avoid stop",
    "catch detect notice spot",
    "alert alerting alarm page monitor monitoring",
    "propose suggest push advocate recommend",
    "share shared common joint",
    "slo sla objective target",
    "visibility visible transparency insight",
    "early earlier upfront sooner start",
    "iterate revise revision adjust turn",
    "quick quickly fast faster rapid rapidly",
    "test tested verify verified validate validated",
    "present show demonstrate walk",
    "impact cost effect",
    "rollout deploy deployment release ship launch",
    "cross-team cross team teams across",
    "directly personally myself",
    "response respond react",
    "automate automated automatic automatically",
    "reliability reliable",
    "communicate explain",
)
_CONCEPT: dict[str, str] = {w: group.split()[0] for group in CONCEPTS for w in group.split()}

# Thresholds, chosen on the labelled probe answers (tests/mock_corpus/probe_answers.yaml;
# tests/test_coach_probes.py reports them with leave-one-walkthrough-out).
# "Meaning" is the mean of the share of the key line's ideas said and the share of the
# strong answer's ideas said (the strong answer's alone where there is no key line).
MEANING_MIN = 0.43  # carries the key line
MEANING_NONE = 0.2  # below this, an answer says nothing of what the strong answer says
VAGUE_MAX = 0.15  # strong-answer share below which an answer is as unspecific as a vague weak
WEAK_SIMILAR = 0.6  # share of the weak answer's ideas said, to count as repeating it


@dataclass(frozen=True)
class ProbeJudgement:
    verdict: str  # strong | weak | mixed
    repeats_weak: bool
    carries_key_line: bool
    reasons: list[str]
    mistakes: list[MistakeFound] = field(default_factory=list)
    meaning_score: float = 0.0
    key_line_score: float = 0.0
    strong_score: float = 0.0
    weak_score: float = 0.0
    key_line_heard: list[str] = field(default_factory=list)  # key-line ideas said, as said

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "repeats_weak": self.repeats_weak,
            "carries_key_line": self.carries_key_line,
            "reasons": list(self.reasons),
            "mistakes": [m.to_json() for m in self.mistakes],
            "meaning_score": round(self.meaning_score, 3),
            "key_line_score": round(self.key_line_score, 3),
            "strong_score": round(self.strong_score, 3),
            "weak_score": round(self.weak_score, 3),
            "key_line_heard": list(self.key_line_heard),
        }


@dataclass(frozen=True)
class _Idea:
    concept: str
    lemmas: frozenset[str]


def _ideas(tokens: Iterable[Token]) -> list[_Idea]:
    out: list[_Idea] = []
    seen: set[str] = set()
    for token in tokens:
        if token.norm in FUNCTION_WORDS or token.norm in PRONOUNS or token.norm in FILLERS:
            continue
        if token.is_number or len(token.norm) < 2 or token.norm in _WEAK_WORDS:
            continue
        concept = _concept(token)
        if concept in seen:
            continue
        seen.add(concept)
        out.append(_Idea(concept, token.lemmas | {token.norm}))
    return out


# Words that carry no idea of their own in these answers.
_WEAK_WORDS = frozenset(
    "not just only also then very really would could should will can did do does done "
    "get got make made one our your me my i we they team".split()
)


def _concept(token: Token) -> str:
    for form in sorted(token.lemmas | {token.norm}):
        if form in _CONCEPT:
            return _CONCEPT[form]
    return min(token.lemmas | {token.norm}, key=lambda w: (len(w), w))


def _said(idea: _Idea, answer: Sequence[_Idea]) -> _Idea | None:
    for heard in answer:
        if heard.concept == idea.concept or heard.lemmas & idea.lemmas:
            return heard
    for heard in answer:
        if max(word_similarity(a, b) for a in idea.lemmas for b in heard.lemmas) >= 0.85:
            return heard
    return None


def _coverage(reference: Sequence[_Idea], answer: Sequence[_Idea]) -> tuple[float, list[_Idea]]:
    if not reference:
        return 0.0, []
    hits = [h for idea in reference if (h := _said(idea, answer)) is not None]
    return len(hits) / len(reference), hits


def judge_probe_answer(
    probe: Probe,
    transcript: Transcript,
    walkthrough: Walkthrough | None = None,
) -> ProbeJudgement:
    """How the answer to ``probe`` went: strong, weak or mixed, and why."""
    doc = Document(transcript)
    if not doc.tokens:
        return ProbeJudgement("weak", False, False, ["Nothing was said."])
    answer = _ideas(doc.tokens)

    weak_ids = weak_answer_mistakes(probe)
    to_run = {m for m, rule in DETECTED.items() if "probe" in rule.steps} | weak_ids
    mistakes: list[MistakeFound] = []
    for mistake_id, rule in DETECTED.items():
        if mistake_id not in to_run or rule.detector is None:
            continue
        found = rule.detector(doc)
        if found is None:
            continue
        mistakes.append(_found(doc, mistake_id, found.first_token, found.last_token, walkthrough))

    key_ideas = _ideas(tokenize_text(probe.key_line)) if probe.key_line else []
    strong_ideas = _ideas(tokenize_text(probe.strong_answer)) if probe.strong_answer else []
    weak_ideas = _ideas(tokenize_text(probe.weak_answer)) if probe.weak_answer else []
    key_score, key_hits = _coverage(key_ideas, answer)
    strong_score, _ = _coverage(strong_ideas, answer)
    weak_score, _ = _coverage(weak_ideas, answer)

    if key_ideas and strong_ideas:
        meaning = (key_score + strong_score) / 2
    else:
        meaning = key_score if key_ideas else strong_score
    carries = meaning >= MEANING_MIN

    repeated = [m for m in mistakes if m.id in weak_ids]
    sounds_weak = weak_score >= WEAK_SIMILAR and weak_score > strong_score
    # A weak answer with no mistake the coach can name fails by saying nothing specific
    # ("Because I thought it might help"): an answer repeats that by being as empty.
    vague = not weak_ids and not carries and strong_score < VAGUE_MAX
    repeats = bool(repeated) or sounds_weak or vague
    # Other mistakes are reported, but the verdict is about what the probe tests.
    other = [m for m in mistakes if m.id not in weak_ids and m.id in CRITICAL]

    reasons: list[str] = []
    if probe.key_line:
        if carries:
            reasons.append(f'Carries the key line "{probe.key_line}".')
        else:
            reasons.append(f'Misses the key line "{probe.key_line}".')
    for m in repeated:
        reasons.append(f'Repeats the weak answer\'s failure ({title(m.id)}): "{m.evidence}".')
    if sounds_weak and not repeated:
        reasons.append("Sounds like the weak answer.")
    if vague and not repeated and not sounds_weak:
        reasons.append("Says nothing specific, like the weak answer.")
    for m in other:
        reasons.append(f'Also: {title(m.id)} ("{m.evidence}").')

    if carries and not repeats:
        verdict = "strong"
    elif carries:
        verdict = "mixed"
    elif repeats or meaning < MEANING_NONE:
        verdict = "weak"
    else:
        verdict = "mixed"
    heard = [doc_text for doc_text in (_heard_text(doc, h) for h in key_hits) if doc_text]
    return ProbeJudgement(
        verdict=verdict,
        repeats_weak=repeats,
        carries_key_line=carries,
        reasons=reasons,
        mistakes=mistakes,
        meaning_score=meaning,
        key_line_score=key_score,
        strong_score=strong_score,
        weak_score=weak_score,
        key_line_heard=heard,
    )


def _heard_text(doc: Document, idea: _Idea) -> str:
    for token in doc.tokens:
        if token.lemmas & idea.lemmas or token.norm in idea.lemmas:
            return doc.span_text(token.first, token.last)
    return ""


def _found(
    doc: Document,
    mistake_id: str,
    first_token: int | None,
    last_token: int | None,
    walkthrough: Walkthrough | None,
) -> MistakeFound:
    message = mistake_message(walkthrough, mistake_id)
    if first_token is None or last_token is None:
        return MistakeFound(mistake_id, message, doc.transcript.text)
    first = doc.tokens[first_token].first
    last = doc.tokens[last_token].last
    start, end = doc.span_times(first, last)
    return MistakeFound(mistake_id, message, doc.span_text(first, last), start, end, first, last)
