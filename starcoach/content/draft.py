"""Story builder core (Qt-free): a story draft from the user's prose or bullet notes.

The draft proposes what a coach would: the split into Situation, Task, Action, Result and
Reflection; each step's key phrases (every number with its unit and the before -> after metric
in the Result, each first-person action in the Action, the scope boundary where the story has
one, the specific insight in the Reflection); and the principles the story fits. It is data
in the documented walkthrough format (``kind: story``), for the user to edit before saving.

How the split works: every sentence gets a score per step from cue words and its place in
the story, and the best split that keeps the steps in STAR order wins (a small dynamic
programme). Labels the user wrote ("Situation:", "R -") are obeyed as they are.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from lemminflect import getAllLemmas, getInflection

from starcoach.content.authoring import DEFAULT_TARGETS, slugify
from starcoach.content.models import STEP_ORDER, StepName

MAX_PHRASES = {"situation": 3, "task": 4, "reflection": 2}

# -- sentences ---------------------------------------------------------------------------------

_LABELS: dict[str, StepName] = {
    "situation": "situation",
    "context": "situation",
    "background": "situation",
    "s": "situation",
    "task": "task",
    "goal": "task",
    "t": "task",
    "action": "action",
    "actions": "action",
    "what i did": "action",
    "a": "action",
    "result": "result",
    "results": "result",
    "outcome": "result",
    "impact": "result",
    "r": "result",
    "reflection": "reflection",
    "learning": "reflection",
    "learnings": "reflection",
    "lesson": "reflection",
    "lessons": "reflection",
    "lessons learned": "reflection",
    "what i learned": "reflection",
    "l": "reflection",
}
_LABEL_RE = re.compile(
    r"^\s*(?:#+\s*)?\**(?P<label>"
    + "|".join(sorted(map(re.escape, _LABELS), key=len)[::-1])
    + r")\**\s*(?:[:\-–—)]\s*|$)",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^\s*(?:[-*•·‣◦]|\d+[.)])\s+")
# A sentence ends at . ! ? followed by space and a capital / digit / quote, never inside a
# number ("2.5") or after a short abbreviation ("e.g.").
_SENTENCE_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Dr.", "Mr.", "Ms.", "No.")


@dataclass(frozen=True)
class Sentence:
    text: str
    label: StepName | None = None
    """The step the user labelled it with, if any."""


def sentences_of(notes: str) -> list[Sentence]:
    """Sentences (a bullet is at least one) in order, with the labels the user wrote."""
    out: list[Sentence] = []
    label: StepName | None = None
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.extend(Sentence(s, label) for s in _split_sentences(" ".join(paragraph)))
            paragraph.clear()

    for raw in notes.replace("\r\n", "\n").split("\n"):
        line = _LOWER_I_RE.sub("I", raw.strip())
        if not line:
            flush()
            continue
        bullet = bool(_BULLET_RE.match(line))
        line = _BULLET_RE.sub("", line)
        match = _LABEL_RE.match(line)
        if match and (match.end() < len(line) or len(line) <= 25):
            rest = line[match.end() :].strip()
            separated = rest != line[len(match.group("label")) :].strip()
            # A label is a heading or has its separator ("S: ..."); "A customer ..." is not.
            if separated or (not rest and len(match.group("label")) > 1):
                flush()
                label = _LABELS[match.group("label").lower()]
                line = rest
                if not line:
                    continue
        if bullet:
            flush()
            paragraph.append(line)
            flush()
            continue
        paragraph.append(line)
    flush()
    return [s for s in out if re.search(r"[A-Za-z0-9]", s.text)]


_LOWER_I_RE = re.compile(r"(?<![\w'’-])i(?=(?:['’](?:m|ve|d|ll))?(?:\s|$|[,.;:!?]))")
# Where a run-on sentence turns to a new clause of the story: a comma or "and/so/then"
# before "I", "my goal", "in the end", "as a result" ...
_RUN_ON_RE = re.compile(
    r"(?:,\s*|\s+)(?:and\s+|so\s+|but\s+)?(?:then\s+)?"
    r"(?=(?:I|my goal|my task|the goal|first(?:,)? I|then I|after that|in the end|"
    r"as a result|finally|looking back|in hindsight|now I|since then|the result)\b)"
    r"|\s*;\s*",
    re.IGNORECASE,
)
_RUN_ON_WORDS = 30


def _run_on_pieces(sentence: str) -> list[str]:
    """A long run-on sentence ("... and I profiled it, then I ..., in the end ...") cut where
    it turns to a new clause of the story; a piece keeps at least six words."""
    if len(sentence.split()) <= _RUN_ON_WORDS:
        return [sentence]
    pieces: list[str] = []
    start = 0
    for match in _RUN_ON_RE.finditer(sentence):
        head = sentence[start : match.start()].strip()
        if len(head.split()) >= 6 and len(sentence[match.end() :].split()) >= 6:
            pieces.append(head)
            start = match.end()
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def _split_sentences(text: str) -> list[str]:
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    parts = _SENTENCE_RE.split(protected)
    result = []
    for part in parts:
        for i, abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x00{i}\x00", abbr)
        part = part.strip()
        if part:
            result.extend(_run_on_pieces(part))
    return result


# -- cues for the split ----------------------------------------------------------------------


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


_SCOPE_RE = _cues(
    r"not (?:my|our) (?:team|job|area|service|code|project|responsibility|problem|remit)",
    r"not (?:from|in|on|part of|owned by) (?:my|our) team",
    r"(?:nobody|no one|no-one) (?:is|was) asking",
    r"nobody ask(?:s|ed)? (?:me|us)",
    r"(?:wasn't|was not|isn't|is not) (?:from|in|on|part of) (?:my|our) team",
    r"(?:belong(?:ed|s)? to|owned by) (?:another|a different|the other|other) team",
    r"(?:wasn't|was not|isn't|is not) (?:my|our) (?:team|job|area|service|code|project|"
    r"responsibility|problem|remit|call)",
    r"(?:no|without a|without any) (?:ticket|mandate|one asked|one owned)",
    r"nobody (?:asked|owned|had asked|assigned|was assigned|was looking)",
    r"no one (?:asked|owned|had asked|assigned|was looking)",
    r"outside (?:my|our) (?:team|scope|area|remit|role|responsibilit(?:y|ies))",
    r"(?:owned|run|maintained) by (?:another|a different|the other) team",
    r"another team's",
    r"on my own time",
    r"nobody's job",
    r"not assigned to (?:me|us)",
)
_SITUATION_RE = _cues(
    r"as an? ",
    r"i was (?:working|on|part|an?|the|one)",
    r"(?:our|the) team",
    r"(?:was|were) (?:failing|slow|broken|down|timing out|dropping|missing|losing)",
    r"we had",
    r"there (?:was|were)",
    r"problem",
    r"issue",
    r"outage",
    r"complain(?:ed|ts?)",
    r"customers? (?:were|was|had)",
    r"at the time",
    r"last (?:year|quarter|summer|spring|winter|fall)",
    r"i noticed",
    r"i joined",
)
_TASK_RE = _cues(
    r"my (?:goal|task|job|aim|responsibility)",
    r"(?:i|we) (?:needed|had|wanted|decided|set out) to",
    r"i was (?:asked|responsible|tasked|expected)",
    r"the goal",
    r"deadline",
    r"had to (?:be|get|ship|deliver|fix|find|make)",
    r"it was up to me",
    r"i (?:took|owned) (?:it|this|that) on",
    r"i owned (?:the|this|that|our|its)",
    r"i (?:wanted|needed|aimed)",
    r"i took on",
    r"set (?:a|the|myself a|myself the) (?:goal|target)",
    r"(?:was|were) mine",
    r"i was the \w+ (?:lead|owner)",
    r"i volunteered",
    r"i decide(?:d)? to (?:help|own|fix|take|look|dig|step)",
)
_ACTION_RE = _cues(
    r"(?:first|then|next|so|after that|finally),? i",
    r"i (?:also|then|personally|first) \w+",
    r"i (?:wrote|built|added|profiled|measured|ran|created|set up|pulled|fixed|designed|"
    r"proposed|met|called|asked|reviewed|tested|migrated|rewrote|automated|analy[sz]ed|"
    r"traced|deployed|shipped|scheduled|drafted|presented|paired|changed|moved|split|"
    r"replaced|reached out|talked|walked|showed|instrumented|benchmarked|prototyped)",
)
_RESULT_RE = _cues(
    r"as a result",
    r"(?:went|dropped|fell|rose|grew|improved|increased|decreased|reduced|cut|saved|down|up)"
    r"(?: from| to| by)?",
    r"result(?:ed|s)?",
    r"in the end",
    r"outcome",
    r"since then,? (?:we|the|it|there)",
    r"zero",
    r"no more",
    r"launched",
    r"shipped on time",
)
_REFLECTION_RE = _cues(
    r"i learn(?:ed|t)",
    r"(?:taught|showed) me",
    r"lesson",
    r"looking back",
    r"in hindsight",
    r"next time",
    r"i would (?:have|now)",
    r"(?:now|today|since then),? i (?:always|now|make|check|start|ask|try)",
    r"i now",
    r"i realized",
    r"what i took away",
    r"i(?:'ve| have) (?:since|learned)",
    r"if i did it again",
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    "forty|fifty|sixty|hundred|hundreds|thousand|thousands|million|millions|half|dozen|"
    "dozens|a few"
)
_UNITS = (
    r"%|percent|per ?cent|x|times|ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|"
    r"h|days?|weeks?|months?|quarters?|years?|k|m|bn|billion|million|thousand|"
    r"users?|customers?|requests?|calls?|queries|errors?|incidents?|tickets?|pages?|alerts?|"
    r"deploys?|deployments?|releases?|engineers?|people|teams?|services?|steps?|orders?|"
    r"transactions?|items?|lines?|tests?|bugs?|clicks?|sessions?|points?|pp|"
    r"percentage points?|gb|mb|tb|kb|dollars?|usd|eur|euros?|rps|qps|sales|signups?|"
    r"builds?|jobs?|files?|records?|rows?|servers?|hosts?|nodes?|machines?|instances?|"
    r"regions?|countries|stores?|markets?|accounts?|devices?|messages?|emails?|"
    r"\w+ per (?:second|minute|hour|day|week|month)"
)
# "$8K", "35%", "1,200 requests", "2.5 hours", "three weeks", "p99 of 800 ms".
_NUMBER_RE = re.compile(
    r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?\s?(?:[kKmMbB]n?\b|million|billion|thousand)?"
    r"|\b\d[\d,]*(?:\.\d+)?(?:(?:\s[a-z][a-z-]*)?\s?(?:" + _UNITS + r")\b|%)?"
    r"|\b(?:" + _NUMBER_WORDS + r")\s(?:" + _UNITS + r")\b)"
    r"(?:\s(?:a|per)\s(?:second|minute|hour|day|week|month|year|request|user|release))?",
    re.IGNORECASE,
)
_FROM_TO_RE = re.compile(
    r"\b(?:from|down from|up from)\s+(?P<a>[$€£]?[\w.,%$]+(?:\s[\w%]+){0,3}?)\s+"
    r"(?:to|down to|up to|->|→)\s+(?P<b>[$€£]?[\w.,%$]+(?:\s(?!and\b|which\b|in\b|by\b|"
    r"after\b|so\b|within\b|over\b|across\b|at\b|on\b|for\b|during\b|with\b|the\b|"
    r"last\b|this\b)[\w%]+){0,2})",
    re.IGNORECASE,
)
_ARROW_RE = re.compile(
    r"(?P<a>[$€£]?\d[\w.,%]*(?:\s[a-z%]+)?)\s*(?:->|→|=>)\s*(?P<b>[$€£]?\d[\w.,%]*(?:\s[a-z%]+)?)",
    re.IGNORECASE,
)

# -- first-person actions ----------------------------------------------------------------------

_I_RE = re.compile(r"\bI\s+(?P<rest>(?:(?!\bI\b)[^.;:!?()\n])+)")
_NOT_ACTIONS = frozenset(
    """am was were be been being had have has 'm 'd 'll 've would could should might must
    can will shall did do does didn't don't wasn't couldn't wouldn't never not also felt feel
    think thought knew know believe believed guess hoped hope wanted want needed need wish
    wished learned learnt realized realised understood understand saw noticed found
    remember liked like love loved got get kept keep became""".split()
)
# Verbs after "I" that still begin a real action ("I noticed", "I found") are allowed in
# Situation phrases, not counted as Action steps unless the sentence is in the Action.
_ACTION_OK_IN_ACTION = frozenset({"found", "kept", "got", "noticed", "saw"})
_ADVERBS = frozenset(
    """also then first next finally personally quickly immediately still just even
    eventually initially later again carefully manually""".split()
)
_STOP_WORDS = frozenset(
    """and but so because which that when while before after then until since who where
    although though if or as once""".split()
)
_TRIM_TAIL = frozenset(
    """the a an for of to in on with at by from into about my our their his her its this
    that these those some any each every all it's very through up down out over""".split()
)
_MAX_ACTION_OBJECT_WORDS = 6
_PREPOSITIONS = frozenset(
    "with on in for from at by behind into onto across over under via using during".split()
)


