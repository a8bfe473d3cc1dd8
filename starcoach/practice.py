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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starcoach.audio import Recorder, RecordingResult, delete_recording, is_incomplete, repair
from starcoach.coach.coach import analyze_step
from starcoach.coach.feedback import AnswerVerdict, StepFeedback
from starcoach.coach.mock import MockResult
from starcoach.coach.scoring import verdict_for
from starcoach.content import STEP_ORDER, Library, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.store import Attempt, Session, Store
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
        """Stop recording; only the audio since the last pause is left to transcribe."""
        if self._take is None:
            recording = self.recorder.stop()
            stopped = time.perf_counter()
            transcript = self.streamer.finish(timeout=120)
            self._take = TakeResult(
                self.attempt_id, transcript, recording, time.perf_counter() - stopped
            )
        return self._take

    def discard(self) -> None:
        """Stop without keeping anything (Esc): the take and its audio are deleted."""
        self.recorder.stop()
        with contextlib.suppress(StarCoachError, TimeoutError):
            self.streamer.finish(timeout=30)
        delete_recording(self.recorder.path)
        self._service.store.abandon_attempt(self.attempt_id, delete_audio=False)


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
        if self._outcome is not None:
            return self._outcome
        take = self.finish()
        started = time.perf_counter()
        feedback = analyze_step(self.walkthrough, self.step, take.transcript, self.session.level)
        recording = take.recording
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

    def new_session(
        self, question_id: str, mode: str, level: str, device: str | None = None
    ) -> Session:
        self.library.get(question_id)  # an unknown id fails here, before anything is written
        return self.store.create_session(question_id, mode, level, device)

    def begin_take(
        self,
        session: Session,
        name: str,
        *,
        phrases: Sequence[str] = (),
        device: int | str | None = None,
        on_live: LiveCallback | None = None,
        live_text: bool = True,
    ) -> ActiveTake:
        """Start recording ``name`` (a step, "answer", "probe-1") into the session."""
        self.engine.load()
        path = self.store.audio_path(session.id, name)
        # The attempt row exists before the first sample, so a crash leaves a trace.
        attempt_id = self.store.start_attempt(session.id, name, path)
        streamer = StreamingTranscriber(
            self.engine, options_for(phrases), on_update=on_live, tentative=live_text
        )
        recorder = self._recorder_factory(
            path, device=device, sd=self._sd, listeners=[streamer.feed]
        )
        try:
            streamer.start()
            recorder.start()
        except BaseException:
            streamer.finish(timeout=5)
            self.store.abandon_attempt(attempt_id, delete_audio=True)
            raise
        return ActiveTake(self, session, name, attempt_id, recorder, streamer)

    def begin_step(
        self,
        session: Session,
        step: str,
        *,
        device: int | str | None = None,
        on_live: LiveCallback | None = None,
        live_text: bool = True,
    ) -> ActiveStep:
        walkthrough = self.library.get(session.question_id)
        phrases = walkthrough.step(step).key_phrases
        take = self.begin_take(
            session, step, phrases=phrases, device=device, on_live=on_live, live_text=live_text
        )
        return ActiveStep(take, walkthrough)

    def save_take(self, take: TakeResult, feedback: dict[str, Any] | None = None) -> None:
        """Keep a take (a mock answer, a probe answer) with its transcript, right at Stop."""
        recording = take.recording
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
        return self.store.unfinished_attempts()

    def recover(self, attempt: Attempt) -> StepFeedback | None:
        """Repair the audio a crash left, analyse it, keep it. None when nothing was left."""
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
        walkthrough = self.library.get(session.question_id)
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
