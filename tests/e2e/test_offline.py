"""test_offline: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/transcribe/test_offline.py."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.unit.transcribe import test_offline as unit_half
from tests.unit.transcribe.test_offline import (
    CLIP,
    QUESTION,
    Offline,
    assert_offline,
    starcoach,
)

# Fixtures shared with the unit half (pytest finds them as this module's names).
offline = unit_half.offline


def test_analyze_audio_loads_the_model_and_transcribes_offline(offline: Offline) -> None:
    proc = offline.run(
        starcoach("analyze", str(CLIP), "--question", QUESTION, "--step", "task", "--json")
    )  # fmt: skip
    assert_offline(offline, proc)
    result = json.loads(proc.stdout)
    assert "ticket" in result["transcript"].lower()
    assert any(p["matched"] and p["start"] is not None for p in result["key_phrases"])


def test_practice_records_and_coaches_offline(
    offline: Offline, pulse_mic: Any, tmp_path: Path
) -> None:
    """The microphone path: PulseAudio over its unix socket works, the Internet is refused."""
    env = dict(os.environ)
    env.update(pulse_mic.env)
    env["STARCOACH_HOME"] = str(tmp_path / "home")
    pulse_mic.play(CLIP)  # something to hear, so the model loads and transcribes
    proc = offline.run(
        starcoach("practice", "--question", QUESTION, "--step", "task", "--seconds", "1",
                  "--device", pulse_mic.device, "--json"),
        env=env,
    )  # fmt: skip
    assert_offline(offline, proc)
    result = json.loads(proc.stdout)
    assert result["question"] == QUESTION
    assert [step["step"] for step in result["steps"]] == ["task"]
    # The session was saved like the window saves it, still without the network.
    proc = offline.run(starcoach("history", "--json"), env=env)
    assert_offline(offline, proc)
    assert result["session"] in proc.stdout