def _is_verb(word: str) -> bool:
    lemmas = getAllLemmas(word.lower())
    return "VERB" in lemmas or "AUX" in lemmas


def _is_past(word: str) -> bool:
    """A past-tense verb ("found", "added"): it carries the sentence's "I" on after "and"."""
    lemmas = getAllLemmas(word.lower()).get("VERB", ())
    return bool(lemmas) and (
        word.lower().endswith("ed") or any(lemma != word.lower() for lemma in lemmas)
    )


def _is_past_form(word: str) -> bool:
    """A past tense or past participle ("dropped", "went", "shut"), not an -s form."""
    bare = word.lower()
    for lemma in getAllLemmas(bare).get("VERB", ()):
        forms = {*getInflection(lemma, tag="VBD"), *getInflection(lemma, tag="VBN")}
        if bare in forms:
            return True
    return False


def _purpose(words: list[str]) -> bool:
    """ "to see", "to go through the logs", "to test": a purpose, not where the action went
    ("to spot instances", "to cold storage")."""
    if not words:
        return False
    verb = _bare(words[0])
    lemmas = getAllLemmas(verb).get("VERB", ())
    if verb not in lemmas:
        return False  # not a base form
    after = _bare(words[1]) if len(words) > 1 else ""
    return (
        not after
        or after in _DETERMINERS | _CLAUSE_PREPOSITIONS | _SUBJECT_PRONOUNS
        or after in {"them", "him", "her", "me", "us", "what", "why", "how", "if", "whether"}
        or after.endswith("ly")
        or after in _PARTICLES
    )


