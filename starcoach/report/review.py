"""What the Review page shows, worked out from stored sessions (Qt-free, no I/O).

Filtering the history, the words of a take with their marks (key phrases, mistakes), the
word being heard at a playback position, the takes two columns can compare, and the points
of the progress chart.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from starcoach.coach.rules import title as mistake_title
from starcoach.report.record import (
    DeliveryRecord,
    FeedbackRecord,
    TakeRecord,
    TranscriptRecord,
)
from starcoach.steps import STEP_TITLES
from starcoach.store.models import Attempt, Session, step_rank

MODE_NAMES = {"step": "Guided practice", "full": "Whole answer", "mock": "Mock interview"}
MODE_SHORT = {"step": "Guided", "full": "Whole answer", "mock": "Mock"}
LEVEL_NAMES = {"sde1": "SDE1 / SDE2", "sde2": "SDE1 / SDE2", "senior": "Senior"}
LEVEL_SHORT = {"sde1": "SDE1/2", "sde2": "SDE1/2", "senior": "Senior"}
STEP_NAMES = STEP_TITLES

DATE_RANGES = {"any": None, "today": 0, "week": 7, "month": 30}
"""Date filter: days back from today (0: today only); None: any time."""

MARK_SLACK_S = 0.05
"""Word and span times are rounded differently; this much slack still counts as inside."""
HOLD_WORD_S = 0.35
"""After a word ends, it stays highlighted this long unless the next one starts."""
WHOLE_STEP_SHARE = 0.6
"""A mistake whose evidence covers more of the words than this is about the whole step."""


# -- the history list ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFilter:
    text: str = ""
    min_score: int = 0
    date_range: str = "any"


def session_matches(
    session: Session,
    flt: SessionFilter,
    question_title: str = "",
    now: datetime | None = None,
) -> bool:
    if flt.min_score > 0:
        score = session.mean_score
        if score is None or score < flt.min_score:
            return False
    days = DATE_RANGES.get(flt.date_range)
    if days is not None:
        local_now = (now or datetime.now(UTC)).astimezone()
        first_day = local_now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=days
        )
        if session.created.astimezone() < first_day:
            return False
    needle = " ".join(flt.text.lower().split())
    if needle:
        haystack = " ".join(
            [question_title, session.question_id, *(_said(a) for a in session.attempts)]
        ).lower()
        if needle not in " ".join(haystack.split()):
            return False
    return True


def _said(attempt: Attempt) -> str:
    return TranscriptRecord.from_json(attempt.transcript).said


def when_text(session: Session, now: datetime | None = None) -> str:
    """ "Today 14:05", "Yesterday 09:12", "Tue 12 Mar 14:05", "12 Mar 2024 14:05"."""
    local = session.created.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"Today {clock}"
    if local.date() == today - timedelta(days=1):
        return f"Yesterday {clock}"
    if local.year == today.year:
        return f"{local:%a} {local.day} {local:%b} {clock}"
    return f"{local.day} {local:%b %Y} {clock}"


def star_steps_done(session: Session) -> list[str]:
    """The STAR steps with a usable take: a mock's whole answer and its follow-ups are not
    steps (a mock with two probes is "5/5 steps + 2 follow-ups", never "8/5")."""
    return [s for s in session.steps_done if s in STEP_NAMES]


def probes_done(session: Session) -> int:
    return sum(1 for s in session.steps_done if s.startswith("probe-"))


def summary_text(session: Session, steps_total: int = 5) -> str:
    """ "Guided · SDE1/2 · 3/5 steps": one short line for the history list."""
    mode = MODE_SHORT.get(session.mode, session.mode)
    level = LEVEL_SHORT.get(session.level, session.level)
    done = len(star_steps_done(session))
    text = f"{mode} · {level} · {done}/{steps_total} steps"
    probes = probes_done(session)
    if probes:
        text += f" + {probes} follow-up{'s' if probes != 1 else ''}"
    return text


def step_title(step: str) -> str:
    """ "Action", "Whole answer", "Follow-up 2"."""
    if step in STEP_NAMES:
        return STEP_NAMES[step]
    if step == "answer":
        return "Whole answer"
    if step.startswith("probe-"):
        return f"Follow-up {step[len('probe-') :]}"
    return step.capitalize()


def score_role(score: float | None) -> str:
    """The theme colour a score is shown in: ok, warn, alarm, or muted (no score)."""
    if score is None:
        return "muted"
    if score >= 75:
        return "ok"
    if score >= 50:
        return "warn"
    return "alarm"


def takes_by_step(session: Session) -> dict[str, list[Attempt]]:
    """Usable takes of each step, in STAR order, oldest take first."""
    out: dict[str, list[Attempt]] = {}
    for attempt in sorted(session.attempts, key=lambda a: (step_rank(a.step), a.attempt_no)):
        if attempt.usable:
            out.setdefault(attempt.step, []).append(attempt)
    return out


# -- the words of a take -----------------------------------------------------------------------


@dataclass(frozen=True)
class MistakeView:
    id: str
    title: str
    message: str
    evidence: str
    start: float | None
    marked: bool
    """True when words in the transcript carry it (False: about the whole step)."""


@dataclass(frozen=True)
class WordView:
    index: int
    text: str
    start: float | None
    end: float | None
    phrase: str | None = None
    mistakes: tuple[MistakeView, ...] = ()


@dataclass(frozen=True)
class PhraseView:
    phrase: str
    matched: bool
    heard: str | None
    start: float | None


@dataclass(frozen=True)
class TakeView:
    """Everything the page shows about one take."""

    attempt_id: int
    step: str
    words: tuple[WordView, ...]
    phrases: tuple[PhraseView, ...]
    mistakes: tuple[MistakeView, ...]
    score: int | None
    duration_s: float | None
    target_s: float | None
    max_s: float | None
    metrics: DeliveryRecord
    timed: bool
    has_audio: bool
    verdict: str | None = None
    """A follow-up's judgement (strong / mixed / weak); None for a step."""
    reasons: tuple[str, ...] = ()
    """Why the follow-up was judged so."""
    whole_answer: bool = False
    """A mock's whole answer: its phrases and mistakes are its sections'."""

    @property
    def hit(self) -> list[PhraseView]:
        return [p for p in self.phrases if p.matched]

    @property
    def missed(self) -> list[PhraseView]:
        return [p for p in self.phrases if not p.matched]

    @cached_property
    def _timed_words(self) -> tuple[list[WordView], list[float]]:
        timed = [w for w in self.words if w.start is not None]
        return timed, [w.start for w in timed if w.start is not None]

    def word_at(self, position_s: float) -> int | None:
        """The index of the word being said at ``position_s`` (None in a pause)."""
        timed, starts = self._timed_words  # asked 30 times a second while playing
        i = bisect.bisect_right(starts, position_s + 1e-6) - 1
        if i < 0:
            return None
        word = timed[i]
        end = word.end if word.end is not None else word.start
        assert end is not None
        if position_s <= end + HOLD_WORD_S:
            return word.index
        return None

    def word_start(self, index: int) -> float | None:
        if 0 <= index < len(self.words):
            return self.words[index].start
        return None


