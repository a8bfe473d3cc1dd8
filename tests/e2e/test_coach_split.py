"""test_coach_split: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/coach/test_coach_split.py."""

from __future__ import annotations

import os
from typing import Any

import pytest

from starcoach.coach.mock import analyze_mock, report_markdown
from starcoach.coach.split import propose_split
from starcoach.transcribe.types import Transcript
from tests.mock_corpus.corpus import join_audio, load_answers
from tests.unit.coach import test_coach_split as unit_half
from tests.unit.coach.test_coach_split import (
    DEFAULT_ANSWERS,
    REPORT_DIR,
    errors_of,
    figures,
)

# Fixtures shared with the unit half (pytest finds them as this module's names).
answer = unit_half.answer


@pytest.fixture(scope="module")
def spoken(whisper_engine: Any) -> list[tuple[Any, Transcript]]:
    answers = load_answers()
    if os.environ.get("STARCOACH_MOCK_ALL") != "1":
        answers = [a for a in answers if a.id in DEFAULT_ANSWERS]
    return [(a, whisper_engine.transcribe(join_audio(a))) for a in answers]


@pytest.mark.timeout(900)
def test_spoken_answers_split_within_two_seconds(
    library: Any, spoken: list[tuple[Any, Transcript]]
) -> None:
    errors = []
    lines = []
    for answer, transcript in spoken:
        split = propose_split(transcript, library.get(answer.question))
        e = errors_of(split, answer.boundaries)
        errors.append(e)
        lines.append(
            f"{answer.id:6} {answer.voice:6} {'/'.join(answer.kinds):32} "
            + " ".join(f"{x:5.1f}" for x in e)
        )
    within, all_four, median = figures(errors)
    voices = sorted({a.voice for a, _ in spoken})
    text = (
        f"== split on spoken answers ({len(spoken)} answers, voices {', '.join(voices)})\n"
        f"{within:.1%} of boundaries within 2 s; {all_four:.1%} of answers with all four "
        f"within 2 s; median error {median:.2f} s\n"
        "answer voice  kinds (S/T/A/R/L)                errors (s) T A R L\n" + "\n".join(lines)
    )
    REPORT_DIR.mkdir(exist_ok=True)
    (REPORT_DIR / "mock-split-audio.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    assert within >= 0.85, text
    assert all_four >= 0.6, text
    assert median <= 1.0, text


@pytest.mark.timeout(900)
def test_spoken_mock_report(library: Any, spoken: list[tuple[Any, Transcript]]) -> None:
    """The whole report from a spoken take: sections, real times, probes, Markdown."""
    answer, transcript = next((a, t) for a, t in spoken if a.id == "dsl-3")
    walkthrough = library.get(answer.question)
    result = analyze_mock(walkthrough, transcript, "sde1")
    assert result.verdict.verdict in ("No Hire", "Leaning No Hire")
    assert result.total_s == pytest.approx(answer.duration_s, abs=0.01)
    for section in result.sections:
        for m in section.feedback.mistakes:
            if m.start is not None:
                assert section.start_s - 0.5 <= m.start <= section.end_s + 0.5
    assert result.quotes and all(q.start is not None for q in result.quotes[:3])
    assert len(result.probes) == 2
    text = report_markdown(result)
    assert "## The one thing to fix next" in text and "Follow-up probes" in text
