"""Guided practice, wired: record a step, show it live, coach it on Stop, move on.

States (PracticeState, in state.py): "idle" (ready to record), "starting" (waiting for the
microphone's first block -- the clock starts only then), "recording", "finishing" (the last
words are transcribed), "feedback" (this step's feedback is shown), "verdict" (all five
steps done).
The PracticeService (Qt-free) does the work; slow calls run off the UI thread -- opening
the microphone and the database writes of a new take too (a busy laptop took seconds).

While the page is shown and ready to record, the microphone is kept open (audio/warm.py):
a take then starts with the half second before Space, so its first word is never lost,
and ``microphone_changed`` tells the page to say that the microphone is on.
"""

from __future__ import annotations

import contextlib
import threading
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from starcoach.audio.warm import WarmMicrophone
from starcoach.coach.feedback import AnswerVerdict
from starcoach.content import STEP_ORDER, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.practice import ActiveStep, StepOutcome
from starcoach.store import Session
from starcoach.ui.practice.state import PracticeState
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.tasks import run_in_background

TICK_MS = 33


class PracticeController(QObject):
    state_changed = Signal(object)  # PracticeState
    tick = Signal(float, float, str)  # elapsed seconds, level (rms), live text
    feedback_ready = Signal(object)  # StepOutcome
    verdict_ready = Signal(object)  # AnswerVerdict
    problem = Signal(str)  # a message fit to show
    microphone_changed = Signal(bool)  # the microphone is open (True) or closed
    finishing_progress = Signal(str)  # after Stop: what is left to transcribe, in words

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.walkthrough: Walkthrough | None = None
        self.step = STEP_ORDER[0]
        self.state: PracticeState = PracticeState.IDLE
        self.session: Session | None = None
        self.active: ActiveStep | None = None
        self.outcomes: dict[str, StepOutcome] = {}
        self.last_outcome: StepOutcome | None = None
        self.stop_pressed_at = 0.0
        self.feedback_latency_s: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        # The open microphone (None: closed, or this context records a take at a time).
        self.microphone: WarmMicrophone | None = None
        self._mic_opening = False
        self._shown = False
        self._pending_stop: str | None = None  # "stop" / "discard" pressed while starting
        self._starting: threading.Event | None = None
        self._started_take: ActiveStep | None = None
        if parent is not None:
            parent.installEventFilter(self)

    def _warm_enabled(self) -> bool:
        # A stand-in device (tests) plays its audio from the moment it is opened, so the
        # open microphone is for the real one unless asked for.
        warm = self.context.warm_microphone
        return self.context.sd is None if warm is None else warm

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent():
            if event.type() == QEvent.Type.Show:
                self._shown = True
                self._warm_up()
            elif event.type() == QEvent.Type.Hide:
                self._shown = False
                if not self.busy():
                    self.close_microphone()
        return False

    def _warm_up(self) -> None:
        """Open the microphone (off the UI thread) when the page is ready to record."""
        if (
            not self._warm_enabled()
            or not self._shown
            or self._mic_opening
            or self.walkthrough is None
            or not self.state.ready
        ):
            return
        device = self.context.settings.microphone
        mic = self.microphone
        if mic is not None and mic.is_open and mic.device == device:
            return
        self.close_microphone()
        self._mic_opening = True
        service = self.context.service
        run_in_background(
            self,
            lambda: service.open_microphone(device),
            self._microphone_opened,
            self._microphone_failed,
        )

    def _microphone_opened(self, mic: WarmMicrophone | None) -> None:
        self._mic_opening = False
        if mic is None:
            return
        if not self._shown:
            run_in_background(None, mic.close)
            return
        self.microphone = mic
        self.microphone_changed.emit(True)

    def _microphone_failed(self, exc: BaseException) -> None:
        # Not shown: Space opens the device itself and shows the plain message then.
        self._mic_opening = False

    def close_microphone(self, *, wait: bool = False) -> None:
        """Close the open microphone: in the background, or (``wait``, when the window
        closes) now, so no stream outlives the window or the sound server it talks to."""
        mic, self.microphone = self.microphone, None
        if mic is not None:
            if wait:
                mic.close()
            else:
                run_in_background(None, mic.close)
            self.microphone_changed.emit(False)

    # -- commands ------------------------------------------------------------------------
    def set_walkthrough(self, walkthrough: Walkthrough) -> None:
        if self.busy():
            return
        self.walkthrough = walkthrough
        self.reset()

    def reset(self) -> None:
        """Start the walk again from Situation, in a new session."""
        self.session = None
        self.outcomes = {}
        self.last_outcome = None
        self.step = STEP_ORDER[0]
        self._set(PracticeState.IDLE)

    def busy(self) -> bool:
        return self.state.busy

    def toggle(self) -> None:
        """Space: start recording, or stop it."""
        if self.state.ready:
            if self.state == PracticeState.FEEDBACK:
                self.retry()
            self.start()
        elif self.state.recording:
            self.stop()

    def start(self) -> None:
        if self.walkthrough is None or self.state != PracticeState.IDLE:
            return
        if not self.context.engine.loaded:
            self.problem.emit("The speech model is still loading — one moment.")
            return
        service = self.context.service
        settings = self.context.settings
        walkthrough, step, session = self.walkthrough, self.step, self.session
        mic = self.microphone if self.microphone is not None and self.microphone.is_open else None
        starting = threading.Event()
        self._starting = starting
        self._started_take = None
        self._pending_stop = None

        def begin() -> tuple[Session, ActiveStep]:
            # The session row, the take's row and lease, the device: all off the UI thread.
            nonlocal session
            created = session is None
            try:
                if session is None:
                    session = service.new_session(
                        walkthrough.id, "full", settings.level, settings.microphone
                    )
                active = service.begin_step(
                    session, step, device=settings.microphone, microphone=mic
                )
            except StarCoachError:
                if created and session is not None:
                    # No microphone: nothing was recorded, so no session is left behind.
                    with contextlib.suppress(StarCoachError):
                        service.forget_if_empty(session)
                raise
            finally:
                starting.set()
            self._started_take = active
            return session, active

        self._set(PracticeState.STARTING)
        run_in_background(self, begin, self._began, self._begin_failed)

    def _began(self, result: tuple[Session, ActiveStep]) -> None:
        self.session, self.active = result
        self._starting = None
        pending, self._pending_stop = self._pending_stop, None
        self._timer.start()
        if pending == "stop":
            self.stop()
        elif pending == "discard":
            self.discard()

    def _begin_failed(self, exc: BaseException) -> None:
        self._starting = None
        self._pending_stop = None
        self._set(PracticeState.IDLE)
        self.problem.emit(
            str(exc) if isinstance(exc, StarCoachError) else f"Recording failed: {exc}"
        )

    def stop(self) -> None:
        active = self.active
        if active is None and self.state == PracticeState.STARTING and self._starting is not None:
            self._pending_stop = "stop"  # Space again before the take began: stop it then
            return
        if active is None or not self.state.recording:
            return
        self.stop_pressed_at = time.perf_counter()
        self._set(PracticeState.FINISHING)  # the timer goes on: it shows what is left to transcribe
        run_in_background(self, active.stop, self._stopped, self._failed, lane="store")

    def discard(self) -> None:
        """Esc: stop without saving this take."""
        active = self.active
        if active is None and self.state == PracticeState.STARTING and self._starting is not None:
            self._pending_stop = "discard"
            return
        if active is None or not self.state.recording:
            return
        self._timer.stop()
        self._set(PracticeState.FINISHING)
        run_in_background(
            self, active.discard, lambda _: self._discarded(), self._failed, lane="store"
        )

    def retry(self) -> None:
        """R: this step again; after the verdict, the whole walk again."""
        if self.state == PracticeState.VERDICT:
            self.reset()
            return
        if self.state in (PracticeState.FEEDBACK, PracticeState.IDLE):
            self.last_outcome = None
            self._set(PracticeState.IDLE)

    def next_step(self) -> None:
        if self.state != PracticeState.FEEDBACK:
            return
        index = STEP_ORDER.index(self.step)
        if index + 1 < len(STEP_ORDER):
            self.step = STEP_ORDER[index + 1]
            self.last_outcome = None
            self._set(PracticeState.IDLE)
        else:
            self._finish_session()

    def go_to_step(self, step: str) -> None:
        if not self.busy() and step in STEP_ORDER:
            self.step = step
            self.last_outcome = self.outcomes.get(step)
            self._set(PracticeState.FEEDBACK if self.last_outcome else PracticeState.IDLE)

    def shutdown(self) -> None:
        """Closing: stop and keep a recording in progress; wait for it."""
        self._timer.stop()
        starting = self._starting
        if self.active is None and starting is not None and starting.wait(10):
            self.active = self._started_take  # it began while the window closed
        self.close_microphone(wait=True)
        if self.active is not None and self.state.busy:
            with contextlib.suppress(StarCoachError):
                self.active.stop()

    # -- internals -----------------------------------------------------------------------
    def _set(self, state: PracticeState) -> None:
        self.state = state
        self.state_changed.emit(state)
        if state.ready:
            self._warm_up()

    def _on_tick(self) -> None:
        active = self.active
        if active is None:
            return
        if self.state == PracticeState.FINISHING:
            left, total = active.streamer.undecoded_s, active.streamer.audio_s
            if left > 0.05:
                done = 100.0 * (1.0 - left / total) if total > 0 else 0.0
                text = f"Transcribing the last {left:.1f} s ({done:.0f}% of {total:.0f} s done)…"
            else:
                text = "Transcribed · coaching and saving…"
            self.finishing_progress.emit(text)
            return
        if self.state == PracticeState.STARTING and active.listening:
            self._set(PracticeState.RECORDING)
        if active.ended_by_itself:
            # The microphone went away or the disk filled up: keep what was recorded.
            if active.problem:
                self.problem.emit(active.problem)
            self.stop()
            return
        live = active.live().text
        self.tick.emit(active.elapsed_s if active.listening else 0.0, active.level, live)

    def _stopped(self, outcome: StepOutcome) -> None:
        self._timer.stop()
        self.feedback_latency_s = time.perf_counter() - self.stop_pressed_at
        self.active = None
        self.outcomes[self.step] = outcome
        self.last_outcome = outcome
        if outcome.recording.error:
            self.problem.emit(outcome.recording.error)
        self._set(PracticeState.FEEDBACK)
        self.feedback_ready.emit(outcome)

    def _discarded(self) -> None:
        self._timer.stop()
        self.active = None
        self._set(PracticeState.IDLE)

    def _failed(self, exc: BaseException) -> None:
        self._timer.stop()
        self.active = None
        self._set(PracticeState.IDLE)
        self.problem.emit(
            str(exc) if isinstance(exc, StarCoachError) else f"Recording failed: {exc}"
        )

    def _finish_session(self) -> None:
        if self.session is None:
            return
        outcomes = [self.outcomes[s] for s in STEP_ORDER if s in self.outcomes]
        verdict: AnswerVerdict | None = self.context.service.finish_session(self.session, outcomes)
        self._set(PracticeState.VERDICT)
        if verdict is not None:
            self.verdict_ready.emit(verdict)
