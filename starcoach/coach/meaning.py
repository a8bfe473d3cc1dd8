"""A key phrase heard by its meaning: its ideas said within one clause, in any order.

The surface matcher (phrases.py) finds a phrase said nearly as written. Candidates rarely
say it so: "I went ahead and pulled the logs", "I fully committed", "no one had asked me",
"we got back roughly eight thousand dollars every week", "their team adopted my alerting
pattern as the standard". Here a phrase becomes a few *needs* -- its content words (each
with its lemmas and its thesaurus group, lexicon.py), its numbers (exact values, in order)
and units, its possessive ("my" or "our", never "their") -- and a match is one token per
need inside one sentence, close together, whatever stands between them.

What changes the meaning still blocks a match, as a bar raiser would hear it:
- the subject: an "I ..." phrase needs the candidate as the actor of its verb
  (Document.subject_of: "we pulled", "the team added" are not "I pulled", "I added"; a
  subject carried through "I analyzed the logs and traced it" is still "I");
- polarity: a negated phrase ("not my team", "nobody had asked") needs a negation before
  its ideas, and a plain one must not have one ("I didn't roll it back");
- numbers and units are exact: 0.1% is not 0.3%, $800 is not $8K, 80 ms is not 800 ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from lemminflect import getAllLemmas

from starcoach.coach.document import Document
from starcoach.coach.lexicon import IGNORABLE, LIGHT, concepts_of, same_root, two_word_concepts
from starcoach.coach.similarity import token_similarity
from starcoach.coach.text import CLAUSE_NEGATIONS, NEGATIONS, Token, lemmas_of

# How far apart (in tokens) the ideas of a phrase may be said: room for light verbs,
# modifiers and a short aside, not for a second clause about something else.
BASE_SPAN = 4
SPAN_PER_NEED = 3
# A negation this close before the first idea (or between the subject and the verb)
# sets the polarity: "there was no ticket", "I didn't roll it back".
NEGATION_REACH = 4
# Out of order and with words between, a near-miss spelling is weaker evidence than in the
# surface matcher: "tracked" is not "ticket" here (a sound-alike only counts when it is
# very close, as tiny.en's "webbook" is to "webhook").
MIN_LOOSE_SIMILARITY = 0.85

LIGHT_VERBS = frozenset({"take", "make", "have", "give", "do", "get"})
_MINE = frozenset({"my", "our", "mine", "ours"})
_STANDALONE = frozenset({"mine", "ours", "theirs", "hers", "his"})
_THEIRS = frozenset({"their", "his", "her", "theirs"})
# "The p99 went down" is said of a thing: only these phrase subjects bind a verb.
_PERSON_SUBJECTS = frozenset({"i", "we"})
_RATE = frozenset({"rate", "rates", "ratio", "share"})


@dataclass(frozen=True)
class _Need:
    kind: str  # "word" | "number" | "unit" | "owner"
    token: Token
    concepts: frozenset[str]
    # A number's unit in the phrase ("7 hours"): said in another unit of time it must be
    # the same amount ("seven hours" = "420 minutes", never "7 minutes").
    unit: str | None = None
    # A need the candidate may leave unsaid: "$" in "$8K per week" ("eight thousand a week").
    optional: bool = False
    # A unit said right after a number ("7 hours"), whose amount the number need checks.
    of_number: bool = False


@dataclass(frozen=True)
class ConceptMatch:
    first_token: int
    last_token: int


@lru_cache(maxsize=50_000)
def _concepts(norm: str) -> frozenset[str]:
    """A word's thesaurus concepts, from its form and lemmas (cached by form: the analysis
    of a 90 s answer asks this some ten thousand times)."""
    return concepts_of(frozenset({norm}) | lemmas_of(norm))


_SECONDS = {
    "unit:millisecond": 0.001,
    "unit:second": 1.0,
    "unit:minute": 60.0,
    "unit:hour": 3600.0,
    "unit:day": 86400.0,
    "unit:week": 604800.0,
}


def _same_amount(said: Token, said_unit: str, want: Token, want_unit: str) -> bool:
    a, b = _SECONDS.get(said_unit), _SECONDS.get(want_unit)
    if a is None or b is None:
        return False
    return math.isclose(float(said.norm) * a, float(want.norm) * b, rel_tol=1e-6)


def _unit_of(token: Token) -> str | None:
    for concept in _concepts(token.norm):
        if concept.startswith("unit:"):
            return concept
    return None


# Verbs of many senses: said for a key phrase's verb, they need its object to tell which
# ("I kept a regular check-in going" maintains communication; "I kept refreshing" does not).
BROAD_VERBS = frozenset(
    "keep put set get make do take go run send file open raise build move shift pass clear "
    "stop kill find hold carry push".split()
)
CONTEXT_WORDS = 3
CONTEXT_REACH = 6


def context_of(tokens: list[Token], example: str) -> frozenset[str]:
    """What a bare "I <verb>" phrase acts on, from the step's example: "I maintained" in
    "I maintained regular communication with their team" acts on "regular communication".
    A candidate who says the verb in other words ("I kept ...") must name that too, or the
    other word may mean something else ("I kept refreshing the page")."""
    if len(tokens) != 2 or tokens[0].norm not in _PERSON_SUBJECTS or not example:
        return frozenset()
    from starcoach.coach.text import tokenize_text

    said = tokenize_text(example)
    verb = tokens[1].lemmas | {tokens[1].norm}
    # "I committed fully by writing the retry logic": the verb, wherever the example says it
    for k, token in enumerate(said):
        if not ((token.lemmas | {token.norm}) & verb):
            continue
        found: set[str] = set()
        words = 0
        for t in said[k + 1 : k + 1 + CONTEXT_REACH]:
            if t.sentence != token.sentence or words == CONTEXT_WORDS:
                break
            if t.is_function or t.is_pronoun or t.is_number or t.norm in IGNORABLE:
                continue
            words += 1
            found |= t.lemmas | {t.norm} | _concepts(t.norm)
        return frozenset(found)
    return frozenset()


class ConceptPhrase:
    """One key phrase as needs; build once, call ``find`` per transcript."""

    def __init__(self, tokens: list[Token], context: frozenset[str] = frozenset()) -> None:
        self.context = context
        self.subject = tokens[0].norm if tokens and tokens[0].norm in _PERSON_SUBJECTS else None
        self.negated = any(t.norm in NEGATIONS for t in tokens)
        self.clause = self.subject is not None or starts_with_verb(tokens)
        needs: list[_Need] = []
        seen: set[tuple[str, str]] = set()
        for index, token in enumerate(tokens):
            if index == 0 and self.subject is not None:
                continue
            need = self._need(token)
            if need is None:
                continue
            if need.kind == "number" and index + 1 < len(tokens):
                need = replace(need, unit=_unit_of(tokens[index + 1]))
            if need.kind == "unit" and "unit:dollar" in need.concepts:
                need = replace(need, optional=True)
            if need.kind == "unit" and index > 0 and tokens[index - 1].is_number:
                need = replace(need, of_number=True)
            key = (need.kind, token.norm if need.kind != "unit" else min(need.concepts))
            if key in seen and need.kind != "number":
                continue
            seen.add(key)
            needs.append(need)
        # "took ownership": the light verb carries no idea of its own; the noun does ("I owned
        # it anyway"); nor does it after the thing it is said of ("the job took 7 hours" = "ran
        # for seven hours").
        words = [i for i, n in enumerate(needs) if n.kind == "word"]
        if len(words) >= 2 and needs[words[0]].token.lemmas & LIGHT_VERBS:
            needs = [n for i, n in enumerate(needs) if i != words[0]]
        elif self.subject is None and len(words) >= 3:
            light = [i for i in words[1:] if needs[i].token.lemmas & LIGHT_VERBS]
            needs = [n for i, n in enumerate(needs) if i not in light]
        # "0.3% drop rate" said as "dropping point three percent": a percentage is a rate.
        if any(n.kind == "unit" and "unit:percent" in n.concepts for n in needs):
            needs = [n for n in needs if not (n.kind == "word" and n.token.norm in _RATE)]
        self.needs = needs
        # The verb the subject must govern: the first idea after it.
        self.head = (
            next((i for i, n in enumerate(needs) if n.kind == "word"), None)
            if self.subject
            else None
        )
        self.max_span = BASE_SPAN + SPAN_PER_NEED * len(needs)
        # Ideas a long phrase may leave unsaid: one in four of its words ("I respectfully
        # shared data-backed concerns" said without "backed").
        self.may_miss = sum(1 for n in needs if n.kind == "word") // 4
        # ...never the thing itself, which a phrase names last ("...reliability SLO").
        words = [i for i, n in enumerate(needs) if n.kind == "word"]
        self.last_word = words[-1] if words else None

    @staticmethod
    def _need(token: Token) -> _Need | None:
        norm = token.norm
        if norm in NEGATIONS and norm != "nobody":
            return None
        if norm == "nobody":
            # "nobody" = a negation (polarity) + a person: "no one", "not ... anyone".
            return None
        if norm in _MINE:
            return _Need("owner", token, _MINE)
        if norm in _THEIRS:
            return _Need("owner", token, _THEIRS)
        if token.is_number:
            return _Need("number", token, frozenset())
        unit = _unit_of(token)
        if unit is not None and norm not in IGNORABLE:
            return _Need("unit", token, frozenset({unit}))
        if token.is_function or norm in IGNORABLE or token.is_filler or token.is_pronoun:
            return None
        if norm in LIGHT:
            return None
        return _Need("word", token, concepts_of(frozenset({norm}) | token.lemmas))

    def find(self, doc: Document) -> ConceptMatch | None:
        if not self.needs:
            return None
        best: ConceptMatch | None = None
        for sentence in doc.sentences:
            found = self._in_sentence(doc, sentence)
            if found is not None and (
                best is None
                or found.last_token - found.first_token < best.last_token - best.first_token
            ):
                best = found
        return best

    def _in_sentence(self, doc: Document, sentence: list[int]) -> ConceptMatch | None:
        tokens = doc.tokens
        places: list[list[tuple[int, int]]] = []
        missing = 0
        for i, need in enumerate(self.needs):
            spots = [
                (k, last)
                for k in sentence
                if (last := _fills(need, tokens, k, sentence[-1])) is not None
            ]
            if not spots and i > 0 and self.needs[i - 1].kind == "owner":
                # "not ours" says "not our team": a pronoun that stands for "my X".
                spots = [(k, k) for k, _ in places[i - 1] if tokens[k].norm in _STANDALONE]
            if not spots and need.optional:
                places.append([])
                continue
            if not spots:
                # A long phrase keeps its meaning with one of its ideas said another way;
                # never its verb, its last word, a number, a unit or whose it was.
                missing += 1
                if (
                    need.kind != "word"
                    or i in (self.head, self.last_word)
                    or missing > self.may_miss
                ):
                    return None
            places.append(spots)
        present = [i for i, spots in enumerate(places) if spots]
        anchor_need = self.head
        if anchor_need is None:
            anchor_need = min(present, key=lambda i: len(places[i]))
        for anchor, anchor_last in places[anchor_need]:
            chosen: list[tuple[int, int]] = []
            for i, spots in enumerate(places):
                if i == anchor_need:
                    chosen.append((anchor, anchor_last))
                elif spots:
                    chosen.append(min(spots, key=lambda s: abs(s[0] - anchor)))
            first = min(c[0] for c in chosen)
            last = max(c[1] for c in chosen)
            if last - first > self.max_span:
                continue
            if not self._numbers_in_order(chosen, present):
                continue
            if self.head is not None and doc.subject_of(anchor) != self.subject:
                continue
            if not self._polarity_holds(doc, anchor, first, last, {c[0] for c in chosen}):
                continue
            if self.subject is not None and not_done(doc, anchor):
                continue
            if self.context and not self._sense_confirmed(doc, anchor):
                continue
            if self.head is not None:
                # Heard as said: "I went ahead and pulled", from the subject on.
                subject = doc.subject_index(anchor)
                if subject is not None and first - subject <= self.max_span:
                    first = min(first, subject)
            return ConceptMatch(first, last)
        return None

    def _sense_confirmed(self, doc: Document, anchor: int) -> bool:
        """The verb said as written needs nothing more; said in other words ("kept" for
        "maintained"), what it acts on must be the example's ("a regular check-in")."""
        head = self.needs[self.head].token if self.head is not None else None
        said = doc.tokens[anchor]
        if head is None or said.lemmas & head.lemmas or same_root(head.norm, said.norm):
            return True
        if not (said.lemmas | {said.norm}) & BROAD_VERBS:
            return True
        sentence = said.sentence
        for t in doc.tokens[anchor + 1 : anchor + 1 + CONTEXT_REACH]:
            if t.sentence != sentence:
                break
            if (t.lemmas | {t.norm} | _concepts(t.norm)) & self.context:
                return True
        return False

    def _numbers_in_order(self, chosen: list[tuple[int, int]], present: list[int]) -> bool:
        positions = [
            c[0] for c, i in zip(chosen, present, strict=True) if self.needs[i].kind == "number"
        ]
        return positions == sorted(positions)

    def _polarity_holds(
        self, doc: Document, anchor: int, first: int, last: int, used: set[int]
    ) -> bool:
        """``used``: tokens that said one of the phrase's ideas ("no" for "zero shared
        visibility", "wasn't any" for "lack of"); they are not a denial."""
        tokens = doc.tokens
        sentence = tokens[first].sentence
        lo = first - NEGATION_REACH
        subject: int | None = None
        if self.subject is not None and self.head is not None:
            subject = doc.subject_index(anchor)
            if subject is not None:
                lo = min(lo, subject + 1)
        negations = [
            j
            for j in range(max(0, lo), last + 1)
            if tokens[j].sentence == sentence
            and _negates(tokens, j)
            and j not in used
            # between the subject and its verb a denial always counts ("I didn't, honestly,
            # pull"); before them a comma ends its clause ("it wasn't theirs, it was ours")
            and not (
                j < first and (subject is None or j < subject) and _clause_break(doc, j, first)
            )
        ]
        if not self.negated and self.subject is None:
            # "there was no shared SLO", "nobody had cross-team visibility" name the idea by
            # its absence; before a verb ("nobody adopted my pattern") a negation denies it.
            negations = [
                j
                for j in negations
                if j >= first or (self.clause and tokens[j].norm in CLAUSE_NEGATIONS)
            ]
        return bool(negations) == self.negated


