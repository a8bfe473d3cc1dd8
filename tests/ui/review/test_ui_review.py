"""Review mode (pytest-qt, offscreen): history list and filters, a take's transcript with its
marks, playback that lights the word being heard, click-to-seek, no audio output, compare,
the progress chart, export and delete.

The history is real: sessions coached by the real coach from timed transcripts, stored in a
real Store with a FLAC per take. Playback goes through a fake output stream that the test
drives block by block (tests/test_audio_playback.FakeOutputSD).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from starcoach.audio.playback import NO_OUTPUT_MESSAGE
from starcoach.coach.coach import analyze_step
from starcoach.coach.rules import RULES
from starcoach.report.review import SessionFilter, session_matches, take_view
from starcoach.settings import Settings
from starcoach.store import Store
from starcoach.transcribe.types import Transcript, Word
from starcoach.ui.review.controller import NO_SESSIONS, TYPED_NOTE
from starcoach.ui.review.page import ReviewPage
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.main_window import Page
from starcoach.ui.shell.tasks import wait_for_background
from tests.unit.audio.test_audio_playback import MICROPHONE, FakeOutputSD

QUESTION = "disagree-senior-leader"
OTHER_QUESTION = "unpopular-opinion"
RATE = 16_000
NOW = datetime.now(UTC).replace(microsecond=0)

# What was said, per session (oldest first): weak, better, strong.
WEAK = {
    "situation": "So we noticed that the webhook service was dropping some events and "
    "the team was worried about it.",
    "action": "We looked at the logs and we talked to the platform team. I escalated it to my "
    "manager and they handled it. Um we waited for their review.",
    "result": "Things got better after that and the team was happy.",
}
BETTER = {
    "situation": "I noticed a webhook drop rate in the platform service. It was not my team "
    "and there was no ticket.",
    "action": "I pulled the delivery logs and I traced the failures to timeouts. We talked to "
    "the platform lead and I wrote a retry fix.",
    "result": "The drop rate went from 0.3% to zero and the team was happy.",
}
STRONG = {
    "situation": "While working as an SDE2 I noticed a persistent webhook drop rate in the "
    "platform team's payment service. It was not my team, there was no ticket, and nobody "
    "had asked me to look.",
    "action": "I pulled the webhook delivery logs. I traced the failure to network timeouts. "
    "I reproduced the issue in staging. I respectfully shared data-backed concerns with the "
    "senior leader and when she chose another path I committed fully. I wrote the retry "
    "logic, I added a dead letter queue alert, and I submitted the change.",
    "result": "The drop rate went from 0.3% to zero, about $8K recovered per week, and the "
    "platform team adopted my pattern as standard, reducing future incident response times.",
}
RETRY_ACTION = (
    "I pulled the logs. We traced it to timeouts and we asked the platform team to fix it."
)


def timed(text: str, *, start: float = 0.4, pace: float = 0.34) -> Transcript:
    """Words at a steady pace (a longer gap after a full stop)."""
    words = []
    t = start
    for token in text.split():
        words.append(Word(token, round(t, 2), round(t + pace * 0.8, 2), 0.95))
        t += pace + (0.3 if token.endswith(".") else 0.0)
    return Transcript(words=tuple(words), duration_s=round(t + 0.5, 2))


def write_flac(path: Path, seconds: float) -> None:
    t = np.arange(int(seconds * RATE)) / RATE
    soundfile.write(str(path), (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE)


@dataclass
class History:
    store: Store
    library: Any
    sessions: list[str] = field(default_factory=list)  # oldest first
    clock: list[datetime] = field(default_factory=list)

    def add(
        self,
        answers: dict[str, str],
        when: datetime,
        *,
        question: str = QUESTION,
        retries: dict[str, str] | None = None,
        typed: bool = False,
        mode: str = "step",
    ) -> str:
        self.clock[0] = when
        session = self.store.create_session(question, mode, "sde1", "Fake Microphone")
        walkthrough = self.library.get(question)
        for step, text in [*answers.items(), *(retries or {}).items()]:
            transcript = Transcript.from_text(text) if typed else timed(text)
            feedback = analyze_step(walkthrough, step, transcript)
            path = None if typed else self.store.audio_path(session.id, step)
            attempt = self.store.start_attempt(session.id, step, path)
            if path is not None:
                write_flac(path, transcript.duration_s)
            self.store.finish_attempt(
                attempt,
                duration_s=transcript.duration_s,
                transcript=transcript.to_dict(),
                feedback=feedback.to_json(),
                score=feedback.score,
            )
        self.store.finish_session(session.id)
        self.sessions.append(session.id)
        return session.id


@pytest.fixture
def history(library: Any) -> Iterator[History]:
    clock = [NOW]
    store = Store(clock=lambda: clock[0])
    h = History(store, library, clock=clock)
    yield h
    store.close()


@pytest.fixture
def filled(history: History) -> History:
    history.add(WEAK, NOW - timedelta(days=12, hours=3))
    history.add(BETTER, NOW - timedelta(days=5, hours=1))
    history.add(STRONG, NOW - timedelta(hours=2), retries={"action": RETRY_ACTION})
    history.add(BETTER, NOW - timedelta(days=2), question=OTHER_QUESTION)
    return history


@pytest.fixture
def make_page(qtbot: Any, library: Any) -> Iterator[Callable[..., ReviewPage]]:
    pages: list[ReviewPage] = []

    def make(history: History, sd: Any | None = None, question: str = QUESTION) -> ReviewPage:
        context = AppContext(
            library=library,
            store=history.store,
            engine=None,  # type: ignore[arg-type]  # Review never transcribes
            service=None,  # type: ignore[arg-type]
            settings=Settings(),
            sd=sd if sd is not None else FakeOutputSD(),
        )
        page = ReviewPage(context)
        qtbot.addWidget(page)
        page.resize(1000, 760)
        page.show_walkthrough(library.get(question))
        page.show()
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()
        assert not page.controller.busy
    assert wait_for_background(10_000)


def wait_audio(qtbot: Any, page: ReviewPage) -> None:
    qtbot.waitUntil(lambda: page.controller.audio_state == "ready", timeout=5000)


def click_word(qtbot: Any, page: ReviewPage, index: int) -> None:
    view = page.detail.transcript
    rect = view.word_rect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- the list ----------------------------------------------------------------------------------


def test_lists_this_questions_sessions_newest_first(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    ids = page.sessions.row_ids()
    assert ids == list(reversed(filled.sessions[:3]))
    assert page.controller.session is not None
    assert page.controller.session.id == filled.sessions[2]  # the newest is shown
    assert page.question_label.text().startswith("Tell Me About a Time You Had to Disagree")
    rows = [page.sessions.list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(3)]
    assert rows[0].when.startswith("Today") or rows[0].when.startswith("Yesterday")
    assert rows[0].summary == "Guided · SDE1/2 · 3/5 steps"
    assert "Guided practice, SDE1 / SDE2" in rows[0].tooltip
    assert rows[0].score == filled.store.get_session(filled.sessions[2]).mean_score
    assert rows[0].question is None


def test_all_questions_toggle(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.sessions.all_button.click()
    ids = page.sessions.row_ids()
    s = filled.sessions
    assert ids == [s[2], s[3], s[1], s[0]]  # newest first, whatever the question
    row = page.sessions.list.item(1).data(Qt.ItemDataRole.UserRole + 1)
    assert row.question.startswith("Tell Me About a Time You Raised an Unpopular Opinion")
    page.sessions.this_button.click()
    assert len(page.sessions.row_ids()) == 3


def test_search_filters_by_what_was_said(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.sessions.search.setText("dead letter queue")
    assert page.sessions.row_ids() == [filled.sessions[2]]
    page.sessions.search.setText("THINGS GOT   better")
    assert page.sessions.row_ids() == [filled.sessions[0]]
    page.sessions.search.setText("no such words anywhere")
    assert page.sessions.row_ids() == []
    assert page.stack.currentWidget() is page.empty
    assert "No sessions match" in page.empty_label.text()
    assert page.clear_button.isVisibleTo(page)
    page.clear_button.click()
    assert page.sessions.search.text() == ""
    assert len(page.sessions.row_ids()) == 3


def test_min_score_and_date_filters(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    scores = {s: filled.store.get_session(s).mean_score for s in filled.sessions[:3]}
    assert scores[filled.sessions[2]] > scores[filled.sessions[0]]
    threshold = 50
    page.sessions.set_min_score(threshold)
    expected = [s for s in reversed(filled.sessions[:3]) if (scores[s] or 0) >= threshold]
    assert page.sessions.row_ids() == expected
    assert filled.sessions[0] not in expected  # the weak one is filtered out
    page.sessions.set_min_score(0)
    page.sessions.set_date_range("week")
    assert page.sessions.row_ids() == [filled.sessions[2], filled.sessions[1]]
    page.sessions.set_date_range("today")
    assert filled.sessions[0] not in page.sessions.row_ids()


def test_session_filter_matches_question_title(filled: History, library: Any):
    session = filled.store.get_session(filled.sessions[3])
    title = library.get(OTHER_QUESTION).title
    assert session_matches(session, SessionFilter(text="unpopular opinion"), title)
    assert not session_matches(session, SessionFilter(text="unpopular opinion"), "")


def test_empty_history_says_how_to_start(qtbot: Any, history: History, make_page: Any):
    page = make_page(history)
    assert page.sessions.row_ids() == []
    assert page.stack.currentWidget() is page.empty
    assert page.empty_label.text() == NO_SESSIONS
    assert page.sessions.empty.text() == "No sessions yet."
    assert page.sessions.stack.currentWidget() is page.sessions.empty
    assert not page.clear_button.isVisibleTo(page)
    page.set_view("progress")
    assert page.progress.chart.points == []


# -- one take ----------------------------------------------------------------------------------


def test_selecting_shows_the_transcript_with_its_marks(qtbot: Any, filled: History, make_page):
    page = make_page(filled)
    page.sessions.select(filled.sessions[0])  # the weak one: mistakes
    controller = page.controller
    assert controller.session is not None and controller.session.id == filled.sessions[0]
    tabs = page.detail.step_tabs
    assert [tabs.tabText(i).split()[0] for i in range(tabs.count())] == [
        "Situation",
        "Action",
        "Result",
    ]
    page.detail.select_step("action")
    take = controller.take
    assert take is not None and take.step == "action"
    view = page.detail.transcript
    assert view.toPlainText().startswith("We looked at the logs")
    ids = {m.id for m in take.mistakes}
    assert {"we-language", "handoff-escalation"} <= ids
    marked = [w for w in take.words if w.mistakes]
    assert marked, "mistake words are marked in the transcript"
    word = marked[0]
    # the underline is in the document, in the theme's mistake colour
    start, _ = view._spans[word.index]
    cursor = view.textCursor()
    cursor.setPosition(start + 1)
    fmt = cursor.charFormat()
    assert fmt.underlineStyle() == fmt.UnderlineStyle.WaveUnderline
    assert fmt.underlineColor().name() == theme.current().mistake
    assert fmt.anchorHref() == f"w:{word.index}"
    # hovering shows the message
    view._hovered(QUrl(view.anchorAt(view.word_rect(word.index).center())))
    assert word.mistakes[0].message in view.hover_text.replace("&#x27;", "'")
    # and the mistakes are listed below with their messages
    layout = page.detail.mistakes_layout
    listed = [
        layout.itemAt(i).widget()
        for i in range(layout.count())
        if layout.itemAt(i).widget() is not None
    ]
    assert page.detail.mistakes_scroll.isVisibleTo(page)
    assert not page.detail.no_mistakes.isVisibleTo(page)
    assert len(listed) == len(take.mistakes)
    assert RULES["handoff-escalation"].title in " ".join(w.text() for w in listed)


def test_key_phrases_are_highlighted_and_missing_ones_listed(qtbot, filled: History, make_page):
    page = make_page(filled)
    page.detail.select_step("situation")
    take = page.controller.take
    assert take is not None
    assert [p.phrase for p in take.hit] == ["I noticed", "not my team", "no ticket",
                                            "nobody had asked"]  # fmt: skip
    phrase_words = [w for w in take.words if w.phrase]
    assert [w.text for w in phrase_words][:2] == ["I", "noticed"]
    view = page.detail.transcript
    start, _ = view._spans[phrase_words[0].index]
    cursor = view.textCursor()
    cursor.setPosition(start + 1)
    assert cursor.charFormat().background().color().name() == theme.current().phrase_bg
    assert "4 OF 4 HEARD" in page.detail.phrases_title.text()
    # the weak session misses them
    page.sessions.select(filled.sessions[0])
    page.detail.select_step("situation")
    assert "✗" in page.detail.phrases_label.text()
    assert "nobody had asked" in page.detail.phrases_label.text()


def test_metrics_and_score(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.sessions.select(filled.sessions[0])
    page.detail.select_step("action")
    take = page.controller.take
    assert take is not None and take.score is not None
    assert str(take.score) in page.detail.score_label.text()
    grid = page.detail.metrics_grid
    texts = [grid.itemAt(i).widget().text() for i in range(grid.count())]
    assert "Time" in texts and "Pace" in texts and "I vs we" in texts and "Fillers" in texts
    assert any("wpm" in t for t in texts)
    assert any("Um" in t or "um" in t for t in texts)


def test_takes_of_a_step_can_be_chosen(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.detail.select_step("action")
    buttons = page.detail.take_buttons
    assert len(buttons) == 2
    latest = page.controller.take
    assert latest is not None and "we traced it" in page.detail.transcript.toPlainText().lower()
    first_id = next(iter(buttons))
    buttons[first_id].click()
    assert page.controller.take is not None and page.controller.take.attempt_id == first_id
    assert page.detail.transcript.toPlainText().startswith("I pulled the webhook delivery logs")


def test_typed_answer_has_nothing_to_play(qtbot: Any, history: History, make_page: Any):
    history.add({"result": "The drop rate went from 0.3% to zero."}, NOW, typed=True)
    page = make_page(history)
    assert page.controller.audio_state == "typed"
    assert page.detail.audio_note.text() == TYPED_NOTE
    assert not page.detail.play_button.isEnabled()


# -- playback ----------------------------------------------------------------------------------


def test_playing_highlights_the_word_being_heard(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    page.detail.select_step("action")
    wait_audio(qtbot, page)
    take = page.controller.take
    assert take is not None
    assert page.detail.play_button.isEnabled()
    qtbot.mouseClick(page.detail.play_button, Qt.MouseButton.LeftButton)
    assert page.controller.player.playing
    assert page.controller.timer.isActive()
    assert "Pause" in page.detail.play_button.text()
    stream = sd.stream
    target = take.words[5]
    assert target.start is not None
    blocks = int((target.start + 0.05) * RATE / stream.blocksize) + 1
    stream.pump(blocks)
    expected = take.word_at(blocks * stream.blocksize / RATE)
    qtbot.waitUntil(lambda: page.detail.transcript.current_word == expected, timeout=2000)
    assert expected is not None and expected >= 4
    assert page.detail.slider.value() == pytest.approx(
        blocks * stream.blocksize / RATE * 1000, abs=2
    )
    # Space pauses (the page has focus)
    page.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert not page.controller.player.playing
    assert "Play" in page.detail.play_button.text()
    assert page.controller.player.position_s == pytest.approx(blocks * stream.blocksize / RATE)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert page.controller.player.playing


def test_clicking_a_word_seeks_there_and_plays(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    page.detail.select_step("action")
    wait_audio(qtbot, page)
    take = page.controller.take
    assert take is not None
    index = len(take.words) - 3
    start = take.words[index].start
    assert start is not None
    click_word(qtbot, page, index)
    player = page.controller.player
    assert player.playing
    assert player.position_s == pytest.approx(start, abs=0.1)
    assert page.detail.transcript.current_word == index
    sd.stream.pump(1)
    first = sd.stream.blocks[0]
    assert first.shape[1] == 1 and np.isfinite(first).all()
    qtbot.waitUntil(lambda: page.detail.slider.value() >= int(start * 1000) - 100, timeout=2000)
    # the word was scrolled into view
    assert page.detail.transcript.word_visible(index)


def test_clicking_a_word_while_the_audio_loads_plays_once_loaded(qtbot, filled, make_page):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    page.detail.select_step("result")  # starts decoding
    take = page.controller.take
    assert take is not None
    page.controller.seek_word(3)
    wait_audio(qtbot, page)
    qtbot.waitUntil(lambda: page.controller.player.playing, timeout=2000)
    assert page.controller.player.position_s == pytest.approx(take.words[3].start, abs=0.1)


def test_playback_runs_to_the_end(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    page.detail.select_step("result")
    wait_audio(qtbot, page)
    page.controller.toggle_play()
    sd.stream.pump(10_000)
    sd.stream.drain()
    qtbot.waitUntil(lambda: not page.controller.timer.isActive(), timeout=2000)
    assert "Play" in page.detail.play_button.text()
    duration = page.controller.player.duration_s
    assert page.detail.slider.value() == pytest.approx(duration * 1000, abs=2)


def test_no_audio_output_says_so_and_never_plays(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD(devices=[MICROPHONE], default_output=-1)
    page = make_page(filled, sd)
    assert page.controller.audio_state == "no-output"
    note = page.detail.audio_note
    assert note.isVisible() and note.text() == NO_OUTPUT_MESSAGE
    assert NO_OUTPUT_MESSAGE.startswith("No audio output found — the recording is saved")
    assert not page.detail.play_button.isEnabled()
    click_word(qtbot, page, 2)
    qtbot.keyClick(page, Qt.Key.Key_Space)
    assert sd.streams == []  # nothing pretended to play
    assert note.text() == NO_OUTPUT_MESSAGE


def test_missing_recording_is_reported(qtbot: Any, filled: History, make_page: Any):
    session = filled.store.get_session(filled.sessions[2])
    for attempt in session.attempts:
        assert attempt.audio_path is not None
        attempt.audio_path.unlink()
    page = make_page(filled)
    qtbot.waitUntil(lambda: page.controller.audio_state == "missing", timeout=5000)
    assert "missing" in page.detail.audio_note.text()
    assert not page.detail.play_button.isEnabled()


def test_filtering_does_not_interrupt_playback(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    wait_audio(qtbot, page)
    page.controller.toggle_play()
    page.sessions.search.setText("webhook")
    page.sessions.set_date_range("week")
    assert page.controller.player.playing
    assert len(sd.streams) == 1 and not sd.stream.aborted


def test_space_toggles_from_the_transcript_too(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    wait_audio(qtbot, page)
    page.activateWindow()
    page.detail.transcript.setFocus()
    qtbot.keyClick(page.detail.transcript, Qt.Key.Key_Space)
    assert page.controller.player.playing
    qtbot.keyClick(page.detail.transcript, Qt.Key.Key_Space)
    assert not page.controller.player.playing


def test_hiding_the_page_stops_playback(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    wait_audio(qtbot, page)
    page.controller.toggle_play()
    assert page.controller.player.playing
    page.hide()
    assert not page.controller.player.playing


# -- compare and progress ----------------------------------------------------------------------


def test_compare_shows_two_takes_side_by_side(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.detail.select_step("action")
    page.view_buttons["compare"].click()
    assert page.stack.currentWidget() is page.compare
    compare = page.compare
    assert compare.current_step == "action"
    # every action take of this question: 2 in the newest session + 1 in each older one
    assert compare.left.choice.count() == 4
    left_text = compare.left.transcript.toPlainText()
    right_text = compare.right.transcript.toPlainText()
    assert left_text.startswith("I pulled the logs. We traced it")  # the take shown
    assert right_text.startswith("I pulled the webhook delivery logs")  # the take before it
    assert "phrases heard" in compare.left.phrase_count.text()
    # choose the oldest session on the right
    compare.right.choice.setCurrentIndex(3)
    assert compare.right.transcript.toPlainText().startswith("We looked at the logs")
    assert "✗" in compare.right.phrases_label.text()
    left_score = take_view(page.controller._compare_choices[0].attempt).score
    assert str(left_score) in compare.left.score_label.text()
    # another step
    compare.step_box.setCurrentIndex(compare.step_box.findData("result"))
    assert compare.left.transcript.toPlainText().startswith("The drop rate went from 0.3%")


def test_progress_chart_has_a_point_per_session(qtbot: Any, filled: History, make_page: Any):
    page = make_page(filled)
    page.view_buttons["progress"].click()
    assert page.stack.currentWidget() is page.progress
    chart = page.progress.chart
    points = chart.points
    assert [p.session_id for p in points] == filled.sessions[:3]  # oldest first
    assert points[-1].score is not None and points[0].score is not None
    assert points[-1].score > points[0].score
    assert all(p.wpm and 100 < p.wpm < 250 for p in points)
    assert points[-1].phrases_hit > points[0].phrases_hit
    assert "3 sessions" in page.progress.summary.text()
    positions = chart.score_positions()
    assert len(positions) == 3
    assert positions[2].y() < positions[0].y()  # higher score drawn higher
    # hovering shows the values
    pos = positions[1]
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(chart.mapToGlobal(pos.toPoint())),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(chart, event)
    assert chart.hover_index == 1
    lines = chart.hover_lines()
    assert lines[1] == f"Score  {points[1].score:.0f}"
    assert lines[2].startswith("Pace  ") and lines[2].endswith("wpm")
    assert lines[3].startswith(f"Key phrases  {points[1].phrases_hit} of")
    chart.grab()  # paints with the hover card without error


# -- export and delete -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_export_writes_the_report(qtbot: Any, filled: History, make_page: Any, tmp_path: Path,
                                  fmt: str):  # fmt: skip
    page = make_page(filled)
    target = tmp_path / f"report.{fmt}"
    with qtbot.waitSignal(page.controller.exported, timeout=5000) as blocker:
        page.controller.export(filled.sessions[2], target, fmt)
    assert blocker.args == [str(target)]
    text = target.read_text(encoding="utf-8")
    assert "dead letter queue" in text
    if fmt == "html":
        assert text.lstrip().lower().startswith("<!doctype html")
    else:
        assert text.startswith("# ")
    assert str(target) in page.notice.text()


def test_export_dialog_passes_the_chosen_path(
    qtbot, filled: History, make_page, tmp_path, monkeypatch
):
    page = make_page(filled)
    chosen = tmp_path / "mine"
    monkeypatch.setattr(
        "starcoach.ui.review.page.QFileDialog.getSaveFileName",
        lambda *a, **k: (str(chosen), "Markdown (*.md)"),
    )
    with qtbot.waitSignal(page.controller.exported, timeout=5000):
        page.ask_export("md")
    assert (tmp_path / "mine.md").read_text(encoding="utf-8").startswith("# ")


def test_export_failure_is_shown(qtbot: Any, filled: History, make_page: Any, tmp_path: Path):
    page = make_page(filled)
    with qtbot.waitSignal(page.controller.export_failed, timeout=5000) as blocker:
        page.controller.export(filled.sessions[2], tmp_path / "no" / "such" / "dir.md", "md")
    assert "Could not save" in blocker.args[0]
    assert page.notice.text() == blocker.args[0]


def test_delete_asks_then_removes_the_session_and_its_audio(
    qtbot: Any, filled: History, make_page: Any, monkeypatch: pytest.MonkeyPatch
):
    page = make_page(filled)
    newest = filled.sessions[2]
    folder = filled.store.recordings_dir / newest
    assert folder.is_dir() and any(folder.iterdir())
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(parent: Any, title: str, text: str, *args: Any) -> Any:
            asked.append(title)
            return reply

        return question

    monkeypatch.setattr(
        "starcoach.ui.review.page.QMessageBox.question", answer(QMessageBox.StandardButton.Cancel)
    )
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    assert asked == ["Delete this session?"]
    assert newest in page.sessions.row_ids() and folder.is_dir()

    wait_audio(qtbot, page)
    page.controller.toggle_play()  # deleting what is playing stops it first
    monkeypatch.setattr(
        "starcoach.ui.review.page.QMessageBox.question", answer(QMessageBox.StandardButton.Yes)
    )
    with qtbot.waitSignal(page.controller.deleted, timeout=5000):
        qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2
    assert not page.controller.player.playing
    assert newest not in page.sessions.row_ids()
    assert page.sessions.row_ids() == [filled.sessions[1], filled.sessions[0]]
    assert not folder.exists()
    assert [s.id for s in filled.store.list_sessions(QUESTION)] == [
        filled.sessions[1],
        filled.sessions[0],
    ]
    assert page.controller.session is not None
    assert page.controller.session.id == filled.sessions[1]


def test_shutdown_stops_playback_and_joins(qtbot: Any, filled: History, make_page: Any):
    sd = FakeOutputSD()
    page = make_page(filled, sd)
    wait_audio(qtbot, page)
    page.controller.toggle_play()
    page.detail.select_step("action")  # a decode starts
    page.shutdown()
    assert not page.controller.busy
    assert sd.streams[0].closed
    assert not page.controller.player.playing
    assert not page.controller.timer.isActive()


# -- screenshots -------------------------------------------------------------------------------


def shot(page: ReviewPage, path: str) -> None:
    QApplication.processEvents()  # pending layouts and deleteLater, as the event loop would
    QApplication.processEvents()
    page.grab().save(path)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_screenshots(qtbot: Any, filled: History, make_page: Any, name: str):
    """Pictures of the page with data, for a person to look at (/tmp/review-*.png)."""
    app = QApplication.instance()
    theme.apply(app, name)  # type: ignore[arg-type]
    try:
        sd = FakeOutputSD()
        page = make_page(filled, sd)
        page.detail.select_step("action")
        wait_audio(qtbot, page)
        page.detail.take_buttons[next(iter(page.detail.take_buttons))].click()
        wait_audio(qtbot, page)
        click_word(qtbot, page, 9)
        sd.stream.pump(4)
        page.controller.tick()
        assert "Pause" in page.detail.play_button.text()
        shot(page, f"/tmp/review-{name}-session.png")
        page.controller.pause()
        page.set_view("compare")
        shot(page, f"/tmp/review-{name}-compare.png")
        page.set_view("progress")
        chart = page.progress.chart
        chart.hover_at(chart.score_positions()[1].x())
        shot(page, f"/tmp/review-{name}-progress.png")
        page.set_view("session")
        page.sessions.all_button.click()
        page.sessions.select(filled.sessions[0])
        page.detail.select_step("action")
        shot(page, f"/tmp/review-{name}-weak.png")
        page.sessions.search.setText("zebra")
        shot(page, f"/tmp/review-{name}-nomatch.png")
    finally:
        theme.apply(app, "light")  # type: ignore[arg-type]
    assert Path(f"/tmp/review-{name}-session.png").stat().st_size > 10_000


def test_screenshot_no_output(qtbot: Any, filled: History, make_page: Any):
    theme.apply(QApplication.instance(), "dark")  # type: ignore[arg-type]
    try:
        page = make_page(filled, FakeOutputSD(devices=[MICROPHONE], default_output=-1))
        page.sessions.select(filled.sessions[1])
        page.detail.select_step("action")
        shot(page, "/tmp/review-dark-nooutput.png")
    finally:
        theme.apply(QApplication.instance(), "light")  # type: ignore[arg-type]


def test_screenshot_empty(qtbot: Any, history: History, make_page: Any):
    page = make_page(history)
    shot(page, "/tmp/review-light-empty.png")


# -- in the main window -------------------------------------------------------------------------


class _StubPage(Page):
    def show_walkthrough(self, walkthrough: Any) -> None:
        self.shown = walkthrough


def test_in_the_main_window(qtbot: Any, filled: History, library: Any):
    from types import SimpleNamespace

    from starcoach.ui.shell.main_window import MainWindow
    from starcoach.ui.shell.model_loader import ModelLoader

    sd = FakeOutputSD()
    context = AppContext(
        library=library,
        store=filled.store,
        engine=SimpleNamespace(loaded=True),  # type: ignore[arg-type]
        service=None,  # type: ignore[arg-type]
        settings=Settings(last_question=QUESTION),
        sd=sd,
    )
    review = ReviewPage(context)
    pages = {"study": _StubPage(), "practice": _StubPage(), "mock": _StubPage(), "review": review}
    window = MainWindow(context, pages, ModelLoader(context.engine))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.set_mode("review")  # what Ctrl+4 does
    assert window.current_mode() == "review"
    assert review.sessions.row_ids() == list(reversed(filled.sessions[:3]))
    wait_audio(qtbot, review)
    review.controller.toggle_play()
    assert review.controller.player.playing
    # another question: its history, and the sound stops
    ids = [window.questions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(5)]
    window.questions.setCurrentRow(ids.index(OTHER_QUESTION))
    assert review.sessions.row_ids() == [filled.sessions[3]]
    assert not review.controller.player.playing
    # leaving Review stops playback; closing shuts the page down
    wait_audio(qtbot, review)
    review.controller.toggle_play()
    window.set_mode("study")
    assert not review.controller.player.playing
    window.close()
    assert not review.controller.busy
    assert all(stream.closed for stream in sd.streams)
