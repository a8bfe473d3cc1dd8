"""The history store on a real SQLite file: lifecycle, crash recovery, migrations, refusals,
threads. Every test gets its own data folder (conftest sets STARCOACH_HOME)."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from starcoach import paths
from starcoach.coach.coach import analyze_step
from starcoach.content import Library
from starcoach.errors import StarCoachError
from starcoach.store import (
    LATEST_VERSION,
    MIGRATIONS,
    AmbiguousSession,
    AttemptNotFound,
    Database,
    DatabaseError,
    SessionNotFound,
    Store,
)
from starcoach.store.repository import ABANDONED_ERROR
from starcoach.store.schema import split_statements
from starcoach.transcribe.types import Transcript

QUESTION = "disagree-senior-leader"


class FakeClock:
    """Advances one second per reading, so ids and times are distinct and ordered."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 1, 12, 30, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(clock=FakeClock())
    yield s
    s.close()


def feedback_for(library: Library, step: str, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    transcript = Transcript.from_text(text)
    fb = analyze_step(library.get(QUESTION), step, transcript)
    return transcript.to_dict(), fb.to_json()


def table_count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


# -- lifecycle ---------------------------------------------------------------------------


def test_defaults_live_in_the_data_folder(store: Store) -> None:
    home = paths.data_dir()
    assert store.db_path == home / "starcoach.db"
    assert store.recordings_dir == home / "recordings"
    assert store.db_path.is_file()
    assert store.recordings_dir.is_dir()
    assert store.schema_version == LATEST_VERSION


def test_session_lifecycle_create_attempts_finish_list_get_delete(
    store: Store, library: Library
) -> None:
    session = store.create_session(QUESTION, "step", "sde1", "Built-in Microphone")
    assert session.status == "recording"
    assert session.attempts == []
    assert session.id.startswith("20261123-011231-")
    assert len(session.id) == len("20261123-011230-3fa2")
    assert session.created_at == "2026-11-23T01:12:31.000+00:00"

    scores = {}
    for step, text in [
        (
            "situation",
            "I noticed the webhook failures. It was not my team and there was no ticket.",
        ),
        ("action", "We escalated it. I wrote a design doc and I added retries."),
    ]:
        path = store.audio_path(session.id, step)
        assert path == store.recordings_dir / session.id / f"{step}.flac"
        attempt_id = store.start_attempt(session.id, step, path)
        assert path.parent.is_dir()  # start_attempt made the folder for the recorder
        path.write_bytes(b"fLaC fake audio")
        transcript, feedback = feedback_for(library, step, text)
        score = int(feedback["score"])
        scores[step] = score
        store.finish_attempt(
            attempt_id,
            duration_s=12.5,
            transcript=transcript,
            feedback=feedback,
            score=score,
            dropped_blocks=1,
        )
    store.finish_session(session.id, {"verdict": "Leaning Hire", "score": 64, "reasons": ["r"]})

    listed = store.list_sessions()
    assert [s.id for s in listed] == [session.id]
    got = store.get_session(session.id[:12])  # a unique prefix is enough
    assert got == listed[0]
    assert got.status == "done"
    assert got.finished_at is not None
    assert got.verdict == {"verdict": "Leaning Hire", "score": 64, "reasons": ["r"]}
    assert got.device == "Built-in Microphone"
    assert [a.step for a in got.attempts] == ["situation", "action"]
    assert got.steps_done == ["situation", "action"]
    assert got.mean_score == round((scores["situation"] + scores["action"]) / 2, 1)
    action = got.attempts[1]
    assert action.status == "done"
    assert action.duration_s == 12.5
    assert action.dropped_blocks == 1
    assert action.score == scores["action"]
    assert action.audio_path == store.recordings_dir / session.id / "action.flac"
    assert action.feedback is not None and action.feedback["step"] == "action"
    assert action.transcript is not None
    assert Transcript.from_dict(action.transcript).text == (
        "We escalated it. I wrote a design doc and I added retries."
    )

    folder = store.recordings_dir / session.id
    assert folder.is_dir()
    store.delete_session(session.id)
    assert not folder.exists()
    assert store.list_sessions() == []
    assert table_count(store.db_path, "attempt") == 0  # cascaded
    with pytest.raises(SessionNotFound):
        store.get_session(session.id)
    with pytest.raises(SessionNotFound):
        store.delete_session(session.id)


def test_retries_get_numbered_audio_files(store: Store) -> None:
    session = store.create_session(QUESTION, "step", "sde1", None)
    first = store.audio_path(session.id, "action")
    a1 = store.start_attempt(session.id, "action", first)
    second = store.audio_path(session.id, "action")
    assert (first.name, second.name) == ("action.flac", "action-2.flac")
    a2 = store.start_attempt(session.id, "action", second)
    # A file left by a take the database never heard of is never overwritten.
    (first.parent / "action-3.flac").write_bytes(b"orphan")
    assert store.audio_path(session.id, "action").name == "action-4.flac"
    assert store.audio_path(session.id, "action", 7).name == "action-7.flac"
    assert store.audio_path(session.id, "result").name == "result.flac"

    store.finish_attempt(a1, duration_s=5, transcript=None, feedback=None, score=40)
    store.finish_attempt(a2, duration_s=6, transcript=None, feedback=None, score=70)
    got = store.get_session(session.id)
    assert [(a.attempt_no, a.score) for a in got.attempts] == [(1, 40), (2, 70)]
    # The history's mean takes each step's latest take.
    assert got.mean_score == 70
    assert got.steps_done == ["action"]


def test_typed_answer_is_recorded_in_one_go_without_audio(store: Store, library: Library) -> None:
    session = store.create_session(QUESTION, "step", "senior", None)
    transcript, feedback = feedback_for(library, "result", "Things got better.")
    attempt_id = store.record_attempt(
        session.id,
        "result",
        duration_s=None,
        transcript=transcript,
        feedback=feedback,
        score=10,
    )
    attempt = store.get_attempt(attempt_id)
    assert attempt.status == "done"
    assert attempt.audio_path is None
    assert attempt.feedback == feedback
    assert store.unfinished_attempts() == []


def test_failed_attempt_keeps_its_error(store: Store) -> None:
    session = store.create_session(QUESTION, "step", "sde1", "USB mic")
    attempt_id = store.start_attempt(session.id, "task", store.audio_path(session.id, "task"))
    store.finish_attempt(
        attempt_id,
        duration_s=None,
        transcript=None,
        feedback=None,
        score=None,
        error="The microphone was unplugged",
        status="failed",
    )
    attempt = store.get_attempt(attempt_id)
    assert (attempt.status, attempt.error) == ("failed", "The microphone was unplugged")
    assert store.get_session(session.id).steps_done == []
    assert store.get_session(session.id).mean_score is None


def test_list_sessions_newest_first_filtered_and_limited(store: Store) -> None:
    made = [
        store.create_session(q, "full", "sde1", None)
        for q in (QUESTION, "unpopular-opinion", QUESTION, QUESTION)
    ]
    newest_first = [s.id for s in reversed(made)]
    assert [s.id for s in store.list_sessions()] == newest_first
    assert [s.id for s in store.list_sessions(limit=2)] == newest_first[:2]
    assert [s.id for s in store.list_sessions(question_id="unpopular-opinion")] == [made[1].id]
    assert [s.id for s in store.list_sessions(question_id=QUESTION)] == [
        made[3].id,
        made[2].id,
        made[0].id,
    ]
    # The ids sort like the creation times.
    assert sorted(s.id for s in made) == [s.id for s in made]


def test_get_session_unknown_and_ambiguous_prefix(store: Store) -> None:
    a = store.create_session(QUESTION, "step", "sde1", None)
    store.create_session(QUESTION, "step", "sde1", None)
    with pytest.raises(SessionNotFound) as not_found:
        store.get_session("19990101")
    assert str(not_found.value) == "No session '19990101' in the history"
    assert isinstance(not_found.value, StarCoachError)
    with pytest.raises(AmbiguousSession) as ambiguous:
        store.get_session("2026")
    assert "fits 2 sessions" in str(ambiguous.value)
    with pytest.raises(SessionNotFound):
        store.get_session("")
    # LIKE wildcards in a prefix are taken literally.
    with pytest.raises(SessionNotFound):
        store.get_session("%")
    assert store.get_session(a.id).id == a.id


def test_bad_arguments_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="mode"):
        store.create_session(QUESTION, "karaoke", "sde1", None)
    session = store.create_session(QUESTION, "step", "sde1", None)
    with pytest.raises(ValueError, match="safe file name"):
        store.audio_path(session.id, "../../etc")
    with pytest.raises(ValueError, match="safe file name"):
        store.audio_path("../outside", "action")
    with pytest.raises(SessionNotFound):
        store.start_attempt("20000101-000000-0000", "action", None)
    with pytest.raises(AttemptNotFound):
        store.finish_attempt(999, duration_s=1, transcript=None, feedback=None, score=1)
    with pytest.raises(ValueError):
        store.finish_attempt(1, duration_s=1, transcript=None, feedback=None, score=1,
                             status="recording")  # fmt: skip
    with pytest.raises(SessionNotFound):
        store.finish_session("20000101-000000-0000")
    with pytest.raises(SessionNotFound):
        store.delete_session("../../home")
    done = store.record_attempt(
        session.id, "action", duration_s=1, transcript=None, feedback=None, score=1
    )
    with pytest.raises(ValueError, match="not a cut-off recording"):
        store.abandon_attempt(done)  # only crashed takes can be abandoned
    assert store.get_attempt(done).status == "done"


