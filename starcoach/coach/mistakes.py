"""The common-mistake detectors: each judges what was meant, not one literal string.

Every detector has a fixed id (DESIGN.md), applies to the steps where the mistake can
happen, and reports the words that triggered it with their time span. The message shown
comes from the walkthrough's own coaching (see messages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starcoach.coach.document import Document
from starcoach.coach.patterns import Hit, Pattern, fills, find_any, slot
from starcoach.coach.text import NEGATIONS

MISTAKE_IDS: tuple[str, ...] = (
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
)

# Where each mistake is judged. Situation talk of "we" is natural; "we" in Action hides you.
APPLIES_TO: dict[str, frozenset[str]] = {
    "we-language": frozenset({"task", "action"}),
    "handoff-escalation": frozenset({"task", "action", "probe"}),
    "passive-waiting": frozenset({"action", "probe"}),
    "vague-result": frozenset({"result"}),
    "generic-reflection": frozenset({"reflection"}),
    "missing-scope-boundary": frozenset({"task"}),
    "assigned-work": frozenset({"situation", "task", "action", "probe"}),
    "opportunistic-motive": frozenset({"situation", "task", "action", "probe"}),
    "disengaged-after-decision": frozenset({"action", "result", "probe"}),
    "no-personal-verification": frozenset({"action", "probe"}),
    "over-time": frozenset({"situation", "task", "action", "result", "reflection"}),
}


@dataclass(frozen=True)
class Detection:
    """What a detector found: the token span of the evidence (None: the whole step)."""

    first_token: int | None
    last_token: int | None


Detector = Callable[[Document], Detection | None]

# --- word classes -------------------------------------------------------------------------
ME = "i"
OTHERS = "they them team teams lead leader manager owner owners platform someone somebody he she"
AUTHORITY = "manager lead boss director supervisor leader pm tl skip vp cto head"
ROUTE = (
    "escalate forward route hand pass flag notify inform tell report raise ping message email "
    "slack dm loop send file"
)
CHANNEL = "slack email mail message ticket them team lead manager over off along dm note jira"
TAKE_OVER = "handle fix resolve sort deal pick address solve"
OWNING = "write build brought bring fix implement submit code ship deploy debug patch"


def _first_hit(hits: list[Hit]) -> Detection | None:
    return Detection(hits[0].first, hits[0].last) if hits else None


def _by_subject(doc: Document, verbs: str, subjects: frozenset[str]) -> list[Hit]:
    """The verbs in ``verbs`` whose subject (Document.subject_of) is one of ``subjects``,
    however far back in the sentence the subject stands: "we'd collect data and escalate it"."""
    wanted = slot(verbs)
    return [
        Hit(k, k)
        for k, token in enumerate(doc.tokens)
        if fills(token, wanted) and doc.subject_of(k) in subjects and not _negated_before(doc, k, 3)
    ]


def detect_we_language(doc: Document) -> Detection | None:
    tokens = doc.tokens
    we_subject = [k for k, t in enumerate(tokens) if t.norm == "we" and _verb_follows(doc, k)]
    i_subject = [k for k, t in enumerate(tokens) if t.norm == "i" and _verb_follows(doc, k)]
    together = find_any(
        doc,
        [
            Pattern.of("we", "together", gap=8, negatable=0),
            Pattern.of("as", "a", "team", gap=0, negatable=0),
            Pattern.of("collectively", negatable=0),
        ],
    )
    if not we_subject and not together:
        return None
    # "We" as the actor of two or more actions hides the candidate, however many "I"s
    # surround it; one "we met weekly" among "I" actions does not.
    if together or len(we_subject) >= 2 or not i_subject:
        k = together[0].first if together else we_subject[0]
        last = together[0].last if together else _clause_end(doc, k)
        return Detection(k, last)
    return None


def _verb_follows(doc: Document, k: int) -> bool:
    """Is the pronoun at ``k`` the subject of a verb within the next two tokens?"""
    from lemminflect import getAllLemmas

    for step in (1, 2):
        j = k + step
        if j >= len(doc.tokens) or doc.tokens[j].sentence != doc.tokens[k].sentence:
            return False
        lemmas = getAllLemmas(doc.tokens[j].norm)
        if "VERB" in lemmas or "AUX" in lemmas:
            return True
    return False


def _clause_end(doc: Document, k: int, length: int = 5) -> int:
    sentence = doc.tokens[k].sentence
    last = k
    for j in range(k + 1, min(len(doc.tokens), k + length)):
        if doc.tokens[j].sentence != sentence:
            break
        last = j
    return last


def detect_handoff(doc: Document) -> Detection | None:
    routed = _by_subject(doc, "escalate", frozenset({"i", "we"})) + find_any(
        doc, [Pattern.of(ME, ROUTE, CHANNEL, gap=4)]
    )
    # Routing is fine when the same sentence shows the candidate also brought the fix.
    owning = slot(OWNING)
    routed = [
        h
        for h in routed
        if not any(
            fills(doc.tokens[k], owning) and doc.subject_of(k) == "i"
            for k in doc.sentences[doc.tokens[h.first].sentence]
        )
    ]
    taken = find_any(
        doc,
        [
            Pattern.of(OTHERS, TAKE_OVER, "it this the that", gap=2),
            Pattern.of(OTHERS, "take", "it from there over care", gap=2),
            Pattern.of(OTHERS, "take", "care", gap=2),
            Pattern.of("hand pass", "it", "off over on", gap=1),
            Pattern.of("leave", "it", "to", OTHERS, gap=1),
        ],
    )
    return _first_hit(sorted(routed + taken, key=lambda h: h.first))


def detect_passive_waiting(doc: Document) -> Detection | None:
    hits = _by_subject(doc, "wait hope", frozenset({"i"})) + find_any(
        doc,
        [
            Pattern.of(ME, "wait", gap=3),
            Pattern.of(
                "wait", "for until", OTHERS + " their response responses review reply", gap=2
            ),
            Pattern.of(ME, "hope", gap=3),
            Pattern.of("hope", OTHERS + " it someone", gap=2),
            Pattern.of("let", OTHERS, "handle take do deploy roll own merge decide run", gap=2),
            Pattern.of("leave", "the it", "rollout deployment merge", gap=2),
            Pattern.of(ME, "sit", "back", gap=2),
        ],
    )
    return _first_hit(sorted(hits, key=lambda h: h.first))


VAGUE = [
    Pattern.of(
        "thing things everything it situation stuff",
        "get go be turn",
        "better well good smooth smoother great fine",
        gap=2,
    ),
    Pattern.of(
        "team everyone everybody people stakeholder stakeholders manager customer customers they",
        "be seem feel",
        "happy pleased satisfied glad thrilled delighted",
        gap=3,
    ),
    Pattern.of("rate performance reliability it things", "improve", gap=2),
    Pattern.of("work", "out well", gap=1),
    Pattern.of("go", "well", gap=1),
    Pattern.of("positive", "impact outcome feedback result", gap=1),
    Pattern.of("fix", "the it", "bug problem issue", gap=1),
]
QUANTITY_WORDS = slot(
    "percent dollar dollars double doubled halve halved triple tripled hours minutes days weeks x"
)


def detect_vague_result(doc: Document) -> Detection | None:
    has_number = any(t.is_number or fills(t, QUANTITY_WORDS) for t in doc.tokens)
    if has_number or not doc.tokens:
        return None
    hit = _first_hit(find_any(doc, VAGUE))
    if hit is not None:
        return hit
    first_sentence = doc.sentences[0]
    return Detection(first_sentence[0], first_sentence[-1])


def detect_generic_reflection(doc: Document) -> Detection | None:
    virtues = (
        "communication communicate collaboration collaborate teamwork team work feedback "
        "transparency alignment patience listening listen trust relationship relationships people"
    )
    importance = "important key crucial vital matter essential valuable"
    learning = "learn realize realise understand lesson takeaway teach"
    hits = find_any(
        doc,
        [
            Pattern.of(learning, virtues, importance, gap=5),
            Pattern.of(learning, importance, virtues, gap=5),
            Pattern.of(
                ME,
                "would should will",
                "communicate collaborate talk over overcommunicate reach",
                gap=2,
            ),
            Pattern.of(learning, "a", "lot", gap=1),
            Pattern.of(learning, "about", virtues, gap=4),
            Pattern.of(ME, "would should will", "communicate overcommunicate loop sync", gap=6),
            Pattern.of("communication", "be", "key important", gap=2),
        ],
    )
    return _first_hit(hits)


BOUNDARY = [
    Pattern.of(
        "not",
        "my our",
        "team job responsibility problem area service code system scope",
        gap=1,
        negatable=0,
    ),
    Pattern.of("not", "mine ours", gap=0, negatable=0),
    Pattern.of("outside", "my our", gap=1, negatable=0),
    Pattern.of("no", "ticket tickets alert assignment", gap=1, negatable=0),
    Pattern.of("nobody no", "ask assign", gap=3, negatable=0),
    Pattern.of("not", "assign ask", gap=2, negatable=0),
    Pattern.of("belong own", "to by", "another other the platform their", gap=2, negatable=0),
    Pattern.of("another other", "team", gap=1, negatable=0),
    Pattern.of("without", "being anyone", "ask assign", gap=1, negatable=0),
    Pattern.of("nobody no", "own", gap=1, negatable=0),
]


def detect_missing_scope_boundary(doc: Document) -> Detection | None:
    if not doc.tokens or find_any(doc, BOUNDARY):
        return None
    first_sentence = doc.sentences[0]
    return Detection(first_sentence[0], first_sentence[-1])


def detect_assigned_work(doc: Document) -> Detection | None:
    assigned = "ask suggest tell assign want give hand request instruct task put direct have get"
    hits = find_any(
        doc,
        [
            Pattern.of(AUTHORITY, assigned, "me", gap=3),
            Pattern.of(AUTHORITY, "suggest want", "i", gap=1),
            Pattern.of(AUTHORITY, "assign", gap=3),
            Pattern.of(ME, "be get", "assign ask task given tasked", gap=1),
            Pattern.of("assign", "to", "me", gap=1),
            Pattern.of("it this", "be", "my", "ticket task assignment", gap=1),
        ],
    )
    return _first_hit(hits)


def detect_opportunistic_motive(doc: Document) -> Detection | None:
    hits = find_any(
        doc,
        [
            Pattern.of(
                "free spare extra down", "time cycle cycles capacity bandwidth", gap=1, negatable=0
            ),
            Pattern.of("downtime", negatable=0),
            Pattern.of(ME, "be", "bored", gap=2, negatable=0),
            Pattern.of("nothing", "else", "to", gap=1, negatable=0),
            Pattern.of("light quiet slow", "week sprint period", gap=5, negatable=0),
            Pattern.of("time", "to", "kill", gap=0, negatable=0),
        ],
    )
    # "It wasn't because I had free time" is the opposite; look for a negation just before.
    hits = [h for h in hits if not _negated_before(doc, h.first, 5)]
    return _first_hit(hits)


def _negated_before(doc: Document, k: int, reach: int) -> bool:
    sentence = doc.tokens[k].sentence
    return any(
        doc.tokens[j].norm in NEGATIONS and doc.tokens[j].sentence == sentence
        for j in range(max(0, k - reach), k)
    )


def detect_disengaged(doc: Document) -> Detection | None:
    stop = "stop drop abandon quit shelve"
    decision = "no against reject decline overrule veto disagree down"
    hits = find_any(
        doc,
        [
            Pattern.of(ME, stop, gap=3),
            Pattern.of(ME, "give let move", "up go on", gap=2),
            Pattern.of(ME, "not", "push pursue follow", gap=2, negatable=0),
        ],
    )
    decided = find_any(
        doc,
        [
            Pattern.of("say decide go", decision, gap=2, negatable=0),
            Pattern.of(decision, negatable=0),
        ],
    )
    if not hits:
        return None
    decided_sentences = {doc.tokens[h.first].sentence for h in decided}
    for hit in hits:
        sentence = doc.tokens[hit.first].sentence
        if sentence in decided_sentences or sentence - 1 in decided_sentences:
            return Detection(hit.first, hit.last)
    return None


def detect_no_personal_verification(doc: Document) -> Detection | None:
    rely = "trust assume rely expect count leave figure"
    check = "test tested testing verify check validate qa catch review"
    hits = find_any(
        doc,
        [
            Pattern.of(ME, rely, OTHERS + " qa it testing", check, gap=4),
            Pattern.of(ME, "leave", "the", "testing verification", gap=2),
            Pattern.of(ME, "not", "test verify check", gap=3, negatable=0),
        ],
    )
    return _first_hit(hits)


DETECTORS: dict[str, Detector] = {
    "we-language": detect_we_language,
    "handoff-escalation": detect_handoff,
    "passive-waiting": detect_passive_waiting,
    "vague-result": detect_vague_result,
    "generic-reflection": detect_generic_reflection,
    "missing-scope-boundary": detect_missing_scope_boundary,
    "assigned-work": detect_assigned_work,
    "opportunistic-motive": detect_opportunistic_motive,
    "disengaged-after-decision": detect_disengaged,
    "no-personal-verification": detect_no_personal_verification,
}
