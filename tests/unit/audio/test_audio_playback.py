"""Player: a recording played through a sounddevice OutputStream, position from the callback.

Unit tests drive a fake output stream block by block (``FakeOutputSD``, also used by the UI
tests); the e2e test plays a real FLAC to the private PulseAudio's null sink.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import soundfile

from starcoach.audio.playback import (
    NO_OUTPUT_MESSAGE,
    OUTPUT_LOST_MESSAGE,
    Audio,
    PlaybackError,
    Player,
    convert,
    read_audio,
)

RATE = 16_000

SPEAKERS = {
    "name": "Fake Speakers",
    "max_input_channels": 0,
    "max_output_channels": 2,
    "default_samplerate": 48000.0,
}
MICROPHONE = {
    "name": "Fake Microphone",
    "max_input_channels": 1,
    "max_output_channels": 0,
    "default_samplerate": 16000.0,
}


class FakeCallbackStop(Exception):
    pass


class FakePortAudioError(Exception):
    pass


class FakeOutputStream:
    """Runs nothing by itself: ``pump(n)`` calls the callback n times, advancing a clock by
    one block each time, as PortAudio's thread would. ``latency`` seconds of buffer sit
    between a block's callback and the speaker."""

    def __init__(self, owner: FakeOutputSD, **kwargs: Any) -> None:
        self.owner = owner
        self.kwargs = kwargs
        self.samplerate = int(kwargs["samplerate"])
        self.channels = int(kwargs["channels"])
        self.blocksize = owner.blocksize
        self.latency = owner.latency
        self.callback: Callable[..., None] = kwargs["callback"]
        self.finished_callback: Callable[[], None] | None = kwargs.get("finished_callback")
        self.time = 100.0  # PortAudio's stream clock does not start at zero
        self.active = False
        self.closed = False
        self.aborted = False
        self.stop_requested = False
        self.blocks: list[np.ndarray] = []

    def start(self) -> None:
        if self.owner.start_error is not None:
            raise self.owner.start_error
        self.active = True

    def pump(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            if not self.active or self.stop_requested:
                return
            out = np.full((self.blocksize, self.channels), np.nan, dtype=np.float32)
            info = SimpleNamespace(
                currentTime=self.time, outputBufferDacTime=self.time + self.latency
            )
            try:
                self.callback(out, self.blocksize, info, None)
            except FakeCallbackStop:
                self.stop_requested = True
            self.blocks.append(out)
            self.time += self.blocksize / self.samplerate

    def drain(self) -> None:
        """After CallbackStop: the buffer plays out, then the stream finishes."""
        assert self.stop_requested
        self.time += self.latency
        self._finish()

    def advance(self, seconds: float) -> None:
        """Let the stream clock run (between callbacks)."""
        self.time += seconds

    def lose_device(self) -> None:
        self._finish()

    def abort(self) -> None:
        self.aborted = True
        self._finish()

    stop = abort

    def close(self) -> None:
        self.closed = True
        self.active = False

    def _finish(self) -> None:
        if self.active:
            self.active = False
            if self.finished_callback is not None:
                self.finished_callback()


class FakeOutputSD:
    """The bits of the sounddevice module the player uses."""

    CallbackStop = FakeCallbackStop
    PortAudioError = FakePortAudioError

    def __init__(
        self,
        devices: Sequence[dict[str, Any]] = (MICROPHONE, SPEAKERS),
        *,
        default_output: int = 1,
        blocksize: int = 1600,
        latency: float = 0.0,
        accepts: Callable[[int, int], bool] = lambda rate, channels: True,
        start_error: BaseException | None = None,
    ) -> None:
        self.devices = [dict(d) for d in devices]
        self.default = SimpleNamespace(device=[0, default_output])
        self.blocksize = blocksize
        self.latency = latency
        self.accepts = accepts
        self.start_error = start_error
        self.streams: list[FakeOutputStream] = []

    def query_devices(self, device: int | None = None) -> Any:
        if device is None:
            return [dict(d) for d in self.devices]
        return dict(self.devices[device])

    def OutputStream(self, **kwargs: Any) -> FakeOutputStream:  # named like the class
        if not self.accepts(int(kwargs["samplerate"]), int(kwargs["channels"])):
            raise FakePortAudioError("Invalid sample rate [PaErrorCode -9997]")
        stream = FakeOutputStream(self, **kwargs)
        self.streams.append(stream)
        return stream

    @property
    def stream(self) -> FakeOutputStream:
        return self.streams[-1]


def ramp_audio(seconds: float) -> Audio:
    """Sample i holds i / RATE: a block's content tells where it came from."""
    n = int(seconds * RATE)
    return Audio((np.arange(n, dtype=np.float32) / RATE).reshape(-1, 1), RATE)


def test_position_advances_with_the_frames_the_callback_writes() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(2.0))
    assert player.duration_s == pytest.approx(2.0)
    assert not player.playing
    player.play()
    assert player.playing
    assert player.position_s == 0.0
    sd.stream.pump(3)  # 0.3 s written and (zero latency) heard
    assert player.position_s == pytest.approx(0.3)
    first = sd.stream.blocks[0]
    assert first[0, 0] == 0.0 and first[-1, 0] == pytest.approx(1599 / RATE)
    assert sd.stream.kwargs["samplerate"] == RATE and sd.stream.kwargs["channels"] == 1
    assert sd.stream.kwargs["device"] == 1


