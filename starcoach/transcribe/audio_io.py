"""Reading answer audio from disk into the 16 kHz mono float32 arrays Whisper wants."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from starcoach.clock import moment
from starcoach.errors import StarCoachError

SAMPLE_RATE = 16_000
# A single STAR step or a whole mock answer is minutes long; an hour-long file is a mistake
# (a podcast, a meeting) and would tie up the CPU for minutes, so it is refused up front.
MAX_AUDIO_SECONDS = 20 * 60

AudioArray = npt.NDArray[np.float32]


class AudioReadError(StarCoachError):
    pass


def audio_duration(path: Path) -> float:
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise AudioReadError(f"Cannot read audio file {path}: {_reason(exc)}") from exc
    return float(info.frames) / float(info.samplerate) if info.samplerate else 0.0


def load_audio(
    path: Path | str,
    max_seconds: float = MAX_AUDIO_SECONDS,
    notes: list[str] | None = None,
) -> AudioArray:
    """Decode ``path`` (anything libsndfile reads: FLAC, WAV, OGG...) to 16 kHz mono float32.

    A file cut short (a copy that stopped, a disk that filled up) gives the part that can be
    read, and a plain note saying so is appended to ``notes``; a file none of which can be
    read raises AudioReadError."""
    path = Path(path)
    if not path.exists():
        raise AudioReadError(f"Audio file not found: {path}")
    if path.is_dir():
        raise AudioReadError(f"Not an audio file (it is a folder): {path}")
    duration = audio_duration(path)
    if duration > max_seconds:
        raise AudioReadError(
            f"{path} is {_clock(duration)} long; StarCoach analyses answers up to "
            f"{_clock(max_seconds)} (record one step or one answer at a time)"
        )
    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        data, rate = _readable_part(path)
        if data.shape[0] == 0:
            raise AudioReadError(
                f"Cannot read audio file {path}: it is damaged or cut short, and none of its "
                f"audio can be read ({_reason(exc)})"
            ) from exc
        note = (
            f"{path} is cut short (its end is missing or damaged): analysed the first "
            f"{data.shape[0] / rate:.1f} s of {duration:.1f} s"
        )
        if notes is not None:
            notes.append(note)
    mono: AudioArray = data.mean(axis=1).astype(np.float32) if data.shape[1] > 1 else data[:, 0]
    if rate != SAMPLE_RATE:
        mono = resample(mono, int(rate), SAMPLE_RATE)
    return np.ascontiguousarray(mono, dtype=np.float32)


def _readable_part(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """The frames before the first decoding error, read a tenth of a second at a time."""
    blocks: list[npt.NDArray[np.float32]] = []
    rate = SAMPLE_RATE
    channels = 1
    try:
        with sf.SoundFile(str(path)) as handle:
            rate, channels = int(handle.samplerate), int(handle.channels)
            step = max(rate // 10, 1)
            while True:
                try:
                    block = handle.read(step, dtype="float32", always_2d=True)
                except (sf.LibsndfileError, RuntimeError):
                    break
                if block.shape[0] == 0:
                    break
                blocks.append(block)
    except (sf.LibsndfileError, RuntimeError, OSError):
        pass
    if not blocks:
        return np.zeros((0, channels), dtype=np.float32), rate
    return np.concatenate(blocks).astype(np.float32), rate


def resample(audio: AudioArray, rate_in: int, rate_out: int) -> AudioArray:
    """Band-limited resampling via FFT; fine for speech and free of extra dependencies."""
    if rate_in == rate_out or audio.size == 0:
        return audio
    n_out = int(round(audio.size * rate_out / rate_in))
    spectrum = np.fft.rfft(audio)
    n_bins = n_out // 2 + 1
    if n_bins <= spectrum.size:
        spectrum = spectrum[:n_bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(n_bins - spectrum.size, spectrum.dtype)])
    out = np.fft.irfft(spectrum, n_out) * (n_out / audio.size)
    return out.astype(np.float32)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    # libsndfile's messages start with the path again; keep only the reason.
    if ": " in text and text.startswith("Error opening"):
        text = text.split(": ", 1)[1]
    return text or type(exc).__name__


def _clock(seconds: float) -> str:
    return moment(seconds)
