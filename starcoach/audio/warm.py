"""A microphone kept open while the candidate is about to answer, so no first word is lost.

Opening an input stream takes 0.3-2 s before its first block arrives, and what is said
meanwhile is gone: "I learned..." was heard as "learned...", and the lost "I" is the word
the I-versus-we count measures. So the practice page opens the microphone when it is ready
to record (off the UI thread, and says so in the window), keeps the last ``preroll_s`` of
audio, and a take started on it begins with that pre-roll: audio from before the key press
and everything after it, the clock running from the first block at once.

A take records through a ``Recorder`` as always: ``sd_for_take()`` is a stand-in for the
sounddevice module whose InputStream is a tap on this open stream, so the recorder (queue,
writer, spool, health checks) is unchanged.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from starcoach.audio.devices import load_sounddevice, map_open_error, resolve_device
from starcoach.audio.recorder import BLOCKSIZE, SAMPLE_RATE

Block = npt.NDArray[np.float32]


class WarmMicrophone:
    """One input stream held open, with a ring of recent blocks (thread-safe)."""

    def __init__(
        self,
        device: int | str | None = None,
        *,
        sd: Any | None = None,
        preroll_s: float = 0.5,
        samplerate: int = SAMPLE_RATE,
        blocksize: int = BLOCKSIZE,
    ) -> None:
        self.device = device
        self.samplerate = samplerate
        self.blocksize = blocksize
        self._sd = sd
        self._ring: collections.deque[Block] = collections.deque(
            maxlen=max(1, round(preroll_s * samplerate / blocksize))
        )
        self._lock = threading.Lock()
        self._stream: Any | None = None
        self._tap: _Tap | None = None
        self._level = 0.0
        self.live = threading.Event()  # the first block has arrived: the microphone hears
        self._dead = threading.Event()  # the stream ended by itself (unplugged)

    @property
    def is_open(self) -> bool:
        return self._stream is not None and not self._dead.is_set()

    @property
    def level(self) -> float:
        return self._level

    def open(self) -> None:
        """Open and start the stream (slow: call it off the UI thread). Raises AudioError."""
        if self._stream is not None:
            return
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
                finished_callback=self._finished,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise map_open_error(exc, self.device, sd) from exc
        self._stream = stream

    def wait_until_live(self, timeout: float) -> bool:
        return self.live.wait(timeout)

    def close(self) -> None:
        with self._lock:
            stream, self._stream = self._stream, None
            self._ring.clear()
        if stream is not None:
            for action in ("stop", "close"):
                with contextlib.suppress(Exception):  # a vanished device fails here too
                    getattr(stream, action)()
        self.live.clear()
        self._level = 0.0

    def sd_for_take(self) -> Any:
        """A sounddevice stand-in whose input stream is a tap on this microphone."""
        return _TapModule(self)

    # -- PortAudio thread ----------------------------------------------------------------
    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        block: Block = np.array(indata[:, 0], dtype=np.float32)
        self._level = float(np.sqrt(np.mean(np.square(block)))) if block.size else 0.0
        with self._lock:
            tap = self._tap
            if tap is None:
                self._ring.append(block)
        self.live.set()
        if tap is not None:
            tap.deliver(block, status)

    def _finished(self) -> None:
        self._dead.set()
        with self._lock:
            tap = self._tap
        if tap is not None:
            tap.end()

    # -- taps ----------------------------------------------------------------------------
    def _attach(self, tap: _Tap) -> None:
        with self._lock:
            if self._tap is not None:
                raise RuntimeError("the microphone is already recording a take")
            if self._stream is None or self._dead.is_set():
                assert self._sd is not None
                raise self._sd.PortAudioError("the microphone is not open")
            preroll = list(self._ring)
            self._ring.clear()
            # Deliver the pre-roll under the lock: no live block can overtake it.
            for block in preroll:
                tap.deliver(block, None)
            self._tap = tap

    def _detach(self, tap: _Tap) -> None:
        with self._lock:
            if self._tap is tap:
                self._tap = None


class _Tap:
    """What the Recorder sees as its input stream."""

    def __init__(
        self,
        mic: WarmMicrophone,
        callback: Callable[..., None],
        finished_callback: Callable[[], None] | None,
    ) -> None:
        self._mic = mic
        self._callback = callback
        self._finished_callback = finished_callback
        self._running = False

    @property
    def active(self) -> bool:
        return self._running and self._mic.is_open

    def start(self) -> None:
        self._running = True
        self._mic._attach(self)

    def deliver(self, block: Block, status: Any) -> None:
        if self._running:
            self._callback(block.reshape(-1, 1), block.size, None, status)

    def end(self) -> None:
        if self._running:
            self._running = False
            if self._finished_callback is not None:
                self._finished_callback()

    def stop(self) -> None:
        # Like Pa_StopStream: after this returns, no callback runs (deliver holds the lock).
        self._mic._detach(self)
        self._running = False

    abort = stop

    def close(self) -> None:
        self.stop()


class _TapModule:
    """Delegates to the real sounddevice module except for InputStream."""

    def __init__(self, mic: WarmMicrophone) -> None:
        self._mic = mic

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mic._sd, name)

    def InputStream(self, **kwargs: Any) -> _Tap:  # named like the class it stands for
        mic = self._mic
        if (
            kwargs.get("samplerate", mic.samplerate) != mic.samplerate
            or kwargs.get("blocksize", mic.blocksize) != mic.blocksize
        ):
            raise ValueError("a take on the open microphone records at its rate and blocksize")
        return _Tap(mic, kwargs["callback"], kwargs.get("finished_callback"))
