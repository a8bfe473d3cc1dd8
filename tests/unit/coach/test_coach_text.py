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
