"""The common-mistake detectors: each judges what was meant, not one literal string.

Each detector reports the words that triggered it (a token span) or None. Which mistake it
finds, where it is judged, how much it weighs and what the user is told are in the one
registry, rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starcoach.coach.document import Document
from starcoach.coach.patterns import Hit, Pattern, fills, find_any, slot
from starcoach.coach.text import NEGATIONS, Token


@dataclass(frozen=True)
class Detection:
    """What a detector found: the token span of the evidence (None: the whole step)."""

    first_token: int | None
    last_token: int | None


Detector = Callable[[Document], Detection | None]

# --- word classes -------------------------------------------------------------------------
ME = "i"
OTHERS = (
    "they them team teams lead leader manager owner owners platform someone somebody he she "
    "folks guys people engineers oncall"
)
AUTHORITY = "manager lead boss director supervisor leader pm tl skip vp cto head"
# What a person does when they give someone work: "asked me to", "dropped it in my lap",
# "volunteered me", "put my name down", "parked it with me".
ASSIGNING = (
    "ask suggest tell assign want give hand request instruct task put direct have get drop "
    "park volunteer push throw pass delegate nominate pick"
)
ROUTE = (
    "escalate forward route hand pass flag notify inform tell report raise ping message email "
    "slack dm loop send file tag"
)
CHECKS = "test tested testing verify verification check validate qa catch review confirm"
CHANNEL = "slack email mail message ticket them team lead manager over off along dm note jira"
TAKE_OVER = "handle fix resolve sort deal pick address solve implement"
OWNING = "write build brought bring fix implement submit code ship deploy debug patch"


# "My manager asked me to -- no, sorry, that's wrong, nobody asked me": a mistake the
# speaker takes back straight away is not held against them.
RETRACTIONS = [
    Pattern.of("no", "sorry", gap=1, negatable=0),
    Pattern.of("sorry", "no", gap=1, negatable=0),
    Pattern.of("that", "be s", "wrong", gap=1, negatable=0),
    Pattern.of("that", "be s", "not", "right true", gap=1, negatable=0),
    Pattern.of("let", "me", "correct rephrase", gap=0, negatable=0),
    Pattern.of("scratch", "that", gap=0, negatable=0),
    Pattern.of("actually", "no", gap=1, negatable=0),
    Pattern.of("well", "no", gap=1, negatable=0),
    # "my manager asked me to -- no, she didn't": the speaker denies what they just said
    Pattern.of("no", "he she they", "not", gap=1, negatable=0),
]
RETRACTION_REACH = 14


def _first_hit(doc: Document, hits: list[Hit]) -> Detection | None:
    retracted = [h.first for h in find_any(doc, RETRACTIONS)]
    for hit in sorted(hits, key=lambda h: h.first):
        if any(hit.last < r <= hit.last + RETRACTION_REACH for r in retracted):
            continue
        return Detection(hit.first, hit.last)
    return None


# After these a word is a noun or a gerund, not the verb of a clause: "the fix", "the
# drops", "worth fixing", "for testing".
NOT_A_VERB_AFTER = slot(
    "the a an my our their his her your its this that these those some any no worth "
    "of for about to with from by in on at into"
)


# Before these a word is the subject of a clause, not its verb: "a future drop would page".
NOT_A_VERB_BEFORE = slot("would will could should can might must may")
HEDGES = ("kind", "sort")


def _used_as_verb(doc: Document, k: int) -> bool:
    tokens = doc.tokens
    sentence = tokens[k].sentence
    if (
        k + 1 < len(tokens)
        and tokens[k + 1].sentence == sentence
        and fills(tokens[k + 1], NOT_A_VERB_BEFORE)
    ):
        return False
    if k == 0 or tokens[k - 1].sentence != sentence:
        return True
    previous = tokens[k - 1]
    if previous.norm == "to":  # "to fix" is a verb, "to the fix" is not
        return True
    if previous.norm == "of" and k >= 2 and tokens[k - 2].norm in HEDGES:
        return True  # "kind of dropped it" is still dropping it
    return not fills(previous, NOT_A_VERB_AFTER)


def _by_subject(doc: Document, verbs: str, subjects: frozenset[str]) -> list[Hit]:
    """The verbs in ``verbs`` whose subject (Document.subject_of) is one of ``subjects``,
    however far back in the sentence the subject stands: "we'd collect data and escalate it"."""
    wanted = slot(verbs)
    return [
        Hit(k, _clause_end(doc, k, 4))  # the verb and what follows: "dropped that part"
        for k, token in enumerate(doc.tokens)
        if fills(token, wanted)
        and _used_as_verb(doc, k)
        and doc.subject_of(k) in subjects
        and not _negated_between(doc, doc.subject_index(k), k)
    ]


def _negated_between(doc: Document, subject: int | None, verb: int) -> bool:
    """ "I didn't wait", "I never dropped it": a negation between the subject and its verb."""
    start = verb - 3 if subject is None else subject + 1
    return any(doc.tokens[j].norm in NEGATIONS for j in range(max(0, start), verb))


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
    mostly_i = len(i_subject) >= 3 * max(1, len(we_subject))
    if (together and not mostly_i) or len(we_subject) >= 2 or not i_subject:
        k = together[0].first if together and not mostly_i else we_subject[0]
        last = together[0].last if together and not mostly_i else _clause_end(doc, k)
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
    others = frozenset({"other", "they", "he", "she"})
    takeover = slot("over care there")
    objects = slot("it this that the up over care there problem issue fix rest")
    taken = [
        Hit(h.first, _clause_end(doc, h.first, 4))
        for h in _by_subject(doc, TAKE_OVER + " take", others)
        # "they handled it", "they took it from there" -- not "the option he picked."
        if any(fills(t, objects) for t in doc.tokens[h.first + 1 : h.first + 3])
        and (
            not fills(doc.tokens[h.first], slot("take"))
            or any(fills(t, takeover) for t in doc.tokens[h.first + 1 : h.first + 5])
        )
    ] + find_any(
        doc,
        [
            Pattern.of("hand pass throw", "it", "off over on", gap=2),
            Pattern.of("over", "the", "wall", gap=0, negatable=0),
            Pattern.of("leave", "it", "to", OTHERS, gap=1),
            Pattern.of(ME, "file open raise write", "ticket", gap=3),
            Pattern.of(
                "pass hand give send forward", OTHERS, "so", "they he she", "could can", gap=4
            ),
        ],
    )
    # "I left the rollout to the engine team", "passed the change over to the vendor" --
    # but testing left to others is the verification mistake, not this one.
    checks = slot(CHECKS)
    handed = [
        h
        for h in find_any(
            doc,
            [
                Pattern.of("leave", "to", OTHERS + " vendor vendors contractor", gap=2),
                Pattern.of("pass hand", "over off", "to", gap=3),
            ],
        )
        if not any(fills(t, checks) for t in doc.tokens[h.first : h.last + 1])
    ]
    return _first_hit(doc, routed + taken + handed)


# What one waits for without handing anything to anyone: a build, a test run, a soak.
MACHINE_WAITS = slot(
    "ci build builds test tests run runs pipeline job jobs soak result results check checks "
    "green data deploy deployment benchmark backup"
)


def _waits_on_a_machine(doc: Document, k: int) -> bool:
    """ "I waited for CI to go green", "waited for the run to finish", "I made the alarm
    wait two seconds": waiting, but on no one."""
    tokens = doc.tokens
    sentence = tokens[k].sentence
    after = [t for t in tokens[k + 1 : k + 5] if t.sentence == sentence]
    if any(fills(t, MACHINE_WAITS) for t in after):
        return True
    # "...for it to finish": a thing, not a person, is what is awaited
    if any(t.norm in ("finish", "finished", "complete", "completed") for t in after):
        return True
    before = [t for t in tokens[max(0, k - 3) : k] if t.sentence == sentence]
    return any(t.lemmas & {"make", "let"} for t in before) and tokens[k - 1].norm not in (
        "them",
        "him",
        "her",
        "me",
    )


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
            Pattern.of("it pr change fix patch", "sit", "in there idle around untouched", gap=3),
            Pattern.of(OTHERS, "get", "to", "it", gap=2),
            Pattern.of("get", "round around", "to", "it", gap=0),
            Pattern.of(ME, "sit", "tight", gap=2),
        ],
    )
    waits = slot("wait")
    hits = [
        h
        for h in hits
        if not any(
            fills(doc.tokens[k], waits) and _waits_on_a_machine(doc, k)
            for k in range(h.first, h.last + 1)
        )
    ]
    return _first_hit(doc, hits)


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
    hit = _first_hit(doc, find_any(doc, VAGUE))
    if hit is not None:
        return hit
    first_sentence = doc.sentences[0]
    return Detection(first_sentence[0], first_sentence[-1])


