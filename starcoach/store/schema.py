"""The database schema as numbered migrations, applied in order by :mod:`starcoach.store.db`.

The schema version lives in SQLite's ``PRAGMA user_version``. Migration N takes a database
at version N-1 to version N and runs inside one transaction together with the version bump,
so a failure leaves the file at N-1. Never edit a released migration: append a new one.
The SQL is kept as Python strings (not package data) so that a PyInstaller bundle or a
wheel needs no extra configuration to find it.
"""

from __future__ import annotations

import sqlite3

# Migration 1: the full schema of StarCoach 0.1.
#
# ``session``: one practice run of one question. ``verdict`` is AnswerVerdict.to_json() as
# JSON text. Times are ISO-8601 UTC strings, which sort as text.
# ``attempt``: one recording (or typed answer) of one step; a retry of the same step in the
# same session is a new row with the next ``attempt_no``. The row is written with status
# 'recording' before any audio is captured, so a crash leaves a row pointing at the partial
# file. ``audio_path`` is relative to the recordings folder when it lies inside it (so the
# data folder can move), absolute otherwise. ``transcript`` (Transcript.to_dict()) and
# ``feedback`` (StepFeedback.to_json()) are JSON text.
SCHEMA_V1 = """
CREATE TABLE session (
    id          TEXT PRIMARY KEY NOT NULL,
    question_id TEXT NOT NULL,
    mode        TEXT NOT NULL CHECK (mode IN ('step', 'full', 'mock')),
    level       TEXT NOT NULL,
    device      TEXT,
    created_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'recording'
                CHECK (status IN ('recording', 'done', 'recovered', 'abandoned')),
    verdict     TEXT
);

CREATE INDEX session_question_created ON session (question_id, created_at);
CREATE INDEX session_created ON session (created_at);

CREATE TABLE attempt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    step           TEXT NOT NULL,
    attempt_no     INTEGER NOT NULL CHECK (attempt_no >= 1),
    audio_path     TEXT,
    status         TEXT NOT NULL DEFAULT 'recording'
                   CHECK (status IN ('recording', 'done', 'recovered', 'failed')),
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    duration_s     REAL,
    transcript     TEXT,
    feedback       TEXT,
    score          INTEGER,
    dropped_blocks INTEGER NOT NULL DEFAULT 0 CHECK (dropped_blocks >= 0),
    error          TEXT,
    UNIQUE (session_id, step, attempt_no)
);

CREATE INDEX attempt_session ON attempt (session_id);
-- Only crashed recordings are ever looked up by status: keep that index tiny.
CREATE INDEX attempt_unfinished ON attempt (status) WHERE status = 'recording';
"""

# Migration 2: questions and stories are separate things. A session records the story told
# (``story_id``) beside the question asked; every session before it told the walkthrough's
# own story, whose id is the question's.
SCHEMA_V2 = """
ALTER TABLE session ADD COLUMN story_id TEXT;
UPDATE session SET story_id = question_id WHERE story_id IS NULL;
CREATE INDEX session_story_created ON session (story_id, created_at);
"""

MIGRATIONS: tuple[tuple[int, str], ...] = ((1, SCHEMA_V1), (2, SCHEMA_V2))
"""(version, SQL script) in ascending order; the script takes version-1 to version."""

LATEST_VERSION = MIGRATIONS[-1][0]


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (``;`` inside a trigger body or a string
    does not end a statement), so each can run inside one explicit transaction --
    ``executescript`` would commit the transaction first."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statement = _strip_comments(pending).strip()
            if statement != ";":
                statements.append(statement)
            pending = ""
    if _strip_comments(pending).strip(" \n\t;"):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending!r}")
    return statements


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--"))
