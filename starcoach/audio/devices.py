"""Microphones: list them, resolve the user's choice, turn PortAudio failures into plain words.

Every function takes the sounddevice module as an optional ``sd`` argument so tests (and the
UI's own tests) can pass a fake such as ``starcoach.audio.fake.FakeSoundDevice``; by default
the real module is imported on first use.

PortAudio lists devices once, when it is initialised (at ``import sounddevice``): a microphone
plugged in later, or a sound server started later, is invisible until ``rescan_devices()``.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from starcoach.audio.errors import (
    AmbiguousDevice,
    AudioBackendMissing,
    AudioDeviceError,
    AudioError,
    DeviceBusy,
    DeviceNotFound,
    DeviceUnsupported,
    NoMicrophone,
)

# PaErrorCode values (portaudio.h); host APIs word their messages differently, the codes agree.
PA_INVALID_CHANNEL_COUNT = -9998
PA_INVALID_SAMPLE_RATE = -9997
PA_INVALID_DEVICE = -9996
PA_DEVICE_UNAVAILABLE = -9985
PA_SAMPLE_FORMAT_NOT_SUPPORTED = -9994
PA_BAD_IO_DEVICE_COMBINATION = -9993


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    hostapi: str
    channels: int
    default_samplerate: float
    is_default: bool

    def label(self) -> str:
        """One line for a device list: ``3  USB Mic (ALSA, 1 ch, 48000 Hz) [default]``."""
        mark = " [default]" if self.is_default else ""
        return (
            f"{self.index}  {self.name} ({self.hostapi}, {self.channels} ch,"
            f" {self.default_samplerate:.0f} Hz){mark}"
        )


def load_sounddevice() -> Any:
    """Import the real sounddevice module, mapping a missing PortAudio to a domain error."""
    try:
        import sounddevice
    except OSError as exc:  # "PortAudio library not found"
        raise AudioBackendMissing(str(exc)) from exc
    return sounddevice


def _module(sd: Any | None) -> Any:
    return load_sounddevice() if sd is None else sd


def rescan_devices(sd: Any | None = None) -> None:
    """Make PortAudio list the devices again (after a plug-in or a sound-server start).

    Only call this while no stream is open: terminating PortAudio closes every stream.
    """
    sd = _module(sd)
    sd._terminate()
    sd._initialize()


def default_input_index(sd: Any | None = None) -> int:
    """PortAudio's default input device index, or -1 when there is none."""
    sd = _module(sd)
    try:
        value = sd.default.device[0]
    except (IndexError, TypeError):
        return -1
    if isinstance(value, int):
        return value
    # Someone set sd.default.device to a name: let sounddevice resolve it.
    try:
        info = sd.query_devices(kind="input")
    except (sd.PortAudioError, ValueError):
        return -1
    return int(info["index"])


def list_input_devices(sd: Any | None = None) -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio's order."""
    sd = _module(sd)
    try:
        infos = list(sd.query_devices())
    except sd.PortAudioError:
        return []
    default = default_input_index(sd)
    hostapi_names: dict[int, str] = {}
    devices: list[InputDevice] = []
    for position, info in enumerate(infos):
        channels = int(info.get("max_input_channels", 0))
        if channels <= 0:
            continue
        index = int(info.get("index", position))
        hostapi = int(info.get("hostapi", 0))
        if hostapi not in hostapi_names:
            hostapi_names[hostapi] = _hostapi_name(sd, hostapi)
        devices.append(
            InputDevice(
                index=index,
                name=str(info["name"]),
                hostapi=hostapi_names[hostapi],
                channels=channels,
                default_samplerate=float(info.get("default_samplerate", 0.0)),
                is_default=index == default,
            )
        )
    return devices


def _hostapi_name(sd: Any, index: int) -> str:
    try:
        return str(sd.query_hostapis(index)["name"])
    except (sd.PortAudioError, IndexError, KeyError, TypeError):
        return "?"


