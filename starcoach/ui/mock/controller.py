"""Mock interview, wired: one take for the whole answer (sections marked with keys or split
afterwards), the report, then one or two follow-up probes answered aloud.

States: MockState (state.py): idle, starting, recording, finishing, report, probe,
probe-recording, probe-finishing, probe-judged, done.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from starcoach.coach.mock import MockResult, analyze_mock, answer_probes
from starcoach.coach.split import propose_split
from starcoach.content import STEP_ORDER, Walkthrough
from starcoach.errors import StarCoachError
from starcoach.practice import ActiveTake, TakeResult
from starcoach.store import Session
from starcoach.transcribe.types import Transcript
from starcoach.ui.mock.state import MockState
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.tasks import run_in_background


class MockController(QObject):
    state_changed = Signal(object)  # MockState
    tick = Signal(float, float, str)
    report_ready = Signal(object)  # MockResult
    problem = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.walkthrough: Walkthrough | None = None
        self.state: MockState = MockState.IDLE
        self.session: Session | None = None
        self.take: ActiveTake | None = None
        self.answer: TakeResult | None = None
        self.marks: dict[str, float] = {}
        self.result: MockResult | None = None
        self.probe_number = 0
        self.probe_answers: dict[int, Transcript] = {}
        self.feedback_latency_s: float | None = None
        self._stopped_at = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(33)
        self._timer.timeout.connect(self._on_tick)

    # -- commands ------------------------------------------------------------------------
    def set_walkthrough(self, walkthrough: Walkthrough) -> None:
        if not self.busy():
            self.walkthrough = walkthrough
            self.reset()

    def reset(self) -> None:
        self.session = None
        self.take = None
        self.answer = None
        self.marks = {}
        self.result = None
        self.probe_number = 0
        self.probe_answers = {}
        self._set(MockState.IDLE)

    def busy(self) -> bool:
        return self.state.busy

    def toggle(self) -> None:
        if self.state == MockState.IDLE:
            self._start_answer()
        elif self.state in (MockState.STARTING, MockState.RECORDING):
            self._stop_answer()
        elif self.state == MockState.PROBE:
            self._start_probe()
        elif self.state == MockState.PROBE_RECORDING:
            self._stop_probe()

    def mark(self, step: str) -> None:
        """The candidate says a section starts now (keys S T A R L)."""
        if self.state != MockState.RECORDING or self.take is None or step not in STEP_ORDER:
            return
        later = [s for s in STEP_ORDER[STEP_ORDER.index(step) :] if s in self.marks]
        if later:
            return  # marks go forward only
        self.marks[step] = round(self.take.elapsed_s, 2)
        self.state_changed.emit(self.state)

    def mark_next(self) -> None:
        """Tab: the next section starts now."""
        for step in STEP_ORDER:
            if step not in self.marks:
                self.mark(step)
                return

    def resplit(self, starts: dict[str, float]) -> None:
        """The timeline was dragged: every start is now the user's."""
        if self.result is None or self.walkthrough is None or self.state != MockState.REPORT:
            return
        split = propose_split(self.result.transcript, self.walkthrough, marks=starts)
        self.result = analyze_mock(
            self.walkthrough, self.result.transcript, self._level(), split=split
        )
        self.report_ready.emit(self.result)

    def next(self) -> None:
        """Enter: from the report to the first probe, from a judged probe to the next one,
        then the final report."""
        if self.result is None:
            return
        if self.state in (MockState.REPORT, MockState.PROBE_JUDGED):
            if self.state == MockState.PROBE_JUDGED:
                self.probe_number += 1
            if self.probe_number < len(self.result.probes):
                self._set(MockState.PROBE)
            else:
                self._finish()

    def discard(self) -> None:
        take = self.take
        if take is None or not self.state.recording:
            return
        self._timer.stop()
        back = (
            MockState.IDLE
            if self.state in (MockState.STARTING, MockState.RECORDING)
            else MockState.PROBE
        )
        self._set(MockState.FINISHING if back == MockState.IDLE else MockState.PROBE_FINISHING)
        run_in_background(self, take.discard, lambda _: self._set(back), self._failed, lane="store")

    def shutdown(self) -> None:
        self._timer.stop()
        # Only a take still recording is kept here; one in "finishing" already has a job
        # that stores it with its feedback (the window joins that job before closing the
        # store), and saving it here too would race that job.
        if self.take is not None and self.state.recording:
            with contextlib.suppress(StarCoachError):
                self.context.service.save_take(self.take.finish())

    # -- the answer ----------------------------------------------------------------------
    def _level(self) -> str:
        return self.context.settings.level

    def _start_answer(self) -> None:
        if self.walkthrough is None:
            return
        if not self.context.engine.loaded:
            self.problem.emit("The speech model is still loading — one moment.")
            return
        try:
            self.session = self.context.service.new_session(
                self.walkthrough.id, "mock", self._level(), self.context.settings.microphone
            )
            self.take = self.context.service.begin_take(
                self.session, "answer", device=self.context.settings.microphone
            )
        except StarCoachError as exc:
            if self.session is not None:
                # No microphone: nothing was recorded, so no session is left behind.
                with contextlib.suppress(StarCoachError):
                    self.context.service.forget_if_empty(self.session)
                self.session = None
            self.problem.emit(str(exc))
            return
        self.marks = {}
        self._set(MockState.STARTING)
        self._timer.start()

    def _stop_answer(self) -> None:
        take, walkthrough = self.take, self.walkthrough
        if take is None or walkthrough is None:
            return
        self._timer.stop()
        self._stopped_at = time.perf_counter()
        self._set(MockState.FINISHING)
        marks = dict(self.marks)
        level = self._level()
        service = self.context.service

        def work() -> tuple[TakeResult, MockResult]:
            answer = take.finish()
            service.save_take(answer)
            return answer, analyze_mock(walkthrough, answer.transcript, level, marks or None)

        run_in_background(self, work, self._analysed, self._failed, lane="store")

    def _analysed(self, done: tuple[TakeResult, MockResult]) -> None:
        self.answer, self.result = done
        self.feedback_latency_s = time.perf_counter() - self._stopped_at
        self.take = None
        if self.answer.recording.error:
            self.problem.emit(self.answer.recording.error)
        self._set(MockState.REPORT)
        self.report_ready.emit(self.result)

    # -- probes --------------------------------------------------------------------------
    @property
    def current_probe(self) -> Any | None:
        if self.result is None or self.probe_number >= len(self.result.probes):
            return None
        return self.result.probes[self.probe_number].chosen

    def _start_probe(self) -> None:
        if self.session is None:
            return
        try:
            self.take = self.context.service.begin_take(
                self.session,
                f"probe-{self.probe_number + 1}",
                device=self.context.settings.microphone,
            )
        except StarCoachError as exc:
            self.problem.emit(str(exc))
            return
        self._set(MockState.PROBE_RECORDING)
        self._timer.start()

    def _stop_probe(self) -> None:
        take, walkthrough, result = self.take, self.walkthrough, self.result
        chosen = self.current_probe
        if take is None or walkthrough is None or result is None or chosen is None:
            return
        self._timer.stop()
        self._set(MockState.PROBE_FINISHING)
        answers = dict(self.probe_answers)
        service = self.context.service

        def work() -> tuple[TakeResult, MockResult]:
            answer = take.finish()
            answers[chosen.index] = answer.transcript
            judged = answer_probes(result, walkthrough, answers)
            report = next(p for p in judged.probes if p.chosen.index == chosen.index)
            service.save_take(answer, report.to_json())
            return answer, judged

        def done(out: tuple[TakeResult, MockResult]) -> None:
            answer, judged = out
            self.take = None
            self.probe_answers[chosen.index] = answer.transcript
            self.result = judged
            self._set(MockState.PROBE_JUDGED)
            self.report_ready.emit(judged)

        run_in_background(self, work, done, self._failed, lane="store")

    def _finish(self) -> None:
        if self.session is not None and self.result is not None and self.answer is not None:
            self.context.service.save_mock(self.session, self.answer, self.result)
        self._set(MockState.DONE)
        if self.result is not None:
            self.report_ready.emit(self.result)

    # -- internals -----------------------------------------------------------------------
    def _set(self, state: MockState) -> None:
        self.state = state
        self.state_changed.emit(state)

    def _on_tick(self) -> None:
        take = self.take
        if take is None:
            return
        if self.state == MockState.STARTING and take.listening:
            self._set(MockState.RECORDING)
        if take.ended_by_itself:
            if take.problem:
                self.problem.emit(take.problem)
            self.toggle()
            return
        self.tick.emit(take.elapsed_s if take.listening else 0.0, take.level, take.live().text)

    def _failed(self, exc: BaseException) -> None:
        self.take = None
        self._set(MockState.IDLE if self.result is None else MockState.REPORT)
        self.problem.emit(str(exc) if isinstance(exc, StarCoachError) else f"Failed: {exc}")
