"""One stored session as a format-neutral report: what the Markdown and HTML renderers show.

Each take shows its transcript with the key phrases heard marked and the mistakes marked. A
mark is placed from the word times the coach reported when the transcript has them,
otherwise by finding the ``heard``/``evidence`` text in the transcript (case-insensitive),
as for a typed answer. Marks are made to nest (never partly overlap) so every format can
render them with ``render_marked``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Literal

from starcoach.clock import moment
from starcoach.content.models import STEP_ORDER, Walkthrough
from starcoach.report.record import (
    DeliveryRecord,
    FeedbackRecord,
    MistakeRecord,
    TakeRecord,
    TranscriptRecord,
    VerdictRecord,
)
from starcoach.store.models import Attempt, Session, step_rank

MODE_NAMES = {
    "step": "Guided practice, step by step",
    "full": "Whole answer",
    "mock": "Mock interview",
}
STATUS_NOTES = {
    "recording": "This recording was never finished.",
    "recovered": "Recovered after StarCoach stopped unexpectedly.",
    "failed": "This take failed.",
}
TIME_SLACK_S = 0.05
"""Word times and span times are rounded differently; this much slack still counts as in."""


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: Literal["phrase", "mistake"]
    labels: tuple[str, ...]
    """The phrase, or the mistake ids."""
    messages: tuple[str, ...] = ()
    """The mistake messages, in the order of ``labels``."""


@dataclass(frozen=True)
class HeardPhrase:
    phrase: str
    heard: str | None
    start: float | None


@dataclass(frozen=True)
class TakeReport:
    title: str
    notes: list[str]
    score: int | None
    duration: str | None
    text: str
    marks: list[Mark]
    heard: list[HeardPhrase]
    missing: list[str]
    mistakes: list[MistakeRecord]
    delivery: list[tuple[str, str]]
    reasons: list[str]


@dataclass(frozen=True)
class SessionReport:
    title: str
    facts: list[tuple[str, str]]
    verdict: str | None
    verdict_score: int | None
    verdict_reasons: list[str]
    takes: list[TakeReport] = field(default_factory=list)


def _steps_done(session: Session) -> str:
    """ "5 of 5 + 2 follow-ups": a mock's whole answer and follow-ups are not STAR steps."""
    steps = [s for s in session.steps_done if s in STEP_ORDER]
    probes = sum(1 for s in session.steps_done if s.startswith("probe-"))
    text = f"{len(steps)} of 5" if steps else "none"
    if probes:
        text += f" + {probes} follow-up{'s' if probes != 1 else ''}"
    return text


def build_report(
    session: Session, walkthrough: Walkthrough | None, tz: tzinfo | None
) -> SessionReport:
    title = walkthrough.title if walkthrough is not None else session.question_id
    created = session.created.astimezone(tz)
    level_label = session.level.upper()
    if walkthrough is not None:
        guidance = walkthrough.level(session.level)
        if guidance is not None and guidance.label:
            level_label = guidance.label
    mean = session.mean_score
    facts = [
        ("Date", created.strftime("%Y-%m-%d %H:%M ") + (created.tzname() or "")),
        ("Question", session.question_id),
        ("Level", level_label),
        ("Mode", MODE_NAMES.get(session.mode, session.mode)),
        ("Steps done", _steps_done(session)),
        ("Mean score", "—" if mean is None else f"{mean:g}"),
        ("Status", session.status),
        ("Session", session.id),
    ]
    verdict = VerdictRecord.of(session)
    takes = sorted(session.attempts, key=lambda a: (step_rank(a.step), a.attempt_no, a.id))
    retried = {a.step for a in takes if a.attempt_no > 1}
    return SessionReport(
        title=title,
        facts=[(k, v.strip()) for k, v in facts],
        verdict=verdict.verdict,
        verdict_score=verdict.score,
        verdict_reasons=list(verdict.reasons),
        takes=[_take(TakeRecord.of(a), a.step in retried) for a in takes],
    )


