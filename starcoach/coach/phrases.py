"""Finding the walkthrough's key phrases in what was said, through recognition noise.

A key phrase is aligned against the transcript's canonical tokens (see text.py) with a
small weighted alignment: content words must be there (near-miss spellings and sounds
count), function words may be dropped, a few words may be inserted inside a long phrase,
and pronouns and negations must be exactly right -- "we pulled" is never "I pulled".
The subject of an "I ..." phrase must be said with its verb: "I committed fully by writing
the fix" does not say "I wrote" -- the coaching asks for "I" on every action, and the
labelled corpus (tests/corpus/README.md) holds the matcher to exactly that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from starcoach.coach.document import Document
from starcoach.coach.meaning import ConceptPhrase, context_of, intends, not_done, starts_with_verb
from starcoach.coach.similarity import token_similarity
from starcoach.coach.text import (
    CLAUSE_NEGATIONS,
    NEGATIONS,
    PRONOUNS,
    SUBJECT_PRONOUNS,
    Token,
    tokenize_text,
)

MATCH_THRESHOLD = 0.8
# Words that may stand inside a phrase ("nobody had really asked"); fillers are free.
MAX_INSERTIONS = 1
_NEG = -math.inf


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str
    matched: bool
    score: float
    heard: str | None = None
    start: float | None = None
    end: float | None = None
    first_word: int | None = None
    last_word: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "phrase": self.phrase,
            "matched": self.matched,
            "heard": self.heard,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class _Alignment:
    score: float  # weighted, not normalised
    tokens: tuple[int, ...]  # transcript token indices used, in order
    insertions: int
    content_deleted: int
    anchor_deleted: bool


def _is_anchor(token: Token) -> bool:
    return token.norm in PRONOUNS or token.norm in NEGATIONS


def _weight(token: Token) -> float:
    if _is_anchor(token):
        return 1.0
    if token.is_function:
        return 0.3
    return 1.0


def _insert_cost(token: Token) -> float:
    if token.is_filler:
        return 0.0
    if token.is_function:
        return 0.04
    return 0.08


class PhraseMatcher:
    """Matches one key phrase. Build once per phrase, call ``match`` per transcript."""

    def __init__(self, phrase: str, example: str = "") -> None:
        self.phrase = phrase
        self.tokens = tokenize_text(phrase)
        self.weights = [_weight(t) for t in self.tokens]
        self.total_weight = sum(self.weights) or 1.0
        self.negated = any(t.norm in NEGATIONS for t in self.tokens)
        self.concept = ConceptPhrase(self.tokens, context_of(self.tokens, example))
        self.clause = starts_with_verb(self.tokens)

    def match(self, doc: Document) -> PhraseMatch:
        if not self.tokens or not doc.tokens:
            return PhraseMatch(self.phrase, False, 0.0)
        best = self._best(doc)
        if best is not None:
            score, alignment = best
            first_token, last_token = alignment.tokens[0], alignment.tokens[-1]
        else:
            # Not said as written: was its meaning said? (meaning.py)
            concept = self.concept.find(doc)
            if concept is None:
                return PhraseMatch(self.phrase, False, 0.0)
            score, first_token, last_token = (
                MATCH_THRESHOLD,
                concept.first_token,
                concept.last_token,
            )
        first = doc.tokens[first_token].first
        last = doc.tokens[last_token].last
        start, end = doc.span_times(first, last)
        return PhraseMatch(
            self.phrase,
            True,
            round(score, 3),
            heard=doc.span_text(first, last),
            start=start,
            end=end,
            first_word=first,
            last_word=last,
        )

    def _best(self, doc: Document) -> tuple[float, _Alignment] | None:
        """Best valid alignment of the phrase in the transcript, as (normalised score, path)."""
        phrase, weights = self.tokens, self.weights
        best: tuple[float, _Alignment] | None = None
        for lo, hi in _windows(phrase, doc.tokens, len(phrase) + MAX_INSERTIONS):
            found = self._best_in(phrase, weights, doc, lo, hi)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        return best

    def _best_in(
        self,
        phrase: list[Token],
        weights: list[float],
        doc: Document,
        lo: int,
        hi: int,
    ) -> tuple[float, _Alignment] | None:
        n, tokens = len(phrase), doc.tokens[lo:hi]
        m = len(tokens)
        sim = [[token_similarity(p, t) for t in tokens] for p in phrase]
        concat_t = [
            Token(tokens[j - 1].norm + tokens[j].norm, frozenset(), 0, 0, 0) if j >= 1 else None
            for j in range(m)
        ]
        # D[i][j]: best score with phrase[:i] aligned and transcript consumed up to j.
        D = [[_NEG] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[str, int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        for j in range(m + 1):
            D[0][j] = 0.0
        for i in range(1, n + 1):
            p = phrase[i - 1]
            w = weights[i - 1]
            anchor = _is_anchor(p)
            for j in range(0, m + 1):
                best, move = _NEG, None
                if j >= 1 and sim[i - 1][j - 1] > 0 and D[i - 1][j - 1] > _NEG:
                    cand = D[i - 1][j - 1] + w * sim[i - 1][j - 1]
                    if cand > best:
                        best, move = cand, ("match", i - 1, j - 1)
                if (
                    j >= 2
                    and not anchor
                    and len(p.norm) >= 5
                    and D[i - 1][j - 2] > _NEG
                    and tokens[j - 1].sentence == tokens[j - 2].sentence
                ):
                    joined = concat_t[j - 1]
                    assert joined is not None
                    s = token_similarity(p, joined)
                    if s > 0:
                        cand = D[i - 1][j - 2] + w * s
                        if cand > best:
                            best, move = cand, ("merge_t", i - 1, j - 2)
                if not anchor and D[i - 1][j] > _NEG:
                    cand = D[i - 1][j]  # the phrase word was not said: no credit
                    if cand > best:
                        best, move = cand, ("delete", i - 1, j)
                if 1 <= i < n and j >= 1 and D[i][j - 1] > _NEG:
                    t = tokens[j - 1]
                    crossing = j >= 2 and tokens[j - 2].sentence != t.sentence
                    if t.norm not in SUBJECT_PRONOUNS and not crossing:
                        cand = D[i][j - 1] - _insert_cost(t)
                        if cand > best:
                            best, move = cand, ("insert", i, j - 1)
                D[i][j] = best
                back[i][j] = move
        total = sum(weights)
        ends = sorted(
            (j for j in range(1, m + 1) if D[n][j] > _NEG), key=lambda j: D[n][j], reverse=True
        )
        for j in ends:
            normalised = D[n][j] / total
            if normalised < MATCH_THRESHOLD:
                break
            alignment = self._trace(back, phrase, n, j, D[n][j], lo)
            if alignment is None or not alignment.tokens:
                continue
            if alignment.insertions > MAX_INSERTIONS or alignment.content_deleted:
                continue
            # "I never pulled" is not "I pulled".
            if not self.negated and self._negated_in(doc, alignment):
                continue
            # "I tried to reproduce it" is not "I reproduced".
            if self._not_done(doc, alignment):
                continue
            # The subject itself must be the one heard.
            if (
                self.tokens[0].norm in SUBJECT_PRONOUNS
                and doc.tokens[alignment.tokens[0]].norm != self.tokens[0].norm
            ):
                continue
            return normalised, alignment
        return None

    def _not_done(self, doc: Document, alignment: _Alignment) -> bool:
        # Only a person's action can be merely intended; "risking customer trust" or "prove
        # the real cause" (a goal) are said with "could" and "to" as a matter of course.
        if self.tokens[0].norm not in SUBJECT_PRONOUNS or len(alignment.tokens) < 2:
            return False
        verb = alignment.tokens[1]
        # "I'd planned" is not "I pulled", however alike they sound.
        if len(self.tokens) > 1 and intends(doc.tokens[verb]) and not intends(self.tokens[1]):
            return True
        return not_done(doc, verb)

    def _negated_in(self, doc: Document, alignment: _Alignment) -> bool:
        """A negation inside the words matched, or just before an action ("nobody adopted my
        pattern"); before an "I ..." phrase it belongs to the clause before ("no, I pulled"),
        and before a thing it names its absence ("nobody had cross-team visibility")."""
        first, last = alignment.tokens[0], alignment.tokens[-1]
        if any(doc.tokens[k].norm in NEGATIONS for k in range(first, last + 1)):
            return True
        if self.tokens[0].norm in SUBJECT_PRONOUNS or not self.clause:
            return False
        sentence = doc.tokens[first].sentence
        before = range(max(0, first - 2), first)
        return any(
            doc.tokens[k].sentence == sentence and doc.tokens[k].norm in CLAUSE_NEGATIONS
            for k in before
        )

    @staticmethod
    def _trace(
        back: list[list[tuple[str, int, int] | None]],
        phrase: list[Token],
        i: int,
        j: int,
        score: float,
        offset: int,
    ) -> _Alignment | None:
        used: list[int] = []
        insertions = 0
        content_deleted = 0
        while i > 0:
            move = back[i][j]
            if move is None:
                return None
            kind, pi, pj = move
            if kind == "match":
                used.append(offset + j - 1)
            elif kind == "merge_t":
                used.extend([offset + j - 1, offset + j - 2])
            elif kind == "delete":
                token = phrase[i - 1]
                if not token.is_function:
                    content_deleted += 1
            elif kind == "insert":
                insertions += 1
            i, j = pi, pj
        used.reverse()
        return _Alignment(score, tuple(used), insertions, content_deleted, False)


def _windows(phrase: list[Token], tokens: list[Token], reach: int) -> list[tuple[int, int]]:
    """Stretches of the transcript worth aligning: around each place a phrase word was heard."""
    hits = sorted(
        {
            j
            for p in phrase
            if not p.is_function
            for j, t in enumerate(tokens)
            if token_similarity(p, t) > 0
            or (
                (len(p.norm) >= 5 and j + 1 < len(tokens))
                and _joined_similar(p, t, tokens[j + 1] if j + 1 < len(tokens) else None)
            )
        }
    )
    windows: list[tuple[int, int]] = []
    for j in hits:
        lo, hi = max(0, j - reach), min(len(tokens), j + reach + 1)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows


def _joined_similar(p: Token, a: Token, b: Token | None) -> bool:
    if b is None:
        return False
    return token_similarity(p, Token(a.norm + b.norm, frozenset(), 0, 0, 0)) > 0


def match_phrases(phrases: list[str], doc: Document, example: str = "") -> list[PhraseMatch]:
    """``example``: the step's strong example (or the user's notes), where a bare "I <verb>"
    phrase finds what its verb acts on."""
    return [_matcher(p, example).match(doc) for p in phrases]


_MATCHERS: dict[tuple[str, str], PhraseMatcher] = {}


def _matcher(phrase: str, example: str) -> PhraseMatcher:
    matcher = _MATCHERS.get((phrase, example))
    if matcher is None:
        matcher = _MATCHERS[(phrase, example)] = PhraseMatcher(phrase, example)
    return matcher
