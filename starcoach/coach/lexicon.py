"""Words that mean the same thing to a bar raiser: the coach's small, hand-kept thesaurus.

Each group is a set of words (or two-word expressions, written with "_") that a candidate
uses interchangeably for one idea in a STAR answer: "no one" for "nobody", "alarm" for
"alert", "rose" for "up", "recouped" for "recovered". Groups are general English for
engineering stories, never phrases of one walkthrough: a word belongs here only if, in any
story, saying one instead of the other keeps the meaning. Inflections are not listed:
lemmas (text.py) already join "pulled" and "pull".

What is deliberately absent: pronouns (who did it is the point), negations (handled as
polarity, not as words), numbers and units (text.py makes them canonical), and words that
flip a metric's direction ("improved" is not "up" for a latency).
"""

from __future__ import annotations

from functools import lru_cache

_GROUPS = """
nobody no_one noone
alert alarm alerting
up rise increase grow climb jump gain
down drop fall decrease reduce cut lower shrink
recover recoup save get_back claw_back win_back
standard default norm
adopt embrace take_up
fully completely entirely totally wholeheartedly all_in
ask request tell
ticket jira
team group squad
notice spot observe discover see
find identify uncover locate discover spot pinpoint
pull grab fetch gather collect export dump download extract
trace track pinpoint track_down narrow_down hunt_down
reproduce repro replicate recreate
write draft implement code_up build put_together knock_together whip_up develop
add introduce create insert install wire wire_in set_up hook_up put_in build_in
submit open raise put_up send_over send_across file
fix patch resolve repair
propose suggest recommend pitch
disagree object challenge push_back contest dispute oppose
convince persuade win_over talk_into
prioritize prioritise
customer client user merchant
lose miss loss drop
delay lag
failure fail error
retry reattempt
leader director vp executive head
quick fast rapid
measure quantify
test verify validate
pattern approach design
scope remit
responsibility job duty
share present
analyze analyse investigate examine study go_through dig_into look_into comb_through probe explore
persistent steady consistent constant ongoing continuous chronic recurring always constantly
absence lack
ownership own owner
concern worry
coordinate organize organise orchestrate line_up sync sync_up
minimal small tiny little
commit all_in
maintain keep sustain
move shift migrate relocate offload
rewrite redo rework overhaul refactor
update revise rework amend refresh
decide choose opt
pass clear get_through
stop kill eliminate prevent
false bogus spurious phantom fake
real genuine actual
hide mask suppress
improve boost strengthen
gap hole blind_spot
early ahead sooner
under below within
back recover return restore rebound
"""

# Words that carry no idea of their own in a key phrase: "no alert existed" says what
# "there was no alert" says.
LIGHT = frozenset("exist existed exists existing happen happened occur occurred".split())

# Words a key phrase may leave implicit and a candidate may add: "per week" = "every
# week" = "a week"; they neither count for a match nor block one.
IGNORABLE = frozenset("per every each a an the of to as in on for by with at from".split())

UNITS: dict[str, str] = {
    "ms": "millisecond",
    "msec": "millisecond",
    "milliseconds": "millisecond",
    "millisecond": "millisecond",
    "s": "second",
    "sec": "second",
    "secs": "second",
    "seconds": "second",
    "second": "second",
    "min": "minute",
    "mins": "minute",
    "minutes": "minute",
    "minute": "minute",
    "hr": "hour",
    "hrs": "hour",
    "hours": "hour",
    "hour": "hour",
    "weekly": "week",
    "weeks": "week",
    "week": "week",
    "daily": "day",
    "days": "day",
    "day": "day",
    "monthly": "month",
    "months": "month",
    "month": "month",
    "pct": "percent",
    "percent": "percent",
    "dollar": "dollar",
}


def _build() -> dict[str, frozenset[str]]:
    """Each word to the groups it belongs to (named by their first word): a word may mean
    more than one thing ("ownership" is a responsibility and owning)."""
    index: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        words = line.split()
        for word in words:
            index.setdefault(word, set()).add(words[0])
    return {word: frozenset(groups) for word, groups in index.items()}


_GROUP_OF = _build()


@lru_cache(maxsize=50_000)
def concepts_of(forms: frozenset[str]) -> frozenset[str]:
    """The concept ids a word stands for, given its surface form and lemmas."""
    found: set[str] = set()
    for form in forms:
        unit = UNITS.get(form)
        if unit is not None:
            found.add("unit:" + unit)
        found.update(_GROUP_OF.get(form, ()))
    return frozenset(found)


_SUFFIXES = (
    "ability",
    "ibility",
    "fully",
    "ful",
    "ization",
    "isation",
    "ation",
    "ational",
    "ally",
    "ity",
    "ness",
    "ment",
    "ive",
    "ently",
    "ent",
    "ence",
    "al",
    "ly",
    "able",
    "ible",
)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A rough derivational stem, so that "reliability" meets "reliable", "respectfully"
    meets "respectful" and "persistently" meets "persistent"; inflections are the lemmas'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def same_root(a: str, b: str) -> bool:
    """ "reliability" / "reliable", "organizational" / "organization": one word formed
    from the other (stems that agree on all but their last letter, five letters at least)."""
    if not (a.isalpha() and b.isalpha()):
        return False
    x, y = stem(a), stem(b)
    shared = 0
    for p, q in zip(x, y, strict=False):
        if p != q:
            break
        shared += 1
    return shared >= 5 and shared >= min(len(x), len(y)) - 1


def two_word_concepts(first_lemmas: frozenset[str], second: str) -> frozenset[str]:
    """The concepts of an expression like "got back" or "no one", if it is listed."""
    found: set[str] = set()
    for lemma in first_lemmas:
        found.update(_GROUP_OF.get(f"{lemma}_{second}", ()))
    return frozenset(found)
