"""The recorder: unit tests on a fake sounddevice, end-to-end tests on the virtual microphone."""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from starcoach.audio import (
    DISCONNECTED_MESSAGE,
    DISK_FULL_MESSAGE,
    NO_AUDIO_MESSAGE,
    DeviceBusy,
    NoMicrophone,
    Recorder,
    RecordingWriteError,
)
from starcoach.audio.fake import FakePortAudioError, FakeSoundDevice, ramp
from starcoach.audio.flac_repair import is_incomplete
from starcoach.audio.spool import WavSpool, spool_path

SR = 16_000
BLOCK = 1600
NO_MIC = "No microphone found — plug one in or pick one in Settings"

WaitUntil = Callable[..., bool]


def pcm16(x: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(x, -1, 1) * 32767).astype(np.int16)


def recorder_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("recorder-", "fake-"))]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "recordings" / "s1" / "action.flac"


@pytest.fixture
def make_recorder() -> Iterator[Callable[..., Recorder]]:
    """Recorder(...) that is stopped at teardown even when the test fails half-way."""
    made: list[Recorder] = []

    def make(*args: Any, **kwargs: Any) -> Recorder:
        made.append(Recorder(*args, **kwargs))
        return made[-1]

    yield make
    for rec in made:
        rec.stop()


# --------------------------------------------------------------------------- unit (fake)


