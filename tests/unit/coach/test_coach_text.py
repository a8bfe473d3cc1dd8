"""Canonical tokens: the forms tiny.en writes for the same spoken words become one."""

from __future__ import annotations

import pytest

from starcoach.coach.text import tokenize_text, tokenize_words
from starcoach.transcribe.types import Word


def norms(text: str) -> list[str]:
    return [t.norm for t in tokenize_text(text)]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("$8K", ["8000", "dollar"]),
        ("$8,000", ["8000", "dollar"]),
        ("$8 ,000", ["8000", "dollar"]),
        ("eight thousand dollars", ["8000", "dollar"]),
        ("8k dollars", ["8000", "dollar"]),
        ("8,000 dollars", ["8000", "dollar"]),
        ("0.3%", ["0.3", "percent"]),
        ("zero point three percent", ["0.3", "percent"]),
        ("0 .3 %", ["0.3", "percent"]),
        ("0.3 per cent", ["0.3", "percent"]),
        ("zero", ["0"]),
        ("web-hook", ["web", "hook"]),
        ("team’s", ["team", "s"]),
        ("didn't", ["did", "not"]),
        ("can’t", ["can", "not"]),
    ],
)
def test_same_meaning_same_tokens(said: str, expected: list[str]) -> None:
    assert norms(said) == expected


def test_tokens_remember_their_words_and_sentences() -> None:
    words = [Word("I", 0.0, 0.2), Word("saved", 0.2, 0.5), Word("$8,000."), Word("Then", 1.0)]
    tokens = tokenize_words(words)
    assert [(t.norm, t.first, t.last, t.sentence) for t in tokens] == [
        ("i", 0, 0, 0),
        ("saved", 1, 1, 0),
        ("8000", 2, 2, 0),
        ("dollar", 2, 2, 0),
        ("then", 3, 3, 1),
    ]


def test_lemmas_cover_tense_and_plural() -> None:
    pulled, logs = tokenize_text("pulled logs")
    assert "pull" in pulled.lemmas
    assert "log" in logs.lemmas


@pytest.mark.parametrize(
    ("said", "numbers"),
    [
        # a self-correction: two numbers, and it must not hang (it once looped forever)
        ("three percent, no wait, point three, zero point three percent", ["3", "0.3", "0.3"]),
        ("point three, zero", ["0.3", "0"]),
        ("point three, one", ["0.3", "1"]),
        ("it was three, no, four", ["3", "4"]),
        # a pause does not split what is one number
        ("zero point three percent", ["0.3"]),
        ("from point three to zero", ["0.3", "0"]),
    ],
)
def test_a_pause_ends_a_spoken_number(said: str, numbers: list[str]) -> None:
    assert [t.norm for t in tokenize_text(said) if t.is_number] == numbers


def test_number_words_in_any_order_end() -> None:
    """Every sequence of number words, points and pauses is read in finite time."""
    import itertools

    words = ["point", "zero", "three", "point,", "three,", "zero,"]
    for n in range(1, 6):
        for combo in itertools.product(words, repeat=n):
            tokenize_text(" ".join(combo))


@pytest.mark.parametrize(
    ("said", "norms"),
    [
        ("an hour and a half", ["90", "minutes"]),
        ("half an hour", ["30", "minutes"]),
        ("two and a half hours", ["2.5", "hours"]),
        ("three tenths of a percent", ["0.3", "percent"]),
        ("four fifths", ["80", "percent"]),
        ("one tenth of a percent", ["0.1", "percent"]),
        # a quarter of a year is a time, not a share
        ("within one quarter", ["within", "1", "quarter"]),
        ("two halves", ["2", "halves"]),
    ],
)
def test_quantities_said_as_words(said: str, norms: list[str]) -> None:
    assert [t.norm for t in tokenize_text(said)] == norms