_INDEFINITES = frozenset(
    "them him her me everything everyone everybody anything anyone something someone all".split()
)


def _short_complement(words: list[str]) -> list[str]:
    """A preposition's short complement that belongs to the action: one bare word ("in
    parallel", "by owner", "row by row") or a number ("with 200 bots", "at 1%")."""
    if len(words) < 2:
        return []
    prep, rest = words[0], [w.strip('"“”,.') for w in words[1:4]]
    if _bare(prep) in {"every", "for", "over", "during", "from", "within"}:
        return []  # "for two weeks": how long, not what
    first = _bare(rest[0])
    if first in _DETERMINERS | _SUBJECT_PRONOUNS or first in _INDEFINITES:
        return []
    if _NUMBER_RE.match(rest[0]) or first in _NUMBER_WORDS.split("|"):
        number = _NUMBER_RE.match(" ".join(rest))
        size = len(number.group(0).split()) if number else 1
        if (
            number
            and _UNIT_END_RE.search(number.group(0))
            and re.search(r"(?:second|minute|hour|day|week|month|year)s?$", number.group(0))
        ):
            return []  # "in two days": when, not what
        if size == 1 and len(rest) > 2 and _bare(rest[1]) == "of":
            size = 3  # "on 5% of traffic"
        elif size == 1 and len(rest) > 1 and _bare(rest[1]) not in _STOP_WORDS | _PREPOSITIONS:
            size = 2  # "into two banks"
        return [prep, *rest[:size]]
    if _bare(prep) == "with":
        return []  # "with async-profiler": the tool, not the action
    ends = words[1].endswith((",", ";", ".")) or len(words) == 2
    nxt = _bare(words[2]) if len(words) > 2 else ""
    if ends or nxt in _STOP_WORDS | _PREPOSITIONS | {"i", "first", "myself", "and", "to"}:
        if first in _TRIM_TAIL:
            return []
        extra = [rest[1]] if nxt in {"first", "myself"} else []
        return [prep, rest[0], *extra]
    return []


def first_person_actions(sentence: str, *, in_action: bool = True) -> list[str]:
    """Each "I <verb> <object>" clause, trimmed as a coach would chip it:
    "Then I profiled the endpoint and found an N+1 query" -> ["I profiled the endpoint",
    "I found an N+1 query"] (the second because "and" carries the "I" on)."""
    found: list[str] = []
    for match in _I_RE.finditer(sentence):
        rest = match.group("rest")
        clauses = re.split(
            r",\s*(?:and\s+|then\s+)?|\s+(?:and|then)\s+|"
            r"(?<!days)(?<!weeks)(?<!hours)(?<!minutes)(?<!months)\s+(?:before|after)\s+",
            rest,
        )
        for index, clause in enumerate(clauses):
            words = clause.split()
            while words and words[0].lower() in _ADVERBS:
                words = words[1:]
            if not words:
                continue
            verb = words[0].lower().strip("\"'“”")
            if verb in _NOT_ACTIONS and not (in_action and verb in _ACTION_OK_IN_ACTION):
                if index == 0:
                    break  # "I was ...": no action here, nor in what it carries on
                continue
            if index > 0 and not _is_past_form(verb):
                continue  # "... and the team agreed", ", including ...": not my "I" carried on
            if not _is_verb(verb):
                if index == 0:
                    break
                continue
            obj: list[str] = []
            tail = words[1:]
            full = False
            for at, word in enumerate(tail):
                bare = word.lower().strip("\"'“”,")
                if not obj and bare == "that":
                    continue  # "I found that 80% were ...": the finding is the object
                if bare in {"before", "after"} and obj and _UNIT_END_RE.search(obj[-1]):
                    obj += [w.strip('"“”,.') for w in tail[at : at + 2]]
                    break  # "I added an alert thirty days before expiry"
                if bare in _STOP_WORDS or bare == "i":
                    break
                if len(obj) >= 2 and bare in _PREPOSITIONS | {"every"}:
                    short = _short_complement(tail[at:])
                    if short and len(obj) + len(short) <= _MAX_ACTION_OBJECT_WORDS + 1:
                        obj += short  # "with 200 bots", "in parallel", "by owner"
                    break  # "I added a cache | with a 5 minute TTL": the chip is the action
                if obj and bare == "to" and _purpose(tail[at + 1 :]):
                    break  # "I read 200 tickets | to see what failed"
                if len(obj) >= _MAX_ACTION_OBJECT_WORDS:
                    full = True
                    break
                obj.append(word.strip('"“”,'))
            if full:  # cut mid-phrase: back to before its last preposition
                cut = [
                    j
                    for j, w in enumerate(obj)
                    if j >= 2 and _bare(w) in _CLAUSE_PREPOSITIONS | {"to"}
                ]
                if cut:
                    obj = obj[: cut[-1]]
                if len(obj) >= 3 and _is_past_form(_bare(obj[-1])):
                    obj.pop()  # "five starter tasks | sized to ...": a participle's start
            while obj and (
                obj[-1].lower() in _TRIM_TAIL
                or obj[-1].endswith(("'s", "’s"))
                or (
                    re.fullmatch(r"[\d.,$%]+", obj[-1])
                    and not (len(obj) > 1 and _bare(obj[-2]) in _PREPOSITIONS)
                )
            ):
                obj.pop()
            phrase = " ".join(["I", words[0].strip('"“”,'), *obj])
            found.append(phrase)
    return found


# -- phrases per step ------------------------------------------------------------------------


def numbers_with_units(text: str) -> list[str]:
    """Every number as written, with its unit when it has one ("2.5 hours", "$8K", "35%")."""
    out = []
    for match in _NUMBER_RE.finditer(text):
        value = match.group(0).strip().rstrip(",.")
        if re.fullmatch(r"(?:19|20)\d\d", value):
            continue  # a year, not a metric
        if value.lower() in {"a few"}:
            continue
        out.append(value)
    return out


_CHANGE_RE = re.compile(
    r"\b(?P<verb>dropped|fell|went(?: back)?(?: up| down)?|rose|grew|climbed|shrank|improved|"
    r"increased|decreased|reduced|cut|came(?: back)?(?: down| up)?|doubled|halved|recovered)"
    r" (?P<prep>to|by)(?= )",
    re.IGNORECASE,
)


def before_after(text: str) -> list[str]:
    """ "from 12 seconds to 3 seconds", "2 hours -> 15 minutes": the metric's change."""
    out = []
    for match in _FROM_TO_RE.finditer(text):
        a, b = match.group("a"), match.group("b")
        if _has_number(a) and _has_number(b):
            out.append(match.group(0).strip().rstrip(",."))
    for match in _ARROW_RE.finditer(text):
        out.append(f"{match.group('a').strip()} to {match.group('b').strip()}")
    for match in _CHANGE_RE.finditer(text):
        number = _NUMBER_RE.match(text, match.end("verb") + 1 + len(match.group("prep")) + 1)
        if number:
            out.append(text[match.start() : number.end()].strip().rstrip(",."))
    return out


