"""Playing a recording back (Qt-free): a sounddevice OutputStream fed from memory by its callback.

    player = Player()                 # or Player(sd=fake) in tests
    ok, message = player.output_available()
    player.load(path)                 # slow (decodes the FLAC): call it off the UI thread, or
    player.set_audio(read_audio(path))   # read in a worker, hand over on the UI thread
    player.play(from_s=12.5); player.position_s; player.pause(); player.close()

Threads: PortAudio's callback thread only copies samples into the output buffer and notes
where they go (the next frame, and when the buffer reaches the speaker); everything else
(play, pause, position) is called from one thread, the UI's.

Position: each callback tells PortAudio's estimate of when the block it fills will reach
the speaker (``outputBufferDacTime``); between callbacks the stream clock
(``stream.time``) moves it on, so a caller polling at 30 Hz sees it advance smoothly and in
step with what is heard, not with what was merely handed to the buffer. A host API that
gives no timing falls back to frames written minus the stream's latency.

No audio output (no sound card, no sound server) is reported by :meth:`output_available`
with a message fit to show; the caller must not pretend to play.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from starcoach.audio.devices import load_sounddevice
from starcoach.audio.errors import AudioError

log = logging.getLogger(__name__)

Samples = npt.NDArray[np.float32]

NO_OUTPUT_MESSAGE = (
    "No audio output found — the recording is saved; plug in speakers or headphones to play it"
)
OUTPUT_LOST_MESSAGE = "The audio output went away while playing — plug it back in and press Play"

OUTPUT_LATENCY_S = 1.0
"""How far ahead of the speaker the buffer is filled. Starting and seeking are not delayed by
it: every play opens a fresh stream whose buffer is filled at once, and pausing aborts (drops
the buffer). With a short buffer PulseAudio's ALSA plugin held the start back by up to 2 s
(measured here: 0.3 s -> 1.5 s late, 0.5 s -> 1.1 s, 1.0 s -> 0.25 s)."""


EXTRAPOLATE_S = 0.4
"""How far past the last callback the stream clock may carry the position (at least 1.5
blocks): callbacks come every block while audio flows."""


class PlaybackError(AudioError):
    """A recording cannot be read or played; the message is fit to show."""


class RecordingMissing(PlaybackError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"The recording {path} is missing")
        self.path = path


@dataclass(frozen=True)
class Audio:
    """Decoded audio: ``samples`` is float32, shape (frames, channels)."""

    samples: Samples
    samplerate: int
    path: Path | None = None

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def read_audio(path: Path | str) -> Audio:
    """Decode a recording into memory (any format libsndfile reads). Slow for long files:
    call it off the UI thread. Raises PlaybackError."""
    import soundfile

    path = Path(path)
    if not path.exists():
        raise RecordingMissing(path)
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError, ValueError, soundfile.SoundFileError) as exc:
        raise PlaybackError(f"Cannot read the recording {path}: {exc}") from exc
    samples: Samples = np.ascontiguousarray(data, dtype=np.float32)
    return Audio(samples, int(rate), path)


def convert(audio: Audio, samplerate: int, channels: int) -> Audio:
    """The same audio at another rate (linear interpolation) and channel count."""
    samples = audio.samples
    if samplerate != audio.samplerate and audio.frames:
        frames_out = max(1, round(audio.frames * samplerate / audio.samplerate))
        old_t = np.arange(audio.frames, dtype=np.float64) / audio.samplerate
        new_t = np.arange(frames_out, dtype=np.float64) / samplerate
        samples = np.stack(
            [np.interp(new_t, old_t, samples[:, c]) for c in range(audio.channels)], axis=1
        ).astype(np.float32)
    if channels != samples.shape[1]:
        mono = samples if samples.shape[1] == 1 else samples.mean(axis=1, keepdims=True)
        samples = np.repeat(mono, channels, axis=1)
    return Audio(np.ascontiguousarray(samples, dtype=np.float32), samplerate, audio.path)


class Player:
    """Plays one recording at a time on the default output device. Not thread-safe: call
    it from one thread (the callback thread is handled inside)."""

    def __init__(self, sd: Any | None = None, *, latency_s: float = OUTPUT_LATENCY_S) -> None:
        self._sd = sd
        self._latency_s = latency_s
        self._audio: Audio | None = None
        self._out: Audio | None = None  # what the open stream plays (maybe converted)
        self._stream: Any | None = None
        self._rest_s = 0.0  # the position while not playing
        self._problem: str | None = None
        # Shared with the callback thread (plain attribute writes, read by this thread):
        self._start_s = 0.0
        self._next_frame = 0
        # (seconds into the audio of a block, when it reaches the speaker, when the callback
        # ran, the block's length): PortAudio's stream clock
        self._anchor: tuple[float, float, float, float] | None = None
        self._wrote_last = False
        self._stopping = False
        self._ended = False
        self._lost = False
        self._shown_s = 0.0  # the last position reported during this run (never goes back)

    # -- the device ----------------------------------------------------------------------

    def output_available(self) -> tuple[bool, str]:
        """(True, "Plays on <device>") or (False, a message fit to show)."""
        try:
            sd = self._module()
        except AudioError:
            return False, NO_OUTPUT_MESSAGE
        found = _output_device(sd)
        if found is None:
            return False, NO_OUTPUT_MESSAGE
        return True, f"Plays on {found[1]}"

    def _module(self) -> Any:
        if self._sd is None:
            self._sd = load_sounddevice()
        return self._sd

    # -- what is loaded --------------------------------------------------------------------

    def load(self, path: Path | str) -> None:
        """Decode ``path`` and make it the recording to play (stops any playback)."""
        self.set_audio(read_audio(path))

    def set_audio(self, audio: Audio | None) -> None:
        self._close_stream()
        self._audio = audio
        self._out = None
        self._rest_s = 0.0
        self._problem = None

    @property
    def audio(self) -> Audio | None:
        return self._audio

    @property
    def loaded(self) -> bool:
        return self._audio is not None

    @property
    def duration_s(self) -> float:
        return self._audio.duration_s if self._audio is not None else 0.0

    @property
    def problem(self) -> str | None:
        """Why the last playback stopped early (the output went away), else None."""
        self._settle()
        return self._problem

    # -- transport ---------------------------------------------------------------------------

    def play(self, from_s: float = 0.0) -> None:
        """Play from ``from_s`` seconds to the end. Raises PlaybackError (nothing loaded, no
        output device, the device refuses)."""
        audio = self._audio
        if audio is None:
            raise PlaybackError("No recording is loaded")
        self._close_stream()
        try:
            sd = self._module()
        except AudioError as exc:
            raise PlaybackError(NO_OUTPUT_MESSAGE) from exc
        found = _output_device(sd)
        if found is None:
            raise PlaybackError(NO_OUTPUT_MESSAGE)
        device = found[0]
        start_s = min(max(0.0, float(from_s)), audio.duration_s)
        stream, out = self._open(sd, device, audio, start_s)
        self._stream, self._out = stream, out
        self._problem = None
        try:
            stream.start()
        except Exception as exc:  # PortAudioError, or the fake's; the text is PortAudio's
            self._close_stream()
            raise PlaybackError(f"Could not play the recording: {exc}") from exc

    def resume(self) -> None:
        """Play on from where it was paused (from the start once it reached the end)."""
        at = self.position_s
        self.play(0.0 if at >= self.duration_s - 0.05 else at)

    def seek(self, to_s: float) -> None:
        """Go to ``to_s``: playing on from there if playing, else just moving there."""
        if self.playing:
            self.play(to_s)
        else:
            self._rest_s = min(max(0.0, float(to_s)), self.duration_s)

    def pause(self) -> None:
        """Stop at once (the buffered audio is dropped); the position stays where it was."""
        if self._stream is None:
            return
        at = self._heard()
        self._close_stream()
        self._rest_s = at

    def close(self) -> None:
        """Stop and forget the recording. Safe to call twice."""
        self._close_stream()
        self._audio = None
        self._out = None
        self._rest_s = 0.0

    @property
    def playing(self) -> bool:
        self._settle()
        return self._stream is not None

    @property
    def position_s(self) -> float:
        """Seconds into the recording of what is being heard now."""
        self._settle()
        return self._rest_s if self._stream is None else self._heard()

    def _heard(self) -> float:
        stream, out = self._stream, self._out
        if stream is None or out is None:
            return self._rest_s
        written_s = self._next_frame / out.samplerate
        anchor = self._anchor
        if anchor is not None:
            at_s, dac_time, called_at, block_s = anchor
            try:
                now = float(stream.time)
            except Exception:  # some host APIs cannot tell the time; stay at the anchor
                now = dac_time
            # Between callbacks the clock carries the position on, but not far: if the device
            # stops taking audio (a stall at start, a suspend), the words must not run ahead.
            now = min(now, called_at + max(EXTRAPOLATE_S, 1.5 * block_s))
            heard = at_s + (now - dac_time)
        else:
            latency = _latency(stream, self._latency_s)
            heard = written_s - latency if self._next_frame else self._start_s
        heard = min(max(heard, self._start_s, self._shown_s), written_s, out.duration_s)
        self._shown_s = heard
        return heard

    # -- the stream ----------------------------------------------------------------------------

    def _open(self, sd: Any, device: int, audio: Audio, start_s: float) -> tuple[Any, Audio]:
        """Open an output stream for ``audio``; when the device refuses its rate or channel
        count (a raw ALSA device that only takes 48 kHz stereo), convert to the device's."""
        try:
            return self._open_as(sd, device, audio, start_s), audio
        except Exception as first:  # PortAudioError / ValueError: both carry PortAudio's text
            info = sd.query_devices(device)
            rate = int(float(info.get("default_samplerate") or 48000))
            channels = max(1, min(2, int(info.get("max_output_channels") or 2)))
            if rate == audio.samplerate and channels == audio.channels:
                raise PlaybackError(f"Could not play the recording: {first}") from first
            log.info("output refused %s Hz x %s: %s", audio.samplerate, audio.channels, first)
            converted = convert(audio, rate, channels)
            try:
                return self._open_as(sd, device, converted, start_s), converted
            except Exception as exc:
                raise PlaybackError(f"Could not play the recording: {exc}") from exc

    def _open_as(self, sd: Any, device: int, audio: Audio, start_s: float) -> Any:
        self._start_s = start_s
        self._shown_s = start_s
        self._next_frame = min(round(start_s * audio.samplerate), audio.frames)
        self._anchor = None
        self._wrote_last = self._stopping = self._ended = self._lost = False
        samples = audio.samples
        rate = audio.samplerate
        stop = sd.CallbackStop

        def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
            at = self._next_frame
            chunk = samples[at : at + frames]
            n = len(chunk)
            outdata[:n] = chunk
            if n < frames:
                outdata[n:] = 0
            self._next_frame = at + n
            dac = float(getattr(time_info, "outputBufferDacTime", 0.0) or 0.0)
            if dac > 0.0:
                called_at = float(getattr(time_info, "currentTime", 0.0) or dac)
                self._anchor = (at / rate, dac, called_at, frames / rate)
            if n < frames:
                self._wrote_last = True
                raise stop  # PortAudio plays what is buffered, then finishes the stream

        def finished() -> None:
            if self._wrote_last:
                self._ended = True
            elif not self._stopping:
                self._lost = True  # the device went away under us

        return sd.OutputStream(
            samplerate=rate,
            channels=audio.channels,
            dtype="float32",
            device=device,
            latency=self._latency_s,
            callback=callback,
            finished_callback=finished,
        )

    def _settle(self) -> None:
        """Notice a stream that has finished by itself (end reached, device lost)."""
        stream = self._stream
        if stream is None:
            return
        active = _active(stream)
        if active and not (self._ended or self._lost):
            return
        if self._ended or (self._wrote_last and not active):
            self._rest_s = self.duration_s
        else:
            self._rest_s = self._heard()
            self._problem = OUTPUT_LOST_MESSAGE
        self._close_stream()

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._stopping = True
        with contextlib.suppress(Exception):  # a stream the device took away cannot abort
            stream.abort()
        with contextlib.suppress(Exception):
            stream.close()


def _active(stream: Any) -> bool:
    try:
        return bool(stream.active)
    except Exception:
        return False


def _latency(stream: Any, fallback: float) -> float:
    try:
        return max(0.0, float(stream.latency))
    except (TypeError, ValueError, AttributeError):
        return fallback


def _output_device(sd: Any) -> tuple[int, str] | None:
    """The device to play on: the default output, else the first output; None if none."""
    try:
        devices = list(sd.query_devices())
    except Exception:  # no PortAudio host API at all; there is nothing to play on
        return None
    outputs = [
        (i, str(d.get("name", f"device {i}")))
        for i, d in enumerate(devices)
        if int(d.get("max_output_channels") or 0) > 0
    ]
    if not outputs:
        return None
    try:
        default = int(sd.default.device[1])
    except (TypeError, ValueError, IndexError, AttributeError):
        default = -1
    for index, name in outputs:
        if index == default:
            return index, name
    return outputs[0]
