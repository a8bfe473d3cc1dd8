"""Stand-in for PyAV (``av``) inside the StarCoach bundle.

faster-whisper imports ``av`` at module level (faster_whisper/audio.py) but uses it only in
``decode_audio``, which it calls when ``transcribe()`` is given a file name or file object.
StarCoach reads audio with soundfile and always hands faster-whisper a NumPy array, so FFmpeg
is never used; leaving PyAV and its FFmpeg libraries out saves about 100 MB of the bundle.
Anything that does reach for PyAV gets a plain error instead of a silent wrong result.
"""

from __future__ import annotations

STARCOACH_STUB = True


def __getattr__(name: str) -> object:
    raise AttributeError(
        f"av.{name}: PyAV is not part of the StarCoach bundle (StarCoach decodes audio "
        "with soundfile and passes faster-whisper arrays, never file names)"
    )
