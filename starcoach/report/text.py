"""Plain-text renderings for the terminal: walkthroughs and step feedback."""

from __future__ import annotations

import textwrap

from starcoach.clock import moment
from starcoach.coach.feedback import StepFeedback
from starcoach.coach.rules import title as mistake_title
from starcoach.content.models import Walkthrough

WIDTH = 88


def _wrap(text: str, indent: str = "  ") -> str:
    return "\n".join(
        textwrap.fill(par, WIDTH, initial_indent=indent, subsequent_indent=indent)
        for par in text.strip().split("\n")
        if par.strip()
    )


def walkthrough_text(w: Walkthrough) -> str:
    out: list[str] = [w.title, "=" * min(WIDTH, len(w.title)), f"id: {w.id}"]
    if w.principles:
        out.append("Principles: " + ", ".join(w.principles))
    if w.scenario.overview:
        out += ["", "Scenario", _wrap(w.scenario.overview)]
    if w.scenario.summary:
        out += ["", "Summary", _wrap(w.scenario.summary)]
    for step in w.steps:
        limit = f", max {step.max_s:g} s" if step.max_s else ""
        out += ["", f"{step.name.upper()}  (target {step.target_s:g} s{limit})"]
        if step.strong_example:
            heading = "Your notes" if w.examples_are_notes else "Strong example"
            out += [f"  {heading}:", _wrap(step.strong_example, "    ")]
        if step.key_phrases:
            out.append("  Key phrases: " + " · ".join(f"“{p}”" for p in step.key_phrases))
        if step.coaching:
            out += ["  Coaching:", _wrap(step.coaching, "    ")]
        if step.common_mistake:
            out += ["  Common mistake:", _wrap(step.common_mistake, "    ")]
    if w.reflections.sde2 or w.reflections.senior:
        out += ["", "Reflections"]
        if w.reflections.sde2:
            out += ["  SDE1/SDE2:", _wrap(w.reflections.sde2, "    ")]
        if w.reflections.senior:
            out += ["  Senior:", _wrap(w.reflections.senior, "    ")]
    if w.probes:
        out += ["", "Follow-up probes"]
        for i, probe in enumerate(w.probes, 1):
            out.append(f"  {i}. {probe.question or '(question not given)'}")
            if probe.probes:
                out.append(_wrap("Probes: " + probe.probes, "     "))
            if probe.weak_answer:
                out.append(_wrap("Weak: " + probe.weak_answer, "     "))
            if probe.weak_why:
                out.append(_wrap("Why it fails: " + probe.weak_why, "     "))
            if probe.strong_answer:
                out.append(_wrap("Strong: " + probe.strong_answer, "     "))
            if probe.key_line:
                out.append(_wrap("Key line: " + probe.key_line, "     "))
    if w.weak_answer is not None:
        out += ["", "A weak answer"]
        if w.weak_answer.text:
            out.append(_wrap(w.weak_answer.text))
        out += [_wrap("- " + c, "    ") for c in w.weak_answer.critique]
        if w.weak_answer.bar_raiser_thinks:
            out.append(_wrap("Bar Raiser thinks: " + w.weak_answer.bar_raiser_thinks))
    if w.quiz:
        out += ["", "Quiz"]
        for i, q in enumerate(w.quiz, 1):
            out.append(_wrap(f"{i}. {q.question}"))
            for opt in q.options:
                out.append(f"     {'*' if opt.correct else '-'} {opt.text}")
            if q.explanation:
                out.append(_wrap(q.explanation, "     "))
    if w.angles:
        out += ["", "Angles"]
        for a in w.angles:
            out.append(f"  {a.principle or '(principle not named)'}")
            for label, text in (
                ("Lead", a.lead),
                ("Emphasize", a.emphasize),
                ("Downplay", a.downplay),
            ):
                if text:
                    out.append(_wrap(f"{label}: {text}", "    "))
    if w.levels:
        out += ["", "Levels"]
        for g in w.levels:
            out.append(f"  {g.label or g.level}")
            for label, text in (
                ("Focus", g.focus),
                ("Reflection", g.reflection),
                ("Bar", g.bar),
                ("Time", g.time_text),
            ):
                if text:
                    out.append(_wrap(f"{label}: {text}", "    "))
    return "\n".join(out)


def _clock(seconds: float | None) -> str:
    return moment(seconds, missing="-")


def feedback_text(f: StepFeedback) -> str:
    out = [f"{f.question} / {f.step}: score {f.score}/100"]
    if f.nothing_said:
        out.append("Nothing was said: no speech was recognised in the recording.")
        return "\n".join(out)
    d = f.delivery
    limit = f", max {f.max_s:g} s" if f.max_s else ""
    timing = "measured" if d.timed else f"estimated at {150} words/min"
    out.append(f"Time: {d.duration_s:.1f} s ({timing}) against a target of {f.target_s:g} s{limit}")
    if f.next_step:
        out += ["", "Next: " + f.next_step]
    out += ["", "Transcript:", _wrap(f.transcript.text)]
    if f.key_phrases:
        out += ["", "Key phrases:"]
        for p in f.key_phrases:
            if p.matched:
                out.append(f"  [x] {p.phrase}  — heard “{p.heard}” at {_clock(p.start)}")
            else:
                out.append(f"  [ ] {p.phrase}  — missing")
    out += ["", "Mistakes:" if f.mistakes else "Mistakes: none found"]
    for m in f.mistakes:
        where = f" at {_clock(m.start)}" if m.start is not None else ""
        out.append(f"  ! {mistake_title(m.id)}: “{m.evidence}”{where}")
        out.append(_wrap(m.message, "      "))
    out += [
        "",
        f"Delivery: {d.words_per_minute:.0f} words/min, I {d.i_count} vs we {d.we_count}, "
        f"{d.filler_count} filler(s), {len(d.long_pauses)} long pause(s)",
    ]
    if f.reasons:
        out += ["", "Why this score:"] + [f"  - {r}" for r in f.reasons]
    return "\n".join(out)
