"""Crash safety: spool repair, a real full disk, and kill -9 while recording the virtual mic."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from starcoach.audio import (
    delete_recording,
    find_incomplete,
    is_incomplete,
    repair,
)
from starcoach.audio.fake import ramp
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


# --------------------------------------------------------------------------- kill -9 (e2e)
