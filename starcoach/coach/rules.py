"""Every mistake the coach can name, in one registry.

One entry per mistake: its id (fixed, stored in sessions), the plain title a user sees,
the steps it is judged in, how much it weighs, the detector that finds it (mistakes.py;
none for the two timing rules), where its message comes from in the walkthrough's own
coaching, and the kind of follow-up probe it makes an interviewer ask. Scoring, messages,
probes, the report and the window all read this table; tests/test_coach_rules.py holds it
whole.

A rule may belong to some stories only. The scope boundary ("not my team, no ticket,
nobody asked") is the point of an ownership story; a Dive Deep story about your own
service has none, and telling its teller to add one is wrong advice. Such a rule fires only
where the walkthrough asks for it (``fits``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from starcoach.coach import mistakes as found
from starcoach.coach.document import Document
from starcoach.coach.mistakes import Detector
from starcoach.content.models import STEP_ORDER, Walkthrough
from starcoach.transcribe.types import Transcript

Severity = Literal["critical", "minor"]
STEPS = frozenset(STEP_ORDER)


@dataclass(frozen=True)
class Coaching:
    """Where the message comes from: the first walkthrough text (the step's coaching first)
    that contains one of ``keys``; StarCoach's own ``fallback`` where none does."""

    step: str | None
    keys: tuple[str, ...]
    fallback: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    steps: frozenset[str]  # STAR steps, and "probe" for follow-up answers
    severity: Severity
    detector: Detector | None  # None: a timing rule, judged on the clock
    coaching: Coaching
    probe_families: tuple[str, ...]  # what the mistake makes an interviewer probe
    need: str  # how a probe's reason names it: "Your Result gave no number"
    fits: Callable[[Walkthrough | None], bool] = lambda _w: True

    @property
    def critical(self) -> bool:
        return self.severity == "critical"


def asks_for_scope_boundary(walkthrough: Walkthrough | None) -> bool:
    """Does this story make "it was not mine" part of its point? Its Situation or Task key
    phrases state a boundary, its coaching speaks of one, or it is an Ownership story."""
    if walkthrough is None:
        return True
    return _asks_for_scope_boundary(walkthrough)


_BOUNDARY_CACHE: dict[int, tuple[Walkthrough, bool]] = {}


def _asks_for_scope_boundary(walkthrough: Walkthrough) -> bool:
    cached = _BOUNDARY_CACHE.get(id(walkthrough))
    if cached is not None and cached[0] is walkthrough:
        return cached[1]
    steps = [s for s in walkthrough.steps if s.name in ("situation", "task")]
    phrases = " . ".join(p for s in steps for p in s.key_phrases)
    said = Document(Transcript.from_text(phrases)) if phrases else None
    coaching = " ".join(
        t.casefold() for s in steps for t in (s.coaching, s.common_mistake) if t
    ).replace("’", "'")
    answer = (
        (said is not None and found.detect_missing_scope_boundary(said) is None)
        or any(key in coaching for key in RULES["missing-scope-boundary"].coaching.keys)
        or any("ownership" in p.casefold() for p in walkthrough.principles)
    )
    _BOUNDARY_CACHE[id(walkthrough)] = (walkthrough, answer)
    return answer


_JUDGED = frozenset({"situation", "task", "action", "probe"})

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "we-language",
            "Said “we” where the interviewer needs “I”",
            frozenset({"task", "action"}),
            "critical",
            found.detect_we_language,
            Coaching(
                "action",
                ("'we'", "'i' for every", "invisible"),
                "Say what YOU did: use 'I' for your own actions; 'we' hides your contribution.",
            ),
            ("ownership", "coordination"),
            'You said "we" where the interviewer needs "I"',
        ),
        Rule(
            "handoff-escalation",
            "Handed it off instead of owning it",
            frozenset({"task", "action", "probe"}),
            "critical",
            found.detect_handoff,
            Coaching(
                None,
                ("slack", "routing", "handed it off", "handoff", "escalat"),
                "Routing the problem to someone else is not ownership: say what you did to fix it.",
            ),
            ("coordination", "disagreement"),
            "You handed the problem to someone else",
        ),
        Rule(
            "passive-waiting",
            "Waited for others to act",
            frozenset({"action", "probe"}),
            "minor",
            found.detect_passive_waiting,
            Coaching(
                None,
                ("hoping is passive", "passive", "waited"),
                "Waiting or hoping is passive: say how you drove it to done.",
            ),
            ("coordination", "commitment"),
            "You waited for others to act",
        ),
        Rule(
            "vague-result",
            "A result with no number",
            frozenset({"result"}),
            "critical",
            found.detect_vague_result,
            Coaching(
                "result",
                ("quantify", "metric delta", "no quantification"),
                "Quantify the result: the metric before and after, and what it meant for the "
                "business.",
            ),
            ("impact",),
            "Your Result gave no number",
        ),
        Rule(
            "generic-reflection",
            "A generic lesson",
            frozenset({"reflection"}),
            "critical",
            found.detect_generic_reflection,
            Coaching(
                "reflection",
                ("generic", "communication is important"),
                "Name a specific, story-related insight instead of a generic lesson.",
            ),
            ("reflection",),
            "Your Reflection was generic",
        ),
        Rule(
            "missing-scope-boundary",
            "Never said it was not your job",
            frozenset({"task"}),
            "critical",
            found.detect_missing_scope_boundary,
            Coaching(
                "task",
                ("scope boundary", "not assigned", "self-initiated"),
                "State the scope boundary: it was not your team's, no ticket, nobody asked.",
            ),
            ("ownership", "motive", "coordination"),
            "Your Task never said the work was not yours",
            fits=asks_for_scope_boundary,
        ),
        Rule(
            "assigned-work",
            "The work was assigned to you",
            _JUDGED,
            "critical",
            found.detect_assigned_work,
            Coaching(
                None,
                ("assigned", "disqualifier"),
                "If the work was assigned, it does not show ownership: explain why you took it on.",
            ),
            ("ownership", "motive"),
            "The work sounded assigned to you",
        ),
        Rule(
            "opportunistic-motive",
            "Acted because you had spare time",
            _JUDGED,
            "minor",
            found.detect_opportunistic_motive,
            Coaching(
                None,
                ("opportunistic", "free time"),
                "Give the impact-driven reason you acted, not that you had spare time.",
            ),
            ("motive", "ownership"),
            "Your reason for acting sounded like spare time",
        ),
        Rule(
            "disengaged-after-decision",
            "Gave up after the decision",
            frozenset({"action", "result", "probe"}),
            "critical",
            found.detect_disengaged,
            Coaching(
                None,
                ("lack of commitment", "violating 'commit'", "stopped pursuing", "commit"),
                "Once the decision was made, show that you committed fully and delivered.",
            ),
            ("commitment",),
            "You stepped back once the decision went against you",
        ),
        Rule(
            "no-personal-verification",
            "Left the testing to others",
            frozenset({"action", "probe"}),
            "minor",
            found.detect_no_personal_verification,
            Coaching(
                None,
                ("verif", "tested", "trusted"),
                "Say how you verified the fix yourself instead of trusting others to test it.",
            ),
            ("verification",),
            "You left the testing to others",
        ),
        Rule(
            "over-time",
            "Ran past the time",
            STEPS,
            "minor",
            None,
            Coaching(
                "situation",
                ("seconds max", "45 seconds", "under 45"),
                "Keep to the step's time: the interviewer loses the thread when a step runs long.",
            ),
            (),
            "You ran past the time",
        ),
        Rule(
            "too-short",
            "Far too short",
            STEPS,
            "minor",
            None,
            Coaching(
                None,
                (),
                "Say more: this step was far under its target, so the interviewer heard too "
                "little to judge it.",
            ),
            (),
            "You said too little",
        ),
    )
}

MISTAKE_IDS: tuple[str, ...] = tuple(RULES)
CRITICAL: frozenset[str] = frozenset(r.id for r in RULES.values() if r.critical)
DETECTED: dict[str, Rule] = {r.id: r for r in RULES.values() if r.detector is not None}
# A step far under its target: a third of it ("a 9 s Action against 1:30").
TOO_SHORT_SHARE = 1 / 3


def title(mistake_id: str) -> str:
    """The plain title a user sees; never the id."""
    rule = RULES.get(mistake_id)
    return rule.title if rule is not None else mistake_id.replace("-", " ").capitalize()


def applies(rule: Rule, step: str, walkthrough: Walkthrough | None) -> bool:
    return step in rule.steps and rule.fits(walkthrough)
