"""test_audio_recorder: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/audio/test_audio_recorder.py."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from starcoach.audio import (
    DISCONNECTED_MESSAGE,
    Recorder,
)
from tests.unit.audio import test_audio_recorder as unit_half
from tests.unit.audio.test_audio_recorder import NO_MIC, SENTENCE, SR, WaitUntil

# Fixtures shared with the unit half (pytest finds them as this module's names).
out = unit_half.out


def speech_span(x: np.ndarray, sr: int = SR) -> tuple[float, float]:
    """(onset, offset) in seconds: first and last 10 ms frame within 35 dB of the loudest."""
    hop = sr // 100
    frames = x[: len(x) // hop * hop].reshape(-1, hop)
    env = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    loud = np.flatnonzero(env > env.max() * 10 ** (-35 / 20))
    return loud[0] / 100, (loud[-1] + 1) / 100


def best_lag(recording: np.ndarray, clip: np.ndarray) -> int:
    """Samples by which ``clip`` starts later in ``recording`` (FFT cross-correlation)."""
    n = 1 << int(np.ceil(np.log2(len(recording) + len(clip))))
    corr = np.fft.irfft(np.fft.rfft(recording, n) * np.conj(np.fft.rfft(clip, n)), n)
    lag = int(np.argmax(corr))
    return lag if lag < n - len(clip) else lag - n


def normalized_corr(a: np.ndarray, b: np.ndarray) -> float:
    a = a - a.mean()
    b = b - b.mean()
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def test_records_speech_from_the_virtual_microphone(
    pulse_mic: Any, make_speech: Callable[[str], Path], out: Path, wait_until: WaitUntil
) -> None:
    from starcoach.transcribe.audio_io import load_audio

    clip_path = make_speech(SENTENCE)
    clip = load_audio(clip_path)
    rec = Recorder(out, device=pulse_mic.device)
    rec.start()
    try:
        assert rec.first_block.wait(15), "no audio from the virtual microphone"
        pulse_mic.play_and_wait(clip_path)
        tail_until = rec.frames_written + SR // 2
        assert wait_until(lambda: rec.frames_written >= tail_until, 5)
    finally:
        result = rec.stop()
    print(f"first callback after {result.first_block_latency_s:.3f} s")
    assert result.ok, result.error
    assert (result.dropped_blocks, result.overflows) == (0, 0)
    recorded, rate = sf.read(out, dtype="float32")
    assert rate == SR and len(recorded) == result.frames

    clip_on, clip_off = speech_span(clip)
    rec_on, rec_off = speech_span(recorded)
    assert abs((rec_off - rec_on) - (clip_off - clip_on)) < 0.3
    # The clip sits in the recording where its speech starts: nothing before it was cut.
    lag = best_lag(recorded, clip)
    assert lag >= 0
    assert abs(lag / SR + clip_on - rec_on) < 0.05
    first_word = slice(int(clip_on * SR), int((clip_on + 0.4) * SR))
    aligned = recorded[lag + first_word.start : lag + first_word.stop]
    first_word_corr = normalized_corr(aligned, clip[first_word])
    print(
        f"speech {rec_off - rec_on:.2f} s recorded vs {clip_off - clip_on:.2f} s played;"
        f" onset {rec_on:.3f} s, clip found at {lag / SR:.3f} s, first word r={first_word_corr:.3f}"
    )
    assert first_word_corr > 0.8


def test_unplugging_mid_answer_keeps_the_audio(
    pulse_mic: Any, make_speech: Callable[[str], Path], out: Path, wait_until: WaitUntil
) -> None:
    clip_path = make_speech(SENTENCE)
    rec = Recorder(out, device=pulse_mic.device)
    rec.start()
    try:
        assert rec.first_block.wait(15)
        pulse_mic.play(clip_path)
        assert wait_until(lambda: rec.duration_s >= 2.0, 10)
        written_at_unplug = rec.duration_s
        pulse_mic.unplug()
        assert rec.finished.wait(5), "the recorder did not notice the unplug"
    finally:
        result = rec.stop()
    assert result.error == DISCONNECTED_MESSAGE
    assert abs(result.duration_s - written_at_unplug) <= 0.5
    assert sf.info(out).frames == result.frames
    recorded, _ = sf.read(out, dtype="float32")
    assert np.abs(recorded).max() > 0.05  # speech, not silence


def test_no_sound_server_and_no_card_is_no_microphone(tmp_path: Path) -> None:
    if any(Path("/dev/snd").glob("pcmC*c")):
        pytest.skip("this machine has a capture device; the test needs none")
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from starcoach.audio import NoMicrophone, Recorder, list_input_devices
        print("devices", len(list_input_devices()))
        for device in (None, "pulse"):
            try:
                Recorder(Path(sys.argv[1]), device=device).start()
            except NoMicrophone as exc:
                print(type(exc).__name__, exc)
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PULSE_SERVER": f"unix:{tmp_path}/no-such-socket",
    }
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "a.flac")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "devices 0",
        f"NoMicrophone {NO_MIC}",
        f"NoMicrophone {NO_MIC}",
    ]
    assert list(tmp_path.glob("*.wav")) == [] and not (tmp_path / "a.flac").exists()
