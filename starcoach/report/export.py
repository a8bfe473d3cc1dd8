"""A stored session as a readable report: Markdown or a standalone HTML page (Qt-free).

Each take shows its transcript with the key phrases heard marked (Markdown ``**bold**``,
HTML ``<mark class="phrase">``) and the mistakes marked (Markdown ``_text_ [!id]``, HTML
``<span class="mistake" title="message">``). A mark is placed from the word times the coach
reported when the transcript has them, otherwise by finding the ``heard``/``evidence`` text
in the transcript (case-insensitive), as for a typed answer.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Literal

from starcoach.clock import moment
from starcoach.coach.rules import title as mistake_title
from starcoach.content.models import STEP_ORDER, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.report.record import (
    DeliveryRecord,
    FeedbackRecord,
    MistakeRecord,
    TakeRecord,
    TranscriptRecord,
    VerdictRecord,
)
from starcoach.store.models import Attempt, Session, step_rank

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = ("md", "html")

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


def export_filename(session: Session, fmt: str) -> str:
    return f"starcoach-{session.id}.{_check_format(fmt)}"


def export_session(
    session: Session,
    walkthrough: Walkthrough | None,
    fmt: str,
    *,
    tz: tzinfo | None = None,
) -> str:
    """The report of one session as Markdown (``fmt='md'``) or a standalone HTML page
    (``fmt='html'``). ``walkthrough`` gives the question's title and level names (the id is
    shown without it). Dates are shown in ``tz`` (default: the computer's time zone)."""
    report = _build(session, walkthrough, tz)
    if _check_format(fmt) == "md":
        return _markdown(report)
    return _html(report)


def write_export(target: Path, text: str, *, data_dir: Path, force: bool = False) -> None:
    """Write an exported report to ``target``, never into the data folder.

    The data folder holds the history database and the recordings: a report written over
    one of them destroys it, so any path inside it is refused. An existing file elsewhere is
    replaced only with ``force`` (the window asks first and then passes it). The file is
    written beside the target and renamed over it, so a failure leaves the old one whole.
    Raises StarCoachError with a message fit to show.
    """
    target = Path(target)
    try:
        resolved = target.resolve()
        inside = resolved.is_relative_to(Path(data_dir).resolve())
    except OSError as exc:
        raise StarCoachError(f"Could not save {target}: {exc.strerror or exc}") from exc
    if inside:
        raise StarCoachError(
            f"Will not write {target}: it is inside StarCoach's data folder ({data_dir}), "
            "which holds your history and recordings. Pick a file elsewhere."
        )
    if resolved.is_dir():
        raise StarCoachError(f"Cannot write {target}: it is a folder")
    if resolved.exists() and not force:
        raise StarCoachError(f"{target} exists already; add --force to replace it")
    tmp = resolved.with_name(f".{resolved.name}.starcoach-tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, resolved)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StarCoachError(f"Could not save {target}: {exc.strerror or exc}") from exc


# -- a format-neutral report ----------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: Literal["phrase", "mistake"]
    labels: tuple[str, ...]
    """The phrase, or the mistake ids."""
    messages: tuple[str, ...] = ()
    """The mistake messages, in the order of ``labels``."""


@dataclass(frozen=True)
class _Phrase:
    phrase: str
    heard: str | None
    start: float | None


@dataclass(frozen=True)
class _Take:
    title: str
    notes: list[str]
    score: int | None
    duration: str | None
    text: str
    marks: list[_Mark]
    heard: list[_Phrase]
    missing: list[str]
    mistakes: list[MistakeRecord]
    delivery: list[tuple[str, str]]
    reasons: list[str]


@dataclass(frozen=True)
class _Report:
    title: str
    facts: list[tuple[str, str]]
    verdict: str | None
    verdict_score: int | None
    verdict_reasons: list[str]
    takes: list[_Take] = field(default_factory=list)


def _check_format(fmt: str) -> Format:
    for known in FORMATS:
        if fmt == known:
            return known
    raise ValueError(f"export format must be 'md' or 'html', not {fmt!r}")


def _steps_done(session: Session) -> str:
    """ "5 of 5 + 2 follow-ups": a mock's whole answer and follow-ups are not STAR steps."""
    steps = [s for s in session.steps_done if s in STEP_ORDER]
    probes = sum(1 for s in session.steps_done if s.startswith("probe-"))
    text = f"{len(steps)} of 5" if steps else "none"
    if probes:
        text += f" + {probes} follow-up{'s' if probes != 1 else ''}"
    return text


def _build(session: Session, walkthrough: Walkthrough | None, tz: tzinfo | None) -> _Report:
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
    return _Report(
        title=title,
        facts=[(k, v.strip()) for k, v in facts],
        verdict=verdict.verdict,
        verdict_score=verdict.score,
        verdict_reasons=list(verdict.reasons),
        takes=[_take(TakeRecord.of(a), a.step in retried) for a in takes],
    )


def _take(record: TakeRecord, numbered: bool) -> _Take:
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

    heard: list[_Phrase] = []
    missing: list[str] = []
    phrase_marks: list[_Mark] = []
    for p in feedback.key_phrases:
        if not p.matched:
            missing.append(p.phrase)
            continue
        said = p.heard if p.heard and p.heard.strip() else None
        heard.append(_Phrase(p.phrase, said, p.start))
        span = _locate(text, words, said or p.phrase, p.start, p.end)
        if span is not None:
            phrase_marks.append(_Mark(span[0], span[1], "phrase", (p.phrase,)))

    mistakes: list[MistakeRecord] = []
    mistake_marks: list[_Mark] = []
    for m in feedback.mistakes:
        mistakes.append(m)
        span = _locate(text, words, m.evidence, m.start, m.end)
        if span is not None:
            mistake_marks.append(_Mark(span[0], span[1], "mistake", (m.id,), (m.message,)))

    return _Take(
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
            pause_text += " (" + ", ".join(_clock(p) for p in pauses) + ")"
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


def _resolve(mistakes: list[_Mark], phrases: list[_Mark]) -> list[_Mark]:
    """Make the marks nest (never partly overlap) so both formats can render them.

    Mistakes that touch share one mark, listing every id. A phrase that partly overlaps a
    mistake, or overlaps another phrase, is not marked in the text (it is still listed).
    """
    merged: list[_Mark] = []
    for mark in sorted(mistakes, key=lambda m: (m.start, -m.end)):
        for i, kept in enumerate(merged):
            if mark.start < kept.end and kept.start < mark.end:
                merged[i] = _Mark(
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
    placed: list[_Mark] = []
    for mark in sorted(phrases, key=lambda m: (m.start, -m.end)):
        if any(mark.start < p.end and p.start < mark.end for p in placed):
            continue
        if all(_nested_or_apart(mark, m) for m in merged):
            placed.append(mark)
    accepted += placed
    # Outer marks first; at equal spans, the mistake wraps the phrase.
    return sorted(accepted, key=lambda m: (m.start, -m.end, m.kind != "mistake"))


def _nested_or_apart(a: _Mark, b: _Mark) -> bool:
    apart = a.end <= b.start or b.end <= a.start
    nested = (a.start >= b.start and a.end <= b.end) or (b.start >= a.start and b.end <= a.end)
    return apart or nested


def _render_marked(
    text: str,
    marks: Sequence[_Mark],
    escape: Callable[[str, bool], str],
    open_mark: Callable[[_Mark], str],
    close_mark: Callable[[_Mark], str],
) -> str:
    """``text`` with nested ``marks`` applied; ``escape(segment, at_start_of_text)``."""
    out: list[str] = []
    pos = 0

    def upto(index: int) -> None:
        nonlocal pos
        if index > pos:
            out.append(escape(text[pos:index], pos == 0))
            pos = index

    stack: list[_Mark] = []
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


# -- Markdown -------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def _md(text: str, at_line_start: bool = True) -> str:
    """Escape text so Markdown shows it literally (``<script>`` stays text), on one line."""
    text = _WHITESPACE.sub(" ", text)
    out = _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text))
    if at_line_start:
        out = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out, count=1)
    return out


def _md_open(mark: _Mark) -> str:
    return "**" if mark.kind == "phrase" else "_"


def _md_close(mark: _Mark) -> str:
    if mark.kind == "phrase":
        return "**"
    # "[!id]" stays literal: the document has no link definitions and escapes every "[".
    return "_ " + " ".join(f"[!{_md(mistake_title(label), False)}]" for label in mark.labels)


def _markdown(report: _Report) -> str:
    out: list[str] = [f"# {_md(report.title, False)}", ""]
    out += [f"- **{k}:** {_md(v, False)}" for k, v in report.facts]
    out += [
        "",
        "In the transcripts, **bold** marks a key phrase heard and _italics_ [!id] a mistake.",
        "",
    ]
    if report.verdict:
        score = "" if report.verdict_score is None else f" ({report.verdict_score}/100)"
        out += [f"## Verdict: {_md(report.verdict, False)}{score}", ""]
        out += [f"- {_md(r, False)}" for r in report.verdict_reasons]
        out.append("")
    if not report.takes:
        out += ["_No step was recorded in this session._", ""]
    for take in report.takes:
        score = "" if take.score is None else f" — score {take.score}/100"
        out += [f"## {_md(take.title, False)}{score}", ""]
        out += [f"> **Note:** {_md(n, False)}" for n in take.notes]
        if take.notes:
            out.append("")
        if take.duration:
            out += [f"**Duration:** {_md(take.duration, False)}", ""]
        if take.text:
            body = _render_marked(take.text, take.marks, _md, _md_open, _md_close)
            out += ["**Transcript:**", "", f"> {body}", ""]
        else:
            out += ["_Nothing was said._", ""]
        if take.heard:
            out += ["**Key phrases heard:**", ""]
            for p in take.heard:
                where = f" at {_clock(p.start)}" if p.start is not None else ""
                said = (
                    f" (heard “{_md(p.heard, False)}”)" if p.heard and p.heard != p.phrase else ""
                )
                out.append(f"- “{_md(p.phrase, False)}”{said}{where}")
            out.append("")
        if take.missing:
            out += ["**Missing key phrases:**", ""]
            out += [f"- “{_md(p, False)}”" for p in take.missing]
            out.append("")
        if take.mistakes:
            out += ["**Mistakes:**", ""]
            for m in take.mistakes:
                line = f"- **{_md(mistake_title(m.id), False)}.** {_md(m.message, False)}"
                if m.evidence:
                    line += f" Heard: “{_md(m.evidence, False)}”"
                    if m.start is not None:
                        line += f" at {_clock(m.start)}"
                    line += "."
                out.append(line)
            out.append("")
        if take.delivery:
            out += ["**Delivery:**", ""]
            out += [f"- {k}: {_md(v, False)}" for k, v in take.delivery]
            out.append("")
        if take.reasons:
            out += ["**Why this score:**", ""]
            out += [f"- {_md(r, False)}" for r in take.reasons]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d1d1f; --muted: #6e6e73; --card: #f5f5f7; --border: #d2d2d7;
  --phrase: #fff0a0; --mistake: #c9211e; --good: #1e7b34;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #1c1c1e; --fg: #f2f2f7; --muted: #a1a1a6; --card: #2c2c2e; --border: #48484a;
    --phrase: #5e4f00; --mistake: #ff6b63; --good: #5fd17a;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
main { max-width: 760px; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-top: 1rem;
     border-top: 1px solid var(--border); }
h2 .score { float: right; font-weight: 600; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.legend { color: var(--muted); font-size: .9rem; margin-top: 1rem; }
.verdict { background: var(--card); border-radius: 8px; padding: .8rem 1rem; margin-top: 1.5rem; }
.verdict h2 { border: 0; margin: 0 0 .4rem; padding: 0; }
.note { color: var(--mistake); margin: .3rem 0; }
.transcript { background: var(--card); border-left: 4px solid var(--border); border-radius: 6px;
              padding: .75rem 1rem; margin: .8rem 0; }
mark.phrase { background: var(--phrase); color: inherit; border-radius: 3px; padding: 0 .1em; }
span.mistake { text-decoration: underline wavy var(--mistake); text-underline-offset: 3px;
               text-decoration-skip-ink: none; cursor: help; }
sup.mistake-id { color: var(--mistake); font-size: .7em; margin-left: .15em; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
ul { margin: .2rem 0; padding-left: 1.3rem; }
.heard li::marker { color: var(--good); }
.missing li::marker, .mistakes li::marker { color: var(--mistake); }
.mistake-name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                font-size: .9em; color: var(--mistake); }
.evidence, .muted { color: var(--muted); }
@media print { body { background: #fff; color: #000; } .transcript { break-inside: avoid; } }
"""


def _h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_escape(text: str, _at_start: bool) -> str:
    return _h(text)


def _html_open(mark: _Mark) -> str:
    if mark.kind == "phrase":
        return f'<mark class="phrase" title="{_h("Key phrase: " + mark.labels[0])}">'
    return (
        f'<span class="mistake" data-mistake="{_h(" ".join(mark.labels))}" '
        f'title="{_h(" / ".join(mark.messages))}">'
    )


def _html_close(mark: _Mark) -> str:
    if mark.kind == "phrase":
        return "</mark>"
    return "</span>" + "".join(
        f'<sup class="mistake-id">{_h(mistake_title(i))}</sup>' for i in mark.labels
    )


def _html(report: _Report) -> str:
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        '<meta name="generator" content="StarCoach">',
        f"<title>{_h(report.title)} — StarCoach</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_h(report.title)}</h1>",
        '<dl class="facts">',
    ]
    out += [f"<dt>{_h(k)}</dt><dd>{_h(v)}</dd>" for k, v in report.facts]
    out += [
        "</dl>",
        '<p class="legend"><mark class="phrase">Highlighted</mark>: a key phrase heard. '
        '<span class="mistake">Underlined</span><sup class="mistake-id">id</sup>: a mistake '
        "(hover for the coaching).</p>",
        "</header>",
    ]
    if report.verdict:
        score = "" if report.verdict_score is None else f" ({report.verdict_score}/100)"
        out += ['<section class="verdict">', f"<h2>Verdict: {_h(report.verdict)}{score}</h2>"]
        if report.verdict_reasons:
            out += ["<ul>", *(f"<li>{_h(r)}</li>" for r in report.verdict_reasons), "</ul>"]
        out.append("</section>")
    if not report.takes:
        out.append('<p class="muted">No step was recorded in this session.</p>')
    for take in report.takes:
        out.append('<section class="step">')
        score = "" if take.score is None else f'<span class="score">{take.score}/100</span>'
        out.append(f"<h2>{_h(take.title)}{score}</h2>")
        out += [f'<p class="note">{_h(n)}</p>' for n in take.notes]
        if take.duration:
            out.append(f"<p><strong>Duration:</strong> {_h(take.duration)}</p>")
        if take.text:
            body = _render_marked(take.text, take.marks, _html_escape, _html_open, _html_close)
            out.append(f'<blockquote class="transcript">{body}</blockquote>')
        else:
            out.append('<p class="muted">Nothing was said.</p>')
        if take.heard:
            out += ["<h3>Key phrases heard</h3>", '<ul class="heard">']
            for p in take.heard:
                said = (
                    f' <span class="evidence">(heard “{_h(p.heard)}”)</span>'
                    if p.heard and p.heard != p.phrase
                    else ""
                )
                where = (
                    f' <span class="muted">at {_clock(p.start)}</span>'
                    if p.start is not None
                    else ""
                )
                out.append(f"<li>“{_h(p.phrase)}”{said}{where}</li>")
            out.append("</ul>")
        if take.missing:
            out += ["<h3>Missing key phrases</h3>", '<ul class="missing">']
            out += [f"<li>“{_h(p)}”</li>" for p in take.missing]
            out.append("</ul>")
        if take.mistakes:
            out += ["<h3>Mistakes</h3>", '<ul class="mistakes">']
            for m in take.mistakes:
                line = (
                    f'<li><span class="mistake-name">{_h(mistake_title(m.id))}</span> '
                    f"{_h(m.message)}"
                )
                if m.evidence:
                    where = f" at {_clock(m.start)}" if m.start is not None else ""
                    line += f' <span class="evidence">Heard: “{_h(m.evidence)}”{where}.</span>'
                out.append(line + "</li>")
            out.append("</ul>")
        if take.delivery:
            out += ["<h3>Delivery</h3>", "<ul>"]
            out += [f"<li>{_h(k)}: {_h(v)}</li>" for k, v in take.delivery]
            out.append("</ul>")
        if take.reasons:
            out += ["<h3>Why this score</h3>", "<ul>"]
            out += [f"<li>{_h(r)}</li>" for r in take.reasons]
            out.append("</ul>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- small helpers ---------------------------------------------------------------------------


def _clock(seconds: float | None) -> str:
    return moment(seconds, missing="?")
