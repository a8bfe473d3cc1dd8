"""The states of a guided-practice take (the controller's ``state``; the page shows them)."""

from __future__ import annotations

from enum import StrEnum


class PracticeState(StrEnum):
    IDLE = "idle"
    """Ready to record."""
    STARTING = "starting"
    """Waiting for the microphone's first block: the clock starts only then."""
    RECORDING = "recording"
    FINISHING = "finishing"
    """Stopped: the last words are being transcribed."""
    FEEDBACK = "feedback"
    """This step's feedback is shown."""
    VERDICT = "verdict"
    """All five steps done: the verdict on the whole answer is shown."""

    @property
    def recording(self) -> bool:
        """The microphone is taking this step (Space stops it)."""
        return self in (PracticeState.STARTING, PracticeState.RECORDING)

    @property
    def ready(self) -> bool:
        """A new take can start."""
        return self in (PracticeState.IDLE, PracticeState.FEEDBACK)

    @property
    def busy(self) -> bool:
        """Leaving now would lose a take (recording, or its last words still transcribing)."""
        return self.recording or self is PracticeState.FINISHING
