"""Guided practice: one STAR step at a time, against the clock, with feedback on Stop.

Keys: Space record/stop · Enter or → next step · ← previous step · R retry · Esc stop without
saving. Tab walks every control; Space or Enter presses the focused button.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from starcoach.coach.feedback import AnswerVerdict
from starcoach.coach.rules import title as mistake_title
from starcoach.content import STEP_ORDER, Walkthrough
from starcoach.practice import StepOutcome
from starcoach.report.feedback_html import feedback_html, score_color
from starcoach.ui.common.recording_page import (
    ClockLabel,
    RecordingPage,
    bare_browser,
    clock,
    meter_row,
)
from starcoach.ui.common.widgets import ElidedLabel, LevelMeter, StepPills
from starcoach.ui.practice.controller import PracticeController
from starcoach.ui.practice.state import PracticeState
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.model_loader import ModelLoader, ModelState


def _card() -> QFrame:
    card = QFrame()
    card.setObjectName("Card")
    return card


class PracticePage(RecordingPage):
    def __init__(self, context: AppContext, loader: ModelLoader) -> None:
        super().__init__()
        self.context = context
        self.loader = loader
        self.controller = PracticeController(context, self)
        self.walkthrough: Walkthrough | None = None
        self._build()
        c = self.controller
        c.state_changed.connect(self._state_changed)
        c.tick.connect(self._tick)
        c.feedback_ready.connect(self._show_feedback)
        c.verdict_ready.connect(self._show_verdict)
        c.problem.connect(self.show_problem)
        # Whenever the microphone is open, the window says so; after Stop, what is left.
        c.microphone_changed.connect(lambda _on: self._state_changed(c.state))
        c.finishing_progress.connect(self.status.setText)
        loader.changed.connect(lambda *_: self._state_changed(c.state))
        self.bind_keys(
            {
                "Space": self.press_or(c.toggle),
                "Return": self.press_or(c.next_step),
                "Enter": self.press_or(c.next_step),
                "Right": lambda: self.step_by(1),
                "Left": lambda: self.step_by(-1),
                "R": c.retry,
                "Escape": c.discard,
            }
        )
        self.pills.step_requested.connect(c.go_to_step)

    def step_by(self, delta: int) -> None:
        """← / →: the previous or next step, with its feedback if it has some (→ after the
        last step's feedback: the verdict)."""
        c = self.controller
        if c.busy() or c.state == PracticeState.VERDICT:
            return
        index = STEP_ORDER.index(c.step) + delta
        if index == len(STEP_ORDER) and c.state == PracticeState.FEEDBACK:
            c.next_step()  # past the last step: the verdict
            return
        if 0 <= index < len(STEP_ORDER):
            c.go_to_step(STEP_ORDER[index])

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 18)
        outer.setSpacing(14)
        self.title = ElidedLabel()
        self.title.setObjectName("PageTitle")
        outer.addWidget(self.title)
        self.pills = StepPills(STEP_ORDER)
        outer.addWidget(self.pills)

        outer.addWidget(self.make_problem_label())

        body = QHBoxLayout()
        body.setSpacing(18)
        outer.addLayout(body, 1)

        # Left: the step, its coaching, the clock and the record button.
        left = _card()
        left.setMinimumWidth(300)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(22, 20, 22, 20)
        lv.setSpacing(10)
        self.step_name = QLabel()
        self.step_name.setObjectName("StepName")
        self.target = QLabel()
        self.target.setObjectName("Muted")
        self.coaching = QLabel()
        self.coaching.setWordWrap(True)
        self.mistake_hint = QLabel()
        self.mistake_hint.setWordWrap(True)
        self.mistake_hint.setObjectName("Muted")
        lv.addWidget(self.step_name)
        lv.addWidget(self.target)
        lv.addSpacing(4)
        # The coaching scrolls on its own when the screen is short; the clock and the
        # buttons below it stay in view.
        notes = QWidget()
        nv = QVBoxLayout(notes)
        nv.setContentsMargins(0, 0, 8, 0)
        nv.addWidget(self.coaching)
        nv.addWidget(self.mistake_hint)
        nv.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("Coaching")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its text is read, not operated
        scroll.setWidget(notes)
        lv.addWidget(scroll, 1)
        self.clock = ClockLabel("0:00")
        lv.addWidget(self.clock)
        self.meter = LevelMeter()
        lv.addLayout(meter_row(self.meter))
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        lv.addWidget(self.status)
        self.record = QPushButton()
        self.record.setObjectName("Record")
        self.record.setAccessibleDescription("Start or stop recording this step (Space)")
        self.record.clicked.connect(self.controller.toggle)
        self.retry_button = QPushButton("Retry  R")
        self.retry_button.setAccessibleName("Retry this step")
        self.retry_button.setAccessibleDescription("R")
        self.retry_button.clicked.connect(self.controller.retry)
        self.next_button = QPushButton("Next step  ⏎")
        self.next_button.setObjectName("Primary")
        self.next_button.setAccessibleDescription("Enter or the right arrow")
        self.next_button.clicked.connect(self.controller.next_step)
        lv.addWidget(self.record)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button, 1)
        buttons.addWidget(self.next_button, 1)
        lv.addLayout(buttons)
        self.keys = QLabel("Space record / stop · ⏎ or → next · ← back · R retry · Esc discard")
        self.keys.setObjectName("Muted")
        self.keys.setWordWrap(True)
        self.keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lv.addWidget(self.keys)
        body.addWidget(left, 2)

        # Right: live transcript while recording; feedback after Stop; the verdict at the end.
        right = _card()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(20, 18, 20, 18)
        header = QHBoxLayout()
        self.right_title = QLabel("Live transcript")
        self.right_title.setObjectName("SectionLabel")
        header.addWidget(self.right_title)
        header.addStretch(1)
        self.score = QLabel()
        self.score.setObjectName("Score")
        header.addWidget(self.score)
        rv.addLayout(header)
        self.right_stack = QStackedWidget()
        self.live = bare_browser()
        self.live.setAccessibleName("Live transcript")
        self.feedback = bare_browser()
        self.feedback.setAccessibleName("Feedback")
        self.feedback.setOpenLinks(False)
        self.feedback.setOpenExternalLinks(False)
        self.feedback.highlighted.connect(self._hover_link)
        self.feedback.anchorClicked.connect(self._click_link)
        self.verdict = bare_browser()
        self.verdict.setAccessibleName("Verdict")
        for w in (self.live, self.feedback, self.verdict):
            self.right_stack.addWidget(w)
        rv.addWidget(self.right_stack, 1)
        body.addWidget(right, 3)

    def walkthrough_changed(self, walkthrough: Walkthrough) -> None:
        self.title.set_full_text(walkthrough.title)

    # -- state -> view -------------------------------------------------------------------
    def _state_changed(self, state: PracticeState) -> None:
        w = self.walkthrough
        c = self.controller
        if w is None:
            return
        step = w.step(c.step)
        self.pills.set_state(c.step, {s: o.feedback.score for s, o in c.outcomes.items()})
        self.step_name.setText(step.name.capitalize())
        limit = f" · max {clock(step.max_s)}" if step.max_s else ""
        self.target.setText(f"Target {clock(step.target_s)}{limit}")
        self.coaching.setText(step.coaching or "")
        self.mistake_hint.setText(f"⚠ Avoid: {step.common_mistake}" if step.common_mistake else "")
        ready = self.loader.state == ModelState.READY
        recording = state.recording
        self.record.setText("■  Stop  (Space)" if recording else "●  Record  (Space)")
        self.record.setAccessibleName(
            f"Stop recording {step.name}" if recording else f"Record {step.name}"
        )
        self.record.setEnabled(ready and (state.ready or state.recording))
        self.retry_button.setEnabled(state in (PracticeState.FEEDBACK, PracticeState.VERDICT))
        self.retry_button.setText("Again  R" if state == PracticeState.VERDICT else "Retry  R")
        if state in (PracticeState.FINISHING, PracticeState.FEEDBACK, PracticeState.VERDICT):
            self.meter.set_level(0.0)
        self.next_button.setEnabled(state == PracticeState.FEEDBACK)
        self.next_button.setText("See verdict  ⏎" if c.step == STEP_ORDER[-1] else "Next step  ⏎")
        status = {
            PracticeState.IDLE: "Press Space and answer aloud." if ready else self.loader.detail,
            PracticeState.STARTING: "Waiting for the microphone…",
            PracticeState.RECORDING: "Recording — speak now.",
            PracticeState.FINISHING: "Transcribing the last words…",
            PracticeState.FEEDBACK: self._latency_text(),
            PracticeState.VERDICT: "All five steps done.",
        }[state]
        if not ready and self.loader.state == ModelState.FAILED:
            status = self.loader.detail
        if c.microphone is not None and state.ready:
            status = f"🎙 Microphone on · {status}"
        self.status.setText(status)
        if state in (PracticeState.IDLE, PracticeState.STARTING):
            self.clock.setText(f"0:00 / {clock(step.target_s)}")
            self.color_clock(0.0, 1.0, None)
            self.meter.set_level(0.0)
            self.live.clear()
            self.right_title.setText("Live transcript")
            self.score.clear()
            self.right_stack.setCurrentWidget(self.live)
            if state == PracticeState.IDLE:
                self.live.setHtml(self._idle_html())
                self.hide_problem()
        if state == PracticeState.FEEDBACK and c.last_outcome is not None:
            self._show_feedback(c.last_outcome)

    def _latency_text(self) -> str:
        latency = self.controller.feedback_latency_s
        if latency is None:
            return "Retry (R) or go on (⏎)."
        return f"Feedback in {latency:.1f} s after Stop · Retry (R) or go on (⏎)."

    def _tick(self, elapsed: float, level: float, live: str) -> None:
        w = self.walkthrough
        if w is None:
            return
        step = w.step(self.controller.step)
        self.clock.setText(f"{clock(elapsed)} / {clock(step.target_s)}")
        self.color_clock(elapsed, step.target_s, step.max_s)
        self.meter.set_level(level)
        self.show_live(self.live, live)

    def _show_feedback(self, outcome: StepOutcome) -> None:
        t = theme.current()
        fb = outcome.feedback
        self.right_title.setText(f"Feedback · {fb.step.capitalize()}")
        self.score.setText(f"{fb.score}")
        self.score.setStyleSheet(f"color: {score_color(fb.score, t)};")
        self.score.setToolTip("Score out of 100:\n" + "\n".join(fb.reasons))
        self.feedback.setHtml(feedback_html(fb, t))
        self.right_stack.setCurrentWidget(self.feedback)
        self.clock.setText(f"{clock(fb.duration_s)} / {clock(fb.target_s)}")

    def _show_verdict(self, verdict: AnswerVerdict) -> None:
        t = theme.current()
        self.right_title.setText("The bar raiser's verdict")
        self.score.setText(f"{verdict.score}")
        self.score.setStyleSheet(f"color: {score_color(verdict.score, t)};")
        rows = "".join(
            f"<tr><td style='padding:4px 14px 4px 0'>{escape(s.step.capitalize())}</td>"
            f"<td style='color:{score_color(s.score, t)}; font-weight:700'>{s.score}</td>"
            f"<td style='padding-left:14px; color:{t.muted}'>"
            f"{escape(', '.join(mistake_title(m.id) for m in s.mistakes) or 'no mistakes')}"
            "</td></tr>"
            for s in verdict.steps
        )
        reasons = "".join(f"<li>{escape(r)}</li>" for r in verdict.reasons)
        self.verdict.setHtml(
            f"<h2 style='color:{score_color(verdict.score, t)}'>{escape(verdict.verdict)}</h2>"
            f"<table>{rows}</table><h4>Why</h4><ul>{reasons}</ul>"
            f"<p style='color:{t.muted}'>Saved in Review (Ctrl+4). Press R to practise again.</p>"
        )
        self.right_stack.setCurrentWidget(self.verdict)
        self.retry_button.setEnabled(True)
        self.retry_button.setText("Again  R")

    def _idle_html(self) -> str:
        t = theme.current()
        w = self.walkthrough
        if w is None:
            return ""
        step = w.step(self.controller.step)
        phrases = " · ".join(f"“{escape(p)}”" for p in step.key_phrases)
        listen = (
            f"<p style='color:{t.muted}'>A bar raiser listens for: {phrases}</p>" if phrases else ""
        )
        return (
            f"<p style='color:{t.muted}; font-size:12pt'>Your words appear here as you speak."
            f"</p>{listen}"
        )

    def _hover_link(self, url: QUrl) -> None:
        text = url.toString()
        outcome = self.controller.last_outcome
        if not text.startswith("m:") or outcome is None:
            QToolTip.hideText()
            return
        mistake = outcome.feedback.mistakes[int(text[2:])]
        QToolTip.showText(QCursor.pos() + QPoint(12, 12), f"{mistake.id}\n{mistake.message}")

    def _click_link(self, url: QUrl) -> None:
        self._hover_link(url)
