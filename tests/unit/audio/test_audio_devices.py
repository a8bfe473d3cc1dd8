"""Device listing, resolution and the mapping of PortAudio failures (fake sounddevice)."""

from __future__ import annotations

import pytest

from starcoach.audio import (
    AmbiguousDevice,
    DeviceBusy,
    DeviceNotFound,
    NoMicrophone,
    list_input_devices,
    rescan_devices,
    resolve_device,
)
from starcoach.audio.devices import map_open_error
from starcoach.audio.errors import AudioDeviceError, DeviceUnsupported
from starcoach.audio.fake import FakePortAudioError, FakeSoundDevice

NO_MIC = "No microphone found — plug one in or pick one in Settings"


def _device(name: str, inputs: int = 2, hostapi: int = 0) -> dict[str, object]:
    return {
        "name": name,
        "hostapi": hostapi,
        "max_input_channels": inputs,
        "max_output_channels": 2,
        "default_samplerate": 44100.0,
    }


@pytest.fixture
def sd() -> FakeSoundDevice:
    return FakeSoundDevice(
        [
            _device("HDA Intel PCH: ALC257 Analog (hw:0,0)"),
            _device("HDMI 0 (hw:0,3)", inputs=0),
            _device("USB Audio Device: - (hw:1,0)", inputs=1),
            _device("pulse", inputs=32),
            _device("default", inputs=32),
        ],
        default_input=4,
    )


def test_lists_only_inputs_with_default_marked(sd: FakeSoundDevice) -> None:
    devices = list_input_devices(sd)
    assert [d.index for d in devices] == [0, 2, 3, 4]
    assert [d.name for d in devices if d.is_default] == ["default"]
    usb = devices[1]
    assert (usb.channels, usb.hostapi, usb.default_samplerate) == (1, "ALSA", 44100.0)
    assert "USB Audio Device" in usb.label() and "[default]" not in usb.label()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, None),
        ("", None),
        (2, 2),
        ("3", 3),
        ("pulse", 3),
        ("PULSE", 3),
        ("usb", 2),
        ("ALC257", 0),
        ("default", 4),
    ],
)
def test_resolves_index_exact_and_partial_names(
    sd: FakeSoundDevice, spec: int | str | None, expected: int | None
) -> None:
    assert resolve_device(spec, sd) == expected


def test_exact_name_beats_partial(sd: FakeSoundDevice) -> None:
    sd.devices.append(_device("pulse monitor"))
    assert resolve_device("pulse", sd) == 3


def test_unknown_device_and_output_only_index(sd: FakeSoundDevice) -> None:
    with pytest.raises(DeviceNotFound, match="Microphone 'Blue Yeti' not found"):
        resolve_device("Blue Yeti", sd)
    with pytest.raises(DeviceNotFound):
        resolve_device(1, sd)  # HDMI: output only
    with pytest.raises(DeviceNotFound):
        resolve_device(99, sd)


def test_ambiguous_partial_name(sd: FakeSoundDevice) -> None:
    with pytest.raises(AmbiguousDevice, match="several microphones"):
        resolve_device("hw:", sd)


def test_same_device_on_several_host_apis_prefers_default_api() -> None:
    sd = FakeSoundDevice(
        [
            _device("Microphone (Realtek)", hostapi=0),
            _device("Microphone (Realtek)", hostapi=1),
            _device("Primary Sound Capture Driver", hostapi=1),
        ],
        default_input=2,
        hostapis=("MME", "Windows DirectSound"),
    )
    assert resolve_device("realtek", sd) == 1


def test_no_devices_at_all_is_no_microphone() -> None:
    sd = FakeSoundDevice([], default_input=-1)
    for spec in (None, "pulse", 0):
        with pytest.raises(NoMicrophone) as caught:
            resolve_device(spec, sd)
        assert str(caught.value) == NO_MIC


def test_inputs_without_a_default_use_the_first() -> None:
    sd = FakeSoundDevice([_device("Only Mic")], default_input=-1)
    assert resolve_device(None, sd) == 0


@pytest.mark.parametrize(
    ("exc", "spec", "expected"),
    [
        (FakePortAudioError("Error querying device -1"), None, NoMicrophone),
        (ValueError("No input device matching 'pulse'"), "pulse", NoMicrophone),
        (FakePortAudioError("Error opening InputStream: Device unavailable", -9985), 0, DeviceBusy),
        (
            FakePortAudioError(
                "Error opening InputStream: Unanticipated host error",
                -9999,
                (0, -16, "Device or resource busy"),
            ),
            0,
            DeviceBusy,
        ),
        (
            FakePortAudioError("Error opening InputStream: Invalid sample rate", -9997),
            0,
            DeviceUnsupported,
        ),
        (FakePortAudioError("Error opening InputStream: Invalid device", -9996), 7, NoMicrophone),
        (
            FakePortAudioError("Error opening InputStream: Something new", -9980),
            0,
            AudioDeviceError,
        ),
    ],
)
def test_open_errors_without_devices_map_to_domain_errors(
    exc: BaseException, spec: int | str | None, expected: type[Exception]
) -> None:
    empty = FakeSoundDevice([], default_input=-1)
    mapped = map_open_error(exc, spec, empty)
    assert type(mapped) is expected
    if expected is NoMicrophone:
        assert str(mapped) == NO_MIC


def test_value_error_with_other_devices_present_is_device_not_found(sd: FakeSoundDevice) -> None:
    mapped = map_open_error(ValueError("No input device matching 'Yeti'"), "Yeti", sd)
    assert isinstance(mapped, DeviceNotFound) and mapped.spec == "Yeti"
    mapped = map_open_error(FakePortAudioError("Invalid device", -9996), 7, sd)
    assert isinstance(mapped, DeviceNotFound)


def test_rescan_sees_a_device_plugged_in_later() -> None:
    sd = FakeSoundDevice([], default_input=-1)
    assert list_input_devices(sd) == []
    sd.pending_devices = [_device("USB Mic")]
    rescan_devices(sd)
    assert [d.name for d in list_input_devices(sd)] == ["USB Mic"]
    assert sd.rescans == 1
