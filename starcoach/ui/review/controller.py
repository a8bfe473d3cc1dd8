"""Review mode's logic: which sessions show, what is selected, playback, compare, export, delete.

The views (review_list, review_detail, review_compare, review_chart) only lay out and emit
what the user asked; this wires them to the store and the player. Slow work (decoding a
recording, writing an export, deleting recordings) runs off the UI thread through
``run_in_background``; a result that arrives after the user moved on is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from starcoach import paths
from starcoach.audio.playback import Audio, PlaybackError, Player, RecordingMissing, read_audio
from starcoach.content import Walkthrough
from starcoach.errors import StarCoachError
from starcoach.report.export import export_session, write_export
from starcoach.report.record import FeedbackRecord, VerdictRecord
from starcoach.report.review import (
    LEVEL_NAMES,
    MODE_NAMES,
    STEP_NAMES,
    TakeChoice,
    TakeView,
    default_pair,
    progress_points,
    session_matches,
    step_title,
    summary_text,
    take_view,
    takes_by_step,
    takes_of_step,
    when_text,
)
from starcoach.store import Attempt, Session
from starcoach.ui.review.chart import ProgressView
from starcoach.ui.review.compare import CompareView
from starcoach.ui.review.detail import SessionDetail
from starcoach.ui.review.session_list import SessionList, SessionRow
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.tasks import run_in_background

log = logging.getLogger(__name__)

POLL_MS = 33  # ~30 Hz: the word highlight keeps up with speech
SEEK_LEAD_S = 0.08
"""Start a little before the clicked word: Whisper's word starts tend to be late."""
JOIN_TIMEOUT_S = 10.0

NEWEST = "<newest>"
NO_SESSIONS = "No sessions yet — practise in Guided practice (Ctrl+2)"
NO_MATCH = "No sessions match the search and filters."
TYPED_NOTE = "This answer was typed, so there is no recording to play."
MISSING_NOTE = "The recording of this take is missing."


class AudioState(StrEnum):
    """What the player has for the take shown."""

    NONE = "none"
    """No take shown."""
    LOADING = "loading"
    READY = "ready"
    MISSING = "missing"
    """The recording's file is gone."""
    TYPED = "typed"
    """A typed answer: nothing to play."""
    FAILED = "failed"
    NO_OUTPUT = "no-output"
    """No sound output on this computer."""


class ReviewViews(Protocol):
    """What the controller drives (ReviewPage provides it)."""

    sessions: SessionList
    detail: SessionDetail
    compare: CompareView
    progress: ProgressView

    def show_empty(self, text: str) -> None: ...
    def show_content(self) -> None: ...
    def set_question_title(self, text: str) -> None: ...
    def notify(self, text: str, kind: str = "info") -> None: ...
    def isVisible(self) -> bool: ...


