"""Crash safety: spool repair, a real full disk, and kill -9 while recording the virtual mic."""

from __future__ import annotations

import logging
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from starcoach.audio import (
    DISK_FULL_MESSAGE,
    Recorder,
    delete_recording,
    find_incomplete,
    is_incomplete,
    repair,
)
from starcoach.audio.fake import FakeSoundDevice, ramp
from starcoach.audio.flac_repair import finalize
from starcoach.audio.spool import WavSpool, spool_path, wav_header
from tests.support.paths import TESTS

SR = 16_000
BLOCK = 1600
RECORD_FOREVER = TESTS / "audio_fixtures" / "record_forever.py"
# Log the seed so a failing kill point can be replayed: STARCOACH_KILL_SEED=<seed> pytest ...
SEED = int(os.environ.get("STARCOACH_KILL_SEED") or random.randrange(2**32))


def pcm16(x: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(x, -1, 1) * 32767).astype(np.int16)


@pytest.fixture
def flac(tmp_path: Path) -> Path:
    folder = tmp_path / "recordings" / "s1"
    folder.mkdir(parents=True)
    return folder / "action.flac"


def crashed_spool(path: Path, audio: np.ndarray) -> Path:
    """A spool as a killed recorder leaves it: written block by block, never closed."""
    spool = WavSpool(spool_path(path), SR)
    for start in range(0, len(audio), BLOCK):
        spool.write(audio[start : start + BLOCK])
    assert spool._fd is not None
    os.close(spool._fd)  # the process died: no close(), no finalize()
    return spool_path(path)


# --------------------------------------------------------------------------- repair (unit)


def test_repair_turns_a_crashed_spool_into_flac(flac: Path, tmp_path: Path) -> None:
    audio = ramp(0.3)
    crashed_spool(flac, audio)
    assert is_incomplete(flac) and not flac.exists()
    assert find_incomplete(tmp_path) == [flac]
    assert repair(flac) == pytest.approx(0.3)
    data, rate = sf.read(flac, dtype="int16")
    assert rate == SR
    np.testing.assert_array_equal(data, pcm16(audio))
    assert not is_incomplete(flac) and find_incomplete(tmp_path) == []
    assert repair(flac) == 0.0  # nothing left to do


def test_repair_trusts_the_file_size_not_a_stale_header(flac: Path) -> None:
    audio = ramp(0.25)
    spool = crashed_spool(flac, audio)
    with spool.open("r+b") as f:  # killed between the data write and the header update
        f.write(wav_header(SR, 1, 0))
    with spool.open("ab") as f:  # and a disk-full write that stopped mid-sample
        f.write(b"\x01")
    assert repair(flac) == pytest.approx(0.25)
    np.testing.assert_array_equal(sf.read(flac, dtype="int16")[0], pcm16(audio))


def test_spool_is_a_valid_wav_while_recording(flac: Path) -> None:
    spool = WavSpool(spool_path(flac), SR)
    spool.write(ramp(0.2))
    info = sf.info(spool_path(flac))
    assert (info.frames, info.samplerate) == (int(0.2 * SR), SR)
    spool.close()


def test_empty_or_damaged_spool_gives_nothing(flac: Path) -> None:
    spool_path(flac).write_bytes(wav_header(SR, 1, 0))
    assert repair(flac) == 0.0
    assert not spool_path(flac).exists() and not flac.exists()
    spool_path(flac).write_bytes(b"RIFF\x00")
    assert repair(flac) == 0.0 and not flac.exists()


def test_crash_after_the_flac_was_renamed_in(flac: Path) -> None:
    audio = ramp(0.5)
    crashed_spool(flac, audio)
    spool_bytes = spool_path(flac).read_bytes()
    finalize(spool_path(flac), flac)
    spool_path(flac).write_bytes(spool_bytes)  # the unlink never happened
    assert is_incomplete(flac)
    assert repair(flac) == pytest.approx(0.5)
    np.testing.assert_array_equal(sf.read(flac, dtype="int16")[0], pcm16(audio))
    assert not list(flac.parent.glob(".*.tmp"))