def test_position_follows_the_speaker_not_the_buffer() -> None:
    sd = FakeOutputSD(latency=0.5)
    player = Player(sd=sd)
    player.set_audio(ramp_audio(3.0))
    player.play()
    sd.stream.pump(5)  # 0.5 s buffered at once, nothing heard yet
    assert player.position_s == pytest.approx(0.0, abs=1e-6)
    sd.stream.advance(0.25)  # the clock runs on between callbacks
    assert player.position_s == pytest.approx(0.25, abs=1e-6)
    before = player.position_s
    sd.stream.pump(2)
    assert player.position_s >= before  # never goes back


def test_the_clock_does_not_run_ahead_of_a_stalled_stream() -> None:
    sd = FakeOutputSD(latency=0.5)
    player = Player(sd=sd)
    player.set_audio(ramp_audio(5.0))
    player.play()
    sd.stream.pump(5)  # 0.5 s buffered, then the device takes nothing for 2 s
    sd.stream.advance(2.0)
    # the clock ran on only EXTRAPOLATE_S past the last callback: 0.4 s of clock, from a
    # block that reaches the speaker 0.5 s after its callback and starts at 0.4 s
    stalled = player.position_s
    assert stalled == pytest.approx(0.3)
    sd.stream.pump(1)  # it flows again; the new block says 0.1 s is heard now
    assert player.position_s == pytest.approx(stalled)  # held there, never back


def test_seek_plays_from_there() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(2.0))
    player.play(from_s=1.25)
    assert player.position_s == pytest.approx(1.25)
    sd.stream.pump(1)
    assert sd.stream.blocks[0][0, 0] == pytest.approx(1.25, abs=1 / RATE)
    assert player.position_s == pytest.approx(1.35)
    # seeking again replaces the stream
    player.play(from_s=0.5)
    assert sd.streams[0].aborted and sd.streams[0].closed
    assert player.position_s == pytest.approx(0.5)


def test_pause_keeps_the_position_and_resume_goes_on() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(2.0))
    player.play()
    sd.stream.pump(4)
    player.pause()
    assert not player.playing
    assert sd.stream.aborted and sd.stream.closed
    assert player.position_s == pytest.approx(0.4)
    player.resume()
    assert player.playing
    sd.stream.pump(1)
    assert sd.stream.blocks[0][0, 0] == pytest.approx(0.4, abs=1 / RATE)


def test_the_end_stops_with_the_position_at_the_end() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(0.5))  # 8000 frames: 5 blocks of 1600
    player.play()
    sd.stream.pump(10)
    assert sd.stream.stop_requested
    last = sd.stream.blocks[-1]
    assert np.all(last == 0.0)  # padded with silence, never garbage
    assert player.playing  # the buffer still plays out
    sd.stream.drain()
    assert not player.playing
    assert player.position_s == pytest.approx(0.5)
    assert player.problem is None
    assert sd.stream.closed
    player.resume()  # at the end: from the start
    assert player.position_s == 0.0


