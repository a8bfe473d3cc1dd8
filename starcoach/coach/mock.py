"""A mock interview's report: one take split into sections, each coached, the whole answer
judged, the follow-up probes chosen and judged, and the one thing to fix next.

The window and the command line drive it in three calls:

    result = analyze_mock(walkthrough, transcript, level, marks)   # after the take
    ...ask result.probes[i].question, record the answers...
    result = answer_probes(result, walkthrough, {index: transcript})
    print(report_markdown(result))

Qt-free and without I/O; ``MockResult.to_json()`` is what a session stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from starcoach.clock import moment
from starcoach.coach.coach import analyze_answer
from starcoach.coach.feedback import AnswerVerdict, StepFeedback
from starcoach.coach.probes import ChosenProbe, ProbeJudgement, choose_probes, judge_probe_answer
from starcoach.coach.rules import CRITICAL, title
from starcoach.coach.scoring import ProbeOutcome, verdict_for
from starcoach.coach.split import UNTIMED_WORD_S, Split, propose_split
from starcoach.content.models import STEP_ORDER, Walkthrough, normalize_level
from starcoach.transcribe.types import Transcript

# The whole answer's limit where a walkthrough gives none (DESIGN.md: SDE1 2 min, Senior
# 2.5-3 min).
DEFAULT_LIMITS: dict[str, tuple[float | None, float]] = {
    "sde1": (None, 120.0),
    "senior": (150.0, 180.0),
}
SHORT_SHARE = 0.3  # a section under this share of its target is too short (as in scoring)


@dataclass(frozen=True)
class SectionReport:
    step: str
    start_s: float
    end_s: float
    marked: bool
    target_s: float
    max_s: float | None
    feedback: StepFeedback

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    @property
    def time_status(self) -> str:
        """empty | short | ok | over-target | over-max, as the practice clock colours it."""
        if self.feedback.nothing_said:
            return "empty"
        d = self.duration_s
        limit = self.max_s if self.max_s is not None else self.target_s * 1.5
        if d > limit:
            return "over-max"
        if d > self.target_s:
            return "over-target"
        if d < self.target_s * SHORT_SHARE:
            return "short"
        return "ok"

    def to_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "start_s": self.start_s,
            "end_s": self.end_s,
            "duration_s": round(self.duration_s, 2),
            "marked": self.marked,
            "target_s": self.target_s,
            "max_s": self.max_s,
            "time_status": self.time_status,
            "feedback": self.feedback.to_json(),
        }


@dataclass(frozen=True)
class ProbeReport:
    chosen: ChosenProbe
    answer: Transcript | None = None
    judgement: ProbeJudgement | None = None

    def to_json(self) -> dict[str, object]:
        return {
            **self.chosen.to_json(),
            "answer": None if self.answer is None else self.answer.to_dict(),
            "judgement": None if self.judgement is None else self.judgement.to_json(),
        }


@dataclass(frozen=True)
class Quote:
    """Words from the transcript that drove the verdict, with where they were said."""

    where: str  # a step name, or "probe N"
    kind: str  # a mistake id, or "key-phrase" for a strength
    text: str
    start: float | None
    end: float | None
    note: str  # the coaching message, or the phrase heard

    def to_json(self) -> dict[str, object]:
        return {
            "where": self.where,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "note": self.note,
        }


@dataclass(frozen=True)
class FixNext:
    """The single highest-impact change for the next attempt."""

    kind: str  # mistake | probe | missing-phrases | time | none
    step: str | None
    text: str
    mistake: str | None = None
    phrases: tuple[str, ...] = ()
    start: float | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "step": self.step,
            "text": self.text,
            "mistake": self.mistake,
            "phrases": list(self.phrases),
            "start": self.start,
        }


@dataclass(frozen=True)
class MockResult:
    question: str
    title: str
    level: str
    transcript: Transcript
    split: Split
    sections: tuple[SectionReport, ...]
    verdict: AnswerVerdict
    total_s: float
    limit_min_s: float | None
    limit_max_s: float | None
    probes: tuple[ProbeReport, ...]
    quotes: tuple[Quote, ...]
    strengths: tuple[Quote, ...]
    fix_next: FixNext
    level_label: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def time_status(self) -> str:
        """under | ok | over: the whole answer against the level's limit."""
        if self.limit_max_s is not None and self.total_s > self.limit_max_s:
            return "over"
        if self.limit_min_s is not None and self.total_s < self.limit_min_s:
            return "under"
        return "ok"

    def section(self, step: str) -> SectionReport:
        for section in self.sections:
            if section.step == step:
                return section
        raise KeyError(step)

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "title": self.title,
            "level": self.level,
            "level_label": self.level_label,
            "verdict": self.verdict.verdict,
            "score": self.verdict.score,
            "reasons": list(self.verdict.reasons),
            "total_s": round(self.total_s, 2),
            "limit_min_s": self.limit_min_s,
            "limit_max_s": self.limit_max_s,
            "time_status": self.time_status,
            "transcript": self.transcript.to_dict(),
            "split": self.split.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "probes": [p.to_json() for p in self.probes],
            "quotes": [q.to_json() for q in self.quotes],
            "strengths": [q.to_json() for q in self.strengths],
            "fix_next": self.fix_next.to_json(),
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- building


