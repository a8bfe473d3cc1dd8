"""Turning recognised words into canonical tokens that can be compared.

Whisper writes the same thing many ways ("$8,000", "8k dollars", "eight thousand dollars";
"0.3%", "0 .3 %", "zero point three percent"; "webhook", "web hook", "web-hook"). Every
token produced here keeps the index of the source word(s) it came from, so a match found
on tokens can be reported with the words the user really said and their times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lemminflect import getAllLemmas
from text_to_num import alpha2digit

from starcoach.transcribe.types import Word


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easy to read and extend)."""
    return frozenset(text.split())


SUBJECT_PRONOUNS = frozenset({"i", "we", "they", "he", "she", "you"})
PRONOUNS = SUBJECT_PRONOUNS | frozenset(
    {"my", "our", "their", "his", "her", "your", "me", "us", "them", "mine", "ours"}
)
NEGATIONS = frozenset({"no", "not", "nobody", "never", "none", "nothing", "without"})
# Negations that deny a clause ("nobody adopted it", "they never adopted it"); "no" and
# "without" before a noun name an absence ("there was no shared SLO" still names the SLO).
CLAUSE_NEGATIONS = frozenset({"not", "never", "nobody", "none", "nothing"})
FUNCTION_WORDS = word_set(
    "the a an as to of in on for and or by with at from into onto is was were be been "
    "being are am had has have it its that this these those s d there so then than"
)
FILLERS = word_set(
    "um umm ummm uh uhh huh er ah ahh erm hmm hm hmmm mm mmm uhm "
    "like basically actually really just literally okay"
)

_NUMBER_WORDS = word_set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred thousand million billion"
)
_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "b": 1_000_000_000,
    "grand": 1_000,
}
_CONTRACTIONS = {
    "n't": "not",
    "'re": "are",
    "'ve": "have",
    "'ll": "will",
    "'m": "am",
    "'d": "d",
    "'s": "s",
}
_IRREGULAR_NEGATIONS = {
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
}

# One piece of a word: a currency sign, a number (with , thousands and . decimals, or a
# bare ".3" that Whisper splits off "0 .3"), a percent sign, or letters with apostrophes.
_PIECE = re.compile(r"\$|%|\d[\d,]*(?:\.\d+)?|\.\d+|,\d{3}(?:,\d{3})*|[a-z]+(?:'[a-z]+)*|'[a-z]+")
_SENTENCE_END = re.compile(r"[.?!…]+[\"')\]]*$")


@dataclass(frozen=True)
class Token:
    """A canonical token. ``first``/``last`` index the source words it spans."""

    norm: str
    lemmas: frozenset[str]
    first: int
    last: int
    sentence: int

    @property
    def is_number(self) -> bool:
        return _is_number(self.norm)

    @property
    def is_filler(self) -> bool:
        return self.norm in FILLERS

    @property
    def is_function(self) -> bool:
        return self.norm in FUNCTION_WORDS

    @property
    def is_pronoun(self) -> bool:
        return self.norm in PRONOUNS


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=20_000)
def lemmas_of(word: str) -> frozenset[str]:
    if not word.isalpha():
        return frozenset({word})
    found = {word}
    for forms in getAllLemmas(word).values():
        found.update(forms)
    return frozenset(found)


def _canonical_apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("ʼ", "'")


def _format_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _split_word(raw: str) -> list[str]:
    """One recognised word into raw pieces: "$8,000." -> ["$", "8,000"]; "didn't" -> [did, not]."""
    text = _canonical_apostrophes(raw.lower())
    # "8k", "1.5m" written as one word: a number with a magnitude letter.
    text = re.sub(r"(\d)(k|m|b)\b", r"\1 \2", text)
    pieces: list[str] = []
    for piece in _PIECE.findall(text):
        if piece in _IRREGULAR_NEGATIONS:
            pieces.extend(_IRREGULAR_NEGATIONS[piece])
            continue
        if piece.endswith("n't") and len(piece) > 3:
            pieces.extend([piece[:-3], "not"])
            continue
        if "'" in piece:
            head, _, tail = piece.partition("'")
            suffix = _CONTRACTIONS.get("'" + tail)
            if head:
                pieces.append(head)
            if suffix:
                pieces.append(suffix)
            elif (tail and not head) or tail:
                pieces.append(tail)
            continue
        pieces.append(piece)
    return pieces