def _has_number(text: str) -> bool:
    """A figure in any form: "41", "forty a week", "zero", "none"."""
    return bool(_NUMBER_RE.search(text)) or any(
        _bare(w) in _NUMBER_WORDS.split("|") or _bare(w) in {"zero", "none", "nothing"}
        for w in text.split()
    )


def scope_boundary(text: str) -> list[str]:
    """ "not my team", "nobody asked", "no ticket": the boundary as said (without its
    "was")."""
    return [
        re.sub(r"^(?:wasn't|was not|isn't|is not)\s+", "not ", m.group(0), flags=re.I)
        if m.group(0).lower().startswith(("wasn't", "isn't", "was not", "is not"))
        else m.group(0)
        for m in _SCOPE_RE.finditer(text)
    ]


_INSIGHT_RE = re.compile(
    r"\b(?:i learn(?:ed|t)|taught me|showed me|the lesson (?:was|is)|i realized|"
    r"i now|now i|i(?:'ve| have) since|next time,? i(?:'ll| will)?|what i took away (?:was|is))"
    r"(?:\s+that)?[\s,:]+(?P<insight>[^.;!?]+)",
    re.IGNORECASE,
)


def insights(text: str) -> list[str]:
    """The specific lesson after "I learned (that)", trimmed to a sayable chip."""
    out = []
    for match in _INSIGHT_RE.finditer(text):
        words = match.group("insight").split()
        cut: list[str] = []
        for word in words:
            if cut and word.lower().strip(",") in {"because", "which", "so", "since", "but"}:
                break
            cut.append(word.strip(","))
            if len(cut) >= 12:
                break
        while cut and cut[-1].lower() in _TRIM_TAIL:
            cut.pop()
        if len(cut) >= 2:
            out.append(" ".join(cut))
    return out


# -- clause chips: a coach's short ideas -------------------------------------------------------
#
# A coach chips one idea per clause, said short: "Our Android app's cold start took 3.2
# seconds on a mid-range phone, and one-star reviews mentioned slowness again and again"
# -> "cold start took 3.2 seconds", "one-star reviews mentioned slowness". A clause is cut
# at punctuation and at the words that join clauses; its subject loses what qualifies it
# (possessors, determiners, a trailing "on main"), its verb group its auxiliaries, and its
# tail the circumstances after the idea is complete (a time, a place, a purpose).

_CLAUSE_BREAK_RE = re.compile(
    r"\s*(?:[;:()\[\]]|,(?=\s)|\s[-–—]+\s|—|–|\.(?=\s|$)|!|\?)\s*"
    r"|\s+(?=(?:and|but|so|because|which|while|whereas|although|though|until|unless|"
    r"that|when|whereby|yet)\s)"
    r"|\s+(?=(?:before|after|once|since) (?:i|we|they|he|she|it|the team)\b)",
    re.IGNORECASE,
)
_LEAD_INS = re.compile(
    r"^(?:(?:btw|by the way|side ?note|oh|fyi|basically|and|but|so|then|also|which|that|"
    r"because|while|whereas|although|though|until|"
    r"unless|when|where|yet|or|plus|mostly|mainly|about|around|roughly|approximately|"
    r"still|even|just|finally|eventually|overall|basically|actually|honestly|"
    r"as a result|in the end|in total|since then|after that|looking back|in hindsight|"
    r"the lesson (?:was|is|for me)|the takeaway (?:was|is)|what i took away (?:was|is)|"
    r"i (?:have )?learn(?:ed|t)|i realized|i realised|(?:this|it) taught me|"
    r"(?:this|it) showed me|i now|now i|now|today i|nowadays i|these days i|you have to|"
    r"you need to|we have to|one has to|my goal was|the goal was|my task was|my aim was|"
    r"my job was|i set myself the goal|i set a goal of|set a goal of|"
    r"(?:her|him|them|us|users|customers|everyone|people) to be able|be able|"
    r"i (?:wanted|needed|had|tried) to get|i (?:wanted|needed|had)|(?:to|of))\b[\s,]*)+",
    re.IGNORECASE,
)
_SUBJECT_PRONOUNS = frozenset("it we they he she you this these those there".split())
_DETERMINERS = frozenset("the a an our my their his her its your this that these those".split())
_AUX = frozenset(
    """was were is are am be been being had has have 'd 's did does do would could should
    will can might must""".split()
)
_NEGATED_AUX = frozenset(
    "couldn't can't didn't wasn't weren't won't hadn't isn't aren't doesn't don't".split()
)
_MODALS = frozenset("would could should might must can will shall may".split())
_COPULA_NEXT = frozenset("down up under over back off from to by nearly almost about".split())
_CLAUSE_PREPOSITIONS = frozenset(
    """at on in within across for during after over since via through among around near
    throughout per against despite into onto from about towards toward using behind with
    of between by""".split()
)
_MAX_CHIP_WORDS = 8
_UNIT_END_RE = re.compile(r"(?:%|\d|\b(?:" + _UNITS + r"))$", re.IGNORECASE)
_LOOSE_ADVERBS = frozenset(
    "anywhere everywhere again anymore silently really quite somewhere too".split()
)
_HEDGES = frozenset("often always usually sometimes only mostly also still just even".split())
_PARTICLES = frozenset("down up out off back over away".split())
_NEGATION_RE = re.compile(
    r"\b(?:no|not|never|nobody|nothing|none|zero|without|couldn't|can't|didn't|wasn't|"
    r"weren't|won't|isn't|aren't|hadn't|don't|doesn't|no one)\b",
    re.IGNORECASE,
)
_PROBLEM_RE = re.compile(
    r"\b(?:fail\w*|broke\w*|crash\w*|slow\w*|lost|los(?:e|ing)|drop\w*|dropp\w*|"
    r"complain\w*|blam\w*|stopped|doubled|tripled|bricked|expir\w*|error\w*|leak\w*|"
    r"mismatch\w*|stale|missing|miss\w*|outage\w*|flaky|timeout\w*|timing out|silenc\w*|"
    r"clash\w*|idle|wast\w*|disagree\w*|desync\w*|spik\w*|grew|grown|reached|crept|"
    r"exposed|risk\w*|manual\w*|late|delay\w*|stuck|block\w*|churn\w*|angry|frustrat\w*)\b",
    re.IGNORECASE,
)


def clauses(text: str) -> list[str]:
    """The text cut into clauses, each still as written (its joining word kept)."""
    out = []
    for part in _CLAUSE_BREAK_RE.split(text):
        if part and re.search(r"[A-Za-z0-9]", part):
            out.append(part.strip(" ,.;:"))
    return out


def _bare(word: str) -> str:
    return word.lower().strip("\"'“”‘’,.;:!?()")


def _is_number_word(word: str) -> bool:
    return (
        bool(_NUMBER_RE.fullmatch(word))
        or _bare(word) in _NUMBER_WORDS.split("|")
        or (_bare(word) in {"zero", "half", "all", "every", "none"})
    )


