"""What can go wrong with the history database, in words fit to show the user."""

from __future__ import annotations

from starcoach.errors import StarCoachError


class DatabaseError(StarCoachError):
    """The database cannot be used: damaged, written by a newer StarCoach, locked, or the
    disk refused a write. The file named in the message is never overwritten."""


class SessionNotFound(StarCoachError):
    """No stored session has that id (or that id prefix)."""

    def __init__(self, session_id: str, message: str | None = None) -> None:
        super().__init__(message or f"No session '{session_id}' in the history")
        self.session_id = session_id


class AmbiguousSession(SessionNotFound):
    """An id prefix that fits more than one session."""

    def __init__(self, prefix: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        super().__init__(
            prefix,
            f"'{prefix}' fits {len(matches)} sessions ({shown}); give more of the id",
        )
        self.matches = matches


class AttemptNotFound(StarCoachError):
    def __init__(self, attempt_id: int) -> None:
        super().__init__(f"No recording #{attempt_id} in the history")
        self.attempt_id = attempt_id


class RecordingInProgress(StarCoachError):
    """The session or take is being recorded right now (by this process or another)."""
