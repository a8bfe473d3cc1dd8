"""Guided practice, wired: record a step, show it live, coach it on Stop, move on.

States: "idle" (ready to record), "starting" (waiting for the microphone's first block --
the clock starts only then), "recording", "finishing" (the last words are transcribed),
"feedback" (this step's feedback is shown), "verdict" (all five steps done).
The PracticeService (Qt-free) does the work; slow calls run off the UI thread.
"""

from __future__ import annotations

import contextlib
import time

from PySide6.QtCore import QObject, QTimer, Signal

from starcoach.coach.feedback import AnswerVerdict
from starcoach.content import STEP_ORDER, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.practice import ActiveStep, StepOutcome
from starcoach.store import Session
from starcoach.ui.context import AppContext
from starcoach.ui.tasks import run_in_background

TICK_MS = 33


class PracticeController(QObject):
    state_changed = Signal(str)
    tick = Signal(float, float, str)  # elapsed seconds, level (rms), live text
    feedback_ready = Signal(object)  # StepOutcome
    verdict_ready = Signal(object)  # AnswerVerdict
    problem = Signal(str)  # a message fit to show

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.walkthrough: Walkthrough | None = None
        self.step = STEP_ORDER[0]
        self.state = "idle"
        self.session: Session | None = None
        self.active: ActiveStep | None = None
        self.outcomes: dict[str, StepOutcome] = {}
        self.last_outcome: StepOutcome | None = None
        self.stop_pressed_at = 0.0
        self.feedback_latency_s: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

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
        self._set("idle")

    def busy(self) -> bool:
        return self.state in ("starting", "recording", "finishing")

    def toggle(self) -> None:
        """Space: start recording, or stop it."""
        if self.state in ("idle", "feedback"):
            if self.state == "feedback":
                self.retry()
            self.start()
        elif self.state in ("starting", "recording"):
            self.stop()

    def start(self) -> None:
        if self.walkthrough is None or self.state not in ("idle",):
            return
        if not self.context.engine.loaded:
            self.problem.emit("The speech model is still loading — one moment.")
            return
        created = self.session is None
        try:
            if self.session is None:
                self.session = self.context.service.new_session(
                    self.walkthrough.id,
                    "full",
                    self.context.settings.level,
                    self.context.settings.microphone,
                )
            self.active = self.context.service.begin_step(
                self.session, self.step, device=self.context.settings.microphone
            )
        except StarCoachError as exc:
            if created and self.session is not None:
                # No microphone: nothing was recorded, so no session is left behind.
                with contextlib.suppress(StarCoachError):
                    self.context.service.forget_if_empty(self.session)
                self.session = None
            self.problem.emit(str(exc))
            return
        self._set("starting")
        self._timer.start()

    def stop(self) -> None:
        active = self.active
        if active is None or self.state not in ("starting", "recording"):
            return
        self._timer.stop()
        self.stop_pressed_at = time.perf_counter()
        self._set("finishing")
        run_in_background(self, active.stop, self._stopped, self._failed)

    def discard(self) -> None:
        """Esc: stop without saving this take."""
        active = self.active
        if active is None or self.state not in ("starting", "recording"):
            return
        self._timer.stop()
        self._set("finishing")
        run_in_background(self, active.discard, lambda _: self._discarded(), self._failed)

    def retry(self) -> None:
        """R: this step again; after the verdict, the whole walk again."""
        if self.state == "verdict":
            self.reset()
            return
        if self.state in ("feedback", "idle"):
            self.last_outcome = None
            self._set("idle")

    def next_step(self) -> None:
        if self.state != "feedback":
            return
        index = STEP_ORDER.index(self.step)
        if index + 1 < len(STEP_ORDER):
            self.step = STEP_ORDER[index + 1]
            self.last_outcome = None
            self._set("idle")
        else:
            self._finish_session()

    def go_to_step(self, step: str) -> None:
        if not self.busy() and step in STEP_ORDER:
            self.step = step
            self.last_outcome = self.outcomes.get(step)
            self._set("feedback" if self.last_outcome else "idle")

    def shutdown(self) -> None:
        """Closing: stop and keep a recording in progress; wait for it."""
        self._timer.stop()
        if self.active is not None and self.state in ("starting", "recording", "finishing"):
            with contextlib.suppress(StarCoachError):
                self.active.stop()

    # -- internals -----------------------------------------------------------------------
    def _set(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def _on_tick(self) -> None:
        active = self.active
        if active is None:
            return
        if self.state == "starting" and active.listening:
            self._set("recording")
        if active.ended_by_itself:
            # The microphone went away or the disk filled up: keep what was recorded.
            if active.problem:
                self.problem.emit(active.problem)
            self.stop()
            return
        live = active.live().text
        self.tick.emit(active.elapsed_s if active.listening else 0.0, active.level, live)

    def _stopped(self, outcome: StepOutcome) -> None:
        self.feedback_latency_s = time.perf_counter() - self.stop_pressed_at
        self.active = None
        self.outcomes[self.step] = outcome
        self.last_outcome = outcome
        if outcome.recording.error:
            self.problem.emit(outcome.recording.error)
        self._set("feedback")
        self.feedback_ready.emit(outcome)

    def _discarded(self) -> None:
        self.active = None
        self._set("idle")

    def _failed(self, exc: BaseException) -> None:
        self.active = None
        self._set("idle")
        self.problem.emit(
            str(exc) if isinstance(exc, StarCoachError) else f"Recording failed: {exc}"
        )

    def _finish_session(self) -> None:
        if self.session is None:
            return
        outcomes = [self.outcomes[s] for s in STEP_ORDER if s in self.outcomes]
        verdict: AnswerVerdict | None = self.context.service.finish_session(self.session, outcomes)
        self._set("verdict")
        if verdict is not None:
            self.verdict_ready.emit(verdict)