def _verb_index(words: list[str]) -> int | None:
    """Where the clause's verb group starts (an auxiliary, a past or -s form), if any."""
    finite = [
        i
        for i, w in enumerate(words)
        if _bare(w) in _AUX or _bare(w) in _NEGATED_AUX or (i > 0 and _is_past_form(_bare(w)))
    ]
    for i, word in enumerate(words):
        bare = _bare(word)
        if bare in _AUX or bare in _NEGATED_AUX:
            return i
        lemmas = getAllLemmas(bare)
        if "VERB" not in lemmas or bare.endswith("ing"):
            continue
        if i > 0 and _bare(words[i - 1]) == "i":
            return i
        nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
        if _is_past_form(bare):
            if i == 0 and any(j > 0 for j in finite):
                continue  # "exposed records went ...": an adjective
            return i
        if (
            i > 0
            and nxt
            and bare.endswith("s")
            and nxt not in _AUX
            and nxt not in _CLAUSE_PREPOSITIONS | {"of"}
            and "VERB" not in getAllLemmas(nxt)
        ):
            return i  # "complexity hides data loss"
        if nxt in {"the", "a", "an", "every", "our", "my"} and i > 0:
            return i  # "engineers re-run the builds"
        if (
            i > 0
            and (nxt in {"from", "up", "down", "back"} or _NUMBER_RE.match(nxt))
            and bare in lemmas["VERB"]
        ):
            return i  # "planning time go from 40 minutes" (a base form, as notes say it)
    return None


def _compress_subject(words: list[str]) -> list[str]:
    """ "Our Android app's cold start" -> "cold start"; "20% of builds on main" -> "20% of
    builds"; a pronoun subject is left out ("she had tried three times")."""
    words = [w for w in words if _bare(w) not in _ADVERBS | {"still", "already", "also"}]
    if not words:
        return words
    if len(words) == 1 and _bare(words[0]) in _SUBJECT_PRONOUNS:
        return []
    if (
        [_bare(w) for w in words[:2]] in (["most", "of"], ["all", "of"], ["much", "of"])
        and len(words) == 3
        and _bare(words[2]) in _SUBJECT_PRONOUNS
    ):
        return []  # "most of it was debug logs"
    numeric = next((i for i, w in enumerate(words) if _is_number_word(w)), None)
    cut: list[str] = []
    for i, word in enumerate(words):
        bare = _bare(word)
        if i > 0 and bare in _CLAUSE_PREPOSITIONS | {"of", "in"}:
            after_number = numeric is not None and numeric == i - 1
            if not (after_number and bare in {"of", "in"}):
                break
        cut.append(word)
    possessive = [i for i, w in enumerate(cut) if w.lower().endswith(("'s", "’s", "s'"))]
    if possessive and possessive[-1] < len(cut) - 1:
        cut = cut[possessive[-1] + 1 :]
    while cut and _bare(cut[0]) in _DETERMINERS:
        cut = cut[1:]
    if numeric is None and len(cut) > 2:
        cut = cut[-2:]
    return cut


def _compress_tail(
    words: list[str], *, has_verb: bool, complete: bool = False, keep: frozenset[str] = frozenset()
) -> list[str]:
    """The words after the verb, up to where the idea is complete: the circumstances after
    it (a time, a place, a purpose) are left off. A before -> after metric is kept whole;
    ``complete``: the subject and verb already say the idea ("20% of builds failed")."""
    kept: list[str] = []
    has_number = False
    metric = False  # inside "from A to B"
    content = 0
    for i, word in enumerate(words):
        bare = _bare(word)
        nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
        if bare == "from" and any(_bare(w) == "to" for w in words[i + 1 :]):
            metric = True
        ends_number = bool(kept) and (
            _is_number_word(kept[-1]) or bool(_UNIT_END_RE.search(kept[-1]))
        )
        if metric:
            pass
        elif bare in _CLAUSE_PREPOSITIONS - keep and (kept or complete):
            done = complete or has_number or content >= (1 if has_verb else 2)
            done = done or (has_verb and bool(kept) and _bare(kept[-1]) in _PARTICLES)
            joins_number = (
                bare == "per"
                or (bare == "by" and (_is_number_word(nxt) or bool(_NUMBER_RE.match(nxt))))
                or (bare == "by" and bool(kept) and _is_past_form(_bare(kept[-1])))
                or (
                    has_number
                    and (_is_number_word(kept[-1]) if kept else False)
                    and (bare == "of" or (bare == "in" and bool(re.fullmatch(r"[\d,]+", nxt))))
                )
            )
            if nxt in {"under", "about", "over", "nearly", "almost", "around"} or (
                bare in {"about", "around", "over"}
                and (_is_number_word(nxt) or _NUMBER_RE.match(nxt))
            ):
                joins_number = True  # "in under ten minutes", "saved each school about two days"
            if bare == "by" and nxt.endswith("ing"):
                done = bool(kept)  # "stop losing drafts | by moving everything"
            if done and not joins_number:
                break
        elif (
            has_number
            and ends_number
            and bare in {"the", "this", "that", "last", "next", "each", "every"}
        ):
            break  # "down 30% | the next month"
        elif (
            kept
            and content >= 1
            and bare in {"we", "they", "he", "she", "you", "i"}
            and not _NEGATION_RE.search(" ".join(words[i:]))
        ):
            break  # "every audit log | we are legally required to hold" (not "you don't own")
        if bare == "to" and kept and i + 1 < len(words):
            if metric:
                metric = False  # the "to" of "from A to B": B follows
                has_number = False
            elif content >= 1 and _purpose(words[i + 1 :]):
                break  # "... to see what failed": the purpose, not the idea
        kept.append(word)
        if _is_number_word(word) or _NUMBER_RE.search(word):
            has_number = True
        elif bare not in _TRIM_TAIL | _DETERMINERS | _PARTICLES | _HEDGES:
            content += 1
    if len(kept) > _MAX_CHIP_WORDS and not any(_bare(w) == "from" for w in kept):
        cut = [j for j, w in enumerate(kept) if j >= 2 and _bare(w) in _CLAUSE_PREPOSITIONS]
        kept = kept[: cut[0]] if cut else kept[:_MAX_CHIP_WORDS]
    return kept


