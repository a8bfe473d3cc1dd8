"""test_cli: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/cli/test_cli.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.support.paths import TESTS
from tests.unit.cli.test_cli import QUESTION, check_contract, run


def test_analyze_empty_and_silent_audio_say_nothing_was_said(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.wav"
    sf.write(str(empty), np.zeros(0, dtype=np.float32), 16000)
    silent = tmp_path / "silent.flac"
    rng = np.random.default_rng(7)
    sf.write(str(silent), (rng.standard_normal(16000 * 5) * 1e-4).astype(np.float32), 16000)
    for path, duration in ((empty, 0.0), (silent, 5.0)):
        code, out, err = run(
            capsys, "analyze", str(path), "--question", QUESTION, "--step", "task", "--json"
        )
        assert code == 0, err
        data = json.loads(out)
        check_contract(data)
        assert data["transcript"] == "" and data["score"] == 0
        assert data["duration_s"] == pytest.approx(duration, abs=0.01)
        assert not any(p["matched"] for p in data["key_phrases"])
        code, out, _ = run(capsys, "analyze", str(path), "--question", QUESTION, "--step", "task")
        assert "Nothing was said" in out


def test_installed_entry_point_analyzes_speech(tmp_path: Path) -> None:
    """The real `starcoach` binary, the real model, real speech (espeak-ng at test time if
    present, otherwise a committed corpus clip)."""
    clip = TESTS / "corpus" / "clips"
    candidates = sorted(clip.glob("dsl-task-strong__joe_*.flac"))
    assert candidates, "corpus clip missing"
    exe = Path(sys.executable).with_name("starcoach")
    proc = subprocess.run(
        [
            str(exe),
            "analyze",
            str(candidates[0]),
            "--question",
            QUESTION,
            "--step",
            "task",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    check_contract(data)
    assert data["duration_s"] > 3
    assert "ticket" in data["transcript"].lower()
    assert all(p["start"] is not None for p in data["key_phrases"] if p["matched"])
    assert sum(p["matched"] for p in data["key_phrases"]) >= 2
