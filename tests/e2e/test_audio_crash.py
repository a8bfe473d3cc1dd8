"""test_audio_crash: the end-to-end half (the real model, microphone or disk); the rest is in
tests/unit/audio/test_audio_crash.py."""

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
    is_incomplete,
    repair,
)
from starcoach.audio.fake import FakeSoundDevice
from tests.unit.audio import test_audio_crash as unit_half
from tests.unit.audio.test_audio_crash import BLOCK, RECORD_FOREVER, SEED, SR, pcm16

# Fixtures shared with the unit half (pytest finds them as this module's names).
flac = unit_half.flac


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


def _read_lines(stream: Any, lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.strip())
    lines.put(None)


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