def take_view(attempt: Attempt, session: Session | None = None) -> TakeView:
    record = TakeRecord.of(attempt)
    feedback = record.feedback
    judgement = feedback.judgement
    whole = attempt.step == "answer" and not feedback.key_phrases
    if whole and session is not None:
        # A mock's whole answer has no feedback of its own: its sections carry it, with the
        # same times (they are cut from this recording).
        sections = [
            FeedbackRecord.from_json(a.feedback)
            for a in session.latest_attempts()
            if a.step in STEP_NAMES
        ]
        feedback = FeedbackRecord(
            key_phrases=tuple(p for f in sections for p in f.key_phrases),
            mistakes=tuple(m for f in sections for m in f.mistakes),
        )
    elif judgement is not None:
        feedback = replace(feedback, mistakes=judgement.mistakes)
    words = _words(record.transcript)
    timed = any(w.start is not None for w in words)
    phrases = tuple(PhraseView(p.phrase, p.matched, p.heard, p.start) for p in feedback.key_phrases)
    phrase_of: dict[int, str] = {}
    for p in feedback.key_phrases:
        if not p.matched:
            continue
        for i in _span(words, p.start, p.end, p.heard, timed):
            phrase_of.setdefault(i, p.phrase)
    mistakes: list[MistakeView] = []
    mistakes_of: dict[int, list[MistakeView]] = {}
    for m in feedback.mistakes:
        span = _span(words, m.start, m.end, m.evidence, timed)
        if words and len(span) > WHOLE_STEP_SHARE * len(words):
            span = []
        view = MistakeView(
            id=m.id,
            title=mistake_title(m.id),
            message=m.message,
            evidence=m.evidence,
            start=m.start,
            marked=bool(span),
        )
        mistakes.append(view)
        for i in span:
            mistakes_of.setdefault(i, []).append(view)
    marked_words = tuple(
        WordView(
            index=w.index,
            text=w.text,
            start=w.start,
            end=w.end,
            phrase=phrase_of.get(w.index),
            mistakes=tuple(mistakes_of.get(w.index, ())),
        )
        for w in words
    )
    metrics = feedback.metrics
    if metrics is None:
        metrics = _measure(attempt.transcript) if words else DeliveryRecord()
    score = feedback.score if feedback.has_score else attempt.score
    return TakeView(
        attempt_id=attempt.id,
        step=attempt.step,
        words=marked_words,
        phrases=phrases,
        mistakes=tuple(mistakes),
        score=score,
        duration_s=feedback.duration_s if feedback.duration_s is not None else attempt.duration_s,
        target_s=feedback.target_s,
        max_s=feedback.max_s,
        metrics=metrics,
        timed=timed,
        has_audio=attempt.audio_path is not None,
        verdict=judgement.verdict if judgement else None,
        reasons=judgement.reasons if judgement else (),
        whole_answer=whole,
    )


