"""Text for Study mode: key phrases marked where they occur, times as m:ss, tints (Qt-free).

Kept free of Qt so the rules (what counts as a phrase occurring in an example) are plain
functions with plain tests.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from starcoach.clock import moment
from starcoach.steps import STEP_LETTERS as STEP_LETTERS

# Straight, curly and modifier apostrophes are one character to a reader.
_APOSTROPHES = "'\u2019\u2018\u02bc`"
_APOSTROPHE_CLASS = "['\u2019\u2018\u02bc`]"


@lru_cache(maxsize=512)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A case-insensitive pattern for ``phrase`` as whole words; runs of spaces are one."""
    phrase = " ".join(phrase.split())
    parts: list[str] = []
    for ch in phrase:
        if ch in _APOSTROPHES:
            parts.append(_APOSTROPHE_CLASS)
        elif ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if phrase and (phrase[0].isalnum() or phrase[0] == "_"):
        body = r"(?<!\w)" + body
    if phrase and (phrase[-1].isalnum() or phrase[-1] == "_"):
        body += r"(?!\w)"
    return re.compile(body, re.IGNORECASE)


def phrase_spans(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    """Where any of ``phrases`` occurs in ``text``: sorted, overlapping spans merged."""
    spans = sorted(
        (m.start(), m.end())
        for phrase in phrases
        if phrase.strip()
        for m in phrase_pattern(phrase).finditer(text)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def found_phrases(text: str, phrases: list[str]) -> set[str]:
    """The phrases that occur in ``text``."""
    return {p for p in phrases if p.strip() and phrase_pattern(p).search(text)}


def highlight_html(text: str, phrases: list[str], *, bg: str, fg: str) -> str:
    """``text`` as HTML with every occurrence of a key phrase marked like a highlighter."""
    out: list[str] = []
    pos = 0
    for start, end in phrase_spans(text, phrases):
        out.append(_html(text[pos:start]))
        out.append(
            f'<span style="background-color:{bg}; color:{fg};">{_html(text[start:end])}</span>'
        )
        pos = end
    out.append(_html(text[pos:]))
    return "".join(out)


def text_html(text: str) -> str:
    return _html(text)


def _html(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br>")


def step_timing(target_s: float, max_s: float | None) -> str:
    """ "target 0:30 · max 0:45" (the maximum only where the walkthrough gives one)."""
    text = f"target {moment(target_s)}"
    if max_s is not None:
        text += f" · max {moment(max_s)}"
    return text


def mix(color: str, base: str, amount: float) -> str:
    """``amount`` of ``color`` over ``base`` (both #rrggbb): a tint that suits either theme."""
    a = _rgb(color)
    b = _rgb(base)
    r, g, bl = (round(x * amount + y * (1 - amount)) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
