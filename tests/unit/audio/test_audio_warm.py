"""A take on the open microphone starts with the audio from before the key press."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from starcoach.audio import NoMicrophone, Recorder
from starcoach.audio.fake import FakeSoundDevice, ramp
from starcoach.audio.warm import WarmMicrophone
from tests.support.pulse_mic import wait_for


def test_a_take_gets_the_preroll_and_every_block_after_it(tmp_path: Path) -> None:
    gate = threading.Event()
    gate.set()
    sd = FakeSoundDevice(audio=ramp(20.0), interval_s=0.002, gate=gate)
    mic = WarmMicrophone(sd=sd, preroll_s=0.5)
    mic.open()
    try:
        assert mic.wait_until_live(5)
        stream = sd.streams[0]
        assert wait_for(lambda: stream.blocks_delivered >= 20, 10)
        gate.clear()  # hold the device (one block may still be on its way) as the key is pressed
        pressed_at = stream.blocks_delivered
        rec = Recorder(tmp_path / "action.flac", sd=mic.sd_for_take())
        rec.start()
        gate.set()
        # The pre-roll arrives at once: the clock starts with the press, not 0.3-2 s later.
        assert rec.first_block.is_set()
        assert wait_for(lambda: rec.frames_written >= 30 * 1600, 10)
        result = rec.stop()
    finally:
        mic.close()
    assert result.dropped_blocks == 0 and result.error is None
    audio, _ = sf.read(str(result.path), dtype="float32")
    # The ramp rises by 1/40000 a sample: a lost or repeated block would break the steps.
    steps = np.diff(audio.astype(np.float64))
    assert np.count_nonzero(np.abs(steps - 1 / 40000) > 1e-4) <= audio.size // 20000 + 1
    # It starts with the 5 blocks (0.5 s) heard before the press.
    starts = [((pressed_at - 5 + late) * 1600 % 20000) / 40000 for late in (0, 1)]
    assert min(abs(audio[0] - v) for v in starts) < 1e-3


def test_the_microphone_is_reused_for_the_next_take(tmp_path: Path) -> None:
    sd = FakeSoundDevice(audio=ramp(20.0), interval_s=0.002)
    mic = WarmMicrophone(sd=sd)
    mic.open()
    try:
        for name in ("situation", "task"):
            rec = Recorder(tmp_path / f"{name}.flac", sd=mic.sd_for_take())
            rec.start()
            assert wait_for(lambda rec=rec: rec.frames_written >= 10 * 1600, 10)
            assert rec.stop().frames >= 10 * 1600
        assert len(sd.streams) == 1  # one stream opened for both takes
    finally:
        mic.close()
    assert not mic.is_open and sd.streams[0].closed


def test_an_unplugged_microphone_ends_the_take_with_its_audio(tmp_path: Path) -> None:
    sd = FakeSoundDevice(audio=ramp(1.0), end="finish", interval_s=0.002)
    mic = WarmMicrophone(sd=sd)
    mic.open()
    rec = Recorder(tmp_path / "action.flac", sd=mic.sd_for_take())
    try:
        rec.start()
        assert rec.finished.wait(10)
        result = rec.stop()
    finally:
        mic.close()
    assert result.error_kind == "disconnected"


def test_no_microphone_is_a_domain_error() -> None:
    with pytest.raises(NoMicrophone):
        WarmMicrophone(sd=FakeSoundDevice(devices=())).open()
