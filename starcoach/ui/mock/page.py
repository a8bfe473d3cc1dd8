"""Mock interview: the whole answer in one take, the split, the report, the probes.

Keys: Space record/stop · S T A R L (or Tab, while recording) mark where a section starts · ⏎
next · Esc discard. Tab walks the controls whenever no answer is being recorded.
"""

from __future__ import annotations

import shutil
import subprocess
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from starcoach.coach.mock import MockResult, report_markdown
from starcoach.content import STEP_ORDER, Walkthrough
from starcoach.ui.common.recording_page import (
    ClockLabel,
    RecordingPage,
    bare_browser,
    clock,
    meter_row,
)
from starcoach.ui.common.widgets import ElidedLabel, LevelMeter
from starcoach.ui.mock.controller import MockController
from starcoach.ui.mock.state import MockState
from starcoach.ui.mock.timeline import LETTERS, SplitTimeline
from starcoach.ui.shell import theme
from starcoach.ui.shell.context import AppContext
from starcoach.ui.shell.model_loader import ModelLoader, ModelState

PROBE_LIMIT_S = 60.0
"""A follow-up answer is timed against a minute."""
MARK_KEYS = dict(zip(LETTERS, STEP_ORDER, strict=True))


def _compact(markdown: str) -> str:
    """The report without its title (the page shows the question) and with smaller headings."""
    lines = markdown.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join("#### " + line[3:] if line.startswith("## ") else line for line in lines)


def speech_command() -> list[str] | None:
    """The system's text-to-speech, if there is one (never required)."""
    for exe, args in (("spd-say", ["-w"]), ("espeak-ng", []), ("espeak", []), ("say", [])):
        path = shutil.which(exe)
        if path:
            return [path, *args]
    return None


