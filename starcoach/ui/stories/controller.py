"""The story builder's "Tell it aloud", wired: record the story, then transcribe it.

States (``AloudState``): "idle", "starting" (the microphone is being opened; the clock
starts at its first block), "recording", "transcribing" (after Stop, off the UI thread).
The Qt-free ``Dictation`` (starcoach/dictation.py) does the work through the app's recorder
and its loaded engine; opening the device and transcribing run in the task runner, and a
timer polls the level, the clock and the transcription's progress. The view lays it out.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, QTimer, Signal

from starcoach.dictation import Dictation, DictationResult
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.tasks import run_in_background

TICK_MS = 50
MODEL_NOT_READY = "The speech model is still loading — try again in a moment."


class AloudState(StrEnum):
    IDLE = "idle"
    STARTING = "starting"
    """Opening the microphone: nothing is heard until its first block arrives."""
    RECORDING = "recording"
    TRANSCRIBING = "transcribing"

    @property
    def recording(self) -> bool:
        return self in (AloudState.STARTING, AloudState.RECORDING)

    @property
    def busy(self) -> bool:
        """Leaving now would lose what is being said or transcribed."""
        return self is not AloudState.IDLE


class TellAloudController(QObject):
    state_changed = Signal(object)  # AloudState
    tick = Signal(float, float)  # seconds recorded, level (rms)
    progress = Signal(float)  # 0..1 of the recording transcribed
    transcribed = Signal(str, str)  # the text; a note on the recording ("" when none)
    problem = Signal(str)  # a message fit to show

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.state = AloudState.IDLE
        self.dictation: Dictation | None = None
        self._stop_pending = False
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)

    def busy(self) -> bool:
        return self.state.busy

    def toggle(self) -> None:
        if self.state is AloudState.IDLE:
            self.start()
        elif self.state.recording:
            self.stop()

    def start(self) -> None:
        if self.state is not AloudState.IDLE:
            return
        engine = self.context.engine
        if not engine.loaded:
            self.problem.emit(MODEL_NOT_READY)
            return
        dictation = Dictation(engine, device=self.context.settings.microphone, sd=self.context.sd)
        self.dictation = dictation
        self._stop_pending = False
        self._set(AloudState.STARTING)

        def started(_: object) -> None:
            if self.dictation is not dictation:
                return
            self._timer.start()
            if self._stop_pending:
                self.stop()

        def failed(exc: BaseException) -> None:
            if self.dictation is dictation:
                self.dictation = None
                self._set(AloudState.IDLE)
                self.problem.emit(str(exc))

        # Opening a device takes 0.3-2 s: off the UI thread, like Practice's Record.
        run_in_background(self, dictation.start, started, failed)

    def stop(self) -> None:
        """Stop and transcribe; the text arrives by ``transcribed`` (or ``problem``)."""
        dictation = self.dictation
        if dictation is None or not self.state.recording:
            return
        if not self._timer.isActive():  # still opening: stop as soon as it is open
            self._stop_pending = True
            return
        self._set(AloudState.TRANSCRIBING)
        self.progress.emit(0.0)

        def done(result: DictationResult) -> None:
            if self.dictation is dictation:
                self._finished()
                self.transcribed.emit(result.text, result.note or "")

        def failed(exc: BaseException) -> None:
            if self.dictation is dictation:
                self._finished()
                self.problem.emit(str(exc))

        run_in_background(self, dictation.finish, done, failed)

    def shutdown(self) -> None:
        """The builder is closing: stop the microphone and keep the audio (in dictations/)."""
        dictation, self.dictation = self.dictation, None
        self._timer.stop()
        if dictation is not None and self.state.recording:
            run_in_background(None, dictation.stop_recording)
        self.state = AloudState.IDLE

    def _finished(self) -> None:
        self._timer.stop()
        self.dictation = None
        self._set(AloudState.IDLE)

    def _on_tick(self) -> None:
        dictation = self.dictation
        if dictation is None:
            return
        if self.state is AloudState.TRANSCRIBING:
            self.progress.emit(dictation.progress)
            return
        if self.state is AloudState.STARTING and dictation.listening:
            self._set(AloudState.RECORDING)
        self.tick.emit(dictation.elapsed_s, dictation.level)
        if dictation.ended_by_itself:
            # Unplugged or the disk filled up: what was said so far is kept and transcribed.
            self.stop()

    def _set(self, state: AloudState) -> None:
        self.state = state
        self.state_changed.emit(state)
