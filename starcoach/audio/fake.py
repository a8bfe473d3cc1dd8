"""A stand-in for the sounddevice module: devices from a list, audio from an array.

Pass an instance wherever StarCoach takes ``sd=`` (Recorder, devices functions). It plays
``audio`` block by block through the stream callback from its own thread, like PortAudio's
callback thread, and then does what ``end`` says: keep delivering silence, ``stall`` (stay
"active" but deliver nothing, as a stalled device does), or ``finish`` (the stream dies, as
when the device is unplugged: ``active`` turns False and the finished callback runs).

It implements only what StarCoach uses: query_devices, query_hostapis, default.device,
InputStream (callback mode), PortAudioError, CallbackFlags, _terminate/_initialize.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

End = Literal["silence", "stall", "finish"]

DEFAULT_DEVICES: tuple[Mapping[str, Any], ...] = (
    {
        "name": "Fake Microphone",
        "hostapi": 0,
        "max_input_channels": 1,
        "max_output_channels": 0,
        "default_samplerate": 16000.0,
    },
    {
        "name": "Fake Speakers",
        "hostapi": 0,
        "max_input_channels": 0,
        "max_output_channels": 2,
        "default_samplerate": 48000.0,
    },
)


class FakePortAudioError(Exception):
    pass


class FakeCallbackFlags:
    def __init__(self, input_overflow: bool = False) -> None:
        self.input_overflow = input_overflow

    def __bool__(self) -> bool:
        return self.input_overflow

    def __str__(self) -> str:
        return "input overflow" if self.input_overflow else ""


class _Default:
    def __init__(self, input_index: int, output_index: int) -> None:
        self.device: list[int] = [input_index, output_index]


class FakeInputStream:
    def __init__(self, owner: FakeSoundDevice, **kwargs: Any) -> None:
        self.owner = owner
        self.kwargs = kwargs
        self.samplerate = int(kwargs.get("samplerate") or 16000)
        self.blocksize = int(kwargs.get("blocksize") or 1024)
        self.channels = int(kwargs.get("channels") or 1)
        self.callback: Callable[..., None] | None = kwargs.get("callback")
        self.finished_callback: Callable[[], None] | None = kwargs.get("finished_callback")
        self.blocks_delivered = 0
        self.closed = False
        self._running = False
        self._finished = False
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self._running and not self._finished

    @property
    def stopped(self) -> bool:
        return not self._running

    def start(self) -> None:
        if self.owner.start_error is not None:
            raise self.owner.start_error
        self._running = True
        self._thread = threading.Thread(target=self._run, name="fake-portaudio", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        was_running = self._running and not self._finished
        self._running = False
        if was_running and self.finished_callback is not None:
            self.finished_callback()

    abort = stop

    def close(self) -> None:
        if self._running:
            self.stop()
        self.closed = True

    def _run(self) -> None:
        owner = self.owner
        interval = (
            self.blocksize / self.samplerate if owner.interval_s is None else owner.interval_s
        )
        audio = owner.audio
        position = 0
        while not self._halt.is_set():
            if owner.gate is not None:
                owner.gate.wait()
            if audio is not None and position < len(audio):
                block = audio[position : position + self.blocksize]
                position += self.blocksize
                if len(block) < self.blocksize:
                    block = np.pad(block, (0, self.blocksize - len(block)))
            elif owner.end == "silence":
                block = np.zeros(self.blocksize, np.float32)
            elif owner.end == "finish":
                self._finished = True
                if self.finished_callback is not None:
                    self.finished_callback()
                return
            else:  # stall
                self._halt.wait()
                return
            indata = np.repeat(block.astype(np.float32)[:, None], self.channels, axis=1)
            flags = FakeCallbackFlags(self.blocks_delivered in owner.overflow_at)
            if self.callback is not None:
                self.callback(indata, self.blocksize, None, flags)
            self.blocks_delivered += 1
            if interval > 0:
                self._halt.wait(interval)

    def __enter__(self) -> FakeInputStream:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FakeSoundDevice:
    """The fake module. Attributes may be changed between streams (or before ``_initialize``)."""

    PortAudioError = FakePortAudioError
    CallbackFlags = FakeCallbackFlags

    def __init__(
        self,
        devices: Sequence[Mapping[str, Any]] = DEFAULT_DEVICES,
        *,
        default_input: int = 0,
        hostapis: Sequence[str] = ("ALSA",),
        audio: npt.NDArray[np.float32] | None = None,
        end: End = "silence",
        interval_s: float | None = None,
        overflow_at: Collection[int] = (),
        open_error: BaseException | None = None,
        start_error: BaseException | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        self.devices = [dict(d) for d in devices]
        self.hostapis = list(hostapis)
        self.default = _Default(default_input, -1)
        self.audio = audio
        self.end: End = end
        self.interval_s = interval_s  # None: real time (blocksize / samplerate); 0: flat out
        self.overflow_at = frozenset(overflow_at)
        self.open_error = open_error
        self.start_error = start_error
        self.gate = gate  # when set to a cleared Event, delivery pauses until it is set
        self.streams: list[FakeInputStream] = []
        self.rescans = 0
        self.pending_devices: list[dict[str, Any]] | None = None

    def query_devices(self, device: int | str | None = None, kind: str | None = None) -> Any:
        listed = [{"index": i, **d} for i, d in enumerate(self.devices)]
        if kind == "input":
            device = self.default.device[0] if device is None else device
        if device is None:
            return listed
        if isinstance(device, int) and 0 <= device < len(listed):
            return listed[device]
        raise FakePortAudioError(f"Error querying device {device}")

    def query_hostapis(self, index: int | None = None) -> Any:
        apis = [{"name": name} for name in self.hostapis]
        return apis if index is None else apis[index]

    def InputStream(self, **kwargs: Any) -> FakeInputStream:  # named like the class it mimics
        if self.open_error is not None:
            raise self.open_error
        device = kwargs.get("device")
        if device is None:
            device = self.default.device[0]
        if isinstance(device, str):
            matches = [
                i
                for i, d in enumerate(self.devices)
                if device.lower() in str(d["name"]).lower() and d["max_input_channels"] > 0
            ]
            if not matches:
                raise ValueError(f"No input device matching {device!r}")
            device = matches[0]
        if not 0 <= device < len(self.devices):
            raise FakePortAudioError(f"Error querying device {device}")
        stream = FakeInputStream(self, **kwargs)
        self.streams.append(stream)
        return stream

    def _terminate(self) -> None:
        self.rescans += 1

    def _initialize(self) -> None:
        if self.pending_devices is not None:
            self.devices, self.pending_devices = self.pending_devices, None


def ramp(seconds: float, samplerate: int = 16000) -> npt.NDArray[np.float32]:
    """A sawtooth test signal (0 to 0.5, period 1.25 s): blocks out of order or lost show."""
    n = int(seconds * samplerate)
    return (np.arange(n, dtype=np.float32) % 20000 / 40000.0).astype(np.float32)
