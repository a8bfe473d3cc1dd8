"""The practice history: sessions, their attempts and their recordings on disk.

:class:`Store` is safe to call from several threads (see :mod:`starcoach.store.db`). Typical
use by a recorder::

    session = store.create_session("disagree-senior-leader", "step", "sde1", device)
    path = store.audio_path(session.id, "action")        # recordings/<id>/action.flac
    attempt_id = store.start_attempt(session.id, "action", path)  # before audio starts
    ... record into path, transcribe, coach ...
    store.finish_attempt(attempt_id, duration_s=..., transcript=..., feedback=..., score=...)
    store.finish_session(session.id, verdict)

At start-up, :meth:`Store.unfinished_attempts` lists recordings a crash interrupted; each is
then either brought back (:meth:`Store.mark_recovered`) or dropped
(:meth:`Store.abandon_attempt`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from starcoach import paths
from starcoach.errors import StarCoachError
from starcoach.store import lease
from starcoach.store.db import Database, not_writable
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
    Attempt,
    AttemptStatus,
    JSONDict,
    Session,
    SessionStatus,
)

DB_FILENAME = "starcoach.db"
RECORDINGS_DIRNAME = "recordings"
AUDIO_SUFFIX = ".flac"

ABANDONED_ERROR = "Recording abandoned after StarCoach stopped unexpectedly"
SESSION_CLOSED_ERROR = "The session was closed before this recording finished"

# Ids and step names become folder and file names: keep them to a safe alphabet.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_ID_ATTEMPTS = 20

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Sessions and attempts in SQLite, recordings under ``recordings/<session>/``.

    ``db_path`` defaults to ``data_dir()/starcoach.db`` and ``recordings_dir`` to
    ``data_dir()/recordings``; both folders are created. ``clock`` returns an aware datetime
    (tests inject a fixed one). Raises :class:`DatabaseError` when the file is damaged or
    was written by a newer StarCoach; such a file is never modified.

    Thread-safe: one connection serves every thread, each call holding a lock for its whole
    transaction (the recorder's thread and the UI thread may share one Store). Another
    process may open its own Store on the same file at the same time (WAL, busy timeout).
    """

    def __init__(
        self,
        db_path: Path | None = None,
        recordings_dir: Path | None = None,
        *,
        clock: Clock = _utc_now,
        allow_read_only: bool = False,
    ) -> None:
        base = paths.data_dir()
        self.db_path = Path(db_path) if db_path is not None else base / DB_FILENAME
        self.recordings_dir = (
            Path(recordings_dir) if recordings_dir is not None else base / RECORDINGS_DIRNAME
        )
        self._clock = clock
        folder = self.db_path.parent
        problem = _not_writable_reason(folder)
        if problem is None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.recordings_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                if exc.errno not in _READ_ONLY_ERRNOS:
                    raise DatabaseError(f"Cannot create the data folder: {exc}") from exc
                problem = exc.strerror or str(exc)
        self.read_only = problem is not None
        if problem is not None:
            if not allow_read_only:
                raise not_writable(folder, problem)
            self._db = Database(self.db_path, read_only=True)
        else:
            self._db = Database(self.db_path)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the database; safe to call twice."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.version

    # -- sessions ----------------------------------------------------------------------

    def create_session(
        self,
        question_id: str,
        mode: str,
        level: str,
        device: str | None,
        story_id: str | None = None,
    ) -> Session:
        """A new session, status 'recording'. Its id sorts by creation time:
        ``YYYYMMDD-HHMMSS-xxxx`` (UTC, then 4 random hex digits). ``story_id`` is the story
        told (default: the question's own, whose id is the question's)."""
        story_id = story_id or question_id
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        now = self._clock()
        created_at = _iso(now)
        stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        for _ in range(_ID_ATTEMPTS):
            session_id = f"{stamp}-{secrets.token_hex(2)}"
            try:
                with self._db.write() as conn:
                    conn.execute(
                        "INSERT INTO session (id, question_id, story_id, mode, level, device,"
                        " created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'recording')",
                        (session_id, question_id, story_id, mode, level, device, created_at),
                    )
            except sqlite3.IntegrityError:
                continue  # the same second and the same 4 hex digits: draw again
            return Session(
                id=session_id,
                question_id=question_id,
                mode=mode,
                level=level,
                device=device,
                created_at=created_at,
                finished_at=None,
                status="recording",
                verdict=None,
                attempts=[],
                story_id=story_id,
            )
        raise RuntimeError("could not draw a unique session id")  # 65536 draws per second

    def finish_session(self, session_id: str, verdict: Mapping[str, Any] | None = None) -> None:
        """Mark the session done; ``verdict`` is AnswerVerdict.to_json() (or None)."""
        with self._db.write() as conn:
            cur = conn.execute(
                "UPDATE session SET status = 'done', finished_at = ?, verdict = ? WHERE id = ?",
                (_iso(self._clock()), _dumps(verdict), session_id),
            )
            if cur.rowcount == 0:
                raise SessionNotFound(session_id)

    def abandon_session(self, session_id: str) -> None:
        """Close a session that will never be finished (e.g. the app was closed mid-way):
        'recovered' if it holds a usable attempt, else 'abandoned'. A take still marked
        recording becomes 'failed' (its audio is kept). A finished session is left as is."""
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM session WHERE id = ?", (session_id,)).fetchone() is None:
                raise SessionNotFound(session_id)
            conn.execute(
                "UPDATE attempt SET status = 'failed', error = ?, finished_at = ? "
                "WHERE session_id = ? AND status = 'recording'",
                (SESSION_CLOSED_ERROR, _iso(self._clock()), session_id),
            )
            self._settle_session(conn, session_id)

    def get_session(self, session_id: str) -> Session:
        """The session with this id, or the only one whose id starts with it."""
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM session WHERE id = ?", (session_id,)).fetchone()
            if row is None and session_id:
                rows = conn.execute(
                    "SELECT * FROM session WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 51",
                    (_like_prefix(session_id),),
                ).fetchall()
                if len(rows) > 1:
                    raise AmbiguousSession(session_id, [r["id"] for r in rows])
                row = rows[0] if rows else None
            if row is None:
                raise SessionNotFound(session_id)
            return self._sessions(conn, [row])[0]

    def list_sessions(
        self,
        question_id: str | None = None,
        limit: int | None = None,
        *,
        story_id: str | None = None,
    ) -> list[Session]:
        """Sessions newest first, each with all its attempts (see Session.steps_done and
        Session.mean_score for the history's summary columns); only those of one question
        and/or one story when given."""
        sql = "SELECT * FROM session"
        params: list[object] = []
        where = []
        if question_id is not None:
            where.append("question_id = ?")
            params.append(question_id)
        if story_id is not None:
            where.append("story_id = ?")
            params.append(story_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        with self._db.read() as conn:
            return self._sessions(conn, conn.execute(sql, params).fetchall())

    def delete_session(self, session_id: str) -> None:
        """Delete the session (exact id: resolve a prefix with :meth:`get_session` first),
        its attempts and its recordings folder."""
        if not _SAFE_NAME.match(session_id):
            raise SessionNotFound(session_id)
        with self._db.write() as conn:
            recording = [
                r[0]
                for r in conn.execute(
                    "SELECT audio_path FROM attempt WHERE session_id = ? AND status = "
                    "'recording' AND audio_path IS NOT NULL",
                    (session_id,),
                )
            ]
            if any(lease.is_held(self._resolve_audio(stored)) for stored in recording):
                raise RecordingInProgress(
                    f"Session {session_id} is still recording; stop that recording first, "
                    "then delete the session."
                )
            audio = [
                r[0]
                for r in conn.execute(
                    "SELECT audio_path FROM attempt WHERE session_id = ? AND audio_path IS NOT "
                    "NULL",
                    (session_id,),
                )
            ]
            cur = conn.execute("DELETE FROM session WHERE id = ?", (session_id,))
            if cur.rowcount == 0:
                raise SessionNotFound(session_id)
        # Rows first, files second: a failure below leaves orphan audio, never a history
        # entry pointing at missing audio.
        folder = self.recordings_dir / session_id
        try:
            for stored in audio:
                self._remove_own_file(self._resolve_audio(stored))
            if folder.exists():
                shutil.rmtree(folder)
        except OSError as exc:
            raise StarCoachError(
                f"Session {session_id} was deleted, but its recordings in {folder} could not "
                f"be removed: {exc}"
            ) from exc

    # -- attempts ----------------------------------------------------------------------

    def audio_path(self, session_id: str, step: str, attempt_no: int | None = None) -> Path:
        """Where a take of ``step`` is recorded: ``recordings/<session>/<step>.flac``, a
        retry ``<step>-2.flac``, ... With no ``attempt_no``, the next take's path (never a
        file that exists already). The folder is created by :meth:`start_attempt`."""
        _check_name(session_id, "session id")
        _check_name(step, "step")
        folder = self.recordings_dir / session_id
        if attempt_no is not None:
            if attempt_no < 1:
                raise ValueError("attempt_no starts at 1")
            return folder / _audio_name(step, attempt_no)
        n = self._next_attempt_no(session_id, step)
        while (folder / _audio_name(step, n)).exists():
            n += 1
        return folder / _audio_name(step, n)

    def start_attempt(self, session_id: str, step: str, audio_path: Path | None) -> int:
        """Record that a take of ``step`` begins (status 'recording'); call before any audio
        is captured so a crash leaves a trace. ``audio_path`` None: a typed answer.
        Creates the audio file's folder. Returns the attempt id."""
        _check_name(step, "step")
        if audio_path is not None:
            Path(audio_path).parent.mkdir(parents=True, exist_ok=True)
        return self._insert_attempt(session_id, step, audio_path)

    def record_attempt(
        self,
        session_id: str,
        step: str,
        *,
        audio_path: Path | None = None,
        duration_s: float | None,
        transcript: Mapping[str, Any] | None,
        feedback: Mapping[str, Any] | None,
        score: int | None,
        dropped_blocks: int = 0,
        error: str | None = None,
        status: AttemptStatus = "done",
    ) -> int:
        """Start and finish an attempt in one go (a typed answer, an analysed file)."""
        _check_name(step, "step")
        return self._insert_attempt(
            session_id,
            step,
            audio_path,
            finish={
                "duration_s": duration_s,
                "transcript": transcript,
                "feedback": feedback,
                "score": score,
                "dropped_blocks": dropped_blocks,
                "error": error,
                "status": status,
            },
        )

    def finish_attempt(
        self,
        attempt_id: int,
        *,
        duration_s: float | None,
        transcript: Mapping[str, Any] | None,
        feedback: Mapping[str, Any] | None,
        score: int | None,
        dropped_blocks: int = 0,
        error: str | None = None,
        status: AttemptStatus = "done",
    ) -> bool:
        """Store a take's outcome: ``transcript`` is Transcript.to_dict(), ``feedback``
        StepFeedback.to_json(); status 'failed' with ``error`` when it went wrong.

        A take is finished once: on one that is no longer 'recording' (another thread or
        process stored it, recovered it or dropped it first) nothing changes and the result
        is False, so two writers never overwrite each other's feedback."""
        if status not in ATTEMPT_STATUSES or status == "recording":
            raise ValueError(f"a finished attempt is done, recovered or failed, not {status!r}")
        with self._db.write() as conn:
            return (
                self._update_attempt(
                    conn,
                    attempt_id,
                    duration_s=duration_s,
                    transcript=transcript,
                    feedback=feedback,
                    score=score,
                    dropped_blocks=dropped_blocks,
                    error=error,
                    status=status,
                )
                is not None
            )

    def get_attempt(self, attempt_id: int) -> Attempt:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM attempt WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise AttemptNotFound(attempt_id)
        return self._attempt(row)

    def unfinished_attempts(self) -> list[Attempt]:
        """Takes still marked 'recording', oldest first: live recordings (see
        :meth:`is_live`) and recordings a crash cut short alike."""
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM attempt WHERE status = 'recording' ORDER BY started_at, id"
            ).fetchall()
        return [self._attempt(row) for row in rows]

    def is_live(self, attempt: Attempt) -> bool:
        """True while some process (this one too) is recording this take: it holds the
        take's lease (see :mod:`starcoach.store.lease`). Never creates a file."""
        return (
            attempt.status == "recording"
            and attempt.audio_path is not None
            and lease.is_held(attempt.audio_path)
        )

    def orphaned_attempts(self) -> list[Attempt]:
        """Takes still 'recording' whose recording process is gone (a crash, a kill): the
        only ones that may be recovered or discarded."""
        return [a for a in self.unfinished_attempts() if not self.is_live(a)]

    def live_attempts(self) -> list[Attempt]:
        """Takes being recorded right now, by this process or another."""
        return [a for a in self.unfinished_attempts() if self.is_live(a)]

    def forget_attempt(self, attempt_id: int) -> None:
        """Remove a take that never started (the microphone could not be opened): its row,
        whatever file it left, and its session too when that is left empty and unfinished,
        so a failed Record press leaves no trace in the history."""
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT session_id, audio_path, status FROM attempt WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                return
            if row["status"] != "recording":
                raise ValueError(f"attempt {attempt_id} is {row['status']}, not just started")
            conn.execute("DELETE FROM attempt WHERE id = ?", (attempt_id,))
        if row["audio_path"] is not None:
            path = self._resolve_audio(row["audio_path"])
            for leftover in (path, path.with_name(path.stem + ".rec.wav")):
                self._remove_own_file(leftover)

    def forget_empty_session(self, session_id: str) -> bool:
        """Delete a session that holds no take and was never finished (a Record press that
        failed before any audio); True when it was deleted."""
        with self._db.write() as conn:
            cur = conn.execute(
                "DELETE FROM session WHERE id = ? AND status = 'recording' AND NOT EXISTS "
                "(SELECT 1 FROM attempt WHERE session_id = ?)",
                (session_id, session_id),
            )
            deleted = cur.rowcount > 0
        if deleted:
            folder = self.recordings_dir / session_id
            with contextlib.suppress(OSError):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        return deleted

    def mark_recovered(
        self,
        attempt_id: int,
        *,
        duration_s: float | None = None,
        transcript: Mapping[str, Any] | None = None,
        feedback: Mapping[str, Any] | None = None,
        score: int | None = None,
        dropped_blocks: int = 0,
        error: str | None = None,
    ) -> None:
        """Keep a crashed take: its audio stays, the outcome of re-analysing it is stored,
        status 'recovered'. Once its session has no take left recording, the session is
        'recovered' too."""
        with self._db.write() as conn:
            session_id = self._update_attempt(
                conn,
                attempt_id,
                duration_s=duration_s,
                transcript=transcript,
                feedback=feedback,
                score=score,
                dropped_blocks=dropped_blocks,
                error=error,
                status="recovered",
            )
            if session_id is not None:
                self._settle_session(conn, session_id)

    def abandon_attempt(self, attempt_id: int, *, delete_audio: bool = True) -> None:
        """Drop a crashed take (one still 'recording'; anything else is a ValueError): its
        status becomes 'failed' with an explanatory error and, by default, its audio file is
        deleted and forgotten. The row stays as a trace. Once its session has no take left
        recording, the session becomes 'recovered' if another take is usable, else
        'abandoned'."""
        with self._db.write() as conn:
            row = conn.execute(
                "SELECT session_id, audio_path, status FROM attempt WHERE id = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise AttemptNotFound(attempt_id)
            session_id, stored = row["session_id"], row["audio_path"]
            if row["status"] != "recording":
                raise ValueError(
                    f"attempt {attempt_id} is {row['status']}, not a cut-off recording"
                )
            conn.execute(
                "UPDATE attempt SET status = 'failed', error = ?, finished_at = ?"
                + (", audio_path = NULL" if delete_audio else "")
                + " WHERE id = ?",
                (ABANDONED_ERROR, _iso(self._clock()), attempt_id),
            )
            self._settle_session(conn, session_id)
        if delete_audio and stored is not None:
            self._remove_own_file(self._resolve_audio(stored))

    # -- internals ---------------------------------------------------------------------

    def _next_attempt_no(self, session_id: str, step: str) -> int:
        with self._db.read() as conn:
            return _max_attempt_no(conn, session_id, step) + 1

    def _insert_attempt(
        self,
        session_id: str,
        step: str,
        audio_path: Path | None,
        finish: dict[str, Any] | None = None,
    ) -> int:
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM session WHERE id = ?", (session_id,)).fetchone() is None:
                raise SessionNotFound(session_id)
            attempt_no = _max_attempt_no(conn, session_id, step) + 1
            cur = conn.execute(
                "INSERT INTO attempt (session_id, step, attempt_no, audio_path, status, "
                "started_at) VALUES (?, ?, ?, ?, 'recording', ?)",
                (
                    session_id,
                    step,
                    attempt_no,
                    self._stored_audio(audio_path),
                    _iso(self._clock()),
                ),
            )
            attempt_id = cur.lastrowid
            assert attempt_id is not None
            if finish is not None:
                self._update_attempt(conn, attempt_id, **finish)
            return attempt_id

    def _update_attempt(
        self,
        conn: sqlite3.Connection,
        attempt_id: int,
        *,
        duration_s: float | None,
        transcript: Mapping[str, Any] | None,
        feedback: Mapping[str, Any] | None,
        score: int | None,
        dropped_blocks: int,
        error: str | None,
        status: AttemptStatus,
    ) -> str | None:
        """Finish a take still 'recording'; its session id, or None when the take was
        finished already (then nothing changes). AttemptNotFound when there is no such take."""
        if dropped_blocks < 0:
            raise ValueError("dropped_blocks cannot be negative")
        cur = conn.execute(
            "UPDATE attempt SET status = ?, finished_at = ?, duration_s = ?, transcript = ?, "
            "feedback = ?, score = ?, dropped_blocks = ?, error = ? "
            "WHERE id = ? AND status = 'recording' RETURNING session_id",
            (
                status,
                _iso(self._clock()),
                None if duration_s is None else float(duration_s),
                _dumps(transcript),
                _dumps(feedback),
                None if score is None else int(score),
                int(dropped_blocks),
                error,
                attempt_id,
            ),
        )
        row = cur.fetchone()
        if row is None:
            if conn.execute("SELECT 1 FROM attempt WHERE id = ?", (attempt_id,)).fetchone():
                return None
            raise AttemptNotFound(attempt_id)
        return str(row[0])

    def _settle_session(self, conn: sqlite3.Connection, session_id: str) -> None:
        """After a crash is dealt with, close the session it interrupted."""
        status = conn.execute("SELECT status FROM session WHERE id = ?", (session_id,)).fetchone()
        if status is None or status[0] != "recording":
            return
        still = conn.execute(
            "SELECT 1 FROM attempt WHERE session_id = ? AND status = 'recording' LIMIT 1",
            (session_id,),
        ).fetchone()
        if still is not None:
            return
        usable = conn.execute(
            "SELECT 1 FROM attempt WHERE session_id = ? AND status IN ('done', 'recovered') "
            "LIMIT 1",
            (session_id,),
        ).fetchone()
        new_status: SessionStatus = "recovered" if usable is not None else "abandoned"
        conn.execute(
            "UPDATE session SET status = ?, finished_at = ? WHERE id = ?",
            (new_status, _iso(self._clock()), session_id),
        )

    def _sessions(self, conn: sqlite3.Connection, rows: Iterable[sqlite3.Row]) -> list[Session]:
        rows = list(rows)
        by_session: dict[str, list[Attempt]] = {r["id"]: [] for r in rows}
        ids = list(by_session)
        # Chunked: SQLite limits the number of ? in one statement.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for arow in conn.execute(
                f"SELECT * FROM attempt WHERE session_id IN ({marks}) ORDER BY id", chunk
            ):
                attempt = self._attempt(arow)
                by_session[attempt.session_id].append(attempt)
        return [_session(row, by_session[row["id"]]) for row in rows]

    def _attempt(self, d: sqlite3.Row) -> Attempt:
        stored = d["audio_path"]
        return Attempt(
            id=int(d["id"]),
            session_id=str(d["session_id"]),
            step=str(d["step"]),
            audio_path=None if stored is None else self._resolve_audio(str(stored)),
            status=d["status"],
            started_at=str(d["started_at"]),
            duration_s=d["duration_s"],
            transcript=_loads(d["transcript"]),
            feedback=_loads(d["feedback"]),
            score=d["score"],
            dropped_blocks=int(d["dropped_blocks"]),
            error=d["error"],
            attempt_no=int(d["attempt_no"]),
            finished_at=d["finished_at"],
        )

    def _stored_audio(self, audio_path: Path | None) -> str | None:
        """Relative to the recordings folder when inside it, so the data folder can move."""
        if audio_path is None:
            return None
        path = Path(audio_path)
        try:
            return path.resolve().relative_to(self.recordings_dir.resolve()).as_posix()
        except ValueError:
            return str(path.resolve())

    def _resolve_audio(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else self.recordings_dir / path

    def _remove_own_file(self, path: Path) -> None:
        """Delete an audio file, but only one inside the recordings folder."""
        try:
            path.resolve().relative_to(self.recordings_dir.resolve())
        except ValueError:
            return
        path.unlink(missing_ok=True)


# -- helpers -----------------------------------------------------------------------------


def _session(d: sqlite3.Row, attempts: list[Attempt]) -> Session:
    return Session(
        id=str(d["id"]),
        question_id=str(d["question_id"]),
        mode=d["mode"],
        level=str(d["level"]),
        device=d["device"],
        created_at=str(d["created_at"]),
        finished_at=d["finished_at"],
        status=d["status"],
        verdict=_loads(d["verdict"]),
        attempts=attempts,
        story_id=d["story_id"] if "story_id" in d.keys() else None,  # noqa: SIM118
    )


_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def _not_writable_reason(folder: Path) -> str | None:
    """Why the data folder cannot be written to, or None. ``os.access`` answers for the file
    system (a read-only mount says EROFS even to root); a folder not made yet is checked at
    its nearest existing parent."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not os.access(probe, os.W_OK):
        return "read-only" if _on_read_only_mount(probe) else "permission denied"
    return None


def _on_read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # Windows has no statvfs
        return False


def _max_attempt_no(conn: sqlite3.Connection, session_id: str, step: str) -> int:
    row = conn.execute(
        "SELECT MAX(attempt_no) FROM attempt WHERE session_id = ? AND step = ?",
        (session_id, step),
    ).fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def _audio_name(step: str, attempt_no: int) -> str:
    return f"{step}{AUDIO_SUFFIX}" if attempt_no == 1 else f"{step}-{attempt_no}{AUDIO_SUFFIX}"


def _check_name(value: str, what: str) -> None:
    if not _SAFE_NAME.match(value):
        raise ValueError(f"{what} {value!r} is not a safe file name")


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the clock must return an aware datetime")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _dumps(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(dict(value), ensure_ascii=False)


def _loads(text: str | None) -> JSONDict | None:
    if text is None:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else None