def test_blocks_written_in_order_and_level(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    audio = ramp(2.0)
    sd = FakeSoundDevice(audio=audio, end="stall", interval_s=0.002)
    rec = make_recorder(out, sd=sd, stall_timeout_s=30)
    rec.start()
    assert rec.first_block.wait(5)
    assert rec.first_block_latency_s is not None and rec.first_block_latency_s >= 0
    assert wait_until(lambda: rec.frames_written == len(audio), 5)
    assert rec.level > 0 and rec.level_dbfs > -100
    assert rec.duration_s == pytest.approx(2.0)
    result = rec.stop()
    assert result.ok and result.error is None
    assert (result.frames, result.dropped_blocks, result.overflows) == (len(audio), 0, 0)
    assert result.duration_s == pytest.approx(2.0)
    data, rate = sf.read(out, dtype="int16")
    assert rate == SR
    np.testing.assert_array_equal(data, pcm16(audio))
    assert not spool_path(out).exists() and not is_incomplete(out)
    assert recorder_threads() == []


def test_level_is_rms_of_latest_block(
    make_recorder: Callable[..., Recorder], out: Path, tmp_path: Path, wait_until: WaitUntil
) -> None:
    tone = np.full(BLOCK * 3, 0.5, np.float32)
    sd = FakeSoundDevice(audio=tone, end="stall", interval_s=0.002)
    with make_recorder(out, sd=sd, stall_timeout_s=30) as rec:
        assert wait_until(lambda: rec.frames_written == len(tone), 5)
        assert rec.level == pytest.approx(0.5, abs=1e-6)
        assert rec.level_dbfs == pytest.approx(-6.02, abs=0.01)
    quiet = FakeSoundDevice(end="silence", interval_s=0.002)
    with make_recorder(tmp_path / "quiet.flac", sd=quiet) as rec:
        assert wait_until(lambda: rec.frames_written >= BLOCK, 5)
        assert rec.level == 0.0 and rec.level_dbfs == -100.0


def test_overflows_are_counted(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    sd = FakeSoundDevice(audio=ramp(1.0), end="stall", interval_s=0.002, overflow_at={2, 5})
    rec = make_recorder(out, sd=sd, stall_timeout_s=30)
    rec.start()
    assert wait_until(lambda: rec.frames_written == SR, 5)
    result = rec.stop()
    assert result.overflows == 2 and result.ok


class BlockingSpool(WavSpool):
    """A writer stuck on a slow disk until ``release`` is set."""

    release = threading.Event()

    def write(self, block: np.ndarray) -> None:
        self.release.wait(10)
        super().write(block)


def test_blocks_dropped_when_the_queue_is_full_are_counted(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    BlockingSpool.release = threading.Event()
    audio = ramp(2.0)
    sd = FakeSoundDevice(audio=audio, end="stall", interval_s=0.001)
    rec = make_recorder(out, sd=sd, queue_blocks=3, stall_timeout_s=30, spool_factory=BlockingSpool)
    rec.start()
    assert wait_until(lambda: sd.streams[0].blocks_delivered == 20, 5)
    BlockingSpool.release.set()
    assert wait_until(lambda: rec.frames_written + rec.dropped_blocks * BLOCK == len(audio), 5)
    result = rec.stop()
    assert result.dropped_blocks >= 15  # 3 queued + 1 in the writer's hands were kept
    assert result.frames + result.dropped_blocks * BLOCK == len(audio)
    assert sf.info(out).frames == result.frames


class DiskFillsUp(WavSpool):
    """Accepts 5 blocks, then half of the sixth, then ENOSPC."""

    def write(self, block: np.ndarray) -> None:
        if self.frames >= 5 * BLOCK:
            super().write(block[: BLOCK // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        super().write(block)


def test_disk_full_stops_cleanly_and_keeps_the_audio(
    make_recorder: Callable[..., Recorder], out: Path
) -> None:
    audio = ramp(2.0)
    sd = FakeSoundDevice(audio=audio, end="silence", interval_s=0.002)
    rec = make_recorder(out, sd=sd, spool_factory=DiskFillsUp)
    rec.start()
    assert rec.finished.wait(5), "the writer should stop by itself"
    assert rec.error == DISK_FULL_MESSAGE and not rec.is_recording
    result = rec.stop()
    assert result.error == DISK_FULL_MESSAGE and result.error_kind == "disk-full"
    assert result.frames == 5 * BLOCK + BLOCK // 2
    data, _ = sf.read(out, dtype="int16")
    np.testing.assert_array_equal(data, pcm16(audio[: result.frames]))
    assert not is_incomplete(out)
    assert sd.streams[0].closed and recorder_threads() == []


def test_stop_is_idempotent_and_one_shot(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    never = make_recorder(out, sd=FakeSoundDevice())
    empty = never.stop()
    assert (empty.frames, empty.error) == (0, None) and never.stop() is empty

    sd = FakeSoundDevice(audio=ramp(0.5), end="silence", interval_s=0.002)
    rec = make_recorder(out, sd=sd)
    rec.start()
    assert wait_until(lambda: rec.frames_written >= SR // 2, 5)
    first = rec.stop()
    assert rec.stop() is first and rec.result is first
    with pytest.raises(RuntimeError):
        rec.start()
    assert recorder_threads() == []


def test_stop_with_a_tail_keeps_recording_a_little(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    sd = FakeSoundDevice(audio=ramp(5.0), end="silence", interval_s=0.005)
    rec = make_recorder(out, sd=sd)
    rec.start()
    assert wait_until(lambda: rec.frames_written >= SR // 2, 5)
    at_stop = rec.frames_written
    result = rec.stop(tail_s=0.3)
    assert result.frames >= at_stop + int(0.3 * SR)


def test_listeners_get_every_block_and_a_slow_one_costs_no_audio(
    make_recorder: Callable[..., Recorder], out: Path, wait_until: WaitUntil
) -> None:
    audio = ramp(2.0)
    heard: list[np.ndarray] = []
    unblock = threading.Event()

    def slow_listener(block: np.ndarray) -> None:
        unblock.wait(10)
        heard.append(block)

    def broken_listener(block: np.ndarray) -> None:
        raise RuntimeError("transcriber crashed")

    sd = FakeSoundDevice(audio=audio, end="stall", interval_s=0.002)
    rec = make_recorder(
        out,
        sd=sd,
        stall_timeout_s=30,
        listeners=[broken_listener, slow_listener],
    )
    rec.start()
    # The writer keeps up although the listener has not returned once.
    assert wait_until(lambda: rec.frames_written == len(audio), 5)
    assert heard == []
    unblock.set()
    result = rec.stop()  # waits until the listeners have had every block
    assert result.dropped_blocks == 0 and result.listener_errors == 1
    assert all(b.dtype == np.float32 and b.ndim == 1 for b in heard)
    np.testing.assert_array_equal(np.concatenate(heard), audio)


def test_stream_that_dies_is_reported_as_disconnected(
    make_recorder: Callable[..., Recorder], out: Path
) -> None:
    sd = FakeSoundDevice(audio=ramp(1.0), end="finish", interval_s=0.002)
    rec = make_recorder(out, sd=sd)
    rec.start()
    assert rec.finished.wait(5)
    result = rec.stop()
    assert result.error == DISCONNECTED_MESSAGE and result.error_kind == "disconnected"
    assert result.frames == SR and sf.info(out).frames == SR


def test_stream_that_stalls_is_reported_as_disconnected(
    make_recorder: Callable[..., Recorder], out: Path
) -> None:
    sd = FakeSoundDevice(audio=ramp(1.0), end="stall", interval_s=0.002)
    rec = make_recorder(out, sd=sd, stall_timeout_s=0.5)
    rec.start()
    assert rec.finished.wait(5)
    result = rec.stop()
    assert result.error == DISCONNECTED_MESSAGE and result.frames == SR


def test_device_that_never_delivers(make_recorder: Callable[..., Recorder], out: Path) -> None:
    sd = FakeSoundDevice(gate=threading.Event())  # never opened: no callback at all
    rec = make_recorder(out, sd=sd, start_timeout_s=0.3)
    rec.start()
    assert rec.finished.wait(5)
    sd.gate.set()  # type: ignore[union-attr]
    result = rec.stop()
    assert result.error == NO_AUDIO_MESSAGE and result.frames == 0
    assert not out.exists() and not is_incomplete(out)
    assert not rec.first_block.is_set()


@pytest.mark.parametrize(
    ("sd", "expected"),
    [
        (FakeSoundDevice([], default_input=-1), NoMicrophone),
        (FakeSoundDevice(open_error=FakePortAudioError("Error querying device -1")), NoMicrophone),
        (
            FakeSoundDevice(
                open_error=FakePortAudioError(
                    "Error opening InputStream: Device unavailable", -9985
                )
            ),
            DeviceBusy,
        ),
        (
            FakeSoundDevice(
                start_error=FakePortAudioError("Error starting stream: Device unavailable", -9985)
            ),
            DeviceBusy,
        ),
    ],
)
def test_start_failures_are_domain_errors_and_leave_nothing_behind(
    make_recorder: Callable[..., Recorder],
    out: Path,
    sd: FakeSoundDevice,
    expected: type[Exception],
) -> None:
    rec = make_recorder(out, sd=sd)
    with pytest.raises(expected) as caught:
        rec.start()
    if expected is NoMicrophone:
        assert str(caught.value) == NO_MIC
    assert not spool_path(out).exists() and not out.exists()
    assert recorder_threads() == []
    assert rec.stop().frames == 0


def test_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(RecordingWriteError, match="Cannot write the recording"):
        Recorder(blocker / "action.flac", sd=FakeSoundDevice()).start()


# --------------------------------------------------------------------------- e2e


SENTENCE = (
    "I pulled the dead letter queue myself. The failure rate dropped by forty percent in two weeks."
)
