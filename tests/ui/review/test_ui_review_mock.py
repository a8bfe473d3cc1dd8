"""Review of a mock interview: its whole answer and follow-ups are not counted as steps, the
whole answer shows its sections' phrases, mistakes and delivery, a follow-up keeps its
verdict, playback moves on into the next section, and Compare marks only the newer take."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from starcoach.coach.coach import analyze_step
from starcoach.report.export import export_session
from starcoach.report.review import step_title, summary_text, take_view
from starcoach.store import Store
from starcoach.transcribe.types import Transcript, Word
from tests.ui.review.test_ui_review import QUESTION, History
from tests.ui.review.test_ui_review import make_page as make_page  # the fixture

SECTIONS = {
    "situation": "Our payments service was failing during peak traffic last spring.",
    "task": "It was not my team and there was no ticket, but I decided to look into it.",
    "action": "We figured it out together and I sent them a Slack message about the fix.",
    "result": "Things got better and the team was happy.",
    "reflection": "I learned communication is important.",
}
PROBE_ANSWER = "I would escalate it to my manager and wait for their review."


def timed_from(text: str, start: float) -> Transcript:
    words, t = [], start
    for w in text.split():
        words.append(Word(w, t, t + 0.3))
        t += 0.34
    return Transcript(words=tuple(words), duration_s=t + 0.4)


@pytest.fixture
def mock_session(library: Any) -> Iterator[tuple[Store, str]]:
    store = Store()
    walkthrough = library.get(QUESTION)
    session = store.create_session(QUESTION, "mock", "sde1", "Fake Microphone")
    audio = store.audio_path(session.id, "answer")
    audio.parent.mkdir(parents=True, exist_ok=True)
    audio.write_bytes(b"")
    start, words = 0.5, []
    pieces = {}
    for step, text in SECTIONS.items():
        piece = timed_from(text, start)
        pieces[step] = piece
        words += piece.words
        start = piece.words[-1].end + 1.0
    whole = Transcript(words=tuple(words), duration_s=start)
    answer = store.start_attempt(session.id, "answer", audio)
    store.finish_attempt(
        answer, duration_s=start, transcript=whole.to_dict(), feedback=None, score=None
    )
    probe = store.start_attempt(session.id, "probe-1", None)
    judged = {
        "question": "What would you do differently?",
        "judgement": {
            "verdict": "weak",
            "reasons": ["It hands the problem to someone else."],
            "mistakes": [
                {"id": "handoff-escalation", "message": "Own it.", "evidence": "escalate it"}
            ],
        },
    }
    store.finish_attempt(
        probe,
        duration_s=4.0,
        transcript=Transcript.from_text(PROBE_ANSWER, 4.0).to_dict(),
        feedback=judged,
        score=None,
    )
    for step, piece in pieces.items():
        fb = analyze_step(walkthrough, step, piece)
        store.record_attempt(
            session.id,
            step,
            audio_path=audio,
            duration_s=piece.duration_s,
            transcript=piece.to_dict(),
            feedback=fb.to_json(),
            score=fb.score,
        )
    store.finish_session(session.id, {"verdict": "Lean no hire", "reasons": []})
    yield store, session.id
    store.close()


def test_a_mock_with_probes_is_five_of_five_steps(mock_session: Any, library: Any) -> None:
    store, _ = mock_session
    (session,) = store.list_sessions()
    assert summary_text(session) == "Mock · SDE1/2 · 5/5 steps + 1 follow-up"
    md = export_session(session, library.get(QUESTION), "md")
    assert "5 of 5 + 1 follow-up" in md and "7 of 5" not in md
    assert step_title("answer") == "Whole answer" and step_title("probe-2") == "Follow-up 2"


def test_the_whole_answer_shows_its_sections_feedback(mock_session: Any) -> None:
    store, _ = mock_session
    (session,) = store.list_sessions()
    answer = next(a for a in session.attempts if a.step == "answer")
    view = take_view(answer, session)
    assert view.whole_answer
    assert view.metrics.i_count > 0 and view.metrics.we_count > 0  # never "0 I · 0 we"
    ids = {m.id for m in view.mistakes}
    assert "we-language" in ids or "handoff-escalation" in ids
    assert any(w.mistakes for w in view.words)  # marked in the transcript, at their times


def test_a_follow_up_keeps_its_verdict(mock_session: Any) -> None:
    store, _ = mock_session
    (session,) = store.list_sessions()
    probe = next(a for a in session.attempts if a.step == "probe-1")
    view = take_view(probe, session)
    assert view.verdict == "weak"
    assert view.reasons == ("It hands the problem to someone else.",)
    assert [m.id for m in view.mistakes] == ["handoff-escalation"]
    assert view.metrics.i_count >= 1


def test_the_page_labels_follow_ups_and_moves_on_while_playing(
    qtbot: Any, mock_session: Any, make_page: Any, library: Any
) -> None:
    store, _ = mock_session
    page = make_page(History(store, library))
    qtbot.waitUntil(lambda: page.detail.current_step is not None)
    labels = [page.detail.step_tabs.tabText(i) for i in range(page.detail.step_tabs.count())]
    assert "Follow-up 1  weak" in labels
    assert any(label.startswith("Whole answer") for label in labels)
    page.detail.select_step("probe-1")
    assert "Follow-up: weak" in page.detail.score_label.text()
    # Playing Situation past its last word shows Task, without stopping.
    page.detail.select_step("situation")
    controller = page.controller
    situation_end = max(w.end for w in controller.take.words if w.end is not None)
    controller._follow_section(situation_end + 1.2)
    assert controller.step == "task" and page.detail.current_step == "task"