VIRTUES = slot(
    "communication communicate collaboration collaborate teamwork team work feedback "
    "transparency alignment aligned align patience listening listen trust relationship "
    "relationships people loop talk positive open promise promises"
)
GENERIC_MARKERS = slot(
    "important key crucial vital matter essential valuable everything learn realize realise "
    "understand lesson takeaway teach more better earlier biggest main away"
)
# Words that make a lesson specific to this story: it names a mechanism, not a virtue.
SPECIFIC = slot(
    "slo sla metric metrics visibility systemic organizational root cause race condition "
    "retry retries alert alerts monitoring dashboard process ownership reliability latency "
    "test tests reproduce data scope boundary"
)


def detect_generic_reflection(doc: Document) -> Detection | None:
    """A lesson about virtues ("communication is important", "talk to people more") that
    names nothing specific to this story."""
    for sentence in doc.sentences:
        tokens = [doc.tokens[k] for k in sentence]
        virtue = next((k for k in sentence if fills(doc.tokens[k], VIRTUES)), None)
        if virtue is None or not any(fills(t, GENERIC_MARKERS) for t in tokens):
            continue
        if any(fills(t, SPECIFIC) for t in tokens):
            continue
        if _set_up_to_contradict(doc, sentence):
            continue
        hit = _first_hit(doc, [Hit(sentence[0], sentence[-1])])
        if hit is not None:
            return hit
    learned = [
        h
        for h in find_any(doc, [Pattern.of("learn", "a", "lot", gap=1)])
        if not any(
            fills(doc.tokens[k], SPECIFIC) for k in doc.sentences[doc.tokens[h.first].sentence]
        )
    ]
    return _first_hit(doc, learned)


