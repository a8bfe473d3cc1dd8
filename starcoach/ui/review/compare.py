"""Two takes of the same step side by side: transcript, score, key phrases heard and missed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from starcoach.report.review import TakeView
from starcoach.ui.review.transcript import TranscriptView
from starcoach.ui.review.widgets import (
    ComboBox,
    mistake_block,
    phrase_lines,
    rich,
    score_html,
    scrolling_card,
    section,
)
from starcoach.ui.shell import theme


class CompareSide(QWidget):
    """One column: which take, its score, its words, its phrases and mistakes."""

    take_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(8)
        self.choice = ComboBox()
        self.choice.currentIndexChanged.connect(self.take_changed.emit)
        v.addWidget(self.choice)
        top = QHBoxLayout()
        self.score_label = rich()
        self.delta_label = rich()
        self.phrase_count = QLabel()
        self.phrase_count.setObjectName("Muted")
        top.addWidget(self.score_label)
        top.addSpacing(6)
        top.addWidget(self.delta_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.phrase_count, 0, Qt.AlignmentFlag.AlignBottom)
        v.addLayout(top)
        self.transcript = TranscriptView(seekable=False)
        self.transcript.setMinimumHeight(140)
        v.addWidget(self.transcript, 3)
        inner = QWidget()
        lists = QVBoxLayout(inner)
        lists.setContentsMargins(14, 12, 14, 12)
        lists.setSpacing(6)
        lists.addWidget(section("Key phrases"))
        self.phrases_label = rich()
        lists.addWidget(self.phrases_label)
        lists.addSpacing(6)
        self.mistakes_title = section("Mistakes")
        lists.addWidget(self.mistakes_title)
        self.mistakes_label = rich()
        lists.addWidget(self.mistakes_label)
        lists.addStretch(1)
        frame, _ = scrolling_card(inner)
        v.addWidget(frame, 2)

    def set_choices(self, labels: list[str], current: int) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItems(labels)
        self.choice.setCurrentIndex(current)
        self.choice.blockSignals(False)

    def set_delta(self, delta: int | None, older: bool = False) -> None:
        """The newer take's score against the older one's (None: not comparable). The older
        take is only labelled so: a red ▼ there would read as a step backwards."""
        t = theme.current()
        if older:
            self.delta_label.setText(f'<span style="color:{t.muted};">older take</span>')
        elif delta is None:
            self.delta_label.setText("")
        elif delta == 0:
            self.delta_label.setText(f'<span style="color:{t.muted};">same score</span>')
        else:
            color = t.ok if delta > 0 else t.alarm
            arrow = "▲" if delta > 0 else "▼"
            self.delta_label.setText(
                f'<span style="color:{color}; font-weight:700;">{arrow} {abs(delta)}</span>'
            )
        self.delta_label.setToolTip(
            "" if delta is None or older else "Against the older take in the other column"
        )

    def show_take(self, take: TakeView | None) -> None:
        if take is None:
            self.score_label.setText(score_html(None, 20))
            self.phrase_count.setText("")
            self.transcript.set_words([], "Nothing to compare yet.")
            self.phrases_label.setText("")
            self.mistakes_label.setText("")
            return
        self.score_label.setText(score_html(take.score, 20))
        if take.phrases:
            self.phrase_count.setText(f"{len(take.hit)} of {len(take.phrases)} phrases heard")
        else:
            self.phrase_count.setText("")
        self.transcript.set_words(take.words, "Nothing was heard in this take.")
        self.phrases_label.setText(phrase_lines(take.phrases, links=False))
        self.mistakes_title.setText(
            f"MISTAKES  ·  {len(take.mistakes)}" if take.mistakes else "MISTAKES  ·  NONE"
        )
        self.mistakes_label.setText(
            "<br><br>".join(mistake_block(m, links=False) for m in take.mistakes)
        )


class CompareView(QWidget):
    step_changed = Signal(str)
    left_changed = Signal(int)
    right_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(10)
        top = QHBoxLayout()
        label = QLabel("Step")
        label.setObjectName("Muted")
        self.step_box = ComboBox()
        self.step_box.currentIndexChanged.connect(self._step_changed)
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        top.addWidget(label)
        top.addWidget(self.step_box)
        top.addSpacing(10)
        top.addWidget(self.hint, 1)
        v.addLayout(top)
        sides = QHBoxLayout()
        sides.setSpacing(14)
        self.left = CompareSide()
        self.right = CompareSide()
        self.left.take_changed.connect(self.left_changed.emit)
        self.right.take_changed.connect(self.right_changed.emit)
        sides.addWidget(self.left, 1)
        sides.addWidget(self.right, 1)
        v.addLayout(sides, 1)
        self._steps: list[str] = []

    def set_steps(self, steps: list[tuple[str, str]], current: str | None) -> None:
        self.step_box.blockSignals(True)
        self.step_box.clear()
        self._steps = [s for s, _ in steps]
        for step, label in steps:
            self.step_box.addItem(label, step)
        if current in self._steps:
            self.step_box.setCurrentIndex(self._steps.index(current))
        self.step_box.blockSignals(False)

    @property
    def current_step(self) -> str | None:
        data = self.step_box.currentData()
        return str(data) if data is not None else None

    def _step_changed(self, index: int) -> None:
        if 0 <= index < len(self._steps):
            self.step_changed.emit(self._steps[index])