def _measure(transcript: Mapping[str, Any] | None) -> DeliveryRecord:
    """Delivery figures of a take stored without them (a mock's answer, a follow-up)."""
    from starcoach.coach.delivery import measure_delivery
    from starcoach.coach.document import Document
    from starcoach.transcribe.types import Transcript

    try:
        measured = measure_delivery(Document(Transcript.from_dict(dict(transcript or {}))))
    except (KeyError, TypeError, ValueError):
        return DeliveryRecord()
    return DeliveryRecord.from_json(measured.to_json())


def _words(transcript: TranscriptRecord) -> list[WordView]:
    out = [WordView(i, w.text, w.start, w.end) for i, w in enumerate(transcript.words)]
    if not out:
        out = [WordView(i, t, None, None) for i, t in enumerate(transcript.text.split())]
    return out


def _span(
    words: Sequence[WordView], s: float | None, e: float | None, text: str | None, timed: bool
) -> list[int]:
    """The indices of the words a reported span covers: by time when there are times, else
    by finding its text among the words."""
    if timed and s is not None and e is not None:
        inside = []
        for w in words:
            if w.start is None or w.end is None:
                continue
            middle = (w.start + w.end) / 2
            if s - MARK_SLACK_S <= middle <= e + MARK_SLACK_S:
                inside.append(w.index)
        return inside
    wanted = _tokens(text or "")
    if not wanted:
        return []
    have = [_norm(w.text) for w in words]
    for i in range(len(have) - len(wanted) + 1):
        if have[i : i + len(wanted)] == wanted:
            return list(range(i, i + len(wanted)))
    return []


_PUNCT = re.compile(r"^[^\w$%]+|[^\w$%]+$")


def _norm(token: str) -> str:
    return _PUNCT.sub("", token.lower())


def _tokens(text: str) -> list[str]:
    return [t for t in (_norm(x) for x in text.split()) if t]


# -- compare ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TakeChoice:
    session: Session
    attempt: Attempt
    several: bool = False
    """The session holds more than one take of this step (so the label names the take)."""

    @property
    def label(self) -> str:
        score = "–" if self.attempt.score is None else str(self.attempt.score)
        take = f" · take {self.attempt.attempt_no}" if self.several else ""
        return f"{when_text(self.session)}{take} · {score}"


def takes_of_step(sessions: Iterable[Session], step: str) -> list[TakeChoice]:
    """Every usable take of ``step`` in these sessions, newest first."""
    out = []
    for s in sessions:
        takes = [a for a in s.attempts if a.step == step and a.usable]
        out += [TakeChoice(s, a, len(takes) > 1) for a in takes]
    out.sort(key=lambda c: (c.session.created_at, c.attempt.attempt_no), reverse=True)
    return out


def default_pair(choices: Sequence[TakeChoice], attempt_id: int | None) -> tuple[int, int]:
    """Indices of the takes to compare first: the chosen one, and the one just before it
    (else the one just after)."""
    if not choices:
        return -1, -1
    left = next((i for i, c in enumerate(choices) if c.attempt.id == attempt_id), 0)
    if left + 1 < len(choices):
        return left, left + 1
    return left, (left - 1 if left > 0 else left)


# -- progress ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressPoint:
    session_id: str
    when: datetime
    label: str
    score: float | None
    wpm: float | None
    phrases_hit: int
    phrases_total: int

    @property
    def phrases_pct(self) -> float | None:
        if not self.phrases_total:
            return None
        return 100.0 * self.phrases_hit / self.phrases_total


def progress_points(sessions: Iterable[Session]) -> list[ProgressPoint]:
    """One point per session that has a scored take, oldest first: mean step score, mean
    pace of the timed takes, key phrases heard over expected (latest take of each step)."""
    points = []
    for session in sorted(sessions, key=lambda s: (s.created_at, s.id)):
        latest = session.latest_attempts()
        if not latest or session.mean_score is None:
            continue
        paces: list[float] = []
        hit = total = 0
        for attempt in latest:
            feedback = FeedbackRecord.from_json(attempt.feedback)
            metrics = feedback.metrics
            timed = metrics is not None and metrics.timed is not False
            if timed and metrics is not None and metrics.words_per_minute:
                paces.append(metrics.words_per_minute)
            total += len(feedback.key_phrases)
            hit += sum(1 for p in feedback.key_phrases if p.matched)
        points.append(
            ProgressPoint(
                session_id=session.id,
                when=session.created,
                label=when_text(session),
                score=session.mean_score,
                wpm=round(sum(paces) / len(paces), 1) if paces else None,
                phrases_hit=hit,
                phrases_total=total,
            )
        )
    return points