def analyze_mock(
    walkthrough: Walkthrough,
    transcript: Transcript,
    level: str = "sde1",
    marks: Mapping[str, float] | None = None,
    *,
    split: Split | None = None,
    probes: int = 2,
) -> MockResult:
    """The report of one take, with the probes to ask (not yet answered).

    ``marks`` are the section starts the user marked; ``split`` a split the user already
    corrected on the timeline (it wins over ``marks``)."""
    if split is None:
        split = propose_split(transcript, walkthrough, marks)
    verdict = analyze_answer(walkthrough, split.transcripts(), level)
    by_step = {fb.step: fb for fb in verdict.steps}
    sections = tuple(
        SectionReport(
            step=s.step,
            start_s=s.start_s,
            end_s=s.end_s,
            marked=s.marked,
            target_s=walkthrough.step(s.step).target_s,
            max_s=walkthrough.step(s.step).max_s,
            feedback=by_step[s.step],
        )
        for s in split.sections
    )
    total = _total_s(transcript)
    lo, hi, label = _limits(walkthrough, level)
    chosen = choose_probes(walkthrough, by_step, k=probes) if probes > 0 else []
    notes: list[str] = []
    if not transcript.timed:
        notes.append("Typed answer: times are estimated at 150 words a minute.")
    result = MockResult(
        question=walkthrough.id,
        title=walkthrough.title,
        level=normalize_level(level) or level,
        level_label=label,
        transcript=transcript,
        split=split,
        sections=sections,
        verdict=verdict,
        total_s=total,
        limit_min_s=lo,
        limit_max_s=hi,
        probes=tuple(ProbeReport(c) for c in chosen),
        quotes=(),
        strengths=(),
        fix_next=FixNext("none", None, ""),
        notes=tuple(notes),
    )
    return _finish(result)


def answer_probes(
    result: MockResult,
    walkthrough: Walkthrough,
    answers: Mapping[int, Transcript],
) -> MockResult:
    """Judge the answers to the asked probes (keyed by ``ChosenProbe.index``)."""
    reports = []
    for report in result.probes:
        answer = answers.get(report.chosen.index)
        if answer is None:
            reports.append(report)
            continue
        judgement = judge_probe_answer(report.chosen.probe, answer, walkthrough)
        reports.append(ProbeReport(report.chosen, answer, judgement))
    # One verdict for the whole interview: the follow-ups count in it.
    outcomes = [
        ProbeOutcome(
            r.chosen.question,
            r.judgement.verdict,
            r.judgement.repeats_weak,
            tuple(m.id for m in r.judgement.mistakes),
        )
        for r in reports
        if r.judgement is not None
    ]
    steps = result.verdict.steps
    verdict, score, reasons = verdict_for(
        [(s.step, s.score, [m.id for m in s.mistakes]) for s in steps], outcomes
    )
    overall = AnswerVerdict(verdict=verdict, score=score, reasons=reasons, steps=steps)
    return _finish(replace(result, probes=tuple(reports), verdict=overall))


def _total_s(transcript: Transcript) -> float:
    if transcript.timed and transcript.duration_s > 0:
        return float(transcript.duration_s)
    return len(transcript.words) * UNTIMED_WORD_S