def test_delete_recording_removes_the_spool_too(flac: Path) -> None:
    crashed_spool(flac, ramp(0.2))
    delete_recording(flac)  # a take abandoned before it was repaired
    assert list(flac.parent.iterdir()) == []
    delete_recording(flac)  # nothing left: no error


# --------------------------------------------------------------------------- a real full disk


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 160 KiB tmpfs (about 5 s of spool); needs root and mount permission."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.e2e
def test_real_disk_full(tiny_disk: Path, caplog: pytest.LogCaptureFixture) -> None:
    t = np.arange(SR * 20) / SR
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)  # compresses well in FLAC
    out = tiny_disk / "action.flac"
    sd = FakeSoundDevice(audio=tone, end="silence", interval_s=0.001)
    rec = Recorder(out, sd=sd)
    caplog.set_level(logging.WARNING, logger="starcoach.audio")
    rec.start()
    try:
        assert rec.finished.wait(20), "the disk never filled up"
        on_disk_at_error = rec.frames_written
    finally:
        result = rec.stop()
    assert result.error == DISK_FULL_MESSAGE and result.error_kind == "disk-full"
    # The spool filled the disk, so the FLAC only fitted after the spool made room.
    assert "making room" in caplog.text
    assert result.frames >= on_disk_at_error > 3 * SR
    data, _ = sf.read(out, dtype="int16")
    assert len(data) == result.frames
    np.testing.assert_array_equal(data, pcm16(tone[: result.frames]))
    assert not is_incomplete(out)


# --------------------------------------------------------------------------- kill -9 (e2e)


def _read_lines(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


@pytest.mark.e2e
@pytest.mark.parametrize("run", range(3))
def test_kill_9_while_recording_loses_at_most_half_a_second(
    run: int,
    pulse_mic: Any,
    make_speech: Callable[[str], Path],
    flac: Path,
) -> None:
    rng = random.Random(SEED + run)
    kill_after_s = rng.uniform(0.5, 3.5)
    print(f"seed {SEED} run {run}: kill after {kill_after_s:.2f} s of audio on disk")
    clip = make_speech(
        "Tell me about a time you disagreed with a senior leader. I raised the concern with"
        " data, proposed an alternative, and when the decision went the other way I committed"
        " to it fully and shipped on time."
    )
    proc = subprocess.Popen(
        [sys.executable, str(RECORD_FOREVER), str(flac), pulse_mic.device],
        env=pulse_mic.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    reported = 0
    try:
        first = lines.get(timeout=30)
        assert first is not None and first.startswith("started"), (first, proc.stderr)
        started_at = time.monotonic()  # the first block (0.1 s) is on its way to the disk
        pulse_mic.play(clip)
        while reported < kill_after_s * SR:
            line = lines.get(timeout=10)
            assert line is not None and line.startswith("written"), line
            reported = int(line.split()[1])
        # Land anywhere in the 0.1 s write cycle, not always just after a write.
        threading.Event().wait(rng.uniform(0.0, BLOCK / SR))
        killed_at = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        reader.join(timeout=10)
        assert proc.stderr is not None
        proc.stderr.close()
    # Lines printed before the kill that we had not read yet: the recorder wrote that much too.
    while (line := lines.get_nowait()) is not None:
        if line.startswith("written"):
            reported = max(reported, int(line.split()[1]))
    assert proc.returncode == -signal.SIGKILL

    assert is_incomplete(flac)
    assert not flac.exists()  # nothing readable until repaired
    recovered = repair(flac)
    reported_s = reported / SR
    captured_s = killed_at - started_at + BLOCK / SR  # what had reached PortAudio, roughly
    print(
        f"{first}; at the kill {captured_s:.3f} s captured (wall clock), {reported_s:.3f} s"
        f" reported on disk; recovered {recovered:.3f} s: loss {captured_s - recovered:+.3f} s"
        f" vs wall clock, {reported_s - recovered:+.3f} s vs report"
    )
    assert recovered >= reported_s - 0.5
    data, rate = sf.read(flac, dtype="float32")
    assert rate == SR and len(data) / SR == pytest.approx(recovered)
    assert np.abs(data).max() > 0.05 or recovered < 1.0  # the speech is in it
    assert not is_incomplete(flac)
