"""A transcript prepared once for every check the coach runs on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from starcoach.coach.text import SUBJECT_PRONOUNS, Token, tokenize_words, word_set
from starcoach.transcribe.types import Transcript, Word

# Nouns that, standing before a verb, make someone other than the speaker its subject.
OTHER_ACTORS = word_set(
    "team teams they he she leader lead manager boss director engineer engineers everyone "
    "someone somebody people colleague colleagues who which that platform owner owners qa "
    "whoever anyone anybody"
)


# Words that may come before the verb of a clipped sentence: "Then reproduced it locally."
CLIPPED_OPENERS = word_set("then also so and first next after that finally just um uh")


def _may_open_clipped(token: Token) -> bool:
    return token.norm in CLIPPED_OPENERS or token.is_filler


PREPOSITIONS = word_set("to with for from at on by about of into onto toward towards")
# Words that may stand between a preposition and its noun: "to their tech lead".
NOUN_PHRASE_WORDS = word_set(
    "the a an their my our his her its your tech team platform senior product engineering"
)


@dataclass
class Document:
    transcript: Transcript
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = tokenize_words(self.transcript.words)

    @property
    def words(self) -> tuple[Word, ...]:
        return self.transcript.words

    @cached_property
    def sentences(self) -> list[list[int]]:
        """Token indices grouped by sentence."""
        groups: dict[int, list[int]] = {}
        for index, token in enumerate(self.tokens):
            groups.setdefault(token.sentence, []).append(index)
        return [groups[k] for k in sorted(groups)]

    def _is_object(self, k: int) -> bool:
        """Is the actor noun at ``k`` the object of a preposition ("to their tech lead")?"""
        sentence = self.tokens[k].sentence
        for j in range(k - 1, max(-1, k - 4), -1):
            token = self.tokens[j]
            if token.sentence != sentence:
                return False
            if token.norm in PREPOSITIONS:
                return True
            if token.norm not in NOUN_PHRASE_WORDS:
                return False
        return False

    def subject_of(self, index: int, reach: int = 14) -> str | None:
        """Who does the verb at token ``index``: the nearest subject before it in the sentence.

        Returns a subject pronoun ("i", "we", ...), "other" for a named actor ("the team",
        "my manager"), or None when the sentence gives no subject before the verb.
        """
        found = self.subject_index(index, reach)
        if found is None:
            return self._carried_subject(index)
        norm = self.tokens[found].norm
        return norm if norm in SUBJECT_PRONOUNS else "other"

    def _carried_subject(self, index: int) -> str | None:
        """A clipped sentence that opens with its verb ("I pulled the logs. Reproduced it in
        staging.") is said by the subject of the sentence before it."""
        sentence = self.tokens[index].sentence
        opening = [k for k in self.sentences[sentence] if k < index]
        if sentence == 0 or any(not _may_open_clipped(self.tokens[k]) for k in opening):
            return None
        for k in self.sentences[sentence - 1]:
            token = self.tokens[k]
            if token.norm in SUBJECT_PRONOUNS:
                return token.norm
            if token.norm in OTHER_ACTORS and not self._is_object(k):
                return "other"
        return None

    def subject_index(self, index: int, reach: int = 14) -> int | None:
        """The token index of the subject ``subject_of`` finds, or None."""
        sentence = self.tokens[index].sentence
        for k in range(index - 1, max(-1, index - 1 - reach), -1):
            token = self.tokens[k]
            if token.sentence != sentence:
                return None
            if token.norm in SUBJECT_PRONOUNS:
                return k
            if token.norm in OTHER_ACTORS and not self._is_object(k):
                return k
        return None

    def span_text(self, first_word: int, last_word: int) -> str:
        return " ".join(w.text.strip() for w in self.words[first_word : last_word + 1]).strip(
            " ,.;:!?"
        )

    def span_times(self, first_word: int, last_word: int) -> tuple[float | None, float | None]:
        return self.words[first_word].start, self.words[last_word].end