class ReviewController(QObject):
    exported = Signal(str)
    export_failed = Signal(str)
    deleted = Signal(str)
    delete_failed = Signal(str)
    audio_loaded = Signal()

    def __init__(self, context: AppContext, views: ReviewViews, player: Player) -> None:
        super().__init__()
        self.context = context
        self.views = views
        self.player = player
        self.walkthrough: Walkthrough | None = None
        self.all_sessions: list[Session] = []  # in scope (this question or all), newest first
        self.visible: list[Session] = []  # after the filters
        self.session: Session | None = None
        self.step: str | None = None
        self.attempt: Attempt | None = None
        self.take: TakeView | None = None
        self.audio_state = AudioState.NONE
        self._audio_gen = 0
        self._pending_seek: float | None = None
        self._clicked_word: tuple[int, float] | None = None
        self._output: tuple[bool, str] | None = None
        self._compare_choices: list[TakeChoice] = []
        self._jobs: set[threading.Event] = set()
        self._closed = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.tick)
        self._wire()

    def _wire(self) -> None:
        v = self.views
        v.sessions.filters_changed.connect(lambda: self.reload(refetch=False))
        v.sessions.scope_changed.connect(lambda _: self.reload())
        v.sessions.session_selected.connect(self.select_session)
        d = v.detail
        d.step_selected.connect(self.select_step)
        d.take_selected.connect(self.select_attempt)
        d.word_clicked.connect(self.seek_word)
        d.play_clicked.connect(self.toggle_play)
        d.seek_requested.connect(self.seek_to)
        v.compare.step_changed.connect(self.compare_step)
        v.compare.left_changed.connect(lambda i: self._compare_side("left", i))
        v.compare.right_changed.connect(lambda i: self._compare_side("right", i))
        self.context.history.changed.connect(self.history_changed)

    def history_changed(self) -> None:
        """A take was saved or a recording recovered: show it if Review is on screen (when it
        is not, coming to Review reads the history anyway)."""
        if not self._closed and self.views.isVisible():
            self.reload()

    # -- the list ------------------------------------------------------------------------------

    def set_question(self, walkthrough: Walkthrough | None) -> None:
        """Show this question's history, newest session first (coming to Review after
        practising shows what was just recorded)."""
        self.walkthrough = walkthrough
        self.views.set_question_title(walkthrough.title if walkthrough else "")
        self.reload(select=NEWEST)

    def reload(self, select: str | None = None, refetch: bool = True) -> None:
        """Show the history through the filters (read again unless ``refetch`` is False),
        keeping the selection (or selecting ``select``, else the newest). A session shown
        and unchanged is left as it is: filtering never interrupts playback."""
        all_questions = self.views.sessions.all_questions
        qid = None if all_questions or self.walkthrough is None else self.walkthrough.id
        if refetch:
            try:
                self.all_sessions = self.context.store.list_sessions(qid)
            except StarCoachError as exc:
                self.views.notify(str(exc), "alarm")
                self.all_sessions = []
        flt = self.views.sessions.filter()
        self.visible = [
            s for s in self.all_sessions if session_matches(s, flt, self._title(s.question_id))
        ]
        rows = [self._row(s, all_questions) for s in self.visible]
        wanted = select or (self.session.id if self.session else None)
        ids = [s.id for s in self.visible]
        if wanted not in ids:  # NEWEST, or a session filtered out or deleted
            wanted = ids[0] if ids else None
        empty = NO_SESSIONS if not self.all_sessions else NO_MATCH
        short = "No sessions yet." if not self.all_sessions else "No sessions match."
        self.views.sessions.set_rows(rows, wanted, short)
        self._refresh_progress()
        if wanted is None:
            self._show_nothing(empty)
            return
        shown = self.session
        fresh = next(s for s in self.visible if s.id == wanted)
        self.select_session(wanted, force=shown is None or shown != fresh)

    def _row(self, session: Session, all_questions: bool) -> SessionRow:
        note = None
        if session.status == "recording":
            note = "in progress"
        elif session.status == "recovered":
            note = "recovered"
        elif not session.steps_done:
            note = "nothing finished"
        steps_total = len(self.walkthrough.steps) if self.walkthrough else 5
        return SessionRow(
            session_id=session.id,
            when=when_text(session),
            summary=summary_text(session, steps_total),
            score=session.mean_score,
            question=self._title(session.question_id) if all_questions else None,
            note=note,
            tooltip=(
                f"{self._title(session.question_id)}\n"
                f"{MODE_NAMES.get(session.mode, session.mode)}, "
                f"{LEVEL_NAMES.get(session.level, session.level)}"
            ),
        )

    def _title(self, question_id: str) -> str:
        library = self.context.library
        if question_id in library:
            return library.get(question_id).title
        return question_id

    def _show_nothing(self, text: str) -> None:
        self._stop_audio()
        self.session = self.attempt = self.take = None
        self.step = None
        self.views.show_empty(text)

    # -- one session ---------------------------------------------------------------------------

    def select_session(self, session_id: str, force: bool = False) -> None:
        if not session_id:
            return
        if not force and self.session is not None and self.session.id == session_id:
            return
        session = next((s for s in self.visible if s.id == session_id), None)
        if session is None:
            return
        changed = self.session is None or self.session.id != session.id
        self.session = session
        self.views.show_content()
        mode = MODE_NAMES.get(session.mode, session.mode)
        level = LEVEL_NAMES.get(session.level, session.level)
        summary = f"{mode} · {level}"
        if self.walkthrough is None or session.question_id != self.walkthrough.id:
            summary = f"{self._title(session.question_id)} · {summary}"
        verdict = VerdictRecord.of(session).verdict or ""
        local = session.created.astimezone()
        self.views.detail.set_header(
            f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}",
            summary,
            session.mean_score,
            verdict,
        )
        takes = takes_by_step(session)
        steps = [(step, self._step_label(step, t[-1])) for step, t in takes.items()]
        step = self.step if self.step in takes else (steps[0][0] if steps else None)
        self.views.detail.set_steps(steps, step)
        if force or changed or step != self.step or self.attempt is None:
            self.select_step(step, force=True)  # refreshes compare too
        else:
            self._refresh_compare()

    @staticmethod
    def _step_label(step: str, latest: Attempt) -> str:
        name = step_title(step)
        judgement = FeedbackRecord.from_json(latest.feedback).judgement
        if judgement is not None and judgement.verdict:
            return f"{name}  {judgement.verdict}"  # a follow-up keeps its verdict
        return f"{name}  {latest.score}" if latest.score is not None else name

    def select_step(self, step: str | None, force: bool = False) -> None:
        if self.session is None:
            return
        if not force and step == self.step:
            return
        self.step = step
        takes = takes_by_step(self.session).get(step or "", [])
        attempt = takes[-1] if takes else None
        self.views.detail.set_takes(self._take_labels(takes), attempt.id if attempt else None)
        self._show_attempt(attempt)
        self._refresh_compare()

    @staticmethod
    def _take_labels(takes: list[Attempt]) -> list[tuple[int, str]]:
        return [
            (a.id, f"Take {a.attempt_no}" + (f" · {a.score}" if a.score is not None else ""))
            for a in takes
        ]

    def select_attempt(self, attempt_id: int) -> None:
        if self.session is None:
            return
        attempt = next((a for a in self.session.attempts if a.id == attempt_id), None)
        if attempt is not None and (self.attempt is None or attempt.id != self.attempt.id):
            self._show_attempt(attempt)
            self._refresh_compare()

    def _show_attempt(self, attempt: Attempt | None) -> None:
        self._stop_audio()
        self.attempt = attempt
        self.take = take_view(attempt, self.session) if attempt is not None else None
        detail = self.views.detail
        detail.show_take(self.take)
        duration = self.take.duration_s if self.take and self.take.duration_s else 0.0
        detail.set_duration(duration)
        detail.set_position(0.0, False)
        detail.set_playable(False)
        detail.set_audio_note("")
        if attempt is None or self.take is None:
            self.audio_state = AudioState.NONE
            return
        if attempt.audio_path is None or not self.take.timed:
            self.audio_state = AudioState.TYPED
            detail.set_audio_note(TYPED_NOTE, "muted")
            return
        ok, message = self.output()
        if not ok:
            self.audio_state = AudioState.NO_OUTPUT
            detail.set_audio_note(message, "warn")
            return
        self._load_audio(attempt.audio_path)

    def output(self) -> tuple[bool, str]:
        """Whether there is an audio output to play on (asked once; PortAudio lists devices
        only when it starts)."""
        if self._output is None:
            self._output = self.player.output_available()
        return self._output

    # -- audio ---------------------------------------------------------------------------------

    def _load_audio(self, path: Path) -> None:
        self._audio_gen += 1
        gen = self._audio_gen
        self.audio_state = AudioState.LOADING
        self.views.detail.show_loading()

        def done(audio: Audio) -> None:
            if gen != self._audio_gen:
                return
            self.player.set_audio(audio)
            self.audio_state = AudioState.READY
            detail = self.views.detail
            detail.set_audio_note("")
            detail.set_duration(audio.duration_s)
            detail.set_playable(True)
            self.audio_loaded.emit()
            if self._pending_seek is not None:
                at, self._pending_seek = self._pending_seek, None
                self._play_from(at)

        def failed(exc: BaseException) -> None:
            if gen != self._audio_gen:
                return
            self.audio_state = (
                AudioState.MISSING if isinstance(exc, RecordingMissing) else AudioState.FAILED
            )
            self._pending_seek = None
            note = MISSING_NOTE if self.audio_state == AudioState.MISSING else str(exc)
            self.views.detail.set_audio_note(note, "alarm")

        self._run(lambda: read_audio(path), done, failed)

    def _stop_audio(self) -> None:
        self._audio_gen += 1  # a decode still running is for a take no longer shown
        self._pending_seek = None
        self._clicked_word = None
        self.timer.stop()
        self.player.set_audio(None)
        self.views.detail.transcript.highlight_word(None)

    @property
    def playable(self) -> bool:
        return self.audio_state == AudioState.READY

    def toggle_play(self) -> None:
        if self.audio_state == AudioState.NO_OUTPUT:
            self.views.detail.set_audio_note(self.output()[1], "alarm")
            return
        if not self.playable:
            return
        if self.player.playing:
            self.player.pause()
            self.tick()
            return
        at = self.player.position_s
        self._play_from(0.0 if at >= self.player.duration_s - 0.05 else at)

    def pause(self) -> None:
        if self.player.playing:
            self.player.pause()
            self.tick()

    def seek_word(self, index: int) -> None:
        if self.take is None:
            return
        start = self.take.word_start(index)
        if start is None:
            return
        self.views.detail.transcript.highlight_word(index)
        self._clicked_word = (index, start)  # lit through the lead-in, not its neighbour
        self.seek_to(max(0.0, start - SEEK_LEAD_S), play=True)

    def seek_to(self, seconds: float, play: bool | None = None) -> None:
        """Go to ``seconds``; ``play`` None: keep playing if playing (the slider)."""
        if self.audio_state == AudioState.NO_OUTPUT:
            self.views.detail.set_audio_note(self.output()[1], "alarm")
            return
        if self.audio_state == AudioState.LOADING:
            self._pending_seek = seconds  # plays as soon as the recording is decoded
            return
        if not self.playable:
            return
        if play or (play is None and self.player.playing):
            self._play_from(seconds)
        else:
            self.player.seek(seconds)
            self.tick()

    def _play_from(self, seconds: float) -> None:
        try:
            self.player.play(from_s=seconds)
        except PlaybackError as exc:
            self.views.detail.set_audio_note(str(exc), "alarm")
            self.tick()
            return
        self.views.detail.set_audio_note("")
        self.timer.start()
        self.tick()

    def tick(self) -> None:
        """The poll: where playback is, which word is being said."""
        position = self.player.position_s
        playing = self.player.playing
        detail = self.views.detail
        detail.set_position(position, playing)
        if self.take is not None and (playing or position > 0):
            word = self.take.word_at(position)
            if self._clicked_word is not None:
                index, start = self._clicked_word
                if start - SEEK_LEAD_S - 0.01 <= position < start:
                    word = index
                else:
                    self._clicked_word = None
            detail.transcript.highlight_word(word)
            if playing and word is None:
                self._follow_section(position)
        if not playing:
            self.timer.stop()
            problem = self.player.problem
            if problem:
                detail.set_audio_note(problem, "alarm")

    def _follow_section(self, position: float) -> None:
        """A mock's sections share one recording: when playback runs past this section's
        words into the next one, the next section is shown (its words lit), still playing."""
        session, attempt, take = self.session, self.attempt, self.take
        if session is None or attempt is None or take is None or attempt.audio_path is None:
            return
        ends = [w.end for w in take.words if w.end is not None]
        if not ends or position <= max(ends):
            return
        for other in session.latest_attempts():
            if other.id == attempt.id or other.audio_path != attempt.audio_path:
                continue
            if other.step not in STEP_NAMES:
                continue  # the whole answer holds every section: stay with the sections
            view = take_view(other, session)
            starts = [w.start for w in view.words if w.start is not None]
            ends = [w.end for w in view.words if w.end is not None]
            if starts and ends and min(starts) - 1.0 <= position <= max(ends):
                self.attempt, self.take, self.step = other, view, other.step
                detail = self.views.detail
                detail.show_step_quietly(other.step)
                detail.set_takes(
                    self._take_labels(takes_by_step(session).get(other.step, [])), other.id
                )
                detail.show_take(view)
                detail.transcript.highlight_word(view.word_at(position))
                return

    # -- compare -------------------------------------------------------------------------------

    def _question_sessions(self) -> list[Session]:
        if self.session is None:
            return []
        qid = self.session.question_id
        if not self.views.sessions.all_questions and self.walkthrough is not None:
            return [s for s in self.all_sessions if s.question_id == qid]
        try:
            return self.context.store.list_sessions(qid)
        except StarCoachError:
            return [s for s in self.all_sessions if s.question_id == qid]

    def _refresh_compare(self) -> None:
        sessions = self._question_sessions()
        steps_seen: dict[str, None] = {}
        for s in sessions:
            for step in takes_by_step(s):
                steps_seen[step] = None
        order = [s for s in STEP_NAMES if s in steps_seen]
        order += [s for s in steps_seen if s not in STEP_NAMES]
        steps = [(s, step_title(s)) for s in order]
        current = self.step if self.step in steps_seen else (order[0] if order else None)
        self.views.compare.set_steps(steps, current)
        self.compare_step(current)

    def compare_step(self, step: str | None) -> None:
        compare = self.views.compare
        self._compare_choices = takes_of_step(self._question_sessions(), step) if step else []
        labels = [c.label for c in self._compare_choices]
        left, right = default_pair(self._compare_choices, self.attempt.id if self.attempt else None)
        compare.left.set_choices(labels, left)
        compare.right.set_choices(labels, right)
        n = len(self._compare_choices)
        if n < 2:
            compare.hint.setText(
                "Only one take of this step so far — practise it again to compare."
                if n == 1
                else "No takes of this step yet."
            )
        else:
            compare.hint.setText(f"{n} takes of this step")
        self._compare_side("left", left)
        self._compare_side("right", right)

    def _compare_side(self, side: str, index: int) -> None:
        compare = self.views.compare
        view = compare.left if side == "left" else compare.right
        if 0 <= index < len(self._compare_choices):
            view.show_take(take_view(self._compare_choices[index].attempt))
        else:
            view.show_take(None)
        # each side shows how it did against the other
        picked = []
        for box in (compare.left.choice, compare.right.choice):
            i = box.currentIndex()
            ok = 0 <= i < len(self._compare_choices) and len(self._compare_choices) > 1
            picked.append(self._compare_choices[i].attempt if ok else None)
        a, b = picked
        if a is not None and b is not None and a.id == b.id:
            compare.left.set_delta(None)
            compare.right.set_delta(None)
        elif a is not None and b is not None and a.score is not None and b.score is not None:
            # Only the newer take carries the change (▲ better, ▼ worse than the older one).
            a_newer = a.id > b.id
            compare.left.set_delta(a.score - b.score if a_newer else None, older=not a_newer)
            compare.right.set_delta(b.score - a.score if not a_newer else None, older=a_newer)
        else:
            compare.left.set_delta(None)
            compare.right.set_delta(None)

    # -- progress ------------------------------------------------------------------------------

    def _refresh_progress(self) -> None:
        w = self.walkthrough
        if w is None:
            self.views.progress.set_progress("", [], NO_SESSIONS)
            return
        if self.views.sessions.all_questions:
            try:
                sessions = self.context.store.list_sessions(w.id)
            except StarCoachError:
                sessions = []
        else:
            sessions = self.all_sessions
        self.views.progress.set_progress(
            "Progress on this question",
            progress_points(sessions),
            NO_SESSIONS.replace(" — ", " for this question — "),
        )

    # -- export and delete ---------------------------------------------------------------------

    def export(self, session_id: str, path: Path | str, fmt: str) -> None:
        """Write the session's report to ``path`` off the UI thread; ``exported(path)`` or
        ``export_failed(message)`` follows."""
        store, library = self.context.store, self.context.library
        target = Path(path)

        def work() -> str:
            session = store.get_session(session_id)
            walkthrough = (
                library.get(session.question_id) if session.question_id in library else None
            )
            text = export_session(session, walkthrough, fmt)
            # The save dialog has asked before replacing an existing file.
            write_export(target, text, data_dir=paths.data_dir(), force=True)
            return str(target)

        def done(saved: str) -> None:
            self.views.notify(f"Saved {saved}")
            self.exported.emit(saved)

        def failed(exc: BaseException) -> None:
            message = str(exc) if isinstance(exc, StarCoachError) else f"Export failed: {exc}"
            self.views.notify(message, "alarm")
            self.export_failed.emit(message)

        self._run(work, done, failed)

    def delete(self, session_id: str) -> None:
        """Delete the session, its takes and its recordings (already confirmed)."""
        if self.session is not None and self.session.id == session_id:
            self._stop_audio()
        store = self.context.store

        def done(_: object) -> None:
            if self.session is not None and self.session.id == session_id:
                self.session = None
                self.step = None
            self.reload()
            self.views.notify("Session deleted, with its recordings.")
            self.deleted.emit(session_id)

        def failed(exc: BaseException) -> None:
            self.reload()
            message = str(exc) if isinstance(exc, StarCoachError) else f"Delete failed: {exc}"
            self.views.notify(message, "alarm")
            self.delete_failed.emit(message)

        self._run(lambda: store.delete_session(session_id), done, failed)

    # -- threads -------------------------------------------------------------------------------

    def _run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        finished = threading.Event()
        self._jobs.add(finished)

        def wrapped() -> Any:
            try:
                return work()
            finally:
                finished.set()

        def done(result: Any) -> None:
            self._jobs.discard(finished)
            if not self._closed:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._jobs.discard(finished)
            if not self._closed:
                on_error(exc)

        run_in_background(self, wrapped, done, failed, lane="store")

    @property
    def busy(self) -> bool:
        """True while a background job of this page runs."""
        return any(not job.is_set() for job in self._jobs)

    def shutdown(self) -> None:
        """Stop playback and wait for this page's background jobs (never leave one running)."""
        self._closed = True
        self.timer.stop()
        self.player.close()
        for job in list(self._jobs):
            if not job.wait(JOIN_TIMEOUT_S):
                log.warning("a review background job did not finish in %s s", JOIN_TIMEOUT_S)
        self._jobs.clear()