def _take(record: TakeRecord, numbered: bool) -> TakeReport:
    attempt, feedback = record.attempt, record.feedback
    title = attempt.step.capitalize()
    if numbered:
        title += f" — take {attempt.attempt_no}"
    notes: list[str] = []
    if attempt.status in STATUS_NOTES:
        notes.append(STATUS_NOTES[attempt.status])
    if attempt.error:
        notes.append(attempt.error)
    if attempt.dropped_blocks:
        s = "" if attempt.dropped_blocks == 1 else "s"
        notes.append(f"{attempt.dropped_blocks} audio block{s} were lost while recording.")

    text, words = _display_text(record.transcript, feedback)
    metrics = feedback.metrics
    timed = any(w.start is not None for w in words)
    if metrics is not None and metrics.timed is not None:
        timed = metrics.timed

    heard: list[HeardPhrase] = []
    missing: list[str] = []
    phrase_marks: list[Mark] = []
    for p in feedback.key_phrases:
        if not p.matched:
            missing.append(p.phrase)
            continue
        said = p.heard if p.heard and p.heard.strip() else None
        heard.append(HeardPhrase(p.phrase, said, p.start))
        span = _locate(text, words, said or p.phrase, p.start, p.end)
        if span is not None:
            phrase_marks.append(Mark(span[0], span[1], "phrase", (p.phrase,)))

    mistakes: list[MistakeRecord] = []
    mistake_marks: list[Mark] = []
    for m in feedback.mistakes:
        mistakes.append(m)
        span = _locate(text, words, m.evidence, m.start, m.end)
        if span is not None:
            mistake_marks.append(Mark(span[0], span[1], "mistake", (m.id,), (m.message,)))

    return TakeReport(
        title=title,
        notes=notes,
        score=record.score,
        duration=_duration(attempt, feedback, timed),
        text=text,
        marks=_resolve(mistake_marks, phrase_marks),
        heard=heard,
        missing=missing,
        mistakes=mistakes,
        delivery=_delivery(metrics, timed),
        reasons=list(metrics.reasons) if metrics is not None else [],
    )


def _duration(attempt: Attempt, feedback: FeedbackRecord, timed: bool) -> str | None:
    duration = feedback.duration_s
    if duration is None:
        duration = attempt.duration_s
    if duration is None:
        return None
    target = feedback.target_s
    limit = feedback.max_s
    said = f"{duration:.0f} s" if timed else f"about {duration:.0f} s at an interview pace (typed)"
    if target is None:
        return said
    out = f"{said} against a target of {target:.0f} s"
    if limit is not None:
        out += f" (maximum {limit:.0f} s)"
    if limit is not None and duration > limit:
        out += ": over the maximum"
    elif duration > target:
        out += ": over the target"
    return out


def _delivery(metrics: DeliveryRecord | None, timed: bool) -> list[tuple[str, str]]:
    if metrics is None:
        return []
    out: list[tuple[str, str]] = []
    wpm = metrics.words_per_minute
    if timed and wpm is not None:
        out.append(("Pace", f"{wpm:.0f} words/min"))
    elif not timed:
        out.append(("Pace", "not measured (typed answer)"))
    out.append(("I vs we", f"{metrics.i_count} I, {metrics.we_count} we"))
    filler_text = str(metrics.filler_count)
    if metrics.fillers:
        filler_text += " (" + ", ".join(f"“{f}”" for f in metrics.fillers) + ")"
    out.append(("Fillers", filler_text))
    if timed:
        pauses = metrics.long_pause_starts
        count = metrics.long_pause_count
        pause_text = str(len(pauses) if count is None else count)
        if pauses:
            pause_text += " (" + ", ".join(clock(p) for p in pauses) + ")"
        out.append(("Long pauses", pause_text))
    return out


# -- placing marks in the transcript ----------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    first: int
    last: int
    """Character span of the word in the display text, end exclusive."""
    start: float | None
    end: float | None


def _display_text(
    transcript: TranscriptRecord, feedback: FeedbackRecord
) -> tuple[str, list[_Word]]:
    """The text shown, rebuilt from the words as the coach did (so its spans line up), with
    each word's character span and times."""
    parts: list[str] = []
    words: list[_Word] = []
    pos = 0
    for w in transcript.words:
        if parts:
            pos += 1
        parts.append(w.text)
        words.append(_Word(pos, pos + len(w.text), w.start, w.end))
        pos += len(w.text)
    if parts:
        return " ".join(parts), words
    text = transcript.text or feedback.transcript
    return " ".join(text.split()), []