def _limits(walkthrough: Walkthrough, level: str) -> tuple[float | None, float | None, str]:
    guidance = walkthrough.level(level)
    key = normalize_level(level) or "sde1"
    default_lo, default_hi = DEFAULT_LIMITS[key]
    label = "Senior SDE" if key == "senior" else "SDE 1"
    if guidance is None:
        return default_lo, default_hi, label
    if guidance.label:
        label = guidance.label
    if guidance.time_s_min is None and guidance.time_s_max is None:
        return default_lo, default_hi, label
    return guidance.time_s_min, guidance.time_s_max, label


def _finish(result: MockResult) -> MockResult:
    quotes, strengths = _quotes(result)
    return replace(result, quotes=quotes, strengths=strengths, fix_next=_fix_next(result))


def _quotes(result: MockResult) -> tuple[tuple[Quote, ...], tuple[Quote, ...]]:
    found: list[tuple[int, int, float, Quote]] = []
    for order, section in enumerate(result.sections):
        for m in section.feedback.mistakes:
            if m.id == "over-time":
                continue
            rank = 0 if m.id in CRITICAL else 1
            quote = Quote(section.step, m.id, m.evidence, m.start, m.end, m.message)
            found.append((rank, order, m.start or 0.0, quote))
    for n, probe in enumerate(result.probes, 1):
        if probe.judgement is None:
            continue
        for m in probe.judgement.mistakes:
            quote = Quote(f"probe {n}", m.id, m.evidence, m.start, m.end, m.message)
            found.append((2, n, m.start or 0.0, quote))
    quotes = tuple(q for *_, q in sorted(found, key=lambda x: (x[0], x[1], x[2])))
    strengths = []
    for section in result.sections:
        for p in section.feedback.key_phrases:
            if p.matched and p.heard:
                strengths.append(
                    Quote(section.step, "key-phrase", p.heard, p.start, p.end, p.phrase)
                )
    return quotes, tuple(strengths)


def _fix_next(result: MockResult) -> FixNext:
    # 1. The first disqualifying mistake, in the order the answer is told.
    for section in result.sections:
        for m in sorted(section.feedback.mistakes, key=lambda m: m.start or 0.0):
            if m.id in CRITICAL:
                text = f"{section.step.capitalize()} — {title(m.id)}. {m.message}"
                if m.evidence and m.start is not None:
                    text += f' (you said "{m.evidence}")'
                return FixNext("mistake", section.step, text, m.id, start=m.start)
    # 2. A probe answer that repeated the weak answer's failure.
    for probe in result.probes:
        j = probe.judgement
        if j is not None and j.repeats_weak:
            key = probe.chosen.probe.key_line
            text = f'Follow-up "{probe.chosen.question}": your answer repeated the weak answer.'
            if key:
                text += f' Carry the key line: "{key}"'
            return FixNext("probe", None, text, j.mistakes[0].id if j.mistakes else None)
    # 3. The weakest section's missing key phrases.
    spoken = [s for s in result.sections if s.feedback.key_phrases]
    if spoken:
        weakest = min(spoken, key=lambda s: (s.feedback.score, STEP_ORDER.index(s.step)))
        missing = tuple(p.phrase for p in weakest.feedback.key_phrases if not p.matched)
        if weakest.feedback.nothing_said:
            text = f"Say the {weakest.step.capitalize()}: it was missing from the answer."
            return FixNext("missing-phrases", weakest.step, text, phrases=missing)
        if missing:
            shown = ", ".join(f'"{p}"' for p in missing[:3])
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            text = f"{weakest.step.capitalize()}: say {shown}{more}."
            return FixNext("missing-phrases", weakest.step, text, phrases=missing)
    # 4. Time.
    for section in result.sections:
        if section.time_status == "over-max":
            text = (
                f"{section.step.capitalize()} ran {section.duration_s:.0f} s: keep it to "
                f"{section.target_s:.0f} s."
            )
            return FixNext("time", section.step, text, "over-time")
    if result.time_status == "over" and result.limit_max_s is not None:
        text = (
            f"The answer ran {_clock(result.total_s)} against {_clock(result.limit_max_s)}: "
            "trim the Situation and Action."
        )
        return FixNext("time", None, text)
    return FixNext("none", None, "Nothing major: rehearse it again for delivery and timing.")


# --------------------------------------------------------------------------- Markdown