def chip(clause: str, keep: frozenset[str] = frozenset()) -> str:
    """One clause as a coach's short chip: its subject, verb and what completes them
    (``keep``: prepositions that still belong to the idea, "before" a deadline in a Task)."""
    lead = _LEAD_INS.match(clause.strip())
    text = clause.strip()[lead.end() :].strip(" ,.;:") if lead else clause.strip(" ,.;:")
    words = text.split()
    hedges = 0
    while hedges < len(words) - 1 and _bare(words[hedges]) in _HEDGES:
        hedges += 1
    habit = bool(lead and re.search(r"\b(?:i now|now i|i)\s*$", lead.group(0), re.I))
    if words and _bare(words[0]) in _CLAUSE_PREPOSITIONS:
        if "I" in words[1:]:  # "During my on-call week I noticed"
            words = words[words.index("I") :]
        elif _bare(words[0]) in {"with", "for"}:
            words = words[1:]  # "with zero missed invoices"
    if not words:
        return ""
    v = hedges if habit else _verb_index(words)  # "now I always look for ...": a verb follows
    verb: list[str]
    if v is None:
        subject, verb, tail = [], [], words
    else:
        subject, verb, tail = words[:v], [], words[v:]
        # the verb group: auxiliaries go where another verb or a change word follows
        while tail and _bare(tail[0]) in _AUX | {"went", "go", "goes", "got", "gone"}:
            nxt = _bare(tail[1]) if len(tail) > 1 else ""
            if not nxt:
                break
            if _bare(tail[0]) in _MODALS or (
                _bare(tail[0]) in {"had", "has", "have"} and nxt == "to"
            ):
                break  # "should have talked", "had to move": the meaning is in the modal
            if (
                nxt in _COPULA_NEXT
                or nxt in _AUX
                or nxt in {"no", "zero", "nothing", "never", "only", "two", "three"}
                or _is_number_word(nxt)
                or (
                    _bare(tail[0]) in {"had", "has", "have", "'d", "did", "do", "does"}
                    and "VERB" in getAllLemmas(nxt)
                )
                or _bare(tail[0]) == "went"
            ):
                tail = tail[1:]
                continue
            break
        subject = _compress_subject(subject)
        if not subject and len(tail) > 1 and _bare(tail[0]) in {"was", "were", "is", "are"}:
            rest = " ".join(tail[1:])  # "most of it was | debug logs kept for a year"
            if _verb_index(tail[1:]) is None:
                return " ".join(_compress_tail(tail[1:], has_verb=False)).strip(" .,")
            return chip(rest, keep)
        if tail:
            verb, tail = [tail[0]], tail[1:]
            while tail and _bare(verb[-1]) in _MODALS | _NEGATED_AUX | {"have", "not", "never"}:
                verb, tail = [*verb, tail[0]], tail[1:]  # "would expire", "should have talked"
            if (
                _NUMBER_RE.match(verb[0])
                or _is_number_word(verb[0])
                or _bare(verb[0])
                in {
                    "no",
                    "down",
                    "up",
                    "under",
                    "over",
                    "back",
                    "from",
                    "to",
                    "by",
                    "never",
                    "only",
                }
            ):
                verb, tail = [], [verb[0], *tail]
    complete = bool(verb) and any(_is_number_word(w) or _NUMBER_RE.search(w) for w in subject)
    kept = _compress_tail(tail, has_verb=bool(verb), complete=complete, keep=keep)
    words = [*subject, *verb, *kept]
    while words and (_bare(words[-1]) in _TRIM_TAIL | _STOP_WORDS | _AUX | _LOOSE_ADVERBS):
        words.pop()
    mine = re.fullmatch(r"(?:the |my |our )?(.+?) (?:was|were|is) mine", " ".join(words), re.I)
    if mine:  # "the co-op netcode was mine" = "I owned the co-op netcode"
        words = ["I", "owned", "the", *mine.group(1).split()]
    while words and _bare(words[0]) in _DETERMINERS - {"this", "that"}:
        words = words[1:]
    return " ".join(w.strip('"“”,;:') for w in words).strip(" .")


# -- principles --------------------------------------------------------------------------------

_PRINCIPLE_CUES: dict[str, tuple[str, ...]] = {
    "Customer Obsession": (r"customers?", r"users?", r"client", r"shoppers?", r"complain\w*"),
    "Ownership": (r"__scope__", r"on my own", r"took (?:it )?on", r"owned", r"on-?call"),
    "Invent and Simplify": (
        r"simplif\w+",
        r"automat\w+",
        r"script",
        r"tool",
        r"new approach",
        r"replaced",
        r"manual",
    ),
    "Are Right, A Lot": (r"decision", r"decided", r"judg\w+", r"trade-?offs?", r"bet"),
    "Learn and Be Curious": (r"learn\w*", r"curious", r"taught myself", r"read up", r"studied"),
    "Hire and Develop the Best": (r"!mentor\w*", r"coach\w*", r"onboard\w*", r"interview\w*"),
    "Insist on the Highest Standards": (
        r"quality",
        r"tests?",
        r"code review",
        r"bar",
        r"regression\w*",
        r"root cause",
    ),
    "Think Big": (r"platform", r"vision", r"roadmap", r"every team", r"company-?wide", r"scale"),
    "Bias for Action": (
        r"within (?:an? |\d+ )?(?:hours?|days?|minutes?)",
        r"same day",
        r"quickly",
        r"right away",
        r"immediately",
        r"that night",
        r"prototype\w*",
    ),
    "Frugality": (r"cost\w*", r"budget", r"saved \$", r"cheaper", r"\$\d", r"reus\w+"),
    "Earn Trust": (r"!trust", r"apologi\w+", r"transparen\w+", r"admitted", r"honest\w*"),
    "Dive Deep": (
        r"logs?",
        r"profil\w+",
        r"traced?",
        r"root cause",
        r"dug",
        r"data",
        r"metrics?",
        r"queries",
    ),
    "Have Backbone; Disagree and Commit": (
        r"!disagree\w*",
        r"!pushed back",
        r"!push back",
        r"challenged",
        r"objected",
        r"argued",
        r"committed",
    ),
    "Deliver Results": (r"__number__", r"deadline", r"on time", r"shipped", r"delivered"),
    "Strive to Be Earth's Best Employer": (
        r"burn-?out",
        r"morale",
        r"wellbeing",
        r"work-life",
        r"inclusi\w+",
        r"teammates? (?:felt|were)",
    ),
    "Success and Scale Bring Broad Responsibility": (
        r"privacy",
        r"secur\w+",
        r"accessib\w+",
        r"compliance",
        r"environment\w*",
        r"community",
    ),
}


def principles_for(text: str, *, limit: int = 3) -> list[str]:
    """The principles the story fits, best first (cue words; a scope boundary is Ownership,
    a number in the result is Deliver Results)."""
    scores: dict[str, float] = {}
    for name, cues in _PRINCIPLE_CUES.items():
        score = 0.0
        for cue in cues:
            if cue == "__scope__":
                score += 3 * len(scope_boundary(text))
            elif cue == "__number__":
                score += min(3, len(before_after(text)) * 2 + 0.5 * len(numbers_with_units(text)))
            else:
                weight = 2.0 if cue.startswith("!") else 1.0
                hits = len(re.findall(rf"\b{cue.lstrip('!')}\b", text, re.IGNORECASE))
                score += weight * min(2, hits)
        if score >= 1:
            scores[name] = score
    ranked = sorted(scores, key=lambda n: -scores[n])
    return ranked[:limit]


# -- the split ---------------------------------------------------------------------------------


def with_subject(sentence: str) -> str:
    """A note without its subject ("- profiled the endpoint, added a cache") said with the
    "I" it leaves out; any other sentence as it is."""
    words = sentence.split()
    lead = 0
    while lead < len(words) and _bare(words[lead]) in _ADVERBS | {"and", "so"}:
        lead += 1
    if lead >= len(words) - 1:
        return sentence
    verb, nxt = _bare(words[lead]), _bare(words[lead + 1])
    vbd = any(
        verb in getInflection(lemma, tag="VBD") for lemma in getAllLemmas(verb).get("VERB", ())
    )
    if vbd and "NOUN" not in getAllLemmas(verb) and nxt not in _AUX and nxt != "by":
        return " ".join([*words[:lead], "I", words[lead], *words[lead + 1 :]])
    return sentence


