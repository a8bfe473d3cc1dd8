"""The walkthrough's quiz, answered in place: pick an option, see whether it was right and why.

Questions without options (a user's own content may have none) offer "Reveal explanation".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from starcoach.content import QuizQuestion
from starcoach.report.study import text_html
from starcoach.ui.study.widgets import Box, badge, body, caps, label, repolish

LETTERS = "ABCDEFGHIJ"


class OptionButton(QFrame):
    """One answer option: a lettered, wrapping, clickable row (a QPushButton cannot wrap)."""

    clicked = Signal()

    def __init__(self, letter: str, text: str) -> None:
        super().__init__()
        self.setObjectName("QuizOption")
        self.setProperty("state", "open")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"Option {letter}: {text}")
        self.text = text
        h = QHBoxLayout(self)
        h.setContentsMargins(12, 10, 14, 10)
        h.setSpacing(12)
        self.letter = badge(letter, 24, "OptionLetter")
        h.addWidget(self.letter, 0, Qt.AlignmentFlag.AlignTop)
        self.label = label(text, "Body", select=False)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        h.addWidget(self.label, 1)
        self.mark = label("", "Small", select=False)
        self.mark.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        h.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
        self.mark.hide()

    @property
    def state(self) -> str:
        return str(self.property("state"))

    def set_state(self, state: str, mark: str = "") -> None:
        self.setProperty("state", state)
        self.mark.setText(mark)
        self.mark.setVisible(bool(mark))
        open_ = state == "open"
        self.setCursor(Qt.CursorShape.PointingHandCursor if open_ else Qt.CursorShape.ArrowCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if open_ else Qt.FocusPolicy.NoFocus)
        repolish(self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.rect().contains(event.position().toPoint())
            and self.state == "open"
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state == "open" and event.key() in (
            Qt.Key.Key_Space,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class QuizCard(Box):
    """One question: its options, then the verdict and the explanation once answered."""

    answered = Signal(object)
    """True / False for an option picked; None when the explanation was revealed."""

    def __init__(self, index: int, total: int, question: QuizQuestion) -> None:
        super().__init__(spacing=10)
        self.question = question
        self.chosen: int | None = None
        self.add(caps(f"Question {index} of {total}"), label(question.question, "CardTitle"))
        self.v.addSpacing(4)
        self.options: list[OptionButton] = []
        for i, option in enumerate(question.options):
            button = OptionButton(LETTERS[i % len(LETTERS)], option.text)
            button.clicked.connect(lambda i=i: self.choose(i))
            self.options.append(button)
            self.add(button)
        if question.options and question.authored:
            self.add(
                label(
                    "Options written by StarCoach; the question and why are the walkthrough's.",
                    "Small",
                    select=False,
                )
            )
        self.reveal: QPushButton | None = None
        if not question.options and question.explanation:
            self.reveal = QPushButton("Reveal explanation")
            self.reveal.clicked.connect(self.show_explanation)
            row = QHBoxLayout()
            row.addWidget(self.reveal)
            row.addStretch(1)
            self.v.addLayout(row)

        self.verdict = label("", "Right", select=False)
        self.verdict.hide()
        self.add(self.verdict)
        self.explanation = Box("Explanation", margins=14, spacing=6)
        if question.explanation:
            self.explanation.add(caps("Why"), body(text_html(question.explanation)))
        self.explanation.hide()
        self.add(self.explanation)

    @property
    def correct(self) -> bool | None:
        if self.chosen is None:
            return None
        return self.question.options[self.chosen].correct

    def choose(self, index: int) -> None:
        if self.chosen is not None:
            return
        self.chosen = index
        right = self.question.options[index].correct
        answer = next(i for i, o in enumerate(self.question.options) if o.correct)
        for i, button in enumerate(self.options):
            if i == answer:
                button.set_state("correct", "Correct answer" if not right else "\u2713 Your answer")
            elif i == index:
                button.set_state("wrong", "\u2717 Your answer")
            else:
                button.set_state("dim")
        if right:
            self.verdict.setObjectName("Right")
            self.verdict.setText("\u2713  Correct.")
        else:
            self.verdict.setObjectName("Wrong")
            self.verdict.setText(f"\u2717  Not quite \u2014 the answer is {LETTERS[answer]}.")
        repolish(self.verdict)
        self.verdict.show()
        if self.question.explanation:
            self.explanation.show()
        self.answered.emit(right)

    def show_explanation(self) -> None:
        if self.reveal is not None:
            self.reveal.hide()
        self.explanation.show()
        self.answered.emit(None)

    def reset(self) -> None:
        self.chosen = None
        for button in self.options:
            button.set_state("open")
        self.verdict.hide()
        self.explanation.hide()
        if self.reveal is not None:
            self.reveal.show()


class QuizView(QWidget):
    """All the questions in a list, with the running score and "Start over"."""

    def __init__(self, questions: list[QuizQuestion]) -> None:
        super().__init__()
        self.setObjectName("StudyHost")
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(14)
        head = QHBoxLayout()
        head.setSpacing(12)
        self.score = label("", "Muted", select=False)
        head.addWidget(self.score, 1)
        self.restart = QPushButton("Start over")
        self.restart.clicked.connect(self.reset)
        head.addWidget(self.restart)
        v.addLayout(head)
        self.cards = [QuizCard(i, len(questions), q) for i, q in enumerate(questions, 1)]
        for card in self.cards:
            card.answered.connect(self._update)
            v.addWidget(card)
        self._update()

    def _update(self, *_: object) -> None:
        scored = [c for c in self.cards if c.options]
        done = [c for c in scored if c.chosen is not None]
        right = sum(1 for c in done if c.correct)
        if not scored:
            self.score.setText("Think of your answer, then reveal the explanation.")
        elif not done:
            n = len(scored)
            self.score.setText(
                f"{n} question{'s' if n != 1 else ''}. Pick an answer to see if it is right, "
                "and why."
            )
        else:
            self.score.setText(
                f"{right} of {len(done)} correct \u00b7 {len(done)} of {len(scored)} answered"
            )
        self.restart.setVisible(
            bool(done)
            or any(c.reveal is not None and not c.reveal.isVisibleTo(c) for c in self.cards)
        )

    def reset(self) -> None:
        for card in self.cards:
            card.reset()
        self._update()