_TRIM_RIGHT = " ,.;:!?"


def _locate(
    text: str, words: Sequence[_Word], needle: str, start: float | None, end: float | None
) -> tuple[int, int] | None:
    """Where ``needle`` (heard at ``start``..``end``, when known) is in ``text``."""
    needle = needle.strip(_TRIM_RIGHT)
    lo, hi = 0, len(text)
    if start is not None and end is not None:
        inside = [
            w
            for w in words
            if w.start is not None
            and w.end is not None
            and w.start >= start - TIME_SLACK_S
            and w.end <= end + TIME_SLACK_S
        ]
        if inside:
            lo, hi = inside[0].first, inside[-1].last
            found = _find(text, needle, lo, hi) if needle else None
            return _widen(text, *(found or _trim(text, lo, hi)))
    if not needle:
        return None
    found = _find(text, needle, lo, hi)
    return None if found is None else _widen(text, *found)


def _find(text: str, needle: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Case-insensitive, any run of spaces, whole words first. A regex keeps the offsets
    right where lower-casing would change a string's length."""
    body = r"\s+".join(re.escape(part) for part in needle.split())
    if not body:
        return None
    for pattern in (rf"(?<!\w){body}(?!\w)", body):
        match = re.compile(pattern, re.IGNORECASE).search(text, lo, hi)
        if match:
            return match.start(), match.end()
    return None


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1] in _TRIM_RIGHT:
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _widen(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Marks start and end on word boundaries: Markdown emphasis does not work inside a
    word, and half-marked words read badly."""
    while lo > 0 and text[lo - 1].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum():
        hi += 1
    return (lo, hi) if hi > lo else None


def _resolve(mistakes: list[Mark], phrases: list[Mark]) -> list[Mark]:
    """Make the marks nest (never partly overlap) so both formats can render them.

    Mistakes that touch share one mark, listing every id. A phrase that partly overlaps a
    mistake, or overlaps another phrase, is not marked in the text (it is still listed).
    """
    merged: list[Mark] = []
    for mark in sorted(mistakes, key=lambda m: (m.start, -m.end)):
        for i, kept in enumerate(merged):
            if mark.start < kept.end and kept.start < mark.end:
                merged[i] = Mark(
                    min(kept.start, mark.start),
                    max(kept.end, mark.end),
                    "mistake",
                    kept.labels + mark.labels,
                    kept.messages + mark.messages,
                )
                break
        else:
            merged.append(mark)
    accepted = list(merged)
    placed: list[Mark] = []
    for mark in sorted(phrases, key=lambda m: (m.start, -m.end)):
        if any(mark.start < p.end and p.start < mark.end for p in placed):
            continue
        if all(_nested_or_apart(mark, m) for m in merged):
            placed.append(mark)
    accepted += placed
    # Outer marks first; at equal spans, the mistake wraps the phrase.
    return sorted(accepted, key=lambda m: (m.start, -m.end, m.kind != "mistake"))


def _nested_or_apart(a: Mark, b: Mark) -> bool:
    apart = a.end <= b.start or b.end <= a.start
    nested = (a.start >= b.start and a.end <= b.end) or (b.start >= a.start and b.end <= a.end)
    return apart or nested


def render_marked(
    text: str,
    marks: Sequence[Mark],
    escape: Callable[[str, bool], str],
    open_mark: Callable[[Mark], str],
    close_mark: Callable[[Mark], str],
) -> str:
    """``text`` with nested ``marks`` applied; ``escape(segment, at_start_of_text)``."""
    out: list[str] = []
    pos = 0

    def upto(index: int) -> None:
        nonlocal pos
        if index > pos:
            out.append(escape(text[pos:index], pos == 0))
            pos = index

    stack: list[Mark] = []
    for mark in marks:
        while stack and stack[-1].end <= mark.start:
            upto(stack[-1].end)
            out.append(close_mark(stack.pop()))
        upto(mark.start)
        out.append(open_mark(mark))
        stack.append(mark)
    while stack:
        upto(stack[-1].end)
        out.append(close_mark(stack.pop()))
    upto(len(text))
    return "".join(out)


# -- small helpers -----------------------------------------------------------------------------


def clock(seconds: float | None) -> str:
    return moment(seconds, missing="?")
