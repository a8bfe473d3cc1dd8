"""Microphone input: devices, the recorder (callback → queue → writer thread → FLAC), repair.

Qt-free. The sounddevice module is imported lazily and can be replaced by a fake (``sd=``).
"""

from starcoach.audio.devices import (
    InputDevice,
    list_input_devices,
    load_sounddevice,
    rescan_devices,
    resolve_device,
)
from starcoach.audio.errors import (
    DISCONNECTED_MESSAGE,
    DISK_FULL_MESSAGE,
    NO_AUDIO_MESSAGE,
    AmbiguousDevice,
    AudioBackendMissing,
    AudioDeviceError,
    AudioError,
    DeviceBusy,
    DeviceNotFound,
    DeviceUnsupported,
    NoMicrophone,
    RecordingWriteError,
)
from starcoach.audio.flac_repair import delete_recording, find_incomplete, is_incomplete, repair
from starcoach.audio.recorder import BLOCKSIZE, SAMPLE_RATE, Recorder, RecordingResult

__all__ = [
    "BLOCKSIZE",
    "DISCONNECTED_MESSAGE",
    "DISK_FULL_MESSAGE",
    "NO_AUDIO_MESSAGE",
    "SAMPLE_RATE",
    "AmbiguousDevice",
    "AudioBackendMissing",
    "AudioDeviceError",
    "AudioError",
    "DeviceBusy",
    "DeviceNotFound",
    "DeviceUnsupported",
    "InputDevice",
    "NoMicrophone",
    "Recorder",
    "RecordingResult",
    "RecordingWriteError",
    "delete_recording",
    "find_incomplete",
    "is_incomplete",
    "list_input_devices",
    "load_sounddevice",
    "repair",
    "rescan_devices",
    "resolve_device",
]
