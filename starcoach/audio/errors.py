"""Audio errors the user can cause or fix, each with a message fit to show as it is.

Opening a microphone fails with exceptions (raised by ``Recorder.start`` and the device
functions). Trouble *during* a recording never raises: the recorder stops cleanly, keeps the
audio written so far and reports one of the ``*_MESSAGE`` texts in its result.
"""

from __future__ import annotations

from collections.abc import Sequence

from starcoach.errors import StarCoachError

DISCONNECTED_MESSAGE = "The microphone was disconnected; the audio so far is kept."
DISK_FULL_MESSAGE = "Disk full — recording stopped; the audio so far is kept"
NO_AUDIO_MESSAGE = "The microphone sends no audio — check it or pick another one in Settings"


class AudioError(StarCoachError):
    """Base class of the audio errors."""


class NoMicrophone(AudioError):
    def __init__(self) -> None:
        super().__init__("No microphone found — plug one in or pick one in Settings")


class DeviceNotFound(AudioError):
    def __init__(self, spec: int | str) -> None:
        super().__init__(
            f"Microphone '{spec}' not found — plug it in or pick another one in Settings"
            " ('starcoach devices' lists them)"
        )
        self.spec = spec


class AmbiguousDevice(AudioError):
    def __init__(self, spec: str, names: Sequence[str]) -> None:
        super().__init__(
            f"'{spec}' matches several microphones ({', '.join(names)}) — use the full name"
            " or the number shown by 'starcoach devices'"
        )
        self.spec = spec
        self.names = tuple(names)


class DeviceBusy(AudioError):
    def __init__(self, name: str | None = None) -> None:
        what = f"The microphone '{name}'" if name else "The microphone"
        super().__init__(
            f"{what} is in use by another program — close that program or pick another"
            " microphone in Settings"
        )
        self.name = name


class DeviceUnsupported(AudioError):
    """The device refuses 16 kHz mono float input (a raw ALSA ``hw:`` device, for instance)."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"This microphone cannot record the way StarCoach needs ({detail}) — pick"
            " 'default' or another microphone in Settings"
        )


class AudioBackendMissing(AudioError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Audio input is not available: {detail} (on Linux, install the libportaudio2 package)"
        )


class AudioDeviceError(AudioError):
    """Any other failure to open the microphone; the detail is PortAudio's own text."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Could not open the microphone: {detail}")


class RecordingWriteError(AudioError):
    """The recording file cannot be created (folder not writable, disk full at start)."""

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(f"Cannot write the recording {path}: {detail}")
