"""Fault suite: one owner per recording, across processes (issue 12, point 2).

Two real StarCoach processes on one data folder: ``starcoach practice`` records from the
virtual microphone while another process runs ``history``, ``recover`` and ``delete``. The
live recording must be left alone (shown as recording now, never recovered, never deleted),
and the audio that survives must hold everything that was spoken.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from tests.e2e.test_audio_recorder import speech_span
from tests.support.paths import TESTS

CLIPS = TESTS / "corpus" / "clips"
QUESTION = "disagree-senior-leader"
EXE = str(Path(sys.executable).with_name("starcoach"))
CLIP = CLIPS / "dsl-reflection-weak__joe_clean.flac"  # 7.2 s of speech


def env_for(pulse_mic: Any, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(pulse_mic.env)
    env["STARCOACH_HOME"] = str(home)
    return env


def start_practice(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [EXE, "practice", "--question", QUESTION, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_line(proc: subprocess.Popen[str], needle: str) -> list[str]:
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"never saw {needle!r}; stderr was:\n{''.join(seen)}")


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def spoken_s(path: Path) -> float:
    audio, rate = sf.read(str(path), dtype="float32")
    onset, offset = speech_span(np.asarray(audio), rate)
    return offset - onset


def clip_speech_s() -> float:
    return spoken_s(CLIP)


def test_a_live_recording_is_left_alone_by_another_process(pulse_mic: Any, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = env_for(pulse_mic, home)
    seconds = 9.5
    proc = start_practice(
        env, "--step", "reflection", "--seconds", f"{seconds:g}", "--device", "pulse", "--json"
    )
    wait_for_line(proc, "Recording")
    player = pulse_mic.play(CLIP)

    # Another process, while the first one records.
    history = run(env, "history", "--json")
    assert history.returncode == 0, history.stderr
    (row,) = json.loads(history.stdout)
    assert row["recording_now"] is True and row["interrupted"] is False
    text = run(env, "history").stdout
    assert "RECORDING NOW" in text and "INTERRUPTED" not in text

    recovered = run(env, "recover", "--json")
    assert recovered.returncode == 0, recovered.stderr
    assert json.loads(recovered.stdout) == []
    assert "being recorded right now; left alone" in recovered.stderr

    deleted = run(env, "delete", row["session"], "--yes")
    assert deleted.returncode == 1
    assert "still recording" in deleted.stderr and "Traceback" not in deleted.stderr

    assert proc.poll() is None, "the recording must still be running"
    player.wait(timeout=30)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    (step,) = json.loads(out)["steps"]
    audio = Path(step["audio"])
    kept_s = sf.info(str(audio)).duration
    # The whole take survived (before the fix: only what came before 'recover').
    assert kept_s == pytest.approx(step["duration_s"], abs=0.05)
    assert kept_s == pytest.approx(seconds, abs=0.5)
    assert spoken_s(audio) == pytest.approx(clip_speech_s(), abs=0.5)
    assert not list(audio.parent.glob("*.rec.*"))  # spool and lock file gone

    after = json.loads(run(env, "history", "--json").stdout)
    assert after[0]["recording_now"] is False and after[0]["interrupted"] is False
    assert after[0]["status"] == "done" and after[0]["steps_done"] == ["reflection"]
    assert json.loads(run(env, "recover", "--json").stdout) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stop_signal_finishes_the_take_and_prints_feedback(
    pulse_mic: Any, tmp_path: Path, sig: signal.Signals
) -> None:
    home = tmp_path / "home"
    env = env_for(pulse_mic, home)
    proc = start_practice(
        env, "--step", "reflection", "--seconds", "60", "--device", "pulse", "--json"
    )
    wait_for_line(proc, "Recording")
    pulse_mic.play_and_wait(CLIP)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "Stopping" in err
    result = json.loads(out)
    (step,) = result["steps"]
    assert step["transcript"] and step["score"] is not None
    audio = Path(step["audio"])
    assert spoken_s(audio) == pytest.approx(clip_speech_s(), abs=0.5)
    assert sf.info(str(audio)).duration == pytest.approx(step["duration_s"], abs=0.05)
    history = json.loads(run(env, "history", "--json").stdout)
    assert history[0]["session"] == result["session"]
    assert history[0]["status"] == "done" and history[0]["interrupted"] is False