def _clock(seconds: float | None) -> str:
    return moment(seconds, missing="-")


def _at(start: float | None) -> str:
    return f"[{_clock(start)}] " if start is not None else ""


_TIME_WORDS = {
    "empty": "nothing said",
    "short": "short",
    "ok": "on time",
    "over-target": "over target",
    "over-max": "over the maximum",
}


def report_markdown(result: MockResult) -> str:
    """The bar raiser's report as Markdown."""
    out: list[str] = [f"# Mock interview: {result.title}", ""]
    v = result.verdict
    limit = _limit_text(result)
    out.append(
        f"**Verdict: {v.verdict}** (score {v.score}) · Level: {result.level_label} · "
        f"Total {_clock(result.total_s)} {limit}"
    )
    out.append("")
    out += ["## The one thing to fix next", "", result.fix_next.text, ""]

    out += ["## What drove the verdict", ""]
    for reason in v.reasons:
        out.append(f"- {reason}")
    for q in result.quotes:
        out.append(
            f'- {_at(q.start)}{q.where.capitalize()} — {title(q.kind)}: "{q.text}". {q.note}'
        )
    if result.strengths:
        out += ["", "What worked:", ""]
        for q in result.strengths:
            out.append(f'- {_at(q.start)}{q.where.capitalize()}: "{q.text}" ({q.note})')
    out.append("")

    out += ["## Sections", ""]
    out.append("| Section | From | Time | Target | Score | Key phrases | Mistakes |")
    out.append("|---|---|---|---|---|---|---|")
    for s in result.sections:
        fb = s.feedback
        hit = sum(1 for p in fb.key_phrases if p.matched)
        target = f"{s.target_s:.0f} s" + (f" (max {s.max_s:.0f})" if s.max_s else "")
        mistakes = ", ".join(title(m.id) for m in fb.mistakes) or "none"
        mark = " (marked)" if s.marked else ""
        out.append(
            f"| {s.step.capitalize()} | {_clock(s.start_s)}{mark} | {s.duration_s:.0f} s, "
            f"{_TIME_WORDS[s.time_status]} | {target} | {fb.score} | "
            f"{hit}/{len(fb.key_phrases)} | {mistakes} |"
        )
    out.append("")
    for s in result.sections:
        fb = s.feedback
        out.append(f"### {s.step.capitalize()} ({_clock(s.start_s)}–{_clock(s.end_s)})")
        out.append("")
        out.append("> " + (fb.transcript.text or "(nothing said)"))
        out.append("")
        if fb.key_phrases:
            phrases = []
            for p in fb.key_phrases:
                if p.matched:
                    phrases.append(f'✓ "{p.phrase}"' + (f" ({_clock(p.start)})" if p.start else ""))
                else:
                    phrases.append(f'✗ "{p.phrase}"')
            out.append("Key phrases: " + " · ".join(phrases))
            out.append("")
        for m in fb.mistakes:
            out.append(f'- {_at(m.start)}**{title(m.id)}**: "{m.evidence}". {m.message}')
        if fb.mistakes:
            out.append("")

    if result.probes:
        out += ["## Follow-up probes", ""]
        for n, probe in enumerate(result.probes, 1):
            out.append(f"### {n}. {probe.chosen.question}")
            out.append("")
            out.append(f"Why this probe: {probe.chosen.reason}")
            out.append("")
            if probe.answer is None:
                out += ["(not answered)", ""]
                continue
            out.append("> " + (probe.answer.text or "(nothing said)"))
            out.append("")
            if probe.judgement is not None:
                out.append(
                    f"**{probe.judgement.verdict.capitalize()}.** "
                    + " ".join(probe.judgement.reasons)
                )
                out.append("")
            key = probe.chosen.probe.key_line
            if key:
                out += [f'Key line: "{key}"', ""]
    for note in result.notes:
        out += [f"_{note}_", ""]
    return "\n".join(out).rstrip() + "\n"


def _limit_text(result: MockResult) -> str:
    lo, hi = result.limit_min_s, result.limit_max_s
    if hi is None:
        return ""
    span = f"{_clock(lo)}–{_clock(hi)}" if lo is not None else _clock(hi)
    status = {"over": "over", "under": "under", "ok": "within"}[result.time_status]
    return f"({status} the {span} limit)"
