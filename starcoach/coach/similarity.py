"""How alike two canonical tokens are, allowing for tiny.en's near-miss spellings."""

from __future__ import annotations

from functools import lru_cache

import jellyfish
from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from starcoach.coach.text import NEGATIONS, PRONOUNS, Token, _is_number

# Below this a token pair is not the same word at all.
MIN_SIMILARITY = 0.72

# Short words tiny.en is known to hear as other short words (RECIPES.md: "not my team" ->
# "at my team"). Spelling and sound similarity cannot see these, so they are listed; each
# counts as a near miss, never as an exact match.
ACOUSTIC_CONFUSIONS: dict[str, frozenset[str]] = {
    "not": frozenset({"at", "out", "nod", "knot", "nut", "note", "nought"}),
    "no": frozenset({"know", "now", "new"}),
    "i": frozenset({"eye", "aye"}),
}


@lru_cache(maxsize=100_000)
def word_similarity(a: str, b: str) -> float:
    """1.0 for the same word; a near-miss spelling or sound scores in (MIN_SIMILARITY, 1)."""
    if a == b:
        return 1.0
    if b in ACOUSTIC_CONFUSIONS.get(a, ()) or a in ACOUSTIC_CONFUSIONS.get(b, ()):
        return 0.8
    if _is_number(a) or _is_number(b):
        # Numbers are exact: 0.3 is not 0.4, and no fuzzing makes "8000" into "800".
        return 1.0 if _is_number(a) and _is_number(b) and float(a) == float(b) else 0.0
    if a in NEGATIONS or b in NEGATIONS:
        # "to take it" is not "no ticket": a negation is heard as itself or a known confusion.
        return 0.0
    if a in PRONOUNS or b in PRONOUNS:
        # "we pulled" is never "I pulled": pronouns only match themselves.
        return 0.0
    spelled = ratio(a, b) / 100.0
    # One edit on a short word ("at" for "not", "web book" for "webhook") is how tiny.en
    # mishears; ratio undervalues those.
    if min(len(a), len(b)) >= 2 and Levenshtein.distance(a, b) == 1:
        spelled = max(spelled, 0.8)
    sounded = 0.0
    if min(len(a), len(b)) >= 3:
        ma, mb = jellyfish.metaphone(a), jellyfish.metaphone(b)
        if ma and ma == mb:
            sounded = 0.85
        elif ma and mb:
            sounded = 0.9 * ratio(ma, mb) / 100.0 if min(len(ma), len(mb)) >= 3 else 0.0
    best = max(spelled, sounded)
    return best if best >= MIN_SIMILARITY else 0.0


def token_similarity(a: Token, b: Token) -> float:
    if a.norm == b.norm or (a.lemmas & b.lemmas and not (a.is_number or b.is_number)):
        return 1.0
    return word_similarity(a.norm, b.norm)
