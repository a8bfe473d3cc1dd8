"""test_corpus: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/coach/test_corpus.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from starcoach.cli import main
from tests.corpus.evaluate import report, score
from tests.unit.coach.test_corpus import CLIPS, REPORT_DIR


@pytest.fixture(scope="module")
def spoken_feedback() -> dict[str, dict[str, Any]]:
    import contextlib
    import io

    results: dict[str, dict[str, Any]] = {}
    for clip in CLIPS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(
                [
                    "analyze",
                    str(clip.path),
                    "--question",
                    clip.question,
                    "--step",
                    clip.step,
                    "--json",
                ]
            )
        assert code == 0, clip.path
        results[clip.path.name] = json.loads(out.getvalue())
    return results


@pytest.mark.timeout(1200)  # transcribes 26 minutes of speech once (the fixture)
def test_spoken_labels(spoken_feedback: dict[str, dict[str, Any]]) -> None:
    outcomes = score(CLIPS, lambda clip: spoken_feedback[clip.path.name])
    text = report("spoken clips, tiny.en", outcomes)
    REPORT_DIR.mkdir(exist_ok=True)
    (REPORT_DIR / "corpus-spoken.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    assert outcomes[2].accuracy >= 0.95, text
    # The coach must beat plain substring matching on the same transcripts.
    assert outcomes[0].accuracy > outcomes[3].accuracy, text


def test_spoken_timings_are_real(spoken_feedback: dict[str, dict[str, Any]]) -> None:
    for clip in CLIPS:
        fb = spoken_feedback[clip.path.name]
        assert fb["duration_s"] == pytest.approx(clip.duration_s, abs=0.05)
        for phrase in fb["key_phrases"]:
            if phrase["matched"]:
                assert 0 <= phrase["start"] <= phrase["end"] <= clip.duration_s + 0.5
