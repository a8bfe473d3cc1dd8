"""Turning a recording's spool into the final FLAC — at stop, and after a crash.

A recording in progress lives in ``<step>.rec.wav`` beside ``<step>.flac`` (see spool.py).
``finalize`` encodes it to FLAC atomically (temporary file, fsync, rename) and only then
deletes the spool, so at every instant one of the two holds the audio:

- the process is killed while recording: the spool stays; ``is_incomplete(path)`` is true and
  ``repair(path)`` writes the FLAC from it (the app offers this at its next start, see
  ``find_incomplete``);
- killed while finalizing: the spool is still there; repair redoes the work;
- the disk is full: the FLAC is encoded in memory first; if it cannot be written beside the
  spool, the spool (about twice the FLAC's size) is deleted to make room, and if even then the
  FLAC does not fit, the spool is written back so nothing is lost.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from starcoach.audio.spool import HEADER_BYTES, SAMPLE_BYTES, final_path, spool_path, wav_header

log = logging.getLogger(__name__)

Pcm16 = npt.NDArray[np.int16]

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def is_incomplete(path: Path | str) -> bool:
    """True when the recording at ``path`` was not finished (a spool is left beside it)."""
    return spool_path(Path(path)).exists()


def find_incomplete(root: Path | str) -> list[Path]:
    """The final paths (``.flac``) of every unfinished recording under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(final_path(spool) for spool in root.rglob("*.rec.wav"))


def repair(path: Path | str) -> float:
    """Write ``path`` as a valid FLAC from its spool; returns the seconds recovered.

    Returns 0.0 when there is nothing to repair (no spool) or the spool holds no audio (then
    the spool is removed and no FLAC is written: libsndfile cannot write an empty FLAC).
    Raises OSError when the FLAC cannot be written (the spool is then kept).
    """
    path = Path(path)
    spool = spool_path(path)
    if not spool.exists():
        return 0.0
    frames, samplerate = finalize(spool, path)
    return frames / samplerate if samplerate else 0.0


def delete_recording(path: Path | str) -> None:
    """Remove a recording and whatever a crash left of it (spool, temporary file)."""
    path = Path(path)
    for leftover in (path, spool_path(path), path.with_name(f".{path.name}.tmp")):
        leftover.unlink(missing_ok=True)


def read_spool(spool: Path) -> tuple[Pcm16, int, int]:
    """(samples as int16 frames×channels, samplerate, channels) from a spool, however it ended.

    The header's sizes are ignored: the audio runs to the end of the file, cut to whole frames
    (a disk-full write can stop mid-sample).
    """
    raw = spool.read_bytes()
    samplerate, channels, data_offset = _parse_header(raw)
    frame_bytes = SAMPLE_BYTES * channels
    usable = (len(raw) - data_offset) // frame_bytes * frame_bytes
    data = np.frombuffer(raw, dtype="<i2", count=max(usable, 0) // SAMPLE_BYTES, offset=data_offset)
    return data.reshape(-1, channels).astype(np.int16), samplerate, channels


def _parse_header(raw: bytes) -> tuple[int, int, int]:
    """samplerate, channels, offset of the audio; defaults to our own layout when damaged."""
    samplerate, channels = 16_000, 1
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        return samplerate, channels, min(len(raw), HEADER_BYTES)
    position = 12
    while position + 8 <= len(raw):
        chunk_id = raw[position : position + 4]
        (size,) = struct.unpack("<I", raw[position + 4 : position + 8])
        body = position + 8
        if chunk_id == b"fmt " and body + 16 <= len(raw):
            _, channels, samplerate = struct.unpack("<HHI", raw[body : body + 8])
            channels = max(int(channels), 1)
        elif chunk_id == b"data":
            return samplerate, channels, body
        position = body + size + (size & 1)
    return samplerate, channels, min(len(raw), HEADER_BYTES)


def finalize(spool: Path, path: Path) -> tuple[int, int]:
    """Encode ``spool`` to the FLAC ``path`` and delete the spool; returns (frames, samplerate).

    Raises OSError if the FLAC cannot be written; the spool then still holds every sample.
    """
    samples, samplerate, channels = read_spool(spool)
    frames = int(samples.shape[0])
    if frames == 0:
        spool.unlink(missing_ok=True)
        return 0, samplerate
    flac = encode_flac(samples, samplerate)
    try:
        write_atomic(path, flac)
    except OSError as exc:
        if exc.errno not in DISK_FULL_ERRNOS:
            raise
        log.warning("disk full writing %s; making room by removing its spool first", path)
        spool.unlink(missing_ok=True)
        try:
            write_atomic(path, flac)
        except OSError:
            # Put the audio back where it was; it fitted before.
            write_atomic(
                spool, wav_header(samplerate, channels, samples.nbytes) + samples.tobytes()
            )
            raise
    spool.unlink(missing_ok=True)
    return frames, samplerate


def encode_flac(samples: Pcm16, samplerate: int) -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, samples, samplerate, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync, and rename over it."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)
    os.replace(tmp, path)
