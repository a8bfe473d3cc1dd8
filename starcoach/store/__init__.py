"""The practice history on disk: SQLite database and recordings (Qt-free).

``Store`` is the one entry point; ``Session`` and ``Attempt`` are what it returns.
"""

from starcoach.store.db import Database
from starcoach.store.errors import (
    AmbiguousSession,
    AttemptNotFound,
    DatabaseError,
    RecordingInProgress,
    SessionNotFound,
)
from starcoach.store.models import (
    ATTEMPT_STATUSES,
    MODES,
    SESSION_STATUSES,
    Attempt,
    AttemptStatus,
    Mode,
    Session,
    SessionStatus,
    step_rank,
)
from starcoach.store.repository import Store
from starcoach.store.schema import LATEST_VERSION, MIGRATIONS

__all__ = [
    "ATTEMPT_STATUSES",
    "LATEST_VERSION",
    "MIGRATIONS",
    "MODES",
    "SESSION_STATUSES",
    "AmbiguousSession",
    "Attempt",
    "AttemptNotFound",
    "AttemptStatus",
    "Database",
    "DatabaseError",
    "Mode",
    "RecordingInProgress",
    "Session",
    "SessionNotFound",
    "SessionStatus",
    "Store",
    "step_rank",
]