CONTRADICTION = slot("not specifically specific actually")


def _set_up_to_contradict(doc: Document, sentence: list[int]) -> bool:
    """ "The easy answer is communication, but that's not what I learned": the generic line
    is the foil, and the lesson comes after "but"."""
    tokens = doc.tokens
    buts = [k for k in sentence if tokens[k].norm == "but"]
    if any(
        any(fills(tokens[j], CONTRADICTION) for j in range(k + 1, min(k + 6, sentence[-1] + 1)))
        for k in buts
    ):
        return True
    following = sentence[-1] + 1
    if following >= len(tokens):
        return False
    opening = [t.norm for t in tokens[following : following + 3]]
    return opening[0] == "but" or bool({"specifically", "actually"} & set(opening))


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
    # "my team had nothing to do with it", "it sat with Platform, not with us"
    Pattern.of("nothing", "to", "do", "with", gap=0, negatable=0),
    Pattern.of("not", "with", "us me", gap=0, negatable=0),
    Pattern.of("i", "not", "on", "the their that", gap=1, negatable=0),
]


def detect_missing_scope_boundary(doc: Document) -> Detection | None:
    if not doc.tokens or find_any(doc, BOUNDARY):
        return None
    first_sentence = doc.sentences[0]
    return Detection(first_sentence[0], first_sentence[-1])


