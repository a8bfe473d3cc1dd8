"""The write-ahead file a recording goes to while it runs: 16-bit PCM WAV, one write per block.

Why not FLAC straight away: libsndfile's FLAC encoder holds up to 4096 samples in memory and
only fixes the STREAMINFO (total samples, MD5) when the file is closed. Measured here after a
kill -9: soundfile reports the length as 2**63-1 and ``sf.read`` fails, a chunked read stops at
a libsndfile error before the last frames, and a file cut mid-frame (disk full) loses more.
A WAV written with plain ``os.write`` has none of these problems: every block is in the page
cache the moment ``write`` returns, so killing the process loses nothing already written, and
recovering it needs no decoder. At stop (and by ``flac_repair.repair`` after a crash) it is
encoded to FLAC, which takes ~30 ms for 90 s of audio.

The header's sizes are rewritten after each block, so the spool is a valid WAV at any moment
(to within the block being written); recovery still trusts the file size, not the header.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

SPOOL_SUFFIX = ".rec.wav"
HEADER_BYTES = 44
SAMPLE_BYTES = 2  # PCM_16: what the final FLAC holds anyway

FloatBlock = npt.NDArray[np.float32]


def spool_path(path: Path) -> Path:
    """The spool beside a final recording: ``recordings/s1/action.flac`` → ``action.rec.wav``."""
    return path.with_name(path.stem + SPOOL_SUFFIX)


def final_path(spool: Path, suffix: str = ".flac") -> Path:
    """The final recording a spool belongs to (the inverse of ``spool_path``)."""
    name = spool.name
    stem = name[: -len(SPOOL_SUFFIX)] if name.endswith(SPOOL_SUFFIX) else spool.stem
    return spool.with_name(stem + suffix)


def wav_header(samplerate: int, channels: int, data_bytes: int) -> bytes:
    block_align = channels * SAMPLE_BYTES
    return (
        b"RIFF"
        + struct.pack("<I", min(36 + data_bytes, 0xFFFFFFFF))
        + b"WAVEfmt "
        + struct.pack(
            "<IHHIIHH", 16, 1, channels, samplerate, samplerate * block_align, block_align, 16
        )
        + b"data"
        + struct.pack("<I", min(data_bytes, 0xFFFFFFFF))
    )


def to_pcm16(block: FloatBlock) -> bytes:
    scaled = np.rint(np.clip(block, -1.0, 1.0) * 32767.0)
    data: bytes = scaled.astype("<i2").tobytes()
    return data


class Spool(Protocol):
    """What the recorder's writer thread needs from its output file."""

    @property
    def frames(self) -> int: ...

    def write(self, block: FloatBlock) -> None: ...

    def close(self) -> None: ...


class WavSpool:
    """Appends mono float blocks as PCM_16 to a WAV file, flushed to the OS on every block.

    ``write`` raises OSError (ENOSPC when the disk is full); whatever part of the block the OS
    accepted is counted, so the header and ``frames`` stay true to the file.
    """

    def __init__(self, path: Path, samplerate: int, channels: int = 1) -> None:
        self.path = path
        self.samplerate = samplerate
        self.channels = channels
        self._data_bytes = 0
        self._fd: int | None = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644
        )
        try:
            self._write_all(wav_header(samplerate, channels, 0), count=False)
        except OSError:
            self.close()
            raise

    @property
    def frames(self) -> int:
        return self._data_bytes // (SAMPLE_BYTES * self.channels)

    def write(self, block: FloatBlock) -> None:
        if self._fd is None:
            raise ValueError("spool is closed")
        self._write_all(to_pcm16(block), count=True)
        self._update_header()

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            self._update_header(fd)
        finally:
            os.close(fd)

    def _write_all(self, data: bytes, *, count: bool) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            if count:
                self._data_bytes += written
            view = view[written:]

    def _update_header(self, fd: int | None = None) -> None:
        fd = self._fd if fd is None else fd
        if fd is None:
            return
        header = wav_header(self.samplerate, self.channels, self._data_bytes)
        # Overwrites bytes that exist already: needs no new disk space.
        if hasattr(os, "pwrite"):
            os.pwrite(fd, header, 0)
        else:  # Windows
            position = os.lseek(fd, 0, os.SEEK_CUR)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, header)
            os.lseek(fd, position, os.SEEK_SET)
