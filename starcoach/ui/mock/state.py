"""The states of a mock interview (the controller's ``state``; the page shows them)."""

from __future__ import annotations

from enum import StrEnum


class MockState(StrEnum):
    IDLE = "idle"
    STARTING = "starting"
    """Waiting for the microphone's first block."""
    RECORDING = "recording"
    """The whole answer, in one take."""
    FINISHING = "finishing"
    """Transcribing the last words and splitting the answer."""
    REPORT = "report"
    """The split and the bar raiser's report are shown."""
    PROBE = "probe"
    """A follow-up question is asked."""
    PROBE_RECORDING = "probe-recording"
    PROBE_FINISHING = "probe-finishing"
    PROBE_JUDGED = "probe-judged"
    DONE = "done"
    """The final report is shown and saved."""

    @property
    def in_probe(self) -> bool:
        """A follow-up is being asked, answered or judged."""
        return self in _PROBE

    @property
    def recording(self) -> bool:
        """The microphone is taking an answer (Space stops it)."""
        return self in _RECORDING

    @property
    def busy(self) -> bool:
        """Leaving now would lose a take (recording, or being finished)."""
        return self.recording or self in (MockState.FINISHING, MockState.PROBE_FINISHING)


_PROBE = frozenset(
    {MockState.PROBE, MockState.PROBE_RECORDING, MockState.PROBE_FINISHING, MockState.PROBE_JUDGED}
)
_RECORDING = frozenset({MockState.STARTING, MockState.RECORDING, MockState.PROBE_RECORDING})