QUESTION_WORDS = slot("what how whether if why where when which")


def _asked_a_question(doc: Document, hit: Hit) -> bool:
    """ "My manager asked me what I'd found", "the head of IT asked me, a few days in, how it
    was going": a question put to the candidate, not work given to them."""
    tokens = doc.tokens
    sentence = tokens[hit.last].sentence
    for t in tokens[hit.last + 1 : hit.last + 8]:
        if t.sentence != sentence or t.norm in ("to", "please", "can", "could", "would", "will"):
            return False
        if fills(t, QUESTION_WORDS):
            return True
    return False


def detect_assigned_work(doc: Document) -> Detection | None:
    hits = find_any(
        doc,
        [
            Pattern.of(AUTHORITY, ASSIGNING, "me my mine us", gap=5),
            # "my manager was like, hey, can you look at...", "my lead said why don't you"
            Pattern.of(AUTHORITY, "say be", "can could why", "you", gap=3),
            Pattern.of(AUTHORITY, "say think", "good", "for", "me", gap=4),
            Pattern.of(AUTHORITY, "suggest want", "i", gap=1),
            Pattern.of(AUTHORITY, "assign", gap=3),
            Pattern.of(ME, "be get", "assign ask task given tasked", gap=1),
            Pattern.of("assign hand give", "to", "me", gap=1),
            Pattern.of("land drop fall", "on in", "my", "plate lap desk", gap=1),
            Pattern.of("it this", "be", "my", "ticket task assignment", gap=1),
        ],
    )
    return _first_hit(doc, [h for h in hits if not _asked_a_question(doc, h)])


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
            Pattern.of(
                "sprint week calendar plate schedule",
                "be",
                "empty free open light clear",
                gap=3,
                negatable=0,
            ),
            Pattern.of("between", "project projects task tasks assignment assignments", gap=1),
            Pattern.of(ME, "have", "slack", gap=3, negatable=0),
            Pattern.of("quiet light slow", "couple few", "week weeks day days", gap=2),
            Pattern.of("empty free open light quiet", "sprint week month calendar plate", gap=2),
            Pattern.of("thing things work", "be", "quiet slow light dead", gap=2),
            Pattern.of("quiet slow light", "on", "my our", "side end", gap=2),
        ],
    )
    # "It wasn't because I was bored or had a light week" is the opposite.
    hits = [h for h in hits if not _negated_before(doc, h.first, 8)]
    return _first_hit(doc, hits)


def _negated_before(doc: Document, k: int, reach: int) -> bool:
    sentence = doc.tokens[k].sentence
    return any(
        doc.tokens[j].norm in NEGATIONS and doc.tokens[j].sentence == sentence
        for j in range(max(0, k - reach), k)
    )


