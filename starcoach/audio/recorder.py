"""Recording one answer: microphone callback → queue → writer thread → file; listeners fed live.

Threads and who owns what:

- PortAudio's callback thread runs ``_callback``: it copies the block, computes its RMS level,
  puts the copy in a bounded queue and returns. No file I/O, no locks held beyond the queue's.
  A full queue drops the block and counts it; an ``input_overflow`` flag is counted too.
- The writer thread owns the spool file (spool.py): it writes each block as it arrives (one
  ``os.write``, so a kill -9 loses only what is still queued, normally < 0.1 s), watches the
  stream's health, and at the end encodes the FLAC (flac_repair.finalize).
- The listener thread calls the listeners (live transcription) with each float32 mono block,
  in order, from an unbounded queue that the writer fills. A slow listener therefore delays
  only itself, never the writer: audio is never dropped on its account. The price is memory
  (64 kB per second of lag) and that ``stop()`` waits until the listeners have had every
  block — listeners should hand the audio on to their own worker rather than work inline.

Trouble during a recording never raises: the disk filling up, the device vanishing (the stream
turns inactive, its finished callback runs, or no block arrives for ``stall_timeout_s`` while
it claims to be active) or never starting to deliver all end the recording cleanly; what was
written is kept and the result carries the message (``errors.*_MESSAGE``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from starcoach.audio.devices import load_sounddevice, map_open_error, resolve_device
from starcoach.audio.errors import (
    DISCONNECTED_MESSAGE,
    DISK_FULL_MESSAGE,
    NO_AUDIO_MESSAGE,
    RecordingWriteError,
)
from starcoach.audio.flac_repair import DISK_FULL_ERRNOS, finalize
from starcoach.audio.spool import Spool, WavSpool, spool_path

log = logging.getLogger(__name__)

Block = npt.NDArray[np.float32]
Listener = Callable[[Block], None]
SpoolFactory = Callable[[Path, int], Spool]
ErrorKind = Literal["disconnected", "no-audio", "disk-full", "write-failed"]

SAMPLE_RATE = 16_000
BLOCKSIZE = 1600  # 0.1 s; PortAudio's default made the first callback ~0.9 s late (RECIPES)
SILENCE_DBFS = -100.0


@dataclass(frozen=True)
class RecordingResult:
    """What a finished recording left on disk and how it went.

    ``path`` is the FLAC; it exists when ``frames > 0`` unless the FLAC itself could not be
    written (disk full at the very end), in which case ``flac_repair.is_incomplete(path)`` is
    true and ``flac_repair.repair(path)`` finishes the job later. ``error`` is None or a
    message fit to show; ``error_kind`` names it for code.
    """

    path: Path
    duration_s: float
    frames: int
    dropped_blocks: int
    overflows: int
    error: str | None = None
    error_kind: ErrorKind | None = None
    samplerate: int = SAMPLE_RATE
    first_block_latency_s: float | None = None
    listener_errors: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


class Recorder:
    """Records mono 16 kHz audio from one input device to a FLAC file.

    ``first_block`` is set when the first block has arrived — the first callback comes 0.3–2 s
    after ``start()``, and audio before it is lost, so the UI shows "recording" and starts its
    clock only then. ``finished`` is set when the writer has ended, by ``stop()`` or on its own
    after an error (then ``error`` says why; call ``stop()`` to collect the result).

    ``level`` is the RMS of the latest block, linear, 0..1 of full scale (a full-scale sine
    reads 0.707; speech at a normal distance 0.02–0.2); ``level_dbfs`` is the same in dBFS.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        device: int | str | None = None,
        samplerate: int = SAMPLE_RATE,
        blocksize: int = BLOCKSIZE,
        sd: Any | None = None,
        listeners: Sequence[Listener] = (),
        queue_blocks: int = 300,
        stall_timeout_s: float = 1.5,
        start_timeout_s: float = 5.0,
        spool_factory: SpoolFactory | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.device = device
        self.samplerate = samplerate
        self.blocksize = blocksize
        self._sd = sd
        self._listeners = list(listeners)
        self._stall_timeout_s = stall_timeout_s
        self._start_timeout_s = start_timeout_s
        self._spool_factory: SpoolFactory = spool_factory or WavSpool
        self._clock = clock

        self.first_block = threading.Event()
        self.finished = threading.Event()

        self._queue: queue.Queue[Block | None] = queue.Queue(maxsize=queue_blocks)
        self._listener_queue: queue.SimpleQueue[Block | None] = queue.SimpleQueue()
        self._stream: Any | None = None
        self._stream_lock = threading.Lock()
        self._stop_lock = threading.Lock()
        self._stream_finished = threading.Event()
        self._closing = threading.Event()  # stop() began: health checks off
        self._drain = threading.Event()  # the stream is stopped: write what is queued, then end
        self._spool: Spool | None = None
        self._writer: threading.Thread | None = None
        self._listener_thread: threading.Thread | None = None
        self._result: RecordingResult | None = None

        # Written by the callback thread only (single writer; plain reads elsewhere are fine).
        self._accepting = False
        self._level = 0.0
        self._overflows = 0
        self._dropped = 0
        self._last_callback = 0.0
        self._first_block_at: float | None = None
        # Written by the writer thread only.
        self._frames_written = 0
        self._final_frames: int | None = None
        self._error: str | None = None
        self._error_kind: ErrorKind | None = None
        self._listener_errors = 0
        self._started_at = 0.0

    # ----------------------------------------------------------------- state, for the UI
    @property
    def level(self) -> float:
        return self._level

    @property
    def level_dbfs(self) -> float:
        level = self._level
        return max(20.0 * math.log10(level), SILENCE_DBFS) if level > 0 else SILENCE_DBFS

    @property
    def frames_written(self) -> int:
        return self._frames_written

    @property
    def duration_s(self) -> float:
        return self._frames_written / self.samplerate

    @property
    def overflows(self) -> int:
        return self._overflows

    @property
    def dropped_blocks(self) -> int:
        return self._dropped

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def error_kind(self) -> ErrorKind | None:
        return self._error_kind

    @property
    def first_block_latency_s(self) -> float | None:
        at = self._first_block_at
        return None if at is None else at - self._started_at

    @property
    def is_recording(self) -> bool:
        return self._writer is not None and not self.finished.is_set()

    @property
    def result(self) -> RecordingResult | None:
        """The result once ``stop()`` has run, else None."""
        return self._result

    # ----------------------------------------------------------------- start / stop
    def start(self) -> None:
        """Open the device and start recording; raises an AudioError when that is impossible."""
        if self._writer is not None or self._result is not None:
            raise RuntimeError("a Recorder records once; make a new one for the next take")
        sd = load_sounddevice() if self._sd is None else self._sd
        self._sd = sd
        device = resolve_device(self.device, sd)
        try:
            stream = sd.InputStream(
                device=device,
                samplerate=self.samplerate,
                blocksize=self.blocksize,
                channels=1,
                dtype="float32",
                callback=self._callback,
                finished_callback=self._stream_finished.set,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise map_open_error(exc, self.device, sd) from exc
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._spool = self._spool_factory(spool_path(self.path), self.samplerate)
        except OSError as exc:
            _close_quietly(stream)
            raise RecordingWriteError(self.path, exc.strerror or str(exc)) from exc

        self._stream = stream
        if self._listeners:
            self._listener_thread = threading.Thread(
                target=self._listen_loop, name="recorder-listeners", daemon=True
            )
            self._listener_thread.start()
        self._accepting = True
        self._started_at = self._clock()
        try:
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._accepting = False
            self._stream = None
            _close_quietly(stream)
            self._abandon_spool()
            self._listener_queue.put(None)
            if self._listener_thread is not None:
                self._listener_thread.join()
            raise map_open_error(exc, self.device, sd) from exc
        self._writer = threading.Thread(
            target=self._write_loop, name="recorder-writer", daemon=True
        )
        self._writer.start()

    def stop(self, tail_s: float = 0.0) -> RecordingResult:
        """Stop, finish the FLAC, join the threads; never raises. Safe to call again.

        ``tail_s`` keeps recording that much longer first (bounded by ``tail_s`` + 1 s of wall
        time), so the last word spoken before the Stop key is not cut off by the blocks still on
        their way through the sound server — Anki delays its stop for the same reason.
        Called from a listener, it does not wait for the listeners (that would deadlock).
        """
        if tail_s > 0 and self.is_recording:
            target = self._frames_written + int(tail_s * self.samplerate)
            deadline = self._clock() + tail_s + 1.0
            while (
                self._frames_written < target
                and self._clock() < deadline
                and not self.finished.wait(0.01)
            ):
                pass
        with self._stop_lock:
            if self._result is not None:
                return self._result
            self._closing.set()
            with self._stream_lock:
                stream, self._stream = self._stream, None
            if stream is not None:
                # Pa_StopStream returns after the last callback: nothing arrives after this.
                _close_quietly(stream)
            self._accepting = False
            self._level = 0.0
            self._drain.set()
            with contextlib.suppress(queue.Full):
                self._queue.put_nowait(None)  # wake the writer; if full, it drains anyway
            if self._writer is not None:
                self._writer.join()
            else:
                self.finished.set()
            listener_thread = self._listener_thread
            if listener_thread is not None and listener_thread is not threading.current_thread():
                listener_thread.join()
            frames = self._final_frames if self._final_frames is not None else 0
            self._result = RecordingResult(
                path=self.path,
                duration_s=frames / self.samplerate,
                frames=frames,
                dropped_blocks=self._dropped,
                overflows=self._overflows,
                error=self._error,
                error_kind=self._error_kind,
                samplerate=self.samplerate,
                first_block_latency_s=self.first_block_latency_s,
                listener_errors=self._listener_errors,
            )
            return self._result

    def __enter__(self) -> Recorder:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ----------------------------------------------------------------- PortAudio thread
    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        now = self._clock()
        self._last_callback = now
        if status is not None and getattr(status, "input_overflow", False):
            self._overflows += 1
        if not self._accepting:
            return
        block: Block = np.array(indata[:, 0], dtype=np.float32)  # PortAudio reuses indata
        self._level = float(np.sqrt(np.mean(np.square(block)))) if block.size else 0.0
        try:
            self._queue.put_nowait(block)
        except queue.Full:
            self._dropped += 1
            return
        if self._first_block_at is None:
            self._first_block_at = now
            self.first_block.set()

    # ----------------------------------------------------------------- writer thread
    def _write_loop(self) -> None:
        try:
            self._write_blocks()
        except Exception:  # a bug must not leave the file unfinished or stop() hanging
            log.exception("recorder writer failed")
            if self._error is None:
                self._set_error("write-failed", "Recording failed; the audio so far is kept.")
        finally:
            self._accepting = False
            self._finish_file()
            self._listener_queue.put(None)
            self.finished.set()

    def _write_blocks(self) -> None:
        spool = self._spool
        assert spool is not None
        while True:
            try:
                block = self._queue.get(timeout=0.05)
            except queue.Empty:
                block = None
            if block is None:
                if self._drain.is_set() and self._queue.empty():
                    return
                if not self._closing.is_set():
                    problem = self._stream_problem()
                    if problem is not None:
                        self._set_error(*problem)
                        return
                continue
            try:
                spool.write(block)
            except OSError as exc:
                self._frames_written = spool.frames
                self._set_write_error(exc)
                return
            self._frames_written = spool.frames
            if self._listener_thread is not None:
                self._listener_queue.put(block)

    def _stream_problem(self) -> tuple[ErrorKind, str] | None:
        if self._stream_finished.is_set():
            return "disconnected", DISCONNECTED_MESSAGE
        with self._stream_lock:
            stream = self._stream
            if stream is not None and not self._closing.is_set():
                try:
                    active = bool(stream.active)
                except Exception:  # PortAudioError: the stream is gone
                    active = False
                if not active:
                    return "disconnected", DISCONNECTED_MESSAGE
        now = self._clock()
        if self._first_block_at is None:
            if now - self._started_at > self._start_timeout_s:
                return "no-audio", NO_AUDIO_MESSAGE
        elif now - self._last_callback > self._stall_timeout_s:
            return "disconnected", DISCONNECTED_MESSAGE
        return None

    def _set_error(self, kind: ErrorKind, message: str) -> None:
        if self._error is None:
            log.warning("recording %s: %s", self.path, message)
            self._error_kind, self._error = kind, message

    def _set_write_error(self, exc: OSError) -> None:
        if exc.errno in DISK_FULL_ERRNOS:
            self._set_error("disk-full", DISK_FULL_MESSAGE)
        else:
            reason = exc.strerror or str(exc)
            self._set_error(
                "write-failed",
                f"Could not write the recording ({reason}); the audio so far is kept",
            )

    def _finish_file(self) -> None:
        spool = self._spool
        if spool is None:
            return
        try:
            spool.close()
        except OSError as exc:
            self._set_write_error(exc)
        try:
            frames, _ = finalize(spool_path(self.path), self.path)
        except OSError as exc:
            # The spool keeps the audio; flac_repair.repair() finishes the job later.
            log.warning("could not write %s: %s", self.path, exc)
            self._set_write_error(exc)
            frames = self._frames_written
        except Exception:
            log.exception("could not encode %s", self.path)
            self._set_error("write-failed", "Could not save the recording; the audio is kept.")
            frames = self._frames_written
        self._final_frames = frames

    def _abandon_spool(self) -> None:
        spool, self._spool = self._spool, None
        if spool is None:
            return
        try:
            spool.close()
            spool_path(self.path).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s", spool_path(self.path))

    # ----------------------------------------------------------------- listener thread
    def _listen_loop(self) -> None:
        listeners = list(self._listeners)
        while True:
            block = self._listener_queue.get()
            if block is None:
                return
            for listener in list(listeners):
                try:
                    listener(block)
                except Exception:
                    # A broken listener (say, transcription) must not cost the recording.
                    log.exception("recording listener %r failed; it gets no more audio", listener)
                    self._listener_errors += 1
                    listeners.remove(listener)


def _close_quietly(stream: Any) -> None:
    for action in ("stop", "close"):
        try:
            getattr(stream, action)()
        except Exception as exc:  # a vanished device fails here too; the audio is safe
            log.debug("stream.%s failed: %s", action, exc)