# What turns an action into one that was not done: tried, meant, planned, offered or was
# going to do it; would, should or could have; will do it next time. ("Managed to", "was
# able to" and "went ahead and" report it done, and are not here.)
_NOT_DONE_VERBS = frozenset(
    "try attempt plan mean intend want hope offer aim wish expect gonna wanna".split()
)
_NOT_DONE_MODALS = frozenset("would should could might will shall".split())
NOT_DONE_REACH = 4


def intends(token: Token) -> bool:
    """Is this word one of trying or meaning to ("tried", "planned", "wanted")?"""
    return bool(token.lemmas & _NOT_DONE_VERBS) or token.norm in _NOT_DONE_VERBS


def not_done(doc: Document, verb: int) -> bool:
    """Is the action at token ``verb`` only attempted, intended or hypothetical ("I tried to
    reproduce it", "I was going to add an alert", "I'd planned to pull", "I should have
    tested")? Looks back from the verb to its subject, a few words at most."""
    tokens = doc.tokens
    sentence = tokens[verb].sentence
    subject = doc.subject_index(verb)
    lo = max(0, verb - NOT_DONE_REACH, (subject + 1) if subject is not None else 0)
    for j in range(verb - 1, lo - 1, -1):
        token = tokens[j]
        if token.sentence != sentence:
            break
        if intends(token):
            return True
        if token.norm in _NOT_DONE_MODALS:
            return True
        # "going to", "about to", "supposed to"
        if token.norm == "to" and j > 0 and tokens[j - 1].norm in ("going", "about", "supposed"):
            return True
    return False