def detect_disengaged(doc: Document) -> Detection | None:
    stop = "stop drop abandon quit shelve"
    decision = (
        "no against reject decline overrule veto disagree down "
        "deprioritize deprioritise deprioritized deprioritised"
    )
    hits = _by_subject(doc, stop, frozenset({"i"})) + find_any(
        doc,
        [
            Pattern.of(ME, "give let move", "up go on die slide", gap=3),
            Pattern.of(ME, "not", "push pursue follow", gap=2, negatable=0),
            Pattern.of(ME, "never", "touch revisit raise pursue mention", gap=2, negatable=0),
            Pattern.of(ME, "step back", "back away off aside", gap=2),
            Pattern.of(ME, "move", "on", gap=3),
            Pattern.of("that", "be", "that", gap=0),
        ],
    )
    decided = find_any(
        doc,
        [
            Pattern.of("say decide go", decision, gap=2, negatable=0),
            Pattern.of(decision, negatable=0),
            Pattern.of("not", "worth priority", gap=2, negatable=0),
            Pattern.of("turn shoot shot push", "down back", gap=2, negatable=0),
            Pattern.of("go decide", "different another other", "way direction route", gap=2),
            Pattern.of("say decide think feel", "not", gap=4, negatable=0),
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


# "I tested it myself rather than trusting their QA": what follows is what they did not do.
CONTRASTS = [
    Pattern.of("rather", "than", gap=0, negatable=0),
    Pattern.of("instead", "of", gap=0, negatable=0),
]


def _after_contrast(doc: Document, k: int, reach: int = 3) -> bool:
    sentence = doc.tokens[k].sentence
    return any(
        k - reach <= h.last < k and doc.tokens[h.last].sentence == sentence
        for h in find_any(doc, CONTRASTS)
    )


def _near(doc: Document, k: int, reach: int) -> list[Token]:
    """The tokens of ``k``'s sentence within ``reach`` either side of it."""
    sentence = doc.tokens[k].sentence
    return [t for t in doc.tokens[max(0, k - reach) : k + reach + 1] if t.sentence == sentence]


def detect_no_personal_verification(doc: Document) -> Detection | None:
    rely = "trust assume rely expect count leave figure hope"
    check = CHECKS
    checks = slot(check)
    relied = [
        h
        for h in _by_subject(doc, rely, frozenset({"i"}))
        # "...and trusted them to test it": the subject is carried from further back.
        if any(fills(t, slot(OTHERS + " qa")) for t in doc.tokens[h.first + 1 : h.first + 4])
        and any(fills(t, checks) for t in doc.tokens[h.first + 1 : h.first + 7])
    ]
    # "I figured whoever was on call would test it": the check is someone else's verb.
    relied += [
        Hit(h.first, j)
        for h in _by_subject(doc, rely, frozenset({"i"}))
        for j in range(h.first + 1, min(len(doc.tokens), h.first + 9))
        if doc.tokens[j].sentence == doc.tokens[h.first].sentence
        and fills(doc.tokens[j], checks)
        and _used_as_verb(doc, j)
        and doc.subject_of(j) not in (None, "i")
        and (doc.subject_index(j) or 0) > h.first
    ]
    # "I wrote the fix and left the testing to their QA", "testing, I left that to QA":
    # the check handed over as work.
    relied += [
        Hit(h.first, h.first + 2)
        for h in _by_subject(doc, "leave hand pass delegate outsource", frozenset({"i"}))
        if any(fills(t, checks) for t in _near(doc, h.first, 5))
    ]
    # "Their QA did all the testing" -- and nowhere does the candidate check anything.
    # Only the words themselves here, not sound-alikes: "decided" sounds like "tested".
    said = [k for k, t in enumerate(doc.tokens) if t.norm in checks or t.lemmas & checks]
    theirs = [k for k in said if doc.subject_of(k) in ("other", "they", "he", "she")]
    mine = [k for k in said if doc.subject_of(k) == "i"]
    if theirs and not mine:
        relied.append(Hit(theirs[0], _clause_end(doc, theirs[0], 3)))
    # "I asked their QA folks to confirm it and run the tests"
    relied += find_any(
        doc, [Pattern.of(ME, "ask get have let", OTHERS + " qa folks", "to", check, gap=3)]
    )
    relied = [h for h in relied if not _after_contrast(doc, h.first)]
    hits = relied + find_any(
        doc,
        [
            Pattern.of(ME, rely, OTHERS + " qa it testing", check, gap=4),
            Pattern.of(ME, "leave", "the", "testing verification", gap=2),
            Pattern.of(ME, "not", "test verify check", gap=3, negatable=0),
            Pattern.of(ME, "leave", "verification testing", gap=3),
        ],
    )
    return _first_hit(doc, hits)