def test_delete_session_leaves_other_sessions_alone(store: Store) -> None:
    keep = store.create_session(QUESTION, "step", "sde1", None)
    drop = store.create_session(QUESTION, "step", "sde1", None)
    for s in (keep, drop):
        path = store.audio_path(s.id, "action")
        store.start_attempt(s.id, "action", path)
        path.write_bytes(b"audio")
    store.delete_session(drop.id)
    assert (store.recordings_dir / keep.id / "action.flac").read_bytes() == b"audio"
    assert [s.id for s in store.list_sessions()] == [keep.id]
    assert len(store.get_session(keep.id).attempts) == 1


# -- crash recovery ----------------------------------------------------------------------


def test_unfinished_attempts_are_found_after_a_crash(tmp_path: Path) -> None:
    db, recordings = tmp_path / "h.db", tmp_path / "rec"
    before = Store(db, recordings)
    session = before.create_session(QUESTION, "step", "sde1", "mic")
    kept_path = before.audio_path(session.id, "situation")
    kept = before.start_attempt(session.id, "situation", kept_path)
    kept_path.write_bytes(b"partial audio")
    dropped_path = before.audio_path(session.id, "task")
    dropped = before.start_attempt(session.id, "task", dropped_path)
    dropped_path.write_bytes(b"partial audio")
    # The app dies here: nothing finished, nothing closed. The next start opens the file anew.
    after = Store(db, recordings)
    try:
        unfinished = after.unfinished_attempts()
        assert [(a.id, a.step, a.status) for a in unfinished] == [
            (kept, "situation", "recording"),
            (dropped, "task", "recording"),
        ]
        assert unfinished[0].audio_path == kept_path

        after.mark_recovered(kept, duration_s=7.0, transcript=None, feedback=None, score=55)
        assert after.get_session(session.id).status == "recording"  # task still pending
        after.abandon_attempt(dropped)

        assert after.unfinished_attempts() == []
        assert kept_path.read_bytes() == b"partial audio"  # recovered audio stays
        assert not dropped_path.exists()  # abandoned audio goes
        got = after.get_session(session.id)
        assert got.status == "recovered"
        assert got.finished_at is not None
        by_step = {a.step: a for a in got.attempts}
        assert (by_step["situation"].status, by_step["situation"].score) == ("recovered", 55)
        assert by_step["task"].status == "failed"
        assert by_step["task"].error == ABANDONED_ERROR
        assert by_step["task"].audio_path is None
        assert got.steps_done == ["situation"]
    finally:
        after.close()
        before.close()


