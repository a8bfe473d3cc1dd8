"""Practice, Qt-free: record a step with live transcription, coach it, keep it.

The command line and the window both drive this: ``PracticeService.begin_step`` starts the
microphone (the recorder feeds the live transcriber as audio arrives), ``ActiveStep.stop``
ends it and returns the feedback -- only the last pause-to-Stop stretch of audio is left to
transcribe then -- and the attempt, its audio and its feedback are in the store before the
caller sees them. A recording that a crash interrupted is found by ``unfinished`` and
brought back by ``recover``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starcoach.audio import (
    Recorder,
    RecordingResult,
    delete_recording,
    is_incomplete,
    repair,
    resolve_device,
)
from starcoach.audio.warm import WarmMicrophone
from starcoach.coach.coach import analyze_step
from starcoach.coach.feedback import AnswerVerdict, StepFeedback
from starcoach.coach.mock import MockResult
from starcoach.coach.scoring import verdict_for
from starcoach.content import STEP_ORDER, Library, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.store import Attempt, RecordingInProgress, Session, Store, lease
from starcoach.transcribe.audio_io import load_audio
from starcoach.transcribe.decoding import options_for
from starcoach.transcribe.engine import TranscriptionEngine
from starcoach.transcribe.streaming import LiveText, StreamingTranscriber
from starcoach.transcribe.types import Transcript

RecorderFactory = Callable[..., Recorder]
LiveCallback = Callable[[LiveText], None]


@dataclass(frozen=True)
class StepOutcome:
    attempt_id: int
    feedback: StepFeedback
    recording: RecordingResult
    stop_to_feedback_s: float

    def to_json(self) -> dict[str, Any]:
        data = self.feedback.to_json()
        data["audio"] = str(self.recording.path)
        data["attempt"] = self.attempt_id
        data["recording"] = {
            "dropped_blocks": self.recording.dropped_blocks,
            "overflows": self.recording.overflows,
            "error": self.recording.error,
            "stop_to_feedback_s": round(self.stop_to_feedback_s, 3),
        }
        return data


@dataclass(frozen=True)
class TakeResult:
    """A finished recording and its transcript, not yet coached."""

    attempt_id: int
    transcript: Transcript
    recording: RecordingResult
    stop_to_transcript_s: float


class ActiveTake:
    """One recording with live transcription. Thread-safe to poll (level, elapsed, live)."""

    def __init__(
        self,
        service: PracticeService,
        session: Session,
        name: str,
        attempt_id: int,
        recorder: Recorder,
        streamer: StreamingTranscriber,
    ) -> None:
        self.session = session
        self.name = name
        self.attempt_id = attempt_id
        self.recorder = recorder
        self.streamer = streamer
        self._service = service
        self._take: TakeResult | None = None
        self._discarded = False
        # One owner per take: Stop pressed while closing, or a shutdown racing the job that
        # already finishes it, must not stop, transcribe and store it twice.
        self._lock = threading.RLock()

    @property
    def listening(self) -> bool:
        """True once the first block of audio has arrived (start the clock then)."""
        return self.recorder.first_block.is_set()

    def wait_until_listening(self, timeout: float) -> bool:
        return self.recorder.first_block.wait(timeout)

    @property
    def level(self) -> float:
        return self.recorder.level

    @property
    def elapsed_s(self) -> float:
        return self.recorder.duration_s

    @property
    def ended_by_itself(self) -> bool:
        """The recording stopped without being asked (microphone unplugged, disk full)."""
        return self.recorder.finished.is_set()

    @property
    def problem(self) -> str | None:
        return self.recorder.error

    def live(self) -> LiveText:
        return self.streamer.live()

    def finish(self) -> TakeResult:
        """Stop recording; only the audio since the last pause is left to transcribe.
        Thread-safe: a second caller waits for the first and gets the same result."""
        with self._lock:
            if self._discarded:
                raise StarCoachError("This recording was discarded.")
            if self._take is None:
                recording = self.recorder.stop()
                stopped = time.perf_counter()
                transcript = self.streamer.finish(timeout=120)
                self._take = TakeResult(
                    self.attempt_id, transcript, recording, time.perf_counter() - stopped
                )
            return self._take

    def discard(self) -> None:
        """Stop without keeping anything (Esc): the take and its audio are deleted. A take
        already finished (its audio is kept) is left alone."""
        with self._lock:
            if self._take is not None or self._discarded:
                return
            self._discarded = True
            self.recorder.stop()
            with contextlib.suppress(StarCoachError, TimeoutError):
                self.streamer.finish(timeout=30)
            delete_recording(self.recorder.path)
            try:
                self._service.store.abandon_attempt(self.attempt_id, delete_audio=False)
            finally:
                self._service.release(self.attempt_id)


class ActiveStep(ActiveTake):
    """One STAR step being recorded; ``stop`` coaches it and keeps it."""

    def __init__(self, take: ActiveTake, walkthrough: Walkthrough) -> None:
        super().__init__(
            take._service, take.session, take.name, take.attempt_id, take.recorder, take.streamer
        )
        self.walkthrough = walkthrough
        self.step = take.name
        self._outcome: StepOutcome | None = None

    def stop(self) -> StepOutcome:
        """Stop, coach and keep the step; thread-safe and done once (see ``finish``)."""
        with self._lock:
            if self._outcome is not None:
                return self._outcome
            take = self.finish()
            started = time.perf_counter()
            recording = take.recording
            try:
                feedback = analyze_step(
                    self.walkthrough, self.step, take.transcript, self.session.level
                )
                self._service.store.finish_attempt(
                    self.attempt_id,
                    duration_s=recording.duration_s,
                    transcript=take.transcript.to_dict(),
                    feedback=feedback.to_json(),
                    score=feedback.score,
                    dropped_blocks=recording.dropped_blocks + recording.overflows,
                    error=recording.error,
                    status="done",
                )
            finally:
                self._service.release(self.attempt_id)
            latency = take.stop_to_transcript_s + time.perf_counter() - started
            self._outcome = StepOutcome(self.attempt_id, feedback, recording, latency)
            return self._outcome


class PracticeService:
    def __init__(
        self,
        store: Store,
        library: Library,
        engine: TranscriptionEngine,
        *,
        recorder_factory: RecorderFactory = Recorder,
        sd: Any | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.engine = engine
        self._recorder_factory = recorder_factory
        self._sd = sd
        # The lease of each take this process records, held until its outcome is stored.
        self._leases: dict[int, lease.Lease] = {}
        self._leases_lock = threading.Lock()

    def release(self, attempt_id: int) -> None:
        """Give up a take's lease (its outcome is stored, or it was dropped)."""
        with self._leases_lock:
            held = self._leases.pop(attempt_id, None)
        if held is not None:
            held.release()

    def new_session(
        self,
        question_id: str,
        mode: str,
        level: str,
        device: str | None = None,
        story_id: str | None = None,
    ) -> Session:
        """A session of ``question_id`` answered with ``story_id`` (default: its own story)."""
        # An unknown question or story fails here, before anything is written.
        self.library.walkthrough_for(question_id, story_id)
        story_id = story_id or self.library.chosen_stories.get(question_id)
        return self.store.create_session(question_id, mode, level, device, story_id)

    def walkthrough_of(self, session: Session) -> Walkthrough:
        """What the session practises: its question told with its story."""
        return self.library.walkthrough_for(session.question_id, session.story_id)

    def begin_take(
        self,
        session: Session,
        name: str,
        *,
        phrases: Sequence[str] = (),
        device: int | str | None = None,
        on_live: LiveCallback | None = None,
        live_text: bool = True,
        microphone: WarmMicrophone | None = None,
    ) -> ActiveTake:
        """Start recording ``name`` (a step, "answer", "probe-1") into the session.

        ``microphone``: an open WarmMicrophone to record through (its pre-roll comes first,
        so the first word is kept); otherwise the device is opened for this take.
        No microphone (or one that cannot be opened): the error is raised and nothing is left
        behind -- no take, no file."""
        warm = microphone is not None and microphone.is_open
        if not warm and (self._sd is not None or self._recorder_factory is Recorder):
            resolve_device(device, self._sd)  # "No microphone found" before anything is written
        self.engine.load()
        path = self.store.audio_path(session.id, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # The lease first, then the row: no other process ever sees this take 'recording'
        # without an owner, and so never mistakes it for a crashed one.
        try:
            held = lease.try_acquire(path)
        except OSError as exc:
            raise StarCoachError(f"Cannot start recording in {path.parent}: {exc}") from exc
        if held is None:
            raise RecordingInProgress(f"{path} is being recorded by another StarCoach")
        try:
            # The attempt row exists before the first sample, so a crash leaves a trace.
            attempt_id = self.store.start_attempt(session.id, name, path)
        except BaseException:
            held.release()
            raise
        with self._leases_lock:
            self._leases[attempt_id] = held
        streamer = StreamingTranscriber(
            self.engine, options_for(phrases), on_update=on_live, tentative=live_text
        )
        try:
            sd = microphone.sd_for_take() if warm and microphone is not None else self._sd
            recorder = self._recorder_factory(path, device=device, sd=sd, listeners=[streamer.feed])
            streamer.start()
            recorder.start()
        except BaseException:
            streamer.finish(timeout=5)
            try:
                # It never recorded: leave no trace of it (an "abandoned" take would read
                # as a crash).
                self.store.forget_attempt(attempt_id)
            finally:
                self.release(attempt_id)
            raise
        return ActiveTake(self, session, name, attempt_id, recorder, streamer)

    def open_microphone(self, device: int | str | None = None) -> WarmMicrophone | None:
        """Open ``device`` and keep it open for the takes to come (see audio/warm.py); slow,
        call it off the UI thread. None when this service records through a stand-in
        recorder (tests). Raises AudioError when the microphone cannot be opened."""
        if self._recorder_factory is not Recorder:
            return None
        mic = WarmMicrophone(device, sd=self._sd)
        mic.open()
        return mic

    def forget_if_empty(self, session: Session) -> None:
        """A session whose first Record press failed is not kept (see begin_take)."""
        self.store.forget_empty_session(session.id)

    def begin_step(
        self,
        session: Session,
        step: str,
        *,
        device: int | str | None = None,
        on_live: LiveCallback | None = None,
        live_text: bool = True,
        microphone: WarmMicrophone | None = None,
    ) -> ActiveStep:
        walkthrough = self.walkthrough_of(session)
        phrases = walkthrough.step(step).key_phrases
        take = self.begin_take(
            session,
            step,
            phrases=phrases,
            device=device,
            on_live=on_live,
            live_text=live_text,
            microphone=microphone,
        )
        return ActiveStep(take, walkthrough)

    def save_take(self, take: TakeResult, feedback: dict[str, Any] | None = None) -> None:
        """Keep a take (a mock answer, a probe answer) with its transcript, right at Stop."""
        recording = take.recording
        try:
            self.store.finish_attempt(
                take.attempt_id,
                duration_s=recording.duration_s,
                transcript=take.transcript.to_dict(),
                feedback=feedback,
                score=None,
                dropped_blocks=recording.dropped_blocks + recording.overflows,
                error=recording.error,
                status="done",
            )
        finally:
            self.release(take.attempt_id)

    def save_mock(self, session: Session, take: TakeResult, result: MockResult) -> None:
        """Keep a finished mock interview: each section as a coached step (so Review and
        export show it like guided practice) and the report as the session's verdict."""
        for section in result.sections:
            fb = section.feedback
            self.store.record_attempt(
                session.id,
                section.step,
                audio_path=take.recording.path,
                duration_s=section.duration_s,
                transcript=fb.transcript.to_dict(),
                feedback=fb.to_json(),
                score=fb.score,
            )
        self.store.finish_session(session.id, result.to_json())

    def finish_session(self, session: Session, outcomes: list[StepOutcome]) -> AnswerVerdict | None:
        verdict = None
        if len(outcomes) > 1:
            steps = [o.feedback for o in outcomes]
            name, score, reasons = verdict_for(
                [(f.step, f.score, [m.id for m in f.mistakes]) for f in steps]
            )
            verdict = AnswerVerdict(verdict=name, score=score, reasons=reasons, steps=steps)
        self.store.finish_session(
            session.id,
            None
            if verdict is None
            else {"verdict": verdict.verdict, "score": verdict.score, "reasons": verdict.reasons},
        )
        return verdict

    # -- crash recovery ------------------------------------------------------------------
    def unfinished(self) -> list[Attempt]:
        """Recordings a crash cut short: still 'recording', and their owner is gone. A live
        recording (this process's or another's) is never listed."""
        return self.store.orphaned_attempts()

    def recording_now(self) -> list[Attempt]:
        return self.store.live_attempts()

    def _claim(self, attempt: Attempt) -> lease.Lease | None:
        """The lease of a crashed take, so no other process recovers it at the same time;
        RecordingInProgress when its owner is alive after all."""
        held = None
        if attempt.audio_path is not None:
            try:
                held = lease.try_acquire(attempt.audio_path)
            except OSError as exc:
                raise StarCoachError(f"Cannot recover {attempt.audio_path}: {exc}") from exc
            if held is None:
                raise RecordingInProgress(
                    f"{attempt.step} of session {attempt.session_id} is being recorded right "
                    "now; it is left alone"
                )
            if self.store.get_attempt(attempt.id).status != "recording":
                held.release()  # another process dealt with it meanwhile
                raise RecordingInProgress(f"{attempt.step} was recovered elsewhere")
        return held

    def discard(self, attempt: Attempt) -> bool:
        """Drop a crashed take and its audio; False (nothing done) when it is live."""
        try:
            held = self._claim(attempt)
        except RecordingInProgress:
            return False
        try:
            self.store.abandon_attempt(attempt.id, delete_audio=True)
            if attempt.audio_path is not None:
                delete_recording(attempt.audio_path)
        finally:
            if held is not None:
                held.release()
        return True

    def recover(self, attempt: Attempt) -> StepFeedback | None:
        """Repair the audio a crash left, analyse it, keep it. None when nothing was left.
        RecordingInProgress when the take is live (its owner still records it)."""
        held = self._claim(attempt)
        try:
            return self._recover(attempt)
        finally:
            if held is not None:
                held.release()

    def _recover(self, attempt: Attempt) -> StepFeedback | None:
        session = self.store.get_session(attempt.session_id)
        path = attempt.audio_path
        if path is None or not (Path(path).exists() or is_incomplete(Path(path))):
            self.store.abandon_attempt(attempt.id, delete_audio=True)
            return None
        if is_incomplete(Path(path)):
            seconds = repair(Path(path))
            if seconds <= 0:
                self.store.abandon_attempt(attempt.id, delete_audio=True)
                return None
        walkthrough = self.walkthrough_of(session)
        audio = load_audio(path)
        is_step = attempt.step in STEP_ORDER
        phrases = walkthrough.step(attempt.step).key_phrases if is_step else ()
        transcript: Transcript = self.engine.transcribe(audio, options_for(phrases))
        if not is_step:
            # A mock answer or a probe answer: its words are kept; redo the mock to coach it.
            self.store.mark_recovered(
                attempt.id, duration_s=transcript.duration_s, transcript=transcript.to_dict()
            )
            return None
        feedback = analyze_step(walkthrough, attempt.step, transcript, session.level)
        self.store.mark_recovered(
            attempt.id,
            duration_s=transcript.duration_s,
            transcript=transcript.to_dict(),
            feedback=feedback.to_json(),
            score=feedback.score,
        )
        return feedback