def resolve_device(spec: int | str | None, sd: Any | None = None) -> int | str | None:
    """The device to open for ``spec``: a PortAudio index, or None for the system default.

    ``spec`` may be None or "" (the default input), an index (int or digits), an exact device
    name (case-insensitive), or a part of one ("usb" for "USB Audio Device: - (hw:1,0)").
    A part that matches several devices of the same name (one microphone seen through several
    host APIs, as on Windows) picks the one on the default input's host API.

    Raises NoMicrophone when there is no input device at all, DeviceNotFound when ``spec``
    matches none, AmbiguousDevice when it matches different devices.
    """
    sd = _module(sd)
    devices = list_input_devices(sd)
    if not devices:
        raise NoMicrophone()
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        if any(d.is_default for d in devices):
            return None
        # Inputs exist but PortAudio names none as default (-1): the first one is a better
        # answer than refusing to record.
        return devices[0].index
    if isinstance(spec, int) or spec.strip().isdigit():
        index = int(spec)
        if any(d.index == index for d in devices):
            return index
        raise DeviceNotFound(spec)
    wanted = spec.strip().casefold()
    exact = [d for d in devices if d.name.casefold() == wanted]
    if exact:
        return _prefer_default_hostapi(exact, devices).index
    partial = [d for d in devices if wanted in d.name.casefold()]
    if not partial:
        raise DeviceNotFound(spec)
    names = sorted({d.name for d in partial})
    if len(names) > 1:
        raise AmbiguousDevice(spec, names)
    return _prefer_default_hostapi(partial, devices).index


def _prefer_default_hostapi(
    candidates: list[InputDevice], devices: list[InputDevice]
) -> InputDevice:
    default_api = next((d.hostapi for d in devices if d.is_default), None)
    for device in candidates:
        if device.hostapi == default_api:
            return device
    return candidates[0]


def map_open_error(exc: BaseException, spec: int | str | None, sd: Any | None = None) -> AudioError:
    """The domain error for an exception raised while opening or starting an input stream.

    Covers what sounddevice raises on each platform: ``ValueError`` for a name that matches
    nothing (or several devices), ``PortAudioError`` with a PaErrorCode, or only a text such
    as "Error querying device -1" when there is no device at all.
    """
    if isinstance(exc, AudioError):
        return exc
    sd = _module(sd)
    text = str(exc.args[0]) if exc.args else str(exc)
    lowered = text.lower()
    if isinstance(exc, ValueError):
        if lowered.startswith("multiple") and isinstance(spec, str):
            return AmbiguousDevice(spec, [])
        if "no input device matching" in lowered or "no device matching" in lowered:
            if not list_input_devices(sd) or spec is None:
                return NoMicrophone()
            return DeviceNotFound(spec)
        return AudioDeviceError(text)
    code = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
    host_text = ""
    if len(exc.args) > 2 and isinstance(exc.args[2], tuple) and len(exc.args[2]) > 2:
        host_text = str(exc.args[2][2]).lower()
    if "device -1" in lowered:
        return NoMicrophone()
    if (
        code == PA_DEVICE_UNAVAILABLE
        or "unavailable" in lowered
        or "busy" in lowered
        or "busy" in host_text
        or f"errno {errno.EBUSY}" in host_text
    ):
        return DeviceBusy(None if spec is None else str(spec))
    if code == PA_INVALID_DEVICE or "invalid device" in lowered:
        if not list_input_devices(sd):
            return NoMicrophone()
        return DeviceNotFound(spec if spec is not None else "default")
    if (
        code
        in (
            PA_INVALID_SAMPLE_RATE,
            PA_INVALID_CHANNEL_COUNT,
            PA_SAMPLE_FORMAT_NOT_SUPPORTED,
            PA_BAD_IO_DEVICE_COMBINATION,
        )
        or "invalid sample rate" in lowered
    ):
        return DeviceUnsupported(text)
    return AudioDeviceError(text)
