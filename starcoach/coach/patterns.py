"""A tiny pattern language over canonical tokens, for the mistake detectors.

A pattern is a sequence of slots; each slot is a set of words, and a token fills it when
its form or any of its lemmas is in the set (so "pinged", "pinging" and "ping" all fill
{"ping"}). Slots must appear in order within one sentence with at most ``gap`` other
tokens between neighbours. This is how detectors catch the meaning of "my lead told me
to look into it" and "my manager asked me to" with one rule instead of a list of strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from starcoach.coach.document import Document
from starcoach.coach.text import NEGATIONS, SUBJECT_PRONOUNS, Token

Slot = frozenset[str]


def slot(words: str) -> Slot:
    return frozenset(words.split())


@dataclass(frozen=True)
class Pattern:
    slots: tuple[Slot, ...]
    gap: int = 3
    # When set, a negation ("not", "never", "nobody", "didn't") inside the hit or within
    # this many tokens before it cancels the hit: "I didn't just wait" is not waiting.
    negatable: int = 3

    @classmethod
    def of(cls, *slots: str, gap: int = 3, negatable: int = 3) -> Pattern:
        return cls(tuple(slot(s) for s in slots), gap, negatable)


@dataclass(frozen=True)
class Hit:
    first: int  # token indices
    last: int


def fills(token: Token, wanted: Slot) -> bool:
    if token.norm in wanted or token.lemmas & wanted:
        return True
    # Through recognition noise a word may come out as another that sounds the same
    # ("spear cycles" for "spare cycles"): longer words also fill a slot by their sound.
    if len(token.norm) < 5 or not token.norm.isalpha():
        return False
    code = _sound(token.norm)
    return len(code) >= 3 and code in _sounds(wanted)


@lru_cache(maxsize=50_000)
def _sound(word: str) -> str:
    return str(jellyfish.metaphone(word))


@lru_cache(maxsize=1_000)
def _sounds(wanted: Slot) -> frozenset[str]:
    return frozenset(_sound(w) for w in wanted if len(w) >= 5 and w.isalpha())


def find(doc: Document, pattern: Pattern, within: Iterable[int] | None = None) -> list[Hit]:
    """Every non-overlapping hit of ``pattern`` in ``doc`` (optionally only in some sentences)."""
    hits: list[Hit] = []
    tokens = doc.tokens
    wanted_sentences = set(within) if within is not None else None
    for sentence in doc.sentences:
        if wanted_sentences is not None and tokens[sentence[0]].sentence not in wanted_sentences:
            continue
        start_from = 0
        for pos, index in enumerate(sentence):
            if pos < start_from or not fills(tokens[index], pattern.slots[0]):
                continue
            end = _extend(tokens, sentence, pos, pattern)
            if end is None:
                continue
            # A negation before "I ..." belongs to the clause before: "he said no, I dropped it".
            reach = 0 if pattern.slots[0] <= SUBJECT_PRONOUNS else pattern.negatable
            if pattern.negatable and _negated(tokens, sentence, pos, end, reach):
                continue
            hits.append(Hit(index, sentence[end]))
            start_from = end + 1
    return hits


def _extend(tokens: Sequence[Token], sentence: list[int], pos: int, pattern: Pattern) -> int | None:
    current = pos
    for wanted in pattern.slots[1:]:
        found = None
        for step in range(1, pattern.gap + 2):
            k = current + step
            if k >= len(sentence):
                break
            if fills(tokens[sentence[k]], wanted):
                found = k
                break
        if found is None:
            return None
        current = found
    return current


def _negated(tokens: Sequence[Token], sentence: list[int], pos: int, end: int, reach: int) -> bool:
    """A negation shortly before the hit or inside it ("I didn't wait") cancels it."""
    return any(tokens[sentence[k]].norm in NEGATIONS for k in range(max(0, pos - reach), end + 1))


def find_any(
    doc: Document, patterns: Sequence[Pattern], within: Iterable[int] | None = None
) -> list[Hit]:
    found: list[Hit] = []
    wanted = list(within) if within is not None else None
    for pattern in patterns:
        found.extend(find(doc, pattern, wanted))
    found.sort(key=lambda h: (h.first, h.last))
    return found
