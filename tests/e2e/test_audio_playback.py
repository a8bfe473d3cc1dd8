"""test_audio_playback: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/audio/test_audio_playback.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from starcoach.audio.playback import (
    Player,
)
from tests.support.pulse_mic import wait_for
from tests.unit.audio.test_audio_playback import RATE


def test_plays_a_flac_to_the_default_output_in_real_time(pulse_mic: Any, tmp_path: Path) -> None:
    import sounddevice

    path = tmp_path / "tone.flac"
    t = np.arange(6 * RATE) / RATE
    soundfile.write(str(path), (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), RATE)
    player = Player(sd=sounddevice)
    ok, message = player.output_available()
    assert ok, message
    player.load(path)
    player.play()
    try:
        # PulseAudio settles its latency in the first second (its ALSA plugin may hold the
        # start back, then grow the buffer), which the position follows; from then on the
        # position keeps time with the clock.
        assert wait_for(lambda: player.position_s >= 1.5, 10), "playback never started"
        wall0, pos0 = time.monotonic(), player.position_s
        assert wait_for(lambda: player.position_s >= pos0 + 2.0, 10)
        wall1, pos1 = time.monotonic(), player.position_s
        assert player.playing
        assert pos1 - pos0 == pytest.approx(wall1 - wall0, abs=0.3)
        player.pause()
        paused = player.position_s
        assert paused == pytest.approx(pos1, abs=0.2)
        assert not player.playing
        player.play(from_s=5.5)  # seek near the end: it finishes by itself
        assert wait_for(lambda: not player.playing, 10), "playback never ended"
        assert player.position_s == pytest.approx(6.0)
        assert player.problem is None
    finally:
        player.close()
