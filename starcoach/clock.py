"""How StarCoach writes a time: one rule for every screen, export and terminal line.

A *moment* (where a word was said, how long a step ran) is rounded to the nearest second,
half up, so 1:29.5 reads 1:30 in Review, in an export and in the terminal alike. A
*running* clock (the one that counts while you speak) shows the whole seconds that have
passed, as any stopwatch does: 0:59 until a full minute is up.
"""

from __future__ import annotations

import math

MISSING = "–"


def moment(seconds: float | None, missing: str = MISSING) -> str:
    """0:05, 1:30, 12:07, 1:02:03; ``missing`` when there is no time."""
    if seconds is None or math.isnan(seconds):
        return missing
    whole = int(math.floor(max(0.0, seconds) + 0.5))
    return _hms(whole)


def running(seconds: float | None) -> str:
    """The live clock: whole seconds elapsed (0:00 before anything was heard)."""
    return _hms(int(max(0.0, seconds or 0.0)))


def _hms(whole: int) -> str:
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
