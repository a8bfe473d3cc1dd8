"""The recorder: unit tests on a fake sounddevice, end-to-end tests on the virtual microphone."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
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


SENTENCE = (
    "I pulled the dead letter queue myself. The failure rate dropped by forty percent in two weeks."
)


@pytest.mark.e2e
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


@pytest.mark.e2e
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


@pytest.mark.e2e
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