def _step_scores(sentence: str, position: float) -> list[float]:
    """How much the sentence looks like each step; ``position`` is 0..1 through the story."""
    lower = sentence.lower()
    actions = len(first_person_actions(with_subject(sentence), in_action=False))
    numbers = len(numbers_with_units(sentence))
    scores = [
        1.2 * len(_SITUATION_RE.findall(sentence)) + 1.5 * (1 - position) ** 2,
        2.0 * len(_TASK_RE.findall(sentence)) + 3.0 * len(_SCOPE_RE.findall(sentence)),
        1.5 * actions + 1.0 * len(_ACTION_RE.findall(sentence)),
        1.5 * len(_RESULT_RE.findall(sentence))
        + (1.0 if _RESULT_RE.search(sentence) or not actions else 0.4) * numbers
        + 2.5 * len(before_after(sentence)),
        3.0 * len(_REFLECTION_RE.findall(sentence)) + 1.5 * position**2,
    ]
    if lower.startswith(("we ", "our ", "the ")) and actions == 0:
        scores[0] += 0.5
    if re.match(r"^(?:so|then|first|next|after that|finally)\b", lower):
        scores[2] += 0.8
    if re.search(r"\b(?:learn|lesson|taught|realiz|hindsight|next time)", lower):
        scores[3] -= 1.0
    return scores


_ASIDE_COST = 4.0
_ASIDE_RE = re.compile(
    r"^\W*(?:btw|by the way|side ?note|aside|oh,? and|fyi|note|also worth|for context|"
    r"context|background)\b|^\s*\(",
    re.IGNORECASE,
)


def split_steps(sentences: list[Sentence]) -> dict[StepName, list[str]]:
    """Each sentence into one step, keeping the story's order (labels the user wrote win)."""
    steps: dict[StepName, list[str]] = {name: [] for name in STEP_ORDER}
    if not sentences:
        return steps
    n = len(sentences)
    scores = []
    for i, sentence in enumerate(sentences):
        if sentence.label is not None:
            row = [-100.0] * 5
            row[STEP_ORDER.index(sentence.label)] = 100.0
        else:
            row = _step_scores(sentence.text, i / max(1, n - 1))
        scores.append(row)
    # Best monotone assignment: best[i][s] = score of sentences 0..i with the story at step s
    # after sentence i. A sentence may also be an aside: put in another step than the one the
    # story is at ("Btw, this was not my team's job" after the actions), at a cost.
    best = [[0.0] * 5 for _ in range(n)]
    back = [[0] * 5 for _ in range(n)]
    aside: list[list[int | None]] = [[None] * 5 for _ in range(n)]

    def placed(i: int, s: int) -> tuple[float, int | None]:
        row = scores[i]
        other = max((t for t in range(5) if t != s), key=lambda t: row[t])
        cost = _ASIDE_COST - (1.5 if _ASIDE_RE.match(sentences[i].text) else 0.0)
        if sentences[i].label is None and row[other] - cost > row[s]:
            return row[other] - cost, other
        return row[s], None

    for s in range(5):
        best[0][s], aside[0][s] = placed(0, s)
        best[0][s] -= 0.6 * s  # starting late skips steps
    for i in range(1, n):
        for s in range(5):
            prev = max(range(s + 1), key=lambda p: best[i - 1][p] - 0.6 * max(0, s - p - 1))
            back[i][s] = prev
            gain, aside[i][s] = placed(i, s)
            best[i][s] = best[i - 1][prev] - 0.6 * max(0, s - prev - 1) + gain
    state = max(range(5), key=lambda s: best[n - 1][s] - 0.6 * (4 - s))
    chosen = [0] * n
    for i in range(n - 1, -1, -1):
        where = aside[i][state]
        chosen[i] = state if where is None else where
        state = back[i][state]
    for sentence, s in zip(sentences, chosen, strict=True):
        steps[STEP_ORDER[s]].append(sentence.text)
    return steps


# -- the draft ---------------------------------------------------------------------------------


@dataclass
class StoryDraft:
    title: str
    steps: dict[StepName, list[str]]
    """The user's sentences, per step."""
    phrases: dict[StepName, list[str]]
    principles: list[str]
    story_id: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def step_text(self, name: StepName) -> str:
        return " ".join(self.steps[name])

    def to_data(self) -> dict[str, Any]:
        """The documented YAML format (see docs/content-format.md), as a ``kind: story``."""
        steps = []
        for name in STEP_ORDER:
            step: dict[str, Any] = {"name": name, "target_s": DEFAULT_TARGETS[name]}
            if self.steps[name]:
                step["strong_example"] = self.step_text(name)
            if self.phrases[name]:
                step["key_phrases"] = list(self.phrases[name])
            steps.append(step)
        data: dict[str, Any] = {
            "id": self.story_id or slugify(self.title),
            "title": self.title,
            "kind": "story",
        }
        if self.principles:
            data["principles"] = list(self.principles)
        data["steps"] = steps
        return data


def draft_from_notes(notes: str, title: str | None = None) -> StoryDraft:
    """A story draft from prose or bullet notes (or a transcript of one spoken telling)."""
    sentences = sentences_of(notes)
    steps = split_steps(sentences)
    phrases: dict[StepName, list[str]] = {name: [] for name in STEP_ORDER}
    for name in STEP_ORDER:
        text = " ".join(steps[name])
        phrases[name] = _phrases_for(name, steps[name], text)
    title = (title or "").strip() or _title_from(steps, sentences)
    return StoryDraft(
        title=title,
        steps=steps,
        phrases=phrases,
        principles=principles_for(notes),
        story_id=slugify(title),
        notes=notes,
    )


_SUBORDINATE_RE = re.compile(
    r"^\s*(?:until|unless|because|so that|so (?:anyone|everyone|nobody|we|they|it|the)|"
    r"before|when|which|if|although|though|while|since|whereas|once|as)\b",
    re.IGNORECASE,
)
_PRONOUN_START_RE = re.compile(r"^\s*(?:(?:and|but|so|then)\s+)?(?:it|they|them)\b", re.I)
_OBSERVED_RE = re.compile(
    r"^I (?:noticed|found|saw|realized|realised|discovered|spotted|heard|learned|learnt)\b"
)
_SCOPE_CONTEXT_RE = re.compile(
    r"\b(?:belonged to|owned by|run by|maintained by|(?:team|org|group) owned it|"
    r"team's (?:job|service|code|area|problem|system))\b",
    re.I,
)
_GOAL_LEAD_RE = re.compile(
    r"\b(?:goal|aim|task|wanted to|needed to|had to|set out to|tried to)\b|"
    r"\b(?:without|before|under|within|by the)\b",
    re.IGNORECASE,
)


_LEARNED_RE = re.compile(
    r"\b(?:learn(?:ed|t)|realized|realised|taught me|showed me|lesson)\s*$", re.IGNORECASE
)
_DEADLINE = frozenset({"before", "within", "under"})