def _clause_break(doc: Document, j: int, first: int) -> bool:
    """A comma or semicolon said between tokens ``j`` and ``first``: "it wasn't theirs, it
    was ours" -- the denial stays in its own clause."""
    words = doc.words
    return any(
        words[w].text.rstrip().endswith((",", ";", ":", "—", "-"))
        for w in range(doc.tokens[j].last, doc.tokens[first].first)
    )


def starts_with_verb(tokens: list[Token]) -> bool:
    """Does the phrase state an action ("adopted my pattern", "recovered $8K") rather than
    name a thing ("cross-team visibility", "persistent drop rate")?"""
    if not tokens:
        return False
    pos = getAllLemmas(tokens[0].norm)
    return "VERB" in pos and "NOUN" not in pos and "ADJ" not in pos


def _negates(tokens: list[Token], j: int) -> bool:
    norm = tokens[j].norm
    if norm not in NEGATIONS:
        return False
    # "no sorry", "not only ... but": a negation that governs nothing here.
    nxt = tokens[j + 1].norm if j + 1 < len(tokens) else ""
    return not (norm == "not" and nxt == "only")


def _fills(need: _Need, tokens: list[Token], k: int, sentence_end: int) -> int | None:
    """The last token index used when ``tokens[k]`` (maybe with the next) fills ``need``."""
    token = tokens[k]
    if need.kind == "number":
        if token.is_number:
            said_unit = _unit_of(tokens[k + 1]) if k < sentence_end else None
            if need.unit and said_unit and said_unit != need.unit:
                # the same amount in another unit of the same kind, or not at all
                return k if _same_amount(token, said_unit, need.token, need.unit) else None
            if float(token.norm) == float(need.token.norm):
                return k
        # "within a quarter", "under an hour", "a single region": one, said as "a"
        if float(need.token.norm) == 1 and token.norm in ("a", "an", "single"):
            return k
        # "zero shared visibility" = "no shared visibility"
        if float(need.token.norm) == 0 and token.norm in ("no", "none", "nothing"):
            return k
        return None
    if need.kind == "unit":
        unit = _unit_of(token)
        if unit in need.concepts:
            return k
        # "an hour and a half" for "90 minutes": any unit of time, its number checked above
        wanted = next(iter(need.concepts))
        if not need.of_number or unit is None or k == 0 or not tokens[k - 1].is_number:
            return None
        return k if _SECONDS.get(unit) and _SECONDS.get(wanted) else None
    if need.kind == "owner":
        return k if token.norm in need.concepts else None
    if token.is_number or token.is_pronoun:
        return None
    if token_similarity(need.token, token) >= MIN_LOOSE_SIMILARITY:
        return k
    if need.concepts and _concepts(token.norm) & need.concepts:
        return k
    if "absence" in need.concepts and token.norm in NEGATIONS:
        return k  # "lack of a shared SLO" = "no shared SLO" = "there wasn't any shared SLO"
    if same_root(need.token.norm, token.norm):
        return k
    if k < sentence_end:
        nxt = tokens[k + 1]
        if two_word_concepts(token.lemmas | {token.norm}, nxt.norm) & need.concepts:
            return k + 1
        # "web hook" for "webhook", "dead letter" for "deadletter".
        if (
            len(need.token.norm) >= 5
            and token_similarity(need.token, Token(token.norm + nxt.norm, frozenset(), 0, 0, 0))
            > MIN_LOOSE_SIMILARITY
        ):
            return k + 1
    return None