class MockPage(RecordingPage):
    def __init__(self, context: AppContext, loader: ModelLoader) -> None:
        super().__init__()
        self.context = context
        self.loader = loader
        self.controller = MockController(context, self)
        self.walkthrough: Walkthrough | None = None
        self._speaker: subprocess.Popen[bytes] | None = None
        self._build()
        c = self.controller
        c.state_changed.connect(self._state_changed)
        c.tick.connect(self._tick)
        c.report_ready.connect(self._show_report)
        c.problem.connect(self.show_problem)
        loader.changed.connect(lambda *_: self._state_changed(c.state))
        keys = {
            "Space": self.press_or(c.toggle),
            "Return": self.press_or(c.next),
            "Enter": self.press_or(c.next),
            "Escape": c.discard,
            "Tab": c.mark_next,
        }
        for letter, step in MARK_KEYS.items():
            keys[letter] = lambda s=step: c.mark(s)
        self._shortcuts = self.bind_keys(keys)
        # Tab marks a section only while the answer is recorded; otherwise it moves the focus.
        self._shortcuts["Tab"].setEnabled(False)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 18)
        outer.setSpacing(14)
        self.title = ElidedLabel("Mock interview")
        self.title.setObjectName("PageTitle")
        outer.addWidget(self.title)
        outer.addWidget(self.make_problem_label())
        body = QHBoxLayout()
        body.setSpacing(18)
        outer.addLayout(body, 1)

        left = QFrame()
        left.setObjectName("Card")
        left.setMinimumWidth(300)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(22, 20, 22, 20)
        lv.setSpacing(10)
        self.kicker = QLabel("THE INTERVIEWER ASKS")
        self.kicker.setObjectName("SectionLabel")
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.read_aloud = QPushButton("Read the question aloud")
        self.read_aloud.clicked.connect(self._speak)
        self.read_aloud.setVisible(speech_command() is not None)
        self.limit = QLabel()
        self.limit.setObjectName("Muted")
        self.limit.setWordWrap(True)
        lv.addWidget(self.kicker)
        # The question scrolls on its own on a short screen; the clock and buttons stay.
        ask = QWidget()
        av = QVBoxLayout(ask)
        av.setContentsMargins(0, 0, 8, 0)
        av.addWidget(self.prompt)
        av.addWidget(self.read_aloud, 0, Qt.AlignmentFlag.AlignLeft)
        av.addWidget(self.limit)
        av.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("Coaching")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(ask)
        lv.addWidget(scroll, 1)
        self.clock = ClockLabel("0:00")
        lv.addWidget(self.clock)
        self.meter = LevelMeter()
        lv.addLayout(meter_row(self.meter))
        self.marks = QLabel()
        self.marks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.marks.setWordWrap(True)
        lv.addWidget(self.marks)
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        lv.addWidget(self.status)
        self.record = QPushButton()
        self.record.setObjectName("Record")
        self.record.setAccessibleDescription("Start or stop recording (Space)")
        self.record.clicked.connect(self.controller.toggle)
        lv.addWidget(self.record)
        self.next_button = QPushButton()
        self.next_button.setObjectName("Primary")
        self.next_button.setAccessibleDescription("Enter")
        self.next_button.clicked.connect(self.controller.next)
        lv.addWidget(self.next_button)
        keys = QLabel(
            "Space record / stop · S T A R L or Tab mark a section while recording · ⏎ next"
            " · Esc discard"
        )
        keys.setObjectName("Muted")
        keys.setWordWrap(True)
        keys.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lv.addWidget(keys)
        body.addWidget(left, 2)

        right = QFrame()
        right.setObjectName("Card")
        rv = QVBoxLayout(right)
        rv.setContentsMargins(20, 18, 20, 18)
        self.right_title = QLabel("Live transcript")
        self.right_title.setObjectName("SectionLabel")
        rv.addWidget(self.right_title)
        self.judgement = QLabel()
        self.judgement.setWordWrap(True)
        self.judgement.setTextFormat(Qt.TextFormat.RichText)
        self.judgement.setObjectName("Judgement")
        self.judgement.hide()
        rv.addWidget(self.judgement)
        self.timeline = SplitTimeline()
        self.timeline.changed.connect(self.controller.resplit)
        self.timeline_hint = QLabel("Proposed split — drag a boundary to correct it.")
        self.timeline_hint.setObjectName("Muted")
        rv.addWidget(self.timeline)
        rv.addWidget(self.timeline_hint)
        self.stack = QStackedWidget()
        self.live = bare_browser()
        self.live.setAccessibleName("Live transcript")
        self.report = bare_browser()
        self.report.setAccessibleName("The bar raiser's report")
        for w in (self.live, self.report):
            self.stack.addWidget(w)
        rv.addWidget(self.stack, 1)
        body.addWidget(right, 3)

    def shutdown(self) -> None:
        super().shutdown()
        if self._speaker is not None and self._speaker.poll() is None:
            self._speaker.terminate()

    # -- view ----------------------------------------------------------------------------
    def _limit_text(self) -> tuple[str, float | None, float | None]:
        w = self.walkthrough
        level = self.context.settings.level
        guidance = w.level(level) if w is not None else None
        lo = guidance.time_s_min if guidance is not None else None
        hi = guidance.time_s_max if guidance is not None else None
        if hi is None:
            lo, hi = (150.0, 180.0) if level == "senior" else (None, 120.0)
        label = "Senior" if level == "senior" else "SDE1 / SDE2"
        span = f"{clock(lo)}–{clock(hi)}" if lo else clock(hi)
        return f"{label}: the whole answer in {span}.", lo, hi

    def _state_changed(self, state: MockState) -> None:
        w = self.walkthrough
        c = self.controller
        if w is None:
            return
        text, _, hi = self._limit_text()
        ready = self.loader.state == ModelState.READY
        probe = c.current_probe
        in_probe = state.in_probe
        self.kicker.setText("FOLLOW-UP QUESTION" if in_probe else "THE INTERVIEWER ASKS")
        if in_probe and probe is not None:
            number = c.probe_number + 1
            total = len(c.result.probes) if c.result else 1
            self.prompt.setText(f"{probe.question}  ({number} of {total})")
            self.limit.setText(f"Asked because: {probe.reason}")
        else:
            self.prompt.setText(w.title)
            self.title.set_full_text(f"Mock interview · {w.title}")
            self.limit.setText(text)
        recording = state.recording
        self._shortcuts["Tab"].setEnabled(state in (MockState.STARTING, MockState.RECORDING))
        self.record.setText("■  Stop  (Space)" if recording else "●  Record  (Space)")
        what = "your follow-up answer" if in_probe else "your answer"
        self.record.setAccessibleName(f"Stop recording {what}" if recording else f"Record {what}")
        self.record.setEnabled(ready and (recording or state in (MockState.IDLE, MockState.PROBE)))
        nexts = {
            MockState.REPORT: "Follow-up questions  ⏎"
            if c.result and c.result.probes
            else "Finish  ⏎",
            MockState.PROBE_JUDGED: "Next  ⏎"
            if c.result and c.probe_number + 1 < len(c.result.probes)
            else "See the report  ⏎",
        }
        self.next_button.setText(nexts.get(state, "Next  ⏎"))
        self.next_button.setEnabled(state in nexts)
        self.marks.setText(self._marks_html())
        # The follow-up is a new question: the main answer's section marks do not apply.
        self.marks.setVisible(not in_probe)
        if state != MockState.PROBE_JUDGED:
            self.judgement.hide()
        status = {
            MockState.IDLE: "Press Space and answer the whole question in one go."
            if ready
            else self.loader.detail,
            MockState.STARTING: "Waiting for the microphone…",
            MockState.RECORDING: "Recording — press S T A R L (or Tab) as you start each section.",
            MockState.FINISHING: "Transcribing the last words and splitting your answer…",
            MockState.REPORT: "Check the split, then the follow-up questions (⏎).",
            MockState.PROBE: "Press Space and answer the follow-up.",
            MockState.PROBE_RECORDING: "Recording your answer to the follow-up…",
            MockState.PROBE_FINISHING: "Judging your answer…",
            MockState.PROBE_JUDGED: "⏎ to go on.",
            MockState.DONE: "Saved in Review (Ctrl+4). Press Space to start a new mock.",
        }[state]
        self.status.setText(status)
        show_split = state in (MockState.REPORT, MockState.DONE) and c.result
        self.timeline.setVisible(bool(show_split))
        self.timeline_hint.setVisible(state == MockState.REPORT)
        self.timeline.setEnabled(state == MockState.REPORT)
        if state in (
            MockState.IDLE,
            MockState.STARTING,
            MockState.PROBE,
            MockState.PROBE_RECORDING,
        ):
            self.clock.setText(f"0:00 / {clock(PROBE_LIMIT_S if in_probe else (hi or 0))}")
            self.color_clock(0.0, 1.0, None)
            self.meter.set_level(0.0)
            self.right_title.setText("Live transcript")
            self.live.setHtml(
                f"<p style='color:{theme.current().muted}; font-size:12pt'>"
                "Your words appear here as you speak.</p>"
            )
            self.stack.setCurrentWidget(self.live)
            if state in (MockState.IDLE, MockState.PROBE):
                self.hide_problem()
        if state == MockState.DONE:
            self.controller.state = MockState.IDLE  # Space starts a new mock; the report stays

    def _marks_html(self) -> str:
        t = theme.current()
        parts = []
        for letter, step in MARK_KEYS.items():
            at = self.controller.marks.get(step)
            color = t.accent if at is not None else t.muted
            when = f" {clock(at)}" if at is not None else ""
            parts.append(f"<span style='color:{color}; font-weight:700'>{letter}{when}</span>")
        return " &nbsp; ".join(parts)

    def _tick(self, elapsed: float, level: float, live: str) -> None:
        _, _, hi = self._limit_text()
        in_probe = self.controller.state.in_probe
        limit = PROBE_LIMIT_S if in_probe else (hi or 120.0)
        self.clock.setText(f"{clock(elapsed)} / {clock(limit)}")
        self.color_clock(elapsed, limit, limit * 1.15)
        self.meter.set_level(level)
        self.marks.setText(self._marks_html())
        self.show_live(self.live, live)

    def _show_report(self, result: MockResult) -> None:
        self.right_title.setText("The bar raiser's report")
        starts = {s.step: s.start_s for s in result.sections}
        self.timeline.set_split(starts, max(result.total_s, 0.1))
        state = self.controller.state
        self.timeline.setVisible(state != MockState.PROBE_JUDGED)
        self.report.setMarkdown(_compact(report_markdown(result)))
        self.report.verticalScrollBar().setValue(0)
        self.stack.setCurrentWidget(self.report)
        if state == MockState.PROBE_JUDGED:
            self._show_judgement(result)
        else:
            self.clock.setText(f"{clock(result.total_s)}")

    def _show_judgement(self, result: MockResult) -> None:
        """The follow-up just answered, judged, at the top (the full report is below)."""
        c = self.controller
        if c.probe_number >= len(result.probes):
            return
        judgement = result.probes[c.probe_number].judgement
        if judgement is None:
            return
        t = theme.current()
        color = {"strong": t.ok, "weak": t.alarm}.get(judgement.verdict, t.warn)
        reasons = "".join(f"<li>{escape(r)}</li>" for r in judgement.reasons)
        self.judgement.setText(
            f"<p style='margin:0'><b>Your follow-up answer: "
            f"<span style='color:{color}'>{escape(judgement.verdict)}</span></b></p>"
            f"<ul style='margin-top:4px'>{reasons}</ul>"
        )
        self.judgement.show()
        self.right_title.setText("The follow-up, judged — the full report below")

    def _speak(self) -> None:
        command = speech_command()
        text = self.prompt.text()
        if command is None or not text:
            return
        if self._speaker is not None and self._speaker.poll() is None:
            self._speaker.terminate()
        self._speaker = subprocess.Popen(
            [*command, text], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
