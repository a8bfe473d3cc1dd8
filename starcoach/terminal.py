"""The terminal side of `starcoach practice`: a live clock, level bar and transcript on
stderr (redrawn in place on a TTY, a few plain lines otherwise), and waiting for Enter."""

from __future__ import annotations

import os
import select
import sys
import threading
from typing import TextIO

from starcoach.clock import running

BAR = 20


def clock(seconds: float) -> str:
    return running(seconds)


def level_bar(level: float) -> str:
    # Speech sits around 0.02-0.2 RMS; show it on a log-ish scale so quiet voices still move.
    import math

    db = 20 * math.log10(max(level, 1e-6))
    filled = max(0, min(BAR, int((db + 60) / 60 * BAR)))
    return "█" * filled + "·" * (BAR - filled)


def status_line(elapsed: float, target: float, maximum: float | None, level: float) -> str:
    state = "on time"
    if maximum is not None and elapsed > maximum:
        state = "PAST MAX"
    elif elapsed > target:
        state = "past target"
    limit = f" (max {clock(maximum)})" if maximum else ""
    return f"● REC {clock(elapsed)} / {clock(target)}{limit} {state:11s} [{level_bar(level)}]"


class Screen:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.out = stream or sys.stderr
        self.tty = self.out.isatty()
        self._last_plain = -1

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def live(self, line: str, elapsed: float) -> None:
        if self.tty:
            width = os.get_terminal_size(self.out.fileno()).columns if self.tty else 100
            self.out.write("\r" + line[: width - 1].ljust(width - 1))
            self.out.flush()
        elif int(elapsed) // 10 != self._last_plain:
            # Not a terminal: one line every 10 s is enough for a log.
            self._last_plain = int(elapsed) // 10
            self.say(line)

    def end_live(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


class EnterKey:
    """Reports when Enter is pressed, without blocking (stdin may not be a terminal)."""

    def __init__(self, stdin: TextIO | None = None) -> None:
        self._stdin = stdin or sys.stdin
        self.pressed = threading.Event()
        self._usable = self._stdin is not None and not self._stdin.closed and _readable(self._stdin)

    @property
    def usable(self) -> bool:
        return self._usable

    def poll(self) -> bool:
        if not self._usable or self.pressed.is_set():
            return self.pressed.is_set()
        try:
            ready, _, _ = select.select([self._stdin], [], [], 0)
        except (OSError, ValueError):
            self._usable = False
            return False
        if ready:
            line = self._stdin.readline()
            if line == "":  # end of input: no more Enter presses will come
                self._usable = False
                return False
            self.pressed.set()
        return self.pressed.is_set()

    def reset(self) -> None:
        self.pressed.clear()


def _readable(stream: TextIO) -> bool:
    try:
        stream.fileno()
    except (OSError, ValueError, AttributeError):
        return False
    return True
