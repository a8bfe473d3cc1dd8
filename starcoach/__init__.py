"""StarCoach: rehearse behavioral interview answers aloud, with local transcription and coaching."""

__version__ = "0.1.0"