@dataclass
class _Piece:
    text: str
    first: int
    last: int
    sentence: int
    # Said before a comma, a dash or a semicolon: a number said after it is another number
    # ("point three, zero point three percent" is 0.3 then 0.3, not 0.30).
    pause: bool = False


def _merge_numbers(pieces: list[_Piece]) -> list[_Piece]:
    """Digits, number words, decimals, magnitudes, currency and percent to one canonical form."""
    out: list[_Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        # Whisper writes "$8 ,000": the thousands group split off as its own word.
        if (
            re.fullmatch(r",\d{3}(?:,\d{3})*", p.text)
            and out
            and re.fullmatch(r"\d+", out[-1].text)
        ):
            prev = out.pop()
            merged = prev.text + p.text.replace(",", "")
            out.append(_Piece(merged, prev.first, p.last, prev.sentence))
            i += 1
            continue
        # "point three percent" with its zero left unsaid is 0.3.
        if (
            p.text == "point"
            and i + 1 < len(pieces)
            and pieces[i + 1].text in _NUMBER_WORDS
            and not (out and (_is_number(out[-1].text) or out[-1].text in _NUMBER_WORDS))
        ):
            pieces = [*pieces[:i], _Piece("zero", p.first, p.first, p.sentence), *pieces[i:]]
            p = pieces[i]
        # Runs of number words ("eight thousand", "zero point three") -> digits.
        if p.text in _NUMBER_WORDS:
            j = i
            while (
                j < len(pieces)
                and not (j > i and pieces[j - 1].pause)
                and (
                    pieces[j].text in _NUMBER_WORDS
                    or (
                        pieces[j].text in ("point", "and")
                        and j + 1 < len(pieces)
                        and pieces[j + 1].text in _NUMBER_WORDS
                        and j > i
                    )
                )
            ):
                j += 1
            run = " ".join(x.text for x in pieces[i:j])
            converted = alpha2digit(run, "en", threshold=0).split()
            if converted and all(_is_number(c) for c in converted):
                # "3.5 1000000" is alpha2digit's way of saying three point five million;
                # "0 7" ("zero seven days") is two numbers.
                values: list[float] = []
                # "zero seven" comes back as "07": a leading zero starts a new number.
                converted = [
                    part
                    for c in converted
                    for part in (["0", c[1:]] if re.fullmatch(r"0\d+", c) else [c])
                ]
                for c in converted:
                    v = float(c)
                    if values and values[-1] and v >= 100 and v > values[-1]:
                        values[-1] *= v
                    else:
                        values.append(v)
                for value in values:
                    out.append(
                        _Piece(_format_number(value), p.first, pieces[j - 1].last, p.sentence)
                    )
                i = j
                continue
        if (
            p.text.startswith(".")
            and _is_number(p.text)
            and out
            and _is_number(out[-1].text)
            and "." not in out[-1].text
            and out[-1].last >= p.first - 1
        ):
            prev = out.pop()
            out.append(
                _Piece(_format_number(float(prev.text + p.text)), prev.first, p.last, prev.sentence)
            )
            i += 1
            continue
        if p.text.startswith(".") and _is_number(p.text):
            out.append(_Piece(_format_number(float("0" + p.text)), p.first, p.last, p.sentence))
            i += 1
            continue
        if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", p.text):
            out.append(
                _Piece(_format_number(float(p.text.replace(",", ""))), p.first, p.last, p.sentence)
            )
            i += 1
            continue
        if p.text in _MULTIPLIERS and out and _is_number(out[-1].text) and p.text != "hundred":
            prev = out.pop()
            value = float(prev.text) * _MULTIPLIERS[p.text]
            out.append(_Piece(_format_number(value), prev.first, p.last, prev.sentence))
            if p.text == "grand":  # "eight grand" is money: eight thousand dollars
                out.append(_Piece("dollars", prev.first, p.last, prev.sentence))
            i += 1
            continue
        out.append(p)
        i += 1
    return out


# Plural only: "one quarter" is a time, "three quarters" a share.
_SHARES = {"thirds": 3, "quarters": 4, "fifths": 5, "tenths": 10, "hundredths": 100}
_ONE_SHARE = {"third": 3, "fifth": 5, "tenth": 10, "hundredth": 100}


def _texts(pieces: list[_Piece], i: int, n: int) -> list[str]:
    return [p.text for p in pieces[i : i + n]]


def _spoken_quantities(pieces: list[_Piece]) -> list[_Piece]:
    """Quantities said as words: "an hour and a half" is 90 minutes, "half an hour" 30,
    "two and a half hours" 2.5 hours, "three tenths of a percent" 0.3 percent, "four
    fifths" 80 percent. The words heard stay the same; only their canonical tokens change."""
    out: list[_Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        here = _texts(pieces, i, 5)
        if here[:5] in (["an", "hour", "and", "a", "half"], ["one", "hour", "and", "a", "half"]):
            out += [_Piece("90", p.first, pieces[i + 4].last, p.sentence)]
            out += [_Piece("minutes", p.first, pieces[i + 4].last, p.sentence)]
            i += 5
            continue
        if here[:3] == ["half", "an", "hour"]:
            out += [_Piece("30", p.first, pieces[i + 2].last, p.sentence)]
            out += [_Piece("minutes", p.first, pieces[i + 2].last, p.sentence)]
            i += 3
            continue
        if _is_number(p.text) and here[1:4] == ["and", "a", "half"] and len(here) == 5:
            # "two and a half hours", "two and a half x"
            out.append(
                _Piece(_format_number(float(p.text) + 0.5), p.first, pieces[i + 3].last, p.sentence)
            )
            i += 4
            continue
        if (
            _is_number(p.text)
            and len(here) >= 2
            and (
                (here[1] in _SHARES and 0 < float(p.text) < _SHARES[here[1]])
                or (here[1] in _ONE_SHARE and float(p.text) == 1)
            )
        ):
            # "three quarters", "four fifths": a proper fraction said as a share
            share = float(p.text) / {**_SHARES, **_ONE_SHARE}[here[1]]
            if here[2:5] in (["of", "a", "percent"], ["of", "one", "percent"], ["of", "a", "%"]):
                last = pieces[i + 4].last
                out += [_Piece(_format_number(share), p.first, last, p.sentence)]
                out += [_Piece("percent", p.first, last, p.sentence)]
                i += 5
                continue
            last = pieces[i + 1].last
            out += [_Piece(_format_number(round(share * 100, 6)), p.first, last, p.sentence)]
            out += [_Piece("percent", p.first, last, p.sentence)]
            i += 2
            continue
        out.append(p)
        i += 1
    return out


def _currency_and_percent(pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        if p.text == "$":
            # "$8000" -> "8000 dollar", the same as "8000 dollars" said aloud.
            if i + 1 < len(pieces) and _is_number(pieces[i + 1].text):
                n = pieces[i + 1]
                out.append(_Piece(n.text, p.first, n.last, p.sentence))
                out.append(_Piece("dollar", p.first, n.last, p.sentence))
                i += 2
                if i < len(pieces) and pieces[i].text in ("dollar", "dollars"):
                    out[-1] = _Piece("dollar", p.first, pieces[i].last, p.sentence)
                    i += 1
                continue
            i += 1
            continue
        if p.text in ("dollars", "bucks", "usd"):
            p = _Piece("dollar", p.first, p.last, p.sentence)
        if p.text == "%":
            p = _Piece("percent", p.first, p.last, p.sentence)
        if p.text == "per" and i + 1 < len(pieces) and pieces[i + 1].text == "cent":
            p = _Piece("percent", p.first, pieces[i + 1].last, p.sentence)
            i += 1
        if p.text == "percentage":
            p = _Piece("percent", p.first, p.last, p.sentence)
        out.append(p)
        i += 1
    return out


def tokenize_words(words: Sequence[Word] | Sequence[str]) -> list[Token]:
    """Canonical tokens of a sequence of words (recognised ``Word``s or plain strings)."""
    pieces: list[_Piece] = []
    sentence = 0
    for index, word in enumerate(words):
        raw: str = word.text if isinstance(word, Word) else str(word)
        for text in _split_word(raw):
            pieces.append(_Piece(text, index, index, sentence))
        if pieces and re.search(r"[,;:\u2014\u2013]$|\s-$|^-+$", raw.strip()):
            pieces[-1].pause = True
        if _SENTENCE_END.search(raw.strip()) and not re.fullmatch(r"\d+\.", raw.strip()):
            sentence += 1
    pieces = _currency_and_percent(_spoken_quantities(_merge_numbers(pieces)))
    return [
        Token(
            norm=p.text, lemmas=lemmas_of(p.text), first=p.first, last=p.last, sentence=p.sentence
        )
        for p in pieces
    ]


def tokenize_text(text: str) -> list[Token]:
    return tokenize_words(text.split())
