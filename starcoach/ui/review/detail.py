"""One session: its steps and takes, a take's transcript with playback, its feedback beside it.

Layout only: it shows what it is given and says what the user asked for (signals).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from starcoach.clock import moment
from starcoach.coach.scoring import PACE_BAND
from starcoach.report.review import TakeView
from starcoach.ui.common.widgets import ChoiceButtons, ElidedLabel
from starcoach.ui.review.transcript import TranscriptView
from starcoach.ui.review.widgets import (
    TIME_LINK,
    ScoreBadge,
    card,
    clear,
    mistake_block,
    phrase_lines,
    rich,
    score_html,
    scrolling_card,
    section,
    transport_icon,
)
from starcoach.ui.shell import theme

PLAY_TEXT = "Play"
PAUSE_TEXT = "Pause"


class SessionDetail(QWidget):
    step_selected = Signal(str)
    take_selected = Signal(int)
    word_clicked = Signal(int)
    play_clicked = Signal()
    seek_requested = Signal(float)
    export_requested = Signal(str)
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._steps: list[str] = []
        self._duration_s = 0.0
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(10)
        root.addLayout(self._header())
        root.addLayout(self._step_bar())
        body = QHBoxLayout()
        body.setSpacing(12)
        body.addLayout(self._transcript_column(), 3)
        body.addWidget(self._feedback_column(), 2)
        root.addLayout(body, 1)

    # -- layout --------------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        h = QHBoxLayout()
        h.setSpacing(12)
        self.badge = ScoreBadge()
        h.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.when_label = ElidedLabel()
        font = QFont(self.when_label.font())
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setWeight(QFont.Weight.Bold)
        self.when_label.setFont(font)
        self.summary_label = ElidedLabel()
        self.summary_label.setObjectName("Muted")
        titles.addWidget(self.when_label)
        titles.addWidget(self.summary_label)
        h.addLayout(titles, 1)
        self.export_button = QPushButton("Export")
        menu = QMenu(self.export_button)
        menu.addAction("Markdown (.md)…", lambda: self.export_requested.emit("md"))
        menu.addAction("Web page (.html)…", lambda: self.export_requested.emit("html"))
        self.export_button.setMenu(menu)
        self.export_button.setToolTip("Save this session as a report")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete this session and its recordings")
        self.delete_button.clicked.connect(self.delete_requested.emit)
        h.addWidget(self.export_button)
        h.addWidget(self.delete_button)
        return h

    def _step_bar(self) -> QHBoxLayout:
        h = QHBoxLayout()
        h.setSpacing(8)
        self.step_tabs = QTabBar()
        self.step_tabs.setDrawBase(False)
        self.step_tabs.setExpanding(False)
        # Whole labels ("Situation  80"), with scroll arrows when they do not fit.
        self.step_tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.step_tabs.setUsesScrollButtons(True)
        self.step_tabs.setAccessibleName("Steps of this session")
        self.step_tabs.currentChanged.connect(self._step_changed)
        h.addWidget(self.step_tabs, 1, Qt.AlignmentFlag.AlignBottom)
        self.takes_box = QWidget()
        self.takes_layout = QHBoxLayout(self.takes_box)
        self.takes_layout.setContentsMargins(0, 0, 0, 0)
        self.takes_layout.setSpacing(4)
        self.take_group = ChoiceButtons(self)
        self.take_buttons: dict[int, QPushButton] = {}
        h.addWidget(self.takes_box, 0, Qt.AlignmentFlag.AlignBottom)
        return h

    def _transcript_column(self) -> QVBoxLayout:
        v = QVBoxLayout()
        v.setSpacing(8)
        self.transcript = TranscriptView()
        self.transcript.word_clicked.connect(self.word_clicked.emit)
        self.transcript.setMinimumHeight(150)
        v.addWidget(self.transcript, 1)

        bar = QHBoxLayout()
        bar.setContentsMargins(10, 6, 12, 6)
        bar.setSpacing(10)
        self.play_button = QPushButton(PLAY_TEXT)
        self.play_button.setObjectName("Primary")
        self.play_button.setToolTip("Play or pause the recording (Space)")
        self.play_button.setFixedWidth(104)
        self.play_button.setIcon(transport_icon("play"))
        self._playing_shown = False
        self.play_button.clicked.connect(self.play_clicked.emit)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.sliderReleased.connect(
            lambda: self.seek_requested.emit(self.slider.value() / 1000)
        )
        self.slider.sliderMoved.connect(lambda v: self._show_time(v / 1000))
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("Muted")
        self.time_label.setMinimumWidth(84)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.play_button)
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.time_label)
        self.player_card = card(bar)
        v.addWidget(self.player_card)
        self.audio_note = QLabel()
        self.audio_note.setWordWrap(True)
        self.audio_note.hide()
        v.addWidget(self.audio_note)

        self.mistakes_title = section("Mistakes")
        v.addWidget(self.mistakes_title)
        holder = QWidget()
        self.mistakes_layout = QVBoxLayout(holder)
        self.mistakes_layout.setContentsMargins(0, 0, 6, 0)
        self.mistakes_layout.setSpacing(8)
        self.mistakes_scroll = QScrollArea()
        self.mistakes_scroll.setWidgetResizable(True)
        self.mistakes_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.mistakes_scroll.setWidget(holder)
        self.mistakes_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        v.addWidget(self.mistakes_scroll, 1)
        t = theme.current()
        self.no_mistakes = rich(
            f'<span style="color:{t.ok};">✓</span>&nbsp; No mistakes caught in this take.'
        )
        v.addWidget(self.no_mistakes)
        return v

    def _feedback_column(self) -> QFrame:
        inner = QWidget()
        v = QVBoxLayout(inner)
        v.setContentsMargins(16, 14, 16, 14)
        v.setSpacing(6)
        v.addWidget(section("Step score"))
        self.score_label = rich()
        v.addWidget(self.score_label)
        v.addSpacing(8)
        v.addWidget(section("Delivery"))
        self.metrics_grid = QGridLayout()
        self.metrics_grid.setHorizontalSpacing(12)
        self.metrics_grid.setVerticalSpacing(5)
        self.metrics_grid.setColumnStretch(1, 1)
        v.addLayout(self.metrics_grid)
        v.addSpacing(8)
        self.phrases_title = section("Key phrases")
        self.phrases_title.setWordWrap(True)  # "KEY PHRASES · 4 OF 4 HEARD" in a narrow column
        v.addWidget(self.phrases_title)
        self.phrases_label = rich(on_link=self._link)
        v.addWidget(self.phrases_label)
        v.addStretch(1)
        frame, scroll = scrolling_card(inner)
        frame.setMinimumWidth(224)
        frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.feedback_scroll = scroll
        return frame

    # -- what it shows -------------------------------------------------------------------------

    def set_header(self, when: str, summary: str, score: float | None, verdict: str) -> None:
        self.when_label.set_full_text(when)
        self.summary_label.set_full_text(summary + (f"  ·  {verdict}" if verdict else ""))
        self.badge.set_score(score)

    def set_steps(self, steps: list[tuple[str, str]], current: str | None) -> None:
        self.step_tabs.blockSignals(True)
        while self.step_tabs.count():
            self.step_tabs.removeTab(0)
        self._steps = [s for s, _ in steps]
        for _, label in steps:
            self.step_tabs.addTab(label)
        if current in self._steps:
            self.step_tabs.setCurrentIndex(self._steps.index(current))
        self.step_tabs.blockSignals(False)

    @property
    def current_step(self) -> str | None:
        i = self.step_tabs.currentIndex()
        return self._steps[i] if 0 <= i < len(self._steps) else None

    def show_step_quietly(self, step: str) -> None:
        """Show ``step``'s tab as current without asking for it (playback moved there)."""
        if step in self._steps:
            self.step_tabs.blockSignals(True)
            self.step_tabs.setCurrentIndex(self._steps.index(step))
            self.step_tabs.blockSignals(False)

    def select_step(self, step: str) -> None:
        if step in self._steps:
            self.step_tabs.setCurrentIndex(self._steps.index(step))

    def set_takes(self, takes: list[tuple[int, str]], current: int | None) -> None:
        for button in self.take_buttons.values():
            self.take_group.removeButton(button)
        clear(self.takes_layout)
        self.take_buttons = {}
        if len(takes) > 1:
            for attempt_id, label in takes:
                button = QPushButton(label)
                button.setObjectName("Segment")
                button.setCheckable(True)
                button.setChecked(attempt_id == current)
                button.clicked.connect(lambda _=False, a=attempt_id: self.take_selected.emit(a))
                self.take_group.addButton(button)
                self.takes_layout.addWidget(button)
                self.take_buttons[attempt_id] = button
        self.takes_box.setVisible(len(takes) > 1)

    def show_take(self, take: TakeView | None) -> None:
        if take is None:
            self.transcript.set_words([], "No take of this step was finished.")
            self.score_label.setText(score_html(None))
            clear(self.metrics_grid)
            self.phrases_label.setText("")
            clear(self.mistakes_layout)
            self.mistakes_scroll.hide()
            self.no_mistakes.hide()
            return
        placeholder = "Nothing was heard in this take."
        self.transcript.set_words(take.words, placeholder)
        if take.verdict is not None:
            self.score_label.setText(_verdict_html(take.verdict, take.reasons))
        elif take.whole_answer:
            self.score_label.setText(
                _muted(
                    "The whole answer: each section's tab has its score. The phrases and"
                    " mistakes of every section are marked here."
                )
            )
        else:
            self.score_label.setText(score_html(take.score))
        self._fill_metrics(take)
        hit = len(take.hit)
        if take.phrases:
            self.phrases_title.setText(f"KEY PHRASES  ·  {hit} OF {len(take.phrases)} HEARD")
        else:
            self.phrases_title.setText("KEY PHRASES")
        self.phrases_label.setText(
            phrase_lines(take.phrases, links=take.timed) or _muted("No key phrases for this step.")
        )
        clear(self.mistakes_layout)
        # No mistakes: one line, and the transcript takes the room; some: they scroll.
        self.mistakes_scroll.setVisible(bool(take.mistakes))
        self.no_mistakes.setVisible(not take.mistakes)
        t = theme.current()
        self.no_mistakes.setText(
            f'<span style="color:{t.ok};">✓</span>&nbsp; No mistakes caught in this take.'
        )
        self.mistakes_title.setText(
            f"MISTAKES  ·  {len(take.mistakes)}" if take.mistakes else "MISTAKES"
        )
        for mistake in take.mistakes:
            self.mistakes_layout.addWidget(
                rich(mistake_block(mistake, links=take.timed), self._link)
            )
        self.mistakes_layout.addStretch(1)

    def _fill_metrics(self, take: TakeView) -> None:
        clear(self.metrics_grid)
        t = theme.current()
        m = take.metrics
        rows: list[tuple[str, str]] = []
        if take.duration_s is not None:
            color = t.text
            limit = take.max_s if take.max_s is not None else (take.target_s or 0) * 1.5
            if take.target_s and take.duration_s > limit:
                color = t.alarm
            elif take.target_s and take.duration_s > take.target_s:
                color = t.warn
            said = f'<span style="color:{color}; font-weight:600;">{moment(take.duration_s)}</span>'
            target = ""
            if take.target_s:
                target = f" of {moment(take.target_s)}"
                if take.max_s:
                    target += f" (max {moment(take.max_s)})"
            rows.append(("Time", said + _muted(target)))
        wpm = m.words_per_minute
        if take.timed and wpm:
            low, high = PACE_BAND
            color = t.text if low <= wpm <= high else t.warn
            note = "" if low <= wpm <= high else (" fast" if wpm > high else " slow")
            rows.append(
                ("Pace", f'<span style="color:{color};">{wpm:.0f}</span>{_muted(" wpm" + note)}')
            )
        i_count, we_count = m.i_count, m.we_count
        we_color = t.warn if we_count > i_count else t.text
        rows.append(
            (
                "I vs we",
                f"{i_count} {_muted('I')} · "
                f'<span style="color:{we_color};">{we_count}</span> {_muted("we")}',
            )
        )
        fillers = m.fillers
        filler_text = str(m.filler_count)
        if fillers:
            shown = ", ".join(html.escape(str(f)) for f in fillers[:4])
            filler_text += _muted(f" ({shown}{'…' if len(fillers) > 4 else ''})")
        rows.append(("Fillers", filler_text))
        if take.timed:
            rows.append(("Long pauses", str(m.long_pause_count or 0)))
        for r, (name, value) in enumerate(rows):
            key = QLabel(name)
            key.setObjectName("Muted")
            self.metrics_grid.addWidget(key, r, 0, Qt.AlignmentFlag.AlignTop)
            self.metrics_grid.addWidget(rich(value), r, 1)

    # -- the player bar ------------------------------------------------------------------------

    def set_duration(self, seconds: float) -> None:
        self._duration_s = seconds
        self.slider.setRange(0, int(seconds * 1000))
        self._show_time(self.slider.value() / 1000)

    def set_position(self, seconds: float, playing: bool) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(int(seconds * 1000))
            self._show_time(seconds)
        if self._playing_shown != playing:
            self._playing_shown = playing
            self.play_button.setText(PAUSE_TEXT if playing else PLAY_TEXT)
            self.play_button.setIcon(transport_icon("pause" if playing else "play"))

    def show_loading(self) -> None:
        self.time_label.setText("Loading…")

    def set_playable(self, playable: bool) -> None:
        self.play_button.setEnabled(playable)
        self.slider.setEnabled(playable)

    def set_audio_note(self, text: str, kind: str = "warn") -> None:
        """A line under the player (no output device, recording missing); "" hides it."""
        self.audio_note.setStyleSheet(f"color: {theme.notice_color(kind)};")
        self.audio_note.setText(text)
        self.audio_note.setVisible(bool(text))

    def _show_time(self, seconds: float) -> None:
        self.time_label.setText(f"{moment(seconds)} / {moment(self._duration_s)}")

    def _link(self, href: str) -> None:
        if href.startswith(TIME_LINK):
            self.seek_requested.emit(float(href[len(TIME_LINK) :]))

    def _step_changed(self, index: int) -> None:
        if 0 <= index < len(self._steps):
            self.step_selected.emit(self._steps[index])


def _verdict_html(verdict: str, reasons: tuple[str, ...]) -> str:
    """A follow-up's judgement: the verdict in its colour, then why."""
    t = theme.current()
    color = {"strong": t.ok, "weak": t.alarm}.get(verdict, t.warn)
    why = "".join(f"<li>{html.escape(r)}</li>" for r in reasons)
    return (
        f'<span style="color:{color}; font-size:15pt; font-weight:700;">'
        f"Follow-up: {html.escape(verdict)}</span>" + (f"<ul>{why}</ul>" if why else "")
    )


def _muted(text: str) -> str:
    return f'<span style="color:{theme.current().muted};">{html.escape(text)}</span>'