def test_abandoning_the_only_take_abandons_the_session(store: Store) -> None:
    session = store.create_session(QUESTION, "mock", "senior", None)
    path = store.audio_path(session.id, "full")
    attempt = store.start_attempt(session.id, "full", path)
    path.write_bytes(b"x")
    store.abandon_attempt(attempt, delete_audio=False)
    assert path.exists()
    assert store.get_attempt(attempt).audio_path == path
    assert store.get_session(session.id).status == "abandoned"


def test_abandon_session_closes_a_half_done_session(store: Store) -> None:
    session = store.create_session(QUESTION, "step", "sde1", None)
    done = store.start_attempt(session.id, "situation", None)
    store.finish_attempt(done, duration_s=3, transcript=None, feedback=None, score=60)
    hanging = store.start_attempt(session.id, "task", None)
    store.abandon_session(session.id)
    assert store.get_session(session.id).status == "recovered"
    assert store.get_attempt(hanging).status == "failed"
    assert store.unfinished_attempts() == []


# -- the file: WAL, migrations, refusals -------------------------------------------------


def test_wal_mode_foreign_keys_and_index(store: Store) -> None:
    conn = sqlite3.connect(store.db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        index_columns = [
            row[2] for row in conn.execute("PRAGMA index_info(session_question_created)")
        ]
        assert index_columns == ["question_id", "created_at"]
    finally:
        conn.close()
    # Foreign keys are enforced on the store's own connection.
    with pytest.raises(SessionNotFound):
        store.record_attempt(
            "nope", "action", duration_s=None, transcript=None, feedback=None, score=None
        )
    with store._db.write() as conn2, pytest.raises(sqlite3.IntegrityError):
        conn2.execute(
            "INSERT INTO attempt (session_id, step, attempt_no, started_at) "
            "VALUES ('missing', 'action', 1, 'now')"
        )


@pytest.mark.parametrize("kind", ["zero-byte file", "empty database at version 0"])
def test_an_old_or_empty_database_is_migrated(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "h.db"
    if kind == "zero-byte file":
        db.write_bytes(b"")
    else:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE unrelated (x)")  # a real file, user_version still 0
        conn.commit()
        conn.close()
    with Store(db, tmp_path / "rec") as store:
        assert store.schema_version == LATEST_VERSION
        session = store.create_session(QUESTION, "step", "sde1", None)
        assert store.get_session(session.id).question_id == QUESTION
    assert not list(tmp_path.glob("*.bak"))  # nothing worth backing up at version 0


def test_a_database_made_at_version_1_opens_again_with_its_data(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with Store(db, tmp_path / "rec") as first:
        session = first.create_session(QUESTION, "full", "senior", "mic")
        first.record_attempt(
            session.id, "action", duration_s=80, transcript=None, feedback=None, score=77
        )
    with Store(db, tmp_path / "rec") as again:
        assert again.schema_version == LATEST_VERSION
        got = again.get_session(session.id)
        assert got.attempts[0].score == 77
    assert not list(tmp_path.glob("*.bak"))


def test_a_new_migration_upgrades_an_old_file_keeping_data_and_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with Store(db, tmp_path / "rec") as first:
        session = first.create_session(QUESTION, "step", "sde1", None)
    nxt = LATEST_VERSION + 1
    v2 = (
        nxt,
        """
        ALTER TABLE session ADD COLUMN note TEXT;
        -- a comment; with a semicolon
        UPDATE session SET note = 'migrated';
        """,
    )
    upgraded = Database(db, migrations=(*MIGRATIONS, v2))
    try:
        assert upgraded.version == nxt
        with upgraded.read() as conn:
            assert [tuple(r) for r in conn.execute("SELECT id, note FROM session")] == [
                (session.id, "migrated")
            ]
    finally:
        upgraded.close()
    backup = tmp_path / f"h.db.schema{LATEST_VERSION}.bak"
    assert backup.is_file()
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    conn.close()
    # This version of StarCoach knows up to LATEST_VERSION: the upgraded file is now refused.
    with pytest.raises(DatabaseError, match=f"schema {nxt}, this version knows {LATEST_VERSION}"):
        Store(db, tmp_path / "rec")


def test_a_failing_migration_is_rolled_back(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    Store(db, tmp_path / "rec").close()
    broken = (LATEST_VERSION + 1, "ALTER TABLE session ADD COLUMN note TEXT; THIS IS NOT SQL;")
    with pytest.raises(DatabaseError, match=f"left at schema {LATEST_VERSION}"):
        Database(db, migrations=(*MIGRATIONS, broken))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        columns = [row[1] for row in conn.execute("PRAGMA table_info(session)")]
        assert "note" not in columns
    finally:
        conn.close()


def test_split_statements_respects_trigger_bodies() -> None:
    script = """
    CREATE TABLE t (x);
    CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN UPDATE t SET x = 1; END;
    INSERT INTO t VALUES ('a;b');
    """
    assert len(split_statements(script)) == 3


def test_a_corrupt_file_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "starcoach.db"
    garbage = random.Random(7).randbytes(64 * 1024)
    db.write_bytes(garbage)
    with pytest.raises(DatabaseError) as exc:
        Store(db, tmp_path / "rec")
    message = str(exc.value)
    assert str(db) in message
    assert "left untouched" in message
    assert db.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec", "starcoach.db"]


def test_a_damaged_sqlite_file_is_refused_and_left_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with Store(db, tmp_path / "rec") as store:
        for _ in range(30):
            store.create_session(QUESTION, "step", "sde1", "x" * 200)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")  # fold the WAL into the file
    conn.close()
    data = bytearray(db.read_bytes())
    assert len(data) > 3 * 4096
    data[4096:] = random.Random(3).randbytes(len(data) - 4096)  # every page after the first
    db.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="left untouched") as exc:
        Store(db, tmp_path / "rec")
    assert str(db) in str(exc.value)
    assert db.read_bytes() == bytes(data)


def test_a_database_from_a_newer_starcoach_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "starcoach.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE session (id TEXT PRIMARY KEY, future TEXT)")
    conn.execute("INSERT INTO session VALUES ('20300101-000000-abcd', 'hover cars')")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseError) as exc:
        Store(db, tmp_path / "rec")
    assert str(exc.value) == (
        f"The history database {db} was written by a newer StarCoach (schema 7, this version "
        f"knows {LATEST_VERSION}); it is left untouched. Update StarCoach to open it."
    )
    assert db.read_bytes() == before
    assert not (tmp_path / "starcoach.db-wal").exists()


def test_a_folder_in_place_of_the_database_is_reported(tmp_path: Path) -> None:
    (tmp_path / "h.db").mkdir()
    with pytest.raises(DatabaseError, match="is a folder"):
        Store(tmp_path / "h.db", tmp_path / "rec")


def test_closed_store_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.db", tmp_path / "rec")
    store.close()
    store.close()  # twice is fine
    with pytest.raises(DatabaseError, match="closed"):
        store.list_sessions()


# -- threads -----------------------------------------------------------------------------


def test_one_store_shared_by_two_threads(store: Store) -> None:
    per_thread = 25
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(step: str) -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                session = store.create_session(QUESTION, "step", "sde1", None)
                attempt = store.start_attempt(session.id, step, store.audio_path(session.id, step))
                store.finish_attempt(
                    attempt, duration_s=1.0, transcript=None, feedback=None, score=50
                )
                store.list_sessions(limit=3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in ("situation", "action")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sessions = store.list_sessions()
    assert len(sessions) == 2 * per_thread
    assert len({s.id for s in sessions}) == 2 * per_thread
    assert all(s.attempts[0].status == "done" for s in sessions)


def test_two_stores_on_one_file_from_two_threads(tmp_path: Path) -> None:
    """The window and the command line each have their own connection."""
    db, rec = tmp_path / "h.db", tmp_path / "rec"
    Store(db, rec).close()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with Store(db, rec) as own:
                barrier.wait()
                for _ in range(20):
                    session = own.create_session(QUESTION, "full", "sde1", None)
                    own.record_attempt(
                        session.id, "action", duration_s=1, transcript=None, feedback=None, score=1
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db, rec) as check:
        assert len(check.list_sessions()) == 40
