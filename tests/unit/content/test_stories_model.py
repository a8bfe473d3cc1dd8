"""Questions and stories as separate things: composing, sessions that record both, the
migration of an old history database, and old own-story files that still load and practise."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from starcoach.coach.coach import analyze_step
from starcoach.content import load_library
from starcoach.content.loader import load_file
from starcoach.errors import StarCoachError, UnknownStory
from starcoach.practice import PracticeService
from starcoach.store import MIGRATIONS, Database, Store
from starcoach.store.schema import LATEST_VERSION
from starcoach.transcribe.types import Transcript
from tests.support.fakes import ScriptedEngine
from tests.support.paths import REPO

BUNDLED = "disagree-senior-leader"
BANK_Q = "ownership-outside-your-role"


def _old_own_story(folder: Path) -> Path:
    """The complete example of docs/content-format.md: an own story in the format before
    questions and stories were separate (no ``kind``)."""
    text = (REPO / "docs" / "content-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    example = next(b for b in blocks if "probes:" in b)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-own-story.yaml"
    path.write_text(example, encoding="utf-8")
    return path


def test_every_walkthrough_is_a_question_with_its_story(library) -> None:  # type: ignore[no-untyped-def]
    question = library.question(BUNDLED)
    assert question.story_id == BUNDLED and not question.authored
    assert library.walkthrough_for(BUNDLED) is library.get(BUNDLED)  # unchanged
    assert library.walkthrough_for(BUNDLED, BUNDLED) is library.get(BUNDLED)
    assert set(library.stories) >= set(library.bundled_ids)


def test_a_bank_question_answered_with_any_story(library) -> None:  # type: ignore[no-untyped-def]
    story = library.get(BUNDLED)
    composed = library.walkthrough_for(BANK_Q, BUNDLED)
    assert composed.id == BANK_Q
    assert composed.title == library.question(BANK_Q).title
    assert composed.principles[0] == "Ownership"
    assert "Have Backbone; Disagree and Commit" in composed.principles
    assert composed.steps == story.steps  # a bundled story keeps its own coaching
    assert composed.probes[0].question == "Who owned that work before you stepped in?"
    # The same story answers another question too.
    other = library.walkthrough_for("backbone-disagreed-with-manager", BUNDLED)
    assert other.step("action").key_phrases == story.step("action").key_phrases


def test_a_bank_question_needs_a_story_and_ids_must_exist(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StarCoachError, match="pick one of your stories"):
        library.walkthrough_for(BANK_Q)
    with pytest.raises(UnknownStory):
        library.walkthrough_for(BANK_Q, "no-such-story")


def test_an_old_own_story_file_loads_and_practises_unchanged(tmp_path: Path) -> None:
    path = _old_own_story(tmp_path / "user")
    library = load_library(user_dir=tmp_path / "user")
    assert not library.errors, library.errors
    direct = load_file(path)
    assert library.get("my-own-story") == direct
    assert library.question("my-own-story").title == direct.title
    assert "my-own-story" in library.own_stories()
    practised = library.walkthrough_for("my-own-story")
    assert practised.steps == direct.steps  # it has its own coaching everywhere
    said = Transcript.from_text("I timed each step and I wrote a script for the eight ones.")
    before = analyze_step(direct, "action", said, "sde1").to_json()
    after = analyze_step(practised, "action", said, "sde1").to_json()
    assert before == after
    # The same story answers a bank question; its steps get no rubric over its own coaching.
    composed = library.walkthrough_for("invent-simplified-process", "my-own-story")
    assert composed.step("action").coaching == direct.step("action").coaching


def test_a_story_without_coaching_gets_the_rubric(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    steps = "\n".join(
        f"  - name: {n}\n    target_s: 20"
        for n in ("situation", "task", "action", "result", "reflection")
    )
    (user / "bare.yaml").write_text(
        f"id: bare\ntitle: Cut the build time\nkind: story\nsteps:\n{steps}\n", encoding="utf-8"
    )
    library = load_library(user_dir=user)
    assert not library.errors
    assert "bare" not in library.questions  # a story only, not a question
    composed = library.walkthrough_for(BANK_Q, "bare")
    assert '"I"' in composed.step("action").coaching
    assert "number" in composed.step("result").common_mistake


def test_a_session_records_question_and_story(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    with Store(tmp_path / "h.db", tmp_path / "rec") as store:
        service = PracticeService(store, library, ScriptedEngine("hello"))
        session = service.new_session(BANK_Q, "step", "sde1", None, story_id=BUNDLED)
        assert session.story_id == BUNDLED
        got = store.get_session(session.id)
        assert (got.question_id, got.story_id) == (BANK_Q, BUNDLED)
        assert service.walkthrough_of(got).title == library.question(BANK_Q).title
        own = service.new_session(BUNDLED, "full", "sde1")
        assert store.get_session(own.id).story_id == BUNDLED
        # Both, whatever their order (two sessions may start within the same second).
        assert {s.id for s in store.list_sessions(story_id=BUNDLED)} == {own.id, session.id}
        assert [s.id for s in store.list_sessions(BANK_Q)] == [session.id]
        with pytest.raises(StarCoachError):
            service.new_session(BANK_Q, "step", "sde1")  # no story named: nothing written
        assert len(store.list_sessions()) == 2


def test_an_old_database_is_migrated_keeping_every_session(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "h.db"
    # Built by the current schema code, stopped at schema 1 (before stories).
    old = Database(db, migrations=MIGRATIONS[:1])
    with old.write() as conn:
        conn.execute(
            "INSERT INTO session (id, question_id, mode, level, device, created_at, status,"
            " verdict) VALUES ('20261101-100000-abcd', ?, 'step', 'sde1', NULL,"
            " '2026-11-01T10:00:00.000+00:00', 'done', NULL)",
            (BUNDLED,),
        )
        conn.execute(
            "INSERT INTO attempt (session_id, step, attempt_no, status, started_at,"
            " duration_s, score) VALUES ('20261101-100000-abcd', 'action', 1, 'done',"
            " '2026-11-01T10:00:01.000+00:00', 81.5, 72)"
        )
    assert old.version == 1
    old.close()

    with Store(db, tmp_path / "rec") as store:
        assert store.schema_version == LATEST_VERSION
        (session,) = store.list_sessions()
        assert session.question_id == BUNDLED and session.story_id == BUNDLED
        assert session.attempts[0].score == 72 and session.attempts[0].duration_s == 81.5
        service = PracticeService(store, library, ScriptedEngine("hello"))
        assert service.walkthrough_of(session) is library.get(BUNDLED)  # practises unchanged
        again = store.create_session(BANK_Q, "step", "sde1", None, story_id=BUNDLED)
        assert store.get_session(again.id).story_id == BUNDLED
    backup = tmp_path / "h.db.schema1.bak"
    assert backup.is_file()
    conn = sqlite3.connect(backup)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(session)")]
        assert "story_id" not in columns
    finally:
        conn.close()