def _chips_of(sentences: list[str], keep: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(clause, chip) for each clause of the sentences that gives a chip of two words or a
    number."""
    out = []
    for clause in (c for sentence in sentences for c in clauses(sentence)):
        phrase = chip(clause, keep)
        content = [
            w
            for w in phrase.split()
            if _bare(w) not in _TRIM_TAIL | _DETERMINERS | _AUX | _SUBJECT_PRONOUNS | _PARTICLES
            and _bare(w) not in {"i", "me", "them", "him", "her", "us", "one", "ones"}
        ]
        if (
            len(content) >= 2
            or _NUMBER_RE.search(phrase)
            or _OBSERVED_RE.match(phrase)
            or (content and _NEGATION_RE.search(phrase))
        ):
            out.append((clause, phrase))  # not "I see it": an idea has two content words
    return out


def _best(scored: list[tuple[float, str]], limit: int) -> list[str]:
    """The ``limit`` best-scoring chips (score > 0), in the order they were said."""
    keep = sorted(range(len(scored)), key=lambda i: (-scored[i][0], i))[:limit]
    return [scored[i][1] for i in sorted(keep) if scored[i][0] > 0]


def _phrases_for(name: StepName, sentences: list[str], text: str) -> list[str]:
    found: list[str] = []
    if name == "action":
        for sentence in sentences:
            found += first_person_actions(with_subject(sentence))
        found += before_after(text)
        return _dedupe(found)
    if name == "result":
        found = [
            _metric_only(phrase)
            for clause, phrase in _chips_of(sentences)
            if not _SUBORDINATE_RE.match(clause)
        ]
        found += _uncovered(before_after(text), found)
        found += _uncovered(numbers_with_units(text), found)
        return _dedupe(found)
    scored: list[tuple[float, str]] = []
    if name == "situation":
        for clause, phrase in _chips_of(sentences):
            if phrase.startswith("I ") and not _OBSERVED_RE.match(phrase):
                continue  # "I was an SDE2 on ...": who I was, not the problem
            first = _bare(phrase.split()[0])
            if first in _CLAUSE_PREPOSITIONS and _verb_index(phrase.split()) is None:
                continue  # "After the spring patch": when, not what
            score = 0.5 + 3.0 * bool(_NUMBER_RE.search(phrase))
            score += 2.0 * bool(_NEGATION_RE.search(phrase) or _OBSERVED_RE.match(phrase))
            score += 1.5 * bool(_PROBLEM_RE.search(phrase)) + 0.5 * bool(
                _verb_index(phrase.split())
            )
            score -= 1.0 * bool(_SUBORDINATE_RE.match(clause))
            scored.append((score, phrase))
        found = _best(scored, MAX_PHRASES["situation"])
        found += _uncovered(numbers_with_units(text), found)[: max(0, 3 - len(found))]
        return _dedupe(found)
    if name == "task":
        scope = scope_boundary(text)
        apart = [re.sub(r"\s+(?=without\s)", ", ", s) for s in sentences]
        for clause, phrase in _chips_of(apart, _DEADLINE):
            if any(s.lower() in clause.lower() for s in scope) or _SCOPE_CONTEXT_RE.search(clause):
                continue
            score = 0.5 + 2.0 * phrase.startswith("I ") + 1.5 * bool(_GOAL_LEAD_RE.search(clause))
            score += 1.0 * bool(_NUMBER_RE.search(phrase)) - 1.0 * bool(
                _PRONOUN_START_RE.match(clause)
            )
            score -= 1.0 * bool(_SUBORDINATE_RE.match(clause))
            scored.append((score, phrase))
        # the goal and its constraint; beside a scope boundary, the decision to own it
        return _dedupe(scope + _best(scored, 1 if scope else 3))
    # reflection: the insight, then the practice it changed
    after_lead = {
        c for s in sentences for a, c in itertools.pairwise(clauses(s)) if _LEARNED_RE.search(a)
    }
    for index, (clause, phrase) in enumerate(_chips_of(sentences)):
        if re.match(r"^\s*(?:but\s+)?not\b", clause, re.I):
            continue  # "not office Wi-Fi": the contrast, not the insight
        score = 2.0 - 0.2 * index
        insight = _INSIGHT_RE.search(clause) or clause in after_lead
        score += 1.0 * bool(insight or re.search(r"\bnow\b", clause, re.I))
        score -= 2.0 * bool(_SUBORDINATE_RE.match(clause) or _PRONOUN_START_RE.match(clause))
        words = phrase.split()
        if len(words) > 2 and words[0] == "I" and not _is_past_form(_bare(words[1])):
            phrase = " ".join(words[1:])  # "I measure before filtering": the practice
        scored.append((score, phrase))
    return _dedupe(_best(scored, MAX_PHRASES["reflection"]) or _first_clause(sentences))


def _metric_only(phrase: str) -> str:
    """ "Cold start from 3.2 seconds to 1.1 seconds" -> "from 3.2 seconds to 1.1 seconds": in
    the Result the before -> after numbers are the chip (the metric was named before)."""
    match = re.search(r"\bfrom\b.+\bto\b", phrase)
    if match and before_after(phrase):
        return phrase[match.start() :]
    return phrase


def _uncovered(phrases: list[str], chips: list[str]) -> list[str]:
    """The phrases (numbers, metrics) that no chip already holds: a metric is held where
    its numbers are."""
    out = []
    for phrase in phrases:
        parts = numbers_with_units(phrase) or [phrase]
        if not all(any(part.lower() in c.lower() for c in chips) for part in parts):
            out.append(phrase)
    return out


def _first_clause(sentences: list[str]) -> list[str]:
    """No "I learned" to anchor on: the reflection's first clause is its insight."""
    if not sentences:
        return []
    clause = re.split(r"[;:,—–]|\s-\s", sentences[0])[0]
    words = clause.split()[:10]
    while words and words[-1].lower() in _TRIM_TAIL:
        words.pop()
    return [" ".join(words).rstrip(".!?")] if len(words) >= 2 else []


_GOAL_RE = re.compile(
    r"\b(?:my goal was|the goal was|i needed to|i had to|i wanted to|i set out to|"
    r"my task was)\s+(?:to\s+)?(?P<goal>[^.;!?,]+)",
    re.IGNORECASE,
)


def _goals(text: str) -> list[str]:
    out = []
    for match in _GOAL_RE.finditer(text):
        words = match.group("goal").split()[:6]
        while words and words[-1].lower() in _TRIM_TAIL | _STOP_WORDS:
            words.pop()
        if words:
            out.append(" ".join(words))
    return out


def _dedupe(phrases: list[str]) -> list[str]:
    """Unique phrases; a phrase inside a longer chosen one is dropped."""
    out: list[str] = []
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        low = phrase.lower()
        if any(low in kept.lower() for kept in out):
            continue
        out = [kept for kept in out if kept.lower() not in low]
        out.append(phrase)
    # Keep the order they were said in.
    return sorted(out, key=lambda p: phrases.index(p) if p in phrases else 0)


def _title_from(steps: dict[StepName, list[str]], sentences: list[Sentence]) -> str:
    source = next(iter(steps["action"] or steps["situation"] or [s.text for s in sentences]), "")
    actions = first_person_actions(source)
    if actions:
        words = actions[0].split()[1:]
        title = " ".join(words)
    else:
        title = " ".join(source.split()[:8])
    title = title.strip(" ,.;:")
    return (title[:1].upper() + title[1:]) if title else "My story"