def test_a_partial_last_block_is_padded() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(0.25))  # 4000 frames
    player.play()
    sd.stream.pump(3)
    last = sd.stream.blocks[2]
    assert last[799, 0] == pytest.approx(3999 / RATE)
    assert np.all(last[800:] == 0.0)
    assert sd.stream.stop_requested


def test_losing_the_device_stops_with_a_message() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(2.0))
    player.play()
    sd.stream.pump(2)
    sd.stream.lose_device()
    assert not player.playing
    assert player.problem == OUTPUT_LOST_MESSAGE
    assert player.position_s == pytest.approx(0.2)


def test_no_output_device() -> None:
    sd = FakeOutputSD(devices=[MICROPHONE], default_output=-1)
    player = Player(sd=sd)
    assert player.output_available() == (False, NO_OUTPUT_MESSAGE)
    player.set_audio(ramp_audio(1.0))
    with pytest.raises(PlaybackError, match="No audio output found"):
        player.play()
    assert not sd.streams and not player.playing


def test_output_without_a_default_uses_the_first_output() -> None:
    sd = FakeOutputSD(default_output=-1)
    player = Player(sd=sd)
    assert player.output_available() == (True, "Plays on Fake Speakers")
    player.set_audio(ramp_audio(1.0))
    player.play()
    assert sd.stream.kwargs["device"] == 1


def test_a_device_that_refuses_16khz_mono_gets_its_own_format() -> None:
    sd = FakeOutputSD(accepts=lambda rate, channels: rate == 48000 and channels == 2)
    player = Player(sd=sd)
    player.set_audio(ramp_audio(1.0))
    player.play(from_s=0.5)
    assert sd.stream.kwargs["samplerate"] == 48000 and sd.stream.kwargs["channels"] == 2
    sd.stream.pump(1)
    block = sd.stream.blocks[0]
    assert block[0, 0] == pytest.approx(0.5, abs=1e-3) and block[0, 1] == block[0, 0]
    assert player.position_s == pytest.approx(0.5 + 1600 / 48000)
    assert player.duration_s == pytest.approx(1.0)


def test_a_failing_start_is_a_playback_error() -> None:
    sd = FakeOutputSD(start_error=FakePortAudioError("Device unavailable"))
    player = Player(sd=sd)
    player.set_audio(ramp_audio(1.0))
    with pytest.raises(PlaybackError, match="Device unavailable"):
        player.play()
    assert not player.playing and sd.stream.closed


def test_close_stops_and_forgets() -> None:
    sd = FakeOutputSD()
    player = Player(sd=sd)
    player.set_audio(ramp_audio(1.0))
    player.play()
    player.close()
    player.close()
    assert sd.stream.closed and not player.playing and not player.loaded
    with pytest.raises(PlaybackError):
        player.play()


def test_read_audio(tmp_path: Path) -> None:
    path = tmp_path / "take.flac"
    soundfile.write(str(path), np.zeros(RATE, dtype=np.float32), RATE)
    audio = read_audio(path)
    assert audio.samplerate == RATE and audio.channels == 1
    assert audio.duration_s == pytest.approx(1.0)
    player = Player(sd=FakeOutputSD())
    player.load(path)
    assert player.duration_s == pytest.approx(1.0)
    with pytest.raises(PlaybackError, match="missing"):
        read_audio(tmp_path / "gone.flac")
    (tmp_path / "bad.flac").write_bytes(b"not a flac")
    with pytest.raises(PlaybackError, match="Cannot read"):
        read_audio(tmp_path / "bad.flac")


def test_convert_keeps_the_duration() -> None:
    audio = ramp_audio(1.0)
    out = convert(audio, 44100, 2)
    assert out.frames == 44100 and out.channels == 2
    assert out.samples[22050, 0] == pytest.approx(0.5, abs=1e-3)
